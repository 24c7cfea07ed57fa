"""The `Payment` type, the payment mutations' inputs and payloads, and the payments error.

A `Payment` is shown to the shopper who placed its order and to staff (through
`Order.payments`, or the payload of the shopper's own mutation); the settlement and the
reason a payment was flagged are for staff only. The client secret appears only in the
payload of the mutation that created the payment: it is never stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from models.payments import Gateway, Payment, PaymentStatus
from schema.context import Info
from schema.errors import UserError
from schema.money import MoneyType
from schema.relay import encode_id
from services.auth import StaffPermission
from services.payments import qr
from services.payments.errors import PaymentErrorCode

if TYPE_CHECKING:
    from schema.payments_admin import RefundType

PaymentStatusEnum = strawberry.enum(
    PaymentStatus,
    name="PaymentStatus",
    description="Where a payment attempt is: REQUIRES_ACTION (waiting for the shopper), "
    "PROCESSING, SUCCEEDED, FAILED, CANCELED, or FLAGGED for staff (money that does not "
    "match the order, or a dispute).",
)
PaymentGatewayEnum = strawberry.enum(Gateway, name="PaymentGateway")
PaymentErrorCodeEnum = strawberry.enum(PaymentErrorCode, name="PaymentErrorCode")


@strawberry.type(name="PaymentError")
class PaymentErrorType(UserError):
    code: PaymentErrorCodeEnum  # type: ignore[valid-type]


def _staff(info: Info) -> bool:
    return info.context.viewer.can(StaffPermission.ORDERS)


def _qr_code(payment: Payment) -> str | None:
    """The QR code of an attempt still waiting to be scanned."""
    if PaymentStatus(payment.status) is not PaymentStatus.REQUIRES_ACTION:
        return None
    data = qr.scan_data(payment.next_action)
    return qr.data_url(data) if data is not None else None


@strawberry.type(name="Payment", description="One attempt to pay an order.")
class PaymentType:
    id: strawberry.ID
    attempt: int = strawberry.field(description="1 for the order's first attempt, then 2, 3.")
    status: PaymentStatusEnum  # type: ignore[valid-type]
    gateway: PaymentGatewayEnum  # type: ignore[valid-type]
    method: str = strawberry.field(description="card, alipay, wechat_pay, paypal, ...")
    amount: MoneyType = strawberry.field(description="In the order's (presentment) currency.")
    amount_received: MoneyType
    amount_refunded: MoneyType
    client_secret: str | None = strawberry.field(
        description="For the storefront to complete the payment with the provider; only in "
        "the payload of the mutation that created it."
    )
    publishable_key: str | None = strawberry.field(
        description="The provider's public key for its own script (Stripe.js), which the "
        "storefront completes the payment with; beside the client secret, when the shop "
        "configured one."
    )
    next_action: JSON | None = strawberry.field(
        description="What the shopper must do next, as the provider describes it."
    )
    failure_code: str | None
    failure_message: str | None = strawberry.field(
        description="Why the payment failed, for the shopper to read."
    )
    qr_code: str | None = strawberry.field(
        description="For a `display_qr_code` next action (WeChat Pay, Alipay): the code the "
        "shopper scans with the provider's app, as a `data:` URL of an SVG image."
    )
    created_at: datetime
    succeeded_at: datetime | None
    _payment: strawberry.Private[Payment]

    @classmethod
    def build(
        cls,
        payment: Payment,
        *,
        client_secret: str | None = None,
        publishable_key: str | None = None,
    ) -> PaymentType:
        currency = payment.currency
        return cls(
            id=encode_id("Payment", payment.id),
            attempt=payment.attempt,
            status=PaymentStatus(payment.status),
            gateway=Gateway(payment.gateway),
            method=payment.method,
            amount=MoneyType.minor(payment.amount, currency),
            amount_received=MoneyType.minor(payment.amount_received, currency),
            amount_refunded=MoneyType.minor(payment.amount_refunded, currency),
            client_secret=client_secret,
            publishable_key=publishable_key if client_secret else None,
            next_action=cast(Any, dict(payment.next_action) or None),
            failure_code=payment.failure_code or None,
            failure_message=payment.failure_message or None,
            qr_code=_qr_code(payment),
            created_at=payment.created_at,
            succeeded_at=payment.succeeded_at,
            _payment=payment,
        )

    @strawberry.field(
        description="The refunds of the payment, newest first, failed ones too (staff only: "
        "empty for others, who see `amountRefunded`)."
    )
    async def refunds(
        self, info: Info
    ) -> list[Annotated[RefundType, strawberry.lazy("schema.payments_admin")]]:
        from schema.payments_admin import RefundType

        if not _staff(info):
            return []
        p = self._payment
        rows = await info.context.loaders.refunds_by_payment.load(p.id)
        return [RefundType.build(row, p.currency, p.settlement_currency) for row in rows]

    @strawberry.field(description="The provider's id for the attempt (staff only).")
    def provider_id(self, info: Info) -> str | None:
        return self._payment.provider_id if _staff(info) else None

    @strawberry.field(description="Why staff must look at it (staff only).")
    def flagged_reason(self, info: Info) -> str | None:
        return (self._payment.flagged_reason or None) if _staff(info) else None

    @strawberry.field(
        description="What arrived in the shop's settlement currency after the provider's fee "
        "(staff only; null until the provider settles)."
    )
    def settled_amount(self, info: Info) -> MoneyType | None:
        p = self._payment
        if not _staff(info) or p.settled_amount is None or not p.settlement_currency:
            return None
        return MoneyType.minor(p.settled_amount, p.settlement_currency)

    @strawberry.field(description="The provider's fee, in the settlement currency (staff only).")
    def fee(self, info: Info) -> MoneyType | None:
        p = self._payment
        if not _staff(info) or p.fee is None or not p.settlement_currency:
            return None
        return MoneyType.minor(p.fee, p.settlement_currency)

    @strawberry.field(
        description="Settlement units per presentment unit the provider applied, as a decimal "
        "string; null when the same currency (staff only)."
    )
    def provider_rate(self, info: Info) -> str | None:
        return (self._payment.provider_rate or None) if _staff(info) else None


async def payments_of_order(info: Info, order_id: int) -> list[PaymentType]:
    """An order's attempts, newest first; the caller has checked the viewer may see it."""
    rows = await info.context.loaders.payments_by_order.load(order_id)
    return [PaymentType.build(row) for row in rows]


