"""Coupons loaders."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader
from models.coupons import Coupon


class CouponByIdLoader(ByIdLoader[Coupon]):
    model = Coupon


class CouponsLoaders:
    """The coupons loaders of a request, each built on first use."""

    @cached_property
    def coupon(self) -> CouponByIdLoader:
        return CouponByIdLoader()
