"""The rules input values are held to: kinds of strings and their limits, IDs, numbers, dates.

`schema.inputs` applies them to every argument of an operation; this module says what each
kind of value may be. A string's kind comes from the name of its argument or input field
(`search`, `email`, `description`, ...), or from its coordinate (`OrderFilter.number`) where
a name means two things; anything not listed is a one-line text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Node,
    SourceLocation,
    get_location,
)
from strawberry.relay.utils import from_base64

from schema.errors import BadUserInput
from schema.relay import MAX_KEY
from services.orders import numbers

#: The years a date or time may fall in: wide enough for every domain's own rule (a birthday
#: from 1900), and far from the ends where clocks and time zones overflow.
MIN_YEAR, MAX_YEAR = 1000, 9000
#: How many steps of a refused value's path an error or a log line shows.
MAX_PATH = 20


@dataclass(frozen=True, slots=True)
class StringKind:
    """A kind of string: its name (in errors), its maximum length, and a check of its shape."""

    name: str
    max_length: int
    #: The reason a value of the right length is refused, or None when it is fine.
    shape: Callable[[str], str | None] | None = None


def _global_id_problem(value: str) -> str | None:
    """A global ID names a row by a key that fits the key column, or is refused.

    Text that is no global ID at all (not `Type:key` in base64) is left to the field, which
    answers it as it answers an unknown ID: not found.
    """
    try:
        _type_name, key = from_base64(value)
    except Exception:
        return None
    if not (key.isascii() and key.isdigit()) or not 0 < int(key) <= MAX_KEY:
        return "INVALID_ID"
    return None


def _order_number_problem(value: str) -> str | None:
    return None if numbers.is_order_number(value) else "INVALID_ORDER_NUMBER"


def _order_number_prefix_problem(value: str) -> str | None:
    return None if numbers.is_order_number_prefix(value) else "INVALID_ORDER_NUMBER"


GLOBAL_ID = StringKind("global ID", 200, _global_id_problem)
ORDER_NUMBER = StringKind("order number", numbers.MAX_TYPED_LENGTH, _order_number_problem)
ORDER_NUMBER_PREFIX = StringKind(
    "order number", numbers.MAX_TYPED_LENGTH, _order_number_prefix_problem
)
# Values looked up in a column are no longer than the column: a longer one can match no
# row, and Tortoise refuses to even send it (a 500 before these kinds).
COUPON_CODE = StringKind("coupon code", 40)
SLUG = StringKind("slug", 140)
JOB_TASK = StringKind("task name", 100)
SIGN_IN_STATE = StringKind("sign-in state", 64)
EMAIL = StringKind("email address or phone number", 254)
SEARCH = StringKind("search term", 200)
HS_SEARCH = StringKind("HS code search", 100)
PASSWORD = StringKind("password", 1024)
TOKEN = StringKind("token or code", 2048)
URL = StringKind("URL", 2048)
LINE = StringKind("one-line text", 1000)
TEXT = StringKind("text", 10_000)
RICH_TEXT = StringKind("long text", 100_000)
#: A CSV file sent as text; its service holds it to its own, smaller limit with a typed error.
CSV_TEXT = StringKind("CSV file", 1024 * 1024)
#: A value of a custom scalar (Decimal, Date, DateTime) written as a string.
SCALAR = StringKind("value", 100)

#: Kinds by argument or input-field name; any other string is a one-line text.
KIND_BY_NAME: dict[str, StringKind] = {
    "search": SEARCH,
    "email": EMAIL,
    "contactEmail": EMAIL,
    "login": EMAIL,
    "password": PASSWORD,
    "currentPassword": PASSWORD,
    "newPassword": PASSWORD,
    "after": TOKEN,
    "before": TOKEN,
    "cartToken": TOKEN,
    "refreshToken": TOKEN,
    "clientSecret": TOKEN,
    "state": SIGN_IN_STATE,
    "slug": SLUG,
    "browserKey": TOKEN,
    "idempotencyKey": TOKEN,
    "code": TOKEN,
    "couponCode": COUPON_CODE,
    "redirectUri": URL,
    "returnUrl": URL,
    "trackingUrl": URL,
    "body": TEXT,
    "message": TEXT,
    "note": TEXT,
    "reason": TEXT,
    "description": RICH_TEXT,
    "instructions": RICH_TEXT,
    "features": RICH_TEXT,
    "number": ORDER_NUMBER,
    "orderNumber": ORDER_NUMBER,
}
#: Kinds by coordinate (`Type.field` or `Type.field.argument`), where a name means two things.
KIND_BY_COORDINATE: dict[str, StringKind] = {
    "OrderFilter.number": ORDER_NUMBER_PREFIX,
    # A tracking number, not an order's: its own rules answer a bad one as INVALID_FORMAT.
    "Query.trackingNumberInfo.number": LINE,
    "Query.coupon.code": COUPON_CODE,
    "Query.checkCoupon.code": COUPON_CODE,
    "CartCouponInput.code": COUPON_CODE,
    "JobFilterInput.task": JOB_TASK,
    "Mutation.importDutyRates.csv": CSV_TEXT,
    # A registration number, not an order's: its service says what each kind looks like.
    "SetCustomsRegistrationInput.number": LINE,
    "Query.hsCodes.search": HS_SEARCH,
    # Up to 2000 characters, which the rating's own rules answer with a typed error.
    "RateConversationInput.comment": TEXT,
}

#: Inclusive ranges of integer arguments and input fields, by coordinate. The GraphQL `Int`
#: is already a 32-bit integer, which INTEGER columns hold; these are for narrower columns.
#: (Where a mutation has a typed error for a value out of range, its service keeps it.)
INT_RANGE_BY_COORDINATE: dict[str, tuple[int, int]] = {
    "ReviewFilter.rating": (1, 5),  # a SMALLINT column
    "Query.hsCodes.first": (1, 50),  # the nomenclature search's page
}

_MESSAGES = {
    "INVALID_CHARACTERS": "must not contain NUL or unpaired surrogate characters",
    "INVALID_ID": "is not a valid ID",
    "INVALID_ORDER_NUMBER": "is not an order number (TW and 8 letters or digits)",
}


def string_kind(parent: str, name: str, scalar: str) -> StringKind:
    """The kind of a string given as `name` under `parent` (a type, or `Type.field`)."""
    if scalar == "ID":
        return GLOBAL_ID
    if scalar != "String":
        return SCALAR
    return KIND_BY_COORDINATE.get(f"{parent}.{name}") or KIND_BY_NAME.get(name, LINE)


def has_bad_characters(value: str) -> bool:
    """True when `value` holds NUL or a lone surrogate (which no database or encoder takes)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Refused(Exception):
    """A value broke its rule; carries what the client and the log are told."""

    def __init__(self, path: list[str | int], reason: str, message: str, value: Any) -> None:
        super().__init__(message)
        self.path = _shortened(path)
        self.reason = reason
        self.message = message
        self.value = value

    def error(self, nodes: list[Node] | None = None) -> BadUserInput:
        error = BadUserInput(self.message, field=[str(p) for p in self.path], reason=self.reason)
        if nodes:
            error.nodes = nodes
            error.locations = [
                location for node in nodes if (location := _location(node)) is not None
            ]
        return error


