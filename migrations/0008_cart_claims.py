from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0007_payments")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Cart",
            name="last_order",
            field=fields.ForeignKeyField(
                "models.Order",
                source_field="last_order_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="carts",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="Cart",
            name="ordered_version",
            field=fields.IntField(
                null=True, description="The state the last order was placed from, and that order."
            ),
        ),
        ops.AddField(
            model_name="Cart",
            name="version",
            field=fields.IntField(
                default=0,
                db_default=0,
                description="The cart's state: raised by every change of its lines or coupon, and by the order that",
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="access_token_hash",
            field=fields.CharField(
                null=True,
                unique=True,
                description="SHA-256 of the secret a guest was given once to read and follow this order (null for",
                max_length=64,
            ),
        ),
    ]
