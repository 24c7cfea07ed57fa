"""The `emails.order` task: send one order email (idempotent: sent at most once)."""

from __future__ import annotations

from services.emails import events, sending

from . import registry


@registry.task(events.TASK)
async def send_order_email(order_id: int, kind: str, ref: str = "") -> None:
    """Send the email; a failure raises, so the job engine retries it with backoff."""
    await sending.send_order_email(order_id, kind, ref)
