"""Coupons root fields: catalog staff keep the codes; any shopper may check one.

Coupons are marketing, which sits with the `catalog` permission in our staff list (the
people who set prices and promotions), so every staff field needs `CanManageCatalog`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import strawberry
from tortoise import timezone

from schema.context import Info
from schema.coupons import (
    CouponCheckType,
    CouponConnection,
    CouponFilter,
    CouponQuoteType,
    CouponType,
    CreateCouponInput,
    CreateCouponPayload,
    DeactivateCouponInput,
    DeactivateCouponPayload,
    DeleteCouponInput,
    DeleteCouponPayload,
    UpdateCouponInput,
    UpdateCouponPayload,
)
from schema.currency import shown_prices
from schema.errors import BadUserInput
from schema.kit import (
    connection,
    field_with_errors,
    input_pk,
    mutation,
    page_or_error,
    pk_or_none,
    refused,
)
from schema.money import CurrencyCode
from schema.permissions import CanManageCatalog
from schema.relay import page_request
from services.coupons import coupons, pricing
from services.coupons.errors import CouponErrorCode
from services.currency import convert
from services.money import InvalidAmount


def _sentence(exc: Exception) -> str:
    return f"{exc}."


def coupon_fields(input: Any) -> coupons.CouponFields:
    """The fields an input gives, as the service takes them (global IDs decoded)."""
    data = {
        f.name: value
        for f in dataclasses.fields(input)
        if f.name != "id" and (value := getattr(input, f.name)) is not strawberry.UNSET
    }
    if "eligible_tiers" in data:
        given = data.pop("eligible_tiers") or []
        data["tier_ids"] = [
            input_pk(t, "MembershipTier", "eligibleTiers", what="The membershiptier") for t in given
        ]
    if data.get("owner_id") is not None:
        data["owner_id"] = input_pk(data["owner_id"], "User", "ownerId", what="The user")
    return coupons.CouponFields(**data)  # type: ignore[typeddict-item]


@strawberry.type
class CouponsQuery:
    @strawberry.field(permission_classes=[CanManageCatalog], description="Coupons, newest first.")
    async def coupons(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: CouponFilter | None = None,
    ) -> CouponConnection:
        given = filter or CouponFilter()
        service_filter = coupons.CouponFilter(active=given.active, search=given.search)
        page = await page_or_error(
            coupons.list_coupons(
                service_filter,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.coupon.prime_all(page.items)
        return connection(
            CouponConnection,
            page,
            [CouponType.build(c) for c in page.items],
            coupons.coupon_queryset(service_filter).count,
        )

    @strawberry.field(
        permission_classes=[CanManageCatalog], description="One coupon by ID or code."
    )
    async def coupon(
        self, info: Info, id: strawberry.ID | None = None, code: str | None = None
    ) -> CouponType | None:
        if (id is None) == (code is None):
            raise BadUserInput("Give exactly one of `id` and `code`.")
        if id is not None:
            pk = pk_or_none(id, "Coupon")
            row = await info.context.loaders.coupon.load(pk) if pk else None
        else:
            row = await coupons.coupon_by_code(code or "")
        return CouponType.build(row) if row else None

    @field_with_errors(
        description="What a code would take off a cart of this merchandise subtotal, or why "
        "it is refused; for the viewer's account and membership tier. `subtotal` and "
        "`shippingTotal` are in the answer's currency (`currency`, else X-Currency, else "
        "the member's, else the shop's), as the cart shows them; so are the amounts answered."
    )
    async def check_coupon(
        self,
        info: Info,
        code: str,
        subtotal: Decimal,
        shipping_total: Decimal | None = None,
        currency: CurrencyCode | None = None,
    ) -> CouponCheckType:
        ctx = info.context
        prices = await shown_prices(info, currency)
        shown = prices.code()
        with refused(InvalidAmount, CouponErrorCode.INVALID_AMOUNT, "subtotal", message=_sentence):
            merchandise = convert.minor_of(subtotal, prices.currency)
            shipping = convert.minor_of(shipping_total or 0, prices.currency)
        viewer = ctx.viewer
        user = await ctx.loaders.user.load(viewer.user_id) if viewer.user_id else None
        quote = await pricing.check_coupon(
            code,
            user_id=viewer.user_id,
            email=user.email if user else None,
            tier_id=viewer.tier_id,
            shown_subtotal=merchandise,
            shown_shipping=shipping,
            rate=prices.quote,
            now=timezone.now(),
            locale=ctx.locale,
        )
        return CouponCheckType(currency=shown, quote=CouponQuoteType.build(quote, ctx.locale))


@strawberry.type
class CouponsMutation:
    @mutation(permission_classes=[CanManageCatalog])
    async def create_coupon(self, info: Info, input: CreateCouponInput) -> CreateCouponPayload:
        coupon = await coupons.create_coupon(coupon_fields(input))
        return CreateCouponPayload(coupon=CouponType.build(coupon))

    @mutation(permission_classes=[CanManageCatalog])
    async def update_coupon(self, info: Info, input: UpdateCouponInput) -> UpdateCouponPayload:
        coupon = await coupons.update_coupon(
            input_pk(input.id, "Coupon", "id", what="The coupon"), coupon_fields(input)
        )
        return UpdateCouponPayload(coupon=CouponType.build(coupon))

    @mutation(permission_classes=[CanManageCatalog], description="Stop the code being accepted.")
    async def deactivate_coupon(
        self, info: Info, input: DeactivateCouponInput
    ) -> DeactivateCouponPayload:
        coupon = await coupons.deactivate_coupon(
            input_pk(input.id, "Coupon", "id", what="The coupon")
        )
        return DeactivateCouponPayload(coupon=CouponType.build(coupon))

    @mutation(
        permission_classes=[CanManageCatalog],
        description="Delete a coupon that was never used; deactivate used ones instead.",
    )
    async def delete_coupon(self, info: Info, input: DeleteCouponInput) -> DeleteCouponPayload:
        await coupons.delete_coupon(input_pk(input.id, "Coupon", "id", what="The coupon"))
        return DeleteCouponPayload(deleted_id=input.id)
