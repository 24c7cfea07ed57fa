"""Catalog object types: Brand, Category, Product, ProductVariant, ProductImage and their parts.

Text fields come in the requested locale, falling back field by field to the default
language. Nested relations load through the request's loaders.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry
from strawberry import relay
from tortoise import timezone

from models.catalog import (
    Brand,
    Category,
    CategoryTranslation,
    ListingCause,
    ListingStatus,
    Product,
    ProductImage,
    ProductListingEvent,
    ProductTranslation,
    ProductVariant,
)
from schema.catalog.customs import CustomsFactsType, VariantCustomsType
from schema.context import Info
from schema.currency import Prices, shown_prices
from schema.geo import CountryCode, country_code
from schema.money import CurrencyCode, MoneyType
from schema.permissions import CanManageCatalog, CanManageInventory, CanSeeStock
from schema.reviews import ReviewConnection, ReviewSortInput, product_reviews_connection
from schema.view_cache import ViewSlot
from services.auth import StaffPermission
from services.catalog import listing
from services.inventory import alerts as inventory_alerts

if TYPE_CHECKING:
    from schema.inventory import StockMovementConnection

Tr = TypeVar("Tr", ProductTranslation, CategoryTranslation)

ListingStatusEnum = strawberry.enum(ListingStatus, name="ListingStatus")
ListingCauseEnum = strawberry.enum(ListingCause, name="ListingCause")


@strawberry.enum
class StockStatus(Enum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"


@strawberry.type(name="NameValue", description="A named value: a product parameter or option.")
class NameValueType:
    name: str
    value: str


def _pairs(items: Iterable[dict[str, str]] | None) -> list[NameValueType]:
    return [NameValueType(name=i["name"], value=i["value"]) for i in items or ()]


@strawberry.type(
    name="CatalogSettings",
    description="What catalog editors write in: the shop's language and the others offered.",
)
class CatalogSettingsType:
    default_locale: str = strawberry.field(
        description="The language product texts are written in first; others fall back to it."
    )
    locales: list[str] = strawberry.field(
        description="Every locale a translation may be written in, the default first."
    )
    shop_currency: CurrencyCode = strawberry.field(
        description="The currency catalog prices are in."
    )


@strawberry.type(name="Brand")
class BrandType(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    description: str

    @classmethod
    def build(cls, brand: Brand) -> BrandType:
        return cls(id=brand.id, name=brand.name, slug=brand.slug, description=brand.description)


@strawberry.type(name="Category")
class CategoryType(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    description: str
    position: int
    depth: int = strawberry.field(description="0 for a top-level category.")
    _parent_id: strawberry.Private[int | None]
    _ancestor_ids: strawberry.Private[list[int]]
    _locale: strawberry.Private[str]

    @classmethod
    def build(
        cls, category: Category, translation: CategoryTranslation | None, locale: str
    ) -> CategoryType:
        return cls(
            id=category.id,
            name=(translation and translation.name) or category.name,
            slug=category.slug,
            description=(translation and translation.description) or category.description,
            position=category.position,
            depth=category.depth,
            _parent_id=category.parent_id,
            _ancestor_ids=category.ancestor_ids,
            _locale=locale,
        )

    @strawberry.field
    async def parent(self, info: Info) -> CategoryType | None:
        if self._parent_id is None:
            return None
        row = await info.context.loaders.category.load(self._parent_id)
        return (await build_categories([row], info, self._locale))[0] if row else None

    @strawberry.field(description="Subcategories, in display order.")
    async def children(self, info: Info) -> list[CategoryType]:
        rows = await info.context.loaders.children_by_category.load(self.id)
        return await build_categories(rows, info, self._locale)

    @strawberry.field(description="The categories above this one, from the top: a breadcrumb.")
    async def ancestors(self, info: Info) -> list[CategoryType]:
        rows = await info.context.loaders.category.load_many(self._ancestor_ids)
        return await build_categories([r for r in rows if r], info, self._locale)


async def build_categories(
    rows: Sequence[Category], info: Info, locale: str | None
) -> list[CategoryType]:
    """Category types in `locale` (the request's by default), translations batched."""
    ctx = info.context
    locale = locale or ctx.locale
    if locale == ctx.settings.default_locale or not rows:
        return [CategoryType.build(row, None, locale) for row in rows]
    # Every locale of each category comes in one batch, shared with other fields.
    translations = await ctx.loaders.translations_by_category.load_many([row.id for row in rows])
    return [
        CategoryType.build(row, _in_locale(trs, locale), locale)
        for row, trs in zip(rows, translations, strict=True)
    ]


def _in_locale(translations: Sequence[Tr], locale: str) -> Tr | None:
    return next((t for t in translations if t.locale == locale), None)


@strawberry.type(name="ProductImage")
class ProductImageType(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Absolute URL of the image file.")
    alt: str
    width: int
    height: int
    position: int
    content_type: str

    @classmethod
    def build(cls, image: ProductImage, media_base: str) -> ProductImageType:
        return cls(
            id=image.id,
            url=media_base + image.path,
            alt=image.alt,
            width=image.width,
            height=image.height,
            position=image.position,
            content_type=image.content_type,
        )


@strawberry.type(name="ProductVariant", description="A stock-keeping unit of a product.")
class ProductVariantType(relay.Node):
    id: relay.NodeID[int]
    sku: str
    name: str
    options: list[NameValueType] = strawberry.field(description="Option values, e.g. size S.")
    price: MoneyType = strawberry.field(
        description="In the viewer's currency, converted and given its price ending."
    )
    compare_at_price: MoneyType | None = strawberry.field(
        description="The price before a reduction, shown struck through."
    )
    position: int
    weight_grams: int | None
    quantity_available: int = strawberry.field(description="Units that can be bought now.")
    stock_status: StockStatus
    _product_id: strawberry.Private[int]
    _on_hand: strawberry.Private[int]
    _reserved: strawberry.Private[int]
    _threshold: strawberry.Private[int | None]
    _shop_price: strawberry.Private[MoneyType]
    _prices: strawberry.Private[Prices | None]

    @classmethod
    def build(
        cls, variant: ProductVariant, currency: str, prices: Prices | None = None
    ) -> ProductVariantType:
        """The variant with prices shown by `prices` (in `currency`, the shop's, by default)."""
        available = variant.stock_available
        shown = prices or Prices.shop()
        return cls(
            id=variant.id,
            sku=variant.sku,
            name=variant.name,
            options=_pairs(variant.options),
            price=shown.money(variant.price),
            compare_at_price=(
                shown.money(variant.compare_at_price)
                if variant.compare_at_price is not None
                else None
            ),
            position=variant.position,
            weight_grams=variant.weight_grams,
            quantity_available=available,
            stock_status=StockStatus.IN_STOCK if available > 0 else StockStatus.OUT_OF_STOCK,
            _product_id=variant.product_id,
            _on_hand=variant.stock_on_hand,
            _reserved=variant.stock_reserved,
            _threshold=variant.low_stock_threshold,
            _shop_price=MoneyType.minor(variant.price, currency),
            _prices=prices,
        )

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="The variant's own customs facts and those that apply to it.",
    )
    async def customs(self, info: Info) -> VariantCustomsType:
        # Lists read variants without their customs columns: the whole rows come in a batch.
        loaders = info.context.loaders
        variant, product = await asyncio.gather(
            loaders.variant.load(self.id), loaders.product.load(self._product_id)
        )
        assert variant is not None and product is not None  # read in this request
        return VariantCustomsType.build(product, variant)

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="The price as the merchant set it, in the shop currency.",
    )
    def shop_price(self) -> MoneyType:
        return self._shop_price

    @strawberry.field(permission_classes=[CanSeeStock], description="Units in the warehouse.")
    def stock_on_hand(self) -> int:
        return self._on_hand

    @strawberry.field(
        permission_classes=[CanSeeStock],
        description="Units held for unpaid or unshipped orders.",
    )
    def stock_reserved(self) -> int:
        return self._reserved

    @strawberry.field(
        permission_classes=[CanSeeStock], description="On hand less reserved: units for sale."
    )
    def stock_available(self) -> int:
        return max(self._on_hand - self._reserved, 0)

    @strawberry.field(
        permission_classes=[CanSeeStock],
        description="The variant's own low-stock threshold; null: the shop default applies.",
    )
    def low_stock_threshold(self) -> int | None:
        return self._threshold

    @strawberry.field(
        permission_classes=[CanSeeStock],
        description="The low-stock threshold that applies: the variant's own or the default.",
    )
    def effective_low_stock_threshold(self) -> int:
        return inventory_alerts.threshold_of(self._threshold)

    @strawberry.field(
        permission_classes=[CanManageInventory],
        description="The stock ledger of the variant, newest first.",
    )
    async def movements(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[StockMovementConnection, strawberry.lazy("schema.inventory")]:
        # Imported on use: the inventory schema builds on this module.
        from schema.inventory import variant_movements

        return await variant_movements(
            self.id, info, first=first, after=after, last=last, before=before
        )

    @strawberry.field
    async def product(self, info: Info) -> ProductType | None:
        row = await info.context.loaders.product.load(self._product_id)
        if row is None or not can_see(row, info, early_access=await early_access_of(info)):
            return None
        return (await build_products([row], info, None, prices=self._prices))[0]


@strawberry.type(name="ProductPriceRange")
class PriceRangeType:
    min: MoneyType
    max: MoneyType


@strawberry.type(name="ProductTranslation")
class ProductTranslationType:
    locale: str
    name: str | None
    description: str | None
    parameters: list[NameValueType] | None
    features: list[str] | None
    instructions: str | None

    @classmethod
    def build(cls, tr: ProductTranslation) -> ProductTranslationType:
        return cls(
            locale=tr.locale,
            name=tr.name,
            description=tr.description,
            parameters=_pairs(tr.parameters) if tr.parameters is not None else None,
            features=tr.features,
            instructions=tr.instructions,
        )


@strawberry.type(
    name="ProductListingEvent", description="A change in whether shoppers see a product."
)
class ProductListingEventType:
    visible: bool
    cause: ListingCauseEnum  # type: ignore[valid-type]
    status: ListingStatusEnum  # type: ignore[valid-type]
    actor: str
    occurred_at: datetime

    @classmethod
    def build(cls, event: ProductListingEvent) -> ProductListingEventType:
        return cls(
            visible=event.visible,
            cause=event.cause,
            status=event.status,
            actor=event.actor,
            occurred_at=event.occurred_at,
        )


@strawberry.type(name="Product")
class ProductType(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    description: str
    parameters: list[NameValueType] = strawberry.field(description="Key facts, in order.")
    features: list[str]
    instructions: str = strawberry.field(description="Instructions for use.")
    locale: str = strawberry.field(description="The locale the text fields are in.")
    origin_country: CountryCode | None = strawberry.field(description="Place of origin.")
    specification: str
    model: str
    material: str
    product_type: str
    usage: str
    hs_code: str | None = strawberry.field(
        description="Harmonized System code for customs, as stored (see `customs`)."
    )
    weight_grams: int | None
    status: ListingStatusEnum  # type: ignore[valid-type]
    publish_at: datetime | None
    unpublish_at: datetime | None
    listed_at: datetime = strawberry.field(description="When the product went on the shelf.")
    is_visible: bool = strawberry.field(description="Whether shoppers see the product now.")
    early_access_until: datetime | None = strawberry.field(
        description="Until then the product is members-first: only tiers with early access "
        "see and buy it."
    )
    price_range: PriceRangeType
    sales_count: int
    rating_average: float
    rating_count: int
    created_at: datetime
    updated_at: datetime
    _brand_id: strawberry.Private[int | None]
    _category_id: strawberry.Private[int | None]
    _delist_when_sold_out: strawberry.Private[bool]
    _prices: strawberry.Private[Prices]
    _row: strawberry.Private[Product]
    #: Relations fetched for the whole page by `build_products`, by field name: such a
    #: field answers at once instead of awaiting a loader, once per node.
    _fetched: strawberry.Private[dict[str, Any]] = dataclasses.field(default_factory=dict)
    #: Where the node's completed answer is kept for other requests (`schema.catalog.views`).
    _view: strawberry.Private[ViewSlot | None] = None

    @classmethod
    def build(
        cls, p: Product, tr: ProductTranslation | None, locale: str, prices: Prices, now: datetime
    ) -> ProductType:
        def text(name: str) -> Any:
            value = getattr(tr, name, None) if tr else None
            return value if value else getattr(p, name)

        return cls(
            id=p.id,
            slug=p.slug,
            name=text("name"),
            description=text("description"),
            parameters=_pairs(text("parameters")),
            features=list(text("features") or ()),
            instructions=text("instructions"),
            locale=locale,
            origin_country=country_code(p.origin_country),
            specification=p.specification,
            model=p.model,
            material=p.material,
            product_type=p.product_type,
            usage=p.usage,
            hs_code=p.hs_code,
            weight_grams=p.weight_grams,
            status=p.status,
            publish_at=p.publish_at,
            unpublish_at=p.unpublish_at,
            listed_at=p.listed_at,
            is_visible=p.is_visible_at(now),
            early_access_until=p.early_access_until,
            price_range=PriceRangeType(
                min=prices.money(p.price_min), max=prices.money(p.price_max)
            ),
            sales_count=p.sales_count,
            rating_average=p.rating_average,
            rating_count=p.rating_count,
            created_at=p.created_at,
            updated_at=p.updated_at,
            _brand_id=p.brand_id,
            _category_id=p.category_id,
            _delist_when_sold_out=p.delist_when_sold_out,
            _prices=prices,
            _row=p,
        )

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="What customs declarations say of the product; variants may differ.",
    )
    def customs(self) -> CustomsFactsType:
        return CustomsFactsType.of_product(self._row)

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="Whether the product leaves the shelf when its last unit sells.",
    )
    def delist_when_sold_out(self) -> bool:
        return self._delist_when_sold_out

    @strawberry.field
    async def brand(self, info: Info) -> BrandType | None:
        if self._brand_id is None:
            return None
        row = await info.context.loaders.brand.load(self._brand_id)
        return BrandType.build(row) if row else None

    # `category`, `images`, `featured_image` and `variants` answer from `_fetched` when the
    # page's rows were fetched together, else they return the awaitable of a loader's
    # batch. graphql-core awaits what a resolver returns: a list page costs no coroutine
    # per node, and a lone product still loads its relations.

    @strawberry.field
    def category(self, info: Info) -> CategoryType | None:
        if "category" in self._fetched or self._category_id is None:
            return self._fetched.get("category")
        return cast(Any, self._load_category(info))

    async def _load_category(self, info: Info) -> CategoryType | None:
        assert self._category_id is not None
        row = await info.context.loaders.category.load(self._category_id)
        return (await build_categories([row], info, self.locale))[0] if row else None

    @strawberry.field(description="Images in display order.")
    def images(self, info: Info, first: int | None = None) -> list[ProductImageType]:
        if "images" in self._fetched:
            return self._fetched["images"][:first]
        return cast(Any, self._load_images(info, first))

    async def _load_images(self, info: Info, first: int | None) -> list[ProductImageType]:
        rows = await info.context.loaders.images_by_product.load(self.id)
        base = info.context.media_base
        return [ProductImageType.build(row, base) for row in rows[:first]]

    @strawberry.field(description="The first image, shown in product grids.")
    def featured_image(self, info: Info) -> ProductImageType | None:
        if "images" in self._fetched:
            return next(iter(self._fetched["images"]), None)
        return cast(Any, self._load_featured_image(info))

    async def _load_featured_image(self, info: Info) -> ProductImageType | None:
        images = await self._load_images(info, 1)
        return images[0] if images else None

    @strawberry.field
    def variants(self, info: Info) -> list[ProductVariantType]:
        if "variants" in self._fetched:
            return self._fetched["variants"]
        return cast(Any, self._load_variants(info))

    async def _load_variants(self, info: Info) -> list[ProductVariantType]:
        rows = await info.context.loaders.variants_by_product.load(self.id)
        currency = info.context.settings.shop_currency
        return [ProductVariantType.build(row, currency, self._prices) for row in rows]

    @strawberry.field(description="The product's text in every locale it is translated into.")
    async def translations(self, info: Info) -> list[ProductTranslationType]:
        rows = await info.context.loaders.translations_by_product.load(self.id)
        return [ProductTranslationType.build(row) for row in rows]

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="Every change in the product's visibility, oldest first.",
    )
    async def listing_history(self) -> list[ProductListingEventType]:
        events = await ProductListingEvent.filter(product_id=self.id)
        return [ProductListingEventType.build(e) for e in events]

    @strawberry.field(description="Approved reviews of the product, newest first by default.")
    async def reviews(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sort_by: ReviewSortInput | None = None,
    ) -> ReviewConnection:
        return await product_reviews_connection(
            self.id, info, first=first, after=after, last=last, before=before, sort_by=sort_by
        )


