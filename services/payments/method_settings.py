"""The merchant's payment method settings: listed with what each method's gateway can
take, and changed one method at a time.

A change names the method and only the fields it changes; it is checked whole before
anything is written, so a refused change leaves the setting as it was. Two changes of the
same method at once both apply, the later last, to the one row the method has.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypedDict

from tortoise.exceptions import IntegrityError

from models.payments import PaymentMethodSetting
from services.errors import Problems, ServiceError
from services.money import InvalidAmount, Money, currency_codes, currency_exponent
from services.payments import methods
from services.payments.gateway import PaymentGateway
from services.shipping.zones import country_code
from services.transactions import atomic
from settings import get_settings

#: Codes a rule may list: enough for every country of a continent, not a whole registry.
MAX_CODES = 100
MAX_POSITION = 1000


class MethodSettingErrorCode(Enum):
    REQUIRED = "required"
    INVALID = "invalid"
    #: Not a method the shop knows, or one no gateway can take.
    UNKNOWN_METHOD = "unknown_method"
    #: Not an ISO 4217 currency code.
    UNKNOWN_CURRENCY = "unknown_currency"
    #: Not an ISO 3166-1 alpha-2 country code.
    UNKNOWN_COUNTRY = "unknown_country"
    #: A negative limit or position, or one too large.
    OUT_OF_RANGE = "out_of_range"
    #: The minimum is above the maximum.
    MIN_ABOVE_MAX = "min_above_max"
    #: More currency or country codes than a rule may list.
    TOO_MANY = "too_many"


class MethodSettingError(ServiceError[MethodSettingErrorCode]):
    """A change to a payment method setting that was refused; nothing was changed."""


Code = MethodSettingErrorCode


class MethodChanges(TypedDict, total=False):
    enabled: bool
    #: ISO codes in any case; stored upper-case, once each, in the order given.
    currencies: list[str]
    countries: list[str]
    #: Amounts of the shop currency as decimals; None removes the limit.
    min_amount: Decimal | str | None
    max_amount: Decimal | str | None
    position: int


@dataclass(frozen=True, slots=True)
class MethodSetting:
    """One method as the console shows it: the merchant's rules (or the defaults when the
    merchant set none) and the gateway that would take it."""

    method: str
    gateway: PaymentGateway | None
    enabled: bool
    currencies: list[str]
    countries: list[str]
    min_amount: int | None
    max_amount: int | None
    position: int
    #: Whether the merchant saved rules for it (else it follows the defaults).
    configured: bool

    @property
    def gateway_currencies(self) -> list[str]:
        return gateway_currencies(self.gateway, self.method) if self.gateway else []


def gateway_currencies(gateway: PaymentGateway, method: str) -> list[str]:
    """The currencies `gateway` can take `method` in, asked currency by currency (for any
    shipping country)."""
    return [c for c in currency_codes() if method in gateway.methods_for(c, "")]


@cache
def _currency_set() -> frozenset[str]:
    return frozenset(currency_codes())


async def list_settings() -> list[MethodSetting]:
    """Every method the shop knows or a gateway takes, in the merchant's order."""
    rows = await methods.settings_by_method()
    taken = methods.gateway_methods()
    names = list(dict.fromkeys([*taken, *methods.KNOWN_METHODS, *rows]))
    found = []
    for index, method in enumerate(methods.ordered(names, rows)):
        row = rows.get(method)
        found.append(
            MethodSetting(
                method=method,
                gateway=taken.get(method),
                enabled=row.enabled if row else True,
                currencies=list(row.currencies) if row else [],
                countries=list(row.countries) if row else [],
                min_amount=row.min_amount if row else None,
                max_amount=row.max_amount if row else None,
                position=row.position if row else index,
                configured=row is not None,
            )
        )
    return found


def _codes(values: list[str], field: str, problems: Problems[MethodSettingErrorCode]) -> list[str]:
    if len(values) > MAX_CODES:
        problems.add(Code.TOO_MANY, f"List at most {MAX_CODES} codes.", field)
        return []
    found: list[str] = []
    for index, value in enumerate(values):
        raw = (value or "").strip().upper()
        if field == "currencies":
            code = raw if raw in _currency_set() else None
            missing = Code.UNKNOWN_CURRENCY, f"{value!r} is not an ISO 4217 currency code."
        else:
            code = country_code(raw)
            missing = Code.UNKNOWN_COUNTRY, f"{value!r} is not an ISO 3166 country code."
        if code is None:
            problems.add(missing[0], missing[1], field, str(index))
        elif code not in found:
            found.append(code)
    return found


def _limit(value: Any, field: str, problems: Problems[MethodSettingErrorCode]) -> int | None:
    if value is None:
        return None
    currency = get_settings().shop_currency
    try:
        minor = Money.from_decimal(Decimal(str(value)), currency).minor
    except (InvalidAmount, ArithmeticError, ValueError):
        problems.add(
            Code.INVALID,
            f"A limit is an amount of {currency} with at most {currency_exponent(currency)} "
            "decimals.",
            field,
        )
        return None
    if minor < 0:
        problems.add(Code.OUT_OF_RANGE, "A limit cannot be negative.", field)
    return minor


def _known_method(method: str) -> str:
    name = (method or "").strip().lower()
    if name in methods.KNOWN_METHODS or name in methods.gateway_methods():
        return name
    raise MethodSettingError.fail(
        Code.UNKNOWN_METHOD, f"{method!r} is not a payment method this shop knows.", "method"
    )


def _checked(changes: MethodChanges, current: dict[str, Any]) -> dict[str, Any]:
    """The row's columns after `changes`, or every problem with them at once."""
    problems = Problems(MethodSettingError)
    problems.refuse_nulls(dict(changes), nullable=("min_amount", "max_amount"))
    problems.raise_if_any()
    values = dict(current)
    if "enabled" in changes:
        values["enabled"] = bool(changes["enabled"])
    for field in ("currencies", "countries"):
        if field in changes:
            values[field] = _codes(list(changes[field]), field, problems)
    for field in ("min_amount", "max_amount"):
        if field in changes:
            values[field] = _limit(changes[field], field, problems)  # type: ignore[literal-required]
    if "position" in changes:
        position = changes["position"]
        if not 0 <= position <= MAX_POSITION:
            problems.add(Code.OUT_OF_RANGE, f"A position is 0 to {MAX_POSITION}.", "position")
        values["position"] = position
    low, high = values.get("min_amount"), values.get("max_amount")
    if not problems and low is not None and high is not None and low > high:
        problems.add(Code.MIN_ABOVE_MAX, "The minimum is above the maximum.", "min_amount")
    problems.raise_if_any()
    return values


_COLUMNS = ("enabled", "currencies", "countries", "min_amount", "max_amount", "position")


async def update_setting(method: str, changes: MethodChanges) -> MethodSetting:
    """Change the merchant's rules for one method (created on its first change); raises
    `MethodSettingError` and changes nothing when any part of the change is wrong."""
    name = _known_method(method)
    for _ in range(3):
        try:
            async with atomic():
                row = await PaymentMethodSetting.select_for_update().get_or_none(method=name)
                if row is None:
                    defaults = next(s for s in await list_settings() if s.method == name)
                    current = {c: getattr(defaults, c) for c in _COLUMNS}
                    await PaymentMethodSetting.create(method=name, **_checked(changes, current))
                else:
                    current = {c: getattr(row, c) for c in _COLUMNS}
                    row.update_from_dict(_checked(changes, current))
                    await row.save()
        except IntegrityError:
            # Another change created the row first: apply this one over it.
            continue
        break
    return next(s for s in await list_settings() if s.method == name)
