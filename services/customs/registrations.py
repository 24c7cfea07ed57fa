"""The shop's customs and tax registrations: its EORI, EU IOSS number, UK VAT number and
Australian ARN, one of each, printed on the documents of the regimes that ask for them.

Numbers are checked by their published formats and kept normalised (no spaces, dots or
dashes; upper-case), so documents print them as the authorities issue them. They are for
staff who keep the shop's settings: no other caller reads them through the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tortoise.exceptions import IntegrityError

from models.customs import MerchantRegistration, RegistrationKind
from services.customs.setup_errors import (
    CustomsSetupError,
    CustomsSetupErrorCode,
    country_code,
    has_control_characters,
    not_found,
)
from services.transactions import atomic

Code = CustomsSetupErrorCode

#: Characters a number may be given with, before it is normalised.
MAX_GIVEN_LENGTH = 60
#: Where an EORI may come from besides an ISO country: Northern Ireland's traders.
EORI_PREFIXES = frozenset({"XI"})

_EORI = re.compile(r"([A-Z]{2})([A-Z0-9]{1,15})")
_IOSS = re.compile(r"IM[0-9]{10}")
_UK_VAT = re.compile(r"GB(?:[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})")
_AU_ARN = re.compile(r"[0-9]{12}")


def _eori(number: str) -> bool:
    match = _EORI.fullmatch(number)
    if match is None:
        return False
    prefix = match.group(1)
    return prefix in EORI_PREFIXES or country_code(prefix) is not None


def _uk_vat(number: str) -> bool:
    return _UK_VAT.fullmatch(number) is not None


#: Each kind's check, and what a valid number looks like.
FORMATS: dict[RegistrationKind, tuple[Callable[[str], bool], str]] = {
    RegistrationKind.EORI: (
        _eori,
        "An EORI number is a 2-letter country code and up to 15 letters or digits, "
        "like DE123456789012345.",
    ),
    RegistrationKind.IOSS: (
        lambda n: _IOSS.fullmatch(n) is not None,
        "An IOSS number is IM and 10 digits, like IM2760000001.",
    ),
    RegistrationKind.UK_VAT: (
        _uk_vat,
        "A UK VAT number is GB and 9 or 12 digits, or GBGD or GBHA and 3 digits, like GB123456789.",
    ),
    RegistrationKind.AU_ARN: (
        lambda n: _AU_ARN.fullmatch(n) is not None,
        "An ARN is 12 digits, like 300000000001.",
    ),
}


def normalise(kind: RegistrationKind, given: str) -> str:
    """A number as it is kept: no spaces, dots or dashes, upper-case; a UK VAT number given
    without its GB prefix gets it."""
    number = re.sub(r"[\s.\-]", "", given).upper()
    if kind is RegistrationKind.UK_VAT and number.isascii() and number.isdigit():
        number = "GB" + number
    return number


def _kind(value: object) -> RegistrationKind:
    try:
        return RegistrationKind(str(value).lower())
    except ValueError:
        raise CustomsSetupError.fail(
            Code.INVALID_REGISTRATION_KIND,
            "A registration is an EORI, IOSS, UK_VAT or AU_ARN number.",
            "kind",
        ) from None


def check_number(kind: RegistrationKind | str, given: object) -> str:
    """The normalised number, or a typed error saying what the kind's numbers look like."""
    checked = _kind(kind)
    text = str(given if given is not None else "")
    if not text.strip():
        raise CustomsSetupError.fail(Code.REQUIRED, "Give the number.", "number")
    if len(text) > MAX_GIVEN_LENGTH:
        raise CustomsSetupError.fail(
            Code.TOO_LONG, f"A number has at most {MAX_GIVEN_LENGTH} characters.", "number"
        )
    if has_control_characters(text):
        raise CustomsSetupError.fail(
            Code.INVALID_REGISTRATION_NUMBER, "A number has no control characters.", "number"
        )
    number = normalise(checked, text)
    valid, example = FORMATS[checked]
    if not (number.isascii() and valid(number)):
        raise CustomsSetupError.fail(Code.INVALID_REGISTRATION_NUMBER, example, "number")
    return number


async def set_registration(kind: RegistrationKind | str, number: str) -> MerchantRegistration:
    """Record (or replace) the shop's number of one kind."""
    checked = _kind(kind)
    normalised = check_number(checked, number)
    try:
        async with atomic():
            row = await MerchantRegistration.filter(kind=checked).select_for_update().first()
            if row is None:
                return await MerchantRegistration.create(kind=checked, number=normalised)
            row.number = normalised
            await row.save(update_fields=["number", "updated_at"])
            return row
    except IntegrityError:  # the same kind recorded at the same moment
        row = await MerchantRegistration.get(kind=checked)
        row.number = normalised
        await row.save(update_fields=["number", "updated_at"])
        return row


async def remove_registration(kind: RegistrationKind | str) -> RegistrationKind:
    """Forget the shop's number of one kind; documents then print none."""
    checked = _kind(kind)
    if not await MerchantRegistration.filter(kind=checked).delete():
        raise not_found("That registration", "kind")
    return checked


async def list_registrations() -> list[MerchantRegistration]:
    """The shop's registrations, by kind."""
    return list(await MerchantRegistration.all().order_by("kind"))
