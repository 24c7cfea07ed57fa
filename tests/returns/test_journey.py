"""After-sales end to end, as the clients do it through GraphQL: a shopper in Japan returns
one of two delivered items with a photo and is refunded to the card in yen; another shopper
exchanges a T-shirt for another size. Every step is an API call a storefront or the console
makes; only the shop's setup (currencies, carrier, products) is seeded directly."""

from __future__ import annotations

import uuid
from typing import Any

from jobs import emails as email_tasks  # noqa: F401  (registers the `emails.order` task)
from jobs import relay
from models.accounts import Role, User
from models.catalog import ProductVariant
from models.inventory import MovementKind, StockMovement
from models.orders import Order
from models.payments import Refund
from services import messaging
from tests.conftest import GraphQLClient
from tests.factories import gid, make_product, make_user, png_bytes
from tests.orders.checkout_setup import ready_shop
from tests.shopping import COMPLETE, buy, only, ship_and_deliver, tshirt

RETURNABLE = """query($number: String!) { order(number: $number) {
  status
  returnableLines { orderLineId name returnableQuantity reason
                    exchangeOptions { variantId name available } }
} }"""
REASONS = """query { returnReasons { id code name needsPhoto } }"""
REQUEST = """mutation($input: RequestReturnInput!) { requestReturn(input: $input) {
  return { id number status resolution reason version photos { url }
           lines { id orderLineId quantity exchangeVariantId } }
  errors { field code message } } }"""

RESULT = "return { status version } errors { field code message }"
APPROVE = (
    f"""mutation($input: ApproveReturnInput!) {{ approveReturn(input: $input) {{ {RESULT} }} }}"""
)
RECEIVE = (
    f"""mutation($input: ReturnActionInput!) {{ receiveReturn(input: $input) {{ {RESULT} }} }}"""
)
INSPECT = f"""mutation($input: InspectReturnLinesInput!) {{
  inspectReturnLines(input: $input) {{ {RESULT} }} }}"""
FINISH = f"""mutation($input: ReturnActionInput!) {{
  finishReturnInspection(input: $input) {{ {RESULT} }} }}"""
PREVIEW = """query($id: ID!) { returnOutcomePreview(returnId: $id) {
  currency shopCurrency
  lines { counted refundable { amount { amount currency } inShopCurrency { amount currency } } }
  total { amount { amount currency } inShopCurrency { amount currency } }
  refundableToPayment { amount currency }
  exchange { differenceOwed { amount { amount } } differenceRefunded { amount { amount } }
             problem }
} }"""
CARRY_OUT = """mutation($input: CarryOutReturnOutcomeInput!) {
  carryOutReturnOutcome(input: $input) {
  outcome { status refund { amount currency } storeCredit { amount } exchangeOrderNumber }
  return { status version } errors { field code message } } }"""

ORDER = """query($number: String!) { order(number: $number) {
  status refundedInShopCurrency { amount currency }
  payments { status amount { amount currency } amountRefunded { amount currency } }
  returns { number status outcome { status refund { amount currency } exchangeOrderNumber } }
} }"""
STOCK = """query($id: ID!) { node(id: $id) { ... on ProductVariant { stockOnHand } } }"""
POINTS = """query { me { pointsBalance } }"""
#: What the storefront sends for a shopper reading it in Japanese.
JA = {"Accept-Language": "ja"}


async def _stock(client: GraphQLClient, variant: ProductVariant) -> int:
    data = await client.staff(STOCK, {"id": gid("ProductVariant", variant.id)})
    on_hand: int = data["node"]["stockOnHand"]
    return on_hand


async def _handle(
    client: GraphQLClient, clerk: User, ret: dict[str, Any], instructions: str
) -> dict[str, Any]:
    """Staff approve the return with instructions, receive it, restock every line and finish
    the inspection; returns the return's last `status` and `version`."""
    ident = {"returnId": ret["id"]}
    state = only(
        await client.query(
            APPROVE,
            {"input": {**ident, "version": ret["version"], "instructions": instructions}},
            user=clerk,
        )
    )["return"]
    assert state["status"] == "APPROVED"
    state = only(
        await client.query(RECEIVE, {"input": {**ident, "version": state["version"]}}, user=clerk)
    )["return"]
    assert state["status"] == "RECEIVED"
    decisions = [{"lineId": line["id"], "inspection": "RESTOCK"} for line in ret["lines"]]
    state = only(
        await client.query(
            INSPECT,
            {"input": {**ident, "version": state["version"], "lines": decisions}},
            user=clerk,
        )
    )["return"]
    state = only(
        await client.query(FINISH, {"input": {**ident, "version": state["version"]}}, user=clerk)
    )["return"]
    assert state["status"] == "INSPECTED"
    return state


