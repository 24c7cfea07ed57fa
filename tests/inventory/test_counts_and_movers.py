"""Stocktakes and slow movers, at the service level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from models.inventory import MovementKind, StockMovement, StocktakeLine, StocktakeStatus
from services.inventory import slow_movers, stock, stocktakes
from services.inventory.errors import InventoryError, InventoryErrorCode
from services.pagination import PageRequest
from tests.inventory.helpers import figures, stocked_variant


async def test_applying_a_stocktake_writes_only_the_differences_once(db):
    short, exact, extra = [await stocked_variant(10) for _ in range(3)]
    take = await stocktakes.open_stocktake(note="Q4 count")
    await stocktakes.record_counts(take.id, [(short.id, 7), (exact.id, 10)])
    await stocktakes.record_counts(take.id, [(short.id, 8), (extra.id, 12)])  # a recount
    assert await StocktakeLine.filter(stocktake_id=take.id).count() == 3

    applied = await stocktakes.apply_stocktake(take.id)
    assert applied.status is StocktakeStatus.APPLIED and applied.applied_at is not None
    assert [await figures(v) for v in (short, exact, extra)] == [(8, 0), (10, 0), (12, 0)]
    movements = await StockMovement.filter(kind=MovementKind.STOCKTAKE).order_by("variant_id")
    assert [(m.variant_id, m.on_hand_change) for m in movements] == [(short.id, -2), (extra.id, 2)]
    assert {m.reference for m in movements} == {f"stocktake:{take.id}"}
    line = await StocktakeLine.get(stocktake_id=take.id, variant_id=short.id)
    assert (line.expected, line.difference) == (10, -2)

    await stocktakes.apply_stocktake(take.id)
    assert await StockMovement.filter(kind=MovementKind.STOCKTAKE).count() == 2
    assert await stock.verify_ledger() == []


async def test_a_count_below_the_reserved_units_is_refused_and_nothing_applied(db):
    reserved, fine = await stocked_variant(10), await stocked_variant(10)
    await stock.reserve([(reserved.id, 6)], reference="TW9")
    take = await stocktakes.open_stocktake()
    await stocktakes.record_counts(take.id, [(reserved.id, 5), (fine.id, 9)])
    with pytest.raises(InventoryError) as caught:
        await stocktakes.apply_stocktake(take.id)
    assert caught.value.problems[0].code is InventoryErrorCode.BELOW_RESERVED
    assert (await stocktakes.get_stocktake(take.id)).status is StocktakeStatus.OPEN
    assert await figures(fine) == (10, 0)
    assert not await StockMovement.filter(kind=MovementKind.STOCKTAKE).exists()


async def test_counts_are_checked(db):
    variant = await stocked_variant(3)
    take = await stocktakes.open_stocktake()
    with pytest.raises(InventoryError) as caught:
        await stocktakes.record_counts(take.id, [(variant.id, -1), (variant.id, 2)])
    assert [(p.code, p.field) for p in caught.value.problems] == [
        (InventoryErrorCode.INVALID_QUANTITY, ("counts", "0", "counted")),
        (InventoryErrorCode.DUPLICATE_VARIANT, ("counts", "1", "variant_id")),
    ]
    with pytest.raises(InventoryError) as caught:
        await stocktakes.record_counts(take.id, [(999_999, 1)])
    assert caught.value.problems[0].code is InventoryErrorCode.NOT_FOUND
    assert not await StocktakeLine.exists(stocktake_id=take.id)


async def test_a_cancelled_stocktake_takes_no_counts_and_applies_nothing(db):
    variant = await stocked_variant(3)
    take = await stocktakes.open_stocktake()
    await stocktakes.record_counts(take.id, [(variant.id, 1)])
    await stocktakes.cancel_stocktake(take.id)
    for attempt in (
        stocktakes.record_counts(take.id, [(variant.id, 2)]),
        stocktakes.apply_stocktake(take.id),
    ):
        with pytest.raises(InventoryError) as caught:
            await attempt
        assert caught.value.problems[0].code is InventoryErrorCode.STOCKTAKE_NOT_OPEN
    assert await figures(variant) == (3, 0)


async def _sold(variant_id: int, units: int, days_ago: int) -> None:
    await stock.reserve([(variant_id, units)], reference="TW")
    await stock.ship([(variant_id, units)], reference="TW")
    await StockMovement.filter(variant_id=variant_id).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


async def test_slow_movers_are_stocked_variants_without_a_recent_sale(db):
    never = await stocked_variant(5)
    long_ago = await stocked_variant(30)
    await _sold(long_ago.id, 9, days_ago=60)
    recent = await stocked_variant(5)
    await _sold(recent.id, 1, days_ago=3)
    empty = await stocked_variant(2)
    await _sold(empty.id, 2, days_ago=60)

    page = await slow_movers.list_slow_movers(30, PageRequest(first=10))
    movers = [slow_movers.slow_mover(v) for v in page.items]
    # Longest without a sale first: the one sold 60 days ago, then the one never sold.
    assert [m.variant.id for m in movers] == [long_ago.id, never.id]
    old, new = movers
    assert (old.on_hand, old.units_sold, old.days_since_last_sale) == (21, 9, 60)
    assert old.days_of_cover == 210.0  # 21 units at 9 per 90 days
    assert (new.last_sold_at, new.units_sold, new.days_of_cover) == (None, 0, None)
    assert await slow_movers.count_slow_movers(30) == 2
    # A shorter window counts the recent sale as slow too.
    assert await slow_movers.count_slow_movers(2) == 3

    first = await slow_movers.list_slow_movers(30, PageRequest(first=1))
    rest = await slow_movers.list_slow_movers(30, PageRequest(first=5, after=first.cursors[0]))
    assert [v.id for v in first.items + rest.items] == [long_ago.id, never.id]
    with pytest.raises(InventoryError):
        await slow_movers.list_slow_movers(0, PageRequest())


async def test_goods_moving_between_the_count_and_applying_it_are_kept(db):
    variant = await stocked_variant(10)
    counting = await stocktakes.open_stocktake(note="shelf A")
    # Counted 9: one unit was missing when the shelf was counted.
    await stocktakes.record_counts(counting.id, [(variant.id, 9)])
    # Before the count is applied, three units ship and five arrive.
    await stock.reserve([(variant.id, 3)], reference="TW-A")
    await stock.ship([(variant.id, 3)], reference="TW-A")
    await stock.receive(variant.id, 5, reference="PO-7", note="", actor_id=None)
    await stocktakes.apply_stocktake(counting.id)
    # 10 - 1 missing - 3 shipped + 5 received.
    assert (await figures(variant))[0] == 11
