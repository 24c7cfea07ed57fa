"""Rewards members redeem points for, and their redemptions.

A COUPON reward issues a personal, single-use coupon copying a template coupon's terms; a
GIFT reward is handed over by staff, who mark it fulfilled. Redeeming writes off lapsed
points, checks the balance under the member's lock, takes one from the stock with a
conditional update and writes the negative entry, all in one transaction: a refusal
changes nothing. Cancelling an unfulfilled redemption returns the points and the stock.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any, TypedDict

from pydantic import AfterValidator
from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.coupons import Coupon
from models.members import PointsKind, RedemptionStatus, Reward, RewardKind, RewardRedemption
from services.errors import Problems
from services.members import points
from services.members.errors import (
    MemberError,
    MemberErrorCode,
    fail,
    not_found,
)
from services.pagination import Page, PageRequest, paginate
from services.validation import Input, refuse, validated
from settings import get_settings

MAX_COST = 10_000_000
MAX_STOCK = 10**9
#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class RewardFields(TypedDict, total=False):
    name: str
    description: str
    kind: RewardKind
    points_cost: int
    coupon_template_id: int | None
    #: None: unlimited.
    stock: int | None
    active: bool


#: Reward fields an update may set to null: it clears them (no template, no stock limit,
#: an empty description). Any other field refuses null.
NULLABLE = frozenset({"coupon_template_id", "stock", "description"})


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        refuse("REQUIRED", "A reward needs a name.")
    if len(name) > 120:
        refuse("INVALID", "At most 120 characters are allowed.")
    return name


def _cost(value: int | None) -> int:
    if value is None or not 0 < value <= MAX_COST:
        refuse("INVALID", f"A cost is 1 to {MAX_COST} points.")
    return value


def _stock(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_STOCK:
        refuse("INVALID", "Stock is 0 or more; leave it empty for no limit.")
    return value


class RewardInput(Input):
    """What a reward's fields may hold; null clears the template, stock and description."""

    name: Annotated[str, AfterValidator(_name)] = ""
    description: Annotated[str | None, AfterValidator(lambda v: (v or "").strip())] = None
    kind: RewardKind = RewardKind.GIFT
    points_cost: Annotated[int | None, AfterValidator(_cost)] = None
    coupon_template_id: int | None = None
    stock: Annotated[int | None, AfterValidator(_stock)] = None
    active: bool = True


def _checked(fields: RewardFields, *, creating: bool) -> dict[str, Any]:
    problems = Problems(MemberError)
    problems.refuse_nulls(fields, NULLABLE)
    problems.raise_if_any()
    given: dict[str, Any] = dict(fields)
    if creating:
        given.setdefault("name", "")
        given.setdefault("kind", RewardKind.GIFT)
        given.setdefault("points_cost", None)
    return validated(RewardInput, given, MemberError).model_dump(exclude_unset=True)


async def _check_template(kind: RewardKind, template_id: int | None) -> None:
    """A coupon reward names a shared coupon as its template; a gift names none."""
    if kind is RewardKind.GIFT:
        if template_id is not None:
            raise fail(
                MemberErrorCode.INVALID, "A gift has no coupon template.", "coupon_template_id"
            )
        return
    if template_id is None:
        raise fail(
            MemberErrorCode.REQUIRED,
            "A coupon reward needs a coupon template.",
            "coupon_template_id",
        )
    if not await Coupon.exists(id=template_id, owner_id=None):
        raise not_found("The coupon template", "coupon_template_id")


async def get_reward(reward_id: int) -> Reward:
    reward = await Reward.get_or_none(id=reward_id)
    if reward is None:
        raise not_found("The reward", "id")
    return reward


async def create_reward(fields: RewardFields) -> Reward:
    """A new reward, active unless told otherwise."""
    clean = _checked(fields, creating=True)
    clean.setdefault("coupon_template_id", None)
    await _check_template(clean["kind"], clean["coupon_template_id"])
    return await Reward.create(**clean)


async def update_reward(reward_id: int, fields: RewardFields) -> Reward:
    """The reward with the given fields changed; redemptions already made keep their terms."""
    clean = _checked(fields, creating=False)
    reward = await get_reward(reward_id)
    reward.update_from_dict(clean)
    await _check_template(RewardKind(reward.kind), reward.coupon_template_id)
    await reward.save()
    return reward


