"""Two staff acting on one return at once (run on PostgreSQL too): one action applies, the
other is refused and changes nothing; never more units restocked than came back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from models.inventory import MovementKind, StockMovement
from models.returns import ReturnEvent, ReturnLine, ReturnRequest, ReturnStatus
from services.orders.timeline import Actor
from services.returns import handling, inspection
from services.returns.errors import ReturnError, ReturnErrorCode
from tests.returns.factories import delivered_order, make_return, on_hand, order_lines

S = ReturnStatus
ANNA, BEN = Actor("user:1"), Actor("user:2")


async def _outcome(action: Awaitable[ReturnRequest]) -> ReturnStatus | ReturnErrorCode:
    try:
        return ReturnStatus((await action).status)
    except ReturnError as exc:
        return ReturnErrorCode(exc.problems[0].code)


async def test_two_inspections_at_once_restock_the_units_once(db):
    order = await delivered_order(quantities=(2,), stock=5)
    (line,) = await order_lines(order)
    ret = await make_return(order, status=S.RECEIVED)
    (rl,) = await ReturnLine.filter(return_request_id=ret.id)
    restock = [inspection.LineDecision(rl.id, inspection.Inspection.RESTOCK, 2)]
    results = await asyncio.gather(
        *(
            _outcome(inspection.inspect_lines(ret.id, actor=who, version=0, decisions=restock))
            for who in (ANNA, BEN)
        )
    )
    assert sorted(map(str, results)) == sorted([str(S.RECEIVED), str(ReturnErrorCode.STALE)])
    assert await on_hand(line) == 7
    assert await StockMovement.filter(kind=MovementKind.RETURN).count() == 1
    row = await ReturnLine.get(id=rl.id)
    assert row.restocked_quantity == 2
    assert (await ReturnRequest.get(id=ret.id)).version == 1


async def test_many_inspections_at_once_never_restock_more_than_came_back(db):
    order = await delivered_order(quantities=(3,), stock=0)
    (line,) = await order_lines(order)
    ret = await make_return(order, status=S.RECEIVED)
    (rl,) = await ReturnLine.filter(return_request_id=ret.id)

    async def inspect(units: int) -> ReturnStatus | ReturnErrorCode:
        # Each reads the return as it is when it starts, as a screen would.
        read = await ReturnRequest.get(id=ret.id)
        decision = [inspection.LineDecision(rl.id, inspection.Inspection.RESTOCK, units)]
        return await _outcome(
            inspection.inspect_lines(ret.id, actor=ANNA, version=read.version, decisions=decision)
        )

    await asyncio.gather(*(inspect(units) for units in (3, 2, 3, 1, 3, 2)))
    row = await ReturnLine.get(id=rl.id)
    assert 1 <= row.restocked_quantity <= 3
    # The shelf holds exactly what the line says was restocked, whichever decisions won.
    assert await on_hand(line) == row.restocked_quantity
    moved = await StockMovement.filter(variant_id=line.variant_id)
    assert sum(m.on_hand_change for m in moved) == row.restocked_quantity


async def test_approve_and_cancel_at_once_apply_exactly_one(db):
    ret = await make_return(await delivered_order())
    results = await asyncio.gather(
        _outcome(handling.approve(ret.id, actor=ANNA, version=0, instructions="Post it")),
        _outcome(handling.cancel(ret.id, actor=BEN, version=0, reason="Asked by phone")),
    )
    won = [r for r in results if isinstance(r, ReturnStatus)]
    lost = [r for r in results if not isinstance(r, ReturnStatus)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0] in (ReturnErrorCode.STALE, ReturnErrorCode.ILLEGAL_TRANSITION)
    fresh = await ReturnRequest.get(id=ret.id)
    assert (fresh.status, fresh.version) == (won[0], 1)
    assert await ReturnEvent.filter(return_request_id=ret.id).count() == 1
    assert fresh.instructions == ("Post it" if won[0] is S.APPROVED else "")
