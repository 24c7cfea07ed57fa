"""A small local stand-in for the parts of the Stripe API the gateway calls.

Served by uvicorn on 127.0.0.1 (see `standin` in the tests), it answers with Stripe's
response shapes, records every request (method, path, decoded form, headers) and replays
the first answer to a repeated `Idempotency-Key` as Stripe does. Tests script failures:
`fail_next(n, "500" | "drop")` answers 500 or drops the connection mid-response `n` times,
`decline_next()` answers the next request with a card error.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send


@dataclass
class Recorded:
    method: str
    path: str
    #: The form as Stripe reads it: `a[b][0]=x` becomes {"a": {"b": ["x"]}}.
    form: dict[str, Any]
    raw: list[tuple[str, str]]
    query: list[tuple[str, str]]
    headers: dict[str, str]


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's bracketed form keys as nested dicts, with index-keyed dicts made lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def lists(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if node and all(k.isdigit() for k in node):
            return [lists(node[k]) for k in sorted(node, key=int)]
        return {k: lists(v) for k, v in node.items()}

    result: dict[str, Any] = lists(root)
    return result


@dataclass
class StripeStandIn:
    requests: list[Recorded] = field(default_factory=list)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Balance transactions by PaymentIntent or Refund id, set by tests once one "settled".
    settlements: dict[str, dict[str, Any]] = field(default_factory=dict)
    app: Starlette = field(init=False, repr=False)
    _failures: list[str] = field(default_factory=list)
    _decline: bool = False
    _replays: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, times: int, how: str = "500") -> None:
        self._failures.extend([how] * times)

    def decline_next(self) -> None:
        self._decline = True

    def sent(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def _id(self, prefix: str) -> str:
        return f"{prefix}_standin{next(self._ids):06d}"

    # -- the ASGI app ---------------------------------------------------------------

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/v1/payment_intents", self._create_intent, methods=["POST"]),
                Route("/v1/payment_intents/{id}", self._retrieve_intent, methods=["GET"]),
                Route("/v1/payment_intents/{id}/cancel", self._cancel_intent, methods=["POST"]),
                Route("/v1/refunds", self._create_refund, methods=["POST"]),
                Route("/v1/refunds/{id}", self._retrieve_refund, methods=["GET"]),
                Route("/v1/customers", self._create_customer, methods=["POST"]),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._failures and self._failures[0] == "drop":
            # Start the answer, then fail: uvicorn closes the connection with the body
            # unsent, as a network drop after the server acted looks to the client.
            self._failures.pop(0)
            await self._record(Request(scope, receive))
            start = {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"99")],
            }
            await send(start)
            await send({"type": "http.response.body", "body": b'{"id": "pi_', "more_body": True})
            raise ConnectionAbortedError("stand-in dropped the connection")
        await self.app(scope, receive, send)

    async def _record(self, request: Request) -> Recorded:
        raw = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        recorded = Recorded(
            method=request.method,
            path=request.url.path,
            form=decode_form(raw),
            raw=raw,
            query=parse_qsl(request.url.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in request.headers.items()},
        )
        self.requests.append(recorded)
        return recorded

    async def _scripted(self, recorded: Recorded) -> Response | None:
        """A scripted failure for this request, or a replay of its idempotency key."""
        if self._failures:
            self._failures.pop(0)
            return JSONResponse(
                {"error": {"type": "api_error", "message": "Something went wrong."}},
                status_code=500,
            )
        key = recorded.headers.get("idempotency-key")
        if key and key in self._replays:
            status, body = self._replays[key]
            return JSONResponse(body, status_code=status, headers={"idempotent-replayed": "true"})
        return None

    def _answer(self, recorded: Recorded, body: dict[str, Any], status: int = 200) -> Response:
        key = recorded.headers.get("idempotency-key")
        if key:
            self._replays[key] = (status, body)
        return JSONResponse(body, status_code=status)

    async def _create_intent(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        form = recorded.form
        intent_id = self._id("pi")
        if self._decline:
            self._decline = False
            error = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
                "payment_intent": {"id": intent_id, "object": "payment_intent"},
            }
            return self._answer(recorded, {"error": error}, status=402)
        methods = form.get("payment_method_types", ["card"])
        waits = any(m in ("wechat_pay", "customer_balance") for m in methods)
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "amount_received": 0,
            "currency": form["currency"],
            "customer": form.get("customer"),
            "status": "requires_action" if waits else "requires_payment_method",
            "client_secret": f"{intent_id}_secret_standin",
            "next_action": {"type": "display_bank_transfer_instructions"} if waits else None,
            "payment_method_types": methods,
            "payment_method_options": form.get("payment_method_options", {}),
            "metadata": form.get("metadata", {}),
            "latest_charge": None,
            "livemode": False,
            "created": 1_795_000_000,
        }
        self.intents[intent_id] = intent
        return self._answer(recorded, intent)

    async def _retrieve_intent(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        intent = self.intents.get(request.path_params["id"])
        if intent is None:
            error = {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": f"No such payment_intent: '{request.path_params['id']}'",
            }
            return JSONResponse({"error": error}, status_code=404)
        body = dict(intent)
        txn = self.settlements.get(intent["id"])
        if txn is not None:
            expanded = ("expand[0]", "latest_charge.balance_transaction") in recorded.query
            charge_id = f"ch_{intent['id']}"
            body["latest_charge"] = (
                {
                    "id": charge_id,
                    "object": "charge",
                    "amount": intent["amount"],
                    "currency": intent["currency"],
                    "balance_transaction": txn if expanded else txn["id"],
                }
                if expanded
                else charge_id
            )
        return JSONResponse(body)

    async def _cancel_intent(self, request: Request) -> Response:
        """Stripe cancels an intent the shopper has not paid; any other is an error."""
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        intent = self.intents.get(request.path_params["id"])
        if intent is None:
            error = {"type": "invalid_request_error", "code": "resource_missing"}
            return self._answer(recorded, {"error": error}, status=404)
        if intent["status"] in ("succeeded", "processing", "canceled"):
            error = {
                "type": "invalid_request_error",
                "code": "payment_intent_unexpected_state",
                "message": "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent['status']}.",
            }
            return self._answer(recorded, {"error": error}, status=400)
        intent["status"] = "canceled"
        intent["cancellation_reason"] = recorded.form.get("cancellation_reason")
        intent["next_action"] = None
        return self._answer(recorded, dict(intent))

    async def _retrieve_refund(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        refund = self.refunds.get(request.path_params["id"])
        if refund is None:
            error = {"type": "invalid_request_error", "code": "resource_missing"}
            return JSONResponse({"error": error}, status_code=404)
        body = dict(refund)
        txn = self.settlements.get(refund["id"])
        expanded = ("expand[0]", "balance_transaction") in recorded.query
        body["balance_transaction"] = (txn if expanded else txn["id"]) if txn else None
        return JSONResponse(body)

    async def _create_refund(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        intent = self.intents.get(recorded.form.get("payment_intent", ""))
        if intent is None:
            error = {"type": "invalid_request_error", "code": "resource_missing"}
            return self._answer(recorded, {"error": error}, status=400)
        refund = {
            "id": self._id("re"),
            "object": "refund",
            "amount": int(recorded.form.get("amount", intent["amount"])),
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "metadata": recorded.form.get("metadata", {}),
        }
        self.refunds[refund["id"]] = refund
        return self._answer(recorded, refund)

    async def _create_customer(self, request: Request) -> Response:
        recorded = await self._record(request)
        if (scripted := await self._scripted(recorded)) is not None:
            return scripted
        customer = {"id": self._id("cus"), "object": "customer", "email": recorded.form["email"]}
        self.customers[customer["id"]] = customer
        return self._answer(recorded, customer)
