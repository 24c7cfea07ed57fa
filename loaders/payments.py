"""Payments loaders: each order's payment attempts, newest first."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ManyByLoader
from models.payments import Payment


class PaymentsByOrderIdLoader(ManyByLoader[Payment]):
    model = Payment
    key_field = "order_id"


class PaymentsLoaders:
    """The payments loaders of a request, each built on first use."""

    @cached_property
    def payments_by_order(self) -> PaymentsByOrderIdLoader:
        return PaymentsByOrderIdLoader()
