from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.emails import EmailKind


class AlterFieldStateOnly(ops.AlterField):
    """New email kinds (returns, cancellation requests) change only the field's description:
    the column keeps its type and length, so nothing runs on the database (SQLite's table
    rebuild for an altered column would drop the table's unique keys and its indexes)."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return None


class Migration(migrations.Migration):
    dependencies = [("models", "0016_returns")]

    initial = False

    operations = [
        AlterFieldStateOnly(
            model_name="SentEmail",
            name="kind",
            field=fields.CharEnumField(
                description="ORDER_PLACED: order_placed\nPAYMENT_RECEIVED: payment_received\nSHIPPED: shipped\nDELIVERED: delivered\nCANCELLED: cancelled\nREFUNDED: refunded\nOUT_FOR_DELIVERY: out_for_delivery\nDELIVERY_ATTEMPT_FAILED: delivery_attempt_failed\nTRACKING_EXCEPTION: tracking_exception\nCUSTOMS_DUTIES_DUE: customs_duties_due\nSHIPMENT_NOTICE: shipment_notice\nRETURN_REQUESTED: return_requested\nRETURN_APPROVED: return_approved\nRETURN_DECLINED: return_declined\nRETURN_RECEIVED: return_received\nRETURN_CLOSED: return_closed\nRETURN_CANCELLED: return_cancelled\nSHOP_RETURN_REQUESTED: shop_return_requested\nCANCELLATION_APPROVED: cancellation_approved\nCANCELLATION_DECLINED: cancellation_declined",
                enum_type=EmailKind,
                max_length=24,
            ),
        ),
    ]
