"""One guest checkout over GraphQL, as the probe and the load both run it."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

CURRENCY = "JPY"
DESTINATION = {"country": "JP", "region": "Tokyo", "postalCode": "150-0002"}
TOKYO = {
    "fullName": "Hanako Yamada",
    "line1": "1-2-3 Shibuya",
    "city": "Shibuya-ku",
    "region": "Tokyo",
    "postalCode": "150-0002",
    "country": "JP",
    "phone": "+81 90 1234 5678",
}

ADD_TO_CART = """mutation AddToCart($input: CartLineInput!) {
  addToCart(input: $input) {
    cartToken
    errors { field code message }
    cart { quote { currency itemCount
                   lines { quantity unitPrice { amount currency } lineTotal { amount } inStock }
                   amounts { subtotal { amount currency } total { amount currency } } } }
  }
}"""
CHECKOUT_QUOTE = """query CheckoutQuote($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { field code message }
    quote { currency rate { rate source }
            lines { quantity unitPrice { amount currency } lineTotal { amount } inStock }
            amounts { subtotal { amount } shipping { amount } total { amount currency } }
            shippingOptions { serviceId serviceName price { amount currency } minDays maxDays } }
  }
}"""
PLACE_ORDER = """mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    errors { field code message }
    order { id number status total { amount currency } }
    orderAccessToken
  }
}"""
CREATE_PAYMENT = """mutation CreatePayment($input: CreatePaymentInput!) {
  createPayment(input: $input) {
    errors { field code message }
    payment { id status clientSecret amount { amount currency } }
  }
}"""
PAY_WITH_TEST_CARD = """mutation PayWithTestCard($input: PayWithTestCardInput!) {
  payWithTestCard(input: $input) {
    errors { field code message }
    payment { id status amountReceived { amount } }
  }
}"""
#: The test gateway's card that succeeds.
TEST_CARD = "4242424242424242"
OPS = ("addToCart", "checkoutQuote", "placeOrder", "createPayment", "payWithTestCard")


# ---------------------------------------------------------------- one checkout


#: post(body) -> (HTTP status, response body)
Post = Callable[[bytes], Awaitable[tuple[int, bytes]]]


@dataclass(slots=True)
class Step:
    op: str
    started: float
    finished: float
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """An order a checkout placed, and what its guest holds to follow and pay it."""

    order_id: str
    number: str
    access_token: str
    email: str


@dataclass(frozen=True, slots=True)
class Catalog:
    service_id: str
    variant_ids: list[str]
    #: Whether each checkout also pays its order (`--pay`).
    pay: bool = False


def _body(query: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": query, "variables": variables})


def _payload(op: str, status: int, body: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The mutation's or query's payload, or what is wrong with the answer."""
    if status != 200:
        return None, f"{op}: HTTP {status}"
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, f"{op}: not JSON"
    if document.get("errors"):
        message = str(document["errors"][0].get("message", ""))[:100]
        return None, f"{op}: GraphQL error: {message}"
    payload = (document.get("data") or {}).get(op)
    if not isinstance(payload, dict):
        return None, f"{op}: no payload"
    errors = payload.get("errors") or []
    if errors:
        codes = ",".join(sorted({str(e.get("code")) for e in errors}))
        return None, f"{op}: {codes}"
    return payload, None


Send = Callable[[str, str, dict[str, Any]], Awaitable[dict[str, Any] | None]]


def sender(post: Post, steps: list[Step]) -> Send:
    """send(op, query, variables): the operation's payload, or None (and the problem
    recorded on its step); each request is appended to `steps` with its timing."""
    clock = time.perf_counter

    async def send(op: str, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        started = clock()
        try:
            status, body = await post(_body(query, variables))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            steps.append(Step(op, started, clock(), f"connection: {type(exc).__name__}"))
            return None
        payload, problem = _payload(op, status, body)
        steps.append(Step(op, started, clock(), problem))
        return payload

    return send


async def checkout(
    post: Post, catalog: Catalog, rng: random.Random, shopper: int
) -> tuple[list[Step], Placed | None]:
    """One guest checkout; its steps (stopped at the first problem) and the order placed."""
    steps: list[Step] = []
    send = sender(post, steps)
    email = f"shopper{shopper}@example.jp"

    token: str | None = None
    for variant_id in rng.sample(catalog.variant_ids, rng.randint(1, 3)):
        line = {"cartToken": token, "variantId": variant_id, "quantity": rng.randint(1, 2)}
        added = await send("addToCart", ADD_TO_CART, {"input": line})
        if added is None:
            return steps, None
        token = token or added.get("cartToken")
        if not token:
            steps[-1].problem = "addToCart: no cartToken"
            return steps, None

    quoted = await send(
        "checkoutQuote",
        CHECKOUT_QUOTE,
        {
            "input": {
                "cartToken": token,
                "currency": CURRENCY,
                "destination": DESTINATION,
                "shippingServiceId": catalog.service_id,
            }
        },
    )
    if quoted is None:
        return steps, None
    try:
        total = quoted["quote"]["amounts"]["total"]["amount"]
    except (KeyError, TypeError):
        steps[-1].problem = "checkoutQuote: no total"
        return steps, None

    placed = await send(
        "placeOrder",
        PLACE_ORDER,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": email,
                "shippingAddress": TOKYO,
                "shippingServiceId": catalog.service_id,
                "currency": CURRENCY,
                "expectedTotal": total,
            }
        },
    )
    if placed is None:
        return steps, None
    order = placed.get("order") or {}
    if not order.get("number") or not placed.get("orderAccessToken"):
        steps[-1].problem = "placeOrder: no order"
        return steps, None
    made = Placed(
        order_id=str(order["id"]),
        number=str(order["number"]),
        access_token=str(placed["orderAccessToken"]),
        email=email,
    )
    if catalog.pay and not await pay(send, steps, made.number, email):
        return steps, None
    return steps, made


async def pay(send: Send, steps: list[Step], number: str, email: str) -> bool:
    """Pay a guest's order with the test gateway's succeeding card; False on a problem."""
    created = await send(
        "createPayment",
        CREATE_PAYMENT,
        {"input": {"orderNumber": number, "method": "card", "email": email}},
    )
    payment = (created or {}).get("payment") or {}
    if created is None or not payment.get("clientSecret"):
        if created is not None:
            steps[-1].problem = "createPayment: no client secret"
        return False
    paid = await send(
        "payWithTestCard",
        PAY_WITH_TEST_CARD,
        {
            "input": {
                "paymentId": payment["id"],
                "cardNumber": TEST_CARD,
                "clientSecret": payment["clientSecret"],
            }
        },
    )
    status = ((paid or {}).get("payment") or {}).get("status")
    if paid is not None and status != "SUCCEEDED":
        steps[-1].problem = f"payWithTestCard: {status}"
    return status == "SUCCEEDED"


def load_catalog(path: Path) -> Catalog:
    data = orjson.loads(path.read_bytes())
    return Catalog(
        service_id=data["service_id"],
        variant_ids=list(data["variant_ids"]),
        pay=bool(data.get("pay")),
    )
