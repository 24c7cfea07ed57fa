"""Coupon definitions kept by staff: create, edit, deactivate, delete, look up and list.

A coupon is checked as a whole after every edit, so a change of kind or dates can never
leave a coupon that checkout cannot price. Money arrives as decimal strings in the shop
currency and is stored as integer minor units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypedDict

from pydantic import AfterValidator
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.accounts import User
from models.coupons import Coupon, CouponKind, CouponUse
from models.members import MembershipTier, Reward, RewardRedemption
from services.coupons.errors import CouponError, CouponErrorCode, fail, not_found
from services.errors import Problems
from services.money import InvalidAmount, Money
from services.pagination import Page, PageRequest, paginate
from services.validation import Input, refuse, validate
from settings import get_settings

CODE_RE = re.compile(r"^[A-Z0-9_-]{4,40}$")
#: Largest amount accepted, in minor units: far above any real discount, far below 2**63.
MAX_AMOUNT_MINOR = 10**15
NAME_MAX = 120
#: Fields an update may not set to null. Null clears the others: the name to "", the
#: minimum spend to 0, the tiers to every shopper, dates, limits and owner to none.
NOT_NULL = ("code", "kind", "percent", "amount", "active")


class CouponFields(TypedDict, total=False):
    code: str
    name: str
    kind: CouponKind
    #: Percentage coupons: "15" or "12.5" (percent, at most two decimals).
    percent: Decimal | str | None
    #: Money as decimal amounts of the shop currency.
    amount: Decimal | str | None
    max_discount: Decimal | str | None
    min_spend: Decimal | str | None
    starts_at: datetime | None
    ends_at: datetime | None
    usage_limit: int | None
    per_customer_limit: int | None
    tier_ids: list[int]
    owner_id: int | None
    active: bool


@dataclass(frozen=True)
class CouponFilter:
    active: bool | None = None
    search: str | None = None


def normalize_code(code: str) -> str:
    """The stored form of a code as a shopper may type it: trimmed, upper-case."""
    return code.strip().upper()


def percent_to_bps(value: Decimal | str) -> int:
    """Basis points for a percentage ("12.5" -> 1250); ValueError if not 0 < p <= 100."""
    try:
        percent = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number.") from None
    if not percent.is_finite() or not 0 < percent <= 100:
        raise ValueError("A percentage is more than 0 and at most 100.")
    bps = percent * 100
    if bps != bps.to_integral_value():
        raise ValueError("A percentage has at most two decimals.")
    return int(bps)


def bps_to_percent(bps: int) -> Decimal:
    """The percentage a number of basis points stands for, without trailing zeros (1250 -> 12.5)."""
    percent = Decimal(bps) / 100
    return percent.quantize(Decimal(1)) if percent == percent.to_integral() else percent.normalize()


def _money(positive: bool) -> AfterValidator:
    """A rule: an amount of the shop currency, in minor units; None stays None."""

    def check(value: Decimal | str | None) -> int | None:
        if value is None:
            return None
        try:
            minor = Money.from_decimal(value, get_settings().shop_currency).minor
        except InvalidAmount as exc:
            refuse("INVALID_AMOUNT", f"{exc}.")
        if minor < 0 or (positive and minor == 0) or minor > MAX_AMOUNT_MINOR:
            least = "more than 0" if positive else "0 or more"
            refuse("INVALID_AMOUNT", f"The amount must be {least}.")
        return minor

    return AfterValidator(check)


def _limit(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 10**9:
        refuse("INVALID_LIMIT", "A limit is at least 1 (or none).")
    return value


def _code(value: str | None) -> str:
    code = normalize_code(value or "")
    if not CODE_RE.match(code):
        refuse("INVALID_CODE", "A code is 4 to 40 letters A-Z, digits, hyphens or underscores.")
    return code


def _name(value: str | None) -> str:
    name = (value or "").strip()
    if len(name) > NAME_MAX:
        refuse("INVALID", f"At most {NAME_MAX} characters are allowed.")
    return name


def _percent(value: Decimal | str | None) -> int | None:
    if value is None:
        return None
    try:
        return percent_to_bps(value)
    except ValueError as exc:
        refuse("INVALID_PERCENT", str(exc))


Limit = Annotated[int | None, AfterValidator(_limit)]
#: Amounts are parsed by their rule, not by pydantic: a bad one reads as the rule says.
Amount = Any


class CouponInput(Input):
    """What a coupon's fields may hold; amounts come out in minor units, the percent in
    basis points. Rules across fields, or that need the database, are `_checked`'s."""

    code: Annotated[str | None, AfterValidator(_code)] = None
    name: Annotated[str | None, AfterValidator(_name)] = None
    kind: CouponKind | None = None
    percent: Annotated[Amount, AfterValidator(_percent)] = None
    amount: Annotated[Amount, _money(positive=True)] = None
    max_discount: Annotated[Amount, _money(positive=True)] = None
    min_spend: Annotated[Amount, _money(positive=False)] = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: Limit = None
    per_customer_limit: Limit = None
    tier_ids: list[int] | None = None
    owner_id: int | None = None
    active: bool | None = None


