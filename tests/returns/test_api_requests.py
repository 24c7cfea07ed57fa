"""A shopper asks to return items of their order through the API, as the order page does:
members, guests with the order's token, and staff opening one for a customer."""

from __future__ import annotations

import asyncio

import pytest

from models.catalog import ProductVariant
from models.jobs import Job
from models.orders import OrderLine
from models.returns import ReturnEvent, ReturnLine, ReturnPhoto, ReturnRequest, ReturnStatus
from services.emails.events import TASK
from services.orders.timeline import Actor
from services.returns import requests
from services.returns.errors import ReturnError, ReturnErrorCode
from settings import get_settings
from tests.factories import gid, make_user, png_bytes
from tests.returns.setup import delivered_order, guest_order, make_reasons, other_variant

REQUEST = """
mutation Request($input: RequestReturnInput!) {
  requestReturn(input: $input) {
    return {
      id number status resolution reason note orderNumber
      lines { orderLineId quantity exchangeVariantId }
      photos { url width height }
      timeline { toStatus actor }
    }
    errors { field code message }
  }
}"""
RETURNABLE = """
query Returnable($number: String!, $accessToken: String) {
  order(number: $number, accessToken: $accessToken) {
    returnableLines {
      orderLineId quantity shippedQuantity returnedQuantity returnableQuantity reason
      reasonMessage windowEndsAt unitPrice { amount currency }
      policy { returnable windowDays }
      exchangeOptions { variantId name available }
    }
    returns { number status }
  }
}"""
CANCEL = """
mutation Cancel($input: CancelReturnInput!) {
  cancelReturn(input: $input) { return { number status } errors { field code message } }
}"""
OPEN = """
mutation Open($input: OpenReturnInput!) {
  openReturn(input: $input) { return { number status openedByStaff } errors { field code } }
}"""


def _input(order, lines, **extra):
    return {
        "orderNumber": order.number,
        "lines": [
            {"orderLineId": gid("OrderLine", line.id), "quantity": quantity}
            for line, quantity in lines
        ],
        "resolution": "REFUND",
        **extra,
    }


async def _ask(client, variables, **kw):
    return (await client.query(REQUEST, {"input": variables}, **kw))["requestReturn"]


