from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.inventory import MovementKind


class Migration(migrations.Migration):
    dependencies = [("models", "0013_tracking")]

    initial = False

    operations = [
        ops.AlterField(
            model_name="StockMovement",
            name="kind",
            field=fields.CharEnumField(
                description="RECEIPT: receipt\nRESERVATION: reservation\nRELEASE: release\nSALE: sale\nRETURN: return\nADJUSTMENT: adjustment\nSTOCKTAKE: stocktake\nRESHIPMENT: reshipment",
                enum_type=MovementKind,
                max_length=16,
            ),
        ),
    ]
