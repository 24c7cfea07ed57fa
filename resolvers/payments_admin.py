"""Staff payment root fields: refunding a payment, the settlement report and the payments
needing attention."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from models.orders import Order
from models.payments import Payment
from schema.context import Info
from schema.kit import mutation, pk_or_none, query, refused
from schema.payments_admin import (
    PaymentAttentionType,
    RefundPaymentInput,
    RefundPaymentPayload,
    SettlementReportType,
)
from schema.permissions import CanManageOrders, CanReadReports
from services.money import InvalidAmount, Money
from services.payments import attention, refunds, settlement
from services.payments.errors import PaymentErrorCode
from settings import get_settings


@strawberry.type
class PaymentsAdminQuery:
    @query(
        permission_classes=[CanReadReports],
        description="Gross, refunds, fees, net and exchange gain or loss per currency and "
        "method, over whole UTC days from `from` to `to` included.",
    )
    async def settlement_report(
        self,
        info: Info,
        start: Annotated[date, strawberry.argument(name="from")],
        end: Annotated[date, strawberry.argument(name="to")],
    ) -> SettlementReportType:
        return SettlementReportType.build(await settlement.settlement_report(start, end))

    @query(
        permission_classes=[CanReadReports],
        description="Payments and refunds staff should look at, newest first: disputes and "
        "other flags, amounts that do not match, failed attempts of unpaid orders, refunds "
        "the provider refused, and payments or refunds waiting longer than "
        "`stuckAfterHours` (1 to 2160). `first`: 1 to 200.",
    )
    async def payments_needing_attention(
        self,
        info: Info,
        first: int = attention.DEFAULT_LIMIT,
        stuck_after_hours: int = attention.DEFAULT_STUCK_AFTER_HOURS,
    ) -> list[PaymentAttentionType]:
        found = await attention.payments_needing_attention(
            limit=first, stuck_after_hours=stuck_after_hours
        )
        return [PaymentAttentionType.build(item) for item in found]


@strawberry.type
class PaymentsAdminMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Refund part or all of a succeeded payment through the gateway that took "
        "it (a bank transfer: record the refund staff sent by hand); never more than was "
        "captured and not yet refunded.",
    )
    async def refund_payment(self, info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
        payment = await Payment.get_or_none(id=pk_or_none(input.payment_id, "Payment") or 0)
        if payment is None:
            raise refunds.fail(
                PaymentErrorCode.NOT_FOUND, "The payment does not exist.", "paymentId"
            )
        with refused(InvalidAmount, PaymentErrorCode.INVALID, "amount"):
            amount = Money.from_decimal(input.amount, payment.currency).minor
        sent = None
        if input.amount_sent is not None:
            with refused(InvalidAmount, PaymentErrorCode.INVALID, "amountSent"):
                sent = Money.from_decimal(input.amount_sent, get_settings().shop_currency).minor
        refund = await refunds.refund_payment(
            payment.id, amount, input.reason, info.context.viewer.user_id, sent=sent
        )
        fresh = await Payment.get(id=payment.id)
        order = await Order.get(id=payment.order_id)
        return RefundPaymentPayload.of(refund, fresh, order)
