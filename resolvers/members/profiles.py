"""Profiles root fields: the member's own profile, avatar, address book and data, and the
staff view of customers. Each checks permission, calls one service and maps the result."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.permission import BasePermission
from strawberry.scalars import JSON

from resolvers.common import page_or_error, plain
from schema.accounts.types import UserType
from schema.context import Info
from schema.errors import BadUserInput
from schema.members.addresses import AddressType
from schema.members.errors import member_errors
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
from schema.relay import decode_id, edges_of, page_request
from services.members import addresses, customers, privacy, profiles
from services.members.errors import MemberError, not_found

_member: list[type[BasePermission]] = [SignedIn]
_staff: list[type[BasePermission]] = [CanManageCustomers]


def _address_pk(value: str) -> int:
    """The key of an Address global ID; anything else reads as a missing address."""
    pk = decode_id(value, "Address")
    if pk is None:
        raise not_found("The address", "id")
    return pk


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
            tier_id=(decode_id(given.tier_id, "MembershipTier") or 0) if given.tier_id else None,
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
        edges, page_info = edges_of(page, [UserType.build(row) for row in page.items])
        return CustomerConnection(
            edges=edges,
            page_info=page_info,
            _count=lambda: customers.count_customers(service_filter),
        )

    @strawberry.field(
        permission_classes=_staff,
        description="One customer with profile, addresses and purchase history.",
    )
    async def customer(self, info: Info, id: strawberry.ID) -> UserType | None:
        pk = decode_id(id, "User")
        if pk is None:
            return None
        try:
            return UserType.build(await customers.get_customer(pk))
        except MemberError:
            return None

    @strawberry.field(
        permission_classes=_member,
        description="A copy of everything the shop holds about you, as one JSON document.",
    )
    async def export_my_data(self, info: Info) -> JSON:
        try:
            document = await privacy.export_data(
                require_signed_in(info.context.viewer), media_base=info.context.media_base
            )
        except MemberError as exc:
            raise BadUserInput.from_service_error(exc) from None
        return cast(JSON, document)


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(permission_classes=_member, description="Change your own profile.")
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        try:
            user = await profiles.update_profile(
                user_id=require_signed_in(info.context.viewer), fields=_fields(input)
            )
        except MemberError as exc:
            return UpdateProfilePayload(errors=member_errors(exc))
        return UpdateProfilePayload(user=UserType.build(user))

    @strawberry.mutation(
        permission_classes=_member,
        description="Upload your avatar (multipart request); JPEG, PNG, WebP or GIF.",
    )
    async def upload_avatar(self, info: Info, input: UploadAvatarInput) -> UploadAvatarPayload:
        upload = cast(UploadFile, input.file)  # what Strawberry hands over for `Upload`
        try:
            # One byte past the limit is enough to know the file is too large.
            data = await upload.read(info.context.settings.max_image_bytes + 1)
            user = await profiles.set_avatar(
                user_id=require_signed_in(info.context.viewer), data=data
            )
        except MemberError as exc:
            return UploadAvatarPayload(errors=member_errors(exc))
        finally:
            await upload.close()
        return UploadAvatarPayload(user=UserType.build(user))

    @strawberry.mutation(permission_classes=_member)
    async def remove_avatar(self, info: Info) -> RemoveAvatarPayload:
        try:
            user = await profiles.remove_avatar(user_id=require_signed_in(info.context.viewer))
        except MemberError as exc:
            return RemoveAvatarPayload(errors=member_errors(exc))
        return RemoveAvatarPayload(user=UserType.build(user))

    @strawberry.mutation(permission_classes=_member, description="Add an address to your book.")
    async def create_address(self, info: Info, input: CreateAddressInput) -> CreateAddressPayload:
        try:
            address = await addresses.create_address(
                user_id=require_signed_in(info.context.viewer),
                fields=_fields(input, skip=("is_default",)),
                make_default=input.is_default,
            )
        except MemberError as exc:
            return CreateAddressPayload(errors=member_errors(exc))
        return CreateAddressPayload(address=AddressType.build(address))

    @strawberry.mutation(permission_classes=_member)
    async def update_address(self, info: Info, input: UpdateAddressInput) -> UpdateAddressPayload:
        try:
            address = await addresses.update_address(
                user_id=require_signed_in(info.context.viewer),
                address_id=_address_pk(input.id),
                fields=_fields(input),
            )
        except MemberError as exc:
            return UpdateAddressPayload(errors=member_errors(exc))
        return UpdateAddressPayload(address=AddressType.build(address))

    @strawberry.mutation(
        permission_classes=_member,
        description="Delete an address; deleting the default makes the newest one the default.",
    )
    async def delete_address(self, info: Info, input: DeleteAddressInput) -> DeleteAddressPayload:
        try:
            default = await addresses.delete_address(
                user_id=require_signed_in(info.context.viewer), address_id=_address_pk(input.id)
            )
        except MemberError as exc:
            return DeleteAddressPayload(errors=member_errors(exc))
        return DeleteAddressPayload(
            deleted_id=input.id, default_address=AddressType.build(default) if default else None
        )

    @strawberry.mutation(permission_classes=_member)
    async def set_default_address(
        self, info: Info, input: SetDefaultAddressInput
    ) -> SetDefaultAddressPayload:
        try:
            address = await addresses.set_default_address(
                user_id=require_signed_in(info.context.viewer), address_id=_address_pk(input.id)
            )
        except MemberError as exc:
            return SetDefaultAddressPayload(errors=member_errors(exc))
        return SetDefaultAddressPayload(address=AddressType.build(address))

    @strawberry.mutation(
        permission_classes=_member,
        description="Erase your personal data and close your account; orders stay for the "
        "books. Every session ends at once.",
    )
    async def delete_my_account(
        self, info: Info, input: DeleteMyAccountInput
    ) -> DeleteMyAccountPayload:
        try:
            deleted_at = await privacy.delete_account(
                user_id=require_signed_in(info.context.viewer),
                password=input.password,
                confirm=input.confirm,
            )
        except MemberError as exc:
            return DeleteMyAccountPayload(errors=member_errors(exc))
        return DeleteMyAccountPayload(deleted_at=deleted_at)
