"""The stock ledger's rules: every change with its movement, all lines or none, no oversell."""

from __future__ import annotations

import asyncio

import pytest

from models.catalog import ListingStatus, Product, ProductListingEvent, ProductVariant
from models.inventory import LowStockAlert, MovementKind, StockMovement, Stocktake
from services.inventory import stock
from services.inventory.errors import InventoryError, InventoryErrorCode
from services.transactions import atomic
from subscriptions import bus
from subscriptions.events import LOW_STOCK_CHANNEL
from tests.inventory.helpers import figures, stocked_variant


async def test_a_new_variants_stock_is_its_first_receipt(db):
    variant = await stocked_variant(7)
    (movement,) = await StockMovement.filter(variant_id=variant.id)
    assert (movement.kind, movement.on_hand_change, movement.on_hand_after) == (
        MovementKind.RECEIPT,
        7,
        7,
    )
    assert await stock.verify_ledger() == []


async def test_reserve_holds_units_and_records_the_figures_after(db):
    variant = await stocked_variant(10)
    await stock.reserve([(variant.id, 3), (variant.id, 1)], reference="TW1")
    assert await figures(variant) == (10, 4)
    movement = await StockMovement.get(variant_id=variant.id, kind=MovementKind.RESERVATION)
    assert (movement.reserved_change, movement.on_hand_after, movement.reserved_after) == (4, 10, 4)
    assert movement.reference == "TW1"


async def test_reserve_changes_nothing_when_any_line_is_short(db):
    plenty, scarce = await stocked_variant(10), await stocked_variant(2)
    with pytest.raises(InventoryError) as caught:
        await stock.reserve([(plenty.id, 5), (scarce.id, 3)], reference="TW2")
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == (InventoryErrorCode.OUT_OF_STOCK, ("lines", "1"))
    assert "Only 2" in problem.message
    assert caught.value.available == {scarce.id: 2}
    assert await figures(plenty) == (10, 0) and await figures(scarce) == (2, 0)
    assert not await StockMovement.filter(reference="TW2").exists()


async def test_a_refused_reservation_leaves_the_callers_transaction_usable(db):
    variant = await stocked_variant(1)
    async with atomic():
        await Stocktake.create(note="kept")
        with pytest.raises(InventoryError):
            await stock.reserve([(variant.id, 2)], reference="TW3")
        await stock.reserve([(variant.id, 1)], reference="TW3")
    assert await Stocktake.exists(note="kept")
    assert await figures(variant) == (1, 1)


async def test_bad_lines_are_refused_before_anything_is_read(db):
    variant = await stocked_variant(5)
    with pytest.raises(InventoryError) as caught:
        await stock.reserve([(variant.id, 0), (variant.id, -2)], reference="x")
    assert [p.field for p in caught.value.problems] == [
        ("lines", "0", "quantity"),
        ("lines", "1", "quantity"),
    ]
    with pytest.raises(InventoryError) as caught:
        await stock.reserve([(999_999, 1)], reference="x")
    assert caught.value.problems[0].code is InventoryErrorCode.NOT_FOUND


async def test_release_ship_and_return_move_the_right_figures(db):
    variant = await stocked_variant(10)
    await stock.reserve([(variant.id, 4)], reference="TW4")
    await stock.release([(variant.id, 1)], reference="TW4")
    assert await figures(variant) == (10, 3)
    await stock.ship([(variant.id, 3)], reference="TW4")
    assert await figures(variant) == (7, 0)
    await stock.return_goods([(variant.id, 2)], reference="TW4")
    assert await figures(variant) == (9, 0)
    kinds = (
        await StockMovement.filter(reference="TW4").order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        MovementKind.RESERVATION,
        MovementKind.RELEASE,
        MovementKind.SALE,
        MovementKind.RETURN,
    ]
    assert await stock.verify_ledger() == []


async def test_release_or_ship_more_than_is_reserved_is_refused(db):
    variant = await stocked_variant(10)
    await stock.reserve([(variant.id, 2)], reference="TW5")
    for operation in (stock.release, stock.ship):
        with pytest.raises(InventoryError) as caught:
            await operation([(variant.id, 3)], reference="TW5")
        assert caught.value.problems[0].code is InventoryErrorCode.NOT_RESERVED
    assert await figures(variant) == (10, 2)


async def test_adjust_never_takes_on_hand_below_reserved(db):
    variant = await stocked_variant(5)
    await stock.reserve([(variant.id, 3)], reference="TW6")
    with pytest.raises(InventoryError) as caught:
        await stock.adjust(variant.id, -3, reason="broken")
    assert (caught.value.problems[0].code, caught.value.problems[0].field) == (
        InventoryErrorCode.BELOW_RESERVED,
        ("delta",),
    )
    movement = await stock.adjust(variant.id, -2, reason="broken", actor_id=None)
    assert (movement.kind, movement.on_hand_after, movement.note) == (
        MovementKind.ADJUSTMENT,
        3,
        "broken",
    )
    for delta, reason, code in ((0, "x", "INVALID_QUANTITY"), (1, " ", "REQUIRED")):
        with pytest.raises(InventoryError) as caught:
            await stock.adjust(variant.id, delta, reason=reason)
        assert caught.value.problems[0].code.name == code


async def test_verify_ledger_finds_figures_changed_behind_its_back(db):
    variant = await stocked_variant(5)
    await ProductVariant.filter(id=variant.id).update(stock_on_hand=6)
    (mismatch,) = await stock.verify_ledger()
    assert (mismatch.variant_id, mismatch.on_hand, mismatch.ledger_on_hand) == (variant.id, 6, 5)


