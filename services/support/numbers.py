"""Conversation numbers and reply tokens: readable numbers that tell nothing of one another,
and the secret part of a conversation's reply address.

A number is `CS` and eight characters of the alphabet order numbers use (Crockford's base
32): quoted in an email's subject ("[CS4K9M2Q7T]"), it threads a reply from the same sender.
"""

from __future__ import annotations

import re
import secrets

from services.orders.numbers import ALPHABET

PREFIX = "CS"
LENGTH = 8
#: A conversation number anywhere in a text (an email's subject), on word boundaries.
NUMBER_IN_TEXT = re.compile(rf"\b({PREFIX}[{ALPHABET}]{{{LENGTH}}})\b")
_NUMBER = re.compile(rf"{PREFIX}[{ALPHABET}]{{{LENGTH}}}")
#: Reply tokens are lower-case base 32 (mail systems may fold an address's case).
TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
TOKEN_LENGTH = 26  # 130 bits


def new_number() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_reply_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalize_number(value: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes."""
    return "".join(value.split()).replace("-", "").upper()[: len(PREFIX) + LENGTH + 1]


def is_number(value: str) -> bool:
    return bool(_NUMBER.fullmatch(value))


def is_reply_token(value: str) -> bool:
    return len(value) == TOKEN_LENGTH and all(c in TOKEN_ALPHABET for c in value)