def can_see(product: Product, info: Info, *, early_access: bool = False) -> bool:
    """Shoppers see visible products only; catalog staff see every product.

    Members-first products show only with `early_access` (from `early_access_of`).
    """
    return listing.shown_to(
        product, timezone.now(), early_access=early_access
    ) or info.context.viewer.can(StaffPermission.CATALOG)


async def early_access_of(info: Info) -> bool:
    """Whether the viewer's tier sees members-first products; its tier read once a request."""
    tier_id = info.context.viewer.tier_id
    if tier_id is None:
        return False
    tier = await info.context.loaders.membership_tier.load(tier_id)
    return tier is not None and tier.early_access


def prime_related(info: Info, rows: Sequence[Product], related: Sequence[str]) -> None:
    """Prime the brand and category loaders with those joined to `rows` (the `related`)."""
    loaders = info.context.loaders
    if "brand" in related:
        loaders.brand.prime_all(b for b in (p.brand for p in rows) if b is not None)
    if "category" in related:
        loaders.category.prime_all(c for c in (p.category for p in rows) if c is not None)


#: Product fields whose relations `build_products` can fetch for a whole page.
FETCHABLE = frozenset({"category", "images", "featuredImage", "variants"})


async def build_products(
    rows: Sequence[Product],
    info: Info,
    locale: str | None,
    *,
    prices: Prices | None = None,
    shown: frozenset[str] = frozenset(),
) -> list[ProductType]:
    """Product types in `locale` (the request's by default), translations batched.

    Prices are shown by `prices`, by default in the viewer's currency (`shown_prices`).
    `shown` names the product fields the query asks for (`schema.kit.selection.selected`):
    their relations are fetched for all rows at once, and those fields answer without
    awaiting.
    """
    ctx = info.context
    locale = locale or ctx.locale
    prices = prices or await shown_prices(info)
    now = timezone.now()
    if locale == ctx.settings.default_locale or not rows:
        nodes = [ProductType.build(row, None, locale, prices, now) for row in rows]
    else:
        # Every locale of each product comes in one batch, shared with `translations`.
        translations = await ctx.loaders.translations_by_product.load_many([r.id for r in rows])
        nodes = [
            ProductType.build(row, _in_locale(trs, locale), locale, prices, now)
            for row, trs in zip(rows, translations, strict=True)
        ]
    if shown & FETCHABLE and nodes:
        await _fetch_relations(nodes, info, locale, shown)
    return nodes


