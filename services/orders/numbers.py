"""Order numbers: short, readable aloud, and not guessable in sequence.

`TW` and eight characters of Crockford's base 32 (no I, L, O or U, which are misread):
about 10^12 numbers, drawn at random, so one order's number tells nothing about another's.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "TW"
LENGTH = 8


def new_order_number() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_order_number(value: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes, O read as 0."""
    cleaned = "".join(value.split()).replace("-", "").upper()
    return cleaned[: len(PREFIX)] + cleaned[len(PREFIX) :].replace("O", "0").replace("I", "1")
