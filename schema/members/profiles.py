"""Profiles inputs and payloads: the member's own profile, avatar, address book and data,
and the staff list of customers.

Optional fields left out of an update input stay as they are; `null` clears them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from schema.accounts.types import GenderEnum, UserType
from schema.geo import CountryCode
from schema.members.addresses import AddressType
from schema.members.errors import MemberPayload
from schema.money import CurrencyCode
from schema.relay import Connection

_unset: Any = strawberry.UNSET


@strawberry.input
class UpdateProfileInput:
    nickname: str | None = strawberry.field(default=_unset, description="1 to 60 characters.")
    gender: GenderEnum | None = _unset  # type: ignore[valid-type]
    birthday: date | None = strawberry.field(default=_unset, description="From 1900 to today.")
    contact_email: str | None = _unset
    contact_phone: str | None = strawberry.field(
        default=_unset, description="Best with its + country code; stored in E.164."
    )
    contact_phone_region: CountryCode | None = strawberry.field(
        default=_unset, description="Country to read a contact phone typed without its + code."
    )
    locale: str | None = strawberry.field(
        default=_unset, description="One of the shop's supported locales."
    )
    currency: CurrencyCode | None = strawberry.field(
        default=_unset, description="Preferred currency."
    )


@strawberry.input
class UploadAvatarInput:
    file: Upload = strawberry.field(description="A JPEG, PNG, WebP or GIF picture.")


@strawberry.input
class CreateAddressInput:
    full_name: str
    company: str | None = None
    line1: str
    line2: str | None = None
    city: str
    region: str | None = strawberry.field(
        default=None, description="State, province or prefecture."
    )
    postal_code: str | None = strawberry.field(
        default=None, description="Required where the country uses postal codes."
    )
    country: CountryCode
    phone: str | None = strawberry.field(
        default=None, description="For the carrier; read in the address's country without +."
    )
    is_default: bool = strawberry.field(
        default=False, description="Make it the default address (the first one always is)."
    )


@strawberry.input
class UpdateAddressInput:
    id: strawberry.ID
    full_name: str | None = _unset
    company: str | None = _unset
    line1: str | None = _unset
    line2: str | None = _unset
    city: str | None = _unset
    region: str | None = _unset
    postal_code: str | None = _unset
    country: CountryCode | None = _unset
    phone: str | None = _unset


@strawberry.input
class DeleteAddressInput:
    id: strawberry.ID


@strawberry.input
class SetDefaultAddressInput:
    id: strawberry.ID


@strawberry.input
class DeleteMyAccountInput:
    password: str | None = strawberry.field(
        default=None, description="Required when the account has a password."
    )
    confirm: str = strawberry.field(description='Type "DELETE" to confirm.')


@strawberry.input
class CustomerFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the email, phone number or nickname."
    )
    tier_id: strawberry.ID | None = strawberry.field(
        default=None, description="Members of this membership tier."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Accounts made at or after this time."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Accounts made before this time."
    )
    include_deleted: bool = strawberry.field(
        default=False, description="Also list deleted (anonymised) accounts."
    )


@strawberry.type(name="CustomerConnection")
class CustomerConnection(Connection[UserType]):
    pass


@strawberry.type
class UpdateProfilePayload(MemberPayload):
    user: UserType | None = None


@strawberry.type
class UploadAvatarPayload(MemberPayload):
    user: UserType | None = None


@strawberry.type
class RemoveAvatarPayload(MemberPayload):
    user: UserType | None = None


@strawberry.type
class CreateAddressPayload(MemberPayload):
    address: AddressType | None = None


@strawberry.type
class UpdateAddressPayload(MemberPayload):
    address: AddressType | None = None


@strawberry.type
class DeleteAddressPayload(MemberPayload):
    deleted_id: strawberry.ID | None = None
    default_address: AddressType | None = strawberry.field(
        default=None, description="The default address afterwards, if any address is left."
    )


@strawberry.type
class SetDefaultAddressPayload(MemberPayload):
    address: AddressType | None = None


@strawberry.type
class DeleteMyAccountPayload(MemberPayload):
    deleted_at: datetime | None = strawberry.field(
        default=None,
        description="When the personal data was erased; every session has ended.",
    )
