"""Payments loaders: each order's payment attempts, newest first."""

from __future__ import annotations

from loaders.base import ManyByLoader
from models.payments import Payment


class PaymentsByOrderIdLoader(ManyByLoader[Payment]):
    model = Payment
    key_field = "order_id"
