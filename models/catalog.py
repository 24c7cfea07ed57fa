"""Catalog tables: brands, the category tree, products, their variants, images and translations.

Prices are integer minor units of the shop currency. Invariants that need no I/O live
here as methods; everything that reads or writes the database lives in `services.catalog`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model


class ListingStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class ListingCause(StrEnum):
    """Why a product's visibility to shoppers changed."""

    STATUS = "status"  # a merchant published, unpublished or archived it
    WINDOW = "window"  # its sale window opened or closed
    DELETED = "deleted"


class Brand(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=140, unique=True)
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_brand"
        ordering = ["name", "id"]


class Category(Model):
    """A node of the category tree.

    `path` is the materialised chain of ids from the root, `/1/4/9/`, so that a category
    and all its descendants are one indexed prefix match.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=140, unique=True)
    description = fields.TextField(default="")
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="children", null=True, on_delete=OnDelete.RESTRICT
    )
    parent_id: int | None
    position = fields.IntField(default=0)
    path = fields.CharField(max_length=255, default="/", db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_category"
        ordering = ["position", "id"]

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this category's parent."""
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids)


class CategoryTranslation(Model):
    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="translations", on_delete=OnDelete.CASCADE
    )
    locale = fields.CharField(max_length=16)
    name = fields.CharField(max_length=120, null=True)
    description = fields.TextField(null=True)

    class Meta:
        table = "catalog_category_translation"
        unique_together = (("category", "locale"),)


class Product(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=160, unique=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    #: Key facts as ordered name/value pairs: [{"name": "Battery", "value": "4000 mAh"}].
    parameters: fields.JSONField[list[dict[str, str]]] = fields.JSONField(default=list)
    features: fields.JSONField[list[str]] = fields.JSONField(default=list)
    instructions = fields.TextField(default="")

    brand: fields.ForeignKeyNullableRelation[Brand] = fields.ForeignKeyField(
        "models.Brand", related_name="products", null=True, on_delete=OnDelete.RESTRICT
    )
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="products", null=True, on_delete=OnDelete.RESTRICT
    )
    brand_id: int | None
    category_id: int | None
    variants: fields.ReverseRelation[ProductVariant]
    images: fields.ReverseRelation[ProductImage]
    translations: fields.ReverseRelation[ProductTranslation]
    origin_country = fields.CharField(max_length=2, null=True, db_index=True)
    specification = fields.CharField(max_length=200, default="")
    model = fields.CharField(max_length=120, default="")
    material = fields.CharField(max_length=120, default="")
    product_type = fields.CharField(max_length=80, default="", db_index=True)
    usage = fields.CharField(max_length=80, default="", db_index=True)
    # Customs facts: a variant may override each of them. The HS code is the 6-digit
    # subheading, checked against the nomenclature.
    #: Harmonized System code, 6 to 10 digits, for customs declarations.
    hs_code = fields.CharField(max_length=10, null=True)
    #: National tariff extensions per destination: {"US": "6109100012", "GB": "61091000"}.
    hs_national: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)
    #: What the goods are, as a customs officer needs it ("Men's cotton T-shirt", not "clothes").
    customs_description = fields.CharField(max_length=120, default="", db_default="")
    #: Net weight of one unit without packaging, for the declaration.
    net_weight_grams = fields.IntField(null=True)
    #: Goods that need care: dangerous goods (batteries, aerosols...) and excise goods
    #: (alcohol, tobacco, perfume in some markets), which simplified regimes leave out.
    dangerous_goods = fields.BooleanField(default=False, db_default=False)
    excise_goods = fields.BooleanField(default=False, db_default=False)
    weight_grams = fields.IntField(null=True)

    status = fields.CharEnumField(ListingStatus, max_length=16, default=ListingStatus.DRAFT)
    publish_at = fields.DatetimeField(null=True)
    unpublish_at = fields.DatetimeField(null=True)
    #: When the product first went on the shelf (creation time until then): "listing time".
    listed_at = fields.DatetimeField(db_index=True)
    #: Visibility as last recorded by a listing event, which the sweeper compares against.
    listing_visible = fields.BooleanField(default=False)

    #: Lowest and highest variant price, kept by the catalog service for sorting and filters.
    price_min = fields.BigIntField(default=0, db_index=True)
    price_max = fields.BigIntField(default=0)
    sales_count = fields.IntField(default=0, db_index=True)
    #: Until then the product is members-first: only tiers with early access see and buy it.
    early_access_until = fields.DatetimeField(null=True)
    #: Take the product off the shelf when its last unit is sold.
    delist_when_sold_out = fields.BooleanField(default=False, db_default=False)
    rating_average = fields.FloatField(default=0.0)
    rating_count = fields.IntField(default=0)

    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_product"
        ordering = ["id"]
        # A brand's products, newest listed first (read backwards), without a sort. The
        # storefront's own listing index (visible products by listing time, with the facet
        # columns) is partial, so it lives outside the models: see migration 0027.
        indexes = (("brand_id", "listed_at", "id"),)

    def is_visible_at(self, now: datetime) -> bool:
        """Whether shoppers see the product at `now`: active and inside its sale window."""
        return (
            self.status == ListingStatus.ACTIVE
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or now < self.unpublish_at)
        )


