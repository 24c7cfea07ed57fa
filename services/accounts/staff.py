"""Staff access: who works in the shop and what each may do. Only admins change it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import CodePurpose, Role, User
from services import messaging
from services.accounts import passwords
from services.accounts.codes import issue_code
from services.accounts.errors import AccountErrorCode, fail
from services.accounts.identifiers import normalize_email
from services.accounts.sessions import sign_out_everywhere
from services.auth import StaffPermission
from settings import Settings


def _permissions(values: Iterable[str]) -> list[str]:
    chosen = []
    for value in values:
        if value not in StaffPermission._value2member_map_:
            raise fail(
                AccountErrorCode.INVALID_PERMISSION,
                f"{value!r} is not a permission.",
                "permissions",
            )
        if value not in chosen:
            chosen.append(value)
    return sorted(chosen)


async def _lock_admins() -> list[int]:
    """Ids of the active admins, their rows locked until the transaction ends.

    Every change that can remove an admin takes these locks first, in id order, so two
    admins removing each other at once cannot leave the shop with none, nor deadlock.
    """
    admins = (
        await User.filter(role=Role.ADMIN, is_active=True, deleted_at=None)
        .order_by("id")
        .select_for_update()
    )
    return [admin.id for admin in admins]


async def set_staff_access(user_id: int, role: Role, permissions: Iterable[str]) -> User:
    """Makes the user a customer, staff with `permissions`, or an admin.

    The last active admin cannot be demoted, so the shop can never lock itself out.
    Changing someone's access ends their sessions: old tokens carried the old role.
    """
    chosen = _permissions(permissions) if role is Role.STAFF else []
    async with in_transaction("default"):
        admins = await _lock_admins()
        user = await User.filter(id=user_id, deleted_at=None).select_for_update().first()
        if user is None:
            raise fail(AccountErrorCode.NOT_FOUND, "This user does not exist.", "user_id")
        if user.role == Role.ADMIN and role is not Role.ADMIN and admins == [user.id]:
            raise fail(AccountErrorCode.LAST_ADMIN, "The shop needs at least one admin.", "role")
        changed = user.role != role or sorted(user.permissions) != chosen
        user.role = role
        user.permissions = chosen
        await user.save(update_fields=["role", "permissions", "updated_at"])
    if changed:
        await sign_out_everywhere(user.id)
    return user


async def invite_staff(
    email: str, role: Role, permissions: Iterable[str], settings: Settings
) -> User:
    """Gives staff access to the account with this email, making one if there is none.

    A new account has no password: the invitation carries a reset code that sets one.
    """
    if role is Role.CUSTOMER:
        raise fail(AccountErrorCode.INVALID, "Invite staff or admins only.", "role")
    address = normalize_email(email, "email")
    user = await User.get_or_none(email=address)
    if user is None:
        try:
            user = await User.create(email=address)
        except IntegrityError:
            raise fail(AccountErrorCode.EMAIL_TAKEN, "An account with this email exists.") from None
        code = await issue_code(CodePurpose.RESET_PASSWORD, address, settings, user_id=user.id)
        minutes = settings.code_seconds // 60
        await messaging.send_email(
            address,
            "You are invited to run the shop",
            "You were given staff access to the Tradewind shop.\n\n"
            f"Choose your password with the code {code} (valid {minutes} minutes), "
            "or ask for a new code from the password reset page.\n",
        )
    elif user.is_deleted:
        raise fail(AccountErrorCode.NOT_FOUND, "This account was deleted.", "email")
    return await set_staff_access(user.id, role, permissions)


async def disable_account(user_id: int, actor_id: int) -> User:
    """Stops an account from signing in, at once; it can be enabled again."""
    if user_id == actor_id:
        raise fail(AccountErrorCode.INVALID, "You cannot disable your own account.", "user_id")
    async with in_transaction("default"):
        admins = await _lock_admins()
        user = await User.filter(id=user_id, deleted_at=None).select_for_update().first()
        if user is None:
            raise fail(AccountErrorCode.NOT_FOUND, "This user does not exist.", "user_id")
        if user.role == Role.ADMIN and user.is_active and admins == [user.id]:
            raise fail(AccountErrorCode.LAST_ADMIN, "The shop needs at least one admin.", "user_id")
        user.is_active = False
        await user.save(update_fields=["is_active", "updated_at"])
    await sign_out_everywhere(user.id)
    return user


async def enable_account(user_id: int) -> User:
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise fail(AccountErrorCode.NOT_FOUND, "This user does not exist.", "user_id")
    user.is_active = True
    await user.save(update_fields=["is_active", "updated_at"])
    return user


async def create_admin(email: str, password: str) -> tuple[User, bool]:
    """The first admin (or any admin) from the command line: (user, whether it was created).

    An existing account with this email is promoted and given the password.
    """
    address = normalize_email(email, "email")
    passwords.check_policy(password, identifiers=(address,))
    password_hash = await passwords.hash_password(password)
    now = datetime.now(UTC)
    async with in_transaction("default"):
        user = await User.get_or_none(email=address)
        created = user is None
        if user is None:
            user = await User.create(
                email=address,
                email_verified_at=now,
                password_hash=password_hash,
                role=Role.ADMIN,
            )
        else:
            user.role = Role.ADMIN
            user.permissions = []
            user.password_hash = password_hash
            user.is_active = True
            user.email_verified_at = user.email_verified_at or now
            await user.save()
    return user, created
