"""The returns desk through GraphQL, as the console uses it: each action with its
permissions, STALE, ILLEGAL_TRANSITION and bad input, and the stock ledger after a restock."""

from __future__ import annotations

import pytest

from models.accounts import Role
from models.inventory import MovementKind, StockMovement
from models.returns import Inspection, ReturnEvent, ReturnLine, ReturnRequest, ReturnStatus
from tests.factories import gid, make_user
from tests.returns.factories import delivered_order, make_return, on_hand, order_lines

S = ReturnStatus
RESULT = "return { id status version instructions labelReference keepItems declineReason }"
ERRORS = "errors { field code message }"


def _mutation(name: str, input_type: str, result: str = RESULT) -> str:
    return f"""mutation($input: {input_type}!) {{
      {name}(input: $input) {{ {result} {ERRORS} }}
    }}"""


APPROVE = _mutation("approveReturn", "ApproveReturnInput")
DECLINE = _mutation("declineReturn", "DeclineReturnInput")
UPDATE = _mutation("updateReturnInstructions", "UpdateReturnInstructionsInput")
RECEIVE = _mutation("receiveReturn", "ReturnActionInput")
FINISH = _mutation("finishReturnInspection", "ReturnActionInput")
KEEP = _mutation("keepReturnItems", "KeepReturnItemsInput")
CANCEL = _mutation("cancelReturnByStaff", "CancelReturnByStaffInput")
INSPECT = _mutation(
    "inspectReturnLines",
    "InspectReturnLinesInput",
    "return { status version lines { id sku quantity inspection inspectedQuantity "
    "restockedQuantity inspectionNote inspectedAt } }",
)

RETURN = """query($id: ID!) {
  returnRequest(id: $id) {
    number status version reason
    order { number shippingAddress { country } }
    lines { id sku quantity inspection }
    timeline { toStatus actor message internal }
    parcels { trackingNumber }
  }
}"""

NODE = """query($id: ID!) { node(id: $id) { ... on Return { number status } } }"""


def _input(ret: ReturnRequest, **more) -> dict:
    return {"input": {"returnId": gid("Return", ret.id), "version": ret.version, **more}}


async def _payload(client, document: str, variables: dict, **kw) -> dict:
    data = await client.query(document, variables, **kw)
    return next(iter(data.values()))


async def _staff(client):
    return await make_user(role=Role.STAFF, permissions=("orders",))


# Permissions ------------------------------------------------------------------------------


async def test_a_shopper_or_staff_without_the_orders_permission_cannot_act(client):
    order = await delivered_order()
    ret = await make_return(order)
    shopper = await ReturnRequest.get(id=ret.id).prefetch_related("order__user")
    for user in (shopper.order.user, await make_user(role=Role.STAFF, permissions=("catalog",))):
        body = await client.request(APPROVE, _input(ret), user=user)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(APPROVE, _input(ret))
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await ReturnRequest.get(id=ret.id)).status == S.REQUESTED


async def test_the_order_s_shopper_reads_the_return_by_node_and_another_shopper_does_not(client):
    owner = await make_user()
    ret = await make_return(await delivered_order(owner))
    found = await client.query(NODE, {"id": gid("Return", ret.id)}, user=owner)
    assert found["node"] == {"number": ret.number, "status": "REQUESTED"}
    other = await client.query(NODE, {"id": gid("Return", ret.id)}, user=await make_user())
    assert other["node"] is None
    clerk = await client.query(NODE, {"id": gid("Return", ret.id)}, user=await _staff(client))
    assert clerk["node"]["number"] == ret.number


# Approve, decline, instructions -----------------------------------------------------------


async def test_staff_approve_with_instructions_and_a_label(client):
    ret = await make_return(await delivered_order())
    clerk = await _staff(client)
    got = await _payload(
        client,
        APPROVE,
        _input(
            ret,
            instructions="  Pack it well.\nPost it to our Osaka depot.  ",
            labelReference="LBL-123",
        ),
        user=clerk,
    )
    assert got["errors"] == []
    assert got["return"] == {
        "id": gid("Return", ret.id),
        "status": "APPROVED",
        "version": 1,
        "instructions": "Pack it well.\nPost it to our Osaka depot.",
        "labelReference": "LBL-123",
        "keepItems": False,
        "declineReason": None,
    }
    event = await ReturnEvent.get(return_request_id=ret.id)
    assert (event.to_status, event.actor, event.actor_user_id) == (
        "approved",
        f"user:{clerk.id}",
        clerk.id,
    )


