"""Canned replies: written, changed, found and deleted by support staff; refused with an
unknown placeholder; rendered for a conversation in its customer's language."""

from __future__ import annotations

from models.accounts import Role
from models.support import CannedReply, ConversationChannel, LinkKind
from services.support import canned, conversations
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from settings import get_settings
from tests.factories import gid, make_user
from tests.returns.setup import delivered_order

CREATE = """
mutation Create($input: CreateCannedReplyInput!) {
  createCannedReply(input: $input) {
    cannedReply { id shortcut title body active translations { locale body } }
    errors { code field message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateCannedReplyInput!) {
  updateCannedReply(input: $input) {
    cannedReply { shortcut title translations { locale } active }
    errors { code field }
  }
}
"""

DELETE = """
mutation Delete($input: DeleteCannedReplyInput!) {
  deleteCannedReply(input: $input) { deletedId errors { code field } }
}
"""

LIST = """
query List($search: String) { cannedReplies(search: $search) { shortcut } }
"""

RENDER = """
query Render($id: ID!, $conversationId: ID!) {
  renderCannedReply(id: $id, conversationId: $conversationId) { text errors { code field } }
}
"""

PARCEL = (
    "Hi {{customer_name}}, order {{ order_number }} is on its way: {{tracking_link}} "
    "({{conversation_number}}, {{shop_name}})"
)


async def _staff():
    return await make_user(role=Role.STAFF, permissions=("support",))


async def _create(client, staff, **given):
    variables = {"shortcut": "parcel", "title": "Where is it", "body": PARCEL, **given}
    data = await client.query(CREATE, {"input": variables}, user=staff)
    return data["createCannedReply"]


async def test_staff_write_change_find_and_delete_canned_replies(client, db):
    staff = await _staff()
    made = await _create(
        client, staff, shortcut=" Where-Is-It ",
        translations=[{"locale": "zh-CN", "body": "您好 {{customer_name}}"}],
    )  # fmt: skip
    assert made["errors"] == []
    reply = made["cannedReply"]
    assert reply["shortcut"] == "where-is-it"
    assert reply["translations"] == [{"locale": "zh-CN", "body": "您好 {{customer_name}}"}]
    await _create(client, staff, shortcut="refund-sent", title="Refund sent", body="Done.")

    found = await client.query(LIST, {"search": "refund"}, user=staff)
    assert [r["shortcut"] for r in found["cannedReplies"]] == ["refund-sent"]
    every = await client.query(LIST, user=staff)
    assert [r["shortcut"] for r in every["cannedReplies"]] == ["refund-sent", "where-is-it"]

    changed = await client.query(
        UPDATE,
        {"input": {"id": reply["id"], "title": "Parcel", "translations": [], "active": False}},
        user=staff,
    )
    assert changed["updateCannedReply"]["cannedReply"] == {
        "shortcut": "where-is-it", "title": "Parcel", "translations": [], "active": False,
    }  # fmt: skip
    taken = await client.query(
        UPDATE, {"input": {"id": reply["id"], "shortcut": "refund-sent"}}, user=staff
    )
    assert taken["updateCannedReply"]["errors"] == [{"code": "INVALID", "field": ["shortcut"]}]

    deleted = await client.query(DELETE, {"input": {"id": reply["id"]}}, user=staff)
    assert deleted["deleteCannedReply"]["deletedId"] == reply["id"]
    again = await client.query(DELETE, {"input": {"id": reply["id"]}}, user=staff)
    assert again["deleteCannedReply"]["errors"] == [{"code": "NOT_FOUND", "field": ["id"]}]


async def test_unknown_placeholders_and_bad_fields_are_refused_and_nothing_is_saved(client, db):
    staff = await _staff()
    refused = await _create(
        client, staff, shortcut="bad shortcut!", title=" ", body="Hi {{first_name}}",
        translations=[{"locale": "not a locale", "body": "{{oops}}"},
                      {"locale": "ja", "body": "ok"}, {"locale": "JA", "body": "again"}],
    )  # fmt: skip
    assert refused["cannedReply"] is None
    assert {(e["code"], tuple(e["field"])) for e in refused["errors"]} == {
        ("INVALID", ("shortcut",)),
        ("REQUIRED", ("title",)),
        ("INVALID", ("body",)),
        ("INVALID", ("translations", "0", "locale")),
        ("INVALID", ("translations", "0", "body")),
        ("INVALID", ("translations", "2", "locale")),
    }
    assert "first_name" in next(e["message"] for e in refused["errors"] if e["field"] == ["body"])
    assert await CannedReply.all().count() == 0
    await _create(client, staff)
    duplicate = await _create(client, staff)
    assert duplicate["errors"] == [
        {"code": "INVALID", "field": ["shortcut"], "message": duplicate["errors"][0]["message"]}
    ]


async def test_a_rendered_reply_speaks_the_customers_language_and_fills_placeholders(client, db):
    staff = await _staff()
    customer = await make_user(nickname="Lin", locale="zh-CN")
    order, _, _ = await delivered_order(customer)
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=customer.id), locale="zh-CN"
    )
    async with atomic():
        locked = await machine.locked(conversation.id)
        await conversations.link(locked, LinkKind.ORDER, order.id)
    chinese = {"locale": "zh", "body": "{{customer_name}}，订单 {{order_number}}"}
    made = await _create(client, staff, translations=[chinese])
    reply_id = made["cannedReply"]["id"]
    cid = gid("Conversation", conversation.id)
    text = (await client.query(RENDER, {"id": reply_id, "conversationId": cid}, user=staff))[
        "renderCannedReply"
    ]["text"]
    assert text == f"Lin，订单 {order.number}"

    guest = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Sam", email="sam@example.com"), locale="fr"
    )
    text = (
        await client.query(
            RENDER, {"id": reply_id, "conversationId": gid("Conversation", guest.id)}, user=staff
        )
    )["renderCannedReply"]["text"]
    shop = get_settings().shop_name
    assert text == f"Hi Sam, order  is on its way:  ({guest.number}, {shop})"

    missing = await client.query(
        RENDER, {"id": reply_id, "conversationId": gid("Conversation", 999_999)}, user=staff
    )
    assert missing["renderCannedReply"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["conversationId"]}
    ]


async def test_customers_reach_no_canned_reply(client, db):
    customer = await make_user()
    body = await client.request(LIST, {}, user=customer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(
        CREATE, {"input": {"shortcut": "x", "title": "x", "body": "x"}}, user=customer
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_translation_for_a_locale_falls_back_to_its_language_then_the_default():
    given = {"zh-CN": "简", "zh-TW": "繁", "ja": "日"}
    assert canned.pick("en", given, "zh-tw") == "繁"
    assert canned.pick("en", given, "ja-JP") == "日"
    assert canned.pick("en", given, "zh-HK") == "简"
    assert canned.pick("en", given, "de") == "en"
    assert canned.pick("en", given, "") == "en"
