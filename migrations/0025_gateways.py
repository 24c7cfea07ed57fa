from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.payments import Gateway


class DescribeField(ops.AlterField):
    """Records the gateways' new names in the field's description without touching the
    tables: the column stays a VARCHAR(16), and SQLite's table rebuild for an altered column
    would drop the unique keys that deduplicate notifications and payment attempts."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return


class Migration(migrations.Migration):
    dependencies = [("models", "0024_support_start_key")]

    initial = False

    operations = [
        DescribeField(
            model_name="Payment",
            name="gateway",
            field=fields.CharEnumField(
                description="STRIPE: stripe\nTEST: test\nALIPAY: alipay\nWECHAT_PAY: wechat_pay\nPAYPAL: paypal\nBANK_TRANSFER: bank_transfer",
                enum_type=Gateway,
                max_length=16,
            ),
        ),
        DescribeField(
            model_name="WebhookEvent",
            name="gateway",
            field=fields.CharEnumField(
                description="STRIPE: stripe\nTEST: test\nALIPAY: alipay\nWECHAT_PAY: wechat_pay\nPAYPAL: paypal\nBANK_TRANSFER: bank_transfer",
                enum_type=Gateway,
                max_length=16,
            ),
        ),
    ]
