"""Non-GraphQL HTTP routes: the notifications payment providers, carriers' trackers and
mail providers (inbound email to customer service) send, and the signed links customs
papers are downloaded through. Each module verifies a request and hands it to a service;
none imports `schema/` or `resolvers/`.
`server.py` mounts every route of `routes()`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from settings import Settings
from webhooks import alipay, documents, paypal, stripe, support_email, tracking, wechat_pay


def routes(settings: Settings) -> list[BaseRoute]:
    """Every webhook endpoint, for the app built with `settings`."""
    return [
        Route("/webhooks/stripe", stripe.stripe_webhook(settings), methods=["POST"]),
        Route("/webhooks/paypal", paypal.paypal_webhook(settings), methods=["POST"]),
        Route("/webhooks/alipay", alipay.alipay_webhook(settings), methods=["POST"]),
        *wechat_pay.routes(settings),
        *tracking.routes(settings),
        *documents.routes(settings),
        Route(
            "/webhooks/support/email",
            support_email.support_email_webhook(settings),
            methods=["POST"],
        ),
    ]
