"""Presentment currencies: the ones the merchant lets shoppers see prices and pay in.

The shop currency is always offered, at rate 1 and with no price-ending rule (its prices
are the merchant's own). Until the merchant chooses, the `presentment_currencies`
setting is offered: its rows are written on first use, so the merchant's later choices
are never overwritten.
"""

from __future__ import annotations

import logging

from models.currency import PresentmentCurrency, RoundingRule
from services.currency.errors import CurrencyError, CurrencyErrorCode, fail
from services.money import InvalidCurrency, currency_exponent
from settings import get_settings

log = logging.getLogger("tradewind.currency")


def normalize_code(code: str, *field: str) -> str:
    """The upper-case ISO 4217 code; INVALID_CURRENCY for anything else."""
    normal = (code or "").strip().upper()
    try:
        currency_exponent(normal)
    except InvalidCurrency:
        raise fail(
            CurrencyErrorCode.INVALID_CURRENCY,
            f"{code!r} is not an ISO 4217 currency code.",
            *(field or ("currency",)),
        ) from None
    return normal


def _shop_row() -> PresentmentCurrency:
    # Never saved: the shop currency is offered whatever its row says, if it has one.
    return PresentmentCurrency(code=get_settings().shop_currency, enabled=True)


async def seed_defaults() -> int:
    """Write the default presentment currencies if the merchant has none; how many were."""
    if await PresentmentCurrency.exists():
        return 0
    settings = get_settings()
    codes = []
    for given in [settings.shop_currency, *settings.presentment_currencies]:
        try:
            code = normalize_code(given)
        except CurrencyError:
            log.warning("currency.default_skipped code=%s", given)
            continue
        if code not in codes:
            codes.append(code)
    # Two processes may seed at once: the unique code keeps one row each.
    await PresentmentCurrency.bulk_create(
        [PresentmentCurrency(code=code) for code in codes], ignore_conflicts=True
    )
    return len(codes)


async def enabled_currencies() -> list[PresentmentCurrency]:
    """The currencies shoppers may pick, by code; the shop currency always among them."""
    await seed_defaults()
    rows = {row.code: row for row in await PresentmentCurrency.filter(enabled=True)}
    shop = get_settings().shop_currency
    if shop not in rows:
        rows[shop] = _shop_row()
    return [rows[code] for code in sorted(rows)]


async def enabled_currency(code: str, *field: str) -> PresentmentCurrency:
    """The enabled presentment currency `code`.

    Raises INVALID_CURRENCY for a code ISO 4217 does not know, CURRENCY_NOT_ENABLED for
    one the merchant does not offer.
    """
    field = field or ("currency",)
    code = normalize_code(code, *field)
    if code == get_settings().shop_currency:
        row = await PresentmentCurrency.get_or_none(code=code)
        return row if row is not None and row.enabled else _shop_row()
    row = await PresentmentCurrency.get_or_none(code=code, enabled=True)
    if row is None and await seed_defaults():
        row = await PresentmentCurrency.get_or_none(code=code, enabled=True)
    if row is None:
        raise fail(
            CurrencyErrorCode.CURRENCY_NOT_ENABLED,
            f"Prices are not offered in {code}.",
            *field,
        )
    return row


async def enable_currency(
    code: str, rounding: RoundingRule = RoundingRule.NONE
) -> PresentmentCurrency:
    """Offer `code` to shoppers with the price-ending rule `rounding` (again, if it was)."""
    code = normalize_code(code, "code")
    _check_rounding(code, rounding)
    await seed_defaults()
    row, created = await PresentmentCurrency.get_or_create(
        code=code, defaults={"rounding": rounding, "enabled": True}
    )
    if not created:
        row.enabled = True
        row.rounding = rounding
        await row.save(update_fields=["enabled", "rounding", "updated_at"])
    return row


async def disable_currency(code: str) -> PresentmentCurrency:
    """Stop offering `code`; its rates are kept. The shop currency cannot be disabled."""
    code = normalize_code(code, "code")
    if code == get_settings().shop_currency:
        raise fail(
            CurrencyErrorCode.SHOP_CURRENCY,
            f"{code} is the shop currency; it is always offered.",
            "code",
        )
    await seed_defaults()
    row = await PresentmentCurrency.get_or_none(code=code)
    if row is None or not row.enabled:
        raise fail(CurrencyErrorCode.CURRENCY_NOT_ENABLED, f"{code} is not offered.", "code")
    row.enabled = False
    await row.save(update_fields=["enabled", "updated_at"])
    return row


async def update_currency_rounding(code: str, rounding: RoundingRule) -> PresentmentCurrency:
    """Change the price-ending rule of an offered currency."""
    code = normalize_code(code, "code")
    _check_rounding(code, rounding)
    row = await enabled_currency(code, "code")
    if row.pk is None:  # the shop currency without a row of its own
        return row
    row.rounding = rounding
    await row.save(update_fields=["rounding", "updated_at"])
    return row


def _check_rounding(code: str, rounding: RoundingRule) -> None:
    if code == get_settings().shop_currency and rounding is not RoundingRule.NONE:
        raise fail(
            CurrencyErrorCode.SHOP_CURRENCY,
            f"{code} is the shop currency: its prices are shown as the merchant set them.",
            "rounding",
        )
