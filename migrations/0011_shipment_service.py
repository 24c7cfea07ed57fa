from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0010_emails")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Shipment",
            name="service",
            field=fields.ForeignKeyField(
                "models.ShippingService",
                source_field="service_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="shipments",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="service_name",
            field=fields.CharField(
                default="",
                description="The service's name when shipped (kept when the service is renamed or deleted).",
                db_default="",
                max_length=80,
            ),
        ),
    ]
