"""The built-in test gateway: a card processor for the embedded shop, no account needed.

It behaves like Stripe's test mode. `create_payment` answers a payment that waits for the
shopper (REQUIRES_ACTION) with a client secret; the storefront then "pays" with one of the
documented test card numbers (`pay_with_test_card`):

| card                  | outcome                                                          |
|-----------------------|------------------------------------------------------------------|
| 4242 4242 4242 4242   | succeeds                                                         |
| 4000 0000 0000 0002   | declined (`card_declined`)                                       |
| 4000 0000 0000 9995   | declined (`insufficient_funds`)                                  |
| 4000 0025 0000 3155   | needs an extra step (3-D Secure): `confirm_test_payment` ends it |
| 4000 0000 0000 0077   | succeeds, but settles later                                      |

Each outcome becomes a provider notification (`payment_intent.succeeded`, ...) with an
event id `evt_test_...`, processed by `services.payments.events.process`, the same path as
Stripe's webhooks. Its settlement is in the shop currency, at the rate `services.currency`
quotes at that moment, less a fee of 2.9 % + 0.30.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.accounts.tokens import signing_key
from services.auth import Viewer
from services.currency import rates
from services.money import Money, currency_exponent
from services.payments import events, gateways
from services.payments.errors import PaymentErrorCode, fail, not_found
from services.payments.gateway import (
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)
from settings import get_settings

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
NEEDS_AUTHENTICATION = "4000002500003155"
SETTLES_LATE = "4000000000000077"

#: The fee the test gateway keeps: a share of the gross, plus a fixed amount.
FEE_SHARE = Decimal("0.029")
FEE_FIXED = Decimal("0.30")
#: Significant digits of the settlement rate.
RATE_DIGITS = 12

#: The extra step's kind, as `Payment.next_action["type"]`.
CONFIRM_STEP = "confirm_test_payment"


@dataclass(frozen=True, slots=True)
class Decline:
    code: str
    message: str


DECLINES = {
    DECLINED: Decline("card_declined", "Your card was declined. Try another card."),
    INSUFFICIENT_FUNDS: Decline(
        "insufficient_funds", "Your card has insufficient funds. Try another card."
    ),
}
KNOWN_CARDS = frozenset({SUCCEEDS, NEEDS_AUTHENTICATION, SETTLES_LATE, *DECLINES})


def client_secret_for(provider_id: str) -> str:
    """The secret that lets the storefront act on one payment; derived, never stored."""
    key = signing_key(get_settings()).encode()
    digest = hmac.new(key, f"test-payment:{provider_id}".encode(), hashlib.sha256).hexdigest()
    return f"test_secret_{provider_id}_{digest[:24]}"


class TestGateway:
    """The embedded shop's card processor (see the module's documentation)."""

    __test__ = False  # not a pytest test class, whatever its name
    name = Gateway.TEST
    methods: tuple[str, ...] = ("card",)

    def methods_for(self, currency: str, country: str) -> list[str]:
        return list(self.methods)

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        # Deterministic, like an idempotency key: a retry finds the same payment.
        provider_id = f"test_pi_{request.order_number}_{request.attempt}"
        return GatewayPayment(
            provider_id=provider_id,
            status=PaymentStatus.REQUIRES_ACTION,
            client_secret=client_secret_for(provider_id),
            next_action={"type": "enter_test_card"},
        )

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        return GatewayRefund(
            provider_id=f"test_re_{request.payment_id}_{request.sequence}",
            status=RefundStatus.SUCCEEDED,
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        payment = await Payment.get_or_none(provider_id=provider_payment_id)
        if payment is None:
            return PaymentStatus.CANCELED
        if PaymentStatus(payment.status) in (PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED):
            return PaymentStatus.SUCCEEDED
        return PaymentStatus.CANCELED

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        return None  # its outcomes are applied as they happen: none is ever missed

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        return None  # its refunds succeed at once

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        payment = await Payment.get_or_none(provider_id=provider_payment_id)
        if payment is None or payment.status not in (
            PaymentStatus.SUCCEEDED,
            PaymentStatus.FLAGGED,
        ):
            return None
        return await settlement_for(payment.amount, payment.currency, provider_payment_id)

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """The refund at today's quote, as the money leaves the shop's balance now; the
        provider keeps its fee on the payment, as Stripe does."""
        refund = await Refund.get_or_none(provider_id=provider_refund_id).prefetch_related(
            "payment"
        )
        if refund is None or RefundStatus(refund.status) is not RefundStatus.SUCCEEDED:
            return None
        paid = await settlement_for(
            refund.amount, refund.payment.currency, provider_refund_id, fee=False
        )
        return Settlement(
            currency=paid.currency,
            net=-paid.net,
            fee=0,
            rate=paid.rate,
            balance_transaction_id=paid.balance_transaction_id,
        )


async def settlement_for(
    amount: int, currency: str, provider_id: str, *, fee: bool = True
) -> Settlement:
    """`amount` minor units of `currency` settled in the shop currency at today's quote,
    less the gateway's fee unless `fee` is off."""
    shop = get_settings().shop_currency
    quote = await rates.quote(currency)
    with localcontext() as ctx:
        ctx.prec = 50
        # The quote is presentment units per shop unit.
        presented = Decimal(amount).scaleb(-currency_exponent(currency))
        gross_shop = Money.from_decimal(
            (presented / quote.rate).quantize(
                Decimal(1).scaleb(-currency_exponent(shop)), rounding=ROUND_HALF_UP
            ),
            shop,
        )
        share = (Decimal(gross_shop.minor) * FEE_SHARE).to_integral_value(ROUND_HALF_UP)
        kept = int(share) + Money.from_decimal(FEE_FIXED, shop).minor if fee else 0
        rate = "" if currency == shop else _significant(1 / quote.rate)
    return Settlement(
        currency=shop,
        net=gross_shop.minor - kept,
        fee=kept,
        rate=rate,
        balance_transaction_id=f"txn_test_{provider_id}",
    )


