from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0023_support_inbound")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Conversation",
            name="start_key",
            field=fields.CharField(
                null=True,
                unique=True,
                description="Hash of a chat's starter and the client id of its first message (null: not a chat).",
                max_length=64,
            ),
        ),
    ]
