"""Profiles root fields: the member's own profile, avatar, address book and data, and the
staff view of customers. Each checks permission, calls one service and maps the result."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON

from resolvers.common import plain
from schema.accounts.types import UserType
from schema.context import Info
from schema.kit import (
    connection,
    input_pk,
    mutation,
    or_none,
    page_or_error,
    pk_or_none,
    query,
    read_uploads,
)
from schema.members.addresses import AddressType
from schema.members.profiles import (
    CreateAddressInput,
    CreateAddressPayload,
    CustomerConnection,
    CustomerFilter,
    DeleteAddressInput,
    DeleteAddressPayload,
    DeleteMyAccountInput,
    DeleteMyAccountPayload,
    RemoveAvatarPayload,
    SetDefaultAddressInput,
    SetDefaultAddressPayload,
    UpdateAddressInput,
    UpdateAddressPayload,
    UpdateProfileInput,
    UpdateProfilePayload,
    UploadAvatarInput,
    UploadAvatarPayload,
)
from schema.permissions import CanManageCustomers, SignedIn, require_signed_in
from schema.relay import page_request
from services.members import addresses, customers, privacy, profiles

_member: list[type[BasePermission]] = [SignedIn]
_staff: list[type[BasePermission]] = [CanManageCustomers]


def _fields(input: Any, skip: tuple[str, ...] = ("id",)) -> Any:
    """The fields an input gives, as the service's typed dict (enums as their values)."""
    return {key: value for key, value in plain(input).items() if key not in skip}


@strawberry.type
class ProfileQuery:
    @strawberry.field(permission_classes=_staff, description="Customer accounts, the newest first.")
    async def customers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: CustomerFilter | None = None,
    ) -> CustomerConnection:
        given = filter or CustomerFilter()
        service_filter = customers.CustomerFilter(
            search=given.search,
            # An ID of another type matches nobody rather than everybody.
            tier_id=(pk_or_none(given.tier_id, "MembershipTier") or 0) if given.tier_id else None,
            created_after=given.created_after,
            created_before=given.created_before,
            include_deleted=given.include_deleted,
        )
        page = await page_or_error(
            customers.list_customers(
                service_filter,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.user.prime_all(page.items)
        return connection(
            CustomerConnection,
            page,
            [UserType.build(row) for row in page.items],
            lambda: customers.count_customers(service_filter),
        )

    @strawberry.field(
        permission_classes=_staff,
        description="One customer with profile, addresses and purchase history.",
    )
    async def customer(self, info: Info, id: strawberry.ID) -> UserType | None:
        pk = pk_or_none(id, "User")
        row = await or_none(customers.get_customer(pk)) if pk is not None else None
        return UserType.build(row) if row is not None else None

    @query(
        permission_classes=_member,
        description="A copy of everything the shop holds about you, as one JSON document.",
    )
    async def export_my_data(self, info: Info) -> JSON:
        document = await privacy.export_data(
            require_signed_in(info.context.viewer), media_base=info.context.media_base
        )
        return cast(JSON, document)


@strawberry.type
class ProfileMutation:
    @mutation(permission_classes=_member, description="Change your own profile.")
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        user = await profiles.update_profile(
            user_id=require_signed_in(info.context.viewer), fields=_fields(input)
        )
        return UpdateProfilePayload(user=UserType.build(user))

    @mutation(
        permission_classes=_member,
        description="Upload your avatar (multipart request); JPEG, PNG, WebP or GIF.",
    )
    async def upload_avatar(self, info: Info, input: UploadAvatarInput) -> UploadAvatarPayload:
        [data] = await read_uploads([input.file], info.context.settings.max_image_bytes)
        user = await profiles.set_avatar(user_id=require_signed_in(info.context.viewer), data=data)
        return UploadAvatarPayload(user=UserType.build(user))

    @mutation(permission_classes=_member)
    async def remove_avatar(self, info: Info) -> RemoveAvatarPayload:
        user = await profiles.remove_avatar(user_id=require_signed_in(info.context.viewer))
        return RemoveAvatarPayload(user=UserType.build(user))

    @mutation(permission_classes=_member, description="Add an address to your book.")
    async def create_address(self, info: Info, input: CreateAddressInput) -> CreateAddressPayload:
        address = await addresses.create_address(
            user_id=require_signed_in(info.context.viewer),
            fields=_fields(input, skip=("is_default",)),
            make_default=input.is_default,
        )
        return CreateAddressPayload(address=AddressType.build(address))

    @mutation(permission_classes=_member)
    async def update_address(self, info: Info, input: UpdateAddressInput) -> UpdateAddressPayload:
        address = await addresses.update_address(
            user_id=require_signed_in(info.context.viewer),
            address_id=input_pk(input.id, "Address", "id", what="The address"),
            fields=_fields(input),
        )
        return UpdateAddressPayload(address=AddressType.build(address))

    @mutation(
        permission_classes=_member,
        description="Delete an address; deleting the default makes the newest one the default.",
    )
    async def delete_address(self, info: Info, input: DeleteAddressInput) -> DeleteAddressPayload:
        default = await addresses.delete_address(
            user_id=require_signed_in(info.context.viewer),
            address_id=input_pk(input.id, "Address", "id", what="The address"),
        )
        return DeleteAddressPayload(
            deleted_id=input.id, default_address=AddressType.build(default) if default else None
        )

    @mutation(permission_classes=_member)
    async def set_default_address(
        self, info: Info, input: SetDefaultAddressInput
    ) -> SetDefaultAddressPayload:
        address = await addresses.set_default_address(
            user_id=require_signed_in(info.context.viewer),
            address_id=input_pk(input.id, "Address", "id", what="The address"),
        )
        return SetDefaultAddressPayload(address=AddressType.build(address))

    @mutation(
        permission_classes=_member,
        description="Erase your personal data and close your account; orders stay for the "
        "books. Every session ends at once.",
    )
    async def delete_my_account(
        self, info: Info, input: DeleteMyAccountInput
    ) -> DeleteMyAccountPayload:
        deleted_at = await privacy.delete_account(
            user_id=require_signed_in(info.context.viewer),
            password=input.password,
            confirm=input.confirm,
        )
        return DeleteMyAccountPayload(deleted_at=deleted_at)
