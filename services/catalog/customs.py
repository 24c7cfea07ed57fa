"""The customs facts of products and variants as merchants give them: the rules each value
follows, and the national codes checked against the HS code they extend.

The nomenclature and the description rules are the customs domain's (`services.customs.hs`,
`services.customs.descriptions`); their refusals become the catalog's codes of the same name.

HS codes are 6 digits. Rows stored before that rule may hold 8 to 10 digits: they are kept
as they are until the merchant sets the HS code again, and every reader takes their first 6
digits (`services.customs.facts`), which national codes are then checked against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator

from services.catalog.errors import CatalogErrorCode
from services.catalog.rules import Checks
from services.customs import descriptions, hs
from services.errors import ServiceError
from services.validation import Input, refuse

#: Most national codes one product or variant holds: one per destination is plenty.
MAX_NATIONAL_CODES = 60
MAX_NET_WEIGHT_GRAMS = 10_000_000

#: Description refusals without a catalog code of their own.
_CODES = {"TOO_SHORT": "VAGUE_DESCRIPTION", "TOO_LONG": "INVALID"}


def _refuse_as_catalog(error: ServiceError[Any]) -> None:
    problem = error.problems[0]
    name = _CODES.get(problem.code.name, problem.code.name)
    refuse(name if name in CatalogErrorCode.__members__ else "INVALID", problem.message)


def hs_code(value: str | None) -> str | None:
    """A rule: the 6-digit subheading given (dots and spaces ignored); null clears it."""
    if value is None or not value.strip():
        return None
    try:
        return hs.check_hs_code(value)
    except hs.HsError as exc:
        _refuse_as_catalog(exc)
    raise AssertionError  # unreachable: refused above


def product_description(value: str | None) -> str:
    """A rule: a specific customs description; blank or null clears it."""
    if value is None or not value.strip():
        return ""
    try:
        return descriptions.check_description(value)
    except descriptions.DescriptionError as exc:
        _refuse_as_catalog(exc)
    raise AssertionError


def variant_description(value: str | None) -> str | None:
    """A rule: a variant's own customs description; blank or null: the product's."""
    return product_description(value) or None


def net_weight(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_NET_WEIGHT_GRAMS:
        refuse("INVALID", f"A net weight is 1 to {MAX_NET_WEIGHT_GRAMS:,} grams.")
    return value


class NationalCode(Input):
    """A destination's national tariff code, as given (checked by `national_codes`)."""

    country: Annotated[str, AfterValidator(str.strip)]
    code: Annotated[str, AfterValidator(str.strip)]


def national_codes(
    checks: Checks,
    given: Sequence[Mapping[str, str]] | None,
    hs_code: str | None,
    *field: str,
) -> dict[str, str] | None:
    """The national codes by destination, each extending `hs_code`; None when there are none.

    Each problem is noted in `checks` at the entry's `country` or `code`.
    """
    if not given:
        return None
    if len(given) > MAX_NATIONAL_CODES:
        checks.add(
            CatalogErrorCode.INVALID,
            f"At most {MAX_NATIONAL_CODES} national codes are allowed.",
            *field,
        )
        return None
    codes: dict[str, str] = {}
    for index, entry in enumerate(given):
        at = (*field, str(index))
        try:
            country = hs.check_country(entry["country"])
        except hs.HsError as exc:
            checks.add(CatalogErrorCode.INVALID_COUNTRY, str(exc), *at, "country")
            continue
        if country in codes:
            checks.add(CatalogErrorCode.INVALID, f"{country} is given twice.", *at, "country")
            continue
        try:
            codes[country] = hs.check_national_code(country, entry["code"], hs_code)
        except hs.HsError as exc:
            checks.add(CatalogErrorCode[exc.problems[0].code.name], str(exc), *at, "code")
    return codes or None


def restated(
    checks: Checks,
    clean: dict[str, Any],
    stored_hs: str | None,
    stored_national: Mapping[str, str] | None,
    fallback_hs: str | None = None,
    *,
    path: tuple[str, ...] = (),
) -> None:
    """Turn `clean["national_codes"]` (as given) into the `hs_national` column's value.

    The codes given, or else those stored when the HS code changes, must extend the HS code
    that applies: the one given, else the one stored, else `fallback_hs` (a variant's
    product's). Clearing the HS code with none to fall back on clears the national codes.
    Problems are noted under `path`.
    """
    hs_changed = "hs_code" in clean and clean["hs_code"] != stored_hs
    if "national_codes" not in clean and not hs_changed:
        return
    applies = (clean.get("hs_code", stored_hs) or fallback_hs or "")[:6] or None
    if "national_codes" in clean:
        clean["hs_national"] = national_codes(
            checks, clean.pop("national_codes"), applies, *path, "national_codes"
        )
    elif applies is None:
        clean["hs_national"] = None
    elif stored_national:
        mismatched = sorted(
            c for c, code in stored_national.items() if not code.startswith(applies)
        )
        if mismatched:
            checks.add(
                CatalogErrorCode.NATIONAL_CODE_MISMATCH,
                f"The national codes for {', '.join(mismatched)} do not extend {applies}: "
                "give them again with the new HS code.",
                *path,
                "national_codes",
            )
