"""Staff payment root fields: refunding a payment and the settlement report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from models.orders import Order
from models.payments import Payment
from schema.context import Info
from schema.errors import BadUserInput
from schema.payments_admin import (
    RefundPaymentInput,
    RefundPaymentPayload,
    SettlementReportType,
    refund_errors,
)
from schema.permissions import CanManageOrders, CanReadReports
from schema.relay import decode_id
from services.money import InvalidAmount, Money
from services.payments import refunds, settlement
from services.payments.errors import PaymentErrorCode
from settings import get_settings


@strawberry.type
class PaymentsAdminQuery:
    @strawberry.field(
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
        try:
            report = await settlement.settlement_report(start, end)
        except settlement.ReportError as exc:
            raise BadUserInput.from_service_error(exc) from None
        return SettlementReportType.build(report)


@strawberry.type
class PaymentsAdminMutation:
    @strawberry.mutation(
        permission_classes=[CanManageOrders],
        description="Refund part or all of a succeeded payment through the gateway that took "
        "it (a bank transfer: record the refund staff sent by hand); never more than was "
        "captured and not yet refunded.",
    )
    async def refund_payment(self, info: Info, input: RefundPaymentInput) -> RefundPaymentPayload:
        pk = decode_id(input.payment_id, "Payment") or 0
        payment = await Payment.get_or_none(id=pk)
        try:
            if payment is None:
                raise refunds.fail(
                    PaymentErrorCode.NOT_FOUND, "The payment does not exist.", "paymentId"
                )
            try:
                amount = Money.from_decimal(input.amount, payment.currency).minor
            except InvalidAmount as exc:
                raise refunds.fail(PaymentErrorCode.INVALID, str(exc), "amount") from None
            sent = None
            if input.amount_sent is not None:
                try:
                    shop = get_settings().shop_currency
                    sent = Money.from_decimal(input.amount_sent, shop).minor
                except InvalidAmount as exc:
                    raise refunds.fail(PaymentErrorCode.INVALID, str(exc), "amountSent") from None
            refund = await refunds.refund_payment(
                payment.id, amount, input.reason, info.context.viewer.user_id, sent=sent
            )
        except refunds.RefundFailed as exc:
            assert payment is not None
            return RefundPaymentPayload.of(exc.refund, payment, None, refund_errors(exc))
        except refunds.RefundError as exc:
            return RefundPaymentPayload(errors=refund_errors(exc))
        fresh = await Payment.get(id=payment.id)
        order = await Order.get(id=payment.order_id)
        return RefundPaymentPayload.of(refund, fresh, order)
