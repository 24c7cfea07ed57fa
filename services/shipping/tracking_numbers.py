"""Tracking numbers: normalised, recognised by their format, and checked by their check digit.

A number is trimmed, its spaces (and other ASCII blanks) removed and its letters upper-cased,
so `rb 1234 5678 5 gb` and `RB123456785GB` are one number. It is then judged:

- VALID: a format the shop knows, and its check digit adds up;
- INVALID_CHECK_DIGIT: a known format whose check digit does not (a mistyped digit, most
  often); the expected digit is given;
- UNKNOWN_FORMAT: no format the shop knows (a local courier's): taken as it is;
- INVALID_FORMAT: no tracking number at all (empty, too long, not printable ASCII), or a known
  format broken beyond its check digit (a UPS number of 17 characters).

Two formats are unmistakable and are always checked: the UPU S10 number of the world's postal
services (`RB123456785GB`) and UPS's `1Z` numbers. The all-digit formats of FedEx, DHL Express
and USPS overlap with every local courier's plain serial numbers (one random 10-digit number in
seven passes DHL's check), so they are checked only against the carrier chosen for the parcel,
or, with no carrier chosen, only named when their check digit adds up.

Carriers reuse numbers after a while, so a number identifies a parcel together with its carrier
and shipment; nothing here (nor any index) makes a number unique across the shop.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

import pycountry

from models.shipping import Carrier
from services.shipping import carriers
from services.shipping.errors import not_found

#: The longest number taken; every carrier's format is far shorter.
MAX_LENGTH = 80
_BLANKS = re.compile(r"[ \t\r\n\f\v]+")
_PRINTABLE = re.compile(r"[!-~]+")  # printable ASCII without the space
_S10 = re.compile(r"([A-Z]{2})([0-9]{8})([0-9])([A-Z]{2})")
_UPS = re.compile(r"1Z[A-Z0-9]{16}")


class TrackingCarrier(Enum):
    """A carrier (or family of carriers) a number's format names."""

    UPU_S10 = "upu_s10"
    UPS = "ups"
    FEDEX = "fedex"
    DHL_EXPRESS = "dhl_express"
    USPS = "usps"


class Validity(Enum):
    VALID = "valid"
    INVALID_CHECK_DIGIT = "invalid_check_digit"
    UNKNOWN_FORMAT = "unknown_format"
    INVALID_FORMAT = "invalid_format"


class PostalService(Enum):
    """The service a UPU S10 number's first letter names (S10, service indicator codes)."""

    EMS = "ems"
    PARCEL = "parcel"
    ECOMMERCE_PARCEL = "ecommerce_parcel"
    TRACKED_LETTER = "tracked_letter"
    REGISTERED = "registered"
    INSURED = "insured"
    UNREGISTERED = "unregistered"
    PRINTED_MATTER = "printed_matter"
    BUSINESS_REPLY = "business_reply"
    DOMESTIC = "domestic"


CARRIER_NAMES = {
    TrackingCarrier.UPU_S10: "UPU S10 postal",
    TrackingCarrier.UPS: "UPS",
    TrackingCarrier.FEDEX: "FedEx",
    TrackingCarrier.DHL_EXPRESS: "DHL Express",
    TrackingCarrier.USPS: "USPS",
}

SERVICE_NAMES = {
    PostalService.EMS: "EMS",
    PostalService.PARCEL: "parcel post",
    PostalService.ECOMMERCE_PARCEL: "e-commerce parcel",
    PostalService.TRACKED_LETTER: "tracked letter or small packet",
    PostalService.REGISTERED: "registered mail",
    PostalService.INSURED: "insured mail",
    PostalService.UNREGISTERED: "unregistered mail",
    PostalService.PRINTED_MATTER: "M bag of printed matter",
    PostalService.BUSINESS_REPLY: "international business reply",
    PostalService.DOMESTIC: "a domestic or bilateral service",
}

_SERVICE_BY_LETTER = {
    "E": PostalService.EMS,
    "C": PostalService.PARCEL,
    "H": PostalService.ECOMMERCE_PARCEL,
    "L": PostalService.TRACKED_LETTER,
    "R": PostalService.REGISTERED,
    "V": PostalService.INSURED,
    "U": PostalService.UNREGISTERED,
    "M": PostalService.PRINTED_MATTER,
    "B": PostalService.DOMESTIC,
    "D": PostalService.DOMESTIC,
    "N": PostalService.DOMESTIC,
    "P": PostalService.DOMESTIC,
    "Z": PostalService.DOMESTIC,
}


# Check digits. Each takes the digits (or characters) before the check digit and answers the
# check digit the format expects there.


