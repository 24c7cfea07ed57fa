"""The typed request context every resolver receives, and the `Info` alias for it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from loaders import Loaders
from schema.view_cache import ViewCache
from services.auth import ANONYMOUS, Viewer
from services.currency.errors import CurrencyError
from services.currency.rates import RateQuote
from settings import Settings


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    request_id: str
    #: The locale negotiated from `Accept-Language`; a `locale` argument overrides it.
    locale: str
    #: Prefix of media URLs, absolute so that other hosts (a storefront) can use them.
    media_base: str
    viewer: Viewer = ANONYMOUS
    #: The caller's network address, as rate limits and sessions see it ("unknown" if none).
    client_address: str = "unknown"
    #: The `connection_init` payload of a WebSocket connection.
    connection_params: dict[str, Any] | None = None
    #: A WebSocket's access token, checked again before each of its operations.
    socket_token: str | None = None
    #: When the viewer's access token expires: streams end then, and the client reconnects.
    viewer_expires_at: datetime | None = None
    loaders: Loaders = field(default_factory=Loaders)
    #: The currency an `X-Currency` header asks prices in; an argument or the member's
    #: profile comes first (`schema.currency.shown_prices`).
    currency: str | None = None
    #: Exchange quotes looked up, by code (or the error a code got), with the monotonic
    #: time of the lookup: a WebSocket's context outlives a request, so they expire.
    quotes: dict[str, tuple[float, asyncio.Future[RateQuote | CurrencyError]]] = field(
        default_factory=dict
    )
    #: The operation's `extensions.cost`, once it has been costed and charged.
    cost: dict[str, Any] | None = None
    #: Object views reused across requests (`schema.view_cache`); None: build every node.
    views: ViewCache | None = None


Info = strawberry.Info[Context, None]
