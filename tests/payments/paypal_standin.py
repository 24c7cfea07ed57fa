"""A small local stand-in for the parts of PayPal's REST API the gateway calls.

Served by uvicorn on 127.0.0.1 (`serve`), it hands out OAuth2 tokens for the client id and
secret it was built with (HTTP basic auth) and refuses every other call without one of its
Bearer tokens. Orders wait for the test to `approve` them; captures complete, stay PENDING
or are DECLINED as the test scripts (`capture_outcome`), with a settlement breakdown and its
fee (converted to another currency when `convert_to` is set); refunds complete or stay
PENDING (`refund_outcome`). A repeated `PayPal-Request-Id` is answered with the first answer,
as PayPal does. It builds the webhook deliveries PayPal would send (`delivery`), and its
verification endpoint vouches only for the deliveries it signed itself (an HMAC of the
transmission id and the event), so a forged one is refused.
"""

from __future__ import annotations

import base64
import hmac
import html
import itertools
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

CLIENT_ID = "standin-client"
CLIENT_SECRET = "standin-secret"
WEBHOOK_ID = "WH-STANDIN"
#: PayPal's fee in the stand-in: 3.49% plus a fixed 0.49.
FEE_RATE = Decimal("0.0349")
FEE_FIXED = Decimal("0.49")


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


def _money(currency: str, value: Decimal) -> dict[str, str]:
    return {"currency_code": currency, "value": str(value.quantize(Decimal("0.01")))}