async def test_an_action_on_a_version_not_read_is_stale_and_changes_nothing(client):
    ret = await make_return(await delivered_order())
    got = await _payload(
        client, APPROVE, {"input": {"returnId": gid("Return", ret.id), "version": 7}}, staff=True
    )
    assert got["return"] is None
    assert got["errors"] == [
        {
            "field": ["version"],
            "code": "STALE",
            "message": "The return changed since it was read: read it again.",
        }
    ]
    assert (await ReturnRequest.get(id=ret.id)).status == S.REQUESTED


async def test_a_move_the_status_does_not_allow_is_an_illegal_transition(client):
    ret = await make_return(await delivered_order(), status=S.DECLINED)
    for document, extra in (
        (APPROVE, {}),
        (RECEIVE, {}),
        (CANCEL, {}),
        (DECLINE, {"reason": "No"}),
    ):
        got = await _payload(client, document, _input(ret, **extra), staff=True)
        assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION", document
    assert not await ReturnEvent.exists(return_request_id=ret.id)


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"instructions": "x" * 4001}, ["instructions"], "TOO_LONG"),
        ({"instructions": "bad\x07text"}, ["instructions"], "INVALID"),
        ({"labelReference": "y" * 401}, ["labelReference"], "TOO_LONG"),
        ({"labelReference": "one\nline"}, ["labelReference"], "INVALID"),
    ],
)
async def test_bad_instructions_or_labels_are_refused(client, extra, field, code):
    ret = await make_return(await delivered_order())
    got = await _payload(client, APPROVE, _input(ret, **extra), staff=True)
    assert [(e["field"], e["code"]) for e in got["errors"]] == [(field, code)]
    assert (await ReturnRequest.get(id=ret.id)).version == 0


