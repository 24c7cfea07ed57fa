"""The HS nomenclature: the shipped data file, lookup, search, and the code checks."""

from __future__ import annotations

import pytest

from services.customs import hs
from services.customs.hs import HsErrorCode, HsLevel


def _refusal(call, *args: object) -> HsErrorCode:
    with pytest.raises(hs.HsError) as caught:
        call(*args)
    (problem,) = caught.value.problems
    assert isinstance(problem.code, HsErrorCode)
    return problem.code


def test_the_data_file_holds_the_whole_2022_nomenclature():
    entries = hs.nomenclature().entries
    levels = [e.level for e in entries]
    assert levels.count(HsLevel.CHAPTER) == 96
    assert levels.count(HsLevel.HEADING) == 1228
    assert levels.count(HsLevel.SUBHEADING) == 5612
    assert {e.section for e in entries} == {
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI",
        "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
    }  # fmt: skip
    # Every subheading hangs under a heading of its own first four digits.
    by_code = hs.nomenclature().by_code
    for entry in entries:
        if entry.level is HsLevel.SUBHEADING:
            assert entry.parent == entry.code[:4] and by_code[entry.parent].level is HsLevel.HEADING
    # HS 2022 codes: smartphones got their own subheading in 2022.
    assert "smartphones" in by_code["851713"].description.lower()


def test_the_data_file_is_read_once():
    assert hs.nomenclature() is hs.nomenclature()


def _found(code: str) -> hs.HsEntry:
    entry = hs.lookup(code)
    assert entry is not None
    return entry


def test_lookup_ignores_dots_and_spaces_and_knows_every_level():
    assert _found("6109.10").description.startswith("T-shirts, singlets and other vests")
    assert _found("6109").level is HsLevel.HEADING
    assert _found("61").level is HsLevel.CHAPTER
    assert _found(" 61 09 10 ").code == "610910"
    assert hs.lookup("999999") is None
    assert hs.lookup("") is None


def test_search_by_code_prefix_puts_the_exact_code_first_then_the_tree():
    assert [e.code for e in hs.search("6109")] == ["6109", "610910", "610990"]
    assert [e.code for e in hs.search("6109.10")] == ["610910"]
    codes = [e.code for e in hs.search("61", limit=5)]
    assert codes == ["61", "6101", "610120", "610130", "610190"]


def test_search_by_words_needs_every_word_and_lists_subheadings_before_headings():
    found = hs.search("cotton t-shirt")
    assert found[0].code == "610910"
    assert all("cotton" in e.description.lower() or "t-shirt" in e.description.lower()
               for e in found)  # fmt: skip
    levels = [e.level for e in hs.search("headphones")]
    assert levels == sorted(levels, key=lambda level: hs._RANK[level])
    assert [e.code for e in hs.search("headphones")][:2] == ["851830", "851890"]
    assert hs.search("cotton zeppelin") == []


def test_search_is_case_insensitive_and_ignores_plurals():
    assert [e.code for e in hs.search("CANDLES", 1)] == [e.code for e in hs.search("candle", 1)]
    assert any(e.code.startswith("8211") for e in hs.search("table knife", 10))
    assert "851713" in [e.code for e in hs.search("smartphone")]
    assert [e.code for e in hs.search("silk scarf")] == ["621410"]


def test_search_mixes_digits_and_words():
    assert [e.code for e in hs.search("6109 cotton")] == ["610910", "610990"]


def test_search_is_bounded():
    assert hs.search("") == []
    assert hs.search("   ") == []
    assert len(hs.search("of", limit=1000)) == hs.MAX_RESULTS
    assert hs.search("61", limit=0) == []
    assert hs.search("61", limit=-5) == []
    # Text beyond the bound is not read: no word past it can filter the results out.
    assert hs.search("6109" + " " * hs.MAX_SEARCH_LENGTH + "zeppelin")