async def test_the_ledger_adds_up_after_a_mix_of_operations(db):
    variants = [await stocked_variant(20) for _ in range(3)]
    a, b, c = (v.id for v in variants)
    await stock.reserve([(a, 5), (b, 2)], reference="m1")
    await stock.ship([(a, 3)], reference="m1")
    await stock.release([(a, 2), (b, 1)], reference="m1")
    await stock.receive(c, 4, reference="PO-1", note="", actor_id=None)
    await stock.adjust(b, -5, reason="count")
    await stock.return_goods([(a, 1)], reference="m1")
    with pytest.raises(InventoryError):
        await stock.reserve([(c, 100)], reference="m2")
    assert await stock.verify_ledger() == []
    assert [await figures(v) for v in variants] == [(18, 0), (15, 1), (24, 0)]


async def test_fifty_concurrent_buyers_never_oversell_twenty_units(db):
    # The proof needs PostgreSQL (CI runs it there): SQLite serialises writers anyway.
    variant = await stocked_variant(20)

    async def buy(n: int) -> bool:
        try:
            async with atomic():
                await stock.reserve([(variant.id, 1)], reference=f"C{n}")
        except InventoryError:
            return False
        return True

    results = await asyncio.gather(*(buy(n) for n in range(50)))
    assert sum(results) == 20
    assert await figures(variant) == (20, 20)
    reservations = StockMovement.filter(variant_id=variant.id, kind=MovementKind.RESERVATION)
    assert await reservations.count() == 20
    assert sorted(await reservations.values_list("reserved_after", flat=True)) == list(range(1, 21))
    assert await stock.verify_ledger() == []


# Low-stock alerts.


async def test_falling_to_the_threshold_raises_one_alert_announced_after_commit(db):
    variant = await stocked_variant(8)  # the shop default threshold is 5
    async with bus.current().subscribe(LOW_STOCK_CHANNEL) as messages:
        await stock.reserve([(variant.id, 2)], reference="a1")  # 6 left: above
        assert not await LowStockAlert.exists(variant_id=variant.id)
        async with atomic():
            await stock.reserve([(variant.id, 1)], reference="a2")  # 5 left: crossed
            assert await LowStockAlert.filter(variant_id=variant.id).count() == 1
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(anext(aiter(messages)), timeout=0.1)
        message = await asyncio.wait_for(anext(aiter(messages)), timeout=2)
    assert (message["variantId"], message["threshold"], message["available"]) == (variant.id, 5, 5)
    await stock.reserve([(variant.id, 1)], reference="a3")  # still below: no second alert
    assert await LowStockAlert.filter(variant_id=variant.id).count() == 1


async def test_a_rolled_back_crossing_raises_and_announces_nothing(db):
    variant = await stocked_variant(6)
    async with bus.current().subscribe(LOW_STOCK_CHANNEL) as messages:
        with pytest.raises(RuntimeError):
            async with atomic():
                await stock.reserve([(variant.id, 2)], reference="r1")
                raise RuntimeError("checkout failed later")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(aiter(messages)), timeout=0.2)
    assert not await LowStockAlert.exists(variant_id=variant.id)


async def test_restocking_above_the_threshold_resolves_the_open_alert(db):
    variant = await stocked_variant(6)
    await stock.adjust(variant.id, -3, reason="damaged")
    alert = await LowStockAlert.get(variant_id=variant.id)
    assert alert.resolved_at is None and alert.available == 3
    await stock.receive(variant.id, 1, reference="PO-2")  # 4: still low
    assert (await LowStockAlert.get(id=alert.id)).resolved_at is None
    await stock.receive(variant.id, 5, reference="PO-3")  # 9: above
    assert (await LowStockAlert.get(id=alert.id)).resolved_at is not None


async def test_a_variants_own_threshold_wins_over_the_default(db):
    variant = await stocked_variant(30)
    await ProductVariant.filter(id=variant.id).update(low_stock_threshold=20)
    await stock.reserve([(variant.id, 10)], reference="t1")
    alert = await LowStockAlert.get(variant_id=variant.id)
    assert (alert.threshold, alert.available) == (20, 20)


# Sold-out delisting.


async def test_a_product_that_asks_for_it_leaves_the_shelf_when_its_last_unit_is_reserved(db):
    variant = await stocked_variant(2, delist_when_sold_out=True)
    await stock.reserve([(variant.id, 1)], reference="s1")
    assert (await Product.get(id=variant.product_id)).status is ListingStatus.ACTIVE
    await stock.reserve([(variant.id, 1)], reference="s2")
    product = await Product.get(id=variant.product_id)
    assert product.status is ListingStatus.DRAFT and product.listing_visible is False
    event = await ProductListingEvent.filter(product_id=product.id).order_by("-id").first()
    assert event is not None and (event.visible, event.actor) == (False, "system")


async def test_other_products_stay_on_the_shelf_when_sold_out(db):
    variant = await stocked_variant(1)
    await stock.reserve([(variant.id, 1)], reference="s3")
    assert (await Product.get(id=variant.product_id)).status is ListingStatus.ACTIVE


async def test_a_product_with_another_variant_in_stock_stays_listed(db):
    from tests.factories import make_product

    product = await make_product(prices=("5.00", "6.00"), stock=(1, 3), delist_when_sold_out=True)
    first = await ProductVariant.filter(product_id=product.id).order_by("id").first()
    assert first is not None
    await stock.reserve([(first.id, 1)], reference="s4")
    assert (await Product.get(id=product.id)).status is ListingStatus.ACTIVE