async def test_ids_of_nothing_or_of_another_type_read_as_not_found(client):
    ret = await make_return(await delivered_order())
    for bad in ("nope", gid("Order", ret.id), gid("Return", ret.id + 99)):
        got = await _payload(
            client, APPROVE, {"input": {"returnId": bad, "version": 0}}, staff=True
        )
        assert got["errors"][0]["code"] == "NOT_FOUND", bad
        assert got["errors"][0]["field"] in (["returnId"], ["input", "returnId"])
    # A key past the integer columns is refused with the request, before any resolver runs.
    body = await client.request(
        APPROVE, {"input": {"returnId": gid("Return", 2**31), "version": 0}}, staff=True
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_decline_needs_a_reason_the_shopper_reads(client):
    ret = await make_return(await delivered_order())
    for reason, code in (("   ", "REQUIRED"), ("r" * 501, "TOO_LONG"), ("a\x1bb", "INVALID")):
        got = await _payload(client, DECLINE, _input(ret, reason=reason), staff=True)
        assert [(e["field"], e["code"]) for e in got["errors"]] == [(["reason"], code)]
    got = await _payload(client, DECLINE, _input(ret, reason="Worn and washed."), staff=True)
    assert got["return"]["status"] == "DECLINED"
    assert got["return"]["declineReason"] == "Worn and washed."


async def test_instructions_change_while_approved_and_not_before(client):
    ret = await make_return(await delivered_order())
    got = await _payload(client, UPDATE, _input(ret, instructions="Soon"), staff=True)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    await ReturnRequest.filter(id=ret.id).update(
        status=S.APPROVED, version=3, label_reference="OLD"
    )
    ret = await ReturnRequest.get(id=ret.id)
    got = await _payload(client, UPDATE, _input(ret), staff=True)
    assert got["errors"][0]["code"] == "REQUIRED"
    got = await _payload(client, UPDATE, _input(ret, instructions="Use the blue bag."), staff=True)
    assert got["errors"] == []
    assert got["return"]["instructions"] == "Use the blue bag."
    assert got["return"]["labelReference"] == "OLD"  # left out: kept
    assert got["return"]["version"] == 4
    got = await _payload(client, UPDATE, _input(ret, labelReference=""), staff=True)
    assert got["errors"][0]["code"] == "STALE"  # version 3 was read before the change


# Keep items, cancel ------------------------------------------------------------------------


async def test_keep_items_flags_an_approved_return_and_then_it_cannot_be_received(client):
    ret = await make_return(await delivered_order())
    got = await _payload(client, KEEP, _input(ret), staff=True)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"  # not approved yet
    await ReturnRequest.filter(id=ret.id).update(status=S.APPROVED)
    ret = await ReturnRequest.get(id=ret.id)
    got = await _payload(client, KEEP, _input(ret, note="Cheaper to keep"), staff=True)
    assert got["return"]["keepItems"] is True and got["return"]["status"] == "APPROVED"
    ret = await ReturnRequest.get(id=ret.id)
    got = await _payload(client, RECEIVE, _input(ret), staff=True)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    got = await _payload(client, KEEP, _input(ret), staff=True)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"  # already kept


async def test_staff_cancel_a_requested_or_approved_return_and_nothing_later(client):
    order = await delivered_order()
    for current, outcome in (
        (S.REQUESTED, "CANCELLED"),
        (S.APPROVED, "CANCELLED"),
        (S.IN_TRANSIT, None),
        (S.RECEIVED, None),
    ):
        ret = await make_return(order, status=current)
        got = await _payload(client, CANCEL, _input(ret, reason="Asked by phone"), staff=True)
        if outcome:
            assert got["return"]["status"] == outcome
            assert (await ReturnRequest.get(id=ret.id)).cancelled_at is not None
        else:
            assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"


# Receive, inspect, finish ------------------------------------------------------------------


async def test_receive_inspect_restock_and_finish_write_the_stock_ledger(client):
    order = await delivered_order(quantities=(2, 1), stock=10)
    first, second = await order_lines(order)
    ret = await make_return(order, status=S.APPROVED)
    clerk = await _staff(client)
    got = await _payload(client, RECEIVE, _input(ret), user=clerk)
    assert got["return"]["status"] == "RECEIVED"
    ret = await ReturnRequest.get(id=ret.id)
    lines = {line.order_line_id: line for line in await ReturnLine.filter(return_request_id=ret.id)}

    got = await _payload(client, FINISH, _input(ret), user=clerk)
    assert got["errors"][0]["code"] == "REQUIRED"  # no line decided yet

    decisions = [
        {
            "lineId": gid("ReturnLine", lines[first.id].id),
            "inspection": "RESTOCK",
            "quantity": 1,
            "note": "One fine, one never arrived",
        },
        {"lineId": gid("ReturnLine", lines[second.id].id), "inspection": "WRITTEN_OFF"},
    ]
    got = await _payload(client, INSPECT, _input(ret, lines=decisions), user=clerk)
    assert got["errors"] == []
    by_sku = {line["sku"]: line for line in got["return"]["lines"]}
    assert by_sku[first.sku]["inspection"] == "RESTOCK"
    assert (by_sku[first.sku]["inspectedQuantity"], by_sku[first.sku]["restockedQuantity"]) == (
        1,
        1,
    )
    assert by_sku[first.sku]["inspectionNote"] == "One fine, one never arrived"
    assert (by_sku[second.sku]["inspection"], by_sku[second.sku]["restockedQuantity"]) == (
        "WRITTEN_OFF",
        0,
    )
    assert await on_hand(first) == 11 and await on_hand(second) == 10
    movement = await StockMovement.get(variant_id=first.variant_id, kind=MovementKind.RETURN)
    assert (movement.on_hand_change, movement.on_hand_after, movement.reference) == (
        1,
        11,
        ret.number,
    )
    assert movement.actor_id == clerk.id
    row = await ReturnLine.get(id=lines[first.id].id)
    assert row.inspected_by_id == clerk.id and row.inspected_at is not None

    ret = await ReturnRequest.get(id=ret.id)
    got = await _payload(client, FINISH, _input(ret), user=clerk)
    assert got["return"]["status"] == "INSPECTED"
    ret = await ReturnRequest.get(id=ret.id)
    got = await _payload(client, INSPECT, _input(ret, lines=decisions[:1]), user=clerk)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"  # decisions are final now
    assert await StockMovement.filter(kind=MovementKind.RETURN).count() == 1


async def test_inspecting_a_line_again_corrects_the_ledger_instead_of_counting_twice(client):
    order = await delivered_order(quantities=(3,), stock=4)
    (line,) = await order_lines(order)
    ret = await make_return(order, status=S.RECEIVED)
    (rl,) = await ReturnLine.filter(return_request_id=ret.id)
    decide = lambda kind, quantity=None: [  # noqa: E731
        {"lineId": gid("ReturnLine", rl.id), "inspection": kind, "quantity": quantity}
    ]
    for kind, quantity, stock in (
        ("RESTOCK", 3, 7),
        ("RESTOCK", 3, 7),
        ("RESTOCK", 1, 5),
        ("NEEDS_WORK", 2, 4),
        ("MISSING", None, 4),
        ("RESTOCK", None, 7),
    ):
        ret = await ReturnRequest.get(id=ret.id)
        got = await _payload(client, INSPECT, _input(ret, lines=decide(kind, quantity)), staff=True)
        assert got["errors"] == [], (kind, quantity)
        assert await on_hand(line) == stock, (kind, quantity)
    movements = await StockMovement.filter(variant_id=line.variant_id).order_by("id")
    assert [(m.kind, m.on_hand_change) for m in movements][-4:] == [
        (MovementKind.RETURN, 3),
        (MovementKind.ADJUSTMENT, -2),
        (MovementKind.ADJUSTMENT, -1),
        (MovementKind.RETURN, 3),
    ]
    assert {m.reference for m in movements[-4:]} == {ret.number}
    row = await ReturnLine.get(id=rl.id)
    assert (row.inspection, row.inspected_quantity, row.restocked_quantity) == (
        Inspection.RESTOCK,
        3,
        3,
    )


async def test_bad_inspections_are_refused_and_move_no_stock(client):
    order = await delivered_order(quantities=(2, 1))
    first, _ = await order_lines(order)
    other = await make_return(await delivered_order(), status=S.RECEIVED)
    ret = await make_return(order, lines=[(first, 2)], status=S.RECEIVED)
    (rl,) = await ReturnLine.filter(return_request_id=ret.id)
    (foreign,) = (await ReturnLine.filter(return_request_id=other.id))[:1]
    line = gid("ReturnLine", rl.id)
    cases = [
        ([], ["lines"], "REQUIRED"),
        (
            [{"lineId": line, "inspection": "RESTOCK", "quantity": 3}],
            ["lines", "0", "quantity"],
            "OVER_RESTOCKED",
        ),
        (
            [{"lineId": line, "inspection": "RESTOCK", "quantity": 0}],
            ["lines", "0", "quantity"],
            "INVALID_QUANTITY",
        ),
        (
            [{"lineId": line, "inspection": "RESTOCK", "quantity": -5}],
            ["lines", "0", "quantity"],
            "INVALID_QUANTITY",
        ),
        (
            [{"lineId": line, "inspection": "MISSING", "quantity": 1}],
            ["lines", "0", "quantity"],
            "INVALID_QUANTITY",
        ),
        ([{"lineId": line, "inspection": "PENDING"}], ["lines", "0", "inspection"], "INVALID"),
        (
            [{"lineId": line, "inspection": "RESTOCK", "note": "n" * 501}],
            ["lines", "0", "note"],
            "TOO_LONG",
        ),
        (
            [{"lineId": gid("ReturnLine", foreign.id), "inspection": "RESTOCK"}],
            ["lines", "0", "lineId"],
            "NOT_FOUND",
        ),
        ([{"lineId": "zzz", "inspection": "RESTOCK"}], ["lines", "0", "lineId"], "NOT_FOUND"),
        (
            [{"lineId": line, "inspection": "RESTOCK"}, {"lineId": line, "inspection": "MISSING"}],
            ["lines", "1", "lineId"],
            "INVALID",
        ),
    ]
    for lines, field, code in cases:
        got = await _payload(client, INSPECT, _input(ret, lines=lines), staff=True)
        assert [(e["field"], e["code"]) for e in got["errors"]] == [(field, code)], lines
    assert await on_hand(first) == 10
    assert not await StockMovement.filter(kind=MovementKind.RETURN).exists()
    assert (await ReturnRequest.get(id=ret.id)).version == 0


async def test_a_line_whose_variant_was_deleted_cannot_go_back_to_stock(client):
    order = await delivered_order(quantities=(1,))
    (line,) = await order_lines(order)
    ret = await make_return(order, status=S.RECEIVED)
    (rl,) = await ReturnLine.filter(return_request_id=ret.id)
    await type(line).filter(id=line.id).update(variant_id=None)
    got = await _payload(
        client,
        INSPECT,
        _input(ret, lines=[{"lineId": gid("ReturnLine", rl.id), "inspection": "RESTOCK"}]),
        staff=True,
    )
    assert got["errors"][0]["code"] == "INVALID"
    written = await _payload(
        client,
        INSPECT,
        _input(ret, lines=[{"lineId": gid("ReturnLine", rl.id), "inspection": "WRITTEN_OFF"}]),
        staff=True,
    )
    assert written["errors"] == []


# The queue ---------------------------------------------------------------------------------

QUEUE = """query($first: Int, $after: String, $status: ReturnStatus, $reasonCode: String,
                 $country: CountryCode, $search: String, $olderThanDays: Int) {
  returns(first: $first, after: $after, status: $status, reasonCode: $reasonCode,
          country: $country, search: $search, olderThanDays: $olderThanDays) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { number status reason order { number } }
    statusCounts { status count }
    reasonCounts { code name count }
  }
}"""


async def test_the_queue_filters_pages_newest_first_and_counts_per_status_and_reason(client):
    from datetime import datetime, timedelta

    from tests.returns.factories import reason

    now = datetime.now().astimezone()
    damaged = await reason("damaged", "Damaged")
    jp = await delivered_order(country="JP")
    de = await delivered_order(await make_user(email="lena@example.de"), country="DE")
    old = await make_return(jp, created_at=now - timedelta(days=10))
    mid = await make_return(de, status=S.APPROVED, why=damaged, created_at=now - timedelta(days=3))
    new = await make_return(jp, created_at=now - timedelta(hours=1))

    async def numbers(**variables) -> list[str]:
        found = await client.staff(QUEUE, variables)
        return [n["number"] for n in found["returns"]["nodes"]]

    assert await numbers() == [new.number, mid.number, old.number]
    assert await numbers(status="REQUESTED") == [new.number, old.number]
    assert await numbers(country="DE") == [mid.number]
    assert await numbers(reasonCode="damaged") == [mid.number]
    assert await numbers(olderThanDays=2) == [mid.number, old.number]
    assert await numbers(search="lena@EXAMPLE") == [mid.number]
    assert await numbers(search=jp.number.lower()) == [new.number, old.number]
    assert await numbers(search=mid.number) == [mid.number]

    page = (await client.staff(QUEUE, {"first": 2, "status": "REQUESTED"}))["returns"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"] is False
    assert {c["status"]: c["count"] for c in page["statusCounts"]} == {
        "REQUESTED": 2,
        "APPROVED": 1,
    }
    # Reasons are counted under the other filters: the status one holds here.
    assert page["reasonCounts"] == [{"code": "wrong_size", "name": "Wrong size", "count": 2}]
    first = (await client.staff(QUEUE, {"first": 1}))["returns"]
    assert first["reasonCounts"] == [
        {"code": "wrong_size", "name": "Wrong size", "count": 2},
        {"code": "damaged", "name": "Damaged", "count": 1},
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await client.staff(QUEUE, {"first": 1, "after": first["pageInfo"]["endCursor"]}))[
        "returns"
    ]
    assert [n["number"] for n in second["nodes"]] == [mid.number]


@pytest.mark.parametrize(
    "variables",
    [
        {"olderThanDays": -1},
        {"olderThanDays": 99999},
        {"search": "x" * 101},
        {"search": "a\x00"},
        {"first": -1},
        {"first": 10**6},
        {"after": "not-a-cursor"},
        {"reasonCode": "r" * 41},
    ],
)
async def test_bad_queue_arguments_are_input_errors_not_failures(client, variables):
    body = await client.request(QUEUE, variables, staff=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_one_return_for_staff_with_its_order_lines_and_timeline(client):
    order = await delivered_order(country="JP")
    ret = await make_return(order)
    await _payload(client, APPROVE, _input(ret), staff=True)
    got = (await client.staff(RETURN, {"id": gid("Return", ret.id)}))["returnRequest"]
    assert got["number"] == ret.number and got["status"] == "APPROVED" and got["version"] == 1
    assert got["order"] == {"number": order.number, "shippingAddress": {"country": "JP"}}
    assert len(got["lines"]) == 2 and got["parcels"] == []
    assert got["timeline"][-1]["toStatus"] == "APPROVED"
    missing = await client.staff(RETURN, {"id": gid("Return", ret.id + 50)})
    assert missing["returnRequest"] is None
    body = await client.request(RETURN, {"id": "garbage"}, staff=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_nul_in_any_text_is_refused_before_anything_runs(client):
    ret = await make_return(await delivered_order())
    body = await client.request(APPROVE, _input(ret, instructions="bad\x00text"), staff=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await ReturnRequest.get(id=ret.id)).version == 0