async def _checked(fields: CouponFields, current: Coupon | None) -> dict[str, Any]:
    """The coupon's columns after applying `fields` to `current` (or a new coupon), checked."""
    checks = Problems(CouponError)
    if current is not None:
        checks.refuse_nulls(fields, only=NOT_NULL)
        checks.raise_if_any()
    values: dict[str, Any] = {
        "code": current.code if current else "",
        "name": current.name if current else "",
        "kind": CouponKind(current.kind) if current else None,
        "percent_bps": current.percent_bps if current else 0,
        "amount": current.amount if current else 0,
        "max_discount": current.max_discount if current else None,
        "min_spend": current.min_spend if current else 0,
        "starts_at": current.starts_at if current else None,
        "ends_at": current.ends_at if current else None,
        "usage_limit": current.usage_limit if current else None,
        "per_customer_limit": current.per_customer_limit if current else None,
        "tier_ids": list(current.tier_ids) if current else [],
        "owner_id": current.owner_id if current else None,
        "active": current.active if current else True,
    }
    given: dict[str, Any] = dict(fields)
    if current is None:
        given.setdefault("code", "")
    for key in ("percent", "amount"):
        if given.get(key) is None:
            given.pop(key, None)  # null or left out: the kind's rule below asks for it
    checked = validate(CouponInput, given, checks)
    if checked is not None:
        clean = checked.model_dump(exclude_unset=True, warnings=False)
        if "percent" in clean:
            clean["percent_bps"] = clean.pop("percent")
        if "min_spend" in clean:
            clean["min_spend"] = clean["min_spend"] or 0
        if "tier_ids" in clean:
            clean["tier_ids"] = sorted(set(clean["tier_ids"] or ()))
        values.update(clean)
    # The rules across fields read what was given, so they hold even when a field failed.
    for key in ("kind", "starts_at", "ends_at"):
        if key in fields:
            values[key] = fields[key]  # type: ignore[literal-required]
    if values["kind"] is None:
        checks.add(CouponErrorCode.REQUIRED, "Choose the kind of coupon.", "kind")
    else:
        values["kind"] = CouponKind(values["kind"])
    limit = fields.get("usage_limit")
    used = current.times_used if current else 0
    if limit is not None and limit < used:
        checks.add(
            CouponErrorCode.INVALID_LIMIT,
            f"The coupon has been used {used} times already.",
            "usage_limit",
        )
    if "tier_ids" in fields:
        tier_ids = sorted(set(fields["tier_ids"] or ()))
        if len(tier_ids) != await MembershipTier.filter(id__in=tier_ids).count():
            checks.add(
                CouponErrorCode.INVALID_TIER, "A membership tier does not exist.", "eligible_tiers"
            )
    owner_id = fields.get("owner_id")
    if owner_id is not None and not await User.exists(id=owner_id, deleted_at=None):
        checks.add(CouponErrorCode.NOT_FOUND, "The member does not exist.", "owner_id")

    # Each kind keeps only its own terms, so a stored coupon is never ambiguous.
    kind = values["kind"]
    if kind is not CouponKind.PERCENTAGE:
        values["percent_bps"], values["max_discount"] = 0, None
    elif "percent" not in given and values["percent_bps"] <= 0:
        checks.add(CouponErrorCode.REQUIRED, "A percentage coupon needs its percent.", "percent")
    if kind is not CouponKind.FIXED_AMOUNT:
        values["amount"] = 0
    elif "amount" not in given and values["amount"] <= 0:
        checks.add(CouponErrorCode.REQUIRED, "A fixed-amount coupon needs its amount.", "amount")
    if values["starts_at"] and values["ends_at"] and values["ends_at"] <= values["starts_at"]:
        checks.add(
            CouponErrorCode.INVALID_WINDOW, "The coupon must end after it starts.", "ends_at"
        )
    checks.raise_if_any()
    return values


