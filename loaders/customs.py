"""Customs loaders: each order's duties and import taxes, the merchant's duty rates by id."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader, ManyByLoader
from models.customs import DutyRate, OrderCharge


class ChargesByOrderIdLoader(ManyByLoader[OrderCharge]):
    """An order's duties and import taxes, in the order they were quoted."""

    model = OrderCharge
    key_field = "order_id"


class DutyRateByIdLoader(ByIdLoader[DutyRate]):
    model = DutyRate


class CustomsLoaders:
    """The customs loaders of a request, each built on first use."""

    @cached_property
    def charges_by_order(self) -> ChargesByOrderIdLoader:
        return ChargesByOrderIdLoader()

    @cached_property
    def duty_rate(self) -> DutyRateByIdLoader:
        return DutyRateByIdLoader()
