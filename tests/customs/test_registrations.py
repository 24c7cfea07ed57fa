"""The shop's registrations: format checks, normalised numbers, and only settings staff may
read or change them, through any route."""

from __future__ import annotations

from typing import Any

import pytest

from models.accounts import Role
from models.customs import MerchantRegistration, RegistrationKind
from services.customs import registrations
from services.customs.setup_errors import CustomsSetupError, CustomsSetupErrorCode
from tests.factories import gid, make_user

Kind = RegistrationKind
ERRORS = "errors { field code message }"
REGISTRATIONS = "{ customsRegistrations { kind number } }"
SET_REGISTRATION = f"""
mutation($input: SetCustomsRegistrationInput!) {{
  setCustomsRegistration(input: $input) {{ registration {{ kind number }} {ERRORS} }}
}}
"""
REMOVE_REGISTRATION = f"""
mutation($input: RemoveCustomsRegistrationInput!) {{
  removeCustomsRegistration(input: $input) {{ kind {ERRORS} }}
}}
"""


@pytest.mark.parametrize(
    ("kind", "given", "kept"),
    [
        (Kind.EORI, "de 1234567890 12345", "DE123456789012345"),
        (Kind.EORI, "gb123456789000", "GB123456789000"),
        (Kind.EORI, "XI123456789000", "XI123456789000"),
        (Kind.EORI, "FR1", "FR1"),
        (Kind.IOSS, "im 276 000 0001", "IM2760000001"),
        (Kind.UK_VAT, "GB 123 4567 89", "GB123456789"),
        (Kind.UK_VAT, "123456789", "GB123456789"),
        (Kind.UK_VAT, "GB123456789012", "GB123456789012"),
        (Kind.UK_VAT, "gbgd001", "GBGD001"),
        (Kind.UK_VAT, "GBHA599", "GBHA599"),
        (Kind.AU_ARN, "3000-0000-0001", "300000000001"),
    ],
)
def test_a_number_in_its_format_is_kept_normalised(kind, given, kept):
    assert registrations.check_number(kind, given) == kept


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (Kind.EORI, "DE"),  # a country code alone
        (Kind.EORI, "ZZ12345"),  # no such country
        (Kind.EORI, "DE1234567890123456"),  # 16 after the country code
        (Kind.EORI, "DE12345_"),
        (Kind.EORI, "ÄE12345"),
        (Kind.IOSS, "IM123456789"),  # 9 digits
        (Kind.IOSS, "EU2760000001"),
        (Kind.UK_VAT, "GB12345678"),
        (Kind.UK_VAT, "GB1234567890"),  # 10 digits
        (Kind.UK_VAT, "GBGD1234"),
        (Kind.UK_VAT, "DE123456789"),
        (Kind.AU_ARN, "30000000000"),  # 11 digits
        (Kind.AU_ARN, "３０００００００００００１"),  # full-width digits
        (Kind.AU_ARN, "ARN300000000001"),
    ],
)
def test_a_number_out_of_its_format_is_refused(kind, given):
    with pytest.raises(CustomsSetupError) as caught:
        registrations.check_number(kind, given)
    (problem,) = caught.value.problems
    assert (problem.code, problem.field) == (
        CustomsSetupErrorCode.INVALID_REGISTRATION_NUMBER,
        ("number",),
    )


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("", CustomsSetupErrorCode.REQUIRED),
        ("   ", CustomsSetupErrorCode.REQUIRED),
        ("1" * 61, CustomsSetupErrorCode.TOO_LONG),
        ("3000\x000000001", CustomsSetupErrorCode.INVALID_REGISTRATION_NUMBER),
    ],
)
def test_empty_long_and_control_characters_are_refused(given, code):
    with pytest.raises(CustomsSetupError) as caught:
        registrations.check_number(Kind.AU_ARN, given)
    assert caught.value.problems[0].code is code


