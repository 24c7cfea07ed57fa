"""Stocktaking: open a count, record counted units, review the differences, apply them.

Applying writes one STOCKTAKE movement per line whose count differs from on hand at that
moment, and closes the stocktake: applying it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise import timezone
from tortoise.queryset import QuerySet

from models.catalog import ProductVariant
from models.inventory import MovementKind, Stocktake, StocktakeLine, StocktakeStatus
from services.errors import Problem
from services.inventory import stock
from services.inventory.errors import InventoryError, InventoryErrorCode, fail, not_found
from services.inventory.levels import StockLevel
from services.pagination import Page, PageRequest, paginate
from services.transactions import atomic

#: Most counts one request may record; a bigger count is entered in several requests.
MAX_COUNTS_PER_REQUEST = 500


#: Longest scope search kept with a stocktake.
MAX_SCOPE_SEARCH = 200


async def open_stocktake(
    *,
    note: str = "",
    search: str = "",
    level: StockLevel | None = None,
    actor_id: int | None = None,
) -> Stocktake:
    """A new, empty stocktake to record counts in, for every variant or those in a scope
    (a search and a stock level, as `levels.levels_queryset` reads them)."""
    note, search = note.strip(), search.strip()
    if len(note) > 300:
        raise fail(InventoryErrorCode.INVALID, "At most 300 characters are allowed.", "note")
    if len(search) > MAX_SCOPE_SEARCH:
        raise fail(
            InventoryErrorCode.INVALID,
            f"At most {MAX_SCOPE_SEARCH} characters are allowed.",
            "search",
        )
    return await Stocktake.create(
        note=note,
        scope_search=search,
        scope_level=level.value if level else None,
        created_by_id=actor_id,
    )


def scope_of(stocktake: Stocktake) -> tuple[str, StockLevel | None]:
    """The search and stock level a stocktake counts."""
    level = StockLevel(stocktake.scope_level) if stocktake.scope_level else None
    return stocktake.scope_search, level


async def get_stocktake(stocktake_id: int) -> Stocktake:
    stocktake = await Stocktake.get_or_none(id=stocktake_id)
    if stocktake is None:
        raise not_found("The stocktake", "id")
    return stocktake


async def _locked(stocktake_id: int, field: str) -> Stocktake:
    """The stocktake, its row locked until the transaction ends (PostgreSQL)."""
    stocktake = await Stocktake.filter(id=stocktake_id).select_for_update().first()
    if stocktake is None:
        raise not_found("The stocktake", field)
    return stocktake


def _not_open(stocktake: Stocktake, field: str) -> InventoryError:
    return fail(
        InventoryErrorCode.STOCKTAKE_NOT_OPEN,
        f"The stocktake is {stocktake.status.value}; it can no longer change.",
        field,
    )


def _checked_counts(counts: Sequence[tuple[int, int]]) -> None:
    if not counts:
        raise fail(InventoryErrorCode.REQUIRED, "Give at least one count.", "counts")
    if len(counts) > MAX_COUNTS_PER_REQUEST:
        raise fail(
            InventoryErrorCode.INVALID,
            f"At most {MAX_COUNTS_PER_REQUEST} counts per request.",
            "counts",
        )
    problems = []
    seen: set[int] = set()
    for index, (variant_id, counted) in enumerate(counts):
        if not 0 <= counted <= stock.MAX_QUANTITY:
            problems.append(
                Problem(
                    InventoryErrorCode.INVALID_QUANTITY,
                    f"A count is a whole number from 0 to {stock.MAX_QUANTITY}.",
                    ("counts", str(index), "counted"),
                )
            )
        if variant_id in seen:
            problems.append(
                Problem(
                    InventoryErrorCode.DUPLICATE_VARIANT,
                    "The variant is counted twice in this request.",
                    ("counts", str(index), "variant_id"),
                )
            )
        seen.add(variant_id)
    if problems:
        raise InventoryError(problems)


async def record_counts(stocktake_id: int, counts: Sequence[tuple[int, int]]) -> Stocktake:
    """Record counted units per variant; a variant counted before gets the new count.

    On hand at the moment of the count is kept with it (`expected`): what the count
    corrects is the difference then, so goods shipped or received between counting and
    applying are neither undone nor erased.
    """
    _checked_counts(counts)
    async with atomic():
        stocktake = await _locked(stocktake_id, "stocktake_id")
        if stocktake.status is not StocktakeStatus.OPEN:
            raise _not_open(stocktake, "stocktake_id")
        ids = [variant_id for variant_id, _ in counts]
        on_hand = dict(await ProductVariant.filter(id__in=ids).values_list("id", "stock_on_hand"))
        known = set(on_hand)
        missing = [
            Problem(
                InventoryErrorCode.NOT_FOUND,
                "The variant does not exist.",
                ("counts", str(index), "variant_id"),
            )
            for index, (variant_id, _) in enumerate(counts)
            if variant_id not in known
        ]
        if missing:
            raise InventoryError(missing)
        existing = {
            line.variant_id: line
            for line in await StocktakeLine.filter(stocktake_id=stocktake_id, variant_id__in=ids)
        }
        changed = []
        now = timezone.now()
        for variant_id, counted in counts:
            line = existing.get(variant_id)
            if line is not None:
                line.counted, line.expected, line.updated_at = counted, on_hand[variant_id], now
                changed.append(line)
        if changed:
            await StocktakeLine.bulk_update(changed, fields=["counted", "expected", "updated_at"])
        new = [
            StocktakeLine(
                stocktake_id=stocktake_id,
                variant_id=variant_id,
                counted=counted,
                expected=on_hand[variant_id],
            )
            for variant_id, counted in counts
            if variant_id not in existing
        ]
        if new:
            await StocktakeLine.bulk_create(new)
    return stocktake


async def apply_stocktake(stocktake_id: int, *, actor_id: int | None = None) -> Stocktake:
    """Correct on hand by each count, as STOCKTAKE movements; the stocktake is then APPLIED.

    Each line's difference is its count less on hand when it was counted, and that
    difference is applied to on hand now, so movements since the count stand. Refused,
    with nothing changed, when the result would fall below the units reserved for orders.
    Applying an applied stocktake returns it unchanged.
    """
    async with atomic():
        stocktake = await _locked(stocktake_id, "id")
        if stocktake.status is StocktakeStatus.APPLIED:
            return stocktake
        if stocktake.status is not StocktakeStatus.OPEN:
            raise _not_open(stocktake, "id")
        lines = await StocktakeLine.filter(stocktake_id=stocktake_id).order_by("variant_id")
        if not lines:
            raise fail(InventoryErrorCode.REQUIRED, "Record some counts first.", "id")
        # Locked in id order, as the ledger does, so the differences hold until commit.
        variants = {
            v.id: v
            for v in await ProductVariant.filter(id__in=[line.variant_id for line in lines])
            .order_by("id")
            .select_for_update()
        }
        problems = [
            Problem(
                InventoryErrorCode.BELOW_RESERVED,
                f"{variants[line.variant_id].sku} was counted at {line.counted} but "
                f"{variants[line.variant_id].stock_reserved} units are reserved for orders; "
                "ship or release them, or count again.",
            )
            for line in lines
            if _after(line, variants[line.variant_id]) < variants[line.variant_id].stock_reserved
        ]
        if problems:
            raise InventoryError(problems)
        for line in lines:
            line.difference = _after(line, variants[line.variant_id]) - (
                variants[line.variant_id].stock_on_hand
            )
        changes = [
            stock.Change(line.variant_id, on_hand=line.difference)
            for line in lines
            if line.difference
        ]
        if changes:
            await stock.record(
                MovementKind.STOCKTAKE,
                changes,
                reference=f"stocktake:{stocktake_id}",
                note=stocktake.note,
                actor_id=actor_id,
            )
        await StocktakeLine.bulk_update(lines, fields=["difference"])
        stocktake.status = StocktakeStatus.APPLIED
        stocktake.applied_at = timezone.now()
        await stocktake.save(update_fields=["status", "applied_at"])
    return stocktake


def _after(line: StocktakeLine, variant: ProductVariant) -> int:
    """On hand once the count is applied: now, corrected by the difference at counting."""
    counted_against = line.expected if line.expected is not None else variant.stock_on_hand
    return variant.stock_on_hand + line.counted - counted_against


async def cancel_stocktake(stocktake_id: int) -> Stocktake:
    """Abandon an open stocktake; nothing is applied. Cancelling twice is harmless."""
    async with atomic():
        stocktake = await _locked(stocktake_id, "id")
        if stocktake.status is StocktakeStatus.CANCELLED:
            return stocktake
        if stocktake.status is not StocktakeStatus.OPEN:
            raise _not_open(stocktake, "id")
        stocktake.status = StocktakeStatus.CANCELLED
        await stocktake.save(update_fields=["status"])
    return stocktake


def stocktakes_queryset(status: StocktakeStatus | None = None) -> QuerySet[Stocktake]:
    qs = Stocktake.all()
    return qs.filter(status=status) if status is not None else qs


async def list_stocktakes(
    request: PageRequest, *, status: StocktakeStatus | None = None, max_size: int = 100
) -> Page[Stocktake]:
    """Stocktakes, newest first."""
    return await paginate(
        stocktakes_queryset(status),
        request,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )
