from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0019_support_email_raw")]

    initial = False

    operations = [
        ops.CreateModel(
            name="SupportHoliday",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "schedule",
                    fields.ForeignKeyField(
                        "models.SupportSchedule",
                        source_field="schedule_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="holidays",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("day", fields.DateField()),
                ("name", fields.CharField(default="", max_length=80)),
            ],
            options={
                "table": "support_holiday",
                "app": "models",
                "unique_together": (("schedule", "day"),),
                "pk_attr": "id",
                "table_description": "A local date the shop gives no service: its business time stands still all day.",
            },
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="ConversationRating",
            name="comment",
            field=fields.CharField(default="", max_length=2000),
        ),
    ]
