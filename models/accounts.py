"""Account tables: people who sign in, their sessions, one-time codes and linked providers.

A `User` is a shopper, a staff member or an admin. Profile columns (nickname, avatar,
preferences) sit on the same row because every screen that shows a person needs them.
Secrets are never stored in the clear: passwords as argon2id hashes, refresh tokens and
one-time codes as SHA-256 digests.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.members import MembershipTier


class Role(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    ADMIN = "admin"


class Gender(StrEnum):
    UNSPECIFIED = "unspecified"
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class User(Model):
    id = fields.IntField(primary_key=True)
    #: Sign-in email, lower-cased, unique when present.
    email = fields.CharField(max_length=254, unique=True, null=True)
    email_verified_at = fields.DatetimeField(null=True)
    #: Sign-in phone number in E.164 form, unique when present.
    phone = fields.CharField(max_length=20, unique=True, null=True)
    phone_verified_at = fields.DatetimeField(null=True)
    #: argon2id hash, absent for accounts made through a provider or a phone code.
    password_hash = fields.CharField(max_length=200, null=True)
    role = fields.CharEnumField(Role, max_length=16, default=Role.CUSTOMER)
    #: Named staff permissions (values of `services.auth.StaffPermission`).
    permissions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    #: Raised by a password change or "sign out everywhere": older access tokens stop working.
    token_epoch = fields.IntField(default=0)

    nickname = fields.CharField(max_length=60, default="")
    gender = fields.CharEnumField(Gender, max_length=16, default=Gender.UNSPECIFIED)
    birthday = fields.DateField(null=True)
    contact_email = fields.CharField(max_length=254, null=True)
    contact_phone = fields.CharField(max_length=20, null=True)
    locale = fields.CharField(max_length=16, null=True)
    currency = fields.CharField(max_length=3, null=True)
    #: Storage key of the avatar image under the media directory.
    avatar = fields.CharField(max_length=200, null=True)

    tier: fields.ForeignKeyNullableRelation[MembershipTier] = fields.ForeignKeyField(
        "models.MembershipTier", related_name="members", null=True, on_delete=OnDelete.SET_NULL
    )
    tier_id: int | None
    #: When the tier was last recomputed, and the figures it was computed from.
    tier_evaluated_at = fields.DatetimeField(null=True)

    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    last_sign_in_at = fields.DatetimeField(null=True)
    #: Set when the person deleted the account: personal data is erased, orders stay.
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_user"
        ordering = ["id"]

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class RefreshToken(Model):
    """One refresh token of a session family.

    Signing in starts a family, and each refresh marks the presented token used and issues the
    next one in the same family. Presenting a used token again means it leaked: the whole
    family is revoked.
    """

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=OnDelete.CASCADE
    )
    user_id: int
    family = fields.CharField(max_length=32, db_index=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    user_agent = fields.CharField(max_length=200, default="")
    client_address = fields.CharField(max_length=64, default="")
    #: The user's `token_epoch` when issued: raising the epoch kills the token too.
    epoch = fields.IntField(default=0)

    class Meta:
        table = "accounts_refresh_token"


class CodePurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    VERIFY_PHONE = "verify_phone"
    SIGN_IN = "sign_in"
    RESET_PASSWORD = "reset_password"


class VerificationCode(Model):
    """A one-time code sent to an email address or phone number."""

    id = fields.IntField(primary_key=True)
    purpose = fields.CharEnumField(CodePurpose, max_length=20)
    #: The email address or E.164 phone number the code was sent to.
    target = fields.CharField(max_length=254, db_index=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="verification_codes", null=True, on_delete=OnDelete.CASCADE
    )
    user_id: int | None
    code_hash = fields.CharField(max_length=64)
    attempts = fields.IntField(default=0)
    #: What the code will confirm, such as the password chosen at registration (hashed).
    payload: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    consumed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_verification_code"


class OAuthIdentity(Model):
    """An account at a third-party provider linked to a user."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="identities", on_delete=OnDelete.CASCADE
    )
    user_id: int
    provider = fields.CharField(max_length=32)
    #: The provider's stable id for the person (`sub`, `openid`, `id`).
    subject = fields.CharField(max_length=255)
    email = fields.CharField(max_length=254, null=True)
    display_name = fields.CharField(max_length=120, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_oauth_identity"
        unique_together = (("provider", "subject"), ("user", "provider"))


class OAuthAttempt(Model):
    """A sign-in started at a provider, waiting for its callback.

    Holds the `state` the callback must echo and the PKCE verifier, so nothing secret
    travels through the browser.
    """

    id = fields.IntField(primary_key=True)
    state = fields.CharField(max_length=64, unique=True)
    provider = fields.CharField(max_length=32)
    code_verifier = fields.CharField(max_length=128, null=True)
    nonce = fields.CharField(max_length=64, null=True)
    redirect_uri = fields.CharField(max_length=500)
    #: Set when a signed-in user is linking the provider to their account.
    link_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="oauth_attempts", null=True, on_delete=OnDelete.CASCADE
    )
    link_user_id: int | None
    #: SHA-256 of a secret only the browser that started the sign-in holds.
    binding_hash = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    consumed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accounts_oauth_attempt"


__all__ = [
    "CodePurpose",
    "Gender",
    "OAuthAttempt",
    "OAuthIdentity",
    "RefreshToken",
    "Role",
    "User",
    "VerificationCode",
]