def _location(node: Node) -> SourceLocation | None:
    loc = node.loc
    return None if loc is None or loc.source is None else get_location(loc.source, loc.start)


def _shortened(path: list[str | int]) -> list[str | int]:
    """A path as errors and logs show it: a path deep in a nested value is cut short."""
    return path if len(path) <= MAX_PATH else [*path[: MAX_PATH - 1], "..."]


def dotted(path: list[str | int]) -> str:
    return ".".join(str(p) for p in _shortened(path))


def check_string(value: str, kind: StringKind, path: list[str | int]) -> None:
    if has_bad_characters(value):
        raise Refused(
            path,
            "INVALID_CHARACTERS",
            f"`{dotted(path)}` {_MESSAGES['INVALID_CHARACTERS']}.",
            value,
        )
    if len(value) > kind.max_length:
        raise Refused(
            path,
            "TOO_LONG",
            f"`{dotted(path)}` is too long: a {kind.name} has at most "
            f"{kind.max_length} characters.",
            value,
        )
    if kind.shape is not None and (reason := kind.shape(value)) is not None:
        raise Refused(path, reason, f"`{dotted(path)}` {_MESSAGES[reason]}.", value)


def check_int(value: int, parent: str, name: str, path: list[str | int]) -> None:
    bounds = INT_RANGE_BY_COORDINATE.get(f"{parent}.{name}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise Refused(
            path,
            "OUT_OF_RANGE",
            f"`{dotted(path)}` must be between {bounds[0]} and {bounds[1]}.",
            value,
        )