async def test_a_registration_is_set_replaced_and_removed(db):
    first = await registrations.set_registration("ioss", "IM2760000001")
    second = await registrations.set_registration(Kind.IOSS, "IM 276 000 0002")
    assert second.id == first.id and second.number == "IM2760000002"
    await registrations.set_registration(Kind.AU_ARN, "300000000001")
    assert [(r.kind, r.number) for r in await registrations.list_registrations()] == [
        (Kind.AU_ARN, "300000000001"),
        (Kind.IOSS, "IM2760000002"),
    ]
    assert await registrations.remove_registration(Kind.IOSS) is Kind.IOSS
    with pytest.raises(CustomsSetupError) as caught:
        await registrations.remove_registration(Kind.IOSS)
    assert caught.value.problems[0].code is CustomsSetupErrorCode.NOT_FOUND
    with pytest.raises(CustomsSetupError) as caught:
        await registrations.set_registration("vat", "GB123456789")
    assert caught.value.problems[0].code is CustomsSetupErrorCode.INVALID_REGISTRATION_KIND
    assert await MerchantRegistration.all().count() == 1


async def test_settings_staff_keep_registrations_through_the_api(client):
    staff = await make_user(role=Role.STAFF, permissions=("settings",))
    made = await client.query(
        SET_REGISTRATION, {"input": {"kind": "UK_VAT", "number": "gb 123 4567 89"}}, user=staff
    )
    assert made["setCustomsRegistration"] == {
        "registration": {"kind": "UK_VAT", "number": "GB123456789"},
        "errors": [],
    }
    bad = await client.query(
        SET_REGISTRATION, {"input": {"kind": "EORI", "number": "123"}}, user=staff
    )
    assert bad["setCustomsRegistration"]["registration"] is None
    (error,) = bad["setCustomsRegistration"]["errors"]
    assert (error["code"], error["field"]) == ("INVALID_REGISTRATION_NUMBER", ["number"])
    assert "EORI" in error["message"]
    # A registration number is no order number: it is not held to that shape.
    arn = await client.query(
        SET_REGISTRATION, {"input": {"kind": "AU_ARN", "number": "300000000001"}}, user=staff
    )
    assert arn["setCustomsRegistration"]["errors"] == []
    listed = await client.query(REGISTRATIONS, user=staff)
    assert listed["customsRegistrations"] == [
        {"kind": "AU_ARN", "number": "300000000001"},
        {"kind": "UK_VAT", "number": "GB123456789"},
    ]
    removed = await client.query(REMOVE_REGISTRATION, {"input": {"kind": "AU_ARN"}}, user=staff)
    assert removed["removeCustomsRegistration"] == {"kind": "AU_ARN", "errors": []}
    again = await client.query(REMOVE_REGISTRATION, {"input": {"kind": "AU_ARN"}}, user=staff)
    assert [e["code"] for e in again["removeCustomsRegistration"]["errors"]] == ["NOT_FOUND"]


async def test_no_one_else_reads_or_changes_registrations_through_any_route(client):
    row = await MerchantRegistration.create(kind=Kind.IOSS, number="IM2760000001")
    customer = await make_user()
    orders_staff = await make_user(
        role=Role.STAFF, permissions=("orders", "catalog", "customers", "reports", "support")
    )
    documents: tuple[tuple[str, dict[str, Any]], ...] = (
        (REGISTRATIONS, {}),
        (SET_REGISTRATION, {"input": {"kind": "IOSS", "number": "IM2760000009"}}),
        (REMOVE_REGISTRATION, {"input": {"kind": "IOSS"}}),
    )
    for document, variables in documents:
        anonymous = await client.request(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert anonymous["data"] is None
        for user in (customer, orders_staff):
            body = await client.request(document, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            assert "IM2760000001" not in str(body)
    # Registrations are no nodes: no global ID reaches one.
    for type_name in ("CustomsRegistration", "MerchantRegistration"):
        for user in (customer, orders_staff):
            body = await client.request(
                "query($id: ID!) { node(id: $id) { id } }",
                {"id": gid(type_name, row.id)},
                user=user,
            )
            assert body["data"]["node"] is None
    assert [(r.kind, r.number) for r in await MerchantRegistration.all()] == [
        (Kind.IOSS, "IM2760000001")
    ]
