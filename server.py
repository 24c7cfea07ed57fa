"""The ASGI application: the GraphQL endpoint (HTTP and WebSocket), health, media and pages."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import mimetypes
import re
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

import mimeparse
import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError, OperationDefinitionNode, OperationType, get_operation_ast
from redis import asyncio as aioredis
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import webhooks
from domains import build_schema
from jobs import runtime as job_engine
from schema import http_cache, persisted
from schema.context import Context
from schema.cost import client_key, report_reused
from schema.documents import parse_document
from schema.extensions import tag_request_errors
from schema.response_cache import ResponseCache, announce_change, following, reusable
from schema.view_cache import ViewCache
from services import database_routing, i18n, messaging, rate_limit, throttle
from services.accounts.tokens import signing_key
from services.auth import bearer_token, viewer_and_expiry, viewer_for_token
from services.customs.regimes import load_regimes
from services.payments.gateways import close_gateways
from services.tracking import replay
from settings import DATA_DIR, ROOT, Settings, get_settings, tortoise_config
from subscriptions import bus
from subscriptions.transport import TransportHandler

log = logging.getLogger("tradewind.server")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

#: Headers a storefront on another origin may send (beyond those CORS always allows).
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "X-Currency",
    "X-Request-ID",
]

#: The GraphQL over HTTP media types, in the order a tie in `Accept` is settled (last wins).
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
LEGACY_JSON = "application/json"
_MEDIA_TYPES = [GRAPHQL_RESPONSE_JSON, LEGACY_JSON]

#: `extensions.code` of the errors that refuse a request before any GraphQL runs.
_HTTP_ERROR_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def request_id(headers: Mapping[str, str]) -> str:
    """The client's `X-Request-ID` when it is safe to log and echo, else a new one."""
    given = headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def response_media_type(accept: str | None) -> str:
    """What to answer in: `application/graphql-response+json` when `Accept` prefers it.

    No `Accept`, `*/*`, a tie and anything unknown get `application/json`, as the GraphQL
    over HTTP spec asks of servers that legacy clients still call.
    """
    if not accept:
        return LEGACY_JSON
    try:
        return mimeparse.best_match(_MEDIA_TYPES, accept) or LEGACY_JSON
    except ValueError:
        return LEGACY_JSON


def is_request_error(result: ExecutionResult) -> bool:
    """True when the operation never ran: a syntax, validation or variable error."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


class BodyTooLarge(Exception):
    """The request body passed its limit while it streamed in."""


def limited(receive: Receive, limit: int) -> Receive:
    """`receive`, counting body bytes as they arrive, chunked or not, up to `limit`."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge
        return message

    return counted


