from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.accounts import CodePurpose, Gender, Role
from models.coupons import CouponKind
from models.members import PointsKind, RedemptionStatus, RewardKind
from models.orders import OrderStatus
from models.reviews import ReviewStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0002_variant_checks")]

    initial = False

    operations = [
        ops.CreateModel(
            name="MembershipTier",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(unique=True, max_length=60)),
                (
                    "rank",
                    fields.IntField(unique=True, description="Higher ranks are better tiers."),
                ),
                (
                    "min_spend",
                    fields.BigIntField(
                        default=0,
                        description="Trailing-twelve-month spend needed, in minor units of the shop currency.",
                    ),
                ),
                ("min_orders", fields.IntField(default=0)),
                (
                    "discount_bps",
                    fields.IntField(
                        default=0, description="Member discount in basis points (500 = 5 %)."
                    ),
                ),
                (
                    "points_multiplier_pct",
                    fields.IntField(
                        default=100,
                        description="Points earned per unit of shop currency are multiplied by this many percent (150 = x1.5).",
                    ),
                ),
                ("early_access", fields.BooleanField(default=False)),
                ("priority_support", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "members_tier",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A level of membership, reached by trailing-twelve-month spend and order count.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "email",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="Sign-in email, lower-cased, unique when present.",
                        max_length=254,
                    ),
                ),
                (
                    "email_verified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "phone",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="Sign-in phone number in E.164 form, unique when present.",
                        max_length=20,
                    ),
                ),
                (
                    "phone_verified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "password_hash",
                    fields.CharField(
                        null=True,
                        description="argon2id hash, absent for accounts made through a provider or a phone code.",
                        max_length=200,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        default=Role.CUSTOMER,
                        description="CUSTOMER: customer\nSTAFF: staff\nADMIN: admin",
                        enum_type=Role,
                        max_length=16,
                    ),
                ),
                (
                    "permissions",
                    fields.JSONField(
                        default=list,
                        description="Named staff permissions (values of `services.auth.StaffPermission`).",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                ("is_active", fields.BooleanField(default=True)),
                (
                    "token_epoch",
                    fields.IntField(
                        default=0,
                        description='Raised by a password change or "sign out everywhere": older access tokens stop working.',
                    ),
                ),
                ("nickname", fields.CharField(default="", max_length=60)),
                (
                    "gender",
                    fields.CharEnumField(
                        default=Gender.UNSPECIFIED,
                        description="UNSPECIFIED: unspecified\nFEMALE: female\nMALE: male\nOTHER: other",
                        enum_type=Gender,
                        max_length=16,
                    ),
                ),
                ("birthday", fields.DateField(null=True)),
                ("contact_email", fields.CharField(null=True, max_length=254)),
                ("contact_phone", fields.CharField(null=True, max_length=20)),
                ("locale", fields.CharField(null=True, max_length=16)),
                ("currency", fields.CharField(null=True, max_length=3)),
                (
                    "avatar",
                    fields.CharField(
                        null=True,
                        description="Storage key of the avatar image under the media directory.",
                        max_length=200,
                    ),
                ),
                (
                    "tier",
                    fields.ForeignKeyField(
                        "models.MembershipTier",
                        source_field="tier_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "tier_evaluated_at",
                    fields.DatetimeField(
                        null=True,
                        description="When the tier was last recomputed, and the figures it was computed from.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "last_sign_in_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "deleted_at",
                    fields.DatetimeField(
                        null=True,
                        description="Set when the person deleted the account: personal data is erased, orders stay.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={"table": "accounts_user", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Address",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="addresses",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("full_name", fields.CharField(max_length=120)),
                ("company", fields.CharField(default="", max_length=120)),
                ("line1", fields.CharField(max_length=200)),
                ("line2", fields.CharField(default="", max_length=200)),
                ("city", fields.CharField(max_length=120)),
                (
                    "region",
                    fields.CharField(
                        default="",
                        description="State, province or prefecture, as the country writes it.",
                        max_length=120,
                    ),
                ),
                ("postal_code", fields.CharField(default="", max_length=20)),
                ("country", fields.CharField(description="ISO 3166-1 alpha-2.", max_length=2)),
                ("phone", fields.CharField(default="", description="E.164.", max_length=20)),
                ("is_default", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "members_address", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CheckIn",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="check_ins",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("day", fields.DateField()),
                ("streak", fields.IntField(default=1)),
                ("points", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "members_check_in",
                "app": "models",
                "unique_together": (("user", "day"),),
                "pk_attr": "id",
                "table_description": "A member's daily check-in: `streak` counts consecutive days ending with this one.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Coupon",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "code",
                    fields.CharField(
                        unique=True,
                        description="What the shopper types, stored upper-case.",
                        max_length=40,
                    ),
                ),
                ("name", fields.CharField(default="", max_length=120)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PERCENTAGE: percentage\nFIXED_AMOUNT: fixed_amount\nFREE_SHIPPING: free_shipping",
                        enum_type=CouponKind,
                        max_length=16,
                    ),
                ),
                (
                    "percent_bps",
                    fields.IntField(
                        default=0,
                        description="Percentage coupons: the discount in basis points (1500 = 15 %).",
                    ),
                ),
                (
                    "amount",
                    fields.BigIntField(
                        default=0,
                        description="Fixed-amount coupons: the discount, in minor units of the shop currency.",
                    ),
                ),
                (
                    "max_discount",
                    fields.BigIntField(
                        null=True,
                        description="Percentage coupons: the most they take off, in minor units (null: no cap).",
                    ),
                ),
                (
                    "min_spend",
                    fields.BigIntField(
                        default=0,
                        description="Merchandise subtotal needed, in minor units of the shop currency.",
                    ),
                ),
                ("starts_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "usage_limit",
                    fields.IntField(
                        null=True,
                        description="Uses allowed overall and per customer (null: unlimited).",
                    ),
                ),
                ("per_customer_limit", fields.IntField(null=True)),
                ("times_used", fields.IntField(default=0)),
                (
                    "tier_ids",
                    fields.JSONField(
                        default=list,
                        description="Ids of the membership tiers that may use it (empty: every shopper).",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        null=True,
                        description="A personal coupon (issued for points) belongs to one member only.",
                        db_constraint=True,
                        to_field="id",
                        related_name="coupons",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "coupons_coupon",
                "app": "models",
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OAuthAttempt",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("state", fields.CharField(unique=True, max_length=64)),
                ("provider", fields.CharField(max_length=32)),
                ("code_verifier", fields.CharField(null=True, max_length=128)),
                ("nonce", fields.CharField(null=True, max_length=64)),
                ("redirect_uri", fields.CharField(max_length=500)),
                (
                    "link_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="link_user_id",
                        null=True,
                        description="Set when a signed-in user is linking the provider to their account.",
                        db_constraint=True,
                        to_field="id",
                        related_name="oauth_attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "consumed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "accounts_oauth_attempt",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A sign-in started at a provider, waiting for its callback.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OAuthIdentity",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="identities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("provider", fields.CharField(max_length=32)),
                (
                    "subject",
                    fields.CharField(
                        description="The provider's stable id for the person (`sub`, `openid`, `id`).",
                        max_length=255,
                    ),
                ),
                ("email", fields.CharField(null=True, max_length=254)),
                ("display_name", fields.CharField(default="", max_length=120)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "accounts_oauth_identity",
                "app": "models",
                "unique_together": (("provider", "subject"), ("user", "provider")),
                "pk_attr": "id",
                "table_description": "An account at a third-party provider linked to a user.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Order",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "number",
                    fields.CharField(
                        unique=True,
                        description="Human-friendly and not guessable in sequence, e.g. `TW8K2M4Q`.",
                        max_length=16,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="orders",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("email", fields.CharField(db_index=True, max_length=254)),
                (
                    "status",
                    fields.CharEnumField(
                        default=OrderStatus.PENDING_PAYMENT,
                        db_index=True,
                        description="PENDING_PAYMENT: pending_payment\nPENDING_SHIPMENT: pending_shipment\nSHIPPED: shipped\nDELIVERED: delivered\nCOMPLETED: completed\nCANCELLED: cancelled",
                        enum_type=OrderStatus,
                        max_length=20,
                    ),
                ),
                ("shop_currency", fields.CharField(max_length=3)),
                ("currency", fields.CharField(max_length=3)),
                (
                    "exchange_rate",
                    fields.CharField(
                        default="1",
                        description="Presentment units per shop unit the order was priced at, as a decimal string.",
                        max_length=32,
                    ),
                ),
                ("subtotal", fields.BigIntField(default=0)),
                ("discount_total", fields.BigIntField(default=0)),
                ("shipping_total", fields.BigIntField(default=0)),
                ("total", fields.BigIntField(default=0)),
                ("subtotal_presentment", fields.BigIntField(default=0)),
                ("discount_total_presentment", fields.BigIntField(default=0)),
                ("shipping_total_presentment", fields.BigIntField(default=0)),
                ("total_presentment", fields.BigIntField(default=0)),
                (
                    "refunded_total",
                    fields.BigIntField(
                        default=0, description="Refunded so far, in the shop currency."
                    ),
                ),
                (
                    "ship_country",
                    fields.CharField(
                        default="",
                        db_index=True,
                        description="ISO 3166-1 alpha-2 of the shipping address.",
                        max_length=2,
                    ),
                ),
                (
                    "placed_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "completed_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "orders_order", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CouponUse",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "coupon",
                    fields.ForeignKeyField(
                        "models.Coupon",
                        source_field="coupon_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="uses",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="coupon_uses",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "email",
                    fields.CharField(
                        default="",
                        db_index=True,
                        description="Guests are counted against the per-customer limit by their email.",
                        max_length=254,
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="coupon_uses",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "discount",
                    fields.BigIntField(
                        default=0,
                        description="The discount granted, in minor units of the shop currency.",
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "released_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "coupons_coupon_use",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One use of a coupon by an order, released when the order is cancelled.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderLine",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="order_lines",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="variant_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="order_lines",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("product_name", fields.CharField(max_length=200)),
                ("variant_name", fields.CharField(default="", max_length=200)),
                ("sku", fields.CharField(max_length=64)),
                ("quantity", fields.IntField()),
                ("unit_price", fields.BigIntField()),
                ("unit_price_presentment", fields.BigIntField()),
                ("line_total", fields.BigIntField()),
                ("line_total_presentment", fields.BigIntField()),
            ],
            options={
                "table": "orders_order_line",
                "app": "models",
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PointsEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="points_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("amount", fields.IntField()),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ORDER: order\nCHECK_IN: check_in\nREVIEW: review\nREDEMPTION: redemption\nREFUND: refund\nEXPIRY: expiry\nADJUSTMENT: adjustment",
                        enum_type=PointsKind,
                        max_length=16,
                    ),
                ),
                (
                    "source",
                    fields.CharField(
                        description="What caused the entry, unique per member: `order:42`, `check-in:2026-11-24`, `review:7`.",
                        max_length=80,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=200)),
                (
                    "expires_at",
                    fields.DatetimeField(
                        null=True,
                        description="When the earned points lapse (earns only).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        description="The staff member who made an adjustment.",
                        db_constraint=True,
                        to_field="id",
                        related_name="points_adjustments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "members_points_entry",
                "app": "models",
                "unique_together": (("user", "source"),),
                "pk_attr": "id",
                "table_description": "One earn (positive) or spend (negative) of points.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RefreshToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("family", fields.CharField(db_index=True, max_length=32)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("user_agent", fields.CharField(default="", max_length=200)),
                ("client_address", fields.CharField(default="", max_length=64)),
            ],
            options={
                "table": "accounts_refresh_token",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One refresh token of a session family.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("rating", fields.SmallIntField()),
                ("title", fields.CharField(default="", max_length=120)),
                ("body", fields.TextField(default="", unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReviewStatus.PENDING,
                        description="PENDING: pending\nAPPROVED: approved\nREJECTED: rejected",
                        enum_type=ReviewStatus,
                        max_length=16,
                    ),
                ),
                (
                    "moderated_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="moderated_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="moderated_reviews",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "moderated_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("moderation_note", fields.CharField(default="", max_length=300)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "reviews_review",
                "app": "models",
                "unique_together": (("product", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReviewImage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "review",
                    fields.ForeignKeyField(
                        "models.Review",
                        source_field="review_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="images",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "path",
                    fields.CharField(
                        description="Storage key under the media directory.", max_length=200
                    ),
                ),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                ("position", fields.IntField(default=0)),
            ],
            options={"table": "reviews_review_image", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Reward",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=120)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="COUPON: coupon\nGIFT: gift",
                        enum_type=RewardKind,
                        max_length=16,
                    ),
                ),
                ("points_cost", fields.IntField()),
                (
                    "coupon_template",
                    fields.ForeignKeyField(
                        "models.Coupon",
                        source_field="coupon_template_id",
                        null=True,
                        description="For coupon rewards: the coupon whose terms each issued personal coupon copies.",
                        db_constraint=True,
                        to_field="id",
                        related_name="rewards",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "stock",
                    fields.IntField(
                        null=True, description="How many are left to redeem (null: unlimited)."
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "members_reward",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Something members can redeem points for, defined by staff.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RewardRedemption",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="redemptions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "reward",
                    fields.ForeignKeyField(
                        "models.Reward",
                        source_field="reward_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="redemptions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("points", fields.IntField()),
                (
                    "status",
                    fields.CharEnumField(
                        default=RedemptionStatus.ISSUED,
                        description="ISSUED: issued\nFULFILLED: fulfilled\nCANCELLED: cancelled",
                        enum_type=RedemptionStatus,
                        max_length=16,
                    ),
                ),
                (
                    "coupon",
                    fields.ForeignKeyField(
                        "models.Coupon",
                        source_field="coupon_id",
                        null=True,
                        description="The personal coupon a coupon reward issued.",
                        db_constraint=True,
                        to_field="id",
                        related_name="redemptions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "members_reward_redemption", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VerificationCode",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "purpose",
                    fields.CharEnumField(
                        description="VERIFY_EMAIL: verify_email\nVERIFY_PHONE: verify_phone\nSIGN_IN: sign_in\nRESET_PASSWORD: reset_password",
                        enum_type=CodePurpose,
                        max_length=20,
                    ),
                ),
                (
                    "target",
                    fields.CharField(
                        db_index=True,
                        description="The email address or E.164 phone number the code was sent to.",
                        max_length=254,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="verification_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code_hash", fields.CharField(max_length=64)),
                ("attempts", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "consumed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "accounts_verification_code",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A one-time code sent to an email address or phone number.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Product",
            name="early_access_until",
            field=fields.DatetimeField(
                null=True,
                description="Until then the product is members-first: only tiers with early access see and buy it.",
                auto_now=False,
                auto_now_add=False,
            ),
        ),
    ]
