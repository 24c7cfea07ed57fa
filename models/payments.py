"""Payment tables: attempts to collect an order's money, refunds, and provider notifications.

Amounts are integer minor units. `amount` is in the order's presentment currency, what
the shopper pays; the settled figures are in the shop's settlement currency, what arrived
after the provider's fee and exchange.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.orders import Order


class Gateway(StrEnum):
    STRIPE = "stripe"
    TEST = "test"  # the built-in gateway of the embedded shop
    ALIPAY = "alipay"
    WECHAT_PAY = "wechat_pay"
    PAYPAL = "paypal"
    BANK_TRANSFER = "bank_transfer"  # confirmed by staff


class PaymentStatus(StrEnum):
    REQUIRES_ACTION = "requires_action"  # waiting for the shopper (3-D Secure, a wallet, a QR)
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    #: Money arrived that does not match the order (amount or currency): for staff to resolve.
    FLAGGED = "flagged"


class Payment(Model):
    """One attempt to collect an order's total through a gateway."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="payments", on_delete=OnDelete.RESTRICT
    )
    order_id: int
    #: 1 for the order's first attempt, then 2, 3: part of the idempotency key sent.
    attempt = fields.IntField()
    gateway = fields.CharEnumField(Gateway, max_length=16)
    #: card, alipay, wechat_pay, paypal, bank_transfer, ...
    method = fields.CharField(max_length=32, default="")
    #: The provider's id for the attempt (a Stripe PaymentIntent `pi_...`).
    provider_id = fields.CharField(max_length=120, null=True, unique=True)
    status = fields.CharEnumField(PaymentStatus, max_length=20)
    currency = fields.CharField(max_length=3)
    amount = fields.BigIntField()
    amount_received = fields.BigIntField(default=0)
    amount_refunded = fields.BigIntField(default=0)
    failure_code = fields.CharField(max_length=80, default="")
    failure_message = fields.CharField(max_length=300, default="")
    flagged_reason = fields.CharField(max_length=300, default="")
    #: What the shopper must do next, as the provider described it (redirect URL, QR code).
    next_action: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    #: Settlement: what arrived in the settlement currency, the fee, and the rate applied.
    settlement_currency = fields.CharField(max_length=3, default="")
    settled_amount = fields.BigIntField(null=True)
    fee = fields.BigIntField(null=True)
    #: Units of the settlement currency per unit of the presentment currency, as a decimal
    #: string, from the provider's balance transaction.
    provider_rate = fields.CharField(max_length=40, default="")
    balance_transaction_id = fields.CharField(max_length=120, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    succeeded_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "payments_payment"
        unique_together = (("order", "attempt"),)
        ordering = ["-created_at", "-id"]


class RefundStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Refund(Model):
    id = fields.IntField(primary_key=True)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "models.Payment", related_name="refunds", on_delete=OnDelete.RESTRICT
    )
    payment_id: int
    #: 1, 2, 3 per payment: part of the idempotency key sent to the provider.
    sequence = fields.IntField()
    provider_id = fields.CharField(max_length=120, null=True, unique=True)
    status = fields.CharEnumField(RefundStatus, max_length=16)
    #: In the payment's (presentment) currency.
    amount = fields.BigIntField()
    reason = fields.CharField(max_length=300)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refunds", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_id: int | None
    settled_amount = fields.BigIntField(null=True)
    fee = fields.BigIntField(null=True)
    provider_rate = fields.CharField(max_length=40, default="")
    failure_message = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payments_refund"
        unique_together = (("payment", "sequence"),)
        ordering = ["-created_at", "-id"]


class WebhookEvent(Model):
    """A provider notification, recorded once by its event id before it is processed."""

    id = fields.IntField(primary_key=True)
    gateway = fields.CharEnumField(Gateway, max_length=16)
    event_id = fields.CharField(max_length=120)
    type = fields.CharField(max_length=80)
    received_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)
    #: What processing concluded, for support: `applied`, `ignored: ...`, `flagged: ...`.
    outcome = fields.CharField(max_length=300, default="")

    class Meta:
        table = "payments_webhook_event"
        unique_together = (("gateway", "event_id"),)


class PaymentMethodSetting(Model):
    """The merchant's rules for one payment method.

    A method without a row is on, with its gateway's own limits, after those that have one.
    """

    id = fields.IntField(primary_key=True)
    #: The shop's method name: card, alipay, wechat_pay, paypal, bank_transfer.
    method = fields.CharField(max_length=32, unique=True)
    #: Off: never offered, and not listed to shoppers as missing.
    enabled = fields.BooleanField(default=True)
    #: ISO 4217 codes the method is offered in (empty: every currency its gateway takes).
    currencies: fields.JSONField[list[str]] = fields.JSONField(default=list)
    #: ISO 3166-1 alpha-2 shipping countries it is offered for (empty: every country).
    countries: fields.JSONField[list[str]] = fields.JSONField(default=list)
    #: The smallest order total it takes, in minor units of the shop currency (none: no limit).
    min_amount = fields.BigIntField(null=True)
    #: The largest order total it takes, in minor units of the shop currency (none: no limit).
    max_amount = fields.BigIntField(null=True)
    #: The merchant's order of the methods, smallest first.
    position = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payments_method_setting"
        ordering = ["position", "method"]