async def delete_reward(reward_id: int) -> Reward | None:
    """Delete a reward never redeemed; deactivate (and return) one that was, for its history."""
    async with in_transaction("default"):
        reward = await get_reward(reward_id)
        if await RewardRedemption.exists(reward_id=reward.id):
            reward.active = False
            await reward.save(update_fields=["active", "updated_at"])
            return reward
        await reward.delete()
    return None


async def list_rewards(
    page: PageRequest, *, include_inactive: bool = False, max_size: int = 100
) -> Page[Reward]:
    """Rewards, cheapest first; the inactive ones only when asked (staff)."""
    qs = Reward.all() if include_inactive else Reward.filter(active=True)
    return await paginate(qs, page, sort_field="points_cost", max_size=max_size)


def coupon_code() -> str:
    """A fresh personal coupon code such as `RW-7KQ2-M9XD`."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"RW-{letters[:4]}-{letters[4:]}"


async def _issue_coupon(template_id: int, user_id: int, name: str) -> Coupon:
    """A single-use coupon for one member with the template's terms, valid from now."""
    template = await Coupon.get(id=template_id)
    now = timezone.now()
    terms = {
        "name": template.name or name,
        "kind": template.kind,
        "percent_bps": template.percent_bps,
        "amount": template.amount,
        "max_discount": template.max_discount,
        "min_spend": template.min_spend,
        "tier_ids": list(template.tier_ids or []),
        "starts_at": now,
        "ends_at": now + timedelta(days=get_settings().reward_coupon_days),
        "usage_limit": 1,
        "per_customer_limit": 1,
        "owner_id": user_id,
    }
    for _ in range(5):
        try:
            # A savepoint: a taken code leaves the rest intact.
            async with in_transaction("default"):
                return await Coupon.create(code=coupon_code(), **terms)
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free coupon code")


IDEMPOTENCY_KEY_MAX = 64


def _checked_key(idempotency_key: str | None) -> str | None:
    """The key stripped (None when absent or blank), or INVALID when it is too long."""
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise fail(
            MemberErrorCode.INVALID,
            f"At most {IDEMPOTENCY_KEY_MAX} characters.",
            "idempotency_key",
        )
    return key or None


async def _replayed(user_id: int, reward_id: int, key: str | None) -> RewardRedemption | None:
    """The member's redemption made with `key` before; INVALID if it was for another reward."""
    if key is None:
        return None
    first = await RewardRedemption.get_or_none(user_id=user_id, idempotency_key=key)
    if first is None:
        return None
    if first.reward_id != reward_id:
        raise fail(
            MemberErrorCode.INVALID,
            "This idempotency key was used for another reward.",
            "idempotency_key",
        )
    await first.fetch_related("reward", "coupon")
    return first


async def redeem_reward(
    user_id: int, reward_id: int, *, idempotency_key: str | None = None
) -> RewardRedemption:
    """Spend the member's points on a reward; refused with nothing changed when it cannot be.

    A repeat with the member's same `idempotency_key` returns the first redemption and
    writes nothing, even when both arrive at once: the key is looked up under the member's
    lock, and the unique (member, key) pair stops a second row in any case.
    """
    key = _checked_key(idempotency_key)
    try:
        async with in_transaction("default"):
            await points.lock_member(user_id)
            first = await _replayed(user_id, reward_id, key)
            if first is not None:
                return first
            redemption = await _redeem(user_id, reward_id, key)
    except IntegrityError:
        first = await _replayed(user_id, reward_id, key)
        if first is None:
            raise
        return first
    return redemption


