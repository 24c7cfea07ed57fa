"""Customs loaders: the merchant's duty rates by id."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader
from models.customs import DutyRate


class DutyRateByIdLoader(ByIdLoader[DutyRate]):
    model = DutyRate


class CustomsLoaders:
    """The customs loaders of a request, each built on first use."""

    @cached_property
    def duty_rate(self) -> DutyRateByIdLoader:
        return DutyRateByIdLoader()
