from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0020_levels_holidays")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Conversation",
            name="first_responder",
            field=fields.ForeignKeyField(
                "models.User",
                source_field="first_responder_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="first_responses",
                on_delete=OnDelete.SET_NULL,
                description="Who gave it (the statistics credit them).",
            ),
        ),
        ops.AddField(
            model_name="Conversation",
            name="reopened_at",
            field=fields.DatetimeField(
                null=True,
                description="The latest reopening of a resolved conversation (null: never reopened).",
            ),
        ),
        # Conversations answered before the column existed: the author of their first public
        # staff message.
        ops.RunSQL(
            "UPDATE support_conversation SET first_responder_id = ("
            "SELECT m.author_user_id FROM support_message m "
            "WHERE m.conversation_id = support_conversation.id AND m.author = 'staff' "
            "AND m.private = false ORDER BY m.id LIMIT 1) "
            "WHERE first_response_at IS NOT NULL",
            reverse_sql="",
        ),
    ]
