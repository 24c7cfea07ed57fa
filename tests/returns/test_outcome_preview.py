"""The refundable amount of a return, line by line and in total: discount shares exact to the
minor unit, the restocking fee, return shipping once, duties and taxes per regime, the caps,
and both currencies."""

from __future__ import annotations

import pytest

from models.customs import ChargeKind
from models.returns import (
    Inspection,
    OutcomeStatus,
    PolicyScope,
    ReturnOutcome,
    ReturnPolicy,
    ReturnShippingPayer,
)
from services.returns.outcome import OutcomeOptions, Pair, part, preview
from settings import get_settings
from tests.factories import make_user
from tests.returns.outcome_factories import charge, discounted, inspected_return, paid_order

pytestmark = pytest.mark.usefixtures("db")


def test_parts_of_a_line_add_up_to_it() -> None:
    # 1000 over 3 units, returned one at a time: 333 + 333 + 334.
    shares = [part(1000, before, 1, 3) for before in range(3)]
    assert shares == [333, 333, 334] and sum(shares) == 1000
    assert part(1000, 0, 0, 3) == 0


async def test_discount_shares_are_exact_and_both_currencies() -> None:
    # 10.00 + 20.00 + 30.00 USD at 150 JPY: 1500 + 3000 + 4500 yen; a 10.00 USD (1500 yen)
    # coupon shared by line total: 1.67 / 3.33 / 5.00 USD, 250 / 500 / 750 yen.
    user = await make_user()
    order, _, lines = await paid_order(
        user, ("10.00", "20.00", "30.00"), currency="JPY", rate="150"
    )
    await discounted(order, 1000, 1500)
    ret = await inspected_return(order, [(lines[0], 1), (lines[1], 1)])
    found = await preview(ret.id)
    first, second = found.lines
    assert first.paid == Pair(1500, 1000) and first.discount == Pair(250, 167)
    assert second.paid == Pair(3000, 2000) and second.discount == Pair(500, 333)
    assert first.refundable == Pair(1250, 833)
    assert second.refundable == Pair(2500, 1667)
    assert found.total == Pair(3750, 2500)
    assert (found.currency, found.shop_currency) == ("JPY", "USD")


async def test_restocking_fee_only_on_restocked_units_and_waivable() -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("40.00", "40.00"))
    for line in lines:
        await ReturnPolicy.create(
            scope=PolicyScope.PRODUCT,
            product_id=line.product_id,
            restocking_fee_bps=1500,
            return_shipping_payer=ReturnShippingPayer.MERCHANT,
        )
    restocked = await inspected_return(order, [(lines[0], 1)])
    found = await preview(restocked.id)
    assert found.lines[0].restocking_fee == Pair(600, 600)
    assert found.total == Pair(3400, 3400)
    waived = await preview(restocked.id, OutcomeOptions(waive_restocking_fee=True))
    assert waived.total == Pair(4000, 4000)

    damaged = await inspected_return(order, [(lines[1], 1)], inspection=Inspection.WRITTEN_OFF)
    assert (await preview(damaged.id)).lines[0].restocking_fee == Pair(0, 0)


async def test_return_shipping_is_taken_once_per_return_and_waivable() -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00", "10.00"), currency="EUR", rate="0.92")
    await ReturnPolicy.create(
        scope=PolicyScope.SHOP,
        return_shipping_payer=ReturnShippingPayer.CUSTOMER,
        return_shipping_fee=500,
    )
    ret = await inspected_return(order, [(lines[0], 1), (lines[1], 1)])
    found = await preview(ret.id)
    # 5.00 USD once, at the order's rate: 4.60 EUR.
    assert found.return_shipping == Pair(460, 500)
    assert found.total == Pair(920 * 2 - 460, 2000 - 500)
    assert (await preview(ret.id, OutcomeOptions(waive_return_shipping=True))).total == Pair(
        1840, 2000
    )


async def test_kept_items_pay_no_fee_nor_parcel() -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",))
    await ReturnPolicy.create(
        scope=PolicyScope.SHOP, restocking_fee_bps=2000, return_shipping_fee=300
    )
    ret = await inspected_return(order, [(lines[0], 1)], keep_items=True)
    found = await preview(ret.id)
    assert found.lines[0].counted == 1
    assert found.total == Pair(1000, 1000)


async def test_missing_units_are_refunded_only_when_chosen() -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",), quantities=(3,))
    ret = await inspected_return(order, [(lines[0], 3)], inspected=2)
    found = await preview(ret.id)
    line = found.lines[0]
    assert (line.restocked, line.missing, line.counted) == (2, 1, 2)
    assert found.total == Pair(2000, 2000)
    assert (await preview(ret.id, OutcomeOptions(refund_missing=True))).total == Pair(3000, 3000)


async def test_import_vat_goes_back_duty_only_when_the_shop_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await make_user()
    order, _, lines = await paid_order(
        user,
        ("100.00",),
        quantities=(2,),
        currency="EUR",
        rate="0.92",
        ship_country="DE",
        incoterm="ddp",
    )
    await charge(order, lines[0], ChargeKind.IMPORT_TAX, 3800, 3496, regime="EU-IOSS")
    await charge(order, lines[0], ChargeKind.DUTY, 1201, 1105, regime="EU-STANDARD")
    ret = await inspected_return(order, [(lines[0], 1)])
    found = await preview(ret.id)
    # Half the VAT (one unit of two); the DDP duty stays with the shop by default.
    assert found.customs == Pair(1748, 1900)
    assert found.total == Pair(9200 + 1748, 10000 + 1900)
    monkeypatch.setattr(get_settings(), "returns_refund_duties", True)
    with_duty = await preview(ret.id)
    assert with_duty.customs == Pair(1748 + 552, 1900 + 600)


async def test_jpy_has_no_minor_units() -> None:
    user = await make_user()
    order, _, lines = await paid_order(
        user, ("9.99",), quantities=(3,), currency="JPY", rate="151.3"
    )
    await discounted(order, 100, 151)
    ret = await inspected_return(order, [(lines[0], 1)])
    found = await preview(ret.id)
    # 1511 yen a unit, 4533 for three, less 151: 4382 over three units, floor for the first.
    assert found.lines[0].refundable.order == 4382 // 3
    assert found.lines[0].paid.order == 1511


async def test_a_line_never_gives_back_more_than_was_paid_for_it() -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",), quantities=(2,))
    first = await inspected_return(order, [(lines[0], 1)])
    await ReturnOutcome.create(
        return_request=first,
        status=OutcomeStatus.DONE,
        currency="USD",
        refund_amount=1500,
        breakdown=[
            {
                "kind": "line",
                "return_line": 0,
                "order_line": lines[0].id,
                "units": 1,
                "total": 1500,
                "total_shop": 1500,
                "charges": [],
            },
            {"kind": "plan", "total": 1500},
        ],
    )
    second = await inspected_return(order, [(lines[0], 1)])
    found = await preview(second.id)
    # 20.00 paid for the line, 15.00 already given back for it: 5.00 left.
    assert found.lines[0].refundable == Pair(500, 500)
    assert found.lines[0].capped and found.capped


async def test_the_order_never_gives_back_more_than_was_captured() -> None:
    user = await make_user()
    order, payment, lines = await paid_order(user, ("10.00", "10.00"))
    payment.amount_received = 1200  # part was never captured
    await payment.save()
    ret = await inspected_return(order, [(lines[0], 1), (lines[1], 1)])
    found = await preview(ret.id)
    assert found.total.order == 1200 and found.capped
