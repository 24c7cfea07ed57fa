"""Non-GraphQL HTTP routes: the notifications payment providers, carriers' trackers (and,
next, inbound email) send. Each module verifies a delivery and hands it to a service; none imports
`schema/` or `resolvers/`. `server.py` mounts every route of `routes()`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from settings import Settings
from webhooks import stripe, tracking


def routes(settings: Settings) -> list[BaseRoute]:
    """Every webhook endpoint, for the app built with `settings`."""
    return [
        Route("/webhooks/stripe", stripe.stripe_webhook(settings), methods=["POST"]),
        *tracking.routes(settings),
    ]
