from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0021_support_stats")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Conversation",
            name="chat_emailed_up_to",
            field=fields.IntField(
                default=0,
                description="The last chat answer the customer was emailed about (0: none).",
            ),
        ),
    ]
