"""What staff do with a return before its goods are inspected: approve it (with instructions
and a return label), decline it, change its instructions, let the shopper keep the items,
or cancel it.

Every action names the `version` of the return the screen read: a return changed since is
refused STALE, and a move its status does not allow ILLEGAL_TRANSITION (`services.returns.
status`). Each runs in one transaction with the return's row locked, writes its timeline
entry there, and is announced once it commits.
"""

from __future__ import annotations

import unicodedata

from models.returns import ReturnRequest, ReturnStatus
from services.errors import Problems
from services.orders.timeline import Actor
from services.returns import status
from services.returns.errors import ReturnError, ReturnErrorCode, fail
from services.transactions import atomic

S = ReturnStatus

MAX_INSTRUCTIONS = 4000
MAX_LABEL = 400
MAX_DECLINE_REASON = 500
MAX_NOTE = 500
#: Statuses in which the shopper still needs the instructions: they may change then.
INSTRUCTED = frozenset({S.APPROVED, S.IN_TRANSIT})


def clean_text(
    checks: Problems[ReturnErrorCode],
    value: str,
    limit: int,
    *field: str,
    multiline: bool = False,
) -> str:
    """`value` trimmed (on one line unless `multiline`); INVALID at the path `field` for
    control characters (NUL included) and TOO_LONG past `limit` characters."""
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        checks.add(ReturnErrorCode.INVALID, "The text contains control characters.", *field)
        return ""
    text = value.strip() if multiline else " ".join(value.split())
    if multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    if len(text) > limit:
        checks.add(ReturnErrorCode.TOO_LONG, f"At most {limit} characters.", *field)
    return text


async def approve(
    return_id: int,
    *,
    actor: Actor,
    version: int | None,
    instructions: str = "",
    label_reference: str = "",
) -> ReturnRequest:
    """Accept a requested return, with how to send the goods back (at most 4000 characters)
    and a prepaid label's reference or URL (at most 400), both optional."""
    checks = Problems(ReturnError)
    text = clean_text(checks, instructions, MAX_INSTRUCTIONS, "instructions", multiline=True)
    label = clean_text(checks, label_reference, MAX_LABEL, "label_reference")
    checks.raise_if_any()
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        return await status.move(
            ret,
            S.APPROVED,
            actor=actor,
            message="Return approved.",
            instructions=text,
            label_reference=label,
        )


async def decline(
    return_id: int, *, actor: Actor, version: int | None, reason: str
) -> ReturnRequest:
    """Refuse a requested return, saying why (required, at most 500 characters); the shopper
    reads the reason."""
    checks = Problems(ReturnError)
    text = clean_text(checks, reason, MAX_DECLINE_REASON, "reason")
    if not text and not checks.has("reason"):
        checks.add(ReturnErrorCode.REQUIRED, "Say why the return is declined.", "reason")
    checks.raise_if_any()
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        return await status.move(
            ret, S.DECLINED, actor=actor, message=f"Declined: {text}", decline_reason=text
        )


async def update_instructions(
    return_id: int,
    *,
    actor: Actor,
    version: int | None,
    instructions: str | None = None,
    label_reference: str | None = None,
) -> ReturnRequest:
    """Change the instructions and/or the label of an approved return (or one in transit);
    None leaves a value as it is, "" clears it."""
    checks = Problems(ReturnError)
    changes: dict[str, str] = {}
    if instructions is not None:
        changes["instructions"] = clean_text(
            checks, instructions, MAX_INSTRUCTIONS, "instructions", multiline=True
        )
    if label_reference is not None:
        changes["label_reference"] = clean_text(
            checks, label_reference, MAX_LABEL, "label_reference"
        )
    if not changes and not checks:
        checks.add(ReturnErrorCode.REQUIRED, "Give the instructions or the label.", "instructions")
    checks.raise_if_any()
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        if ReturnStatus(ret.status) not in INSTRUCTED:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "Instructions change only while the return is approved or on its way back.",
                "return_id",
            )
        ret = await status.touch(ret, **changes)
        await status.record(
            ret,
            actor,
            message="Return instructions updated."
            if "instructions" in changes
            else "Return label updated.",
            data={"changed": sorted(changes)},
        )
        return ret


async def keep_items(
    return_id: int, *, actor: Actor, version: int | None, note: str = ""
) -> ReturnRequest:
    """Let the shopper keep the goods of an approved return (they cost more to send back than
    they are worth): its outcome is then carried out without a parcel or an inspection."""
    checks = Problems(ReturnError)
    text = clean_text(checks, note, MAX_NOTE, "note")
    checks.raise_if_any()
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        if ReturnStatus(ret.status) is not S.APPROVED:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "Only an approved return whose goods have not been sent may be kept.",
                "return_id",
            )
        if ret.keep_items:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION, "The items are already kept.", "return_id"
            )
        ret = await status.touch(ret, keep_items=True)
        await status.record(
            ret,
            actor,
            message="Keep the items: refunded without sending them back."
            + (f" {text}" if text else ""),
        )
        return ret


async def cancel(
    return_id: int, *, actor: Actor, version: int | None, reason: str = ""
) -> ReturnRequest:
    """Cancel a return that is requested or approved (nothing has been sent back yet)."""
    checks = Problems(ReturnError)
    text = clean_text(checks, reason, MAX_NOTE, "reason")
    checks.raise_if_any()
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        return await status.move(
            ret,
            S.CANCELLED,
            actor=actor,
            message="Cancelled by staff." + (f" {text}" if text else ""),
        )


async def receive(return_id: int, *, actor: Actor, version: int | None) -> ReturnRequest:
    """Record that the goods of an approved return (or one in transit) arrived: it becomes
    RECEIVED and its lines wait for inspection. A return whose items are kept comes back
    never, and is refused."""
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        if ret.keep_items:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "The shopper keeps these items: nothing comes back to receive.",
                "return_id",
            )
        return await status.move(ret, S.RECEIVED, actor=actor, message="Goods received.")