async def _code_taken(code: str, coupon_id: int | None) -> bool:
    qs = Coupon.filter(code=code)
    if coupon_id is not None:
        qs = qs.exclude(id=coupon_id)
    return await qs.exists()


def _duplicate(code: str) -> CouponError:
    return fail(CouponErrorCode.DUPLICATE_CODE, f"The code {code} is taken.", "code")


async def create_coupon(fields: CouponFields) -> Coupon:
    """A new coupon from staff's definition."""
    values = await _checked(fields, None)
    if await _code_taken(values["code"], None):
        raise _duplicate(values["code"])
    try:
        return await Coupon.create(**values)
    except IntegrityError:  # the same code created at the same moment
        raise _duplicate(values["code"]) from None


async def update_coupon(coupon_id: int, fields: CouponFields) -> Coupon:
    """Change the fields given; what is left out stays as it is."""
    async with in_transaction("default") as connection:
        coupon = await Coupon.filter(id=coupon_id).select_for_update().using_db(connection).first()
        if coupon is None:
            raise not_found("The coupon", "id")
        values = await _checked(fields, coupon)
        if values["code"] != coupon.code and await _code_taken(values["code"], coupon.id):
            raise _duplicate(values["code"])
        coupon.update_from_dict(values)
        try:
            await coupon.save(using_db=connection)
        except IntegrityError:
            raise _duplicate(values["code"]) from None
    return coupon


async def deactivate_coupon(coupon_id: int) -> Coupon:
    """Stop the code being accepted; it stays for the orders that used it."""
    coupon = await get_coupon(coupon_id)
    coupon.active = False
    await coupon.save(update_fields=["active", "updated_at"])
    return coupon


async def delete_coupon(coupon_id: int) -> None:
    """Delete a coupon that was never used (nor offered as a reward); deactivate others."""
    async with in_transaction("default") as connection:
        coupon = await Coupon.filter(id=coupon_id).select_for_update().using_db(connection).first()
        if coupon is None:
            raise not_found("The coupon", "id")
        in_use = (
            coupon.times_used > 0
            or await CouponUse.filter(coupon_id=coupon_id).using_db(connection).exists()
            or await Reward.filter(coupon_template_id=coupon_id).using_db(connection).exists()
            or await RewardRedemption.filter(coupon_id=coupon_id).using_db(connection).exists()
        )
        if in_use:
            raise fail(
                CouponErrorCode.COUPON_IN_USE,
                "The coupon has been used or is offered as a reward; deactivate it instead.",
                "id",
            )
        await coupon.delete(using_db=connection)


async def get_coupon(coupon_id: int) -> Coupon:
    coupon = await Coupon.get_or_none(id=coupon_id)
    if coupon is None:
        raise not_found("The coupon", "id")
    return coupon


async def coupon_by_code(code: str) -> Coupon | None:
    """The coupon a shopper's typed code names, whatever its case and surrounding spaces."""
    return await Coupon.get_or_none(code=normalize_code(code))


def coupon_queryset(f: CouponFilter) -> QuerySet[Coupon]:
    qs = Coupon.all()
    if f.active is not None:
        qs = qs.filter(active=f.active)
    if f.search and f.search.strip():
        term = f.search.strip()
        qs = qs.filter(Q(code__icontains=term) | Q(name__icontains=term))
    return qs


async def list_coupons(f: CouponFilter, page: PageRequest, *, max_size: int = 100) -> Page[Coupon]:
    """Newest first."""
    return await paginate(
        coupon_queryset(f), page, sort_field="created_at", descending=True, max_size=max_size
    )
