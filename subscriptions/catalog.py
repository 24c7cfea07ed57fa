"""Catalog subscriptions: live listing changes for the merchant console."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from loaders import Loaders
from schema.catalog.types import (
    ListingCauseEnum,
    ListingStatusEnum,
    ProductType,
    build_products,
)
from schema.context import Info
from schema.permissions import CanManageCatalog
from services import missed_events
from subscriptions import bus, events
from subscriptions.lifetime import limited


@strawberry.type(name="ProductListingChange")
class ProductListingChangeType:
    product_id: strawberry.ID
    visible: bool
    cause: ListingCauseEnum  # type: ignore[valid-type]
    status: ListingStatusEnum  # type: ignore[valid-type]
    actor: str
    occurred_at: datetime
    _pk: strawberry.Private[int]

    @strawberry.field(description="The product now; null when it was deleted.")
    async def product(self, info: Info) -> ProductType | None:
        row = await info.context.loaders.product.load(self._pk)
        return (await build_products([row], info, None))[0] if row else None


@strawberry.type
class CatalogSubscription:
    @strawberry.subscription(
        permission_classes=[CanManageCatalog],
        description="Products going on or off the shelf, by a merchant or a sale window.",
    )
    async def product_listing_changed(
        self, info: Info
    ) -> AsyncGenerator[ProductListingChangeType, None]:
        async with bus.current().subscribe(events.LISTING_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                caught_up = await events.caught_up(
                    item, events.ProductListingChanged.parse, missed_events.listing_changes_since
                )
                for event in caught_up:
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield ProductListingChangeType(
                        product_id=strawberry.ID(
                            strawberry.relay.to_base64("Product", event.product_id)
                        ),
                        visible=event.visible,
                        cause=event.cause,
                        status=event.status,
                        actor=event.actor,
                        occurred_at=event.occurred_at,
                        _pk=event.product_id,
                    )
