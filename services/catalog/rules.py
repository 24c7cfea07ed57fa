"""Catalog input rules that need no database: each rule normalises a value or refuses it.

The input models (`ProductInput`, `VariantInput`) run the rules as pydantic validators;
`Checks` applies them one by one and collects every problem of a request, so a merchant
sees all of them at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Self, TypeVar

import pycountry
from pydantic import AfterValidator, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from services.catalog.errors import CatalogError, CatalogErrorCode
from services.errors import Problems
from services.money import InvalidAmount, InvalidCurrency, Money
from services.validation import Input, refuse, validate, validated
from settings import get_settings

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Largest price accepted, in minor units: far above any real unit price, far below 2**63.
MAX_PRICE_MINOR = 10**15
MAX_STOCK = 10**9

V = TypeVar("V")
W = TypeVar("W")


def text(max_length: int, *, required: bool = True) -> Callable[[str | None], str]:
    """A rule: trimmed text of at most `max_length` characters; null clears an optional one."""

    def check(value: str | None) -> str:
        value = (value or "").strip()
        if required and not value:
            refuse("REQUIRED", "This field may not be blank.")
        if len(value) > max_length:
            refuse("INVALID", f"At most {max_length} characters are allowed.")
        return value

    return check


def valid_slug(value: str) -> str:
    value = value.strip().lower()
    if not SLUG_RE.match(value) or len(value) > 140:
        refuse(
            "INVALID_SLUG",
            "A slug is lowercase letters, digits and single hyphens, at most 140 long.",
        )
    return value


def country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        refuse("INVALID_COUNTRY", f"{value!r} is not an ISO 3166-1 alpha-2 country code.")
    return code


def price(value: Decimal | None, currency: str | None = None) -> int | None:
    """The price in minor units of `currency` (the shop's by default); None stays None."""
    if value is None:
        return None
    try:
        money = Money.from_decimal(value, currency or get_settings().shop_currency)
    except InvalidCurrency as exc:
        refuse("INVALID_CURRENCY", str(exc))
    except InvalidAmount as exc:
        refuse("INVALID_PRICE", str(exc))
    if money.minor < 0:
        refuse("NEGATIVE_PRICE", "A price may not be negative.")
    if money.minor > MAX_PRICE_MINOR:
        refuse("INVALID_PRICE", "The price is too large.")
    return money.minor


def required_price(value: Decimal | None) -> int | None:
    if value is None:
        refuse("REQUIRED", "A variant needs a price.")
    return price(value)


def quantity(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_STOCK:
        refuse("INVALID_QUANTITY", f"A quantity is a whole number from 0 to {MAX_STOCK}.")
    return value


def weight(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 10_000_000:
        refuse("INVALID", "A weight is 0 to 10,000,000 grams.")
    return value


def moment(value: datetime | None) -> datetime | None:
    """A point in time; one without a UTC offset is ambiguous across a world of shoppers."""
    if value is not None and value.utcoffset() is None:
        refuse("INVALID", "Give the time with its UTC offset.")
    return value


def boolean(value: bool | None) -> bool:
    if value is None:
        refuse("REQUIRED", "Say true or false.")
    return bool(value)


def stripped(value: str | None) -> str:
    """Trimmed text; null clears it."""
    return (value or "").strip()


class NamingInput(Input):
    """The name, slug and description of a brand or category."""

    name: Annotated[str | None, AfterValidator(text(120))] = None
    slug: Annotated[str | None, AfterValidator(valid_slug)] = None
    description: Annotated[str | None, AfterValidator(stripped)] = None


def checked_input(
    model: type[Input], fields: Mapping[str, Any], *, creating: bool, required: Sequence[str] = ()
) -> dict[str, Any]:
    """The fields given, checked by `model`: only those given (and, when creating, the
    `required` ones, which refuse a blank); an empty slug asks for one made from the name."""
    given = dict(fields)
    if creating:
        for key in required:
            given.setdefault(key, "")
    if not given.get("slug"):
        given.pop("slug", None)
    # Prices come out of their validators as minor units, not the Decimals given.
    return validated(model, given, CatalogError).model_dump(exclude_unset=True, warnings=False)


class NameValue(Input):
    """One name/value pair (a parameter, an option): neither may be blank."""

    name: Annotated[str, AfterValidator(str.strip)]
    value: Annotated[str, AfterValidator(str.strip)]

    @model_validator(mode="after")
    def _not_blank(self) -> Self:
        if not self.name or not self.value:
            refuse("REQUIRED", "Name and value may not be blank.")
        return self


NAME_VALUES = TypeAdapter(list[NameValue])


def unique_names(
    problems: Problems[CatalogErrorCode], pairs: Iterable[Mapping[str, Any]] | None, *field: str
) -> None:
    """Note each complete pair whose name (ignoring case) an earlier pair already has."""
    seen: set[str] = set()
    for index, pair in enumerate(pairs or ()):
        name, value = str(pair["name"]).strip(), str(pair["value"]).strip()
        if name and value and name.lower() in seen:
            problems.add(CatalogErrorCode.INVALID, f"{name!r} is given twice.", *field, str(index))
        seen.add(name.lower())


class Checks(Problems[CatalogErrorCode]):
    """The catalog's rules over the problems of one request, raised together."""

    def __init__(self) -> None:
        super().__init__(CatalogError)

    def apply(self, rule: Callable[[V], W], value: V, *field: str) -> W:
        """`rule(value)`, or the value as given with the rule's refusal noted at `field`."""
        try:
            return rule(value)
        except PydanticCustomError as exc:
            self.add(CatalogErrorCode[exc.type], exc.message(), *field)
            return value  # type: ignore[return-value]

    def text(self, value: str | None, *field: str, max_length: int, required: bool = True) -> str:
        return self.apply(text(max_length, required=required), value, *field)

    def name_values(
        self, pairs: Iterable[Mapping[str, Any]] | None, *field: str
    ) -> list[dict[str, str]]:
        """Ordered name/value pairs with unique, non-blank names; None (a null) clears them."""
        given = list(pairs or ())
        checked = validate(NAME_VALUES, given, self, *field)
        unique_names(self, given, *field)
        return [pair.model_dump() for pair in checked or ()]

    def locale(self, value: str, supported: Sequence[str], *field: str) -> str:
        code = value.strip().replace("_", "-")
        if code not in supported:
            self.add(
                CatalogErrorCode.INVALID_LOCALE,
                f"{value!r} is not one of the shop's locales: {', '.join(supported)}.",
                *field,
            )
        return code

    def sale_window(
        self, publish_at: datetime | None, unpublish_at: datetime | None, now: datetime
    ) -> None:
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add(
                CatalogErrorCode.INVALID_SALE_WINDOW,
                "The sale window must end after it starts.",
                "unpublish_at",
            )
        elif unpublish_at and unpublish_at <= now:
            self.add(
                CatalogErrorCode.INVALID_SALE_WINDOW,
                "The sale window may not end in the past.",
                "unpublish_at",
            )


def slugify(text: str) -> str:
    """A URL slug for a name; empty when the name has no Latin letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


def option_key(options: Sequence[Mapping[str, str]]) -> tuple[tuple[str, str], ...]:
    """A variant's option values as a comparable key, ignoring order and case."""
    return tuple(sorted((o["name"].lower(), o["value"].lower()) for o in options))
