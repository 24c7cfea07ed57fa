"""Payments loaders: each order's payment attempts and each payment's refunds, newest first."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ManyByLoader
from models.payments import Payment, Refund


class PaymentsByOrderIdLoader(ManyByLoader[Payment]):
    model = Payment
    key_field = "order_id"


class RefundsByPaymentIdLoader(ManyByLoader[Refund]):
    model = Refund
    key_field = "payment_id"


class PaymentsLoaders:
    """The payments loaders of a request, each built on first use."""

    @cached_property
    def payments_by_order(self) -> PaymentsByOrderIdLoader:
        return PaymentsByOrderIdLoader()

    @cached_property
    def refunds_by_payment(self) -> RefundsByPaymentIdLoader:
        return RefundsByPaymentIdLoader()