async def test_a_member_returns_one_of_two_lines_and_sees_it_requested(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    size, _ = await make_reasons()

    answer = await _ask(
        client,
        _input(order, [(lines[0], 1)], reasonId=gid("ReturnReason", size.id), note="Too small"),
        user=user,
    )

    assert answer["errors"] == []
    ret = answer["return"]
    assert ret["number"] == f"{order.number}-R1"
    assert (ret["status"], ret["resolution"]) == ("REQUESTED", "REFUND")
    assert ret["reason"] == "Wrong size"
    assert ret["lines"] == [
        {"orderLineId": gid("OrderLine", lines[0].id), "quantity": 1, "exchangeVariantId": None}
    ]
    assert ret["timeline"] == [{"toStatus": "REQUESTED", "actor": "customer"}]
    data = await client.query(RETURNABLE, {"number": order.number}, user=user)
    standing = data["order"]["returnableLines"]
    assert [(s["returnableQuantity"], s["reason"]) for s in standing] == [
        (0, "ALREADY_RETURNED"),
        (1, None),
    ]
    assert standing[1]["unitPrice"] == {"amount": "200", "currency": "JPY"}
    assert data["order"]["returns"] == [{"number": f"{order.number}-R1", "status": "REQUESTED"}]
    # The shopper's email is written in the same transaction (the outbox).
    jobs = await Job.filter(task=TASK)
    assert [j.kwargs["kind"] for j in jobs] == ["return_requested"]


async def test_a_second_return_of_the_same_order_gets_the_next_number(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    await _ask(client, _input(order, [(lines[0], 1)]), user=user)

    second = await _ask(client, _input(order, [(lines[1], 1)]), user=user)

    assert second["return"]["number"] == f"{order.number}-R2"


async def test_a_guest_returns_with_the_orders_token(client):
    order, lines, token = await guest_order()

    answer = await _ask(client, _input(order, [(lines[1], 1)], accessToken=token))

    assert answer["errors"] == []
    assert answer["return"]["timeline"][0]["actor"] == "customer"
    data = await client.query(RETURNABLE, {"number": order.number, "accessToken": token})
    assert data["order"]["returnableLines"][1]["returnableQuantity"] == 0


async def test_a_wrong_token_another_shoppers_order_or_no_sign_in_reads_as_not_found(client):
    order, lines, token = await guest_order()
    owner = await make_user()
    theirs, their_lines, _ = await delivered_order(owner)
    stranger = await make_user()

    attempts = [
        ({**_input(order, [(lines[0], 1)]), "accessToken": token[:-2] + "xx"}, None),
        (_input(order, [(lines[0], 1)]), None),
        (_input(theirs, [(their_lines[0], 1)]), stranger),
        (_input(order, [(lines[0], 1)]), stranger),
    ]
    for variables, user in attempts:
        answer = await _ask(client, variables, user=user)
        assert answer["return"] is None
        assert [(e["code"], e["field"]) for e in answer["errors"]] == [
            ("NOT_FOUND", ["orderNumber"])
        ]
    assert await ReturnRequest.all().count() == 0


async def test_a_line_of_another_order_is_not_found(client):
    user = await make_user()
    order, _, _ = await delivered_order(user)
    _, others, _ = await delivered_order(user)

    answer = await _ask(client, _input(order, [(others[0], 1)]), user=user)

    assert [(e["code"], e["field"]) for e in answer["errors"]] == [
        ("NOT_FOUND", ["lines", "0", "orderLineId"])
    ]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"lines": []}, "REQUIRED", ["lines"]),
        ({"note": "x" * 1001}, "TOO_LONG", ["note"]),
        ({"note": "bad\x07bell"}, "INVALID", ["note"]),
        ({"idempotencyKey": ""}, "INVALID", ["idempotencyKey"]),
        ({"idempotencyKey": "k\x1b"}, "INVALID", ["idempotencyKey"]),
        ({"idempotencyKey": "k" * 201}, "INVALID", ["idempotencyKey"]),
        ({"reasonId": "UmV0dXJuUmVhc29uOjk5OTk="}, "NOT_FOUND", ["reasonId"]),
        ({"reasonId": "bm90IGFuIGlk"}, "NOT_FOUND", ["reasonId"]),
        ({"resolution": "EXCHANGE"}, "REQUIRED", ["lines", "0", "exchangeVariantId"]),
    ],
)
async def test_bad_input_is_refused_and_stores_nothing(client, change, code, field):
    user = await make_user()
    order, lines, _ = await delivered_order(user)

    answer = await _ask(client, {**_input(order, [(lines[0], 1)]), **change}, user=user)

    assert answer["return"] is None
    assert (answer["errors"][0]["code"], answer["errors"][0]["field"]) == (code, field)
    assert await ReturnRequest.all().count() == 0


@pytest.mark.parametrize("quantity", [0, -1, 2, 2**31 - 1])
async def test_a_quantity_out_of_range_is_refused(client, quantity):
    user = await make_user()
    order, lines, _ = await delivered_order(user)

    answer = await _ask(client, _input(order, [(lines[0], quantity)]), user=user)

    assert [(e["code"], e["field"]) for e in answer["errors"]] == [
        ("INVALID_QUANTITY", ["lines", "0", "quantity"])
    ]


async def test_the_same_line_twice_is_refused(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user, quantities=(2, 1))

    answer = await _ask(client, _input(order, [(lines[0], 1), (lines[0], 1)]), user=user)

    assert [(e["code"], e["field"]) for e in answer["errors"]] == [
        ("INVALID", ["lines", "1", "orderLineId"])
    ]


async def test_asking_more_than_is_left_says_over_returned_and_nothing_left_says_why(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user, quantities=(2, 1))
    await _ask(client, _input(order, [(lines[0], 1), (lines[1], 1)]), user=user)

    answer = await _ask(client, _input(order, [(lines[0], 2), (lines[1], 1)]), user=user)

    assert [(e["code"], e["field"]) for e in answer["errors"]] == [
        ("OVER_RETURNED", ["lines", "0", "quantity"]),
        ("NOT_RETURNABLE", ["lines", "1", "quantity"]),
    ]
    assert "already being returned" in answer["errors"][1]["message"]


