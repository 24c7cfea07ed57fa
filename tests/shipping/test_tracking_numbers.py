"""Tracking numbers: each format's check digit on published sample numbers, every single
mistyped digit a check can catch, normalising, and which carrier a number may ship with."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest

from services.shipping import carriers, tracking_numbers
from services.shipping.errors import ShippingError, ShippingErrorCode
from services.shipping.tracking_numbers import (
    CarrierFamily,
    PostalService,
    TrackingCarrier,
    Validity,
    check,
    family_of,
)
from tests.shipping.helpers import make_carrier

DIGITS = "0123456789"

# Sample numbers as carriers print them (UPS's developer-guide number, the FedEx, DHL and
# USPS numbers of the public tracking-number data sets, the S10 examples of the UPU).
S10 = ["RB123456785GB", "EE473124829CN", "RR287043775IN", "CP000000080DE", "LX000000005UK"]
UPS = ["1Z999AA10123456784", "1Z5R89390357567127", "1Z879E930346834440", "1Z410E7W0392751591"]
FEDEX_EXPRESS = ["986578788855", "477179081230", "799531274483", "790535312317", "974367662710"]
FEDEX_GROUND = ["041441760228964", "568283610012000", "568283610012734"]
FEDEX_GROUND_96 = ["9611020987654312345672"]
DHL_EXPRESS = ["3318810025", "8487135506", "1099255990", "3821724944", "3318810014"]
USPS_22 = ["9400111201080805483016", "9361289878700317633795", "9505511069605048600624"]
USPS_20 = ["03071790000523483741", "71123456789123456787", "71969010756003077385"]


def substitutions(number: str, positions: range) -> Iterator[tuple[int, str]]:
    """Every number one digit away from `number` at `positions`: (position, the number)."""
    for position in positions:
        for digit in DIGITS:
            if digit != number[position]:
                yield position, number[:position] + digit + number[position + 1 :]


# The check digits, computed by hand from each format's rule.


def test_s10_check_digit_follows_the_upu_weights_and_its_two_exceptions():
    # 4*8 + 7*6 + 3*4 + 1*2 + 2*3 + 4*5 + 8*9 + 2*7 = 200; 200 mod 11 = 2; 11 - 2 = 9.
    assert tracking_numbers.s10_check_digit("47312482") == "9"
    # 8 * 7 = 56; 56 mod 11 = 1; 11 - 1 = 10, written 0.
    assert tracking_numbers.s10_check_digit("00000008") == "0"
    # A sum of 0: 11 - 0 = 11, written 5.
    assert tracking_numbers.s10_check_digit("00000000") == "5"


def test_ups_check_digit_maps_letters_as_ups_does():
    # 999AA1012345678: A is 2; the 2nd, 4th, ... characters count twice:
    # 9+2*9+9+2*2+2+2*1+0+2*1+2+2*3+4+2*5+6+2*7+8 = 96, so 4 makes 100.
    assert tracking_numbers.ups_check_digit("999AA1012345678") == "4"
    # I is 0 and J is 1 (the letters wrap around the ten digits).
    assert tracking_numbers.ups_check_digit("I" * 15) == tracking_numbers.ups_check_digit("0" * 15)
    assert tracking_numbers.ups_check_digit("J" * 15) == tracking_numbers.ups_check_digit("1" * 15)


def test_gs1_fedex_express_and_dhl_check_digits():
    # GS1: 1*3 + 2*1 + 3*3 = 14 from the right of "321"; 6 makes 20.
    assert tracking_numbers.gs1_check_digit("321") == "6"
    # FedEx Express: from the right 1,3,7: 1*1 + 1*3 + 1*7 + 1*1 ... over eleven 1s = 37;
    # 37 mod 11 = 4.
    assert tracking_numbers.fedex_express_check_digit("1" * 11) == "4"
    # DHL: 331881002 = 7 * 47411571 + 5.
    assert tracking_numbers.dhl_express_check_digit("331881002") == "5"


# Published sample numbers.


@pytest.mark.parametrize(
    ("number", "code", "carrier"),
    [(n, "japan-post", TrackingCarrier.UPU_S10) for n in S10]
    + [(n, "ups", TrackingCarrier.UPS) for n in UPS]
    + [(n, "fedex", TrackingCarrier.FEDEX) for n in FEDEX_EXPRESS + FEDEX_GROUND]
    + [(n, "fedex", TrackingCarrier.FEDEX) for n in FEDEX_GROUND_96]
    + [(n, "dhl", TrackingCarrier.DHL_EXPRESS) for n in DHL_EXPRESS]
    + [(n, "usps", TrackingCarrier.USPS) for n in USPS_22 + USPS_20],
)
def test_published_sample_numbers_are_valid_for_their_carrier(number, code, carrier):
    verdict = check(number, carrier_code=code)
    assert (verdict.validity, verdict.carrier, verdict.carrier_mismatch) == (
        Validity.VALID,
        carrier,
        False,
    ), verdict.message
    assert verdict.expected_check_digit is None


# Every single mistyped digit a format's check can catch.


@pytest.mark.parametrize("number", [n for n in S10 if n[10] != "5"])
def test_s10_catches_every_single_wrong_digit(number):
    # A check digit of 5 stands for two remainders (0 and 6), so the samples ending in 5
    # are left out here; see the next test.
    for position, typo in substitutions(number, range(2, 11)):
        verdict = check(typo)
        assert verdict.validity is Validity.INVALID_CHECK_DIGIT, (position, typo)
        assert verdict.expected_check_digit != typo[10]


def test_s10_check_digit_5_stands_for_two_remainders():
    # 00000000 sums to 0 (11 - 0 = 11, written 5); 00030000 sums to 2 * 3 = 6 (11 - 6 = 5):
    # one mistyped digit apart, both pass. The standard's own blind spot, kept as it is.
    assert check("RB000000005GB").validity is Validity.VALID
    assert check("RB000300005GB").validity is Validity.VALID


#: UPS's letters as digits: A=2, B=3, ... H=9, I=0, J=1, K=2, ...
UPS_LETTERS = {letter: (i + 2) % 10 for i, letter in enumerate(string.ascii_uppercase)}


def _ups_value(char: str) -> int:
    return int(char) if char.isdigit() else UPS_LETTERS[char]


@pytest.mark.parametrize("number", UPS)
def test_ups_catches_every_wrong_digit_but_a_shift_of_five_where_it_counts_twice(number):
    for position, typo in substitutions(number, range(2, 18)):
        verdict = check(typo)
        # A letter typed as the digit it stands for (A for 2) is the same number to UPS.
        shift = (_ups_value(typo[position]) - _ups_value(number[position])) % 10
        doubled = position < 17 and (position - 2) % 2 == 1
        missed = shift == 0 or (doubled and shift == 5)
        expected = Validity.VALID if missed else Validity.INVALID_CHECK_DIGIT
        assert verdict.validity is expected, (position, typo)


@pytest.mark.parametrize(
    ("number", "code"),
    [(n, "fedex") for n in FEDEX_GROUND + FEDEX_GROUND_96] + [(n, "usps") for n in USPS_22],
)
def test_gs1_catches_every_single_wrong_digit(number, code):
    checked = range(len(number))
    if len(number) == 22:
        # FedEx's 96 barcode checks its last 15 digits; USPS's 91-95 prefix names the format.
        checked = range(7, 22) if number.startswith("96") else range(2, 22)
    for position, typo in substitutions(number, checked):
        verdict = check(typo, carrier_code=code)
        assert verdict.validity is Validity.INVALID_CHECK_DIGIT, (position, typo)


@pytest.mark.parametrize("number", [n for n in FEDEX_EXPRESS if n[-1] != "0"])
def test_fedex_express_catches_every_single_wrong_digit(number):
    # A check digit of 0 stands for the remainders 0 and 10; those samples are left out.
    for _position, typo in substitutions(number, range(12)):
        assert check(typo, carrier_code="fedex").validity is Validity.INVALID_CHECK_DIGIT, typo


@pytest.mark.parametrize("number", DHL_EXPRESS)
def test_dhl_catches_every_wrong_digit_but_a_shift_of_seven(number):
    for position, typo in substitutions(number, range(10)):
        verdict = check(typo, carrier_code="dhl")
        missed = position < 9 and abs(int(typo[position]) - int(number[position])) == 7
        expected = Validity.VALID if missed else Validity.INVALID_CHECK_DIGIT
        assert verdict.validity is expected, (position, typo)


def test_usps_20_digits_takes_either_layout_and_names_the_plain_digit():
    plain, prefixed = "03071790000523483741", "71969010756003077385"
    assert check(plain, carrier_code="usps").validity is Validity.VALID
    assert check(prefixed, carrier_code="usps").validity is Validity.VALID
    wrong = check("03071790000523483749", carrier_code="usps")
    assert (wrong.validity, wrong.expected_check_digit) == (Validity.INVALID_CHECK_DIGIT, "1")


# What the verdict says.


def test_a_wrong_check_digit_says_which_it_should_be():
    verdict = check("RB123456789GB")
    assert verdict.validity is Validity.INVALID_CHECK_DIGIT
    assert verdict.expected_check_digit == "5"
    assert "the check digit should be 5, not 9" in verdict.message
    ups = check("1Z999AA1012345678X")
    assert (ups.validity, ups.expected_check_digit) == (Validity.INVALID_CHECK_DIGIT, "4")


def test_s10_names_its_service_and_origin():
    ems = check("EE473124829CN")
    assert (ems.service, ems.origin_country) == (PostalService.EMS, "CN")
    assert "EMS, posted in China" in ems.message
    assert check("RB123456785GB").service is PostalService.REGISTERED
    assert check("CP000000080DE").service is PostalService.PARCEL
    assert check("LX000000005UK").service is PostalService.TRACKED_LETTER
    assert check("VV000000005FR").service is PostalService.INSURED
    assert check("UA000000005FR").service is PostalService.UNREGISTERED
    assert check("HA000000005FR").service is PostalService.ECOMMERCE_PARCEL
    assert check("ZZ000000005FR").service is PostalService.DOMESTIC
    assert check("AV000000005FR").service is PostalService.DOMESTIC
    # An unassigned indicator is still an S10 number, of no known service.
    unassigned = check("FA000000005FR")
    assert (unassigned.validity, unassigned.service) == (Validity.VALID, None)


def test_s10_uk_is_the_united_kingdom_and_an_unknown_country_is_refused():
    assert check("LX000000005UK").origin_country == "GB"
    assert check("LX000000005GB").origin_country == "GB"
    nowhere = check("RB123456785XX")
    assert (nowhere.validity, nowhere.carrier) == (Validity.INVALID_FORMAT, TrackingCarrier.UPU_S10)
    assert "XX is no country code" in nowhere.message


def test_a_ups_number_of_the_wrong_length_is_a_broken_ups_number():
    short = check("1Z999AA1012345678")
    assert (short.validity, short.carrier) == (Validity.INVALID_FORMAT, TrackingCarrier.UPS)
    assert "this one has 17" in short.message
    assert check("1Z999AA10123-56784").validity is Validity.INVALID_FORMAT


# Normalising and refusing what is no tracking number.


def test_numbers_are_trimmed_without_blanks_and_upper_case():
    assert check("  rb 1234 5678 5 gb\t").number == "RB123456785GB"
    assert check("1z999aa1\n0123456784").validity is Validity.VALID
    assert tracking_numbers.normalise(" a-b/c ") == "A-B/C"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "Give the tracking number."),
        ("   ", "Give the tracking number."),
        ("X" * 81, "at most 80 characters"),
        ("RB12345678\x005GB", "only letters A-Z"),
        ("RB１２３４５６７８５GB", "only letters A-Z"),  # full-width digits
        ("r\u0131b", "only letters A-Z"),  # the dotless i upper-cases to I
        ("stra\u00dfe", "only letters A-Z"),
        ("RB123\u00a0456785GB", "only letters A-Z"),
    ],
)
def test_what_is_no_tracking_number_is_an_invalid_format(raw, why):
    verdict = check(raw, carrier_code="dhl")
    assert (verdict.validity, verdict.carrier) == (Validity.INVALID_FORMAT, None)
    assert why in verdict.message


def test_eighty_characters_is_the_longest_number_taken():
    assert check("X" * 80).validity is Validity.UNKNOWN_FORMAT


def test_a_local_couriers_number_is_taken_as_it_is():
    for number, code in [("SF1234567890123", "sf-express"), ("JT0001234567", None), ("T1", "c1")]:
        verdict = check(number, carrier_code=code)
        assert (verdict.validity, verdict.carrier) == (Validity.UNKNOWN_FORMAT, None)


def test_digits_alone_are_checked_only_against_the_carrier_chosen():
    wrong_fedex = "986578788856"
    # For FedEx, a FedEx Express number with a wrong check digit.
    assert check(wrong_fedex, carrier_code="fedex").validity is Validity.INVALID_CHECK_DIGIT
    # For a local courier, or with no carrier chosen, just twelve digits.
    assert check(wrong_fedex, carrier_code="sf-express").validity is Validity.UNKNOWN_FORMAT
    assert check(wrong_fedex).validity is Validity.UNKNOWN_FORMAT
    # With no carrier chosen, a number whose check adds up is named.
    assert check("986578788855").carrier is TrackingCarrier.FEDEX
    # DHL's ten digits are not FedEx's concern.
    assert check("3318810026", carrier_code="fedex").validity is Validity.UNKNOWN_FORMAT


# Carriers.


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("ups", CarrierFamily.UPS),
        ("ups-ground", CarrierFamily.UPS),
        ("upsilon", None),
        ("fedex", CarrierFamily.FEDEX),
        ("fed_ex", CarrierFamily.FEDEX),
        ("dhl", CarrierFamily.DHL),
        ("dhl-express", CarrierFamily.DHL),
        ("dhlecommerce", CarrierFamily.DHL),
        ("usps", CarrierFamily.USPS),
        ("japan-post", CarrierFamily.POST),
        ("china-post", CarrierFamily.POST),
        ("la-poste", CarrierFamily.POST),
        ("royal-mail", CarrierFamily.POST),
        ("ems", CarrierFamily.POST),
        ("china-ems", CarrierFamily.POST),
        ("fast-systems", None),
        ("sf-express", None),
        ("yunexpress", None),
    ],
)
def test_carrier_codes_name_a_company_only_when_clear(code, family):
    assert family_of(code) is family


def test_a_ups_number_shipped_as_another_known_company_is_a_mismatch():
    for code in ("dhl", "fedex", "usps", "china-post"):
        verdict = check("1Z999AA10123456784", carrier_code=code)
        assert (verdict.validity, verdict.carrier_mismatch) == (Validity.VALID, True), code
        assert "This is a UPS number" in verdict.mismatch_message
    assert check("1Z999AA10123456784", carrier_code="ups").carrier_mismatch is False
    assert check("1Z999AA10123456784", carrier_code="sf-express").carrier_mismatch is False


def test_a_postal_number_fits_any_postal_carrier_and_dhl_but_not_ups_or_fedex():
    for code in ("china-post", "japan-post", "usps", "ems", "dhl", "sf-express"):
        assert check("EE473124829CN", carrier_code=code).carrier_mismatch is False, code
    for code in ("ups", "fedex"):
        assert check("EE473124829CN", carrier_code=code).carrier_mismatch is True, code


# Looking a number up for a carrier of the shop.


def test_the_tracking_link_is_none_when_longer_than_a_shipment_keeps():
    template = "https://track.example/" + "p" * 250 + "?n={number}"
    assert carriers.tracking_link(template, "A" * 80) is not None
    assert carriers.tracking_link(template, "&" * 80) is None


async def test_inspect_links_the_normalised_number_for_the_carrier(db):
    post = await make_carrier(
        name="China Post", code="china-post", tracking_url="https://track.test/?n={number}"
    )
    found = await tracking_numbers.inspect(" ee 473124829 cn ", carrier_id=post.id)
    assert found.verdict.validity is Validity.VALID
    assert found.tracking_url == "https://track.test/?n=EE473124829CN"
    alone = await tracking_numbers.inspect("EE473124829CN")
    assert alone.tracking_url is None
    empty = await tracking_numbers.inspect("  ", carrier_id=post.id)
    assert (empty.verdict.validity, empty.tracking_url) == (Validity.INVALID_FORMAT, None)


async def test_inspect_refuses_an_unknown_carrier(db):
    with pytest.raises(ShippingError) as caught:
        await tracking_numbers.inspect("EE473124829CN", carrier_id=999_999)
    assert [(p.code, p.field) for p in caught.value.problems] == [
        (ShippingErrorCode.NOT_FOUND, ("carrier_id",))
    ]
