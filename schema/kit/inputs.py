"""Inputs read once: global IDs decoded with the type and range checks of
`schema.relay.decode_id`, and client values a parser refuses turned into problems.

Inside a mutation a bad ID reads as a missing object (the payload's NOT_FOUND error, at
the input field); as a query argument it is a GraphQL input error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum

from schema.errors import BadUserInput
from schema.relay import decode_id
from services.errors import Problem, ServiceError


class KitErrorCode(Enum):
    """Codes the kit raises; payloads map them by name into their own enums."""

    NOT_FOUND = "not_found"


def input_pk(
    value: str | None,
    type_name: str,
    *field: str,
    what: str | None = None,
    code: Enum = KitErrorCode.NOT_FOUND,
) -> int:
    """The key in a global ID of `type_name`; else a `ServiceError` saying
    "`what` does not exist." (default "The <type_name>") at the input `field` path.
    """
    pk = decode_id(value, type_name) if value else None
    if pk is None:
        message = f"{what or f'The {type_name}'} does not exist."
        raise ServiceError(Problem(code, message, field or None))
    return pk


def argument_pk(value: str, type_name: str, field: str, message: str | None = None) -> int:
    """The key in a global ID argument of `type_name`; else a BAD_USER_INPUT error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise BadUserInput(message or f"Not a {type_name} ID.", field=field)
    return pk


def pk_or_none(value: str | None, type_name: str) -> int | None:
    """The key in a global ID of `type_name`, or None (no ID, or not one of that type)."""
    return decode_id(value, type_name) if value else None


@contextmanager
def refused(
    errors: type[Exception] | tuple[type[Exception], ...],
    code: Enum,
    *field: str,
    message: str | Callable[[Exception], str] = str,
) -> Iterator[None]:
    """Turns `errors` raised in the block (a parser refusing a client's value) into a
    `ServiceError` with `code` at the input `field` path; `message` is the text, or
    makes it from the error (its text by default).
    """
    try:
        yield
    except errors as exc:
        text = message if isinstance(message, str) else message(exc)
        raise ServiceError(Problem(code, text, field or None)) from None
