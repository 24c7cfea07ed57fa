from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0025_gateways")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PaymentMethodSetting",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "method",
                    fields.CharField(
                        unique=True,
                        description="The shop's method name: card, alipay, wechat_pay, paypal, bank_transfer.",
                        max_length=32,
                    ),
                ),
                (
                    "enabled",
                    fields.BooleanField(
                        default=True,
                        description="Off: never offered, and not listed to shoppers as missing.",
                    ),
                ),
                (
                    "currencies",
                    fields.JSONField(
                        default=list,
                        description="ISO 4217 codes the method is offered in (empty: every currency its gateway takes).",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "countries",
                    fields.JSONField(
                        default=list,
                        description="ISO 3166-1 alpha-2 shipping countries it is offered for (empty: every country).",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "min_amount",
                    fields.BigIntField(
                        null=True,
                        description="The smallest order total it takes, in minor units of the shop currency (none: no limit).",
                    ),
                ),
                (
                    "max_amount",
                    fields.BigIntField(
                        null=True,
                        description="The largest order total it takes, in minor units of the shop currency (none: no limit).",
                    ),
                ),
                (
                    "position",
                    fields.IntField(
                        default=0,
                        description="The merchant's order of the methods, smallest first.",
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payments_method_setting",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The merchant's rules for one payment method.",
            },
            bases=["Model"],
        ),
    ]