def s10_check_digit(serial: str) -> str:
    """The check digit of an S10 serial number (its eight digits).

    UPU standard S10 (identifiers for postal items): weights 8, 6, 4, 2, 3, 5, 9, 7 from the
    left; the check digit is 11 - (sum mod 11), with 10 written 0 and 11 written 5.
    """
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return "0" if check == 10 else "5" if check == 11 else str(check)


def _ups_value(char: str) -> int:
    # UPS maps letters onto digits by their place in the alphabet, A = 2 ... H = 9, I = 0, J = 1...
    return int(char) if char.isdigit() else (ord(char) - ord("A") + 2) % 10


def ups_check_digit(body: str) -> str:
    """The check digit of a UPS `1Z` number from the 15 characters after `1Z`.

    UPS's mod-10 check for shippers who print their own labels (as the public tracking-number
    data sets, e.g. tracking_number_data's `couriers/ups.json`, document it): letters become
    digits as A=2, B=3, ... H=9, I=0, J=1, ...; the characters in even places (2nd, 4th, ...)
    count twice; the check digit brings the sum to a multiple of ten. `1Z999AA10123456784`,
    the sample number UPS's developer guides quote, passes.
    """
    total = sum(_ups_value(c) * (2 if i % 2 else 1) for i, c in enumerate(body))
    return str(-total % 10)


def gs1_check_digit(data: str) -> str:
    """The GS1 mod-10 check digit of `data` (SSCC, GTIN, USPS IMpb, FedEx Ground).

    GS1 General Specifications, "check digit calculation": from the right, the digits are
    weighted 3, 1, 3, 1, ...; the check digit brings the sum to a multiple of ten. USPS
    Publication 199 (IMpb) and FedEx's Ground label specification use the same rule.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return str(-total % 10)


def fedex_express_check_digit(data: str) -> str:
    """The check digit of a 12-digit FedEx Express number from its first 11 digits.

    FedEx Express's barcode check (FedEx label specifications, as tracking_number_data's
    `couriers/fedex.json` documents them with FedEx sample numbers): from the right, the
    digits are weighted 1, 3, 7, 1, 3, 7, ...; the check digit is the sum mod 11, with 10
    written 0.
    """
    weights = (1, 3, 7)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(data)))
    return str(total % 11 % 10)


def dhl_express_check_digit(data: str) -> str:
    """The check digit of a 10-digit DHL Express waybill from its first nine digits.

    DHL Express air waybills end with the remainder of their first nine digits, read as one
    number, divided by seven (DHL's "mod 7" check, as tracking_number_data's
    `couriers/dhl.json` documents it with DHL sample numbers); so it is never 7, 8 or 9.
    """
    return str(int(data) % 7)


@dataclass(frozen=True, slots=True)
class _Numeric:
    """An all-digit format: who uses it, which numbers fit it, and their check digits."""

    carrier: TrackingCarrier
    name: str
    fits: Callable[[str], bool]
    #: The check digits a number may end with, the usual one first.
    expected: Callable[[str], tuple[str, ...]]


_NUMERIC = (
    _Numeric(
        TrackingCarrier.DHL_EXPRESS,
        "DHL Express waybill",
        lambda n: len(n) == 10,
        lambda n: (dhl_express_check_digit(n[:9]),),
    ),
    _Numeric(
        TrackingCarrier.FEDEX,
        "FedEx Express",
        lambda n: len(n) == 12,
        lambda n: (fedex_express_check_digit(n[:11]),),
    ),
    _Numeric(
        TrackingCarrier.FEDEX,
        "FedEx Ground",
        lambda n: len(n) == 15,
        lambda n: (gs1_check_digit(n[:14]),),
    ),
    # The 22-digit FedEx Ground barcode: "96", a 5-digit service code, then the 15-digit
    # Ground number, whose own check digit ends it.
    _Numeric(
        TrackingCarrier.FEDEX,
        "FedEx Ground (96)",
        lambda n: len(n) == 22 and n.startswith("96"),
        lambda n: (gs1_check_digit(n[7:21]),),
    ),
    # IMpb (USPS Publication 199): channel identifier 91-95, service, mailer ID, serial, check.
    _Numeric(
        TrackingCarrier.USPS,
        "USPS",
        lambda n: len(n) == 22 and "91" <= n[:2] <= "95",
        lambda n: (gs1_check_digit(n[:21]),),
    ),
    # 20 digits: USPS labels print some numbers without the "91" their barcode starts with,
    # and the check digit then counts that "91" too.
    _Numeric(
        TrackingCarrier.USPS,
        "USPS",
        lambda n: len(n) == 20,
        lambda n: (gs1_check_digit(n[:19]), gs1_check_digit("91" + n[:19])),
    ),
)


# Carriers as the shop keeps them: a free `code` per carrier row.


class CarrierFamily(Enum):
    """Which company a shop's carrier is, as far as its code tells."""

    UPS = "ups"
    FEDEX = "fedex"
    DHL = "dhl"
    USPS = "usps"
    POST = "post"


