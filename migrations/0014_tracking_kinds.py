from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.emails import EmailKind
from models.inventory import MovementKind


class AlterFieldStateOnly(ops.AlterField):
    """New values of an enum change only the field's description (the list of its values):
    the column keeps its type and length. Nothing runs on the database, since SQLite's table
    rebuild for an altered column would drop the table's unique keys and its indexes."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return None


class Migration(migrations.Migration):
    dependencies = [("models", "0013_tracking")]

    initial = False

    operations = [
        AlterFieldStateOnly(
            model_name="SentEmail",
            name="kind",
            field=fields.CharEnumField(
                description="ORDER_PLACED: order_placed\nPAYMENT_RECEIVED: payment_received\nSHIPPED: shipped\nDELIVERED: delivered\nCANCELLED: cancelled\nREFUNDED: refunded\nOUT_FOR_DELIVERY: out_for_delivery\nDELIVERY_ATTEMPT_FAILED: delivery_attempt_failed\nTRACKING_EXCEPTION: tracking_exception\nCUSTOMS_DUTIES_DUE: customs_duties_due\nSHIPMENT_NOTICE: shipment_notice",
                enum_type=EmailKind,
                max_length=24,
            ),
        ),
        AlterFieldStateOnly(
            model_name="StockMovement",
            name="kind",
            field=fields.CharEnumField(
                description="RECEIPT: receipt\nRESERVATION: reservation\nRELEASE: release\nSALE: sale\nRETURN: return\nADJUSTMENT: adjustment\nSTOCKTAKE: stocktake\nRESHIPMENT: reshipment",
                enum_type=MovementKind,
                max_length=16,
            ),
        ),
    ]