def test_check_hs_code_takes_six_digit_subheadings():
    assert hs.check_hs_code("610910") == "610910"
    assert hs.check_hs_code("6109.10") == "610910"
    assert hs.check_hs_code(" 6109 10 ") == "610910"


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        ("6109", HsErrorCode.INVALID_HS_CODE),  # a heading, not a subheading
        ("61091", HsErrorCode.INVALID_HS_CODE),
        ("61091000", HsErrorCode.INVALID_HS_CODE),  # a national code
        ("abcdef", HsErrorCode.INVALID_HS_CODE),
        ("６１０９１０", HsErrorCode.INVALID_HS_CODE),  # full-width digits
        ("", HsErrorCode.INVALID_HS_CODE),
        ("610999", HsErrorCode.UNKNOWN_HS_CODE),
        ("999999", HsErrorCode.UNKNOWN_HS_CODE),
        ("000000", HsErrorCode.UNKNOWN_HS_CODE),
    ],
)
def test_check_hs_code_refuses(code: str, refusal: HsErrorCode):
    assert _refusal(hs.check_hs_code, code) is refusal


def test_a_longer_code_is_pointed_to_national_codes():
    with pytest.raises(hs.HsError, match="national code"):
        hs.check_hs_code("6109.10.0012")


@pytest.mark.parametrize(
    ("country", "code", "expected"),
    [
        ("US", "6109.10.0012", "6109100012"),
        ("us", "6109100012", "6109100012"),
        ("DE", "61091000", "61091000"),
        ("FR", "6109100010", "6109100010"),
        ("GB", "61091000", "61091000"),
        ("GB", "6109100010", "6109100010"),
        ("JP", "610910000", "610910000"),
        ("CN", "6109100021", "6109100021"),
        ("AU", "61091000", "61091000"),
        ("CA", "6109100010", "6109100010"),
        ("BR", "61091000", "61091000"),
        ("BR", "610910001", "610910001"),
    ],
)
def test_national_codes_follow_each_destinations_length(country: str, code: str, expected: str):
    assert hs.check_national_code(country, code, "610910") == expected


@pytest.mark.parametrize(
    ("country", "code", "hs_code", "refusal"),
    [
        ("US", "61091000", "610910", HsErrorCode.INVALID_NATIONAL_CODE),  # HTS is 10
        ("DE", "610910001", "610910", HsErrorCode.INVALID_NATIONAL_CODE),  # CN 8, TARIC 10
        ("JP", "6109100000", "610910", HsErrorCode.INVALID_NATIONAL_CODE),  # 9
        ("CN", "61091000", "610910", HsErrorCode.INVALID_NATIONAL_CODE),  # 10
        ("AU", "6109100010", "610910", HsErrorCode.INVALID_NATIONAL_CODE),  # 8
        ("BR", "6109100", "610910", HsErrorCode.INVALID_NATIONAL_CODE),
        ("BR", "61091000001", "610910", HsErrorCode.INVALID_NATIONAL_CODE),
        ("US", "61091000AB", "610910", HsErrorCode.INVALID_NATIONAL_CODE),
        ("US", "6110202075", "610910", HsErrorCode.NATIONAL_CODE_MISMATCH),
        ("US", "6109100012", None, HsErrorCode.NATIONAL_CODE_MISMATCH),
        ("XX", "6109100012", "610910", HsErrorCode.INVALID_COUNTRY),
        ("USA", "6109100012", "610910", HsErrorCode.INVALID_COUNTRY),
        ("", "6109100012", "610910", HsErrorCode.INVALID_COUNTRY),
    ],
)
def test_national_codes_are_refused_per_problem(
    country: str, code: str, hs_code: str | None, refusal: HsErrorCode
):
    assert _refusal(hs.check_national_code, country, code, hs_code) is refusal


def test_a_national_code_error_names_the_lengths_expected():
    with pytest.raises(hs.HsError, match="for GB is 8 or 10 digits"):
        hs.check_national_code("GB", "610910001", "610910")
    with pytest.raises(hs.HsError, match="for JP is 9 digits"):
        hs.check_national_code("JP", "61091000", "610910")
