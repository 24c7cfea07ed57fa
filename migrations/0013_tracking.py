from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.tracking import TrackingSource, TrackingStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0012_stocktake_scope")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DeliveryEstimate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "shipment",
                    fields.ForeignKeyField(
                        "models.Shipment",
                        source_field="shipment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="delivery_estimates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("estimated_date", fields.DateField()),
                (
                    "source",
                    fields.CharEnumField(
                        description="WEBHOOK: webhook\nPOLL: poll\nSTAFF: staff\nSIMULATED: simulated\nSYSTEM: system",
                        enum_type=TrackingSource,
                        max_length=16,
                    ),
                ),
                ("source_name", fields.CharField(default="", max_length=32)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "tracking_delivery_estimate",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One revision of a parcel's estimated delivery date (the latest is the shipment's).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrackingDelivery",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("source", fields.CharField(max_length=32)),
                ("delivery_id", fields.CharField(max_length=128)),
                (
                    "received_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "tracking_delivery",
                "app": "models",
                "unique_together": (("source", "delivery_id"),),
                "pk_attr": "id",
                "table_description": "A webhook delivery id already accepted, so a replay is refused: the replay store",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrackingEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "shipment",
                    fields.ForeignKeyField(
                        "models.Shipment",
                        source_field="shipment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tracking_events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "fingerprint",
                    fields.CharField(
                        description="What makes a delivery of this event the same event: the source's event id when it",
                        max_length=64,
                    ),
                ),
                (
                    "occurred_at",
                    fields.DatetimeField(
                        description="When it happened, in UTC, and the UTC offset of the carrier's local time in minutes",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("utc_offset_minutes", fields.SmallIntField(null=True)),
                (
                    "received_at",
                    fields.DatetimeField(
                        description="When the shop learned of it.",
                        auto_now=False,
                        auto_now_add=True,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING: pending\nINFO_RECEIVED: info_received\nIN_TRANSIT: in_transit\nIN_CUSTOMS: in_customs\nOUT_FOR_DELIVERY: out_for_delivery\nAVAILABLE_FOR_PICKUP: available_for_pickup\nATTEMPT_FAILED: attempt_failed\nDELIVERED: delivered\nEXCEPTION: exception\nRETURNING: returning\nRETURNED: returned\nEXPIRED: expired\nCANCELLED: cancelled",
                        enum_type=TrackingStatus,
                        max_length=24,
                    ),
                ),
                ("sub_status", fields.CharField(default="", max_length=32)),
                ("message", fields.CharField(default="", max_length=500)),
                ("city", fields.CharField(default="", max_length=120)),
                ("region", fields.CharField(default="", max_length=120)),
                ("postcode", fields.CharField(default="", max_length=20)),
                (
                    "country",
                    fields.CharField(
                        default="",
                        description='ISO 3166-1 alpha-2, "" when the carrier gave no country.',
                        max_length=2,
                    ),
                ),
                (
                    "source",
                    fields.CharEnumField(
                        description="WEBHOOK: webhook\nPOLL: poll\nSTAFF: staff\nSIMULATED: simulated\nSYSTEM: system",
                        enum_type=TrackingSource,
                        max_length=16,
                    ),
                ),
                (
                    "source_name",
                    fields.CharField(
                        default="",
                        description="The integration that reported it (`aftership`, `standard`, `simulated`, a poller's",
                        max_length=32,
                    ),
                ),
                (
                    "actor_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_user_id",
                        null=True,
                        description="The staff member who entered it by hand.",
                        db_constraint=True,
                        to_field="id",
                        related_name="tracking_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "payload",
                    fields.JSONField(
                        default=dict,
                        description="The carrier's event as received, for support and for remapping later.",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "tracking_event",
                "app": "models",
                "unique_together": (("shipment", "fingerprint"),),
                "pk_attr": "id",
                "table_description": "One thing that happened to a parcel, as reported.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Carrier",
            name="tracking_expiry_days",
            field=fields.IntField(
                default=30,
                description="Days without a tracking event after which a parcel's tracking is expired: carriers",
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="estimated_delivery",
            field=fields.DateField(
                null=True,
                description="The latest estimated delivery date (its revisions are `DeliveryEstimate` rows).",
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="handled_at",
            field=fields.DatetimeField(
                null=True,
                description="When staff marked the current problem as handled (a new status clears it).",
                auto_now=False,
                auto_now_add=False,
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="last_event_at",
            field=fields.DatetimeField(
                null=True,
                description="When the latest tracking event happened (null: none yet), and since when the",
                auto_now=False,
                auto_now_add=False,
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="replacement_for",
            field=fields.ForeignKeyField(
                "models.Shipment",
                source_field="replacement_for_id",
                null=True,
                description="The parcel this one replaces (sent again after a loss or a return).",
                db_constraint=True,
                to_field="id",
                related_name="replacements",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="status_since",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Shipment",
            name="tracking_status",
            field=fields.CharEnumField(
                default=TrackingStatus.PENDING,
                db_index=True,
                description="PENDING: pending\nINFO_RECEIVED: info_received\nIN_TRANSIT: in_transit\nIN_CUSTOMS: in_customs\nOUT_FOR_DELIVERY: out_for_delivery\nAVAILABLE_FOR_PICKUP: available_for_pickup\nATTEMPT_FAILED: attempt_failed\nDELIVERED: delivered\nEXCEPTION: exception\nRETURNING: returning\nRETURNED: returned\nEXPIRED: expired\nCANCELLED: cancelled",
                enum_type=TrackingStatus,
                max_length=24,
            ),
        ),
        ops.AddField(
            model_name="Shipment",
            name="tracking_sub_status",
            field=fields.CharField(default="", max_length=32),
        ),
        # Parcels marked delivered before tracking existed keep saying so.
        ops.RunSQL(
            "UPDATE orders_shipment SET tracking_status = 'delivered', status_since = delivered_at "
            "WHERE delivered_at IS NOT NULL",
            reverse_sql="",
        ),
    ]
