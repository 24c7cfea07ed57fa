from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0018_support")]

    initial = False

    operations = [
        ops.AddField(
            model_name="InboundEmail",
            name="raw_bytes",
            field=fields.BinaryField(
                null=True,
                description="The email as received, kept once for staff to look into (empty when refused unread).",
            ),
        ),
    ]