@dataclass
class PayPalStandIn:
    base: str = ""
    requests: list[Recorded] = field(default_factory=list)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    captures: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: What the next captures end as: COMPLETED, PENDING or DECLINED.
    capture_outcome: str = "COMPLETED"
    refund_outcome: str = "COMPLETED"
    #: (currency, rate): PayPal converts what the shop receives into this currency.
    convert_to: tuple[str, str] | None = None
    app: Starlette = field(init=False, repr=False)
    _tokens: set[str] = field(default_factory=set)
    _failures: int = 0
    _replays: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _signing_key: bytes = b"standin-signing-key"

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/v1/oauth2/token", self._token, methods=["POST"]),
                Route("/v2/checkout/orders", self._create_order, methods=["POST"]),
                Route("/v2/checkout/orders/{id}", self._get_order, methods=["GET"]),
                Route("/v2/checkout/orders/{id}/capture", self._capture, methods=["POST"]),
                Route("/v2/payments/captures/{id}", self._get_capture, methods=["GET"]),
                Route("/v2/payments/captures/{id}/refund", self._refund, methods=["POST"]),
                Route("/v2/payments/refunds/{id}", self._get_refund, methods=["GET"]),
                Route("/v1/notifications/verify-webhook-signature", self._verify, methods=["POST"]),
                Route("/checkoutnow", self._approval_page, methods=["GET"]),
                Route("/checkoutnow", self._approve_and_return, methods=["POST"]),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # What tests do.

    def fail_next(self, times: int) -> None:
        self._failures += times

    def sent(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def approve(self, order_id: str) -> None:
        """The shopper approves the order on PayPal's page."""
        self.orders[order_id]["status"] = "APPROVED"

    def complete_capture(self, capture_id: str) -> dict[str, Any]:
        """A PENDING capture completes (an eCheck cleared); returns it."""
        capture = self.captures[capture_id]
        capture["status"] = "COMPLETED"
        capture.pop("status_details", None)
        capture["seller_receivable_breakdown"] = self._breakdown(capture["amount"])
        return capture

    def complete_refund(self, refund_id: str) -> dict[str, Any]:
        refund = self.refunds[refund_id]
        refund["status"] = "COMPLETED"
        refund["seller_payable_breakdown"] = self._refund_breakdown(refund)
        return refund

    def capture_of(self, order_id: str) -> dict[str, Any]:
        return self.orders[order_id]["purchase_units"][0]["payments"]["captures"][-1]

    def event(self, event_type: str, resource: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"WH-{next(self._ids)}",
            "event_version": "1.0",
            "resource_type": event_type.split(".")[1].lower(),
            "event_type": event_type,
            "resource": resource,
        }

    def delivery(
        self, event: dict[str, Any], *, sign_with: bytes | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers PayPal would POST for `event`, signed by the stand-in (or by
        `sign_with`, a key it does not know: a forgery)."""
        body = json.dumps(event).encode()
        transmission = f"tx-{next(self._ids)}"
        headers = {
            "PAYPAL-TRANSMISSION-ID": transmission,
            "PAYPAL-TRANSMISSION-TIME": "2025-01-01T00:00:00Z",
            "PAYPAL-TRANSMISSION-SIG": self._signature(transmission, event, sign_with),
            "PAYPAL-CERT-URL": f"{self.base}/v1/notifications/certs/CERT-standin",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "Content-Type": "application/json",
        }
        return body, headers

    # The API.

    def _signature(self, transmission: str, event: Any, key: bytes | None = None) -> str:
        canonical = json.dumps(event, sort_keys=True, separators=(",", ":"))
        mac = hmac.new(key or self._signing_key, f"{transmission}|{canonical}".encode(), "sha256")
        return base64.b64encode(mac.digest()).decode()

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    async def _record(self, request: Request) -> Recorded:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode()
        recorded = Recorded(
            request.method,
            request.url.path,
            body,
            {k.lower(): v for k, v in request.headers.items()},
        )
        self.requests.append(recorded)
        return recorded

    def _refused(self, recorded: Recorded) -> Response | None:
        """401 without one of the stand-in's tokens, 500 when a failure was scripted."""
        auth = recorded.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self._tokens:
            error = {"name": "AUTHENTICATION_FAILURE", "message": "Authentication failed."}
            return JSONResponse(error, status_code=401)
        if self._failures:
            self._failures -= 1
            return JSONResponse({"name": "INTERNAL_SERVER_ERROR"}, status_code=500)
        return None

    def _replayed(self, recorded: Recorded) -> Response | None:
        key = recorded.headers.get("paypal-request-id")
        if key and (recorded.path, key) in self._replays:
            status, body = self._replays[(recorded.path, key)]
            return JSONResponse(body, status_code=status)
        return None

    def _answer(self, recorded: Recorded, body: Any, status: int = 200) -> Response:
        key = recorded.headers.get("paypal-request-id")
        if key:
            self._replays[(recorded.path, key)] = (status, body)
        return JSONResponse(body, status_code=status)

    @staticmethod
    def _issue(status: int, name: str, issue: str) -> Response:
        body = {"name": name, "message": issue, "details": [{"issue": issue}]}
        return JSONResponse(body, status_code=status)

    async def _token(self, request: Request) -> Response:
        recorded = await self._record(request)
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = await request.form()
        if (
            recorded.headers.get("authorization") != f"Basic {expected}"
            or form.get("grant_type") != "client_credentials"
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        token = self._id("A21AA")
        self._tokens.add(token)
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": 32400, "scope": ""}
        )

    async def _create_order(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refused := self._refused(recorded)) or (refused := self._replayed(recorded)):
            return refused
        body = recorded.body
        order_id = self._id("5O")
        unit = dict(body["purchase_units"][0])
        order = {
            "id": order_id,
            "intent": body["intent"],
            "status": "PAYER_ACTION_REQUIRED",
            "payment_source": body.get("payment_source", {}),
            "purchase_units": [unit],
            "links": [
                {"href": f"{self.base}/v2/checkout/orders/{order_id}", "rel": "self"},
                {
                    "href": f"{self.base}/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                },
            ],
        }
        self.orders[order_id] = order
        return self._answer(recorded, order)

    # The shopper's approval page (what a browser test walks).

    async def _approval_page(self, request: Request) -> Response:
        token = html.escape(request.query_params.get("token", ""))
        return HTMLResponse(
            "<!doctype html><title>PayPal</title><h1>Pay with PayPal</h1>"
            f'<form method="post" action="/checkoutnow"><input type="hidden" name="token" '
            f'value="{token}"><button>Approve</button></form>'
        )

    async def _approve_and_return(self, request: Request) -> Response:
        """The shopper approves: PayPal sends them to the order's return URL with its token."""
        form = await request.form()
        order = self.orders[str(form["token"])]
        order["status"] = "APPROVED"
        source = order.get("payment_source", {}).get("paypal", {})
        back = str(source.get("experience_context", {}).get("return_url", ""))
        joiner = "&" if "?" in back.split("#")[0] else "?"
        path, _, fragment = back.partition("#")
        target = f"{path}{joiner}token={order['id']}&PayerID=STANDINPAYER"
        return RedirectResponse(target + (f"#{fragment}" if fragment else ""), status_code=303)

    async def _get_order(self, request: Request) -> Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        order = self.orders.get(request.path_params["id"])
        if order is None:
            return self._issue(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        return JSONResponse(order)

    def _breakdown(self, amount: dict[str, str]) -> dict[str, Any]:
        gross = Decimal(amount["value"])
        fee = (gross * FEE_RATE + FEE_FIXED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        currency = amount["currency_code"]
        breakdown: dict[str, Any] = {
            "gross_amount": _money(currency, gross),
            "paypal_fee": _money(currency, fee),
            "net_amount": _money(currency, gross - fee),
        }
        if self.convert_to:
            target, rate = self.convert_to
            converted = ((gross - fee) * Decimal(rate)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            breakdown["receivable_amount"] = _money(target, converted)
            breakdown["exchange_rate"] = {
                "source_currency": currency,
                "target_currency": target,
                "value": rate,
            }
        return breakdown

    async def _capture(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refused := self._refused(recorded)) or (refused := self._replayed(recorded)):
            return refused
        order = self.orders.get(request.path_params["id"])
        if order is None:
            return self._issue(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        if order["status"] == "COMPLETED":
            return self._answer(recorded, self._issue_body("ORDER_ALREADY_CAPTURED"), status=422)
        if order["status"] != "APPROVED":
            return self._issue(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED")
        unit = order["purchase_units"][0]
        capture: dict[str, Any] = {
            "id": self._id("CAP"),
            "status": self.capture_outcome,
            "amount": dict(unit["amount"]),
            "custom_id": unit.get("custom_id"),
            "invoice_id": unit.get("invoice_id"),
            "final_capture": True,
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "links": [],
        }
        if self.capture_outcome == "COMPLETED":
            capture["seller_receivable_breakdown"] = self._breakdown(unit["amount"])
        elif self.capture_outcome == "PENDING":
            capture["status_details"] = {"reason": "ECHECK"}
        else:
            capture["status_details"] = {"reason": "DECLINED_BY_RISK_FRAUD_FILTERS"}
        capture["links"] = [
            {"href": f"{self.base}/v2/payments/captures/{capture['id']}", "rel": "self"},
            {"href": f"{self.base}/v2/checkout/orders/{order['id']}", "rel": "up"},
        ]
        self.captures[capture["id"]] = capture
        unit["payments"] = {"captures": [capture]}
        order["status"] = "COMPLETED"
        return self._answer(recorded, order, status=201)

    @staticmethod
    def _issue_body(issue: str) -> dict[str, Any]:
        return {"name": "UNPROCESSABLE_ENTITY", "message": issue, "details": [{"issue": issue}]}

    async def _get_capture(self, request: Request) -> Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        capture = self.captures.get(request.path_params["id"])
        if capture is None:
            return self._issue(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        return JSONResponse(capture)

    def _refund_breakdown(self, refund: dict[str, Any]) -> dict[str, Any]:
        amount = refund["amount"]
        currency = amount["currency_code"]
        gross = Decimal(amount["value"])
        # PayPal gives back the fee's percentage share of what is refunded.
        fee = (gross * FEE_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        capture = self.captures[refund["capture_id"]]
        refunded = sum(
            (
                Decimal(r["amount"]["value"])
                for r in self.refunds.values()
                if r["capture_id"] == capture["id"] and r["status"] == "COMPLETED"
            ),
            Decimal(0),
        )
        return {
            "gross_amount": _money(currency, gross),
            "paypal_fee": _money(currency, fee),
            "net_amount": _money(currency, gross - fee),
            "total_refunded_amount": _money(currency, refunded),
        }

    async def _refund(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (refused := self._refused(recorded)) or (refused := self._replayed(recorded)):
            return refused
        capture = self.captures.get(request.path_params["id"])
        if capture is None:
            return self._issue(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        body = recorded.body or {}
        refund: dict[str, Any] = {
            "id": self._id("REF"),
            "status": "PENDING",
            "amount": body.get("amount") or capture["amount"],
            "custom_id": body.get("custom_id"),
            "capture_id": capture["id"],
            "links": [
                {"href": f"{self.base}/v2/payments/captures/{capture['id']}", "rel": "up"},
            ],
        }
        self.refunds[refund["id"]] = refund
        if self.refund_outcome == "COMPLETED":
            self.complete_refund(refund["id"])
            capture["status"] = "PARTIALLY_REFUNDED"
        return self._answer(recorded, self._public(refund), status=201)

    @staticmethod
    def _public(refund: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in refund.items() if k != "capture_id"}

    async def _get_refund(self, request: Request) -> Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        refund = self.refunds.get(request.path_params["id"])
        if refund is None:
            return self._issue(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        return JSONResponse(self._public(refund))

    async def _verify(self, request: Request) -> Response:
        recorded = await self._record(request)
        if refused := self._refused(recorded):
            return refused
        given = recorded.body if isinstance(recorded.body, dict) else {}
        expected = self._signature(str(given.get("transmission_id")), given.get("webhook_event"))
        valid = given.get("webhook_id") == WEBHOOK_ID and hmac.compare_digest(
            str(given.get("transmission_sig")), expected
        )
        return JSONResponse({"verification_status": "SUCCESS" if valid else "FAILURE"})
