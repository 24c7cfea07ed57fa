"""Emails loaders: what the shop sent about each order."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ManyByLoader
from models.emails import SentEmail


class SentEmailsByOrderIdLoader(ManyByLoader[SentEmail]):
    """An order's emails, oldest first (the model's order)."""

    model = SentEmail
    key_field = "order_id"


class EmailsLoaders:
    """The emails loaders of a request, each built on first use."""

    @cached_property
    def emails_by_order(self) -> SentEmailsByOrderIdLoader:
        return SentEmailsByOrderIdLoader()
