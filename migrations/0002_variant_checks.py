from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.AddConstraint(
            model_name="ProductVariant",
            constraint=CheckConstraint(check="price >= 0", name="variant_price_not_negative"),
        ),
        ops.AddConstraint(
            model_name="ProductVariant",
            constraint=CheckConstraint(
                check="compare_at_price IS NULL OR compare_at_price >= 0",
                name="variant_compare_at_price_not_negative",
            ),
        ),
        ops.AddConstraint(
            model_name="ProductVariant",
            constraint=CheckConstraint(
                check="stock_on_hand >= 0", name="variant_stock_not_negative"
            ),
        ),
        ops.AddConstraint(
            model_name="ProductVariant",
            constraint=CheckConstraint(
                check="stock_reserved >= 0", name="variant_reserved_not_negative"
            ),
        ),
    ]