_CODE_PATTERNS = {
    CarrierFamily.UPS: re.compile(r"ups(-.*)?|united-parcel.*"),
    CarrierFamily.FEDEX: re.compile(r"fed-?ex.*|federal-express.*"),
    CarrierFamily.DHL: re.compile(r"dhl.*"),
    CarrierFamily.USPS: re.compile(r"usps.*|us-postal.*|united-states-postal.*"),
}
#: What a word of a postal operator's code contains (china-post, japanpost, la-poste,
#: royal-mail, correos); `ems` must be a word of its own, or `fast-systems` would be a post.
_POSTAL_MARKS = ("post", "mail", "correo", "correio")
#: The families each format is carried by. S10 numbers are DHL's too: Deutsche Post DHL ships
#: parcels under them, and `dhl` may mean either DHL.
_CARRIED_BY = {
    TrackingCarrier.UPU_S10: {CarrierFamily.POST, CarrierFamily.USPS, CarrierFamily.DHL},
    TrackingCarrier.UPS: {CarrierFamily.UPS},
    TrackingCarrier.FEDEX: {CarrierFamily.FEDEX},
    TrackingCarrier.DHL_EXPRESS: {CarrierFamily.DHL},
    TrackingCarrier.USPS: {CarrierFamily.USPS},
}


def family_of(code: str) -> CarrierFamily | None:
    """The company a carrier code names, or None for one the shop cannot tell (a local courier)."""
    code = code.strip().lower().replace("_", "-")
    for family, pattern in _CODE_PATTERNS.items():
        if pattern.fullmatch(code):
            return family
    words = code.split("-")
    if "ems" in words or any(mark in word for word in words for mark in _POSTAL_MARKS):
        return CarrierFamily.POST
    return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a tracking number is, as far as its format tells."""

    #: The number normalised: trimmed, without blanks, upper-case.
    number: str
    validity: Validity
    #: Why, in a sentence for staff.
    message: str
    carrier: TrackingCarrier | None = None
    #: The name of the format matched ("FedEx Ground"), for messages.
    format_name: str = ""
    service: PostalService | None = None
    #: ISO 3166-1 alpha-2 (an S10 number's "UK" is GB).
    origin_country: str | None = None
    expected_check_digit: str | None = None
    #: The carrier chosen is clearly another company than the one the format names.
    carrier_mismatch: bool = False
    mismatch_message: str = ""


def normalise(raw: str) -> str:
    """`raw` trimmed, without ASCII blanks, and upper-cased when it is ASCII.

    Only ASCII is upper-cased: Unicode's upper case turns the dotless i (U+0131) into `I` and `ß`
    into `SS`,
    which would let a number that is no tracking number pass for one.
    """
    number = _BLANKS.sub("", raw.strip())
    return number.upper() if number.isascii() else number


def format_problem(number: str) -> str | None:
    """Why a normalised number can be no tracking number at all, or None."""
    if not number:
        return "Give the tracking number."
    if len(number) > MAX_LENGTH:
        return f"A tracking number has at most {MAX_LENGTH} characters."
    if not _PRINTABLE.fullmatch(number):
        return "A tracking number has only letters A-Z, digits and punctuation."
    return None


def _country(code: str) -> Any:
    """The ISO country an S10 country code names, or None; the UPU writes the United
    Kingdom `UK`."""
    return pycountry.countries.get(alpha_2="GB" if code == "UK" else code)


def _service(indicator: str) -> PostalService | None:
    if indicator in ("GA", "GD") or ("AV" <= indicator <= "AZ"):
        return PostalService.DOMESTIC
    if "QA" <= indicator <= "QM":
        return PostalService.BUSINESS_REPLY
    return _SERVICE_BY_LETTER.get(indicator[0])


def _s10(number: str) -> Verdict | None:
    match = _S10.fullmatch(number)
    if match is None:
        return None
    indicator, serial, given, origin = match.groups()
    found = Verdict(
        number=number,
        validity=Validity.VALID,
        message="",
        carrier=TrackingCarrier.UPU_S10,
        format_name="UPU S10",
        service=_service(indicator),
    )
    country = _country(origin)
    if country is None:
        return replace(
            found,
            validity=Validity.INVALID_FORMAT,
            message=f"A UPU S10 number ends with the country it was posted in; {origin} is "
            "no country code.",
        )
    found = replace(found, origin_country=country.alpha_2)
    expected = s10_check_digit(serial)
    if expected != given:
        return _wrong_check_digit(found, expected, given)
    what = f"{SERVICE_NAMES[found.service]}, " if found.service else ""
    return replace(found, message=f"A valid UPU S10 postal number: {what}posted in {country.name}.")


def _ups(number: str) -> Verdict | None:
    if not number.startswith("1Z"):
        return None
    found = Verdict(
        number=number,
        validity=Validity.VALID,
        message="A valid UPS number.",
        carrier=TrackingCarrier.UPS,
        format_name="UPS",
    )
    if not _UPS.fullmatch(number):
        size = f"; this one has {len(number)}" if len(number) != 18 else ""
        return replace(
            found,
            validity=Validity.INVALID_FORMAT,
            message=f"A UPS number is 1Z and 16 letters or digits, 18 characters{size}.",
        )
    expected, given = ups_check_digit(number[2:17]), number[17]
    return found if expected == given else _wrong_check_digit(found, expected, given)


def _numeric(number: str, chosen: CarrierFamily | None, *, any_carrier: bool) -> Verdict | None:
    """The all-digit formats: the chosen carrier's, or (`any_carrier`) any that adds up."""
    if not number.isdigit():
        return None
    formats = [f for f in _NUMERIC if f.fits(number)]
    if not any_carrier:
        formats = [f for f in formats if chosen in _CARRIED_BY[f.carrier]]
    wrong: Verdict | None = None
    for form in formats:
        expected = form.expected(number)
        found = Verdict(
            number=number,
            validity=Validity.VALID,
            message=f"A valid {form.name} number.",
            carrier=form.carrier,
            format_name=form.name,
        )
        if number[-1] in expected:
            return found
        if not any_carrier:
            wrong = wrong or _wrong_check_digit(found, expected[0], number[-1])
    return wrong


