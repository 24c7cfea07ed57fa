"""The stock movement ledger: the only way a variant's on-hand and reserved figures change.

Every operation changes the figures with conditional UPDATEs (`... SET stock_reserved =
stock_reserved + q WHERE id = v AND stock_on_hand >= stock_reserved + q`), never by reading
and writing back, so concurrent buyers can never oversell; and it writes one movement per
variant, with the figures after, in the same transaction. An operation on several lines
changes all of them or none: it runs in a savepoint, so a refusal leaves the caller's
transaction usable.

Lines are `(variant_id, quantity)` pairs; a variant given twice counts once with the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import F, Q
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from models.catalog import ProductVariant
from models.inventory import MovementKind, StockMovement
from services.errors import Problem
from services.inventory import alerts, sold_out
from services.inventory.errors import InventoryError, InventoryErrorCode, fail
from services.pagination import Page, PageRequest, paginate
from services.transactions import after_commit, atomic

Lines = Sequence[tuple[int, int]]

#: Most units one movement may carry: far above any shelf, far below an integer column's limit.
MAX_QUANTITY = 10**9
#: Operations after which a product that delists when sold out is checked.
_SELLING = (MovementKind.SALE, MovementKind.RESERVATION, MovementKind.RESHIPMENT)
#: Operations that take units from the available pool: refused as OUT_OF_STOCK.
_TAKING = (MovementKind.RESERVATION, MovementKind.RESHIPMENT)


@dataclass(frozen=True, slots=True)
class Change:
    """What one operation does to one variant: signed changes to on hand and reserved."""

    variant_id: int
    on_hand: int = 0
    reserved: int = 0
    #: The input path of the line, for errors.
    field: tuple[str, ...] = ()

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class LedgerMismatch:
    """A variant whose figures differ from the sum of its movements."""

    variant_id: int
    on_hand: int
    reserved: int
    ledger_on_hand: int
    ledger_reserved: int


def _merged(lines: Lines, *, field: str = "lines") -> list[tuple[int, int, tuple[str, ...]]]:
    """(variant_id, total quantity, input path of its first line), checked, by variant id.

    Sorting by id makes concurrent operations lock rows in one order, so that two orders
    for the same pair of variants cannot deadlock on PostgreSQL.
    """
    problems = []
    totals: dict[int, int] = {}
    paths: dict[int, tuple[str, ...]] = {}
    for index, (variant_id, quantity) in enumerate(lines):
        if not 0 < quantity <= MAX_QUANTITY:
            problems.append(
                Problem(
                    InventoryErrorCode.INVALID_QUANTITY,
                    f"A quantity is a whole number from 1 to {MAX_QUANTITY}.",
                    (field, str(index), "quantity"),
                )
            )
            continue
        totals[variant_id] = totals.get(variant_id, 0) + quantity
        paths.setdefault(variant_id, (field, str(index)))
    if problems:
        raise InventoryError(problems)
    if not totals:
        raise fail(InventoryErrorCode.REQUIRED, "Give at least one line.", field)
    return [(variant_id, totals[variant_id], paths[variant_id]) for variant_id in sorted(totals)]


async def _apply(change: Change) -> bool:
    """Change one variant's figures if the result is allowed; whether it was."""
    guard = Q(id=change.variant_id)
    if change.on_hand < 0:
        guard &= Q(stock_on_hand__gte=-change.on_hand)
    if change.reserved < 0:
        guard &= Q(stock_reserved__gte=-change.reserved)
    if change.available < 0:
        # Units leave the available pool: only as many as it holds.
        guard &= Q(stock_on_hand__gte=F("stock_reserved") - change.available)
    updates = {}
    if change.on_hand:
        updates["stock_on_hand"] = F("stock_on_hand") + change.on_hand
    if change.reserved:
        updates["stock_reserved"] = F("stock_reserved") + change.reserved
    return bool(await ProductVariant.filter(guard).update(**updates))


