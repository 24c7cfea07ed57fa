"""Inspecting what came back: a decision per line, then "finish inspection".

Each line of a RECEIVED return gets one decision for the units that came back (its
`inspected_quantity`): back to stock, needs work, or written off; the rest of the line's
units count as missing from the parcel (a line decided MISSING came back with none). A
restock is an inventory ledger movement (`stock.return_goods`, kind RETURN) whose reference
is the return's number, so stock never rises by more units than came back.

A line may be inspected again until the inspection is finished: the ledger is corrected
rather than counted twice. Restocking more units than before moves the difference in;
fewer moves it back out again (an ADJUSTMENT of the same reference). Once finished
(INSPECTED) the decisions are final: a mistake is then an inventory adjustment.

Two inspections of one return at once are serialised by the return's row lock and its
version: the second reads a changed return and is refused STALE, having moved no stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise import timezone

from models.inventory import MovementKind
from models.orders import OrderLine
from models.returns import Inspection, ReturnLine, ReturnRequest, ReturnStatus
from services.errors import Problems
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.orders.timeline import Actor
from services.returns import status
from services.returns.errors import ReturnError, ReturnErrorCode, fail
from services.returns.handling import MAX_NOTE, clean_text
from services.transactions import atomic

S = ReturnStatus
#: Decisions for units that came back (MISSING is for none).
CAME_BACK = frozenset({Inspection.RESTOCK, Inspection.NEEDS_WORK, Inspection.WRITTEN_OFF})


@dataclass(frozen=True, slots=True)
class LineDecision:
    """What became of one return line's units."""

    line_id: int
    inspection: Inspection
    #: Units that came back and are decided so (None: all the line's units; MISSING: none).
    quantity: int | None = None
    note: str = ""


def _checked(
    decisions: Sequence[LineDecision], lines: dict[int, ReturnLine]
) -> list[tuple[ReturnLine, Inspection, int, str]]:
    """(line, decision, units decided, note) for each decision; every problem at once."""
    checks = Problems(ReturnError)
    if not decisions:
        checks.add(ReturnErrorCode.REQUIRED, "Decide at least one line.", "lines")
    seen: set[int] = set()
    out: list[tuple[ReturnLine, Inspection, int, str]] = []
    for i, decision in enumerate(decisions):
        at = ("lines", str(i))
        line = lines.get(decision.line_id)
        if line is None:
            checks.add(
                ReturnErrorCode.NOT_FOUND, "The line is not one of this return's.", *at, "line_id"
            )
            continue
        if line.id in seen:
            checks.add(ReturnErrorCode.INVALID, "Each line is decided once.", *at, "line_id")
            continue
        seen.add(line.id)
        kind = Inspection(decision.inspection)
        if kind is Inspection.PENDING:
            checks.add(
                ReturnErrorCode.INVALID, "Choose what became of the line.", *at, "inspection"
            )
            continue
        if kind is Inspection.MISSING:
            if decision.quantity not in (None, 0):
                checks.add(
                    ReturnErrorCode.INVALID_QUANTITY,
                    "A missing line came back with no units: leave the quantity out.",
                    *at,
                    "quantity",
                )
                continue
            units = 0
        else:
            units = line.quantity if decision.quantity is None else decision.quantity
            if units > line.quantity:
                checks.add(
                    ReturnErrorCode.OVER_RESTOCKED,
                    f"Only {line.quantity} units of this line were sent back.",
                    *at,
                    "quantity",
                )
                continue
            if units < 1:
                checks.add(
                    ReturnErrorCode.INVALID_QUANTITY,
                    "At least one unit; a line that did not come back is MISSING.",
                    *at,
                    "quantity",
                )
                continue
        note = clean_text(checks, decision.note, MAX_NOTE, *at, "note")
        out.append((line, kind, units, note))
    checks.raise_if_any()
    return out


