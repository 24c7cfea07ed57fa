from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint


class Migration(migrations.Migration):
    dependencies = [("models", "0003_accounts_members_coupons_reviews_orders")]

    initial = False

    operations = [
        ops.AddConstraint(
            model_name="Coupon",
            constraint=CheckConstraint(
                check="times_used >= 0", name="coupon_times_used_not_negative"
            ),
        ),
        ops.AddConstraint(
            model_name="Coupon",
            constraint=CheckConstraint(
                check="usage_limit IS NULL OR times_used <= usage_limit",
                name="coupon_within_usage_limit",
            ),
        ),
        ops.AddConstraint(
            model_name="OrderLine",
            constraint=CheckConstraint(check="quantity > 0", name="order_line_quantity_positive"),
        ),
        ops.AlterField(
            model_name="Review",
            name="rating",
            field=fields.SmallIntField(
                description="1 to 5, checked by the reviews service (a CHECK here would make SQLite rebuild the"
            ),
        ),
        ops.AddConstraint(
            model_name="Reward",
            constraint=CheckConstraint(check="points_cost > 0", name="reward_cost_positive"),
        ),
        ops.AddConstraint(
            model_name="Reward",
            constraint=CheckConstraint(
                check="stock IS NULL OR stock >= 0", name="reward_stock_not_negative"
            ),
        ),
    ]
