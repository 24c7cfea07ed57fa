"""Low-stock alerts: raised when a variant's available units fall to its threshold.

Available units are on hand less reserved. An alert is raised when they cross from above
the threshold to at or below it, and resolved when they rise above it again (or staff
dismiss it). Each new alert, and each one resolved, is announced on `merchant:low-stock`
once its transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise import timezone
from tortoise.queryset import QuerySet

from models.catalog import ProductVariant
from models.inventory import LowStockAlert
from services.inventory.errors import InventoryErrorCode, fail, not_found
from services.pagination import Page, PageRequest, paginate
from services.transactions import atomic
from settings import get_settings
from subscriptions import events

#: Largest threshold accepted: far above any shelf, far below an integer column's limit.
MAX_THRESHOLD = 10**9


@dataclass(frozen=True, slots=True)
class LevelChange:
    """A variant's available units before and after one ledger operation."""

    variant_id: int
    product_id: int
    sku: str
    before: int
    after: int
    #: The variant's own threshold; None means the shop default.
    threshold: int | None


def threshold_of(own: int | None) -> int:
    """The threshold that applies: the variant's own, else the shop default."""
    return own if own is not None else get_settings().low_stock_threshold


async def note_changes(changes: Sequence[LevelChange]) -> list[LowStockAlert]:
    """Raise alerts for variants that fell to their threshold, resolve those that rose above.

    Call inside the transaction that changed the stock; the new alerts are announced after
    it commits. Returns the alerts raised.
    """
    risen = [
        c.variant_id for c in changes if c.after > c.before and c.after > threshold_of(c.threshold)
    ]
    if risen:
        await _resolve(risen)
    raised = []
    for change in changes:
        limit = threshold_of(change.threshold)
        if change.before > limit >= change.after:
            alert = await _raise(
                change.variant_id, change.product_id, change.sku, limit, change.after
            )
            if alert is not None:
                raised.append(alert)
    return raised


async def _resolve(variant_ids: Sequence[int]) -> None:
    """Close the open alerts of these variants, announcing each one closed."""
    open_ids = await LowStockAlert.filter(variant_id__in=variant_ids, resolved_at=None).values_list(
        "id", "variant_id"
    )
    if not open_ids:
        return
    now = timezone.now()
    await LowStockAlert.filter(id__in=[pk for pk, _ in open_ids], resolved_at=None).update(
        resolved_at=now
    )
    for alert_id, variant_id in open_ids:
        await events.publish(
            events.LowStockAlertResolved(alert_id=alert_id, variant_id=variant_id, resolved_at=now)
        )


async def _raise(
    variant_id: int, product_id: int, sku: str, threshold: int, available: int
) -> LowStockAlert | None:
    """A new open alert for the variant, unless one is open already."""
    if await LowStockAlert.exists(variant_id=variant_id, resolved_at=None):
        return None
    alert = await LowStockAlert.create(
        variant_id=variant_id, threshold=threshold, available=available
    )

    await events.publish(
        events.LowStockAlertRaised(
            alert_id=alert.id,
            variant_id=variant_id,
            product_id=product_id,
            sku=sku,
            threshold=threshold,
            available=available,
            created_at=alert.created_at,
        )
    )
    return alert


async def set_low_stock_threshold(variant_id: int, threshold: int | None) -> ProductVariant:
    """Give the variant its own threshold (None: the shop default), and re-check its level.

    A threshold now at or above the available units raises an alert at once; one below
    them resolves the open alert, so the list of open alerts always matches the thresholds.
    """
    if threshold is not None and not 0 <= threshold <= MAX_THRESHOLD:
        raise fail(
            InventoryErrorCode.INVALID_THRESHOLD,
            f"A threshold is a whole number from 0 to {MAX_THRESHOLD}.",
            "threshold",
        )
    async with atomic():
        variant = await ProductVariant.filter(id=variant_id).select_for_update().first()
        if variant is None:
            raise not_found("The variant", "variant_id")
        variant.low_stock_threshold = threshold
        await variant.save(update_fields=["low_stock_threshold"])
        available = variant.stock_on_hand - variant.stock_reserved
        limit = threshold_of(threshold)
        if available > limit:
            await _resolve([variant_id])
        else:
            await _raise(variant.id, variant.product_id, variant.sku, limit, available)
    return variant


async def dismiss_alert(alert_id: int) -> LowStockAlert:
    """Close an open alert by hand; a closed one is returned as it is."""
    alert = await LowStockAlert.get_or_none(id=alert_id)
    if alert is None:
        raise not_found("The alert", "id")
    if alert.resolved_at is None:
        now = timezone.now()
        # Conditional, so a dismissal racing a restock keeps whichever came first.
        closed = await LowStockAlert.filter(id=alert_id, resolved_at=None).update(resolved_at=now)
        await alert.refresh_from_db()
        if closed:
            await events.publish(
                events.LowStockAlertResolved(
                    alert_id=alert.id, variant_id=alert.variant_id, resolved_at=now
                )
            )
    return alert


async def find_alert(alert_id: int) -> LowStockAlert | None:
    return await LowStockAlert.get_or_none(id=alert_id)


def alerts_queryset(*, open: bool | None = None) -> QuerySet[LowStockAlert]:
    qs = LowStockAlert.all()
    if open is not None:
        qs = qs.filter(resolved_at__isnull=open)
    return qs


async def list_alerts(
    request: PageRequest, *, open: bool | None = None, max_size: int = 100
) -> Page[LowStockAlert]:
    """Alerts, newest first; only open (or only resolved) ones when `open` is given."""
    return await paginate(
        alerts_queryset(open=open),
        request,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )
