"""Accounts inputs."""

from __future__ import annotations

import strawberry

from schema.accounts.types import RoleEnum, StaffPermissionEnum


@strawberry.input
class RegisterWithEmailInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters, not a common one.")
    nickname: str = ""
    locale: str | None = None


@strawberry.input
class VerifyEmailInput:
    email: str
    code: str
    password: str = strawberry.field(description="The password given at registration.")


@strawberry.input
class SignInInput:
    login: str = strawberry.field(description="The account's email or phone number (E.164).")
    password: str


@strawberry.input
class RequestPhoneCodeInput:
    phone: str
    region: str | None = strawberry.field(
        default=None, description="ISO country code to read a number without +country code."
    )


@strawberry.input
class SignInWithPhoneCodeInput:
    phone: str
    code: str
    region: str | None = None


@strawberry.input
class ResetPasswordInput:
    login: str
    code: str
    new_password: str


@strawberry.input
class ChangePasswordInput:
    current_password: str | None = strawberry.field(
        default=None, description="Required when the account has a password."
    )
    new_password: str


@strawberry.input
class InviteStaffInput:
    email: str
    role: RoleEnum  # type: ignore[valid-type]
    permissions: list[StaffPermissionEnum] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.input
class SetStaffAccessInput:
    user_id: strawberry.ID
    role: RoleEnum  # type: ignore[valid-type]
    permissions: list[StaffPermissionEnum] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.input
class RequestLoginChangeInput:
    login: str = strawberry.field(description="The new sign-in email or phone number.")
    password: str | None = strawberry.field(
        default=None, description="The account's password, required when it has one."
    )
    region: str | None = None


@strawberry.input
class ConfirmLoginChangeInput:
    login: str
    code: str
    region: str | None = None
