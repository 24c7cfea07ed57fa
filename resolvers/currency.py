"""Currency root fields: the offered currencies and quotes for anyone; rates and the list of
offered currencies for staff with the `settings` permission.
"""

from __future__ import annotations

from typing import Any

import strawberry

from schema.context import Info
from schema.currency import (
    CurrencyQuoteType,
    DisableCurrencyInput,
    DisableCurrencyPayload,
    EnableCurrencyInput,
    EnableCurrencyPayload,
    ExchangeRateType,
    ImportExchangeRatesPayload,
    PresentmentCurrencyType,
    SetExchangeRateInput,
    SetExchangeRatePayload,
    UpdateCurrencyRoundingInput,
    UpdateCurrencyRoundingPayload,
    code_of,
    presentment_currency_types,
    shown_prices,
)
from schema.kit import mutation, or_none
from schema.money import CurrencyCode
from schema.permissions import CanManageSettings
from services.currency import currencies, rates


async def _currency_type(row: Any, info: Info) -> PresentmentCurrencyType:
    return (await presentment_currency_types([row], info))[0]


@strawberry.type
class CurrencyQuery:
    @strawberry.field(
        description="The currencies shoppers may pick, by code, each with its current rate."
    )
    async def currencies(self, info: Info) -> list[PresentmentCurrencyType]:
        return await presentment_currency_types(await currencies.enabled_currencies(), info)

    @strawberry.field(
        description="The rate prices are shown at in `currency` (else the viewer's currency: "
        "the X-Currency header, then the profile, then the shop's); check `stale` to show a notice."
    )
    async def currency_quote(
        self, info: Info, currency: CurrencyCode | None = None
    ) -> CurrencyQuoteType:
        return CurrencyQuoteType.build((await shown_prices(info, currency)).quote)

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="The newest stored rate of each currency and source: the ECB's EUR-based "
        "ones and those set by hand from the shop currency.",
    )
    async def exchange_rates(self, info: Info) -> list[ExchangeRateType]:
        return [ExchangeRateType.build(s.row, s.stale) for s in await rates.latest_rates()]


@strawberry.type
class CurrencyMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Set today's rate from the shop currency to a currency by hand; on the "
        "same day it wins over the ECB's.",
    )
    async def set_exchange_rate(
        self, info: Info, input: SetExchangeRateInput
    ) -> SetExchangeRatePayload:
        row = await rates.set_manual_rate(
            code_of(input.currency), input.rate, actor_id=info.context.viewer.user_id
        )
        # None when the currency is not offered (yet): the rate is stored all the same.
        quote = await or_none(rates.quote(row.quote))
        return SetExchangeRatePayload(
            exchange_rate=ExchangeRateType.build(row, stale=False),
            quote=CurrencyQuoteType.build(quote) if quote is not None else None,
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Fetch and store the ECB's reference rates now (idempotent).",
    )
    async def import_exchange_rates(self, info: Info) -> ImportExchangeRatesPayload:
        result = await rates.import_ecb_url()
        return ImportExchangeRatesPayload(dates=result.dates, written=result.written)

    @mutation(
        permission_classes=[CanManageSettings],
        description="Offer a currency to shoppers, with its price-ending rule.",
    )
    async def enable_currency(
        self, info: Info, input: EnableCurrencyInput
    ) -> EnableCurrencyPayload:
        row = await currencies.enable_currency(code_of(input.code), input.rounding)
        return EnableCurrencyPayload(currency=await _currency_type(row, info))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Stop offering a currency (never the shop currency); its rates are kept.",
    )
    async def disable_currency(
        self, info: Info, input: DisableCurrencyInput
    ) -> DisableCurrencyPayload:
        row = await currencies.disable_currency(code_of(input.code))
        return DisableCurrencyPayload(currency=await _currency_type(row, info))

    @mutation(permission_classes=[CanManageSettings])
    async def update_currency_rounding(
        self, info: Info, input: UpdateCurrencyRoundingInput
    ) -> UpdateCurrencyRoundingPayload:
        row = await currencies.update_currency_rounding(code_of(input.code), input.rounding)
        return UpdateCurrencyRoundingPayload(currency=await _currency_type(row, info))