class ProductTranslation(Model):
    """A product's text in one locale. A missing field falls back to the default language."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="translations", on_delete=OnDelete.CASCADE
    )
    locale = fields.CharField(max_length=16)
    name = fields.CharField(max_length=200, null=True)
    description = fields.TextField(null=True)
    parameters: fields.JSONField[list[dict[str, str]] | None] = fields.JSONField(null=True)
    features: fields.JSONField[list[str] | None] = fields.JSONField(null=True)
    instructions = fields.TextField(null=True)

    class Meta:
        table = "catalog_product_translation"
        unique_together = (("product", "locale"),)


class ProductVariant(Model):
    """A stock-keeping unit: one combination of option values, with its own price and stock."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="variants", on_delete=OnDelete.CASCADE
    )
    product_id: int
    sku = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=120, default="")
    #: Ordered option values: [{"name": "size", "value": "S"}, {"name": "colour", ...}].
    options: fields.JSONField[list[dict[str, str]]] = fields.JSONField(default=list)
    price = fields.BigIntField()
    compare_at_price = fields.BigIntField(null=True)
    position = fields.IntField(default=0)
    # Changed only by the inventory ledger (`services.inventory`), never directly.
    stock_on_hand = fields.IntField(default=0)
    stock_reserved = fields.IntField(default=0)
    weight_grams = fields.IntField(null=True)
    #: Parcel dimensions, for volumetric weight.
    length_mm = fields.IntField(null=True)
    width_mm = fields.IntField(null=True)
    height_mm = fields.IntField(null=True)
    #: Available units at or below which merchants are alerted (null: the shop default).
    low_stock_threshold = fields.IntField(null=True)
    #: Customs facts that differ from the product's (null: the product's).
    hs_code = fields.CharField(max_length=10, null=True)
    hs_national: fields.JSONField[dict[str, str] | None] = fields.JSONField(null=True)
    origin_country = fields.CharField(max_length=2, null=True)
    customs_description = fields.CharField(max_length=120, null=True)
    net_weight_grams = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_product_variant"
        ordering = ["position", "id"]
        # A page of products loads its variants in order by product: one index range each.
        indexes = (("product_id", "position", "id"),)
        # The database refuses what no code path should ever write.
        constraints = [
            CheckConstraint(check="price >= 0", name="variant_price_not_negative"),
            CheckConstraint(
                check="compare_at_price IS NULL OR compare_at_price >= 0",
                name="variant_compare_at_price_not_negative",
            ),
            CheckConstraint(check="stock_on_hand >= 0", name="variant_stock_not_negative"),
            CheckConstraint(check="stock_reserved >= 0", name="variant_reserved_not_negative"),
        ]

    @property
    def stock_available(self) -> int:
        """Units that can still be sold: on hand less reserved, never negative."""
        return max(self.stock_on_hand - self.stock_reserved, 0)


class ProductImage(Model):
    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="images", on_delete=OnDelete.CASCADE
    )
    product_id: int
    #: Path under the media folder, e.g. `products/12/3f9c....webp`.
    path = fields.CharField(max_length=255)
    alt = fields.CharField(max_length=255, default="")
    position = fields.IntField(default=0)
    width = fields.IntField()
    height = fields.IntField()
    content_type = fields.CharField(max_length=40)
    size_bytes = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog_product_image"
        ordering = ["position", "id"]
        indexes = (("product_id", "position", "id"),)


class ProductListingEvent(Model):
    """A change in whether shoppers see a product, with its cause: the listing history."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="listing_events", on_delete=OnDelete.CASCADE
    )
    visible = fields.BooleanField()
    cause = fields.CharEnumField(ListingCause, max_length=16)
    status = fields.CharEnumField(ListingStatus, max_length=16)
    actor = fields.CharField(max_length=120, default="system")
    occurred_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "catalog_product_listing_event"
        ordering = ["occurred_at", "id"]


class ProductSearch(Model):
    """A product's searchable text, normalised (NFKC, case-folded), one row per product.

    `names` holds the product's name in every language, its brand, model and SKUs, each
    line starting with a newline so that "starts a name" is a plain substring test;
    `document` is `names` followed by every description. The SQLite full-text table
    (FTS5, trigram) and PostgreSQL's trigram index over `document` live outside the models:
    see migration 0027 and `services.catalog.search`.
    """

    id = fields.IntField(primary_key=True)
    product: fields.OneToOneRelation[Product] = fields.OneToOneField(
        "models.Product", related_name="search_text", on_delete=OnDelete.CASCADE
    )
    product_id: int
    names = fields.TextField()
    document = fields.TextField()

    class Meta:
        table = "catalog_product_search"


class SearchWord(Model):
    """A word some product's text holds: the vocabulary typos are corrected against.

    Words are only added; one no product uses any more corrects a typo to nothing.
    """

    word = fields.CharField(max_length=32, primary_key=True)
    # A typo is looked for among the words that share its first letter and are about as
    # long: one indexed range.
    #: The first letter.
    initial = fields.CharField(max_length=1)
    length = fields.SmallIntField()

    class Meta:
        table = "catalog_search_word"
        indexes = (("initial", "length"),)
