"""Catalog input rules that need no database: each check normalises a value or notes a problem.

A `Checks` collects every problem of one request, so a merchant sees all of them at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import pycountry

from services.catalog.errors import CatalogError, CatalogErrorCode
from services.errors import Problem
from services.money import InvalidAmount, InvalidCurrency, Money

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HS_CODE_RE = re.compile(r"^\d{6,10}$")
#: Largest price accepted, in minor units: far above any real unit price, far below 2**63.
MAX_PRICE_MINOR = 10**15
MAX_STOCK = 10**9


class Checks:
    """Collects the problems of one request and raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: CatalogErrorCode, message: str, *field: str) -> None:
        self.problems.append(Problem(code, message, field or None))

    def raise_if_any(self) -> None:
        if self.problems:
            raise CatalogError(self.problems)

    def text(self, value: str | None, *field: str, max_length: int, required: bool = True) -> str:
        value = (value or "").strip()  # null clears an optional text
        if required and not value:
            self.add(CatalogErrorCode.REQUIRED, "This field may not be blank.", *field)
        elif len(value) > max_length:
            self.add(
                CatalogErrorCode.INVALID, f"At most {max_length} characters are allowed.", *field
            )
        return value

    def naming(self, fields: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
        """The name, slug and description given for a brand or category, checked."""
        clean: dict[str, Any] = {}
        if "name" in fields or creating:
            clean["name"] = self.text(fields.get("name", ""), "name", max_length=120)
        if fields.get("slug"):
            clean["slug"] = self.slug(fields["slug"], "slug")
        if "description" in fields:
            clean["description"] = str(fields["description"] or "").strip()
        return clean

    def slug(self, value: str, *field: str) -> str:
        value = value.strip().lower()
        if not SLUG_RE.match(value) or len(value) > 140:
            self.add(
                CatalogErrorCode.INVALID_SLUG,
                "A slug is lowercase letters, digits and single hyphens, at most 140 long.",
                *field,
            )
        return value

    def country(self, value: str | None, *field: str) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            self.add(
                CatalogErrorCode.INVALID_COUNTRY,
                f"{value!r} is not an ISO 3166-1 alpha-2 country code.",
                *field,
            )
        return code

    def hs_code(self, value: str | None, *field: str) -> str | None:
        if value is None:
            return None
        code = re.sub(r"[\s.]", "", value)
        if not HS_CODE_RE.match(code):
            self.add(
                CatalogErrorCode.INVALID_HS_CODE,
                "An HS code is 6 to 10 digits (dots and spaces are ignored).",
                *field,
            )
        return code

    def price(self, value: Decimal | None, currency: str, *field: str) -> int | None:
        """The price in minor units of `currency`, or None (and a problem) when it is bad."""
        if value is None:
            return None
        try:
            money = Money.from_decimal(value, currency)
        except InvalidCurrency as exc:
            self.add(CatalogErrorCode.INVALID_CURRENCY, str(exc), *field)
            return None
        except InvalidAmount as exc:
            self.add(CatalogErrorCode.INVALID_PRICE, str(exc), *field)
            return None
        if money.minor < 0:
            self.add(CatalogErrorCode.NEGATIVE_PRICE, "A price may not be negative.", *field)
            return None
        if money.minor > MAX_PRICE_MINOR:
            self.add(CatalogErrorCode.INVALID_PRICE, "The price is too large.", *field)
            return None
        return money.minor

    def quantity(self, value: int | None, *field: str) -> int | None:
        if value is not None and not 0 <= value <= MAX_STOCK:
            self.add(
                CatalogErrorCode.INVALID_QUANTITY,
                f"A quantity is a whole number from 0 to {MAX_STOCK}.",
                *field,
            )
        return value

    def weight(self, value: int | None, *field: str) -> int | None:
        if value is not None and not 0 <= value <= 10_000_000:
            self.add(CatalogErrorCode.INVALID, "A weight is 0 to 10,000,000 grams.", *field)
        return value

    def locale(self, value: str, supported: Sequence[str], *field: str) -> str:
        code = value.strip().replace("_", "-")
        if code not in supported:
            self.add(
                CatalogErrorCode.INVALID_LOCALE,
                f"{value!r} is not one of the shop's locales: {', '.join(supported)}.",
                *field,
            )
        return code

    def name_values(
        self, pairs: Iterable[Mapping[str, Any]] | None, *field: str
    ) -> list[dict[str, str]]:
        """Ordered name/value pairs with unique, non-blank names (parameters, options).

        None (a null in an update) clears them.
        """
        result: list[dict[str, str]] = []
        seen: set[str] = set()
        for index, pair in enumerate(pairs or ()):
            name = str(pair["name"]).strip()
            value = str(pair["value"]).strip()
            if not name or not value:
                self.add(
                    CatalogErrorCode.REQUIRED,
                    "Name and value may not be blank.",
                    *field,
                    str(index),
                )
            elif name.lower() in seen:
                self.add(CatalogErrorCode.INVALID, f"{name!r} is given twice.", *field, str(index))
            seen.add(name.lower())
            result.append({"name": name, "value": value})
        return result

    def moment(self, value: datetime | None, *field: str) -> datetime | None:
        """A point in time; one without a UTC offset is ambiguous across a world of shoppers."""
        if value is not None and value.utcoffset() is None:
            self.add(CatalogErrorCode.INVALID, "Give the time with its UTC offset.", *field)
        return value

    def sale_window(
        self, publish_at: datetime | None, unpublish_at: datetime | None, now: datetime
    ) -> None:
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add(
                CatalogErrorCode.INVALID_SALE_WINDOW,
                "The sale window must end after it starts.",
                "unpublishAt",
            )
        elif unpublish_at and unpublish_at <= now:
            self.add(
                CatalogErrorCode.INVALID_SALE_WINDOW,
                "The sale window may not end in the past.",
                "unpublishAt",
            )


def camel(name: str) -> str:
    """The GraphQL spelling of a snake_case input field: `origin_country` -> `originCountry`."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def slugify(text: str) -> str:
    """A URL slug for a name; empty when the name has no Latin letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


def option_key(options: Sequence[Mapping[str, str]]) -> tuple[tuple[str, str], ...]:
    """A variant's option values as a comparable key, ignoring order and case."""
    return tuple(sorted((o["name"].lower(), o["value"].lower()) for o in options))
