"""The demo's customer service: service hours in the shop's time zone, a target per priority,
canned replies in the demo's languages, and one conversation from a customer about their
latest order, so the console's inbox has something to answer on the first visit.

Written through the services the console uses; made only while the shop has no canned reply.
"""

from __future__ import annotations

from models.accounts import User
from models.orders import Order
from models.support import (
    CannedReply,
    ConversationChannel,
    ConversationPriority,
    LinkKind,
    MessageAuthor,
)
from services.support import canned, conversations, messages, setup
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic

#: Monday to Friday, nine to six, with a lunch hour, in the shop's time zone.
DEMO_TIME_ZONE = "Asia/Shanghai"
DEMO_HOURS = [
    setup.Hours(day, opens, closes)
    for day in list(setup.Weekday)[:5]
    for opens, closes in (("09:00", "12:00"), ("13:00", "18:00"))
]
#: First response and resolution, in business minutes.
DEMO_TARGETS = [
    setup.Target(ConversationPriority.URGENT, 30, 4 * 60),
    setup.Target(ConversationPriority.HIGH, 60, 8 * 60),
    setup.Target(ConversationPriority.NORMAL, 4 * 60, 3 * 8 * 60),
    setup.Target(ConversationPriority.LOW, 8 * 60, 5 * 8 * 60),
]
DEMO_REPLIES = [
    (
        "thanks",
        "Thanks for writing",
        "Hello {{customer_name}}, thank you for writing to {{shop_name}}. We are on it.",
        [
            ("zh", "{{customer_name}}您好，感谢您联系{{shop_name}}，我们正在处理。"),
            ("de", "Hallo {{customer_name}}, danke für Ihre Nachricht an {{shop_name}}."),
        ],
    ),
    (
        "where",
        "Where is my parcel",
        "Hello {{customer_name}}, order {{order_number}} is on its way: {{tracking_link}}",
        [
            ("zh", "{{customer_name}}您好，订单 {{order_number}} 已发出：{{tracking_link}}"),
            (
                "de",
                "Hallo {{customer_name}}, {{order_number}} ist unterwegs: {{tracking_link}}",
            ),
        ],
    ),
]


async def load_demo_support() -> bool:
    """Hours, targets, canned replies and a first conversation; False when they exist."""
    if await CannedReply.exists():
        return False
    await setup.set_schedule(DEMO_TIME_ZONE, DEMO_HOURS)
    await setup.set_targets(DEMO_TARGETS)
    for shortcut, title, body, translations in DEMO_REPLIES:
        await canned.create(
            shortcut=shortcut,
            title=title,
            body=body,
            translations=[canned.Translation(locale, text) for locale, text in translations],
        )
    order = await Order.filter(user_id__isnull=False).order_by("-placed_at", "-id").first()
    shopper = await User.get_or_none(id=order.user_id) if order is not None else None
    if order is None or shopper is None:
        return True
    async with atomic():
        conversation = await conversations.open_conversation(
            ConversationChannel.CHAT,
            Contact(customer_id=shopper.id, name=shopper.nickname or ""),
            subject=f"Order {order.number}",
            locale="en",
        )
        row = await machine.locked(conversation.id)
        await conversations.link(row, LinkKind.ORDER, order.id)
        await messages.post(
            row,
            author=MessageAuthor.CUSTOMER,
            channel=ConversationChannel.CHAT,
            body=f"Hello! Can you tell me when order {order.number} will arrive?",
            author_user_id=shopper.id,
        )
    return True