def _wrong_check_digit(found: Verdict, expected: str, given: str) -> Verdict:
    return replace(
        found,
        validity=Validity.INVALID_CHECK_DIGIT,
        message=f"Not a valid {found.format_name} number: the check digit should be "
        f"{expected}, not {given}.",
        expected_check_digit=expected,
    )


def check(raw: str, *, carrier_code: str | None = None) -> Verdict:
    """What `raw` is as a tracking number, for a parcel of the carrier with `carrier_code`
    (None: no carrier chosen yet)."""
    number = normalise(raw)
    problem = format_problem(number)
    if problem is not None:
        return Verdict(number=number, validity=Validity.INVALID_FORMAT, message=problem)
    chosen = family_of(carrier_code) if carrier_code is not None else None
    verdict = (
        _s10(number)
        or _ups(number)
        or _numeric(number, chosen, any_carrier=carrier_code is None)
        or Verdict(
            number=number,
            validity=Validity.UNKNOWN_FORMAT,
            message="Not a format the shop can check (a local courier's, perhaps): it is "
            "taken as it is.",
        )
    )
    # Only a carrier the code names clearly is held against the format: a local courier's
    # code (None) may well carry numbers of any format.
    found = verdict.carrier
    if found is not None and chosen is not None and chosen not in _CARRIED_BY[found]:
        return replace(
            verdict,
            carrier_mismatch=True,
            mismatch_message=f"This is a {CARRIER_NAMES[found]} number, but the carrier chosen "
            "is another company: choose the carrier whose label it is.",
        )
    return verdict


@dataclass(frozen=True, slots=True)
class Inspection:
    """A number as staff type it for a parcel: the verdict, and the chosen carrier's link."""

    verdict: Verdict
    #: The carrier's tracking page for the number; None without a carrier, template or number.
    tracking_url: str | None = None


async def inspect(raw: str, *, carrier_id: int | None = None) -> Inspection:
    """What `raw` is as a tracking number, for the carrier `carrier_id` when given (any
    carrier of the shop, active or not); raises NOT_FOUND at `carrier_id` for none."""
    carrier = None
    if carrier_id is not None:
        carrier = await Carrier.get_or_none(id=carrier_id)
        if carrier is None:
            raise not_found("The carrier", "carrier_id")
    verdict = check(raw, carrier_code=carrier.code if carrier else None)
    link = None
    if carrier is not None and format_problem(verdict.number) is None:
        link = carriers.tracking_link(carrier.tracking_url, verdict.number)
    return Inspection(verdict=verdict, tracking_url=link)