async def test_a_shopper_in_japan_returns_one_of_two_items_and_is_refunded_in_yen(client):
    shop = await ready_shop(jpy_rate="150")
    tote = await make_product(prices=("24.00",), stock=(3,), name="Indigo tote")
    scarf = await make_product(prices=("40.00",), stock=(2,), name="Silk scarf")
    tote_variant = await ProductVariant.get(product_id=tote.id)
    scarf_variant = await ProductVariant.get(product_id=scarf.id)
    shopper = await make_user(email="hanako@example.jp", currency="JPY", locale="ja")
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))

    placed = await buy(client, shop, shopper, [tote_variant, scarf_variant], "ja")
    await ship_and_deliver(client, shop, clerk, placed["id"])
    completed = only(await client.query(COMPLETE, {"input": {"orderId": placed["id"]}}, user=clerk))
    assert completed["order"]["status"] == "COMPLETED"
    # A member: the completed order earned points (one per dollar of its total).
    order = await Order.get(number=placed["number"])
    earned = (await client.query(POINTS, user=shopper))["me"]["pointsBalance"]
    assert earned == order.total // 100 > 0
    assert await _stock(client, scarf_variant) == 1

    # The order page: both lines may go back; the shop's reasons read in Japanese.
    page = (await client.query(RETURNABLE, {"number": placed["number"]}, user=shopper))["order"]
    assert [(line["returnableQuantity"], line["reason"]) for line in page["returnableLines"]] == [
        (1, None),
        (1, None),
    ]
    scarf_line = next(line for line in page["returnableLines"] if line["name"] == "Silk scarf")
    reasons = (await client.query(REASONS, user=shopper, headers=JA))["returnReasons"]
    damaged = next(reason for reason in reasons if reason["code"] == "damaged")
    assert damaged["needsPhoto"] is True and damaged["name"] != "Damaged or defective"

    # The return, asked with a photo in a multipart request as the storefront sends it.
    given = {
        "orderNumber": placed["number"],
        "lines": [{"orderLineId": scarf_line["orderLineId"], "quantity": 1}],
        "resolution": "REFUND",
        "reasonId": damaged["id"],
        "note": "縁がほつれています",
        "photos": [None],
        "idempotencyKey": uuid.uuid4().hex,
    }
    asked = await client.upload(
        REQUEST,
        {"input": given},
        {"variables.input.photos.0": ("fray.png", png_bytes(color="blue"))},
        user=shopper,
        headers=JA,
    )
    assert "errors" not in asked, asked["errors"]
    ret = only(asked["data"])["return"]
    assert (ret["status"], ret["resolution"], ret["reason"]) == (
        "REQUESTED",
        "REFUND",
        damaged["name"],  # in her language, as she picked it
    )
    assert len(ret["photos"]) == 1

    await _handle(client, clerk, ret, "大阪倉庫へ返送してください。")
    # Back on the shelf: one unit more than after the sale.
    assert await _stock(client, scarf_variant) == 2
    movement = await StockMovement.get(variant_id=scarf_variant.id, kind=MovementKind.RETURN)
    assert (movement.on_hand_change, movement.reference) == (1, ret["number"])

    preview = (await client.staff(PREVIEW, {"id": ret["id"]}))["returnOutcomePreview"]
    assert (preview["currency"], preview["shopCurrency"]) == ("JPY", "USD")
    # The scarf cost $40.00, 6,000 yen at 150; the default policy keeps no fee.
    assert preview["total"] == {
        "amount": {"amount": "6000", "currency": "JPY"},
        "inShopCurrency": {"amount": "40.00", "currency": "USD"},
    }
    assert preview["refundableToPayment"] == {"amount": "6000", "currency": "JPY"}

    done = only(
        await client.staff(
            CARRY_OUT,
            {"input": {"returnId": ret["id"], "idempotencyKey": f"{ret['id']}-outcome"}},
        )
    )
    assert done["outcome"]["status"] == "DONE"
    assert done["outcome"]["refund"] == preview["total"]["amount"]
    assert done["return"]["status"] == "CLOSED"

    seen = (await client.query(ORDER, {"number": placed["number"]}, user=shopper))["order"]
    assert seen["returns"] == [
        {
            "number": ret["number"],
            "status": "CLOSED",
            "outcome": {
                "status": "DONE",
                "refund": {"amount": "6000", "currency": "JPY"},
                "exchangeOrderNumber": None,
            },
        }
    ]
    [payment] = seen["payments"]
    assert payment["status"] == "SUCCEEDED"
    assert payment["amountRefunded"] == preview["total"]["amount"]
    assert seen["refundedInShopCurrency"] == {"amount": "40.00", "currency": "USD"}
    # Points on the refunded part are taken back: 40 of the order's dollars.
    left = (await client.query(POINTS, user=shopper))["me"]["pointsBalance"]
    assert left == earned - earned * 4000 // order.total

    # The emails, through the job queue, in the shopper's language: each step of the return,
    # and the refund.
    while await relay.run_due():
        pass
    number = ret["number"]
    mail = [m for m in messaging.outbox() if m.to == "hanako@example.jp"]
    subjects = [m.subject for m in mail]
    assert subjects[-5:] == [
        f"返品申請 {number} を受け付けました",
        f"返品 {number} を承認しました：返送方法のご案内",
        f"返品 {number} を受け取りました",
        f"ご注文 {placed['number']} の返金について",
        f"返品 {number} の手続きが完了しました",
    ], subjects
    assert "大阪倉庫へ返送してください。" in mail[-4].body
    assert "￥6,000" in mail[-1].body, mail[-1].body


REPLACEMENT = """query($number: String!) { order(number: $number) {
  status total { amount currency } paidAt
  lines { sku quantity }
} }"""


async def test_a_shopper_exchanges_a_t_shirt_for_another_size_and_no_money_moves(client):
    shop = await ready_shop(jpy_rate="150")
    medium, large = await tshirt()
    shopper = await make_user(currency="JPY")
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    placed = await buy(client, shop, shopper, [medium])
    await ship_and_deliver(client, shop, clerk, placed["id"])

    page = (await client.query(RETURNABLE, {"number": placed["number"]}, user=shopper))["order"]
    [line] = page["returnableLines"]
    assert line["returnableQuantity"] == 1
    wanted = next(option for option in line["exchangeOptions"] if option["name"] == "L")
    assert wanted["variantId"] == gid("ProductVariant", large.id) and wanted["available"]
    reasons = (await client.query(REASONS, user=shopper))["returnReasons"]
    size = next(reason for reason in reasons if reason["code"] == "wrong_size")
    given = {
        "orderNumber": placed["number"],
        "lines": [
            {
                "orderLineId": line["orderLineId"],
                "quantity": 1,
                "exchangeVariantId": wanted["variantId"],
            }
        ],
        "resolution": "EXCHANGE",
        "reasonId": size["id"],
        "idempotencyKey": uuid.uuid4().hex,
    }
    ret = only(await client.query(REQUEST, {"input": given}, user=shopper))["return"]
    assert (ret["status"], ret["resolution"]) == ("REQUESTED", "EXCHANGE")
    assert ret["lines"][0]["exchangeVariantId"] == wanted["variantId"]

    await _handle(client, clerk, ret, "Post it back in its bag.")
    assert await _stock(client, medium) == 4  # sold one, restocked it

    preview = (await client.staff(PREVIEW, {"id": ret["id"]}))["returnOutcomePreview"]
    exchange = preview["exchange"]
    assert exchange["problem"] is None
    assert exchange["differenceOwed"]["amount"]["amount"] == "0"
    assert exchange["differenceRefunded"]["amount"]["amount"] == "0"

    done = only(
        await client.staff(
            CARRY_OUT,
            {
                "input": {
                    "returnId": ret["id"],
                    "exchange": True,
                    "idempotencyKey": uuid.uuid4().hex,
                }
            },
        )
    )
    outcome = done["outcome"]
    assert outcome["status"] == "DONE" and done["return"]["status"] == "CLOSED"
    assert outcome["refund"] == {"amount": "0", "currency": "JPY"}
    assert outcome["storeCredit"]["amount"] == "0"
    replacement_number = outcome["exchangeOrderNumber"]
    assert replacement_number

    # The replacement: size L, nothing to pay, its unit reserved for the parcel.
    replacement = (await client.query(REPLACEMENT, {"number": replacement_number}, user=shopper))[
        "order"
    ]
    assert replacement["lines"] == [{"sku": "TEE-L", "quantity": 1}]
    assert replacement["total"] == {"amount": "0", "currency": "JPY"}
    assert replacement["status"] == "PENDING_SHIPMENT" and replacement["paidAt"]
    large_now = await ProductVariant.get(id=large.id)
    assert (large_now.stock_on_hand, large_now.stock_reserved) == (3, 1)
    # No money moved: the card payment is untouched and nothing was refunded.
    seen = (await client.query(ORDER, {"number": placed["number"]}, user=shopper))["order"]
    assert [p["amountRefunded"]["amount"] for p in seen["payments"]] == ["0"]
    assert seen["refundedInShopCurrency"]["amount"] == "0.00"
    assert await Refund.all().count() == 0
    assert seen["returns"][0]["outcome"]["exchangeOrderNumber"] == replacement_number