def check_moment(value: str, scalar: str, path: list[str | int]) -> None:
    """A date or time that parses must fall in the years a column and a clock can take.

    One that does not parse is left to its scalar, which refuses it.
    """
    try:
        if scalar == "Date":
            moment: date = date.fromisoformat(value)
        else:
            parsed = datetime.fromisoformat(value)
            moment = parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed
    except ValueError:
        return
    except OverflowError:
        moment = date.min
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise Refused(
            path,
            "OUT_OF_RANGE",
            f"`{dotted(path)}` must fall between the years {MIN_YEAR} and {MAX_YEAR}.",
            value,
        )


def check_scalar(value: Any, scalar: str, parent: str, name: str, path: list[str | int]) -> None:
    """One scalar value, as parsed from JSON or a literal."""
    if isinstance(value, str):
        check_string(value, string_kind(parent, name, scalar), path)
        if scalar in ("Date", "DateTime"):
            check_moment(value, scalar, path)
    elif scalar == "ID" and not isinstance(value, bool) and isinstance(value, int):
        raise Refused(path, "INVALID_ID", f"`{dotted(path)}` {_MESSAGES['INVALID_ID']}.", value)
    elif scalar == "Int" and isinstance(value, int) and not isinstance(value, bool):
        check_int(value, parent, name, path)


def check_variable(
    value: Any, type_: GraphQLInputType, parent: str, name: str, path: list[str | int]
) -> None:
    """A variable's JSON value against the type of the place it is used in."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            check_variable(item, type_.of_type, parent, name, [*path, index])
    elif isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, dict):
            for field_name, field in type_.fields.items():
                if field_name in value:
                    check_variable(
                        value[field_name], field.type, type_.name, field_name, [*path, field_name]
                    )
    elif isinstance(type_, GraphQLScalarType):
        check_scalar(value, type_.name, parent, name, path)


def check_characters(value: Any, path: list[str | int]) -> None:
    """Every string and key in a JSON value: no NUL, no lone surrogate.

    A loop, not a recursion, and each step keeps only its parent: a value nested deeper than
    Python's stack costs no more than a flat one of the same size.
    """
    # (value, key in its parent, the parent's entry): the path is rebuilt only on refusal.
    pending: list[tuple[Any, str | int, Any]] = [(value, "", None)]
    while pending:
        step = pending.pop()
        item = step[0]
        if isinstance(item, str):
            if has_bad_characters(item):
                where = _path_of(step, path)
                raise Refused(
                    where,
                    "INVALID_CHARACTERS",
                    f"`{dotted(where)}` {_MESSAGES['INVALID_CHARACTERS']}.",
                    item,
                )
        elif isinstance(item, list):
            pending.extend((inner, index, step) for index, inner in enumerate(item))
        elif isinstance(item, dict):
            for key, inner in item.items():
                pending.append((key, "(key)", step))
                pending.append((inner, key, step))


def _path_of(step: tuple[Any, str | int, Any], root: list[str | int]) -> list[str | int]:
    keys: list[str | int] = []
    while step[2] is not None:
        keys.append(step[1])
        step = step[2]
    return [*root, *reversed(keys)]
