from tortoise import migrations
from tortoise.migrations import operations as ops
from models.emails import EmailKind
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0013_tracking")]

    initial = False

    operations = [
        ops.AlterField(
            model_name="SentEmail",
            name="kind",
            field=fields.CharEnumField(
                description="ORDER_PLACED: order_placed\nPAYMENT_RECEIVED: payment_received\nSHIPPED: shipped\nDELIVERED: delivered\nCANCELLED: cancelled\nREFUNDED: refunded\nOUT_FOR_DELIVERY: out_for_delivery\nDELIVERY_ATTEMPT_FAILED: delivery_attempt_failed\nTRACKING_EXCEPTION: tracking_exception\nCUSTOMS_DUTIES_DUE: customs_duties_due\nSHIPMENT_NOTICE: shipment_notice",
                enum_type=EmailKind,
                max_length=24,
            ),
        ),
    ]