async def _fetch_relations(
    nodes: list[ProductType], info: Info, locale: str, shown: frozenset[str]
) -> None:
    """Fill each node's `_fetched` with the relations `shown` asks for, one batch each."""
    loaders = info.context.loaders
    ids = [node.id for node in nodes]
    wants_images = bool(shown & {"images", "featuredImage"})
    category_ids = sorted({n._category_id for n in nodes if n._category_id is not None})
    # Started together, so that each loader dispatches its batch in the same turn.
    variants, images, categories = await asyncio.gather(
        loaders.variants_by_product.load_many(ids) if "variants" in shown else _nothing(),
        loaders.images_by_product.load_many(ids) if wants_images else _nothing(),
        loaders.category.load_many(category_ids) if "category" in shown else _nothing(),
    )
    if categories is not None:
        built = await build_categories([c for c in categories if c], info, locale)
        by_id = {category.id: category for category in built}
    currency = info.context.settings.shop_currency
    base = info.context.media_base
    for index, node in enumerate(nodes):
        fetched = node._fetched
        if variants is not None:
            fetched["variants"] = [
                ProductVariantType.build(row, currency, node._prices) for row in variants[index]
            ]
        if images is not None:
            fetched["images"] = [ProductImageType.build(row, base) for row in images[index]]
        if categories is not None:
            fetched["category"] = by_id.get(node._category_id)  # type: ignore[arg-type]


async def _nothing() -> None:
    return None
