"""Accounts mutations: registration, sign-in, sessions, passwords and staff access.

Each calls one service and maps its result; expected failures become payload `errors`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from models.accounts import Role
from resolvers.accounts.common import client_info
from schema.accounts import inputs
from schema.accounts.payloads import (
    AccountPayload,
    RegisterPayload,
    SessionPayload,
    SessionType,
    UserPayload,
)
from schema.accounts.types import UserType
from schema.context import Info
from schema.kit import input_pk, mutation
from schema.permissions import AdminOnly, SignedIn, require_signed_in
from services.accounts import logins, sessions, signin, staff
from services.accounts.sessions import Session
from services.auth import StaffPermission

P = TypeVar("P", bound=AccountPayload)


async def _session(call: Awaitable[Session]) -> SessionPayload:
    return SessionPayload(session=SessionType.build(await call))


async def _done(call: Awaitable[object]) -> AccountPayload:
    await call
    return AccountPayload()


async def _user(call: Callable[[], Awaitable[object]]) -> UserPayload:
    user = await call()
    return UserPayload(user=UserType.build(user))  # type: ignore[arg-type]


@strawberry.type
class AccountsMutation:
    @mutation(description="Open a customer account; a code is emailed to confirm it.")
    async def register_with_email(
        self, info: Info, input: inputs.RegisterWithEmailInput
    ) -> RegisterPayload:
        address = await signin.register_with_email(
            input.email,
            input.password,
            info.context.settings,
            client_info(info),
            nickname=input.nickname,
            locale=input.locale,
        )
        return RegisterPayload(email=address)

    @mutation(description="Send a new confirmation code to an unconfirmed address.")
    async def resend_email_verification(self, info: Info, email: str) -> AccountPayload:
        return await _done(
            signin.resend_email_verification(email, info.context.settings, client_info(info))
        )

    @mutation(
        description="Open the registered account with the emailed code and the password "
        "given at registration, and sign in."
    )
    async def verify_email(self, info: Info, input: inputs.VerifyEmailInput) -> SessionPayload:
        return await _session(
            signin.verify_email(
                input.email, input.code, input.password, info.context.settings, client_info(info)
            )
        )

    @mutation(description="Sign in with an email or phone number and a password.")
    async def sign_in(self, info: Info, input: inputs.SignInInput) -> SessionPayload:
        return await _session(
            signin.sign_in_with_password(
                input.login, input.password, info.context.settings, client_info(info)
            )
        )

    @mutation(description="Text a sign-in code to a phone number.")
    async def request_phone_code(
        self, info: Info, input: inputs.RequestPhoneCodeInput
    ) -> AccountPayload:
        return await _done(
            signin.request_phone_code(
                input.phone, info.context.settings, client_info(info), region=input.region
            )
        )

    @mutation(description="Sign in with the texted code; the account is opened on first sign-in.")
    async def sign_in_with_phone_code(
        self, info: Info, input: inputs.SignInWithPhoneCodeInput
    ) -> SessionPayload:
        return await _session(
            signin.sign_in_with_phone_code(
                input.phone,
                input.code,
                info.context.settings,
                client_info(info),
                region=input.region,
            )
        )

    @mutation(
        description="Exchange a refresh token, once, for new tokens. Reusing one signs out "
        "every device of that sign-in."
    )
    async def refresh_session(self, info: Info, refresh_token: str) -> SessionPayload:
        return await _session(
            sessions.refresh_session(refresh_token, info.context.settings, client_info(info))
        )

    @mutation(description="End the sign-in this refresh token belongs to.")
    async def sign_out(self, refresh_token: str) -> AccountPayload:
        return await _done(sessions.sign_out(refresh_token))

    @mutation(permission_classes=[SignedIn], description="End every sign-in of this account.")
    async def sign_out_everywhere(self, info: Info) -> AccountPayload:
        return await _done(sessions.sign_out_everywhere(require_signed_in(info.context.viewer)))

    @mutation(description="Send a password reset code to an email or phone number.")
    async def request_password_reset(self, info: Info, login: str) -> AccountPayload:
        return await _done(
            signin.request_password_reset(login, info.context.settings, client_info(info))
        )

    @mutation(description="Choose a new password with the reset code; every other sign-in ends.")
    async def reset_password(self, info: Info, input: inputs.ResetPasswordInput) -> SessionPayload:
        return await _session(
            signin.reset_password(
                input.login,
                input.code,
                input.new_password,
                info.context.settings,
                client_info(info),
            )
        )

    @mutation(
        permission_classes=[SignedIn],
        description="Change the password; every other sign-in ends, this one is renewed.",
    )
    async def change_password(
        self, info: Info, input: inputs.ChangePasswordInput
    ) -> SessionPayload:
        return await _session(
            signin.change_password(
                require_signed_in(info.context.viewer),
                input.current_password,
                input.new_password,
                info.context.settings,
                client_info(info),
            )
        )

    @mutation(
        permission_classes=[AdminOnly],
        description="Give staff access to an email address, inviting it when it has no account.",
    )
    async def invite_staff(self, info: Info, input: inputs.InviteStaffInput) -> UserPayload:
        return await _user(
            lambda: staff.invite_staff(
                input.email,
                Role(input.role),
                [StaffPermission(p).value for p in input.permissions],
                info.context.settings,
            )
        )

    @mutation(
        permission_classes=[AdminOnly],
        description="Make a user a customer, staff with named permissions, or an admin.",
    )
    async def set_staff_access(self, input: inputs.SetStaffAccessInput) -> UserPayload:
        return await _user(
            lambda: staff.set_staff_access(
                input_pk(input.user_id, "User", "userId", what="This user"),
                Role(input.role),
                [StaffPermission(p).value for p in input.permissions],
            )
        )

    @mutation(
        permission_classes=[AdminOnly], description="Stop an account from signing in, at once."
    )
    async def disable_account(self, info: Info, user_id: strawberry.ID) -> UserPayload:
        actor = require_signed_in(info.context.viewer)
        return await _user(
            lambda: staff.disable_account(
                input_pk(user_id, "User", "userId", what="This user"), actor
            )
        )

    @mutation(permission_classes=[AdminOnly], description="Let an account sign in again.")
    async def enable_account(self, user_id: strawberry.ID) -> UserPayload:
        return await _user(
            lambda: staff.enable_account(input_pk(user_id, "User", "userId", what="This user"))
        )

    @mutation(
        permission_classes=[SignedIn],
        description="Send a code to a new sign-in email or phone number for this account.",
    )
    async def request_login_change(
        self, info: Info, input: inputs.RequestLoginChangeInput
    ) -> AccountPayload:
        return await _done(
            logins.request_login_change(
                require_signed_in(info.context.viewer),
                input.login,
                input.password,
                info.context.settings,
                client_info(info),
                region=input.region,
            )
        )

    @mutation(
        permission_classes=[SignedIn],
        description="Sign in with the new email or phone number from now on, once its code "
        "comes back; every other sign-in ends and this one is renewed.",
    )
    async def confirm_login_change(
        self, info: Info, input: inputs.ConfirmLoginChangeInput
    ) -> SessionPayload:
        return await _session(
            logins.confirm_login_change(
                require_signed_in(info.context.viewer),
                input.login,
                input.code,
                info.context.settings,
                client_info(info),
                region=input.region,
            )
        )
