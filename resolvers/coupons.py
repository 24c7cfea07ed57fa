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

from resolvers.common import page_or_error
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
    coupon_errors,
)
from schema.currency import shown_prices
from schema.errors import BadUserInput
from schema.money import CurrencyCode
from schema.permissions import CanManageCatalog
from schema.relay import decode_id, edges_of, page_request
from services.coupons import coupons, pricing
from services.coupons.errors import CouponError, CouponErrorCode, fail, not_found
from services.currency import convert
from services.money import InvalidAmount


def coupon_pk(value: str, type_name: str = "Coupon", field: str = "id") -> int:
    """The primary key in a global ID, or a NOT_FOUND coupon error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(f"The {type_name.lower()}", field)
    return pk


def coupon_fields(input: Any) -> coupons.CouponFields:
    """The fields an input gives, as the service takes them (global IDs decoded)."""
    data = {
        f.name: value
        for f in dataclasses.fields(input)
        if f.name != "id" and (value := getattr(input, f.name)) is not strawberry.UNSET
    }
    if "eligible_tiers" in data:
        given = data.pop("eligible_tiers") or []
        data["tier_ids"] = [coupon_pk(t, "MembershipTier", "eligibleTiers") for t in given]
    if data.get("owner_id") is not None:
        data["owner_id"] = coupon_pk(data["owner_id"], "User", "ownerId")
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
        edges, page_info = edges_of(page, [CouponType.build(c) for c in page.items])
        return CouponConnection(
            edges=edges, page_info=page_info, _count=coupons.coupon_queryset(service_filter).count
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
            pk = decode_id(id, "Coupon")
            row = await info.context.loaders.coupon.load(pk) if pk else None
        else:
            row = await coupons.coupon_by_code(code or "")
        return CouponType.build(row) if row else None

    @strawberry.field(
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
        try:
            try:
                merchandise = convert.minor_of(subtotal, prices.currency)
                shipping = convert.minor_of(shipping_total or 0, prices.currency)
            except InvalidAmount as exc:
                raise fail(CouponErrorCode.INVALID_AMOUNT, f"{exc}.", "subtotal") from None
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
        except CouponError as exc:
            return CouponCheckType(currency=shown, errors=coupon_errors(exc, info, prices))
        return CouponCheckType(currency=shown, quote=CouponQuoteType.build(quote, ctx.locale))


@strawberry.type
class CouponsMutation:
    @strawberry.mutation(permission_classes=[CanManageCatalog])
    async def create_coupon(self, info: Info, input: CreateCouponInput) -> CreateCouponPayload:
        try:
            coupon = await coupons.create_coupon(coupon_fields(input))
        except CouponError as exc:
            return CreateCouponPayload(errors=coupon_errors(exc, info))
        return CreateCouponPayload(coupon=CouponType.build(coupon))

    @strawberry.mutation(permission_classes=[CanManageCatalog])
    async def update_coupon(self, info: Info, input: UpdateCouponInput) -> UpdateCouponPayload:
        try:
            coupon = await coupons.update_coupon(coupon_pk(input.id), coupon_fields(input))
        except CouponError as exc:
            return UpdateCouponPayload(errors=coupon_errors(exc, info))
        return UpdateCouponPayload(coupon=CouponType.build(coupon))

    @strawberry.mutation(
        permission_classes=[CanManageCatalog], description="Stop the code being accepted."
    )
    async def deactivate_coupon(
        self, info: Info, input: DeactivateCouponInput
    ) -> DeactivateCouponPayload:
        try:
            coupon = await coupons.deactivate_coupon(coupon_pk(input.id))
        except CouponError as exc:
            return DeactivateCouponPayload(errors=coupon_errors(exc, info))
        return DeactivateCouponPayload(coupon=CouponType.build(coupon))

    @strawberry.mutation(
        permission_classes=[CanManageCatalog],
        description="Delete a coupon that was never used; deactivate used ones instead.",
    )
    async def delete_coupon(self, info: Info, input: DeleteCouponInput) -> DeleteCouponPayload:
        try:
            await coupons.delete_coupon(coupon_pk(input.id))
        except CouponError as exc:
            return DeleteCouponPayload(errors=coupon_errors(exc, info))
        return DeleteCouponPayload(deleted_id=input.id)
