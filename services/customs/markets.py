"""Markets: per destination country, whether its orders are sent DDP (duties and import
taxes charged at checkout) or DAP (the carrier collects them at the door, the shopper sees
an estimate). A country without a row takes the shop's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from models.customs import CustomsMarket, Incoterm
from services.customs.lookup import default_incoterm
from services.customs.setup_errors import (
    CustomsSetupError,
    CustomsSetupErrorCode,
    country_code,
    not_found,
)
from services.errors import Problems
from services.transactions import atomic

Code = CustomsSetupErrorCode


@dataclass(frozen=True, slots=True)
class Markets:
    """The countries with an incoterm of their own, and the one the others take."""

    default_incoterm: Incoterm
    markets: list[CustomsMarket]


def _checked(country: object, incoterm: object | None) -> tuple[str, Incoterm | None]:
    problems = Problems(CustomsSetupError)
    code = country_code(country)
    if code is None:
        problems.add(
            Code.INVALID_COUNTRY,
            f"{str(country)[:20]!r} is not an ISO 3166-1 alpha-2 country code.",
            "country",
        )
    term = None
    if incoterm is not None:
        try:
            term = Incoterm(str(incoterm).lower())
        except ValueError:
            problems.add(Code.INVALID_INCOTERM, "An incoterm is DDP or DAP.", "incoterm")
    problems.raise_if_any()
    assert code is not None
    return code, term


async def set_market(country: str, incoterm: Incoterm | str) -> CustomsMarket:
    """Give a destination its own incoterm (DDP or DAP)."""
    code, term = _checked(country, incoterm)
    assert term is not None
    try:
        async with atomic():
            market = await CustomsMarket.filter(country=code).select_for_update().first()
            if market is None:
                return await CustomsMarket.create(country=code, incoterm=term)
            market.incoterm = term
            await market.save(update_fields=["incoterm", "updated_at"])
            return market
    except IntegrityError:  # the same country's market created at the same moment
        market = await CustomsMarket.get(country=code)
        market.incoterm = term
        await market.save(update_fields=["incoterm", "updated_at"])
        return market


async def remove_market(country: str) -> str:
    """Send a destination back to the default incoterm; its country code."""
    code, _ = _checked(country, None)
    if not await CustomsMarket.filter(country=code).delete():
        raise not_found(f"A market for {code}", "country")
    return code


async def list_markets() -> Markets:
    """Every market by country, and the default the other countries take."""
    return Markets(
        default_incoterm=default_incoterm(),
        markets=list(await CustomsMarket.all().order_by("country")),
    )
