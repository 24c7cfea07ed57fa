"""The ASGI application: the GraphQL endpoint (HTTP and WebSocket), health, media and pages."""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import strawberry
from graphql import GraphQLError, OperationType
from redis import asyncio as aioredis
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.tools import merge_types
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from resolvers.accounts import AccountsMutation, AccountsQuery
from resolvers.accounts.oauth import OAuthMutation, OAuthQuery
from resolvers.catalog import CatalogMutation, CatalogQuery
from resolvers.coupons import CouponsMutation, CouponsQuery
from resolvers.currency import CurrencyMutation, CurrencyQuery
from resolvers.inventory import InventoryMutation, InventoryQuery
from resolvers.members import MembersMutation, MembersQuery
from resolvers.node import NodeQuery
from resolvers.orders import OrdersMutation, OrdersQuery
from resolvers.payments import PaymentsMutation, PaymentsQuery
from resolvers.payments_admin import PaymentsAdminMutation, PaymentsAdminQuery
from resolvers.reviews import ReviewsMutation, ReviewsQuery
from resolvers.shipping import ShippingMutation, ShippingQuery
from resolvers.stats import StatsQuery
from resolvers.webhooks import stripe_webhook
from schema.context import Context
from schema.cost import report_reused
from schema.extensions import schema_extensions, tag_request_errors
from schema.response_cache import ResponseCache, announce_change, following, operation_type
from services import i18n, messaging, periodic, rate_limit, throttle
from services.accounts.tokens import signing_key
from services.auth import bearer_token, viewer_and_expiry, viewer_for_token
from services.catalog import listing
from services.currency import rates as currency_rates
from services.orders import sweeper as unpaid_orders
from services.payments import reconcile
from services.payments.gateways import close_gateways
from settings import ROOT, Settings, get_settings, tortoise_config
from subscriptions import bus
from subscriptions.catalog import CatalogSubscription
from subscriptions.inventory import InventorySubscription
from subscriptions.orders import OrdersSubscription
from subscriptions.transport import TransportHandler

log = logging.getLogger("tradewind.server")

Query = merge_types(
    "Query",
    (
        NodeQuery,
        CatalogQuery,
        ReviewsQuery,
        CouponsQuery,
        CurrencyQuery,
        AccountsQuery,
        OAuthQuery,
        MembersQuery,
        ShippingQuery,
        InventoryQuery,
        OrdersQuery,
        PaymentsAdminQuery,
        PaymentsQuery,
        StatsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        CatalogMutation,
        ReviewsMutation,
        CouponsMutation,
        CurrencyMutation,
        AccountsMutation,
        OAuthMutation,
        MembersMutation,
        ShippingMutation,
        InventoryMutation,
        OrdersMutation,
        PaymentsAdminMutation,
        PaymentsMutation,
    ),
)
Subscription = merge_types(
    "Subscription", (CatalogSubscription, OrdersSubscription, InventorySubscription)
)


class TradewindSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Unexpected errors are logged with their request id where they are masked, so
        # this only labels the errors of malformed requests.
        tag_request_errors(errors)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The GraphQL schema with the limits and error handling `settings` ask for."""
    return TradewindSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=schema_extensions(settings or get_settings()),
    )


#: Room for the GraphQL document and variables beside an uploaded file.
MAX_OPERATIONS_BYTES = 1024 * 1024

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class GraphQLApp(GraphQL[Context, None]):
    """Builds each request's context: viewer, locale, request id and fresh loaders."""

    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            multipart_uploads_enabled=True,
            allowed_origins=settings.allowed_origins,
        )
        self.settings = settings
        self.cache = ResponseCache(
            seconds=settings.response_cache_seconds, size=settings.response_cache_size
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a body larger than any valid request before it is read or spooled."""
        if scope["type"] == "http":
            length = Headers(scope=scope).get("content-length", "0")
            limit = self.settings.max_image_bytes + MAX_OPERATIONS_BYTES
            if not length.isdigit() or int(length) > limit:
                response = PlainTextResponse("Request body too large.", status_code=413)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: Any,
    ) -> Any:
        """Run one operation, reusing a cached answer for anonymous queries."""
        key = self.cache.key(
            request_data.query, request_data.operation_name, request_data.variables, context
        )
        if key is not None:
            reused = await self.cache.get_or_run(
                key,
                lambda: super(GraphQLApp, self).execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                ),
            )
            return await report_reused(reused, context, self.settings)
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if context.viewer.is_staff and operation_type(
            request_data.query or "", request_data.operation_name
        ) is (OperationType.MUTATION):
            # A merchant's change may be in cached storefront answers, here and in other
            # processes. Shoppers' own mutations (sign-in, profile, check-in) change nothing
            # an anonymous answer shows, so they leave the cache warm.
            self.cache.flush()
            await announce_change()
        return result

    def encode_json(self, data: object) -> str:
        # Text, not bytes: WebSocket messages go out as text frames, which browser
        # graphql-ws clients parse (they cannot `JSON.parse` a binary frame's Blob).
        return orjson.dumps(data).decode()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        settings = self.settings
        headers = request.headers
        given_id = headers.get("x-request-id", "")
        request_id = given_id if _REQUEST_ID.match(given_id) else uuid.uuid4().hex
        if isinstance(response, Response):
            response.headers["X-Request-ID"] = request_id
        media_base = settings.media_url
        if not media_base.startswith(("http://", "https://")):
            media_base = str(request.base_url).rstrip("/") + media_base
        return Context(
            request=request,
            response=response,
            settings=settings,
            request_id=request_id,
            locale=i18n.negotiate(
                i18n.parse_accept_language(headers.get("accept-language")),
                settings.supported_locales,
                settings.default_locale,
            ),
            media_base=media_base.rstrip("/") + "/",
            viewer=await viewer_for_token(bearer_token(headers.get("authorization")), settings),
            client_address=request.client.host if request.client else "unknown",
            currency=(headers.get("x-currency") or "").strip().upper()[:8] or None,
        )

    async def on_ws_connect(self, context: Context) -> None:
        """Browsers cannot set headers on a WebSocket: accept the token in `connection_init`."""
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        if isinstance(authorization, str):
            context.socket_token = bearer_token(authorization)
            context.viewer, context.viewer_expires_at = await viewer_and_expiry(
                context.socket_token, self.settings
            )


async def healthz(request: Request) -> JSONResponse:
    """200 when the database and the event bus answer, 503 otherwise."""
    checks = {"database": False, "bus": False}
    with contextlib.suppress(Exception):
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = True
    with contextlib.suppress(Exception):
        checks["bus"] = await bus.current().ping()
    healthy = all(checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status_code=200 if healthy else 503,
    )


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """The application. With `manage_database` off, the caller has initialised Tortoise."""
    settings = settings or get_settings()
    graphql = GraphQLApp(build_schema(settings), settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        resources = contextlib.AsyncExitStack()
        if manage_database:
            if settings.is_sqlite:
                (ROOT / "data").mkdir(exist_ok=True)
            # Requests run in other tasks than the lifespan: RegisterTortoise shares the ORM.
            await resources.enter_async_context(
                RegisterTortoise(app, config=tortoise_config(settings.database_url))
            )
        event_bus = bus.configure(settings.redis_url)
        await event_bus.start()
        messaging.configure(settings)
        if settings.redis_url:
            # Short timeouts: while Redis is away, limits fall back to memory at once.
            limiter_redis = aioredis.Redis.from_url(
                settings.redis_url, socket_connect_timeout=2, socket_timeout=2
            )
            resources.push_async_callback(limiter_redis.aclose)
            rate_limit.configure(limiter_redis)
        else:
            rate_limit.configure(None)
        # Query-cost buckets: short timeouts, as they fall back to memory when Redis fails.
        cost_redis = (
            aioredis.Redis.from_url(
                settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
            if settings.redis_url
            else None
        )
        if cost_redis is not None:
            resources.push_async_callback(cost_redis.aclose)
        throttle.configure(cost_redis)
        signing_key(settings)  # refuse to start without a shared key where one is needed
        await resources.enter_async_context(following(graphql.cache, event_bus))
        jobs = periodic.Jobs()
        jobs.start(listing.sweep, settings.listing_sweep_interval, name="catalog.sweep")
        if settings.ecb_rates_url:
            jobs.start(
                currency_rates.import_ecb_url,
                settings.exchange_rate_refresh_seconds,
                name="currency.import",
            )
        jobs.start(
            unpaid_orders.cancel_unpaid, settings.unpaid_sweep_interval, name="orders.unpaid"
        )
        jobs.start(
            reconcile.reconcile, settings.payment_reconcile_interval, name="payments.reconcile"
        )
        try:
            yield
        finally:
            await jobs.stop()
            await event_bus.stop()
            await close_gateways()
            await resources.aclose()

    settings.media_dir.mkdir(parents=True, exist_ok=True)
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/webhooks/stripe", stripe_webhook(settings), methods=["POST"]),
        Mount(
            settings.media_url.rstrip("/"), StaticFiles(directory=settings.media_dir), name="media"
        ),
    ]
    web = ROOT / "web"
    if (web / "index.html").exists():
        routes.append(Mount("/", StaticFiles(directory=web, html=True), name="web"))
    # The client's address and scheme are taken from forwarded headers only when the peer is
    # a listed proxy, whatever server runs the app (`serve` turns uvicorn's own trust off).
    trusted = Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return Starlette(debug=settings.debug, routes=routes, lifespan=lifespan, middleware=[trusted])
