from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.currency import RateSource, RoundingRule
from models.inventory import MovementKind, StocktakeStatus
from models.orders import OrderEventKind
from models.shipping import ServiceLevel


class Migration(migrations.Migration):
    dependencies = [("models", "0005_review_fixes")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Carrier",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=80)),
                (
                    "code",
                    fields.CharField(
                        unique=True,
                        description="Short code used in tracking links and reports, e.g. `dhl`.",
                        max_length=32,
                    ),
                ),
                (
                    "tracking_url",
                    fields.CharField(
                        default="",
                        description="Tracking page with `{number}` where the tracking number goes.",
                        max_length=300,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "shipping_carrier", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Cart",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "token_hash",
                    fields.CharField(
                        unique=True,
                        description="SHA-256 of the random token the storefront was given once.",
                        max_length=64,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="carts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("currency", fields.CharField(default="", max_length=3)),
                ("coupon_code", fields.CharField(default="", max_length=40)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "updated_at",
                    fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False),
                ),
            ],
            options={
                "table": "orders_cart",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A shopper's cart: a guest's, found by its token, or a member's (one per member).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CartLine",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "cart",
                    fields.ForeignKeyField(
                        "models.Cart",
                        source_field="cart_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="variant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cart_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("quantity", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "orders_cart_line",
                "app": "models",
                "unique_together": (("cart", "variant"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CheckoutAttempt",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(unique=True, max_length=64)),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="checkout_attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "orders_checkout_attempt",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An idempotency key of `placeOrder`: a retry with the same key finds the same order.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ExchangeRate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("base", fields.CharField(max_length=3)),
                ("quote", fields.CharField(max_length=3)),
                (
                    "rate",
                    fields.CharField(
                        description="Units of `quote` per unit of `base`, as a decimal string.",
                        max_length=40,
                    ),
                ),
                (
                    "source",
                    fields.CharEnumField(
                        description="ECB: ecb\nMANUAL: manual", enum_type=RateSource, max_length=16
                    ),
                ),
                (
                    "rate_date",
                    fields.DateField(
                        description="The day the rate is for (the ECB's reference date, or when staff set it)."
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="exchange_rates",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={
                "table": "currency_exchange_rate",
                "app": "models",
                "unique_together": (("base", "quote", "source", "rate_date"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LowStockAlert",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="variant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="low_stock_alerts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("threshold", fields.IntField()),
                ("available", fields.IntField()),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                (
                    "resolved_at",
                    fields.DatetimeField(
                        null=True,
                        description="Set when stock rose above the threshold again, or staff dismissed the alert.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={
                "table": "inventory_low_stock_alert",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Raised when a variant's available units cross its threshold downwards.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PLACED: placed\nSTATUS: status\nPAYMENT: payment\nSHIPMENT: shipment\nNOTE: note",
                        enum_type=OrderEventKind,
                        max_length=16,
                    ),
                ),
                ("from_status", fields.CharField(default="", max_length=20)),
                ("to_status", fields.CharField(default="", max_length=20)),
                (
                    "actor",
                    fields.CharField(
                        description="`user:12`, `customer`, `system` (sweeper), as shown in the timeline.",
                        max_length=40,
                    ),
                ),
                (
                    "actor_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="order_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("message", fields.CharField(default="", max_length=500)),
                (
                    "internal",
                    fields.BooleanField(
                        default=False, description="Staff-only notes are not shown to the customer."
                    ),
                ),
                ("data", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "orders_order_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One entry of an order's timeline: what happened, who did it, when.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PresentmentCurrency",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=3)),
                ("enabled", fields.BooleanField(default=True)),
                (
                    "rounding",
                    fields.CharEnumField(
                        default=RoundingRule.NONE,
                        description="NONE: none\nWHOLE: whole\nNINETY_NINE: ninety_nine",
                        enum_type=RoundingRule,
                        max_length=16,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "currency_presentment_currency",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A currency the merchant lets shoppers see prices and pay in.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Shipment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="shipments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "carrier",
                    fields.ForeignKeyField(
                        "models.Carrier",
                        source_field="carrier_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="shipments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("carrier_name", fields.CharField(max_length=80)),
                ("tracking_number", fields.CharField(db_index=True, max_length=80)),
                ("tracking_url", fields.CharField(default="", max_length=400)),
                ("shipped_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "delivered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "orders_shipment",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One parcel sent for an order (an order may ship in several).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShipmentLine",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "shipment",
                    fields.ForeignKeyField(
                        "models.Shipment",
                        source_field="shipment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "order_line",
                    fields.ForeignKeyField(
                        "models.OrderLine",
                        source_field="order_line_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="shipment_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("quantity", fields.IntField()),
            ],
            options={"table": "orders_shipment_line", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShippingService",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "carrier",
                    fields.ForeignKeyField(
                        "models.Carrier",
                        source_field="carrier_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="services",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("name", fields.CharField(max_length=80)),
                (
                    "level",
                    fields.CharEnumField(
                        description="ECONOMY: economy\nSTANDARD: standard\nEXPRESS: express\nDEDICATED_LINE: dedicated_line",
                        enum_type=ServiceLevel,
                        max_length=16,
                    ),
                ),
                (
                    "volumetric_divisor",
                    fields.IntField(
                        default=5000,
                        description="Cubic centimetres per kilogram of volumetric weight (5000 for most couriers).",
                    ),
                ),
                (
                    "max_weight_grams",
                    fields.IntField(
                        null=True,
                        description="Heaviest parcel the service takes, in grams (null: no limit).",
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "shipping_service", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShippingZone",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(unique=True, max_length=80)),
                ("countries", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "shipping_zone",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Destinations priced alike: a list of ISO 3166-1 alpha-2 country codes.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShippingRate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "service",
                    fields.ForeignKeyField(
                        "models.ShippingService",
                        source_field="service_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "zone",
                    fields.ForeignKeyField(
                        "models.ShippingZone",
                        source_field="zone_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "max_weight_grams",
                    fields.IntField(
                        description="Upper bound of the weight band, in grams, inclusive."
                    ),
                ),
                (
                    "price",
                    fields.BigIntField(
                        description="Price of the band, in minor units of the shop currency."
                    ),
                ),
                (
                    "min_days",
                    fields.IntField(description="Delivery-time estimate in business days."),
                ),
                ("max_days", fields.IntField()),
            ],
            options={
                "table": "shipping_rate",
                "app": "models",
                "unique_together": (("service", "zone", "max_weight_grams"),),
                "pk_attr": "id",
                "table_description": "The price of one service to one zone for parcels up to `max_weight_grams`.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StockMovement",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="variant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="movements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="RECEIPT: receipt\nRESERVATION: reservation\nRELEASE: release\nSALE: sale\nRETURN: return\nADJUSTMENT: adjustment\nSTOCKTAKE: stocktake",
                        enum_type=MovementKind,
                        max_length=16,
                    ),
                ),
                (
                    "on_hand_change",
                    fields.IntField(
                        default=0, description="Changes to on hand and reserved (signed)."
                    ),
                ),
                ("reserved_change", fields.IntField(default=0)),
                ("on_hand_after", fields.IntField(description="The figures after the movement.")),
                ("reserved_after", fields.IntField()),
                (
                    "reference",
                    fields.CharField(
                        default="",
                        db_index=True,
                        description="What caused it: an order number, a stocktake, a purchase order reference.",
                        max_length=80,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=300)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="stock_movements",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={"table": "inventory_stock_movement", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Stocktake",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=StocktakeStatus.OPEN,
                        description="OPEN: open\nAPPLIED: applied\nCANCELLED: cancelled",
                        enum_type=StocktakeStatus,
                        max_length=16,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=300)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="stocktakes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("applied_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "inventory_stocktake", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StocktakeLine",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "stocktake",
                    fields.ForeignKeyField(
                        "models.Stocktake",
                        source_field="stocktake_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="variant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="stocktake_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("counted", fields.IntField()),
                (
                    "expected",
                    fields.IntField(
                        null=True,
                        description="On hand when the count was applied, and the difference written as a movement.",
                    ),
                ),
                ("difference", fields.IntField(null=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "inventory_stocktake_line",
                "app": "models",
                "unique_together": (("stocktake", "variant"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="cancel_reason",
            field=fields.CharField(default="", max_length=300),
        ),
        ops.AddField(
            model_name="Order",
            name="coupon",
            field=fields.ForeignKeyField(
                "models.Coupon",
                source_field="coupon_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="orders",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="coupon_code",
            field=fields.CharField(default="", max_length=40),
        ),
        ops.AddField(
            model_name="Order",
            name="delivered_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Order",
            name="member_discount",
            field=fields.BigIntField(
                default=0, description="The member tier discount applied (shop currency)."
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="payment_method",
            field=fields.CharField(
                default="",
                description="How the payment came in until the payment providers: `bank_transfer`.",
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="payment_reference",
            field=fields.CharField(default="", max_length=120),
        ),
        ops.AddField(
            model_name="Order",
            name="phone",
            field=fields.CharField(default="", max_length=20),
        ),
        ops.AddField(
            model_name="Order",
            name="points_discount",
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="points_redeemed",
            field=fields.BigIntField(
                default=0,
                description="Points redeemed at checkout and the discount they bought (shop currency).",
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="rate_date",
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name="Order",
            name="rate_source",
            field=fields.CharField(
                default="shop",
                description="Where the rate came from (`ecb`, `manual`, or `shop` when no conversion) and its date.",
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="ship_region",
            field=fields.CharField(
                default="",
                description="State, province or prefecture of the shipping address, for regional statistics.",
                max_length=120,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="shipped_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_address",
            field=fields.JSONField(
                default=dict,
                description="The shipping address as given: full_name, company, line1, line2, city, region,",
                encoder=JSON_DUMPS,
                decoder=loads,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_method",
            field=fields.CharField(default="", max_length=160),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_service",
            field=fields.ForeignKeyField(
                "models.ShippingService",
                source_field="shipping_service_id",
                null=True,
                description="The service chosen at checkout, and its names as they were then.",
                db_constraint=True,
                to_field="id",
                related_name="orders",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="Product",
            name="delist_when_sold_out",
            field=fields.BooleanField(
                default=False,
                description="Take the product off the shelf when its last unit is sold.",
                db_default=False,
            ),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="height_mm",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="length_mm",
            field=fields.IntField(
                null=True, description="Parcel dimensions, for volumetric weight."
            ),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="low_stock_threshold",
            field=fields.IntField(
                null=True,
                description="Available units at or below which merchants are alerted (null: the shop default).",
            ),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="width_mm",
            field=fields.IntField(null=True),
        ),
    ]
