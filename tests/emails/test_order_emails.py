"""Order emails end to end: an order placed through the API, its email received by a real
SMTP server in the shopper's language, each email sent once, failures recorded and retried,
and what was sent shown to staff only."""

from __future__ import annotations

import asyncio
import email
import email.policy
import uuid
from email.message import EmailMessage
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.emails import EmailKind, EmailStatus, SentEmail
from models.orders import Order
from services import messaging
from services.emails.sending import EmailNotSent, send_order_email
from settings import Settings
from tests.factories import gid, make_order, make_product, make_user
from tests.orders.checkout_setup import TOKYO, ready_shop
from tests.test_messaging import CollectingHandler, free_port

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken errors { field code message } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { errors { field code message } order { id number } } }"""
EMAILS = """query($id: ID!) {
  order(id: $id) { number emails { kind to language subject status error providerMessageId
                                   attempts sentAt } } }"""


def _parse(handler: CollectingHandler, index: int = -1) -> EmailMessage:
    content = handler.envelopes[index].content
    assert isinstance(content, bytes)
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def _place(client: Any, *, language: str = "ja", user: Any = None) -> Order:
    shop = await ready_shop(jpy_rate="151.37")
    product = await make_product(prices=("19.99",), stock=(4,), name="Linen shirt")
    variant = await ProductVariant.get(product_id=product.id)
    added = await client.query(
        ADD,
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 2}},
        user=user,
    )
    token = added["addToCart"]["cartToken"]
    placed = await client.query(
        PLACE,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": "hanako@example.jp",
                "shippingAddress": TOKYO,
                "shippingServiceId": shop.service_id,
                "currency": "JPY",
            }
        },
        headers={"Accept-Language": language},
        user=user,
    )
    assert placed["placeOrder"]["errors"] == []
    return await Order.get(number=placed["placeOrder"]["order"]["number"])


async def test_placing_an_order_sends_one_email_in_the_shoppers_language(client, smtp):
    order = await _place(client, language="ja-JP,ja;q=0.9,en;q=0.5")
    assert order.locale == "ja"

    outcome = await send_order_email(order.id, EmailKind.ORDER_PLACED)

    assert outcome.sent
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["hanako@example.jp"]
    message = _parse(smtp)
    assert message["Subject"] == f"Tradewindでのご注文 {order.number}"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    plain, markup = text.get_content(), html.get_content()
    # 2 x 3,026 yen + 1,211 yen shipping, in yen as the shopper paid.
    for part in (plain, markup):
        assert "￥7,263" in part
        assert "ご注文ありがとう" in part or "ありがとうございます" in part
        assert "Linen shirt" in part
    assert f"#/order/{order.number}?lang=ja" in plain
    record = await SentEmail.get(order_id=order.id)
    assert (record.kind, record.status, record.language, record.attempts) == (
        EmailKind.ORDER_PLACED,
        EmailStatus.SENT,
        "ja",
        1,
    )
    assert record.provider_message_id == message["Message-ID"]
    assert record.sent_at is not None


async def test_a_retried_job_does_not_send_twice(client, smtp):
    order = await _place(client, language="de")

    first = await send_order_email(order.id, EmailKind.ORDER_PLACED)
    again = await send_order_email(order.id, EmailKind.ORDER_PLACED)

    assert (first.sent, again.sent) == (True, False)
    assert len(smtp.envelopes) == 1
    assert _parse(smtp)["Subject"].startswith("Ihre Bestellung")
    assert await SentEmail.filter(order_id=order.id).count() == 1


async def test_a_failed_send_is_recorded_and_the_retry_sends_it(client, smtp):
    order = await _place(client, language="fr")
    smtp.refusing = True

    with pytest.raises(EmailNotSent):
        await send_order_email(order.id, EmailKind.ORDER_PLACED)

    failed = await SentEmail.get(order_id=order.id)
    assert (failed.status, failed.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in failed.error
    assert smtp.envelopes == []

    smtp.refusing = False
    retried = await send_order_email(order.id, EmailKind.ORDER_PLACED)

    assert retried.sent
    sent = await SentEmail.get(order_id=order.id)
    assert (sent.status, sent.attempts, sent.error) == (EmailStatus.SENT, 2, "")
    assert len(smtp.envelopes) == 1
    assert _parse(smtp)["Subject"].startswith("Votre commande")


async def test_a_mail_server_that_is_down_is_a_failure_too(client):
    order = await _place(client, language="zh")
    saved = messaging.email_sender(), messaging.sms_sender()
    messaging.configure(
        Settings(email_backend="smtp", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_timeout=2)
    )
    try:
        with pytest.raises(EmailNotSent):
            await send_order_email(order.id, EmailKind.ORDER_PLACED)
    finally:
        messaging._email, messaging._sms = saved
    record = await SentEmail.get(order_id=order.id)
    assert (record.status, record.language) == (EmailStatus.FAILED, "zh")
    assert record.error


async def test_staff_see_the_emails_sent_for_an_order_and_customers_do_not(client, smtp):
    shopper = await make_user(email="hanako@example.jp")
    order = await _place(client, language="en", user=shopper)
    await send_order_email(order.id, EmailKind.ORDER_PLACED)
    variables = {"id": gid("Order", order.id)}

    seen = (await client.staff(EMAILS, variables))["order"]

    [sent] = seen["emails"]
    assert sent["kind"] == "ORDER_PLACED"
    assert sent["to"] == "hanako@example.jp"
    assert (sent["language"], sent["status"], sent["attempts"]) == ("en", "SENT", 1)
    assert sent["subject"] == f"Your order {order.number} at Tradewind"
    assert sent["providerMessageId"] == _parse(smtp)["Message-ID"]
    assert sent["error"] is None

    as_shopper = await client.request(EMAILS, variables, user=shopper)
    assert as_shopper["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    as_other_staff = await client.request(EMAILS, variables, user=catalog_staff)
    assert as_other_staff["data"]["order"] is None


async def test_two_runs_at_once_send_the_email_once(client, smtp):
    order = await _place(client, language="en")

    outcomes = await asyncio.gather(
        send_order_email(order.id, EmailKind.ORDER_PLACED),
        send_order_email(order.id, EmailKind.ORDER_PLACED),
    )

    assert sorted(o.sent for o in outcomes) == [False, True]
    assert len(smtp.envelopes) == 1
    assert await SentEmail.filter(order_id=order.id).count() == 1


LISTED = """query { orders(first: 20) { edges { node { number emails { kind status } } } } }"""


async def test_a_staff_order_list_reads_every_orders_emails_in_one_statement(client, count_queries):
    async def add_orders(how_many: int) -> None:
        for _ in range(how_many):
            order = await make_order(None, [])
            for kind in (EmailKind.ORDER_PLACED, EmailKind.PAYMENT_RECEIVED):
                await SentEmail.create(order=order, kind=kind, to="a@example.com", language="en")

    await add_orders(2)
    await client.staff(LISTED)  # what a first request reads once (the staff member's row)
    count_queries.statements.clear()
    few = await client.staff(LISTED)
    with_two = count_queries.count
    await add_orders(8)
    count_queries.statements.clear()
    many = await client.staff(LISTED)

    assert [len(edge["node"]["emails"]) for edge in few["orders"]["edges"]] == [2, 2]
    assert [len(edge["node"]["emails"]) for edge in many["orders"]["edges"]] == [2] * 10
    assert count_queries.count == with_two