async def inspect_lines(
    return_id: int, *, actor: Actor, version: int | None, decisions: Sequence[LineDecision]
) -> ReturnRequest:
    """Record a decision for each line given, of a RECEIVED return, restocking (or taking
    back out) the units whose decision changes what is on the shelf. ILLEGAL_TRANSITION
    unless received; nothing is changed when any decision is refused."""
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        if ReturnStatus(ret.status) is not S.RECEIVED:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "Lines are inspected once the return is received, until the inspection is "
                "finished.",
                "return_id",
            )
        lines = {line.id: line for line in await ReturnLine.filter(return_request_id=ret.id)}
        checked = _checked(decisions, lines)
        # The version first: of two inspections at once, the second moves no stock.
        ret = await status.touch(ret)
        variants = dict(
            await OrderLine.filter(id__in=[line.order_line_id for line, *_ in checked]).values_list(
                "id", "variant_id"
            )
        )
        now = timezone.now()
        summary = []
        for index, (line, kind, units, note) in enumerate(checked):
            restock = units if kind is Inspection.RESTOCK else 0
            await _move_stock(ret, line, restock, variants.get(line.order_line_id), actor, index)
            won = await ReturnLine.filter(
                id=line.id, restocked_quantity=line.restocked_quantity
            ).update(
                inspection=kind,
                inspected_quantity=units,
                restocked_quantity=restock,
                inspection_note=note,
                inspected_by_id=actor.user_id,
                inspected_at=now,
            )
            if not won:  # only another inspection's write could get here first
                raise fail(
                    ReturnErrorCode.STALE,
                    "The return changed since it was read: read it again.",
                    "version",
                )
            summary.append(
                {"line": line.id, "inspection": kind.value, "quantity": units, "restocked": restock}
            )
        words = ", ".join(
            f"{s['quantity']} {str(s['inspection']).replace('_', ' ')}"
            if s["inspection"] != Inspection.MISSING.value
            else "missing"
            for s in summary
        )
        await status.record(
            ret, actor, message=f"Inspected: {words}.", internal=True, data={"lines": summary}
        )
        return ret


async def _move_stock(
    ret: ReturnRequest,
    line: ReturnLine,
    restock: int,
    variant_id: int | None,
    actor: Actor,
    index: int,
) -> None:
    """Bring the shelf to `restock` units of the line from what it restocked before."""
    delta = restock - line.restocked_quantity
    if delta == 0:
        return
    if variant_id is None:
        raise fail(
            ReturnErrorCode.INVALID,
            "The product variant no longer exists: it cannot go back to stock.",
            "lines",
            str(index),
            "inspection",
        )
    try:
        if delta > 0:
            await stock.return_goods(
                [(variant_id, delta)], reference=ret.number, actor_id=actor.user_id
            )
        else:
            await stock.record(
                MovementKind.ADJUSTMENT,
                [stock.Change(variant_id, on_hand=delta)],
                reference=ret.number,
                note=f"Inspection of return {ret.number} corrected: fewer units restocked.",
                actor_id=actor.user_id,
            )
    except InventoryError as exc:
        detail = " ".join(p.message for p in exc.problems)
        raise fail(
            ReturnErrorCode.INVALID,
            f"The stock cannot be corrected: {detail}",
            "lines",
            str(index),
            "inspection",
        ) from None


async def finish(return_id: int, *, actor: Actor, version: int | None) -> ReturnRequest:
    """Close the inspection of a RECEIVED return whose every line is decided: it becomes
    INSPECTED, and its decisions final. REQUIRED at `lines` while one is still pending."""
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        if ReturnStatus(ret.status) is S.RECEIVED and await ReturnLine.exists(
            return_request_id=ret.id, inspection=Inspection.PENDING
        ):
            raise fail(
                ReturnErrorCode.REQUIRED,
                "Decide every line before finishing the inspection.",
                "lines",
            )
        totals = await ReturnLine.filter(return_request_id=ret.id).values_list(
            "quantity", "inspected_quantity", "restocked_quantity"
        )
        asked = sum(q for q, _, _ in totals)
        back = sum(i for _, i, _ in totals)
        restocked = sum(r for _, _, r in totals)
        return await status.move(
            ret,
            S.INSPECTED,
            actor=actor,
            message=f"Inspection finished: {back} of {asked} units came back, "
            f"{restocked} back in stock.",
            data={"asked": asked, "cameBack": back, "restocked": restocked},
        )
