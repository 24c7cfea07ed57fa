"""The shopper is written to at every step of a return, in their language, through the
job queue; the shop hears of each new return at its contact address."""

from __future__ import annotations

from typing import Any

import pytest

from models.emails import EmailKind, SentEmail
from models.jobs import Job
from models.orders import Order
from models.returns import ReturnOutcome, ReturnStatus
from services import messaging
from services.emails.events import TASK
from services.emails.sending import send_order_email
from services.orders.timeline import Actor
from services.returns import requests, status
from services.returns.errors import ReturnError
from services.transactions import atomic
from settings import get_settings
from tests.returns.setup import delivered_order, make_reasons, make_user

STAFF = Actor("user:1")


async def _jobs() -> list[tuple[str, str]]:
    rows = await Job.filter(task=TASK).order_by("id")
    return [(str(r.kwargs["kind"]), str(r.kwargs["ref"])) for r in rows]


async def _requested(user, **kw):
    order, lines, _ = await delivered_order(user, **kw)
    size, _ = await make_reasons()
    ret = await requests.request_return(
        order.id, actor=Actor.customer(user.id), lines=[requests.LineRequest(lines[0].id, 1)],
        resolution="refund", reason_id=size.id,  # type: ignore[arg-type]
    )  # fmt: skip
    return order, ret


async def test_every_move_of_a_return_enqueues_its_email_once(client):
    user = await make_user()
    _, ret = await _requested(user)
    steps: list[tuple[ReturnStatus, dict[str, Any]]] = [
        (ReturnStatus.APPROVED, {"instructions": "Post it to 1-2-3 Minato"}),
        (ReturnStatus.RECEIVED, {}),
        (ReturnStatus.INSPECTED, {}),
        (ReturnStatus.CLOSED, {}),
    ]
    for to, changes in steps:
        async with atomic():
            ret = await status.move(ret, to, actor=STAFF, **changes)

    key = str(ret.id)
    assert await _jobs() == [
        ("return_requested", key),
        ("return_approved", key),
        ("return_received", key),
        ("return_closed", key),
    ]


async def test_a_refused_move_enqueues_nothing(client):
    user = await make_user()
    _, ret = await _requested(user)

    with pytest.raises(ReturnError):
        async with atomic():
            await status.move(ret, ReturnStatus.CLOSED, actor=STAFF)

    assert [kind for kind, _ in await _jobs()] == ["return_requested"]


async def test_the_requested_email_gives_the_number_and_the_next_step_in_japanese(client):
    user = await make_user(locale="ja")
    order, ret = await _requested(user, locale="ja")

    outcome = await send_order_email(order.id, EmailKind.RETURN_REQUESTED, str(ret.id))

    assert outcome.sent
    sent = messaging.outbox()[-1]
    assert sent.to == order.email
    assert ret.number in sent.subject
    assert f"返品番号は {ret.number} です" in sent.body
    assert "Wrong size" in sent.body


async def test_the_approved_email_carries_the_instructions_and_the_label(client):
    user = await make_user()
    order, ret = await _requested(user)
    async with atomic():
        await status.move(
            ret, ReturnStatus.APPROVED, actor=STAFF,
            instructions="Send it to Tradewind Returns, 88 Example Road",
            label_reference="LBL-123 <b>",
        )  # fmt: skip

    await send_order_email(order.id, EmailKind.RETURN_APPROVED, str(ret.id))

    sent = messaging.outbox()[-1]
    assert "88 Example Road" in sent.body and "LBL-123 <b>" in sent.body
    assert "LBL-123 &lt;b&gt;" in (sent.html or "")
    assert "approved" in sent.subject


async def test_the_declined_and_closed_emails_say_why_and_what_was_given_back(client):
    user = await make_user()
    order, ret = await _requested(user)
    other_order, other = await _requested(user)
    async with atomic():
        await status.move(ret, ReturnStatus.DECLINED, actor=STAFF, decline_reason="Worn")
        other = await status.move(other, ReturnStatus.APPROVED, actor=STAFF, keep_items=True)
        await ReturnOutcome.create(
            return_request=other, currency="JPY", refund_amount=1500, credit_amount=500
        )
        await status.move(other, ReturnStatus.CLOSED, actor=STAFF)

    await send_order_email(order.id, EmailKind.RETURN_DECLINED, str(ret.id))
    declined = messaging.outbox()[-1]
    await send_order_email(other_order.id, EmailKind.RETURN_CLOSED, str(other.id))
    closed = messaging.outbox()[-1]

    assert "Worn" in declined.body
    assert "¥1,500" in closed.body and "¥500" in closed.body


async def test_the_shop_hears_of_a_new_return_at_its_contact_address(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "shop_contact_email", "returns@shop.example")
    user = await make_user()
    order, ret = await _requested(user)

    await send_order_email(order.id, EmailKind.SHOP_RETURN_REQUESTED, str(ret.id))

    assert ("shop_return_requested", str(ret.id)) in await _jobs()
    sent = messaging.outbox()[-1]
    assert sent.to == "returns@shop.example"
    assert ret.number in sent.subject
    record = await SentEmail.get(kind=EmailKind.SHOP_RETURN_REQUESTED)
    assert record.to == "returns@shop.example"


async def test_without_a_shop_address_no_shop_notice_is_enqueued(client):
    assert get_settings().shop_contact_email == ""
    user = await make_user()
    await _requested(user)

    assert [kind for kind, _ in await _jobs()] == ["return_requested"]
    assert await Order.all().count() == 1
