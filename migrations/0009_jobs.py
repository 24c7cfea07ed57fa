from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.jobs import JobStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0008_cart_claims")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Job",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "task",
                    fields.CharField(
                        description="The registered task's name, e.g. `orders.send_email`.",
                        max_length=100,
                    ),
                ),
                (
                    "key",
                    fields.CharField(
                        description="Unique per task: enqueueing the same task with the same key again changes nothing.",
                        max_length=200,
                    ),
                ),
                ("kwargs", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "status",
                    fields.CharEnumField(
                        default=JobStatus.PENDING,
                        description="PENDING: pending\nQUEUED: queued\nRUNNING: running\nDONE: done\nDEAD: dead",
                        enum_type=JobStatus,
                        max_length=10,
                    ),
                ),
                (
                    "attempts",
                    fields.IntField(
                        default=0,
                        description="Runs started so far: a claim raises it, so a stale message cannot claim the job again.",
                    ),
                ),
                ("last_error", fields.TextField(default="", unique=False)),
                (
                    "run_after",
                    fields.DatetimeField(
                        description="Not to be run before this time (now when written, later after a failed attempt).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "jobs_job",
                "app": "models",
                "unique_together": (("task", "key"),),
                "indexes": [Index(fields=["status", "run_after"])],
                "pk_attr": "id",
                "table_description": "One unit of background work and its history.",
            },
            bases=["Model"],
        ),
    ]
