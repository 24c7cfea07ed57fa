"""The support inbox, live: `supportInboxChanged` for staff with the support permission,
in the view asked for, and refused to customers."""

from __future__ import annotations

import asyncio

from models.accounts import Role
from models.support import ConversationChannel
from services.support import conversations, desk
from services.support.conversations import Contact
from tests.factories import make_user
from tests.orders.test_live import _next, _subscribe

CHANGES = """subscription($view: SupportInboxView) {
  supportInboxChanged(view: $view) { kind number messageId conversation { status } }
}"""


async def test_staff_see_conversations_open_move_and_get_answers_live(live_server):
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    async with await _subscribe(live_server, staff, CHANGES) as ws:
        await asyncio.sleep(0.2)
        opened = await conversations.open_conversation(
            ConversationChannel.CHAT, Contact(name="Guest")
        )
        change = (await _next(ws))["payload"]["data"]["supportInboxChanged"]
        assert change["kind"] == "NEW" and change["number"] == opened.number
        await desk.reply(opened.id, actor_id=staff.id, body="Hello", private=True)
        change = (await _next(ws))["payload"]["data"]["supportInboxChanged"]
        assert change["kind"] == "MESSAGE" and change["messageId"]
        await desk.resolve(opened.id, actor_id=staff.id)
        change = (await _next(ws))["payload"]["data"]["supportInboxChanged"]
        assert change["kind"] == "CHANGED"
        assert change["conversation"]["status"] == "RESOLVED"


async def test_the_mine_view_shows_only_what_is_assigned_to_the_viewer(live_server):
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    async with await _subscribe(live_server, staff, CHANGES, {"view": "MINE"}) as ws:
        await asyncio.sleep(0.2)
        other = await conversations.open_conversation(
            ConversationChannel.CHAT, Contact(name="Other")
        )
        mine = await conversations.open_conversation(ConversationChannel.CHAT, Contact(name="Mine"))
        await desk.assign(mine.id, actor_id=staff.id, assignee_id=staff.id)
        change = (await _next(ws))["payload"]["data"]["supportInboxChanged"]
        assert change["number"] == mine.number and change["number"] != other.number


async def test_customers_cannot_follow_the_inbox(live_server):
    shopper = await make_user()
    async with await _subscribe(live_server, shopper, CHANGES) as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"
