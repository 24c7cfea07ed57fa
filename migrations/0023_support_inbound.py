from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.support import InboundStatus


class DescribeField(ops.AlterField):
    """Records a field's new description (the statuses an inbound email may have) without
    touching the table: the column is the same VARCHAR(16), and SQLite's table rebuild for
    an altered column would drop the unique Message-ID that deduplicates deliveries."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return


class Migration(migrations.Migration):
    dependencies = [("models", "0022_support_notify")]

    initial = False

    operations = [
        DescribeField(
            model_name="InboundEmail",
            name="status",
            field=fields.CharEnumField(
                description="PENDING: pending\nACCEPTED: accepted\nIGNORED: ignored\nLIMITED: limited\nREJECTED: rejected",
                enum_type=InboundStatus,
                max_length=16,
            ),
        ),
    ]