@strawberry.input
class CreatePaymentInput:
    order_number: str
    method: str = strawberry.field(description="One of `paymentMethods(orderNumber)`.")
    email: str | None = strawberry.field(
        default=None, description="A guest order's email, as proof that it is theirs."
    )
    return_url: str | None = strawberry.field(
        default=None, description="Where the provider sends the shopper back after a redirect."
    )
    mobile: bool = strawberry.field(
        default=False,
        description="The shopper pays on a phone: providers with an app to switch to (WeChat "
        "Pay, Alipay) send them to its page instead of showing a QR code to scan.",
    )


@strawberry.input
class PayWithTestCardInput:
    payment_id: strawberry.ID
    card_number: str = strawberry.field(
        description="A documented test card: 4242 4242 4242 4242 succeeds, "
        "4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has insufficient funds, "
        "4000 0025 0000 3155 needs a confirmation step, 4000 0000 0000 0077 settles late."
    )
    client_secret: str | None = strawberry.field(
        default=None,
        description="The payment's client secret; needed unless the signed-in shopper owns it.",
    )


@strawberry.input
class CompletePaymentInput:
    payment_id: strawberry.ID
    email: str | None = strawberry.field(
        default=None, description="A guest order's email, as proof that it is theirs."
    )


@strawberry.input
class ConfirmTestPaymentInput:
    payment_id: strawberry.ID
    client_secret: str | None = None


@strawberry.type
class PaymentPayload:
    payment: PaymentType | None = None
    errors: list[PaymentErrorType] = strawberry.field(default_factory=list)
