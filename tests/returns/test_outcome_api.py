"""Return outcomes through the API: staff preview and carry out; shoppers see the amounts."""

from __future__ import annotations

from typing import Any

import pytest

from models.payments import Refund
from models.returns import ReturnOutcome
from tests.conftest import GraphQLClient
from tests.factories import gid, make_user
from tests.returns.outcome_factories import inspected_return, paid_order

pytestmark = pytest.mark.usefixtures("db")

PREVIEW = """
query($id: ID!, $waive: Boolean! = false) {
  returnOutcomePreview(returnId: $id, waiveRestockingFee: $waive) {
    currency shopCurrency capped storeCreditAllowed
    lines { sku counted paid { amount { amount currency } inShopCurrency { amount currency } }
            refundable { amount { amount } inShopCurrency { amount } } }
    total { amount { amount currency } inShopCurrency { amount currency } }
    refundableToPayment { amount }
  }
}
"""
CARRY_OUT = """
mutation($input: CarryOutReturnOutcomeInput!) {
  carryOutReturnOutcome(input: $input) {
    outcome { status refund { amount currency } storeCredit { amount } failureMessage }
    return { status version }
    errors { field code message }
  }
}
"""
SHOPPER = """
query($number: String!) {
  order(number: $number) {
    returns { number status outcome { status refund { amount currency } failureMessage
                                      carriedOutById } }
  }
}
"""


async def carry(client: GraphQLClient, given: dict[str, Any]) -> dict[str, Any]:
    data = await client.staff(CARRY_OUT, {"input": {"idempotencyKey": "key-1", **given}})
    result: dict[str, Any] = data["carryOutReturnOutcome"]
    return result


async def test_staff_preview_then_refund_in_yen_and_the_shopper_sees_it(
    client: GraphQLClient,
) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("30.00", "20.00"), currency="JPY", rate="150")
    ret = await inspected_return(order, [(lines[1], 1)])
    found = (await client.staff(PREVIEW, {"id": gid("Return", ret.id)}))["returnOutcomePreview"]
    assert found["total"] == {
        "amount": {"amount": "3000", "currency": "JPY"},
        "inShopCurrency": {"amount": "20.00", "currency": "USD"},
    }
    assert found["storeCreditAllowed"] and not found["capped"]

    done = await carry(client, {"returnId": gid("Return", ret.id), "version": ret.version})
    assert done["errors"] == []
    assert done["outcome"]["status"] == "DONE"
    assert done["outcome"]["refund"] == {"amount": "3000", "currency": "JPY"}
    assert done["return"]["status"] == "CLOSED"
    assert await Refund.filter(reason=f"Return {ret.number}").count() == 1

    seen = (await client.query(SHOPPER, {"number": order.number}, user=user))["order"]
    (mine,) = seen["returns"]
    assert mine["outcome"]["refund"] == {"amount": "3000", "currency": "JPY"}
    assert mine["outcome"]["carriedOutById"] is None and mine["outcome"]["failureMessage"] is None


async def test_bad_input_is_a_typed_error_and_changes_nothing(client: GraphQLClient) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    rid = gid("Return", ret.id)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"returnId": gid("Order", order.id)}, "NOT_FOUND"),
        ({"returnId": rid, "refund": "-1"}, "INVALID"),
        ({"returnId": rid, "refund": "1.001"}, "INVALID"),
        ({"returnId": rid, "refund": "1e40"}, "INVALID"),
        ({"returnId": rid, "refund": "10.01"}, "OVER_REFUNDED"),
        ({"returnId": rid, "version": ret.version + 1}, "STALE"),
        ({"returnId": rid, "idempotencyKey": "x\x07y"}, "INVALID"),
        ({"returnId": rid, "idempotencyKey": "k" * 65}, "INVALID"),
        ({"returnId": rid, "exchange": True}, "INVALID"),
    ]
    for given, code in cases:
        result = await carry(client, given)
        assert [e["code"] for e in result["errors"]] == [code], (given, result)
    assert not await ReturnOutcome.exists(return_request_id=ret.id)


async def test_customers_cannot_preview_nor_carry_out(client: GraphQLClient) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    body = await client.request(PREVIEW, {"id": gid("Return", ret.id)}, user=user)
    assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    body = await client.request(
        CARRY_OUT, {"input": {"returnId": gid("Return", ret.id), "idempotencyKey": "k"}}, user=user
    )
    assert "errors" in body
    assert not await ReturnOutcome.exists(return_request_id=ret.id)


async def test_preview_of_a_bad_id_is_an_input_error(client: GraphQLClient) -> None:
    body = await client.request(PREVIEW, {"id": "nope"}, staff=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
