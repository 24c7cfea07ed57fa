"""Listing: whether shoppers see a product, and the record of every change to that.

A product is visible while it is active and inside its optional sale window. Queries test
that against the clock, so no job has to run for a window to open or close; the sweeper
only notices changes after the fact, records them and tells subscribers.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import ListingCause, ListingStatus, Product, ProductListingEvent, ProductVariant
from services.catalog.errors import CatalogErrorCode, fail, not_found
from services.catalog.rules import Checks
from subscriptions import events

log = logging.getLogger("tradewind.catalog")


def visible_q(now: datetime, prefix: str = "", *, early_access: bool = False) -> Q:
    """Products that shoppers see at `now`.

    Members-first products (`early_access_until` still ahead) are left out unless the
    shopper's tier has `early_access`: the end of early access is a window like
    `publish_at`, opened by the clock in this condition rather than by any job.
    """

    def q(**lookup: Any) -> Q:
        return Q(**{prefix + key: value for key, value in lookup.items()})

    shown = (
        q(status=ListingStatus.ACTIVE)
        & (q(publish_at__isnull=True) | q(publish_at__lte=now))
        & (q(unpublish_at__isnull=True) | q(unpublish_at__gt=now))
    )
    if early_access:
        return shown
    return shown & (q(early_access_until__isnull=True) | q(early_access_until__lte=now))


def shown_to(product: Product, now: datetime, *, early_access: bool) -> bool:
    """`visible_q` for one product in memory: whether a shopper sees (and may buy) it.

    `early_access` is whether the shopper's tier has it (`members.tiers.has_early_access`).
    """
    if not product.is_visible_at(now):
        return False
    ends = product.early_access_until
    return early_access or ends is None or ends <= now


async def _record(
    product: Product, *, cause: ListingCause, actor: str, now: datetime
) -> ProductListingEvent | None:
    """Record the product's visibility at `now` if it differs from the last record.

    The conditional update makes the record exactly once even when several processes
    notice the same change.
    """
    # What everyone sees: a members-first product becomes visible when early access ends.
    visible = shown_to(product, now, early_access=False)
    changed = await Product.filter(id=product.id, listing_visible=not visible).update(
        listing_visible=visible
    )
    if not changed:
        return None
    product.listing_visible = visible
    return await ProductListingEvent.create(
        product_id=product.id, visible=visible, cause=cause, status=product.status, actor=actor
    )


async def announce(product: Product, *, visible: bool, cause: ListingCause, actor: str) -> None:
    """Tell subscribers a product's visibility changed (once the transaction commits)."""
    await events.publish(
        events.ProductListingChanged(
            product_id=product.id,
            visible=visible,
            cause=cause,
            status=product.status,
            actor=actor,
            occurred_at=timezone.now(),
        )
    )


async def record_edit(product: Product, *, actor: str) -> None:
    """Record and announce a visibility change an edit made (a new early-access end)."""
    async with in_transaction("default"):
        event = await _record(product, cause=ListingCause.STATUS, actor=actor, now=timezone.now())
    if event is not None:
        await announce(product, visible=event.visible, cause=ListingCause.STATUS, actor=actor)


async def _change_status(
    product_id: int,
    status: ListingStatus,
    *,
    actor: str,
    window: tuple[datetime | None, datetime | None] | None = None,
) -> Product:
    async with in_transaction("default"):
        product = await Product.get_or_none(id=product_id)
        if product is None:
            raise not_found("The product", "id")
        if status == ListingStatus.ACTIVE and not await ProductVariant.exists(
            product_id=product_id
        ):
            raise fail(
                CatalogErrorCode.PRODUCT_HAS_NO_VARIANTS,
                "A product needs at least one variant before it can be published.",
                "id",
            )
        now = timezone.now()
        if window is not None:
            product.publish_at, product.unpublish_at = window
        first_listing = status == ListingStatus.ACTIVE and not await ProductListingEvent.exists(
            product_id=product_id, visible=True
        )
        if first_listing:
            # Listing time is when shoppers can first see it, which a schedule may defer.
            product.listed_at = max(now, product.publish_at or now)
        product.status = status
        await product.save()
        changed = await _record(product, cause=ListingCause.STATUS, actor=actor, now=now)
    if changed:
        await announce(
            product, visible=product.listing_visible, cause=ListingCause.STATUS, actor=actor
        )
    return product


async def publish_product(
    product_id: int,
    *,
    actor: str,
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
) -> Product:
    """Put the product on the shelf, now or inside a sale window (a schedule)."""
    checks = Checks()
    checks.sale_window(publish_at, unpublish_at, timezone.now())
    checks.raise_if_any()
    return await _change_status(
        product_id, ListingStatus.ACTIVE, actor=actor, window=(publish_at, unpublish_at)
    )


async def unpublish_product(product_id: int, *, actor: str) -> Product:
    """Take the product off the shelf, back to draft."""
    return await _change_status(product_id, ListingStatus.DRAFT, actor=actor)


async def archive_product(product_id: int, *, actor: str) -> Product:
    """Retire the product: off the shelf, kept for history."""
    return await _change_status(product_id, ListingStatus.ARCHIVED, actor=actor)


async def sweep(now: datetime | None = None) -> list[ProductListingEvent]:
    """Record every product whose sale window opened or closed since the last sweep.

    Safe to run from several processes at once: each change is recorded by one of them.
    """
    now = now or timezone.now()
    shown = visible_q(now)
    stale = await Product.filter(
        (Q(listing_visible=False) & shown) | (Q(listing_visible=True) & ~shown)
    ).limit(1000)
    events: list[ProductListingEvent] = []
    for product in stale:
        async with in_transaction("default"):
            event = await _record(product, cause=ListingCause.WINDOW, actor="system", now=now)
        if event is None:
            continue
        events.append(event)
        await announce(
            product, visible=product.listing_visible, cause=ListingCause.WINDOW, actor="system"
        )
        log.info(
            "catalog.listing_changed",
            extra={"product_id": product.id, "visible": product.listing_visible},
        )
    return events