async def test_a_reason_is_required_once_the_shop_has_reasons(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    without = await _ask(client, _input(order, [(lines[0], 1)]), user=user)
    assert without["errors"] == []  # a shop with no reasons yet takes returns without one
    await make_reasons()

    answer = await _ask(client, _input(order, [(lines[1], 1)]), user=user)

    assert [(e["code"], e["field"]) for e in answer["errors"]] == [("REQUIRED", ["reasonId"])]


def _with_photos(order, lines, reason, count):
    variables = _input(order, lines, reasonId=gid("ReturnReason", reason.id))
    variables["photos"] = [None] * count
    files = {
        f"variables.input.photos.{i}": (f"p{i}.png", png_bytes(color=c))
        for i, c in enumerate(["red", "blue", "green", "white", "black", "gray"][:count])
    }
    return variables, files


async def test_a_damaged_item_needs_a_photo_and_its_photo_is_stored(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    _, damaged = await make_reasons()

    refused = await _ask(
        client, _input(order, [(lines[0], 1)], reasonId=gid("ReturnReason", damaged.id)), user=user
    )
    variables, files = _with_photos(order, [(lines[0], 1)], damaged, 1)
    body = await client.upload(REQUEST, {"input": variables}, files, user=user)

    assert [e["code"] for e in refused["errors"]] == ["PHOTO_REQUIRED"]
    ret = body["data"]["requestReturn"]["return"]
    assert ret["photos"][0]["width"] == 8 and ret["photos"][0]["url"].endswith(".png")
    photo = await ReturnPhoto.get()
    assert (get_settings().media_dir / photo.path).is_file()


async def test_more_than_five_photos_or_a_file_that_is_no_image_is_refused(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    _, damaged = await make_reasons()
    variables, files = _with_photos(order, [(lines[0], 1)], damaged, 6)

    too_many = await client.upload(REQUEST, {"input": variables}, files, user=user)
    variables, files = _with_photos(order, [(lines[0], 1)], damaged, 1)
    files["variables.input.photos.0"] = ("p.png", b"not an image")
    not_image = await client.upload(REQUEST, {"input": variables}, files, user=user)

    assert [(e["code"], e["field"]) for e in too_many["data"]["requestReturn"]["errors"]] == [
        ("INVALID_PHOTO", ["photos"])
    ]
    assert [(e["code"], e["field"]) for e in not_image["data"]["requestReturn"]["errors"]] == [
        ("INVALID_PHOTO", ["photos", "0"])
    ]
    assert await ReturnPhoto.all().count() == 0


async def test_an_exchange_names_a_variant_of_the_same_product_in_stock(client):
    user = await make_user()
    order, lines, products = await delivered_order(user)
    wanted = await other_variant(products[0])
    elsewhere = await other_variant(products[1])

    def exchange(variant):
        variables = _input(order, [(lines[0], 1)], resolution="EXCHANGE")
        variables["lines"][0]["exchangeVariantId"] = gid("ProductVariant", variant.id)
        return variables

    wrong = await _ask(client, exchange(elsewhere), user=user)
    await ProductVariant.filter(id=wanted.id).update(stock_on_hand=0)
    sold_out = await _ask(client, exchange(wanted), user=user)
    await ProductVariant.filter(id=wanted.id).update(stock_on_hand=3)
    done = await _ask(client, exchange(wanted), user=user)

    assert [e["code"] for e in wrong["errors"]] == ["EXCHANGE_UNAVAILABLE"]
    assert [e["code"] for e in sold_out["errors"]] == ["EXCHANGE_UNAVAILABLE"]
    assert done["errors"] == []
    assert done["return"]["lines"][0]["exchangeVariantId"] == gid("ProductVariant", wanted.id)
    data = await client.query(RETURNABLE, {"number": order.number}, user=user)
    options = data["order"]["returnableLines"][0]["exchangeOptions"]
    assert [o["name"] for o in options] == ["S", "M"]


async def test_the_same_key_and_body_answer_the_same_return_and_another_body_is_refused(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    variables = _input(order, [(lines[0], 1)], idempotencyKey="retry-1")

    first = await _ask(client, variables, user=user)
    again = await _ask(client, variables, user=user)
    other = await _ask(client, {**variables, "note": "changed my mind"}, user=user)

    assert again["return"]["id"] == first["return"]["id"]
    assert [e["code"] for e in other["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await ReturnRequest.all().count() == 1
    assert await ReturnEvent.all().count() == 1


async def test_the_shopper_withdraws_a_requested_return_and_its_units_are_free_again(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    ret = (await _ask(client, _input(order, [(lines[0], 1)]), user=user))["return"]

    other = await make_user()
    stranger = await client.query(CANCEL, {"input": {"returnId": ret["id"]}}, user=other)
    done = await client.query(CANCEL, {"input": {"returnId": ret["id"]}}, user=user)
    again = await client.query(CANCEL, {"input": {"returnId": ret["id"]}}, user=user)

    assert [e["code"] for e in stranger["cancelReturn"]["errors"]] == ["NOT_FOUND"]
    assert done["cancelReturn"]["return"]["status"] == "CANCELLED"
    assert [e["code"] for e in again["cancelReturn"]["errors"]] == ["ILLEGAL_TRANSITION"]
    data = await client.query(RETURNABLE, {"number": order.number}, user=user)
    assert data["order"]["returnableLines"][0]["returnableQuantity"] == 1


async def test_a_guest_withdraws_with_the_token(client):
    order, lines, token = await guest_order()
    ret = (await _ask(client, _input(order, [(lines[0], 1)], accessToken=token)))["return"]

    wrong = await client.query(CANCEL, {"input": {"returnId": ret["id"], "accessToken": "nope"}})
    done = await client.query(CANCEL, {"input": {"returnId": ret["id"], "accessToken": token}})

    assert [e["code"] for e in wrong["cancelReturn"]["errors"]] == ["NOT_FOUND"]
    assert done["cancelReturn"]["return"]["status"] == "CANCELLED"


async def test_staff_open_a_return_for_a_customer_and_shoppers_cannot(client):
    user = await make_user()
    order, lines, _ = await delivered_order(user)
    variables = {
        "orderId": gid("Order", order.id),
        "lines": [{"orderLineId": gid("OrderLine", lines[0].id), "quantity": 1}],
        "resolution": "STORE_CREDIT",
    }

    refused = await client.request(OPEN, {"input": variables}, user=user)
    opened = await client.staff(OPEN, {"input": variables})

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert opened["openReturn"]["return"] == {
        "number": f"{order.number}-R1", "status": "REQUESTED", "openedByStaff": True,
    }  # fmt: skip


async def test_concurrent_requests_never_ask_back_more_units_than_were_bought(db):
    """Ten shoppers' tabs ask for the same units at once: the order lock lets the units
    bought go back once, on SQLite and PostgreSQL alike."""
    user = await make_user()
    order, lines, _ = await delivered_order(user, quantities=(3,))

    async def ask() -> ReturnRequest | ReturnError:
        try:
            return await requests.request_return(
                order.id,
                actor=Actor.customer(user.id),
                lines=[requests.LineRequest(lines[0].id, 1)],
                resolution="refund",  # type: ignore[arg-type]
            )
        except ReturnError as exc:
            return exc

    results = await asyncio.gather(*(ask() for _ in range(10)))

    made = [r for r in results if isinstance(r, ReturnRequest)]
    refused = [r for r in results if isinstance(r, ReturnError)]
    assert len(made) == 3
    assert {p.code for r in refused for p in r.problems} <= {
        ReturnErrorCode.OVER_RETURNED, ReturnErrorCode.NOT_RETURNABLE,
    }  # fmt: skip
    assert sorted(r.number for r in made) == [f"{order.number}-R{i}" for i in (1, 2, 3)]
    held = await ReturnLine.filter(order_line_id=lines[0].id)
    assert sum(line.quantity for line in held) == 3
    assert (await OrderLine.get(id=lines[0].id)).quantity == 3
    assert await ReturnRequest.filter(status=ReturnStatus.REQUESTED).count() == 3


async def test_the_same_key_sent_twice_at_once_makes_one_return(db):
    user = await make_user()
    order, lines, _ = await delivered_order(user)

    async def ask() -> ReturnRequest:
        return await requests.request_return(
            order.id,
            actor=Actor.customer(user.id),
            lines=[requests.LineRequest(lines[0].id, 1)],
            resolution="refund",  # type: ignore[arg-type]
            idempotency_key="tab",
        )

    first, second = await asyncio.gather(ask(), ask())

    assert first.id == second.id
    assert await ReturnRequest.all().count() == 1
