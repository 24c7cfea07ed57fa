from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint

from models.customs import ChargeKind, Incoterm, RegistrationKind


class Migration(migrations.Migration):
    dependencies = [("models", "0014_tracking_kinds")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CustomsMarket",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "country",
                    fields.CharField(unique=True, description="ISO 3166-1 alpha-2.", max_length=2),
                ),
                (
                    "incoterm",
                    fields.CharEnumField(
                        description="DDP: ddp\nDAP: dap", enum_type=Incoterm, max_length=8
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "customs_market",
                "app": "models",
                "pk_attr": "id",
                "table_description": "How one destination country's orders settle duties and taxes (absent: the default).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DutyRate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("country", fields.CharField(max_length=2)),
                (
                    "hs_prefix",
                    fields.CharField(
                        default="",
                        description='0 to 10 digits: "" (default), "61" (chapter), "6109" (heading), "610910" ...',
                        max_length=10,
                    ),
                ),
                ("rate_bps", fields.IntField()),
                (
                    "source",
                    fields.CharField(
                        default="",
                        description="Where the merchant took the rate from (a tariff's URL or name), for the next review.",
                        max_length=300,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "customs_duty_rate",
                "app": "models",
                "unique_together": (("country", "hs_prefix"),),
                "constraints": [
                    CheckConstraint(
                        check="rate_bps >= 0 AND rate_bps <= 100000", name="duty_rate_in_range"
                    )
                ],
                "pk_attr": "id",
                "table_description": "The duty rate for goods whose HS code starts with `hs_prefix`, into `country`.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MerchantRegistration",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        unique=True,
                        description="EORI: eori\nIOSS: ioss\nUK_VAT: uk_vat\nAU_ARN: au_arn",
                        enum_type=RegistrationKind,
                        max_length=16,
                    ),
                ),
                ("number", fields.CharField(max_length=40)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "customs_registration", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderCharge",
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
                        related_name="charges",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "line",
                    fields.ForeignKeyField(
                        "models.OrderLine",
                        source_field="line_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="charges",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="DUTY: duty\nIMPORT_TAX: import_tax",
                        enum_type=ChargeKind,
                        max_length=16,
                    ),
                ),
                (
                    "regime",
                    fields.CharField(
                        description="The import regime's id in the regimes file, e.g. `EU-IOSS-VAT`.",
                        max_length=40,
                    ),
                ),
                (
                    "name",
                    fields.CharField(
                        description="The tax's name as the destination calls it: VAT, GST, JCT, duty...",
                        max_length=40,
                    ),
                ),
                ("destination", fields.CharField(max_length=2)),
                (
                    "basis",
                    fields.CharField(
                        description="`cif`, `fob` or `price` (the sale price): what the rate was applied to.",
                        max_length=8,
                    ),
                ),
                (
                    "rate_bps",
                    fields.IntField(
                        null=True,
                        description="Ad valorem rate in basis points (null for a flat amount).",
                    ),
                ),
                (
                    "base_amount",
                    fields.BigIntField(
                        default=0,
                        description="The amount the rate was applied to, in the shop currency.",
                    ),
                ),
                ("amount", fields.BigIntField()),
                ("amount_presentment", fields.BigIntField()),
                (
                    "collected",
                    fields.BooleanField(
                        description="True when charged at checkout (in the order's totals), false for a door estimate."
                    ),
                ),
                (
                    "refunded",
                    fields.BigIntField(
                        default=0, description="Refunded so far, in the shop currency."
                    ),
                ),
                ("position", fields.IntField(default=0)),
            ],
            options={
                "table": "customs_order_charge",
                "app": "models",
                "constraints": [
                    CheckConstraint(check="amount >= 0", name="order_charge_not_negative"),
                    CheckConstraint(
                        check="refunded >= 0 AND refunded <= amount",
                        name="order_charge_refund_in_range",
                    ),
                ],
                "pk_attr": "id",
                "table_description": "A duty or import tax of an order, locked when it was placed.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="customs",
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name="Order",
            name="customs_regime",
            field=fields.CharField(
                default="",
                description="The import regime applied (its id in the regimes file), and how the customs figures",
                db_default="",
                max_length=40,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="duty_total",
            field=fields.BigIntField(
                default=0,
                description="Duties and import taxes charged at checkout (DDP, or VAT at the point of sale): part",
                db_default=0,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="duty_total_presentment",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="import_tax_total",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="import_tax_total_presentment",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="incoterm",
            field=fields.CharField(
                default="",
                description="`ddp` or `dap` (empty for an order placed before customs, or a domestic one).",
                db_default="",
                max_length=8,
            ),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="customs_description",
            field=fields.CharField(default="", db_default="", max_length=120),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="dangerous_goods",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="excise_goods",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="hs_code",
            field=fields.CharField(
                default="",
                description="Customs facts as they were when the order was placed (variant over product), for the",
                db_default="",
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="hs_national",
            field=fields.CharField(
                default="",
                description="The destination's national tariff code, when the merchant gave one.",
                db_default="",
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="material",
            field=fields.CharField(default="", db_default="", max_length=120),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="net_weight_grams",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="origin_country",
            field=fields.CharField(default="", db_default="", max_length=2),
        ),
        ops.AddField(
            model_name="Product",
            name="customs_description",
            field=fields.CharField(
                default="",
                description='What the goods are, as a customs officer needs it ("Men\'s cotton T-shirt", not "clothes").',
                db_default="",
                max_length=120,
            ),
        ),
        ops.AddField(
            model_name="Product",
            name="dangerous_goods",
            field=fields.BooleanField(
                default=False,
                description="Goods that need care: dangerous goods (batteries, aerosols...) and excise goods",
                db_default=False,
            ),
        ),
        ops.AddField(
            model_name="Product",
            name="excise_goods",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Product",
            name="hs_national",
            field=fields.JSONField(
                null=True,
                description='National tariff extensions per destination: {"US": "6109100012", "GB": "61091000"}.',
                encoder=JSON_DUMPS,
                decoder=loads,
            ),
        ),
        ops.AddField(
            model_name="Product",
            name="net_weight_grams",
            field=fields.IntField(
                null=True,
                description="Net weight of one unit without packaging, for the declaration.",
            ),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="customs_description",
            field=fields.CharField(null=True, max_length=120),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="hs_code",
            field=fields.CharField(
                null=True,
                description="Customs facts that differ from the product's (null: the product's).",
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="hs_national",
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="net_weight_grams",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="ProductVariant",
            name="origin_country",
            field=fields.CharField(null=True, max_length=2),
        ),
    ]
