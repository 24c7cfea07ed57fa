"""Customs setup root fields: staff who keep the shop's settings manage its duty rates,
markets and registrations. Nobody else reads them through the API."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.customs import (
    CustomsMarketsType,
    CustomsMarketType,
    CustomsRegistrationType,
    DeleteDutyRateInput,
    DeleteDutyRatePayload,
    DutyRateConnection,
    DutyRateFilter,
    DutyRateType,
    ExportDutyRatesPayload,
    ImportDutyRatesPayload,
    RemoveCustomsMarketInput,
    RemoveCustomsMarketPayload,
    RemoveCustomsRegistrationInput,
    RemoveCustomsRegistrationPayload,
    SetCustomsMarketInput,
    SetCustomsMarketPayload,
    SetCustomsRegistrationInput,
    SetCustomsRegistrationPayload,
    SetDutyRateInput,
    SetDutyRatePayload,
)
from schema.kit import connection, input_pk, mutation, query
from schema.permissions import CanManageSettings
from schema.relay import page_request
from services.customs import duty_rates, markets, registrations


def _filter(filter: DutyRateFilter | None) -> duty_rates.RateFilter | None:
    if filter is None:
        return None
    return duty_rates.RateFilter(
        country=filter.country.value if filter.country is not None else None,
        prefix=filter.prefix,
    )


@strawberry.type
class CustomsQuery:
    @query(
        permission_classes=[CanManageSettings],
        description="The shop's duty rates by country, then HS code prefix (defaults first).",
    )
    async def duty_rates(
        self,
        info: Info,
        filter: DutyRateFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DutyRateConnection:
        checked = duty_rates.check_filter(_filter(filter))
        page = await duty_rates.list_rates(
            checked,
            page_request(first, after, last, before),
            max_size=info.context.settings.max_page_size,
        )
        info.context.loaders.duty_rate.prime_all(page.items)
        return connection(
            DutyRateConnection,
            page,
            [DutyRateType.build(r) for r in page.items],
            duty_rates.rate_queryset(checked).count,
        )

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="The destinations with an incoterm of their own (DDP or DAP), and the "
        "default of the others.",
    )
    async def customs_markets(self) -> CustomsMarketsType:
        found = await markets.list_markets()
        return CustomsMarketsType(
            default_incoterm=found.default_incoterm,
            markets=[CustomsMarketType.build(m) for m in found.markets],
        )

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="The shop's customs and tax registration numbers, by kind.",
    )
    async def customs_registrations(self) -> list[CustomsRegistrationType]:
        return [CustomsRegistrationType.build(r) for r in await registrations.list_registrations()]


@strawberry.type
class CustomsMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Set the duty rate of a country and HS code prefix: created, or changed "
        "when the pair has one.",
    )
    async def set_duty_rate(self, input: SetDutyRateInput) -> SetDutyRatePayload:
        rate, created = await duty_rates.set_rate(
            {
                "country": input.country.value,
                "hs_prefix": input.hs_prefix,
                "rate_percent": input.rate_percent,
                "source": input.source,
            }
        )
        return SetDutyRatePayload(rate=DutyRateType.build(rate), created=created)

    @mutation(permission_classes=[CanManageSettings])
    async def delete_duty_rate(self, input: DeleteDutyRateInput) -> DeleteDutyRatePayload:
        await duty_rates.delete_rate(input_pk(input.id, "DutyRate", "id", what="The duty rate"))
        return DeleteDutyRatePayload(deleted_id=input.id)

    @mutation(
        permission_classes=[CanManageSettings],
        description="Import duty rates from CSV text (header `country,hs_prefix,rate_percent,"
        "source`; UTF-8, with or without a byte-order mark; at most 512 KiB and 5000 rates). "
        "Every row is checked first: a file with any problem is refused whole, with an error "
        "per problem at `csv.<line>.<column>`; otherwise every rate is created or updated in "
        "one transaction. `dryRun` answers the same counts and changes without writing.",
    )
    async def import_duty_rates(
        self, csv: str, dry_run: bool | None = False
    ) -> ImportDutyRatesPayload:
        result = await duty_rates.import_rates(csv, dry_run=bool(dry_run))
        return ImportDutyRatesPayload.build(result)

    @mutation(
        permission_classes=[CanManageSettings],
        description="The duty rates (those the filter selects) as CSV text that "
        "`importDutyRates` takes back.",
    )
    async def export_duty_rates(
        self, filter: DutyRateFilter | None = None
    ) -> ExportDutyRatesPayload:
        text, count = await duty_rates.export_rates(_filter(filter))
        return ExportDutyRatesPayload(csv=text, count=count)

    @mutation(
        permission_classes=[CanManageSettings],
        description="Give a destination its own incoterm: DDP charges its duties and import "
        "taxes at checkout, DAP shows an estimate paid to the carrier.",
    )
    async def set_customs_market(self, input: SetCustomsMarketInput) -> SetCustomsMarketPayload:
        market = await markets.set_market(input.country.value, input.incoterm)
        return SetCustomsMarketPayload(market=CustomsMarketType.build(market))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Send a destination back to the default incoterm.",
    )
    async def remove_customs_market(
        self, input: RemoveCustomsMarketInput
    ) -> RemoveCustomsMarketPayload:
        await markets.remove_market(input.country.value)
        return RemoveCustomsMarketPayload(
            country=input.country, default_incoterm=markets.default_incoterm()
        )

    @mutation(
        permission_classes=[CanManageSettings],
        description="Record or replace the shop's number of one kind, checked by its format.",
    )
    async def set_customs_registration(
        self, input: SetCustomsRegistrationInput
    ) -> SetCustomsRegistrationPayload:
        row = await registrations.set_registration(input.kind, input.number)
        return SetCustomsRegistrationPayload(registration=CustomsRegistrationType.build(row))

    @mutation(permission_classes=[CanManageSettings])
    async def remove_customs_registration(
        self, input: RemoveCustomsRegistrationInput
    ) -> RemoveCustomsRegistrationPayload:
        kind = await registrations.remove_registration(input.kind)
        return RemoveCustomsRegistrationPayload(kind=kind)
