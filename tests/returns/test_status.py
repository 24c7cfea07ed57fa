"""The return status machine: every move it allows and refuses, the version a screen read,
and two moves racing on one return."""

from __future__ import annotations

import asyncio

import pytest

from models.returns import ReturnEvent, ReturnRequest, ReturnStatus
from services.orders.timeline import Actor
from services.returns import status
from services.returns.errors import ReturnError, ReturnErrorCode
from services.transactions import atomic
from tests.returns.factories import delivered_order, make_return

S = ReturnStatus
STAFF = Actor("user:1")

ALLOWED = {
    (S.REQUESTED, S.APPROVED),
    (S.REQUESTED, S.DECLINED),
    (S.REQUESTED, S.CANCELLED),
    (S.APPROVED, S.IN_TRANSIT),
    (S.APPROVED, S.RECEIVED),
    (S.APPROVED, S.CLOSED),
    (S.APPROVED, S.CANCELLED),
    (S.IN_TRANSIT, S.RECEIVED),
    (S.RECEIVED, S.INSPECTED),
    (S.INSPECTED, S.CLOSED),
}


def test_the_table_says_exactly_the_moves_listed():
    table = {(a, b) for a, targets in status.TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(status.TRANSITIONS) == set(S)


@pytest.mark.parametrize("current", list(S))
async def test_every_move_from_a_status_is_applied_or_refused_as_the_table_says(db, current):
    order = await delivered_order()
    for target in S:
        ret = await make_return(order, status=current)
        if (current, target) in ALLOWED:
            async with atomic():
                moved = await status.move(ret, target, actor=STAFF)
            fresh = await ReturnRequest.get(id=ret.id)
            assert (moved.status, fresh.status, fresh.version) == (target, target, 1)
            event = await ReturnEvent.get(return_request_id=ret.id)
            assert (event.from_status, event.to_status, event.actor) == (
                current.value, target.value, "user:1",
            )  # fmt: skip
            if target in status.STAMPS:
                assert getattr(fresh, status.STAMPS[target]) is not None
        else:
            with pytest.raises(ReturnError) as refused:
                async with atomic():
                    await status.move(ret, target, actor=STAFF)
            assert refused.value.problems[0].code is ReturnErrorCode.ILLEGAL_TRANSITION
            fresh = await ReturnRequest.get(id=ret.id)
            assert (fresh.status, fresh.version) == (current, 0)
            assert not await ReturnEvent.exists(return_request_id=ret.id)


async def test_a_move_from_a_stale_read_is_refused_with_the_status_it_is_in(db):
    ret = await make_return(await delivered_order())
    stale = await ReturnRequest.get(id=ret.id)
    await ReturnRequest.filter(id=ret.id).update(status=S.CANCELLED, version=1)
    with pytest.raises(ReturnError) as refused:
        async with atomic():
            await status.move(stale, S.APPROVED, actor=STAFF)
    assert refused.value.problems[0].code is ReturnErrorCode.ILLEGAL_TRANSITION
    assert "cancelled" in refused.value.problems[0].message
    assert not await ReturnEvent.exists(return_request_id=ret.id)


async def test_check_version_refuses_another_version_as_stale_and_none_passes(db):
    ret = await make_return(await delivered_order())
    status.check_version(ret, 0)
    status.check_version(ret, None)
    with pytest.raises(ReturnError) as refused:
        status.check_version(ret, 3)
    assert refused.value.problems[0].code is ReturnErrorCode.STALE
    assert refused.value.problems[0].field == ("version",)


async def test_touch_bumps_the_version_and_refuses_a_stale_read(db):
    ret = await make_return(await delivered_order(), status=S.APPROVED)
    stale = await ReturnRequest.get(id=ret.id)
    async with atomic():
        await status.touch(ret, instructions="Post it back")
    fresh = await ReturnRequest.get(id=ret.id)
    assert (fresh.version, fresh.instructions, fresh.status) == (1, "Post it back", S.APPROVED)
    with pytest.raises(ReturnError) as refused:
        async with atomic():
            await status.touch(stale, instructions="Other")
    assert refused.value.problems[0].code is ReturnErrorCode.STALE
    assert (await ReturnRequest.get(id=ret.id)).instructions == "Post it back"


async def test_locked_limits_to_the_order_and_says_not_found_otherwise(db):
    order = await delivered_order()
    ret = await make_return(order)
    async with atomic():
        assert (await status.locked(ret.id, order_id=order.id)).id == ret.id
    with pytest.raises(ReturnError) as refused:
        async with atomic():
            await status.locked(ret.id, order_id=order.id + 1)
    assert refused.value.problems[0].code is ReturnErrorCode.NOT_FOUND


async def test_two_racing_moves_of_one_return_apply_exactly_one(db):
    ret = await make_return(await delivered_order())
    # Both read the same status and version before either writes.
    reads = [await ReturnRequest.get(id=ret.id), await ReturnRequest.get(id=ret.id)]

    async def attempt(read: ReturnRequest, target: ReturnStatus) -> ReturnStatus | ReturnErrorCode:
        try:
            async with atomic():
                moved = await status.move(read, target, actor=STAFF)
                return ReturnStatus(moved.status)
        except ReturnError as exc:
            return ReturnErrorCode(exc.problems[0].code)

    results = await asyncio.gather(attempt(reads[0], S.APPROVED), attempt(reads[1], S.CANCELLED))
    wins = [r for r in results if isinstance(r, ReturnStatus)]
    assert len(wins) == 1
    assert ReturnErrorCode.ILLEGAL_TRANSITION in results
    fresh = await ReturnRequest.get(id=ret.id)
    assert (fresh.status, fresh.version) == (wins[0], 1)
    assert await ReturnEvent.filter(return_request_id=ret.id).count() == 1
