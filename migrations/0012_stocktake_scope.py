from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0011_shipment_service")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Stocktake",
            name="scope_level",
            field=fields.CharField(
                null=True,
                description="The variants to count: only those at this stock level (null: any level).",
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="Stocktake",
            name="scope_search",
            field=fields.CharField(
                default="",
                description="The variants to count: those matching this search (empty: all of them).",
                max_length=200,
            ),
        ),
    ]