async def _refusal(kind: MovementKind, refused: list[Change]) -> InventoryError:
    """The error explaining why each refused change could not be made."""
    rows = {
        row.id: row
        for row in await ProductVariant.filter(id__in=[c.variant_id for c in refused]).only(
            "id", "sku", "stock_on_hand", "stock_reserved"
        )
    }
    problems = []
    available: dict[int, int] = {}
    for change in refused:
        row = rows.get(change.variant_id)
        if row is None:
            problems.append(
                Problem(InventoryErrorCode.NOT_FOUND, "The variant does not exist.", change.field)
            )
        elif kind in _TAKING:
            left = row.stock_available
            available[row.id] = left
            problems.append(
                Problem(
                    InventoryErrorCode.OUT_OF_STOCK,
                    f"Only {left} of {row.sku} left." if left else f"{row.sku} is sold out.",
                    change.field,
                )
            )
        elif kind in (MovementKind.RELEASE, MovementKind.SALE):
            problems.append(
                Problem(
                    InventoryErrorCode.NOT_RESERVED,
                    f"Only {row.stock_reserved} units of {row.sku} are reserved.",
                    change.field,
                )
            )
        else:
            problems.append(
                Problem(
                    InventoryErrorCode.BELOW_RESERVED,
                    f"{row.sku} has {row.stock_reserved} units reserved for orders; "
                    "on hand cannot fall below that.",
                    change.field,
                )
            )
    return InventoryError(problems, available=available)


async def record(
    kind: MovementKind,
    changes: Sequence[Change],
    *,
    reference: str = "",
    note: str = "",
    actor_id: int | None = None,
) -> list[StockMovement]:
    """Make the changes and write their movements, all or none; the movements written.

    The building block of every operation below. Raises `InventoryError` (nothing changed)
    when a change would oversell, release or ship more than is reserved, or take on hand
    below reserved; also checks low-stock thresholds and queues sold-out delisting.
    """
    ordered = sorted(changes, key=lambda c: c.variant_id)
    async with atomic():
        refused = [change for change in ordered if not await _apply(change)]
        if refused:
            raise await _refusal(kind, refused)
        figures = {
            row["id"]: row
            for row in await ProductVariant.filter(id__in=[c.variant_id for c in ordered]).values(
                "id",
                "product_id",
                "sku",
                "stock_on_hand",
                "stock_reserved",
                "low_stock_threshold",
                "product__delist_when_sold_out",
            )
        }
        movements = [
            StockMovement(
                variant_id=change.variant_id,
                kind=kind,
                on_hand_change=change.on_hand,
                reserved_change=change.reserved,
                on_hand_after=figures[change.variant_id]["stock_on_hand"],
                reserved_after=figures[change.variant_id]["stock_reserved"],
                reference=reference[:80],
                note=note[:300],
                actor_id=actor_id,
            )
            for change in ordered
        ]
        if len(movements) == 1:
            await movements[0].save()
        else:
            await StockMovement.bulk_create(movements)
        levels = []
        for change in ordered:
            row = figures[change.variant_id]
            after = row["stock_on_hand"] - row["stock_reserved"]
            levels.append(
                alerts.LevelChange(
                    variant_id=change.variant_id,
                    product_id=row["product_id"],
                    sku=row["sku"],
                    before=after - change.available,
                    after=after,
                    threshold=row["low_stock_threshold"],
                )
            )
        await alerts.note_changes(levels)
        if kind in _SELLING:
            emptied = {
                row["product_id"]
                for row in figures.values()
                if row["product__delist_when_sold_out"]
                and row["stock_on_hand"] <= row["stock_reserved"]
            }
            if emptied:
                await after_commit(lambda: sold_out.delist_sold_out(emptied))
    return movements


