from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.catalog import ListingCause, ListingStatus


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Brand",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=120)),
                ("slug", fields.CharField(unique=True, max_length=140)),
                ("description", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "catalog_brand", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Category",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=120)),
                ("slug", fields.CharField(unique=True, max_length=140)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Category",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField(default=0)),
                ("path", fields.CharField(default="/", db_index=True, max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "catalog_category",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A node of the category tree.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CategoryTranslation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "category",
                    fields.ForeignKeyField(
                        "models.Category",
                        source_field="category_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="translations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("locale", fields.CharField(max_length=16)),
                ("name", fields.CharField(null=True, max_length=120)),
                ("description", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "catalog_category_translation",
                "app": "models",
                "unique_together": (("category", "locale"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Product",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=160)),
                ("name", fields.CharField(max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "parameters",
                    fields.JSONField(
                        default=list,
                        description='Key facts as ordered name/value pairs: [{"name": "Battery", "value": "4000 mAh"}].',
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                ("features", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("instructions", fields.TextField(default="", unique=False)),
                (
                    "brand",
                    fields.ForeignKeyField(
                        "models.Brand",
                        source_field="brand_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="products",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "category",
                    fields.ForeignKeyField(
                        "models.Category",
                        source_field="category_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="products",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("origin_country", fields.CharField(null=True, db_index=True, max_length=2)),
                ("specification", fields.CharField(default="", max_length=200)),
                ("model", fields.CharField(default="", max_length=120)),
                ("material", fields.CharField(default="", max_length=120)),
                ("product_type", fields.CharField(default="", db_index=True, max_length=80)),
                ("usage", fields.CharField(default="", db_index=True, max_length=80)),
                (
                    "hs_code",
                    fields.CharField(
                        null=True,
                        description="Harmonized System code, 6 to 10 digits, for customs declarations.",
                        max_length=10,
                    ),
                ),
                ("weight_grams", fields.IntField(null=True)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ListingStatus.DRAFT,
                        description="DRAFT: draft\nACTIVE: active\nARCHIVED: archived",
                        enum_type=ListingStatus,
                        max_length=16,
                    ),
                ),
                ("publish_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "unpublish_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "listed_at",
                    fields.DatetimeField(
                        db_index=True,
                        description='When the product first went on the shelf (creation time until then): "listing time".',
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "listing_visible",
                    fields.BooleanField(
                        default=False,
                        description="Visibility as last recorded by a listing event, which the sweeper compares against.",
                    ),
                ),
                (
                    "price_min",
                    fields.BigIntField(
                        default=0,
                        db_index=True,
                        description="Lowest and highest variant price, kept by the catalog service for sorting and filters.",
                    ),
                ),
                ("price_max", fields.BigIntField(default=0)),
                ("sales_count", fields.IntField(default=0, db_index=True)),
                ("rating_average", fields.FloatField(default=0.0)),
                ("rating_count", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "catalog_product", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductImage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="images",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "path",
                    fields.CharField(
                        description="Path under the media folder, e.g. `products/12/3f9c....webp`.",
                        max_length=255,
                    ),
                ),
                ("alt", fields.CharField(default="", max_length=255)),
                ("position", fields.IntField(default=0)),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                ("content_type", fields.CharField(max_length=40)),
                ("size_bytes", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "catalog_product_image", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductListingEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="listing_events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("visible", fields.BooleanField()),
                (
                    "cause",
                    fields.CharEnumField(
                        description="STATUS: status\nWINDOW: window\nDELETED: deleted",
                        enum_type=ListingCause,
                        max_length=16,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="DRAFT: draft\nACTIVE: active\nARCHIVED: archived",
                        enum_type=ListingStatus,
                        max_length=16,
                    ),
                ),
                ("actor", fields.CharField(default="system", max_length=120)),
                (
                    "occurred_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "catalog_product_listing_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A change in whether shoppers see a product, with its cause: the listing history.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductTranslation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="translations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("locale", fields.CharField(max_length=16)),
                ("name", fields.CharField(null=True, max_length=200)),
                ("description", fields.TextField(null=True, unique=False)),
                ("parameters", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("features", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("instructions", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "catalog_product_translation",
                "app": "models",
                "unique_together": (("product", "locale"),),
                "pk_attr": "id",
                "table_description": "A product's text in one locale. A missing field falls back to the default language.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductVariant",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="variants",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sku", fields.CharField(unique=True, max_length=64)),
                ("name", fields.CharField(default="", max_length=120)),
                (
                    "options",
                    fields.JSONField(
                        default=list,
                        description='Ordered option values: [{"name": "size", "value": "S"}, {"name": "colour", ...}].',
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                ("price", fields.BigIntField()),
                ("compare_at_price", fields.BigIntField(null=True)),
                ("position", fields.IntField(default=0)),
                ("stock_on_hand", fields.IntField(default=0)),
                ("stock_reserved", fields.IntField(default=0)),
                ("weight_grams", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "catalog_product_variant",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A stock-keeping unit: one combination of option values, with its own price and stock.",
            },
            bases=["Model"],
        ),
    ]
