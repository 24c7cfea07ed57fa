"""Customer service tasks: a staff reply emailed to the customer, the email about chat
answers the customer has not read, and an inbound email posted."""

from __future__ import annotations

from services.support import inbound, notify, outbound

from . import registry


@registry.task(outbound.TASK)
async def send_reply(message_id: int) -> None:
    """Email one staff reply (once); a failed send raises, so the job engine retries it."""
    await outbound.send_reply(message_id)


@registry.task(notify.TASK)
async def send_chat_answers(conversation_id: int) -> None:
    """Email a chat's unread answers, if still unread; a failed send raises and is retried."""
    await notify.send_answers(conversation_id)


@registry.task(inbound.TASK)
async def post_inbound_email(inbound_id: int, envelope: list[str] | None = None) -> None:
    """Thread and post one stored inbound email (once); a failure raises and is retried."""
    await inbound.process(inbound_id, envelope or [])