class GraphQLApp(GraphQL[Context, None]):
    """The GraphQL endpoint: HTTP (GET and POST) and WebSocket, with each request's context.

    Over HTTP a request is read within a byte limit, its document parsed once (within the
    token limit) and reused by the response cache and the execution, and anything a client
    gets wrong is answered with a JSON error and a 4xx status, never a 500.
    """

    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            multipart_uploads_enabled=True,
            allowed_origins=settings.allowed_origins,
        )
        self.settings = settings
        self.cache = ResponseCache(
            seconds=settings.response_cache_seconds, size=settings.response_cache_size
        )
        self.views = ViewCache(
            seconds=settings.product_view_cache_seconds, size=settings.product_view_cache_size
        )
        self.documents = persisted.DocumentStore(
            trusted=persisted.trusted_documents(),
            size=settings.persisted_queries_size,
            max_chars=settings.persisted_query_max_chars,
        )

    def body_limit(self, headers: Headers) -> int:
        """The most bytes a request with these headers may send."""
        if headers.get("content-type", "").lower().startswith("multipart/"):
            return self.settings.max_request_bytes + self.settings.max_image_bytes
        return self.settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.body_limit(headers)
        length = headers.get("content-length")
        response: Response
        if length is not None and (not length.isdigit() or int(length) > limit):
            response = self.error_response(scope, 413, "Request body too large.")
        elif len(scope.get("query_string", b"")) > self.settings.max_request_bytes:
            response = self.error_response(scope, 414, "Request URL too long: use POST.")
        else:
            try:
                response = await self.run(Request(scope, receive=limited(receive, limit)))
            except BodyTooLarge:
                response = self.error_response(scope, 413, "Request body too large.")
            except HTTPException as error:
                response = self.error_response(scope, error.status_code, error.reason)
            except persisted.PersistedQueryError as error:
                response = self.error_response(scope, error.status, error.message, error.code)
            except ClientDisconnect:
                return  # gone before its body arrived: nobody to answer
        http_cache.private(response.headers)
        await response(scope, receive, send)

    def error_response(
        self, scope: Scope, status: int, message: str, code: str | None = None
    ) -> Response:
        """A request refused before any GraphQL ran, as a GraphQL error in JSON."""
        headers = Headers(scope=scope)
        extra = {"X-Request-ID": request_id(headers)}
        if status == 405:
            extra["Allow"] = "POST" if scope["method"] == "GET" else "GET, POST"
        body = {
            "errors": [
                {
                    "message": message,
                    "extensions": {"code": code or _HTTP_ERROR_CODES.get(status, "BAD_REQUEST")},
                }
            ]
        }
        return Response(
            orjson.dumps(body),
            status_code=status,
            media_type=response_media_type(headers.get("accept")),
            headers=extra,
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET carrying only a persisted query's hash is an API call, not a browser visit.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    def parse_json(self, data: str | bytes) -> Any:
        """JSON from a client: strict UTF-8, and any failure (nesting too) is a 400."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            return json.loads(text)
        except (ValueError, RecursionError) as error:
            raise HTTPException(400, "The request is not valid JSON in UTF-8.") from error

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        """The request's parameters, each of the type the GraphQL over HTTP spec gives it."""
        if request.method == "GET":
            data = self.parse_query_params(request.query_params)
        else:
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type == "application/json":
                data = self.parse_json(await request.get_body())
            elif content_type == "multipart/form-data":
                try:
                    data = await self.parse_multipart(request)
                except (HTTPException, BodyTooLarge):
                    raise
                except Exception as error:  # any malformed form is the client's mistake
                    raise HTTPException(400, "The multipart request is malformed.") from error
            else:
                raise HTTPException(
                    415, "Send GraphQL requests as application/json (or multipart/form-data)."
                )
        if not isinstance(data, dict):
            raise HTTPException(400, "The request must be a JSON object with a `query`.")
        expected = {
            "query": (str, "a string"),
            "operationName": (str, "a string"),
            "variables": (dict, "an object"),
            "extensions": (dict, "an object"),
        }
        for name, (kind, described) in expected.items():
            value = data.get(name)
            if value is not None and not isinstance(value, kind):
                raise HTTPException(400, f"`{name}` must be {described} or null.")
        return GraphQLRequestData(
            query=data.get("query"),
            variables=data.get("variables"),
            operation_name=data.get("operationName"),
            extensions=data.get("extensions"),
            protocol="http",
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: Any,
    ) -> Any:
        """Run one operation, from its document parsed once; anonymous queries may be cached.

        A persisted query's hash is replaced by its document first (or the request refused);
        a shared answer to a GET is marked public with its ETag, and a matching
        `If-None-Match` turns it into a 304.
        """
        query = persisted.resolve(
            self.documents,
            query=request_data.query,
            extensions=request_data.extensions,
            viewer=context.viewer,
            settings=self.settings,
        )
        request_data.query = query
        if not query:
            raise HTTPException(400, "No GraphQL query found in the request.")
        try:
            document = parse_document(query, max_tokens=self.settings.max_query_tokens)
        except GraphQLError as error:
            tag_request_errors([error])
            return ExecutionResult(data=None, errors=[error])
        operation = get_operation_ast(document, request_data.operation_name)
        method = request_adapter.method
        if method == "GET" and operation and operation.operation is OperationType.MUTATION:
            raise HTTPException(405, "Mutations cannot be sent with GET: use POST.")

        def run() -> Any:
            return super(GraphQLApp, self).execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )

        key = operation and self.cache.key(
            method=method,
            query=query,
            operation=operation,
            variables=request_data.variables,
            # A document's answer is the same whether it came by hash or as text.
            extensions=persisted.without_hash(request_data.extensions),
            context=context,
        )
        with database_routing.replica_reads(await self.may_read_replica(operation, context)):
            if key:
                result, tag = await self.cache.get_or_run_tagged(key, run)
                result = await report_reused(result, context, self.settings)
            else:
                result, tag = await run(), None
        if (
            method == "GET"
            and operation
            and not result.errors
            and reusable(operation, context.viewer)
        ):
            tag = tag or http_cache.answer_tag(result)
            http_cache.public(sub_response.headers, tag, self.settings.http_cache_seconds)
            if http_cache.matches(request.headers.get("if-none-match"), tag):
                sub_response.status_code = 304
        if (
            self.settings.database_replica_url is not None
            and operation
            and operation.operation is OperationType.MUTATION
        ):
            # Only a shop with a replica needs the mark (a Redis write when Redis is set).
            await database_routing.writers().note(client_key(context))
        if context.viewer.is_staff and operation and operation.operation is OperationType.MUTATION:
            # A merchant's change may be in cached storefront answers, here and in other
            # processes. Shoppers' own mutations (sign-in, profile, check-in) change nothing
            # an anonymous answer shows, so they leave the cache warm.
            self.cache.flush()
            self.views.flush()
            await announce_change()
        return result

    async def may_read_replica(
        self, operation: OperationDefinitionNode | None, context: Context
    ) -> bool:
        """Whether this operation's reads may go to the replica: a query, from a client that
        has not written lately (its reads would otherwise miss its own writes)."""
        return (
            self.settings.database_replica_url is not None
            and operation is not None
            and operation.operation is OperationType.QUERY
            and not await database_routing.writers().wrote_recently(client_key(context))
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response_data = await super().process_result(request, result)
        if response_media_type(
            request.headers.get("accept")
        ) == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            # The spec's sign that the operation never ran: no `data` entry, and a 400.
            response_data.pop("data", None)
        return response_data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        if sub_response.status_code == 304:
            return http_cache.not_modified(sub_response.headers)
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or LEGACY_JSON
        response.headers["content-type"] = media_type
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, Mapping)
            and "data" not in response_data
            and not sub_response.status_code
        ):
            response.status_code = 400
        return response

    def encode_json(self, data: object) -> str:
        # Text, not bytes: WebSocket messages go out as text frames, which browser
        # graphql-ws clients parse (they cannot `JSON.parse` a binary frame's Blob).
        return orjson.dumps(data).decode()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        settings = self.settings
        headers = request.headers
        this_request = request_id(headers)
        if isinstance(response, Response):
            response.headers["X-Request-ID"] = this_request
        media_base = settings.media_url
        if not media_base.startswith(("http://", "https://")):
            base = request.base_url
            if base.scheme in ("ws", "wss"):
                # Files are fetched over HTTP(S), also when a live event names them.
                base = base.replace(scheme="https" if base.scheme == "wss" else "http")
            media_base = str(base).rstrip("/") + media_base
        return Context(
            request=request,
            response=response,
            settings=settings,
            request_id=this_request,
            locale=i18n.negotiate(
                i18n.parse_accept_language(headers.get("accept-language")),
                settings.supported_locales,
                settings.default_locale,
            ),
            media_base=media_base.rstrip("/") + "/",
            viewer=await viewer_for_token(bearer_token(headers.get("authorization")), settings),
            client_address=request.client.host if request.client else "unknown",
            currency=(headers.get("x-currency") or "").strip().upper()[:8] or None,
            views=self.views if self.views.enabled else None,
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


#: Allocations between two young-generation collections (CPython's default is 700). An
#: executed product list allocates tens of thousands of short-lived objects; collecting
#: less often costs a little memory and saved 2-4% of its CPU (bench/README.md).
GC_YOUNG_THRESHOLD = 10_000


def settle_memory() -> None:
    """Move what start-up built (modules, the schema, settings) out of the collector's sight.

    `gc.freeze` keeps those long-lived objects out of every later collection, which then
    walks only what requests allocate.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


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
    # The import regimes are read and checked now: a broken file stops the server here,
    # never a shopper's checkout later.
    load_regimes(settings.customs_regimes_file)
    graphql = GraphQLApp(build_schema(settings), settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        resources = contextlib.AsyncExitStack()
        if manage_database:
            if settings.is_sqlite:
                DATA_DIR.mkdir(parents=True, exist_ok=True)
            # Requests run in other tasks than the lifespan: RegisterTortoise shares the ORM.
            await resources.enter_async_context(
                RegisterTortoise(
                    app,
                    config=tortoise_config(
                        settings.database_url, replica_url=settings.database_replica_url
                    ),
                )
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
            replay.configure(limiter_redis)
        else:
            rate_limit.configure(None)
            replay.configure(None)
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
        # Read-your-writes marks are asked on every query: the same short timeouts, and a
        # failure sends reads to the primary.
        database_routing.configure(cost_redis, seconds=settings.replica_primary_after_write_seconds)
        signing_key(settings)  # refuse to start without a shared key where one is needed
        await resources.enter_async_context(following((graphql.cache, graphql.views), event_bus))
        jobs = job_engine.Runtime(
            settings, worker=settings.jobs_in_process, scheduler=settings.jobs_in_process
        )
        await jobs.start()
        if manage_database:  # the served app owns its process; tests build many apps in one
            settle_memory()
        try:
            yield
        finally:
            await jobs.stop()
            await event_bus.stop()
            await close_gateways()
            await resources.aclose()

    settings.media_dir.mkdir(parents=True, exist_ok=True)
    routes: list[Any] = [
        # Every method reaches the endpoint, which answers the ones it does not serve with
        # a JSON 405; cross-origin calls from the listed origins pass CORS.
        Route(
            "/graphql",
            CORSMiddleware(
                graphql,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST"],
                allow_headers=CORS_REQUEST_HEADERS,
                expose_headers=["X-Request-ID", "Retry-After"],
                max_age=600,
            ),
        ),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        *webhooks.routes(settings),
        Mount(
            settings.media_url.rstrip("/"), StaticFiles(directory=settings.media_dir), name="media"
        ),
    ]
    web = ROOT / "web"
    if (web / "index.html").exists():
        # The storefront's ES modules run only when served as JavaScript, whatever the host's
        # mime.types (or the Windows registry) says of `.js`.
        mimetypes.add_type("text/javascript", ".js")
        routes.append(Mount("/", StaticFiles(directory=web, html=True), name="web"))
    # The client's address and scheme are taken from forwarded headers only when the peer is
    # a listed proxy, whatever server runs the app (`serve` turns uvicorn's own trust off).
    trusted = Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return Starlette(debug=settings.debug, routes=routes, lifespan=lifespan, middleware=[trusted])
