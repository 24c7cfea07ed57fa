"""Customs descriptions: specific enough for a customs officer, as carriers require.

Customs authorities and carriers (UPU CN22/CN23 instructions, DHL, FedEx and UPS lists of
unacceptable descriptions, China Customs) refuse words that do not say what the goods are:
"gift", "clothes", "sample", "parts", "goods"... A description names the item, and best its
material and use: "Men's cotton T-shirt", "Stainless steel kitchen knife", "女式真丝围巾".
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from services.errors import ServiceError

MAX_LENGTH = 120
MIN_LENGTH = 3
MIN_LENGTH_CJK = 2


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that name no goods in particular, alone or with only the words below.
VAGUE_WORDS = _words(
    """
    accessory accessories apparel appliance appliances article articles belongings clothes
    clothing commodities commodity component components consumable consumables cosmetic
    cosmetics device devices electronic electronics equipment fashion garment garments gift
    gifts good goods item items merchandise misc miscellaneous novelty novelties other others
    part parts present presents product products sample samples spare spares stuff supplies
    supply thing things tool tools toy toys unit units various wear
    """
)
#: Words that make a vague word no more specific ("spare parts", "men's clothing").
FILLER_WORDS = _words(
    """
    a an and as assorted auto baby birthday boy boys car child children christmas computer
    consumer daily dry for free general girl girls home household kid kids ladies lady machine
    man men mixed my new no of old or personal s set some the to use used with woman women
    commercial value friend friends family mother father mum mom dad wife husband son daughter
    sister brother him her them you
    """
)
#: The Chinese words for the same, as carriers and China Customs refuse them.
VAGUE_CHINESE = (
    "礼物", "礼品", "样品", "衣服", "服装", "配件", "零件", "货物", "商品", "物品", "用品",
    "产品", "杂物", "东西", "其他", "其它", "饰品", "赠品",
)  # fmt: skip
FILLER_CHINESE = (
    "一些", "各种", "个人", "日常", "生日", "圣诞", "男士", "女士", "儿童", "小孩", "新的", "旧的",
    "和", "与", "及", "的", "等", "些", "件", "个", "套",
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SUGGESTION = (
    "Say what the goods are, with their material and use, e.g. \u201cMen's cotton T-shirt\u201d "
    "or \u201cStainless steel kitchen knife\u201d."
)


class DescriptionErrorCode(Enum):
    REQUIRED = "required"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    INVALID_CHARACTERS = "invalid_characters"
    VAGUE_DESCRIPTION = "vague_description"


class DescriptionError(ServiceError[DescriptionErrorCode]):
    """A customs description that customs or a carrier would refuse; the message says why."""


def _vague_latin(text: str) -> bool:
    words = [w for w in _WORD.findall(text.casefold()) if not _CJK.search(w)]
    if not words:
        return False
    meaningful = [w for w in words if w not in FILLER_WORDS]
    return not meaningful or all(w in VAGUE_WORDS for w in meaningful)


def _vague_chinese(text: str) -> bool:
    if not _CJK.search(text):
        return False
    rest = text
    for word in (*VAGUE_CHINESE, *FILLER_CHINESE):
        rest = rest.replace(word, " ")
    # Nothing but the vague words, filler, punctuation and Latin words already judged vague.
    leftover = _CJK.findall(rest)
    had_vague = any(word in text for word in VAGUE_CHINESE)
    latin = _WORD.findall(_CJK.sub(" ", rest).casefold())
    latin_ok = not latin or _vague_latin(" ".join(latin))
    return had_vague and not leftover and latin_ok


def is_vague(text: str) -> bool:
    """Whether `text` is blank or says no more than "gift", "clothes", "sample", "衣服"."""
    value = unicodedata.normalize("NFC", text).strip()
    if not _WORD.search(value):
        return True
    return _vague_chinese(value) if _CJK.search(value) else _vague_latin(value)


def check_description(text: str) -> str:
    """`text` trimmed, as a customs description that names the goods.

    `DescriptionError` if it is blank, shorter than 3 characters (2 in Chinese), longer than
    120, holds control characters, or says no more than "gift", "clothes", "sample"...
    """
    value = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value):
        raise DescriptionError.fail(
            DescriptionErrorCode.INVALID_CHARACTERS,
            "A customs description may not hold control or invisible characters.",
        )
    if not value:
        raise DescriptionError.fail(
            DescriptionErrorCode.REQUIRED, "A customs description may not be blank. " + _SUGGESTION
        )
    if len(value) > MAX_LENGTH:
        raise DescriptionError.fail(
            DescriptionErrorCode.TOO_LONG,
            f"A customs description is at most {MAX_LENGTH} characters: the declaration "
            "forms have no room for more.",
        )
    cjk = bool(_CJK.search(value))
    if _vague_chinese(value) if cjk else _vague_latin(value):
        raise DescriptionError.fail(
            DescriptionErrorCode.VAGUE_DESCRIPTION,
            f"\u201c{value}\u201d does not tell customs what the goods are, and carriers "
            "refuse it. " + _SUGGESTION,
        )
    # Two Chinese characters name goods ("茶叶", tea); two Latin letters do not.
    if len(value) < (MIN_LENGTH_CJK if cjk else MIN_LENGTH) or not _WORD.search(value):
        raise DescriptionError.fail(
            DescriptionErrorCode.TOO_SHORT,
            "This is too short to tell customs what the goods are. " + _SUGGESTION,
        )
    return value
