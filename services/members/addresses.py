"""A member's address book: checked addresses, at most a configured number, exactly one default.

Every query names the owner (`filter(id=..., user_id=...)`), so another member's address
reads as not found. Changes to one book are serialised on the owner's row, so two requests
at once can neither leave two defaults nor pass the size limit.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pycountry
from tortoise.transactions import in_transaction

from models.accounts import User
from models.members import Address
from services.accounts.errors import AccountError
from services.accounts.identifiers import normalize_phone
from services.errors import Problems
from services.members.errors import MemberError, MemberErrorCode, fail, not_found
from services.members.postal_codes import InvalidPostalCode, normalize_postal_code
from settings import get_settings

#: Longest value of each text field, as the columns hold them.
_TEXT_LIMITS = {
    "full_name": 120,
    "company": 120,
    "line1": 200,
    "line2": 200,
    "city": 120,
    "region": 120,
}
_REQUIRED = {"full_name", "line1", "city"}


class AddressFields(TypedDict, total=False):
    full_name: str
    company: str | None
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    #: ISO 3166-1 alpha-2.
    country: str
    phone: str | None


def check_address(fields: AddressFields, *, current: Address | None = None) -> dict[str, Any]:
    """The given fields checked and normalised; raises every problem at once.

    With `current` (an update), fields left out keep their values, but the postal code
    and phone are re-checked against the country the address will have.
    """
    problems = Problems(MemberError)
    clean: dict[str, Any] = {}
    for key, limit in _TEXT_LIMITS.items():
        if key not in fields and current is not None:
            continue
        value = " ".join(str(fields.get(key) or "").split())
        if key in _REQUIRED and not value:
            problems.add(MemberErrorCode.REQUIRED, "This field may not be blank.", key)
        elif len(value) > limit:
            problems.add(MemberErrorCode.INVALID, f"At most {limit} characters are allowed.", key)
        clean[key] = value

    if "country" in fields and fields["country"] is None:
        # Not "keep the current one": an explicit null asks to clear what cannot be cleared.
        problems.add(MemberErrorCode.REQUIRED, "Choose a country.", "country")
        problems.raise_if_any()
    country = str(fields.get("country") or (current.country if current else "")).upper()
    if pycountry.countries.get(alpha_2=country) is None:
        problems.add(MemberErrorCode.INVALID_COUNTRY, "Choose a country.", "country")
        problems.raise_if_any()
    if "country" in fields or current is None:
        clean["country"] = country
    moved = current is not None and country != current.country

    if "postal_code" in fields or moved or current is None:
        given = fields.get("postal_code", current.postal_code if current else None)
        try:
            clean["postal_code"] = normalize_postal_code(country, given)
        except InvalidPostalCode as exc:
            problems.add(MemberErrorCode.INVALID_POSTAL_CODE, str(exc), "postal_code")

    if "phone" in fields or moved:
        phone = fields.get("phone", current.phone if current else None) or ""
        try:
            # A number typed without its + prefix is read as a number of the address's country.
            clean["phone"] = (
                normalize_phone(phone.strip(), "phone", region=country) if phone.strip() else ""
            )
        except AccountError as exc:
            problems.add_from(exc)
    problems.raise_if_any()
    return clean


async def list_addresses(user_id: int) -> list[Address]:
    """The member's addresses, the default first."""
    return await Address.filter(user_id=user_id)


async def get_address(*, user_id: int, address_id: int) -> Address:
    """One of the member's own addresses (for checkout); another member's is NOT_FOUND."""
    address = await Address.get_or_none(id=address_id, user_id=user_id)
    if address is None:
        raise not_found("The address", "id")
    return address


async def default_address(user_id: int) -> Address | None:
    """The member's default address, if the book has any address."""
    return await Address.filter(user_id=user_id, is_default=True).first()


async def _lock_book(user_id: int) -> None:
    """Serialise changes to one member's book (a row lock on PostgreSQL; SQLite already
    runs one write transaction at a time)."""
    owner = await User.filter(id=user_id, deleted_at=None).select_for_update().only("id").first()
    if owner is None:
        raise not_found("The account")


async def create_address(
    *, user_id: int, fields: AddressFields, make_default: bool = False
) -> Address:
    """Add an address; the first one, or one asked to be, becomes the default."""
    clean = check_address(fields)
    limit = get_settings().max_addresses_per_member
    async with in_transaction("default"):
        await _lock_book(user_id)
        count = await Address.filter(user_id=user_id).count()
        if count >= limit:
            raise fail(
                MemberErrorCode.TOO_MANY_ADDRESSES,
                f"An address book holds at most {limit} addresses; delete one first.",
            )
        if make_default and count:
            await Address.filter(user_id=user_id, is_default=True).update(is_default=False)
        return await Address.create(user_id=user_id, is_default=make_default or not count, **clean)


async def update_address(*, user_id: int, address_id: int, fields: AddressFields) -> Address:
    """Change the given fields of one of the member's addresses."""
    async with in_transaction("default"):
        address = await Address.get_or_none(id=address_id, user_id=user_id)
        if address is None:
            raise not_found("The address", "id")
        clean = check_address(fields, current=address)
        changed = [key for key, value in clean.items() if getattr(address, key) != value]
        if changed:
            address.update_from_dict({key: clean[key] for key in changed})
            await address.save(update_fields=[*changed, "updated_at"])
    return address


async def delete_address(*, user_id: int, address_id: int) -> Address | None:
    """Delete one of the member's addresses; returns the default address afterwards.

    Deleting the default makes the most recently added remaining address the default.
    """
    async with in_transaction("default"):
        await _lock_book(user_id)
        address = await Address.get_or_none(id=address_id, user_id=user_id)
        if address is None:
            raise not_found("The address", "id")
        await address.delete()
        if not address.is_default:
            return await default_address(user_id)
        newest = await Address.filter(user_id=user_id).order_by("-created_at", "-id").first()
        if newest is not None:
            newest.is_default = True
            await newest.save(update_fields=["is_default", "updated_at"])
        return newest


async def set_default_address(*, user_id: int, address_id: int) -> Address:
    """Make one of the member's addresses the default, and no other."""
    async with in_transaction("default"):
        await _lock_book(user_id)
        address = await Address.get_or_none(id=address_id, user_id=user_id)
        if address is None:
            raise not_found("The address", "id")
        if not address.is_default:
            await Address.filter(user_id=user_id, is_default=True).update(is_default=False)
            address.is_default = True
            await address.save(update_fields=["is_default", "updated_at"])
    return address
