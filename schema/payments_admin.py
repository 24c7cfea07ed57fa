"""Staff payment types: refunds, their mutation's input and payload, the settlement report
and the payments needing attention."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from models.customs import ChargeKind
from models.orders import Order
from models.payments import Payment, Refund, RefundStatus
from schema.errors import UserError
from schema.kit import errors_for
from schema.money import MoneyType
from schema.orders.customs import ChargeKindEnum
from schema.orders.types import OrderType
from schema.payments import PaymentErrorCodeEnum, PaymentType
from schema.relay import encode_id
from services.errors import ServiceError
from services.payments.attention import Attention, AttentionKind
from services.payments.refunds import RefundFailed
from services.payments.settlement import (
    CustomsCollected,
    SettlementReport,
    SettlementRow,
    SettlementTotals,
)

RefundStatusEnum = strawberry.enum(RefundStatus, name="RefundStatus")


@strawberry.type(name="RefundError")
class RefundErrorType(UserError):
    code: PaymentErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type(name="Refund", description="Part or all of a payment given back to the shopper.")
class RefundType:
    id: strawberry.ID
    sequence: int = strawberry.field(description="1, 2, 3 per payment.")
    status: RefundStatusEnum  # type: ignore[valid-type]
    amount: MoneyType = strawberry.field(description="In the payment's currency.")
    reason: str
    failure_message: str | None
    settled_amount: MoneyType | None = strawberry.field(
        description="What left the shop's balance, in the settlement currency (negative)."
    )
    created_at: datetime

    @classmethod
    def build(cls, refund: Refund, currency: str, settlement_currency: str) -> RefundType:
        settled = None
        if refund.settled_amount is not None and settlement_currency:
            settled = MoneyType.minor(refund.settled_amount, settlement_currency)
        return cls(
            id=encode_id("Refund", refund.id),
            sequence=refund.sequence,
            status=RefundStatus(refund.status),
            amount=MoneyType.minor(refund.amount, currency),
            reason=refund.reason,
            failure_message=refund.failure_message or None,
            settled_amount=settled,
            created_at=refund.created_at,
        )


@strawberry.input
class RefundPaymentInput:
    payment_id: strawberry.ID
    amount: Decimal = strawberry.field(
        description="How much to refund, as a decimal string in the payment's currency."
    )
    reason: str
    amount_sent: Decimal | None = strawberry.field(
        default=None,
        description="Refunds made by hand (a bank transfer confirmed by staff): what left "
        "the shop's account, in the shop currency. Gateway refunds take it from the provider.",
    )


@strawberry.type(description="The refund, and the order it was reflected in.")
class RefundPaymentPayload:
    refund: RefundType | None = None
    payment: PaymentType | None = None
    order: OrderType | None = None
    errors: list[RefundErrorType] = strawberry.field(default_factory=list)

    @classmethod
    def of(
        cls,
        refund: Refund,
        payment: Payment,
        order: Order | None,
        errors: list[RefundErrorType] | None = None,
    ) -> RefundPaymentPayload:
        return cls(
            refund=RefundType.build(refund, payment.currency, payment.settlement_currency),
            payment=PaymentType.build(payment),
            order=OrderType.build(order) if order else None,
            errors=errors or [],
        )

    @classmethod
    async def from_service_error(
        cls, exc: ServiceError, info: Any, arguments: dict[str, Any]
    ) -> RefundPaymentPayload:
        """A refund the provider refused is recorded: the payload shows it with the errors."""
        errors = errors_for(cls, exc, info)
        if isinstance(exc, RefundFailed):
            payment = await Payment.get(id=exc.refund.payment_id)
            return cls.of(exc.refund, payment, None, errors)
        return cls(errors=errors)


def _money(minor: int | None, currency: str) -> MoneyType | None:
    return MoneyType.minor(minor, currency) if minor is not None and currency else None


@strawberry.type(description="Payments and refunds of one currency, method and settlement.")
class SettlementReportRow:
    currency: str = strawberry.field(description="The presentment currency.")
    method: str
    settlement_currency: str | None
    payments: int = strawberry.field(description="Payments that succeeded in the range.")
    refund_count: int
    gross: MoneyType = strawberry.field(description="Captured, in the presentment currency.")
    refunds: MoneyType = strawberry.field(description="Refunded, in the presentment currency.")
    fees: MoneyType | None = strawberry.field(description="In the settlement currency.")
    net: MoneyType | None = strawberry.field(
        description="What arrived after fees and refunds, in the settlement currency."
    )
    priced: MoneyType | None = strawberry.field(
        description="The settled payments less refunds at the orders' own rates, in the shop "
        "currency."
    )
    exchange_gain: MoneyType | None = strawberry.field(
        description="net + fees - priced: positive when the provider's exchange paid more "
        "than the orders were priced at, negative for a loss. Only when the settlement "
        "currency is the shop currency."
    )

    @classmethod
    def build(cls, row: SettlementRow, shop: str) -> SettlementReportRow:
        settled = row.settlement_currency
        return cls(
            currency=row.currency,
            method=row.method,
            settlement_currency=settled or None,
            payments=row.payments,
            refund_count=row.refund_count,
            gross=MoneyType.minor(row.gross, row.currency),
            refunds=MoneyType.minor(row.refunds, row.currency),
            fees=_money(row.fees, settled),
            net=_money(row.net, settled),
            priced=_money(row.priced if settled else None, shop),
            exchange_gain=_money(row.exchange_gain, settled),
        )


@strawberry.type(description="Totals in one settlement currency.")
class SettlementReportTotals:
    settlement_currency: str
    payments: int
    refund_count: int
    fees: MoneyType
    net: MoneyType
    exchange_gain: MoneyType | None

    @classmethod
    def build(cls, totals: SettlementTotals) -> SettlementReportTotals:
        code = totals.settlement_currency
        return cls(
            settlement_currency=code,
            payments=totals.payments,
            refund_count=totals.refund_count,
            fees=MoneyType.minor(totals.fees, code),
            net=MoneyType.minor(totals.net, code),
            exchange_gain=_money(totals.exchange_gain, code),
        )


@strawberry.type(
    name="SettlementCustoms",
    description="Duties or import taxes of one import regime collected at checkout, in the "
    "shop currency.",
)
class SettlementCustomsType:
    regime: str = strawberry.field(description="The import regime, e.g. EU-IOSS, GB-LVI.")
    kind: ChargeKindEnum  # type: ignore[valid-type]
    orders: int
    collected: MoneyType
    refunded: MoneyType = strawberry.field(description="Given back so far.")
    net: MoneyType = strawberry.field(description="collected - refunded: what is to pay over.")

    @classmethod
    def build(cls, row: CustomsCollected, shop: str) -> SettlementCustomsType:
        return cls(
            regime=row.regime,
            kind=row.kind,
            orders=row.orders,
            collected=MoneyType.minor(row.collected, shop),
            refunded=MoneyType.minor(row.refunded, shop),
            net=MoneyType.minor(row.net, shop),
        )


@strawberry.type(
    name="SettlementReport",
    description="What the shop was paid, refunded and charged over whole UTC days.",
)
class SettlementReportType:
    start: date = strawberry.field(name="from")
    end: date = strawberry.field(name="to")
    shop_currency: str
    rows: list[SettlementReportRow]
    totals: list[SettlementReportTotals]
    duty_collected: MoneyType = strawberry.field(
        description="Duties charged at checkout on the orders paid in the range, in the shop "
        "currency (door estimates excluded)."
    )
    duty_refunded: MoneyType = strawberry.field(description="Of which given back so far.")
    import_tax_collected: MoneyType = strawberry.field(
        description="Import taxes (VAT, GST...) charged at checkout on the orders paid in the "
        "range, in the shop currency."
    )
    import_tax_refunded: MoneyType = strawberry.field(description="Of which given back so far.")
    customs: list[SettlementCustomsType] = strawberry.field(
        description="The same per import regime and kind."
    )

    @classmethod
    def build(cls, report: SettlementReport) -> SettlementReportType:
        shop = report.shop_currency
        return cls(
            start=report.start,
            end=report.end,
            shop_currency=shop,
            rows=[SettlementReportRow.build(row, shop) for row in report.rows],
            totals=[SettlementReportTotals.build(t) for t in report.totals],
            duty_collected=MoneyType.minor(report.duty_total, shop),
            duty_refunded=MoneyType.minor(report.refunded(ChargeKind.DUTY), shop),
            import_tax_collected=MoneyType.minor(report.import_tax_total, shop),
            import_tax_refunded=MoneyType.minor(report.refunded(ChargeKind.IMPORT_TAX), shop),
            customs=[SettlementCustomsType.build(row, shop) for row in report.customs],
        )


PaymentAttentionKindEnum = strawberry.enum(
    AttentionKind,
    name="PaymentAttentionKind",
    description="Why a payment or refund needs staff (see `paymentsNeedingAttention`).",
)


@strawberry.type(name="PaymentAttention", description="A payment or refund for staff to look at.")
class PaymentAttentionType:
    kind: PaymentAttentionKindEnum  # type: ignore[valid-type]
    reason: str = strawberry.field(
        description="Why, in words: the flag's reason, the provider's message or the wait."
    )
    since: datetime = strawberry.field(
        description="When the payment or refund came to be in this state."
    )
    order_number: str
    payment: PaymentType
    refund: RefundType | None = strawberry.field(description="For the refund kinds.")
    order: OrderType

    @classmethod
    def build(cls, item: Attention) -> PaymentAttentionType:
        payment = item.payment
        refund = None
        if item.refund is not None:
            refund = RefundType.build(item.refund, payment.currency, payment.settlement_currency)
        return cls(
            kind=item.kind,
            reason=item.reason,
            since=item.since,
            order_number=payment.order.number,
            payment=PaymentType.build(payment),
            refund=refund,
            order=OrderType.build(payment.order),
        )
