"""The email tasks: `emails.order` sends one order email (idempotent: sent at most once);
`emails.store_credit` tells a customer about store credit staff gave them."""

from __future__ import annotations

from services.emails import credit, events, sending
from services.store_credit import grants

from . import registry


@registry.task(events.TASK)
async def send_order_email(order_id: int, kind: str, ref: str = "") -> None:
    """Send the email; a failure raises, so the job engine retries it with backoff."""
    await sending.send_order_email(order_id, kind, ref)


@registry.task(grants.EMAIL_TASK)
async def send_store_credit_email(entry_id: int) -> None:
    """Tell the customer about a grant of store credit; a failure raises and is retried."""
    await credit.send_credit_email(entry_id)
