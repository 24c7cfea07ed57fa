"""The `User` type: a person who signs in, as they see themselves or as staff see them.

A `User` is only ever built for its owner or for staff with the customers permission, so
its fields need no checks of their own.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from models.accounts import Gender, OAuthIdentity, Role, User
from schema.context import Info
from schema.members import loyalty
from schema.members.addresses import AddressType
from schema.members.history import order_history
from schema.orders.types import OrderConnection
from schema.relay import page_request
from schema.store_credit import StoreCreditType
from services.auth import StaffPermission

RoleEnum = strawberry.enum(Role, name="Role")
GenderEnum = strawberry.enum(Gender, name="Gender")
StaffPermissionEnum = strawberry.enum(StaffPermission, name="StaffPermission")


def can_see_user(info: Info, user: User) -> bool:
    """Whether the viewer may see this person's data.

    Themselves; customer-service staff for customers; only admins for staff and admins,
    so that the customers permission does not open the shop's own people.
    """
    viewer = info.context.viewer
    if viewer.user_id == user.id or viewer.is_admin:
        return True
    return user.role == Role.CUSTOMER and viewer.can(StaffPermission.CUSTOMERS)


@strawberry.type(name="LinkedIdentity", description="A third-party account linked for sign-in.")
class LinkedIdentityType:
    provider: str
    email: str | None
    display_name: str
    linked_at: datetime


@strawberry.type(name="User")
class UserType(relay.Node):
    id: relay.NodeID[int]
    email: str | None = strawberry.field(description="Sign-in email, if the account has one.")
    email_verified: bool
    phone: str | None = strawberry.field(description="Sign-in phone number in E.164 form.")
    phone_verified: bool
    has_password: bool
    role: RoleEnum  # type: ignore[valid-type]
    permissions: list[StaffPermissionEnum]  # type: ignore[valid-type]
    nickname: str
    gender: GenderEnum  # type: ignore[valid-type]
    birthday: date | None
    contact_email: str | None
    contact_phone: str | None
    locale: str | None = strawberry.field(description="Preferred language (BCP 47).")
    currency: str | None = strawberry.field(description="Preferred currency (ISO 4217).")
    created_at: datetime
    last_sign_in_at: datetime | None
    is_active: bool = strawberry.field(
        description="False once an admin disabled the account: it cannot sign in."
    )
    deleted_at: datetime | None = strawberry.field(
        description="When the person deleted the account and its personal data was erased."
    )
    _user: strawberry.Private[User]

    @classmethod
    def build(cls, user: User) -> UserType:
        permissions = (
            list(StaffPermission)
            if user.role == Role.ADMIN
            else [
                StaffPermission(p)
                for p in user.permissions
                if p in StaffPermission._value2member_map_
            ]
        )
        return cls(
            id=user.id,
            email=user.email,
            email_verified=user.email_verified_at is not None,
            phone=user.phone,
            phone_verified=user.phone_verified_at is not None,
            has_password=user.password_hash is not None,
            role=Role(user.role),
            permissions=permissions,
            nickname=user.nickname,
            gender=Gender(user.gender),
            birthday=user.birthday,
            contact_email=user.contact_email,
            contact_phone=user.contact_phone,
            locale=user.locale,
            currency=user.currency,
            created_at=user.created_at,
            last_sign_in_at=user.last_sign_in_at,
            is_active=user.is_active,
            deleted_at=user.deleted_at,
            _user=user,
        )

    @strawberry.field(description="Absolute URL of the avatar image, if one was uploaded.")
    def avatar_url(self, info: Info) -> str | None:
        return info.context.media_base + self._user.avatar if self._user.avatar else None

    @strawberry.field(description="Third-party accounts linked for sign-in.")
    async def linked_identities(self) -> list[LinkedIdentityType]:
        rows = await OAuthIdentity.filter(user_id=self._user.id).order_by("provider")
        return [
            LinkedIdentityType(
                provider=row.provider,
                email=row.email,
                display_name=row.display_name,
                linked_at=row.created_at,
            )
            for row in rows
        ]

    # Members fields (tier, points, addresses, purchase history) go below this line.

    @strawberry.field(description="The membership tier reached; null when none is.")
    async def tier(self, info: Info) -> loyalty.MembershipTierType | None:
        return await loyalty.user_tier(info, self._user.tier_id)

    @strawberry.field(description="Points that can be spent now (lapsed points left out).")
    async def points_balance(self, info: Info) -> int:
        return await loyalty.user_balance(info, self._user.id)

    @strawberry.field(description="The next points to lapse unless spent first.")
    async def points_expiring_soon(self, info: Info) -> loyalty.PointsExpiryType | None:
        return await loyalty.user_expiring_soon(info, self._user.id)

    @strawberry.field(description="The points ledger, newest first.")
    async def points_entries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> loyalty.PointsEntryConnection:
        request = page_request(first, after, last, before)
        return await loyalty.user_points_entries(info, self._user.id, request)

    @strawberry.field(
        description="Store credit: balances per currency, spendable at checkout, and history."
    )
    def store_credit(self) -> StoreCreditType:
        return StoreCreditType(_user_id=self._user.id)

    @strawberry.field(description="Whether today's check-in is done, the streak and its points.")
    async def check_in_status(self, info: Info) -> loyalty.CheckInStatusType:
        return await loyalty.user_check_in_status(info, self._user.id)

    @strawberry.field(description="Daily check-ins, newest first.")
    async def check_ins(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> loyalty.CheckInConnection:
        request = page_request(first, after, last, before)
        return await loyalty.user_check_ins(info, self._user.id, request)

    @strawberry.field(description="Rewards redeemed with points, newest first.")
    async def redemptions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> loyalty.RewardRedemptionConnection:
        request = page_request(first, after, last, before)
        return await loyalty.user_redemptions(info, self._user.id, request)

    @strawberry.field(description="The address book, the default address first.")
    async def addresses(self, info: Info) -> list[AddressType]:
        rows = await info.context.loaders.addresses_by_user.load(self._user.id)
        return [AddressType.build(row) for row in rows]

    @strawberry.field(description="Purchase history: the person's orders, newest first.")
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OrderConnection:
        return await order_history(info, self._user.id, page_request(first, after, last, before))
