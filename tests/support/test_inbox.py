"""The staff inbox through the API: its order (priority, then the oldest waiting customer
word), views, filters, counts and pages; what staff see beside a conversation; and that
customers reach none of it, nor a private note."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationPriority,
    MessageAuthor,
)
from services.support import conversations, desk, messages
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from tests.factories import gid, make_user
from tests.returns.factories import make_return
from tests.returns.setup import delivered_order

INBOX = """
query Inbox($filter: SupportInboxFilter, $first: Int, $after: String) {
  supportInbox(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { number priority status assignee { id } labels }
    pageInfo { hasNextPage endCursor }
    statusCounts { status count }
    viewCounts { view count }
  }
}
"""

CONTEXT = """
query Context($id: ID!) {
  conversationContext(id: $id) {
    conversation { number }
    customer { id }
    recentOrders { number }
    parcels { trackingNumber }
    returns { number }
    storeCredit { currency }
    tier { name }
    conversationActions { kind mutation allowed }
  }
}
"""

NODE = """
query One($id: ID!) {
  node(id: $id) {
    ... on Conversation { number messages(first: 20) { nodes { body private } } }
  }
}
"""


async def _staff(**kw):
    return await make_user(role=Role.STAFF, permissions=("support",), **kw)


async def _open(name: str, *, priority=None, customer=None, waited_minutes: int | None = None):
    contact = Contact(customer_id=customer.id) if customer else Contact(name=name)
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, contact, subject=name, priority=priority
    )
    if waited_minutes is not None:
        at = timezone.now() - timedelta(minutes=waited_minutes)
        await Conversation.filter(id=conversation.id).update(last_customer_message_at=at)
    return await Conversation.get(id=conversation.id)


async def _numbers(client, staff, **variables):
    data = await client.query(INBOX, variables, user=staff)
    return [n["number"] for n in data["supportInbox"]["nodes"]], data["supportInbox"]


async def test_the_most_pressing_comes_first_and_pages_hold_together(client, db):
    staff = await _staff()
    normal_old = await _open("normal old", waited_minutes=60)
    normal_new = await _open("normal new", waited_minutes=5)
    urgent = await _open("urgent", priority=ConversationPriority.URGENT, waited_minutes=1)
    quiet = await _open("no customer word yet")
    low = await _open("low", priority=ConversationPriority.LOW, waited_minutes=600)
    expected = [c.number for c in (urgent, normal_old, normal_new, quiet, low)]

    everything, inbox = await _numbers(client, staff)
    assert everything == expected
    assert inbox["totalCount"] == 5

    seen: list[str] = []
    after = None
    while True:
        data = await client.query(INBOX, {"first": 2, "after": after}, user=staff)
        page = data["supportInbox"]
        seen += [n["number"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_views_filters_and_counts(client, db):
    staff = await _staff()
    colleague = await _staff()
    mine = await _open("mine")
    theirs = await _open("theirs")
    nobody = await _open("nobody wants this")
    await desk.assign(mine.id, actor_id=staff.id, assignee_id=staff.id)
    await desk.assign(theirs.id, actor_id=staff.id, assignee_id=colleague.id)
    await desk.set_labels(nobody.id, labels=["Refund"])
    await desk.resolve(theirs.id, actor_id=colleague.id)
    await Conversation.filter(id=nobody.id).update(
        first_response_due_at=timezone.now() - timedelta(minutes=1)
    )

    assert (await _numbers(client, staff, filter={"view": "MINE"}))[0] == [mine.number]
    assert (await _numbers(client, staff, filter={"view": "UNASSIGNED"}))[0] == [nobody.number]
    assert (await _numbers(client, staff, filter={"view": "BREACHING"}))[0] == [nobody.number]
    assert (await _numbers(client, staff, filter={"label": "refund"}))[0] == [nobody.number]
    assert (await _numbers(client, staff, filter={"status": "RESOLVED"}))[0] == [theirs.number]
    found, _ = await _numbers(client, staff, filter={"assigneeId": gid("User", colleague.id)})
    assert found == [theirs.number]
    assert (await _numbers(client, staff, filter={"search": mine.number[:6].lower()}))[0] == [
        mine.number
    ]
    assert (await _numbers(client, staff, filter={"search": "WANTS"}))[0] == [nobody.number]

    _, inbox = await _numbers(client, staff, filter={"status": "OPEN"})
    assert {c["status"]: c["count"] for c in inbox["statusCounts"]} == {"OPEN": 2, "RESOLVED": 1}
    assert {c["view"]: c["count"] for c in inbox["viewCounts"]} == {
        "ALL": 2, "UNASSIGNED": 1, "MINE": 1, "BREACHING": 1,
    }  # fmt: skip


async def test_bad_filters_are_input_errors(client, db):
    staff = await _staff()
    for variables in (
        {"filter": {"search": "x" * 101}},
        {"filter": {"assigneeId": "junk"}},
        {"after": "not-a-cursor"},
        {"first": 10_000},
    ):
        body = await client.request(INBOX, variables, user=staff)
        assert body["errors"] and body["data"] is None, variables


async def test_customers_reach_no_inbox_or_context_and_never_a_private_note(client, db):
    customer = await make_user()
    staff = await _staff()
    conversation = await _open("mine", customer=customer)
    async with atomic():
        locked = await machine.locked(conversation.id)
        await messages.post(
            locked, author=MessageAuthor.STAFF, channel=ConversationChannel.CHAT,
            body="secret note", private=True, author_user_id=staff.id,
        )  # fmt: skip
        await messages.post(
            locked, author=MessageAuthor.STAFF, channel=ConversationChannel.CHAT,
            body="public answer", author_user_id=staff.id,
        )  # fmt: skip
    cid = gid("Conversation", conversation.id)
    for doc, variables in ((INBOX, {}), (CONTEXT, {"id": cid})):
        body = await client.request(doc, variables, user=customer)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert not any((body["data"] or {}).values())

    as_customer = await client.query(NODE, {"id": cid}, user=customer)
    bodies = [m["body"] for m in as_customer["node"]["messages"]["nodes"]]
    assert "public answer" in bodies and "secret note" not in bodies
    as_staff = await client.query(NODE, {"id": cid}, user=staff)
    bodies = [m["body"] for m in as_staff["node"]["messages"]["nodes"]]
    assert "secret note" in bodies
    other = await make_user()
    assert (await client.query(NODE, {"id": cid}, user=other))["node"] is None


async def test_the_context_shows_the_customers_orders_parcels_returns_and_actions(client, db):
    customer = await make_user()
    order, _, _ = await delivered_order(customer)
    ret = await make_return(order)
    conversation = await _open("parcel", customer=customer)
    support_only = await _staff()
    both = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    cid = gid("Conversation", conversation.id)

    data = (await client.query(CONTEXT, {"id": cid}, user=support_only))["conversationContext"]
    assert data["customer"]["id"] == gid("User", customer.id)
    assert [o["number"] for o in data["recentOrders"]] == [order.number]
    assert [p["trackingNumber"] for p in data["parcels"]] == [f"TP{order.id}"]
    assert [r["number"] for r in data["returns"]] == [ret.number]
    assert data["storeCredit"] == [] and data["tier"] is None
    allowed = {a["kind"]: a["allowed"] for a in data["conversationActions"]}
    assert allowed == {
        "RESEND_TRACKING_LINK": False, "START_RETURN": False, "ADD_STORE_CREDIT": True,
    }  # fmt: skip

    data = (await client.query(CONTEXT, {"id": cid}, user=both))["conversationContext"]
    assert all(a["allowed"] for a in data["conversationActions"])

    guest = await _open("guest")
    data = await client.query(CONTEXT, {"id": gid("Conversation", guest.id)}, user=both)
    assert data["conversationContext"]["customer"] is None
    assert data["conversationContext"]["recentOrders"] == []
    missing = await client.query(CONTEXT, {"id": gid("Conversation", 999_999)}, user=both)
    assert missing["conversationContext"] is None


UNREAD = """
query Unread($first: Int) {
  supportInbox(first: $first) { nodes { number unreadCount labels assignee { id } } }
}
"""


async def _customer_says(conversation: Conversation, *bodies: str) -> list[int]:
    ids = []
    async with atomic():
        locked = await machine.locked(conversation.id)
        for body in bodies:
            posted = await messages.post(
                locked, author=MessageAuthor.CUSTOMER, channel=ConversationChannel.CHAT,
                body=body,
            )  # fmt: skip
            ids.append(posted.message.id)
    return ids


async def test_unread_counts_of_a_page_are_each_conversations_own_in_one_reading(
    client, db, count_queries
):
    staff = await make_user(role=Role.STAFF, permissions=("support",))

    async def page() -> tuple[dict[str, int], int]:
        before = count_queries.count
        data = await client.query(UNREAD, {"first": 50}, user=staff)
        counts = {n["number"]: n["unreadCount"] for n in data["supportInbox"]["nodes"]}
        return counts, count_queries.count - before

    rows = []
    for i in range(3):
        row = await conversations.open_conversation(
            ConversationChannel.CHAT, Contact(name=f"Guest {i}")
        )
        ids = await _customer_says(row, *(f"Message {j}" for j in range(i + 1)))
        rows.append((row, ids))
    # The second conversation was read up to its first message; a staff answer is not unread.
    await Conversation.filter(id=rows[1][0].id).update(staff_read_up_to=rows[1][1][0])
    await desk.reply(rows[2][0].id, actor_id=staff.id, body="On it")
    counts, few = await page()
    assert counts == {rows[0][0].number: 1, rows[1][0].number: 1, rows[2][0].number: 3}

    for i in range(9):
        row = await conversations.open_conversation(
            ConversationChannel.CHAT, Contact(name=f"More {i}")
        )
        await _customer_says(row, "Hello")
    counts, many = await page()
    assert len(counts) == 12 and sum(counts.values()) == 5 + 9
    # The page's statements do not grow with its rows (no count per conversation).
    assert many == few
