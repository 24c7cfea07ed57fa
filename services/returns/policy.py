"""Which return policy applies to a product, until when an order's line may go back, and
the merchant's setting of them.

The most specific row wins: the product's own, then its category's, then the nearest
ancestor category's, then the shop's row, then `DEFAULT` (30 days, no fee, the customer
pays the return parcel) for a shop that never set one.

There is one row per scope and target: setting a target's policy twice, even at the same
moment, changes the one row (see `set_policy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from tortoise.exceptions import IntegrityError

from models.catalog import Category, Product
from models.returns import PolicyScope, ReturnPolicy, ReturnShippingPayer
from services.errors import Problems
from services.money import InvalidAmount, Money, currency_exponent
from services.returns.setup_errors import ReturnSetupError, ReturnSetupErrorCode, not_found
from services.transactions import atomic
from settings import get_settings

Code = ReturnSetupErrorCode

#: Longest return window a policy may give, in days.
MAX_WINDOW_DAYS = 365
#: Highest restocking fee, in basis points of what a line was paid (50 %).
MAX_RESTOCKING_FEE_BPS = 5000
#: Highest return shipping fee, in whole units of the shop currency.
MAX_RETURN_SHIPPING_FEE_UNITS = 100_000
#: Key of the PostgreSQL advisory lock that serialises policy writes (see `set_policy`).
_WRITE_LOCK_KEY = 0x7257_0015


@dataclass(frozen=True, slots=True)
class EffectivePolicy:
    """The policy one product is sold under, and where it came from."""

    returnable: bool
    window_days: int
    restocking_fee_bps: int
    return_shipping_payer: ReturnShippingPayer
    #: Shop currency minor units, kept from the refund when the customer pays the parcel.
    return_shipping_fee: int
    scope: PolicyScope
    #: The category or product the policy is set on (None for the shop's).
    target_id: int | None = None

    @classmethod
    def of(cls, row: ReturnPolicy) -> EffectivePolicy:
        return cls(
            returnable=row.returnable,
            window_days=row.window_days,
            restocking_fee_bps=row.restocking_fee_bps,
            return_shipping_payer=ReturnShippingPayer(row.return_shipping_payer),
            return_shipping_fee=row.return_shipping_fee,
            scope=PolicyScope(row.scope),
            target_id=row.product_id or row.category_id,
        )


DEFAULT = EffectivePolicy(
    returnable=True,
    window_days=30,
    restocking_fee_bps=0,
    return_shipping_payer=ReturnShippingPayer.CUSTOMER,
    return_shipping_fee=0,
    scope=PolicyScope.SHOP,
)


async def shop_policy() -> EffectivePolicy:
    row = await ReturnPolicy.filter(scope=PolicyScope.SHOP).order_by("id").first()
    return DEFAULT if row is None else EffectivePolicy.of(row)


async def policies_for(product_ids: Iterable[int]) -> dict[int, EffectivePolicy]:
    """The policy of each product (a deleted product gets the shop's), in five queries at most."""
    ids = sorted(set(product_ids))
    shop = await shop_policy()
    if not ids:
        return {}
    products = await Product.filter(id__in=ids).values("id", "category_id")
    category_ids = {p["category_id"] for p in products if p["category_id"] is not None}
    chains: dict[int, list[int]] = {}
    if category_ids:
        for category in await Category.filter(id__in=category_ids).only("id", "path"):
            # Nearest first: the category itself, then its parent, up to the root.
            chains[category.id] = [category.id, *reversed(category.ancestor_ids)]
    wanted_categories = {c for chain in chains.values() for c in chain}
    rows = await ReturnPolicy.filter(scope=PolicyScope.PRODUCT, product_id__in=ids)
    by_product = {row.product_id: EffectivePolicy.of(row) for row in rows}
    by_category: dict[int | None, EffectivePolicy] = {}
    if wanted_categories:
        rows = await ReturnPolicy.filter(
            scope=PolicyScope.CATEGORY, category_id__in=sorted(wanted_categories)
        )
        by_category = {row.category_id: EffectivePolicy.of(row) for row in rows}
    found: dict[int, EffectivePolicy] = {}
    for product in products:
        pid = product["id"]
        policy = by_product.get(pid)
        for category_id in chains.get(product["category_id"], ()):
            if policy is not None:
                break
            policy = by_category.get(category_id)
        found[pid] = policy or shop
    for pid in ids:
        found.setdefault(pid, shop)
    return found


def window_starts(delivered_at: datetime | None, shipped_at: datetime | None) -> datetime | None:
    """When a line's return window opens: the delivery tracking recorded, else the shipping
    date plus the `returns_delivery_margin_days` setting; None while nothing has shipped."""
    if delivered_at is not None:
        return delivered_at
    if shipped_at is not None:
        return shipped_at + timedelta(days=get_settings().returns_delivery_margin_days)
    return None


def window_ends(
    policy: EffectivePolicy, delivered_at: datetime | None, shipped_at: datetime | None
) -> datetime | None:
    """The last moment a return may be asked for under `policy` (None: not shipped yet)."""
    start = window_starts(delivered_at, shipped_at)
    return None if start is None else start + timedelta(days=policy.window_days)


# Setting policies.


class PolicyFields(TypedDict):
    """A policy's terms as a merchant gives them."""

    returnable: bool
    window_days: int
    restocking_fee_bps: int
    return_shipping_payer: ReturnShippingPayer | str
    #: In the shop currency, as a decimal amount ("8.00").
    return_shipping_fee: Decimal | str | int


@dataclass(frozen=True, slots=True)
class PolicyRow:
    """A stored policy and the name of what it is set on (None for the shop's)."""

    row: ReturnPolicy
    target_name: str | None


@dataclass(frozen=True, slots=True)
class Policies:
    """The shop's policy (None: `DEFAULT` applies) and the overrides, categories first."""

    shop: ReturnPolicy | None
    overrides: list[PolicyRow]


def _scope(value: object) -> PolicyScope:
    try:
        return PolicyScope(str(getattr(value, "value", value)).lower())
    except ValueError:
        raise ReturnSetupError.fail(
            Code.INVALID, "A policy is set on the shop, a category or a product.", "scope"
        ) from None


def shop_takes_no_target() -> ReturnSetupError:
    return ReturnSetupError.fail(
        Code.INVALID, "The shop's policy is set on no category or product.", "target_id"
    )


def _target(scope: PolicyScope, target_id: int | None) -> int | None:
    if scope is PolicyScope.SHOP:
        if target_id is not None:
            raise shop_takes_no_target()
        return None
    if target_id is None:
        raise ReturnSetupError.fail(
            Code.REQUIRED, f"Name the {scope.value} the policy is set on.", "target_id"
        )
    return target_id


def _fee_minor(value: object, problems: Problems[ReturnSetupErrorCode]) -> int:
    currency = get_settings().shop_currency
    try:
        minor = Money.from_decimal(Decimal(str(value)), currency).minor
    except (InvalidAmount, ArithmeticError, ValueError):
        problems.add(
            Code.INVALID,
            f"A return shipping fee is an amount of {currency} with at most "
            f"{currency_exponent(currency)} decimals.",
            "return_shipping_fee",
        )
        return 0
    most = MAX_RETURN_SHIPPING_FEE_UNITS * 10 ** currency_exponent(currency)
    if not 0 <= minor <= most:
        problems.add(
            Code.OUT_OF_RANGE,
            f"A return shipping fee is 0 to {MAX_RETURN_SHIPPING_FEE_UNITS:,} {currency}.",
            "return_shipping_fee",
        )
    return minor


def check_terms(fields: PolicyFields) -> dict[str, Any]:
    """The columns of a policy with these terms, or every problem with them at once."""
    problems = Problems(ReturnSetupError)
    window = fields["window_days"]
    if isinstance(window, bool) or not isinstance(window, int):
        problems.add(Code.INVALID, "A window is a whole number of days.", "window_days")
    elif not 0 <= window <= MAX_WINDOW_DAYS:
        problems.add(Code.OUT_OF_RANGE, f"A window is 0 to {MAX_WINDOW_DAYS} days.", "window_days")
    fee = fields["restocking_fee_bps"]
    if isinstance(fee, bool) or not isinstance(fee, int):
        problems.add(Code.INVALID, "A fee is a whole number of basis points.", "restocking_fee_bps")
    elif not 0 <= fee <= MAX_RESTOCKING_FEE_BPS:
        problems.add(
            Code.OUT_OF_RANGE,
            f"A restocking fee is 0 to {MAX_RESTOCKING_FEE_BPS} basis points (0 to 50 %).",
            "restocking_fee_bps",
        )
    payer_given = fields["return_shipping_payer"]
    payer = ReturnShippingPayer.CUSTOMER
    try:
        payer = ReturnShippingPayer(str(getattr(payer_given, "value", payer_given)).lower())
    except ValueError:
        problems.add(
            Code.INVALID,
            "The customer or the merchant pays return shipping.",
            "return_shipping_payer",
        )
    shipping_fee = _fee_minor(fields["return_shipping_fee"], problems)
    problems.raise_if_any()
    return {
        "returnable": bool(fields["returnable"]),
        "window_days": window,
        "restocking_fee_bps": fee,
        "return_shipping_payer": payer,
        # A merchant who pays the parcel charges nothing for it.
        "return_shipping_fee": shipping_fee if payer is ReturnShippingPayer.CUSTOMER else 0,
    }


async def _lock_policy_writes() -> None:
    """Serialise policy writes until the transaction ends.

    The unique index on (scope, category, product) never sees two rows collide, since every
    row has a NULL in it; so the check for a row and its insertion must not interleave. SQLite
    runs one transaction at a time already; PostgreSQL takes a transaction advisory lock.
    """
    db = ReturnPolicy._meta.db
    if db.capabilities.dialect == "postgres":
        await db.execute_query("SELECT pg_advisory_xact_lock($1)", [_WRITE_LOCK_KEY])


def _target_filter(scope: PolicyScope, target_id: int | None) -> dict[str, Any]:
    return {
        "scope": scope,
        "category_id": target_id if scope is PolicyScope.CATEGORY else None,
        "product_id": target_id if scope is PolicyScope.PRODUCT else None,
    }


async def set_policy(
    scope: PolicyScope | str, target_id: int | None, fields: PolicyFields
) -> tuple[ReturnPolicy, bool]:
    """Set the policy of the shop, a category or a product to these terms: the row, and
    whether it is new. Concurrent sets of one target end as one row (the last one's terms)."""
    checked_scope = _scope(scope)
    target = _target(checked_scope, target_id)
    terms = check_terms(fields)
    try:
        async with atomic():
            await _lock_policy_writes()
            # The target's row is locked, so it cannot go while its policy is written.
            model = {PolicyScope.CATEGORY: Category, PolicyScope.PRODUCT: Product}.get(
                checked_scope
            )
            if model is not None and not await model.filter(id=target).select_for_update().exists():
                raise not_found(f"The {checked_scope.value}", "target_id")
            where = _target_filter(checked_scope, target)
            row = await ReturnPolicy.filter(**where).order_by("id").first()
            if row is None:
                return await ReturnPolicy.create(**where, **terms), True
            for name, value in terms.items():
                setattr(row, name, value)
            await row.save(update_fields=[*terms, "updated_at"])
            return row, False
    except IntegrityError:  # the target was deleted as its policy was written
        raise not_found(f"The {checked_scope.value}", "target_id") from None


async def remove_policy(scope: PolicyScope | str, target_id: int | None) -> None:
    """Remove a category's or product's own policy (it then takes the next one up), or the
    shop's (`DEFAULT` then applies)."""
    checked_scope = _scope(scope)
    target = _target(checked_scope, target_id)
    async with atomic():
        await _lock_policy_writes()
        deleted = await ReturnPolicy.filter(**_target_filter(checked_scope, target)).delete()
    if not deleted:
        what = "The shop" if checked_scope is PolicyScope.SHOP else f"That {checked_scope.value}"
        raise not_found(f"{what}'s own return policy", "target_id")


async def list_policies() -> Policies:
    """The shop's policy and every override with its target's name, by scope then name."""
    rows = await ReturnPolicy.all().order_by("id")
    shop = next((r for r in rows if r.scope == PolicyScope.SHOP), None)
    category_ids = [r.category_id for r in rows if r.category_id is not None]
    product_ids = [r.product_id for r in rows if r.product_id is not None]
    names: dict[tuple[PolicyScope, int], str] = {}
    if category_ids:
        for cid, name in await Category.filter(id__in=category_ids).values_list("id", "name"):
            names[(PolicyScope.CATEGORY, cid)] = name
    if product_ids:
        for pid, name in await Product.filter(id__in=product_ids).values_list("id", "name"):
            names[(PolicyScope.PRODUCT, pid)] = name
    overrides = [
        PolicyRow(r, names.get((PolicyScope(r.scope), r.category_id or r.product_id or 0), ""))
        for r in rows
        if r.scope != PolicyScope.SHOP
    ]
    order = {PolicyScope.CATEGORY: 0, PolicyScope.PRODUCT: 1}
    overrides.sort(
        key=lambda o: (order[PolicyScope(o.row.scope)], (o.target_name or "").lower(), o.row.id)
    )
    return Policies(shop=shop, overrides=overrides)