async def _redeem(user_id: int, reward_id: int, key: str | None) -> RewardRedemption:
    """The redemption itself; the caller holds the member's lock in its transaction."""
    reward = await Reward.get_or_none(id=reward_id)
    if reward is None:
        raise not_found("The reward", "reward_id")
    if not reward.active:
        raise fail(
            MemberErrorCode.REWARD_UNAVAILABLE, "This reward is no longer offered.", "reward_id"
        )
    # Checked before the stock is touched, so the error names what the member can change;
    # `spend` checks again, under the same lock, as it writes.
    available = await points.balance(user_id)
    if available < reward.points_cost:
        raise fail(
            MemberErrorCode.INSUFFICIENT_POINTS,
            f"This reward costs {reward.points_cost} points; you have {available}.",
            "reward_id",
        )
    if reward.stock is not None:
        taken = await Reward.filter(id=reward.id, stock__gte=1).update(stock=F("stock") - 1)
        if not taken:
            raise fail(MemberErrorCode.OUT_OF_STOCK, "This reward has run out.", "reward_id")
    coupon = None
    if reward.kind == RewardKind.COUPON and reward.coupon_template_id is not None:
        coupon = await _issue_coupon(reward.coupon_template_id, user_id, reward.name)
    redemption = await RewardRedemption.create(
        user_id=user_id,
        reward=reward,
        points=reward.points_cost,
        coupon=coupon,
        idempotency_key=key,
    )
    await points.spend(
        user_id,
        reward.points_cost,
        PointsKind.REDEMPTION,
        f"redemption:{redemption.id}",
        note=reward.name,
        field="reward_id",
    )
    redemption.reward = reward
    return redemption


async def _issued(redemption_id: int) -> RewardRedemption:
    """The redemption, locked until the transaction ends; INVALID unless still issued."""
    # Locked on its own: PostgreSQL refuses FOR UPDATE across the nullable coupon join.
    if not await RewardRedemption.select_for_update().filter(id=redemption_id).only("id"):
        raise not_found("The redemption", "id")
    redemption = await RewardRedemption.get(id=redemption_id).select_related("reward", "coupon")
    if redemption.status != RedemptionStatus.ISSUED:
        raise fail(MemberErrorCode.INVALID, f"The redemption is {redemption.status}.", "id")
    return redemption


async def fulfill_redemption(redemption_id: int) -> RewardRedemption:
    """Mark a gift handed over."""
    async with in_transaction("default"):
        redemption = await _issued(redemption_id)
        if redemption.reward.kind != RewardKind.GIFT:
            raise fail(
                MemberErrorCode.INVALID, "Only gifts are fulfilled; coupons are issued.", "id"
            )
        redemption.status = RedemptionStatus.FULFILLED
        await redemption.save(update_fields=["status", "updated_at"])
    return redemption


async def cancel_redemption(redemption_id: int, *, actor_id: int | None) -> RewardRedemption:
    """Undo an unfulfilled redemption: points and stock come back, an unused coupon is voided."""
    async with in_transaction("default"):
        redemption = await _issued(redemption_id)
        if redemption.coupon_id is not None:
            # Conditional, against checkout's conditional increment (which also needs the
            # coupon active): whichever runs first wins, so a coupon is never both used and
            # refunded in points.
            voided = await Coupon.filter(id=redemption.coupon_id, times_used=0).update(
                active=False, updated_at=timezone.now()
            )
            if not voided:
                raise fail(MemberErrorCode.INVALID, "The issued coupon has been used.", "id")
            if redemption.coupon is not None:
                redemption.coupon.active = False
        if redemption.reward.stock is not None:
            await Reward.filter(id=redemption.reward_id).update(stock=F("stock") + 1)
        await points.award(
            redemption.user_id,
            redemption.points,
            PointsKind.REDEMPTION,
            f"redemption-cancel:{redemption.id}",
            note=f"Returned: {redemption.reward.name}",
            actor_id=actor_id,
        )
        redemption.status = RedemptionStatus.CANCELLED
        await redemption.save(update_fields=["status", "updated_at"])
    return redemption


async def list_redemptions(
    page: PageRequest,
    *,
    user_id: int | None,
    status: RedemptionStatus | None = None,
    max_size: int = 100,
) -> Page[RewardRedemption]:
    """Redemptions, newest first: one member's (`user_id`), or everyone's for staff (None)."""
    qs = RewardRedemption.all().select_related("reward", "coupon")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if status is not None:
        qs = qs.filter(status=status)
    return await paginate(qs, page, sort_field="created_at", descending=True, max_size=max_size)


async def count_rewards(*, include_inactive: bool = False) -> int:
    qs = Reward.all() if include_inactive else Reward.filter(active=True)
    return await qs.count()


async def count_redemptions(*, user_id: int | None, status: RedemptionStatus | None = None) -> int:
    qs = RewardRedemption.all()
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if status is not None:
        qs = qs.filter(status=status)
    return await qs.count()
