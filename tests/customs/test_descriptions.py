"""Customs descriptions: vague words refused as carriers and customs refuse them."""

from __future__ import annotations

import pytest

from services.customs.descriptions import (
    DescriptionError,
    DescriptionErrorCode,
    check_description,
)


def _refusal(text: str) -> tuple[DescriptionErrorCode, str]:
    with pytest.raises(DescriptionError) as caught:
        check_description(text)
    (problem,) = caught.value.problems
    assert isinstance(problem.code, DescriptionErrorCode)
    return problem.code, problem.message


@pytest.mark.parametrize(
    "text",
    [
        "Men's cotton T-shirt",
        "Stainless steel kitchen knife",
        "Wireless earbuds with charging case",
        "Gift card holder, leather",  # "gift" with what the goods are
        "Cotton clothes",  # a material says something
        "Tea",
        "棉质T恤",
        "女式真丝围巾",
        "茶叶",  # two Chinese characters: tea leaves
        "手机配件",  # phone accessories: the goods are named
        "Ceramic coffee mug, 350 ml",
    ],
)
def test_specific_descriptions_pass_trimmed(text: str):
    assert check_description(f"  {text} ") == text


@pytest.mark.parametrize(
    "text",
    [
        "Gift",
        "gifts",
        "GIFT",
        "Present",
        "Clothes",
        "clothing",
        "Men's clothing",
        "Sample",
        "free samples",
        "Goods",
        "Items",
        "various items",
        "Parts",
        "spare parts",
        "auto parts",
        "Accessories",
        "Merchandise",
        "general merchandise",
        "stuff",
        "Products",
        "misc.",
        "Miscellaneous",
        "Other",
        "household goods",
        "Gift for my mother",
        "礼物",
        "礼品",
        "样品",
        "衣服",
        "配件",
        "货物",
        "商品",
        "一些礼品",
        "衣服和配件",
        "生日礼物",
        "gift 礼物",
        "Sample 样品",
    ],
)
def test_vague_descriptions_are_refused_saying_what_to_write(text: str):
    code, message = _refusal(text)
    assert code is DescriptionErrorCode.VAGUE_DESCRIPTION
    assert "T-shirt" in message  # an example of a specific description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DescriptionErrorCode.REQUIRED),
        ("   ", DescriptionErrorCode.REQUIRED),
        ("ab", DescriptionErrorCode.TOO_SHORT),
        ("围", DescriptionErrorCode.TOO_SHORT),
        ("12345", DescriptionErrorCode.TOO_SHORT),
        ("--- ...", DescriptionErrorCode.TOO_SHORT),
        ("x" * 121, DescriptionErrorCode.TOO_LONG),
        ("Cotton\x00 T-shirt", DescriptionErrorCode.INVALID_CHARACTERS),
        ("Cotton\nT-shirt", DescriptionErrorCode.INVALID_CHARACTERS),
        ("Cotton\u200bT-shirt", DescriptionErrorCode.INVALID_CHARACTERS),
        ("Cotton \x1b[31mT-shirt", DescriptionErrorCode.INVALID_CHARACTERS),
    ],
)
def test_blank_short_long_and_control_characters_are_refused(
    text: str, expected: DescriptionErrorCode
):
    assert _refusal(text)[0] is expected


def test_the_longest_description_fits_the_forms():
    text = "Men's cotton T-shirt " + "x" * 99
    assert len(text) == 120
    assert check_description(text) == text


def test_length_counts_characters_not_bytes():
    text = "女式真丝围巾" * 20  # 120 characters, 360 bytes in UTF-8
    assert check_description(text) == text


def test_text_is_normalised_to_composed_characters():
    assert check_description("Cafe\u0301 au lait mug") == "Café au lait mug"
