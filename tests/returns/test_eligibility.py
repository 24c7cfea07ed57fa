"""Which lines may go back, how many units, and why not: the rules, without the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import timezone

from models.orders import Order, OrderStatus, Shipment
from models.returns import PolicyScope, ReturnLine, ReturnPolicy, ReturnRequest, ReturnStatus
from services.returns.eligibility import NotReturnable, eligibility
from settings import get_settings
from tests.returns.setup import delivered_order, make_user, ship

pytestmark = pytest.mark.usefixtures("db")


async def _hold(order: Order, line_id: int, quantity: int, status: ReturnStatus) -> None:
    seq = await ReturnRequest.filter(order_id=order.id).count() + 1
    ret = await ReturnRequest.create(
        number=f"{order.number}-R{seq}", order=order, sequence=seq, status=status,
        resolution="refund",
    )  # fmt: skip
    await ReturnLine.create(return_request=ret, order_line_id=line_id, quantity=quantity)


async def test_delivered_lines_are_returnable_until_the_window_closes():
    order, _, _ = await delivered_order(await make_user(), delivered_days_ago=10)
    delivered = (await Shipment.get(order_id=order.id)).delivered_at

    found = await eligibility(order)

    assert [e.returnable for e in found] == [1, 1]
    assert all(e.reason is None for e in found)
    assert delivered is not None
    assert found[0].window_ends == delivered + timedelta(days=30)


async def test_the_window_is_open_at_its_last_moment_and_closed_just_after():
    order, _, _ = await delivered_order(await make_user(), delivered_days_ago=30)
    end = (await eligibility(order))[0].window_ends
    assert end is not None

    at_end = await eligibility(order, now=end)
    after = await eligibility(order, now=end + timedelta(seconds=1))

    assert at_end[0].returnable == 1 and at_end[0].reason is None
    assert after[0].returnable == 0
    assert after[0].reason is NotReturnable.WINDOW_OVER
    assert end.date().isoformat() in after[0].explain()


async def test_without_a_delivery_date_the_window_runs_from_shipping_plus_the_margin():
    order, lines, _ = await delivered_order(await make_user(), quantities=(1,))
    await Shipment.filter(order_id=order.id).delete()
    shipped = timezone.now() - timedelta(days=40)
    await ship(order, [(lines[0], 1)], shipped_at=shipped)
    margin = get_settings().returns_delivery_margin_days

    found = (await eligibility(order))[0]

    assert found.window_ends == shipped + timedelta(days=30 + margin)
    assert found.returnable == (1 if margin > 10 else 0)


async def test_a_shorter_policy_on_the_product_closes_its_window_sooner():
    order, _, products = await delivered_order(await make_user(), delivered_days_ago=10)
    await ReturnPolicy.create(scope=PolicyScope.PRODUCT, product=products[0], window_days=7)

    found = await eligibility(order)

    assert found[0].reason is NotReturnable.WINDOW_OVER
    assert found[1].returnable == 1


async def test_final_sale_lines_cannot_go_back():
    order, _, products = await delivered_order(await make_user())
    await ReturnPolicy.create(scope=PolicyScope.PRODUCT, product=products[1], returnable=False)

    found = await eligibility(order)

    assert found[0].returnable == 1
    assert (found[1].returnable, found[1].reason) == (0, NotReturnable.FINAL_SALE)


async def test_units_not_shipped_yet_cannot_go_back():
    order, lines, _ = await delivered_order(await make_user(), quantities=(3, 2))
    await Shipment.filter(order_id=order.id).delete()
    await ship(order, [(lines[0], 2)], delivered_at=timezone.now())

    found = await eligibility(order)

    assert (found[0].shipped, found[0].returnable) == (2, 2)
    assert (found[1].returnable, found[1].reason) == (0, NotReturnable.NOT_SHIPPED)


async def test_a_return_parcel_is_never_counted_as_shipped():
    order, lines, _ = await delivered_order(await make_user(), quantities=(1,))
    await Shipment.filter(order_id=order.id).delete()
    await _hold(order, lines[0].id, 1, ReturnStatus.CANCELLED)
    back = await ReturnRequest.get(order_id=order.id)
    await ship(order, [(lines[0], 1)], delivered_at=timezone.now(), return_request=back)

    found = (await eligibility(order))[0]

    assert found.reason is NotReturnable.NOT_SHIPPED


async def test_units_in_returns_count_unless_declined_or_cancelled():
    order, lines, _ = await delivered_order(await make_user(), quantities=(4, 1))
    await _hold(order, lines[0].id, 1, ReturnStatus.REQUESTED)
    await _hold(order, lines[0].id, 1, ReturnStatus.CLOSED)
    await _hold(order, lines[0].id, 2, ReturnStatus.DECLINED)
    await _hold(order, lines[1].id, 1, ReturnStatus.CANCELLED)
    await _hold(order, lines[1].id, 1, ReturnStatus.APPROVED)

    found = await eligibility(order)

    assert (found[0].held, found[0].returnable) == (2, 2)
    assert (found[1].returnable, found[1].reason) == (0, NotReturnable.ALREADY_RETURNED)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.CANCELLED, NotReturnable.ORDER_CANCELLED),
        (OrderStatus.PENDING_PAYMENT, NotReturnable.ORDER_UNPAID),
    ],
)
async def test_cancelled_and_unpaid_orders_have_nothing_to_return(status, reason):
    order, _, _ = await delivered_order(await make_user())
    await Order.filter(id=order.id).update(status=status)

    found = await eligibility(await Order.get(id=order.id))

    assert {(e.returnable, e.reason) for e in found} == {(0, reason)}