def _significant(value: Decimal) -> str:
    with localcontext() as ctx:
        ctx.prec = RATE_DIGITS
        return format(+value, "f")


def normalize_card(number: str) -> str:
    return re.sub(r"[\s-]", "", number)


async def _payment_for_shopper(
    payment_id: int, viewer: Viewer, client_secret: str | None
) -> Payment:
    """The test payment, for its order's signed-in shopper or whoever holds its secret."""
    payment = await Payment.get_or_none(id=payment_id).prefetch_related("order")
    if payment is None:
        raise not_found("The payment", "payment_id")
    owner = payment.order.user_id
    is_owner = owner is not None and owner == viewer.user_id
    proven = bool(
        client_secret
        and payment.provider_id
        and hmac.compare_digest(client_secret, client_secret_for(payment.provider_id))
    )
    if not (is_owner or proven):
        # Indistinguishable from a payment that does not exist.
        raise not_found("The payment", "payment_id")
    # Test cards move no money: once the shop takes real payments, an attempt left open
    # from before must not become "paid" with one.
    if payment.gateway != Gateway.TEST or Gateway.TEST not in gateways.enabled():
        raise fail(
            PaymentErrorCode.NOT_TEST_GATEWAY,
            "Only payments through the test gateway take test cards.",
            "payment_id",
        )
    return payment


def _not_waiting(payment: Payment) -> Exception:
    return fail(
        PaymentErrorCode.ILLEGAL_STATE,
        f"This payment is {PaymentStatus(payment.status).value.replace('_', ' ')}; "
        "start a new payment to pay again.",
        "payment_id",
    )


def _intent(payment: Payment, **fields: object) -> dict[str, object]:
    """The event object the test gateway sends about a payment, shaped like Stripe's."""
    assert payment.provider_id is not None
    return {
        "object": "payment_intent",
        "id": payment.provider_id,
        "amount": payment.amount,
        "currency": payment.currency.lower(),
        **fields,
    }


async def pay_with_test_card(
    payment_id: int, card_number: str, *, viewer: Viewer, client_secret: str | None = None
) -> Payment:
    """Pay a waiting test payment with a documented test card; returns the payment after
    the resulting notification was processed."""
    payment = await _payment_for_shopper(payment_id, viewer, client_secret)
    card = normalize_card(card_number)
    if not card:
        raise fail(PaymentErrorCode.REQUIRED, "Give a card number.", "card_number")
    if card not in KNOWN_CARDS:
        raise fail(
            PaymentErrorCode.INVALID,
            "Use one of the documented test card numbers, such as 4242 4242 4242 4242.",
            "card_number",
        )
    if (
        payment.status != PaymentStatus.REQUIRES_ACTION
        or payment.next_action.get("type") == CONFIRM_STEP
    ):
        raise _not_waiting(payment)
    gateway = TestGateway()
    pid = payment.provider_id
    if card in DECLINES:
        decline = DECLINES[card]
        error = {"type": "card_error", "code": "card_declined", "message": decline.message}
        if decline.code != "card_declined":
            error["decline_code"] = decline.code
        await events.process(
            gateway,
            f"evt_test_{pid}_failed",
            events.FAILED,
            _intent(payment, status="requires_payment_method", last_payment_error=error),
        )
    elif card == NEEDS_AUTHENTICATION:
        action = {
            "type": CONFIRM_STEP,
            "confirm_url": f"/test-gateway/confirm?payment={pid}",
        }
        await events.process(
            gateway,
            f"evt_test_{pid}_requires_action",
            events.REQUIRES_ACTION,
            _intent(payment, status="requires_action", next_action=action),
        )
    else:
        await _succeed(gateway, payment, late=card == SETTLES_LATE)
    return await Payment.get(id=payment.id)


async def confirm_test_payment(
    payment_id: int, *, viewer: Viewer, client_secret: str | None = None
) -> Payment:
    """Complete the extra step a test card asked for: the payment succeeds."""
    payment = await _payment_for_shopper(payment_id, viewer, client_secret)
    if (
        payment.status != PaymentStatus.REQUIRES_ACTION
        or payment.next_action.get("type") != CONFIRM_STEP
    ):
        raise fail(
            PaymentErrorCode.ILLEGAL_STATE,
            "This payment has no step to confirm.",
            "payment_id",
        )
    await _succeed(TestGateway(), payment, late=False)
    return await Payment.get(id=payment.id)


async def _succeed(gateway: TestGateway, payment: Payment, *, late: bool) -> None:
    pid = payment.provider_id
    charge = {
        "object": "charge",
        "id": f"test_ch_{pid}",
        "balance_transaction": None if late else f"txn_test_{pid}",
    }
    await events.process(
        gateway,
        f"evt_test_{pid}_succeeded",
        events.SUCCEEDED,
        _intent(payment, status="succeeded", amount_received=payment.amount, latest_charge=charge),
    )
