"""Profile rules in services: postal codes per country, birthday bounds, the default address."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from models.members import Address
from services.members import addresses, profiles
from services.members.errors import MemberError, MemberErrorCode
from services.members.postal_codes import (
    FORMATS,
    NOT_USED,
    InvalidPostalCode,
    normalize_postal_code,
)
from tests.factories import make_user


def codes(exc: MemberError) -> list[str]:
    return [p.code.name for p in exc.problems]


@pytest.mark.parametrize(
    ("country", "typed", "canonical"),
    [
        ("US", "94105", "94105"),
        ("US", "94105 1804", "94105-1804"),
        ("CA", "k1a0b1", "K1A 0B1"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "m1 1ae", "M1 1AE"),
        ("GB", "DN551PT", "DN55 1PT"),
        ("GB", "ec1a 1bb", "EC1A 1BB"),
        ("GB", "gir0aa", "GIR 0AA"),
        ("DE", " 10115 ", "10115"),
        ("FR", "75008", "75008"),
        ("IT", "00184", "00184"),
        ("ES", "28013", "28013"),
        ("NL", "1012ab", "1012 AB"),
        ("BE", "1000", "1000"),
        ("AT", "1010", "1010"),
        ("CH", "8001", "8001"),
        ("SE", "11455", "114 55"),
        ("PL", "00950", "00-950"),
        ("PT", "1100 148", "1100-148"),
        ("IE", "d02x285", "D02 X285"),
        ("IE", "D6W FX24", "D6W FX24"),
        ("JP", "1000001", "100-0001"),
        ("JP", "100-0001", "100-0001"),
        ("CN", "100000", "100000"),
        ("KR", "03187", "03187"),
        ("AU", "2000", "2000"),
        ("NZ", "6011", "6011"),
        ("IN", "110 001", "110001"),
        ("BR", "01310100", "01310-100"),
        ("MX", "06600", "06600"),
        ("SG", "018956", "018956"),
    ],
)
def test_postal_codes_are_written_the_way_the_country_writes_them(country, typed, canonical):
    assert normalize_postal_code(country, typed) == canonical


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("US", "9410"),
        ("US", "ABCDE"),
        ("CA", "D1A 0B1"),  # D is never the first letter
        ("GB", "SW1A 1A"),
        ("GB", "QA1 1AA"),  # Q is never the first letter
        ("DE", "1011"),
        ("ES", "53001"),  # provinces run 01 to 52
        ("NL", "0123 AB"),
        ("NL", "1012 SS"),
        ("SE", "01234"),
        ("PL", "00-95"),
        ("IE", "B02 X285"),  # B is not a routing-key letter
        ("JP", "100-001"),
        ("CN", "000000"),
        ("IN", "012345"),
        ("BR", "1310-100"),
        ("SG", "12345"),
    ],
)
def test_postal_codes_that_do_not_fit_the_country_are_refused(country, typed):
    with pytest.raises(InvalidPostalCode):
        normalize_postal_code(country, typed)


def test_every_main_destination_is_in_the_table():
    main = {
        "US",
        "CA",
        "GB",
        "DE",
        "FR",
        "IT",
        "ES",
        "NL",
        "BE",
        "AT",
        "CH",
        "SE",
        "PL",
        "PT",
        "IE",
        "JP",
        "CN",
        "KR",
        "AU",
        "NZ",
        "IN",
        "BR",
        "MX",
        "SG",
    }
    assert main <= set(FORMATS)
    assert {"HK", "AE"} <= NOT_USED


def test_a_country_that_uses_postal_codes_requires_one():
    with pytest.raises(InvalidPostalCode, match="Germany need a postal code"):
        normalize_postal_code("DE", "  ")


def test_eircode_is_optional():
    assert normalize_postal_code("IE", "") == ""


def test_countries_without_postal_codes_drop_what_was_typed():
    assert normalize_postal_code("HK", "999077") == ""
    assert normalize_postal_code("AE", None) == ""


def test_other_countries_accept_a_tidy_short_code():
    assert normalize_postal_code("TH", " 10330 ") == "10330"
    assert normalize_postal_code("AR", "c1002  aaa") == "C1002 AAA"
    assert normalize_postal_code("TH", "") == ""
    with pytest.raises(InvalidPostalCode):
        normalize_postal_code("TH", "10330; DROP")


def test_birthday_bounds():
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert profiles.check_birthday(date(1990, 5, 17), now=now) is None
    assert profiles.check_birthday(date(1900, 1, 1), now=now) is None
    assert profiles.check_birthday(date(1899, 12, 31), now=now) is not None
    assert profiles.check_birthday(date(2026, 11, 24), now=now) is None
    # Already the 25th in Kiribati (UTC+14), not yet the 26th anywhere.
    assert profiles.check_birthday(date(2026, 11, 25), now=now) is None
    assert profiles.check_birthday(date(2026, 11, 26), now=now) is not None


def test_check_address_reports_every_problem_at_once():
    with pytest.raises(MemberError) as caught:
        addresses.check_address(
            {
                "full_name": " ",
                "line1": "1 Main St",
                "city": "",
                "country": "US",
                "postal_code": "1",
            }
        )
    fields = {p.field: p.code for p in caught.value.problems}
    assert fields == {
        ("full_name",): MemberErrorCode.REQUIRED,
        ("city",): MemberErrorCode.REQUIRED,
        ("postal_code",): MemberErrorCode.INVALID_POSTAL_CODE,
    }


def test_check_address_reads_a_local_phone_in_the_address_country():
    clean = addresses.check_address(
        {
            "full_name": "Ada Lovelace",
            "line1": "10 Downing St",
            "city": "London",
            "country": "GB",
            "postal_code": "sw1a2aa",
            "phone": "020 7946 0958",
        }
    )
    assert clean["phone"] == "+442079460958" and clean["postal_code"] == "SW1A 2AA"


def test_check_address_refuses_an_unknown_country():
    with pytest.raises(MemberError) as caught:
        addresses.check_address({"full_name": "A", "line1": "B", "city": "C", "country": "XX"})
    assert codes(caught.value) == ["INVALID_COUNTRY"]


def _fields(n: int) -> addresses.AddressFields:
    return {
        "full_name": f"Person {n}",
        "line1": f"{n} Rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
    }


async def test_the_first_address_becomes_the_default(db):
    user = await make_user()
    first = await addresses.create_address(user_id=user.id, fields=_fields(1))
    second = await addresses.create_address(user_id=user.id, fields=_fields(2))
    assert first.is_default and not second.is_default


async def test_deleting_the_default_promotes_the_most_recent_address(db):
    user = await make_user()
    first = await addresses.create_address(user_id=user.id, fields=_fields(1))
    second = await addresses.create_address(user_id=user.id, fields=_fields(2))
    third = await addresses.create_address(user_id=user.id, fields=_fields(3))
    await addresses.set_default_address(user_id=user.id, address_id=second.id)
    promoted = await addresses.delete_address(user_id=user.id, address_id=second.id)
    assert promoted is not None and promoted.id == third.id
    defaults = await Address.filter(user_id=user.id, is_default=True).values_list("id", flat=True)
    assert defaults == [third.id]
    kept = await addresses.delete_address(user_id=user.id, address_id=first.id)
    assert kept is not None and kept.id == third.id
    assert await addresses.delete_address(user_id=user.id, address_id=third.id) is None


async def test_a_new_default_address_takes_over_from_the_old_one(db):
    user = await make_user()
    first = await addresses.create_address(user_id=user.id, fields=_fields(1))
    second = await addresses.create_address(user_id=user.id, fields=_fields(2), make_default=True)
    assert second.is_default
    assert not (await Address.get(id=first.id)).is_default


async def test_the_address_book_has_a_limit(db, settings, monkeypatch):
    monkeypatch.setattr(settings, "max_addresses_per_member", 2)
    user = await make_user()
    for n in range(2):
        await addresses.create_address(user_id=user.id, fields=_fields(n))
    with pytest.raises(MemberError) as caught:
        await addresses.create_address(user_id=user.id, fields=_fields(3))
    assert codes(caught.value) == ["TOO_MANY_ADDRESSES"]
    assert await Address.filter(user_id=user.id).count() == 2


async def test_another_members_address_is_not_found(db):
    owner, other = await make_user(), await make_user()
    address = await addresses.create_address(user_id=owner.id, fields=_fields(1))
    for call in (
        addresses.get_address(user_id=other.id, address_id=address.id),
        addresses.set_default_address(user_id=other.id, address_id=address.id),
        addresses.update_address(user_id=other.id, address_id=address.id, fields={"city": "X"}),
        addresses.delete_address(user_id=other.id, address_id=address.id),
    ):
        with pytest.raises(MemberError) as caught:
            await call
        assert codes(caught.value) == ["NOT_FOUND"]
    assert (await Address.get(id=address.id)).city == "Paris"


async def test_moving_an_address_to_another_country_rechecks_its_postal_code(db):
    user = await make_user()
    address = await addresses.create_address(user_id=user.id, fields=_fields(1))
    with pytest.raises(MemberError) as caught:
        await addresses.update_address(
            user_id=user.id, address_id=address.id, fields={"country": "GB"}
        )
    assert codes(caught.value) == ["INVALID_POSTAL_CODE"]
    moved = await addresses.update_address(
        user_id=user.id, address_id=address.id, fields={"country": "HK"}
    )
    assert (moved.country, moved.postal_code) == ("HK", "")


async def test_concurrent_first_addresses_leave_exactly_one_default(db):
    user = await make_user()
    await asyncio.gather(
        *(addresses.create_address(user_id=user.id, fields=_fields(n)) for n in range(6))
    )
    assert await Address.filter(user_id=user.id).count() == 6
    assert await Address.filter(user_id=user.id, is_default=True).count() == 1