async def reserve(lines: Lines, *, reference: str) -> None:
    """Hold units for an order: reserved += q where that many are available, for every line.

    Raises `InventoryError` with an OUT_OF_STOCK problem per short line (its path
    `lines.<index>` and, in `available`, the units left) and changes nothing otherwise.
    """
    await record(
        MovementKind.RESERVATION,
        [Change(v, reserved=q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
    )


async def release(lines: Lines, *, reference: str, actor_id: int | None = None) -> None:
    """Give back the units held for an order that will not ship: reserved -= q."""
    await record(
        MovementKind.RELEASE,
        [Change(v, reserved=-q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
        actor_id=actor_id,
    )


async def ship(lines: Lines, *, reference: str, actor_id: int | None = None) -> None:
    """Send reserved units out (a SALE): on hand -= q and reserved -= q."""
    await record(
        MovementKind.SALE,
        [Change(v, on_hand=-q, reserved=-q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
        actor_id=actor_id,
    )


async def reship(
    lines: Lines, *, reference: str, note: str = "", actor_id: int | None = None
) -> list[StockMovement]:
    """Send units again for a parcel lost or damaged on its way (RESHIPMENT): on hand -= q,
    from the available units only, since the order's own reservation left with the first
    parcel. Raises `InventoryError` with OUT_OF_STOCK (and `available`) for a short line."""
    return await record(
        MovementKind.RESHIPMENT,
        [Change(v, on_hand=-q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
        note=note,
        actor_id=actor_id,
    )


async def return_goods(lines: Lines, *, reference: str, actor_id: int | None = None) -> None:
    """Take returned goods back on the shelf: on hand += q."""
    await record(
        MovementKind.RETURN,
        [Change(v, on_hand=q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
        actor_id=actor_id,
    )


async def receive_many(
    lines: Lines, *, reference: str = "", note: str = "", actor_id: int | None = None
) -> list[StockMovement]:
    """Goods arrived for several variants (RECEIPT): on hand += q each."""
    return await record(
        MovementKind.RECEIPT,
        [Change(v, on_hand=q, field=path) for v, q, path in _merged(lines)],
        reference=reference,
        note=note,
        actor_id=actor_id,
    )


async def receive(
    variant_id: int,
    quantity: int,
    *,
    reference: str = "",
    note: str = "",
    actor_id: int | None = None,
) -> StockMovement:
    """Goods arrived (RECEIPT): on hand += quantity. Returns the movement."""
    _check_text(reference=reference, note=note)
    try:
        (movement,) = await receive_many(
            [(variant_id, quantity)], reference=reference, note=note, actor_id=actor_id
        )
    except InventoryError as exc:
        raise _single(exc, "quantity") from None
    return movement


async def adjust(
    variant_id: int, delta: int, *, reason: str, actor_id: int | None = None
) -> StockMovement:
    """Correct on hand by `delta` (ADJUSTMENT), with the reason; never below reserved or 0."""
    reason = reason.strip()
    if not reason:
        raise fail(InventoryErrorCode.REQUIRED, "Say why the stock is adjusted.", "reason")
    _check_text(note=reason)
    if delta == 0 or abs(delta) > MAX_QUANTITY:
        raise fail(
            InventoryErrorCode.INVALID_QUANTITY,
            f"A correction is a whole number from -{MAX_QUANTITY} to {MAX_QUANTITY}, not 0.",
            "delta",
        )
    try:
        (movement,) = await record(
            MovementKind.ADJUSTMENT,
            [Change(variant_id, on_hand=delta)],
            note=reason,
            actor_id=actor_id,
        )
    except InventoryError as exc:
        raise _single(exc, "delta") from None
    return movement


def _check_text(**values: str) -> None:
    limits = {"reference": 80, "note": 300}
    for name, value in values.items():
        if len(value) > limits[name]:
            raise fail(
                InventoryErrorCode.INVALID, f"At most {limits[name]} characters are allowed.", name
            )


def _single(exc: InventoryError, field: str) -> InventoryError:
    """A one-variant operation's error with paths of its own input (`variant_id`, `delta`)."""
    return InventoryError(
        [
            Problem(
                p.code,
                p.message,
                ("variant_id",) if p.code is InventoryErrorCode.NOT_FOUND else (field,),
            )
            for p in exc.problems
        ],
        available=exc.available,
    )


def movements_queryset(variant_id: int) -> QuerySet[StockMovement]:
    return StockMovement.filter(variant_id=variant_id)


async def list_movements(
    variant_id: int, request: PageRequest, *, max_size: int = 100
) -> Page[StockMovement]:
    """A variant's movements, newest first: the history that explains its figures."""
    return await paginate(
        movements_queryset(variant_id),
        request,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )


async def verify_ledger() -> list[LedgerMismatch]:
    """Variants whose figures differ from the sums of their movements (none, normally).

    Two aggregate queries, whatever the number of variants.
    """
    sums = {
        row["variant_id"]: row
        for row in await StockMovement.all()
        .annotate(on_hand=Sum("on_hand_change"), reserved=Sum("reserved_change"))
        .group_by("variant_id")
        .values("variant_id", "on_hand", "reserved")
    }
    mismatches = []
    for variant in await ProductVariant.all().values("id", "stock_on_hand", "stock_reserved"):
        ledger = sums.get(variant["id"], {})
        on_hand, reserved = int(ledger.get("on_hand") or 0), int(ledger.get("reserved") or 0)
        if (on_hand, reserved) != (variant["stock_on_hand"], variant["stock_reserved"]):
            mismatches.append(
                LedgerMismatch(
                    variant_id=variant["id"],
                    on_hand=variant["stock_on_hand"],
                    reserved=variant["stock_reserved"],
                    ledger_on_hand=on_hand,
                    ledger_reserved=reserved,
                )
            )
    return mismatches
