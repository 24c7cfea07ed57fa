"""`CountryCode`: the ISO 3166-1 alpha-2 codes, as an enum clients can generate code from."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import pycountry
import strawberry

if TYPE_CHECKING:
    CountryCode = Enum
else:
    CountryCode = strawberry.enum(
        Enum(
            "CountryCode",
            {c.alpha_2: c.alpha_2 for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)},
        ),
        description="An ISO 3166-1 alpha-2 country code.",
    )


def country_code(code: str | None) -> Enum | None:
    return CountryCode(code) if code else None
