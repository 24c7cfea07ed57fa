"""Loyalty rules in services: tiers from figures, the ledger, expiry, check-ins, order hooks."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise import timezone

from models.accounts import User
from models.members import CheckIn, MembershipTier, PointsEntry, PointsKind
from models.orders import Order, OrderStatus
from services.members import check_in, points, tiers
from services.members.errors import MemberError, MemberErrorCode
from tests.factories import make_order, make_product, make_user


async def _variant(price: str = "100.00"):
    product = await make_product(prices=(price,))
    return await product.variants.all().first()


def test_ledger_expiry_takes_spends_from_the_oldest_points_first():
    # Earned 100 (now lapsed) and 50; spent 70: the lapsed earn covered the spend first.
    ledger = points.Ledger(total=80, lapsed_earns=100, spent=70, written_off=0)
    assert ledger.due_expiry == 30
    assert ledger.balance == 50
    written = points.Ledger(total=50, lapsed_earns=100, spent=70, written_off=30)
    assert written.due_expiry == 0 and written.balance == 50
    # Spends beyond what lapsed leave nothing to lapse.
    assert points.Ledger(total=10, lapsed_earns=20, spent=90).due_expiry == 0


def test_next_lapse_skips_earns_already_spent():
    now = timezone.now()
    ledger = points.Ledger(total=70, lapsed_earns=0, spent=30)
    soon, later = now + timedelta(days=3), now + timedelta(days=9)
    lapse = points.next_lapse(ledger, [(soon, 20), (later, 80)])
    # The 20 points of the first earn were spent; 10 of the spend falls on the second earn.
    assert lapse == points.Lapse(amount=70, at=later)
    assert points.next_lapse(points.Ledger(total=40), [(soon, 40)]) == points.Lapse(40, soon)
    assert points.next_lapse(points.Ledger(), []) is None


def test_pick_tier_needs_both_thresholds_and_takes_the_highest_rank():
    silver = MembershipTier(id=1, name="Silver", rank=1, min_spend=10_000, min_orders=1)
    gold = MembershipTier(id=2, name="Gold", rank=2, min_spend=50_000, min_orders=5)
    base = MembershipTier(id=3, name="Base", rank=0, min_spend=0, min_orders=0)
    options = [gold, base, silver]
    assert tiers.pick_tier(options, tiers.Figures(spend=60_000, orders=5)) is gold
    assert tiers.pick_tier(options, tiers.Figures(spend=60_000, orders=4)) is silver
    assert tiers.pick_tier(options, tiers.Figures()) is base
    assert tiers.pick_tier([silver], tiers.Figures(spend=9_999, orders=9)) is None


def test_check_in_points_grow_with_the_streak_up_to_the_cap(settings):
    assert [check_in.points_for(day) for day in (1, 2, 7, 8, 30)] == [5, 6, 11, 11, 11]


def test_order_points_round_down_and_follow_the_multiplier():
    assert points.order_points(12_999, 100) == 129
    assert points.order_points(12_999, 150) == 194  # 194.985
    assert points.order_points(99, 100) == 0


async def test_figures_count_completed_orders_of_the_last_year_net_of_refunds(db):
    user = await make_user()
    variant = await _variant("100.00")
    await make_order(user, [(variant, 2)], refunded_total=5_000)
    await make_order(user, [(variant, 1)], status=OrderStatus.DELIVERED)
    old = await make_order(user, [(variant, 1)])
    old.completed_at = timezone.now() - timedelta(days=400)
    await old.save()
    await make_order(None, [(variant, 1)])
    assert await tiers.figures(user.id) == tiers.Figures(spend=15_000, orders=1)


async def test_recompute_all_tiers_moves_members_in_a_few_statements(db, count_queries):
    gold = await MembershipTier.create(name="Gold", rank=2, min_spend=20_000, min_orders=2)
    base = await MembershipTier.create(name="Base", rank=0)
    variant = await _variant("100.00")
    buyers = [await make_user() for _ in range(3)]
    for buyer in buyers:
        await make_order(buyer, [(variant, 1)])
        await make_order(buyer, [(variant, 1)])
    idle = await make_user()
    count_queries.statements.clear()
    assert await tiers.recompute_all_tiers() == 4
    assert count_queries.count <= 5
    assert {u.tier_id for u in await User.filter(id__in=[b.id for b in buyers])} == {gold.id}
    assert (await User.get(id=idle.id)).tier_id == base.id
    assert await tiers.recompute_all_tiers() == 0


async def test_member_discount_reads_the_tier(db):
    tier = await MembershipTier.create(name="Gold", rank=1, discount_bps=250)
    member = await make_user(tier=tier)
    assert await tiers.member_discount(member.id) == 250
    assert await tiers.member_discount(tier) == 250
    assert await tiers.member_discount((await make_user()).id) == 0
    assert await tiers.member_discount(None) == 0


async def test_award_is_idempotent_per_source(db):
    user = await make_user()
    first = await points.award(user.id, 10, PointsKind.REVIEW, "review:1")
    again = await points.award(user.id, 99, PointsKind.REVIEW, "review:1")
    assert again.id == first.id and again.amount == 10
    assert first.expires_at is not None
    assert await PointsEntry.filter(user_id=user.id).count() == 1


async def test_order_completion_awards_points_once_and_raises_the_tier(db):
    silver = await MembershipTier.create(
        name="Silver", rank=1, min_spend=10_000, points_multiplier_pct=200
    )
    user = await make_user()
    order = await make_order(user, [(await _variant("125.50"), 1)])
    entry = await points.on_order_completed(order.id)
    assert entry is not None and entry.amount == 125 and entry.source == f"order:{order.id}"
    assert (await User.get(id=user.id)).tier_id == silver.id
    assert (await points.on_order_completed(order.id)).id == entry.id  # type: ignore[union-attr]
    assert await points.balance(user.id) == 125
    # The next order earns at the new tier's multiplier.
    second = await make_order(user, [(await _variant("10.00"), 1)])
    assert (await points.on_order_completed(second.id)).amount == 20  # type: ignore[union-attr]


async def test_unfinished_and_guest_orders_earn_nothing(db):
    variant = await _variant()
    shipped = await make_order(await make_user(), [(variant, 1)], status=OrderStatus.SHIPPED)
    assert await points.on_order_completed(shipped.id) is None
    assert await points.on_order_completed((await make_order(None, [(variant, 1)])).id) is None
    assert await PointsEntry.all().count() == 0


async def test_refunds_take_back_points_in_proportion_once_each(db):
    await MembershipTier.create(name="Silver", rank=1, min_spend=10_000)
    user = await make_user()
    order = await make_order(user, [(await _variant("100.00"), 1)])
    await points.on_order_completed(order.id)
    # The amount passed is the order's refunded amount so far, this refund included.
    first = await points.on_order_refunded(order.id, 2_500, "refund-1")
    assert first is not None and first.amount == -25 and first.kind == PointsKind.REFUND
    assert (await points.on_order_refunded(order.id, 2_500, "refund-1")).id == first.id  # type: ignore[union-attr]
    order.refunded_total = 10_000
    await order.save()
    last = await points.on_order_refunded(order.id, 10_000, "refund-2")
    assert last is not None and last.amount == -75
    assert await points.on_order_refunded(order.id, 5_000, "refund-3") is None
    assert await points.balance(user.id) == 0
    assert (await User.get(id=user.id)).tier_id is None


async def test_partial_refunds_adding_up_to_the_order_take_back_every_point(db):
    user = await make_user()
    order = await make_order(user, [(await _variant("100.00"), 1)])  # earns 100 points
    await points.on_order_completed(order.id)
    taken = []
    for n, so_far in enumerate((3_333, 6_666, 10_000), start=1):
        order.refunded_total = so_far
        await order.save()
        entry = await points.on_order_refunded(order.id, so_far, f"refund-{n}")
        assert entry is not None
        taken.append(-entry.amount)
    assert taken == [33, 33, 34]
    assert await points.balance(user.id) == 0
    # A late retry carrying an older figure takes nothing more.
    assert await points.on_order_refunded(order.id, 3_333, "refund-late") is None


async def test_the_stored_refunded_total_counts_when_the_hook_is_given_less(db):
    user = await make_user()
    order = await make_order(user, [(await _variant("100.00"), 1)], refunded_total=5_000)
    await points.on_order_completed(order.id)
    entry = await points.on_order_refunded(order.id, 1_000, "refund-1")
    assert entry is not None and entry.amount == -50


async def test_a_refund_writes_off_lapsed_points_before_taking_back(db):
    user = await make_user()
    lapsed = await points.award(user.id, 100, PointsKind.CHECK_IN, "check-in:2020-01-01")
    lapsed.expires_at = timezone.now() - timedelta(days=1)
    await lapsed.save()
    order = await make_order(user, [(await _variant("200.00"), 1)])
    await points.on_order_completed(order.id)
    assert await points.balance(user.id) == 200
    order.refunded_total = order.total
    await order.save()
    entry = await points.on_order_refunded(order.id, order.total, "refund-1")
    assert entry is not None and entry.amount == -200
    # Counted as a spend of the oldest points, the refund would otherwise have covered the
    # lapsed check-in points and brought them back.
    assert await points.balance(user.id) == 0
    expiry = await PointsEntry.get(user_id=user.id, kind=PointsKind.EXPIRY)
    assert expiry.amount == -100 and expiry.created_at <= entry.created_at


def test_order_points_are_capped_and_exact_for_huge_totals(monkeypatch, settings):
    monkeypatch.setattr(settings, "shop_currency", "JPY")
    assert points.order_points(2**63 - 1, tiers.MAX_MULTIPLIER_PCT) == points.MAX_ORDER_POINTS
    assert points.order_points(10**12 - 1, 100) == 10**12 - 1  # no rounding error near the cap
    assert points.order_points(-5, 100) == 0 and points.order_points(500, 0) == 0


async def test_a_huge_order_in_a_zero_decimal_currency_at_x100_earns_the_cap(
    db, monkeypatch, settings
):
    monkeypatch.setattr(settings, "shop_currency", "JPY")
    gold = await MembershipTier.create(name="Gold", rank=1, points_multiplier_pct=10_000)
    user = await make_user(tier=gold)
    order = await make_order(user, [(await _variant("1.00"), 1)])
    await Order.filter(id=order.id).update(total=9 * 10**18)
    entry = await points.on_order_completed(order.id)
    assert entry is not None and entry.amount == points.MAX_ORDER_POINTS
    assert await points.balance(user.id) == points.MAX_ORDER_POINTS


async def test_expired_points_leave_the_balance_and_are_written_off_once(db):
    user = await make_user()
    old = await points.award(user.id, 100, PointsKind.CHECK_IN, "check-in:2020-01-01")
    old.expires_at = timezone.now() - timedelta(days=1)
    await old.save()
    await points.award(user.id, 40, PointsKind.REVIEW, "review:1")
    assert await points.balance(user.id) == 40
    entry = await points.expire_points(user.id)
    assert entry is not None and entry.amount == -100 and entry.kind == PointsKind.EXPIRY
    assert await points.expire_points(user.id) is None
    assert await points.expire_all_points() == 0
    assert await points.balance(user.id) == 40
    lapse = await points.expiring_soon(user.id)
    assert lapse is not None and lapse.amount == 40


async def test_expire_all_points_writes_off_every_member_due(db):
    users = [await make_user() for _ in range(2)]
    for user in users:
        entry = await points.award(user.id, 10, PointsKind.REVIEW, "review:1")
        entry.expires_at = timezone.now() - timedelta(seconds=1)
        await entry.save()
    assert await points.expire_all_points() == 2
    assert await PointsEntry.filter(kind=PointsKind.EXPIRY).count() == 2


async def test_spend_refuses_to_overdraw_and_writes_nothing(db):
    user = await make_user()
    await points.award(user.id, 30, PointsKind.REVIEW, "review:1")
    with pytest.raises(MemberError) as caught:
        await points.spend(user.id, 31, PointsKind.REDEMPTION, "redemption:x")
    assert caught.value.problems[0].code is MemberErrorCode.INSUFFICIENT_POINTS
    assert await PointsEntry.filter(user_id=user.id).count() == 1


async def test_concurrent_spends_never_overdraw(db):
    user = await make_user()
    await points.award(user.id, 100, PointsKind.REVIEW, "review:1")

    async def attempt(n: int) -> bool:
        try:
            await points.spend(user.id, 30, PointsKind.REDEMPTION, f"redemption:{n}")
        except MemberError:
            return False
        return True

    results = await asyncio.gather(*(attempt(n) for n in range(6)))
    assert sum(results) == 3
    assert await points.balance(user.id) == 10


async def test_award_for_review_only_for_the_reviewer(db, settings):
    from models.reviews import Review

    user, other = await make_user(), await make_user()
    product = await make_product()
    review = await Review.create(product=product, user=user, rating=5)
    assert await points.award_for_review(other.id, review.id) is None
    entry = await points.award_for_review(user.id, review.id)
    assert entry is not None and entry.amount == settings.review_points
    assert (await points.award_for_review(user.id, review.id)).id == entry.id  # type: ignore[union-attr]
    # A new review of the same product, after the first was deleted, earns nothing more.
    await review.delete()
    rewritten = await Review.create(product=product, user=user, rating=4)
    assert (await points.award_for_review(user.id, rewritten.id)).id == entry.id  # type: ignore[union-attr]
    assert entry.source == f"review:product:{product.id}"


async def test_check_in_continues_yesterdays_streak(db):
    user = await make_user()
    today = timezone.now()
    await CheckIn.create(user=user, day=(today - timedelta(days=1)).date(), streak=3, points=7)
    row, entry = await check_in.check_in(user.id, today)
    assert (row.streak, row.points, entry.amount) == (4, 8, 8)
    assert entry.source == f"check-in:{today.date().isoformat()}"
    with pytest.raises(MemberError) as caught:
        await check_in.check_in(user.id, today)
    assert caught.value.problems[0].code is MemberErrorCode.ALREADY_CHECKED_IN
    status = await check_in.check_in_status(user.id)
    assert (status.checked_in_today, status.streak, status.next_points) == (True, 4, 9)


async def test_a_gap_restarts_the_streak(db):
    user = await make_user()
    now = timezone.now()
    await CheckIn.create(user=user, day=(now - timedelta(days=2)).date(), streak=5, points=9)
    assert (await check_in.check_in_status(user.id)).streak == 0
    row, _ = await check_in.check_in(user.id, now)
    assert (row.streak, row.points) == (1, 5)


async def test_recompute_all_tiers_handles_more_members_than_a_statement_can_bind(db):
    # PostgreSQL binds at most 32,767 parameters per statement (SQLite builds vary).
    gold = await MembershipTier.create(name="Gold", rank=1, min_orders=1)
    base = await MembershipTier.create(name="Base", rank=0)
    many = 33_000
    now = timezone.now()
    await User.bulk_create([User(nickname=f"m{n}") for n in range(many)], batch_size=5_000)
    ids = await User.all().order_by("id").values_list("id", flat=True)
    await Order.bulk_create(
        [
            Order(
                number=f"BULK{n}",
                user_id=user_id,
                email=f"m{n}@example.com",
                status=OrderStatus.COMPLETED,
                shop_currency="USD",
                currency="USD",
                total=100,
                placed_at=now,
                completed_at=now,
            )
            for n, user_id in enumerate(ids)
        ],
        batch_size=5_000,
    )
    idle = await make_user()
    assert await tiers.recompute_all_tiers() == many + 1
    assert await User.filter(tier_id=gold.id).count() == many
    assert (await User.get(id=idle.id)).tier_id == base.id
