from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


class AlterFieldOutsideSQLite(ops.AlterField):
    """Widens a column where it matters: SQLite integers are 64-bit already, and its table
    rebuild for an altered column would drop the table's unique pair and indexes."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None and state_editor.client.capabilities.dialect == "sqlite":
            return
        await super().database_forward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [("models", "0004_domain_checks")]

    initial = False

    operations = [
        ops.AddConstraint(
            model_name="CouponUse",
            constraint=UniqueConstraint(fields=("coupon", "order"), name=None),
        ),
        ops.AddField(
            model_name="OAuthAttempt",
            name="binding_hash",
            field=fields.CharField(
                default="",
                description="SHA-256 of a secret only the browser that started the sign-in holds.",
                max_length=64,
            ),
        ),
        AlterFieldOutsideSQLite(
            model_name="PointsEntry",
            name="amount",
            field=fields.BigIntField(),
        ),
        ops.AddField(
            model_name="RefreshToken",
            name="epoch",
            field=fields.IntField(
                default=0,
                description="The user's `token_epoch` when issued: raising the epoch kills the token too.",
            ),
        ),
        ops.AddField(
            model_name="RewardRedemption",
            name="idempotency_key",
            field=fields.CharField(
                null=True,
                description="A client's key for the redemption, so a retried request redeems once.",
                max_length=64,
            ),
        ),
        ops.AddConstraint(
            model_name="RewardRedemption",
            constraint=UniqueConstraint(fields=("user", "idempotency_key"), name=None),
        ),
        ops.AddField(
            model_name="VerificationCode",
            name="payload",
            field=fields.JSONField(
                default=dict,
                description="What the code will confirm, such as the password chosen at registration (hashed).",
                encoder=JSON_DUMPS,
                decoder=loads,
            ),
        ),
    ]
