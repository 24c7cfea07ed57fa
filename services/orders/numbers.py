"""Order numbers: short, readable aloud, and not guessable in sequence.

`TW` and eight characters of Crockford's base 32 (no I, L, O or U, which are misread):
about 10^12 numbers, drawn at random, so one order's number tells nothing about another's.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "TW"
LENGTH = 8
#: Longest text worth normalising: a number with spaces or dashes a person typed in.
MAX_TYPED_LENGTH = 40

_ALPHABET = frozenset(ALPHABET)


def new_order_number() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_order_number(value: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes, O read as 0."""
    cleaned = "".join(value.split()).replace("-", "").upper()
    return cleaned[: len(PREFIX)] + cleaned[len(PREFIX) :].replace("O", "0").replace("I", "1")


def is_order_number(value: str) -> bool:
    """True when `value`, normalised, can be an order number (right prefix, length, alphabet)."""
    if len(value) > MAX_TYPED_LENGTH:
        return False
    number = normalize_order_number(value)
    return (
        len(number) == len(PREFIX) + LENGTH
        and number.startswith(PREFIX)
        and _ALPHABET.issuperset(number[len(PREFIX) :])
    )


def is_order_number_prefix(value: str) -> bool:
    """True when `value`, normalised, can begin an order number (an empty one included)."""
    if len(value) > MAX_TYPED_LENGTH:
        return False
    number = normalize_order_number(value)
    if len(number) > len(PREFIX) + LENGTH:
        return False
    return PREFIX.startswith(number[: len(PREFIX)]) and _ALPHABET.issuperset(number[len(PREFIX) :])
