"""Customs setup types, inputs and payloads: the merchant's duty rates, its markets (DDP or
DAP per destination) and its registrations.

All of it is settings: only staff with the `settings` permission read or change it, and a
duty rate is a node only for them. Rates are shown as decimal percentages ("12.8") and in
basis points, exactly as stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry import relay

from models.customs import CustomsMarket, DutyRate, MerchantRegistration
from models.customs import RegistrationKind as RegistrationKindModel
from schema.context import Info
from schema.errors import UserError
from schema.geo import CountryCode
from schema.kit import errors_for
from schema.orders.customs import IncotermEnum
from schema.relay import Connection
from services.customs.duty_rates import Change, ImportResult, RateChange, percent_of
from services.customs.setup_errors import CustomsSetupErrorCode
from services.errors import ServiceError

CustomsRegistrationKindEnum = strawberry.enum(
    RegistrationKindModel,
    name="CustomsRegistrationKind",
    description="EORI: EU customs identification; IOSS: the EU Import One-Stop Shop VAT "
    "number; UK_VAT: the UK VAT number for consignments up to GBP 135; AU_ARN: the Australian "
    "GST number for low-value imported goods.",
)
CustomsSetupErrorCodeEnum = strawberry.enum(CustomsSetupErrorCode, name="CustomsSetupErrorCode")
DutyRateChangeKindEnum = strawberry.enum(
    Change, name="DutyRateChangeKind", description="What an import does to one rate."
)


@strawberry.type(
    name="DutyRate",
    description="The duty rate of goods whose HS code starts with `hsPrefix`, into `country`. "
    "The longest prefix matching a code wins; the empty prefix is the country's default.",
)
class DutyRateType(relay.Node):
    id: relay.NodeID[int]
    country: CountryCode
    hs_prefix: str = strawberry.field(
        description="0 to 10 digits: empty (the default), a chapter (61), a heading (6109)..."
    )
    rate_percent: str = strawberry.field(
        description="The rate as a decimal percentage, at most two decimals: `12.8`."
    )
    rate_bps: int = strawberry.field(description="The rate in basis points (1 % = 100).")
    source: str = strawberry.field(description="Where the rate was taken from; may be empty.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, rate: DutyRate) -> DutyRateType:
        return cls(
            id=rate.id,
            country=cast(Any, rate.country),
            hs_prefix=rate.hs_prefix,
            rate_percent=percent_of(rate.rate_bps),
            rate_bps=rate.rate_bps,
            source=rate.source,
            created_at=rate.created_at,
            updated_at=rate.updated_at,
        )


@strawberry.type(name="DutyRateConnection")
class DutyRateConnection(Connection[DutyRateType]):
    pass


@strawberry.type(
    name="DutyRateChange", description="A rate an import creates or updates, and its old values."
)
class DutyRateChangeType:
    change: DutyRateChangeKindEnum  # type: ignore[valid-type]
    country: CountryCode
    hs_prefix: str
    rate_percent: str
    source: str
    previous_rate_percent: str | None = strawberry.field(
        description="The stored rate it replaces; null for a new one."
    )
    previous_source: str | None

    @classmethod
    def build(cls, change: RateChange) -> DutyRateChangeType:
        row = change.row
        return cls(
            change=change.change,
            country=cast(Any, row.country),
            hs_prefix=row.hs_prefix,
            rate_percent=percent_of(row.rate_bps),
            source=row.source,
            previous_rate_percent=(
                None if change.previous_rate_bps is None else percent_of(change.previous_rate_bps)
            ),
            previous_source=change.previous_source,
        )


@strawberry.type(name="CustomsMarket", description="A destination with an incoterm of its own.")
class CustomsMarketType:
    country: CountryCode
    incoterm: IncotermEnum  # type: ignore[valid-type]
    updated_at: datetime

    @classmethod
    def build(cls, market: CustomsMarket) -> CustomsMarketType:
        return cls(
            country=cast(Any, market.country),
            incoterm=market.incoterm,
            updated_at=market.updated_at,
        )


@strawberry.type(
    name="CustomsMarkets",
    description="The destinations with an incoterm of their own, and the default of the rest.",
)
class CustomsMarketsType:
    default_incoterm: IncotermEnum = strawberry.field(  # type: ignore[valid-type]
        description="What every country without a market of its own takes."
    )
    markets: list[CustomsMarketType] = strawberry.field(description="By country.")


@strawberry.type(
    name="CustomsRegistration",
    description="One of the shop's customs or tax registration numbers, as documents print it.",
)
class CustomsRegistrationType:
    kind: CustomsRegistrationKindEnum  # type: ignore[valid-type]
    number: str = strawberry.field(description="Normalised: no spaces, dots or dashes, upper-case.")
    updated_at: datetime

    @classmethod
    def build(cls, row: MerchantRegistration) -> CustomsRegistrationType:
        return cls(kind=row.kind, number=row.number, updated_at=row.updated_at)


@strawberry.type(name="CustomsSetupError")
class CustomsSetupErrorType(UserError):
    code: CustomsSetupErrorCodeEnum  # type: ignore[valid-type]


# Inputs.


@strawberry.input(description="Rates of one country, and/or whose prefix starts so.")
class DutyRateFilter:
    country: CountryCode | None = None
    prefix: str | None = strawberry.field(
        default=None, description="Digits the rates' prefix starts with (dots ignored)."
    )


@strawberry.input(description="A rate is keyed by country and prefix: set twice, it changes.")
class SetDutyRateInput:
    country: CountryCode
    hs_prefix: str = strawberry.field(
        default="", description="0 to 10 digits; empty sets the country's default rate."
    )
    rate_percent: str = strawberry.field(
        description="A decimal percentage from 0 to 1000 with at most two decimals: `12.8`."
    )
    source: str = strawberry.field(
        default="", description="Where the rate comes from: a tariff's URL or name (300 max)."
    )


@strawberry.input
class DeleteDutyRateInput:
    id: strawberry.ID


@strawberry.input
class SetCustomsMarketInput:
    country: CountryCode
    incoterm: IncotermEnum  # type: ignore[valid-type]


@strawberry.input
class RemoveCustomsMarketInput:
    country: CountryCode


@strawberry.input
class SetCustomsRegistrationInput:
    kind: CustomsRegistrationKindEnum  # type: ignore[valid-type]
    number: str = strawberry.field(
        description="Spaces, dots and dashes are dropped and letters upper-cased."
    )


@strawberry.input
class RemoveCustomsRegistrationInput:
    kind: CustomsRegistrationKindEnum  # type: ignore[valid-type]


# Payloads.


@strawberry.type
class CustomsSetupPayload:
    errors: list[CustomsSetupErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class SetDutyRatePayload(CustomsSetupPayload):
    rate: DutyRateType | None = None
    created: bool = strawberry.field(
        default=False, description="True when the rate was new, false when it was changed."
    )


@strawberry.type
class DeleteDutyRatePayload(CustomsSetupPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type(
    description="What an import changed, or with `dryRun` would change; with errors, nothing "
    "was changed and the counts are 0."
)
class ImportDutyRatesPayload(CustomsSetupPayload):
    dry_run: bool = False
    rows: int = strawberry.field(default=0, description="Rates in the file.")
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[DutyRateChangeType] = strawberry.field(
        default_factory=list,
        description="The created and updated rates, by country and prefix (the first 500).",
    )

    @classmethod
    def build(cls, result: ImportResult) -> ImportDutyRatesPayload:
        return cls(
            dry_run=result.dry_run,
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            changes=[DutyRateChangeType.build(c) for c in result.changes],
        )

    @classmethod
    def from_service_error(
        cls, exc: ServiceError, info: Info, arguments: dict[str, Any]
    ) -> ImportDutyRatesPayload:
        return cls(dry_run=bool(arguments.get("dry_run")), errors=errors_for(cls, exc, info))


@strawberry.type
class ExportDutyRatesPayload(CustomsSetupPayload):
    csv: str | None = strawberry.field(
        default=None,
        description="The rates as CSV (UTF-8, header `country,hs_prefix,rate_percent,source`) "
        "that `importDutyRates` takes back unchanged.",
    )
    count: int = strawberry.field(default=0, description="Rates in the file.")


@strawberry.type
class SetCustomsMarketPayload(CustomsSetupPayload):
    market: CustomsMarketType | None = None


@strawberry.type
class RemoveCustomsMarketPayload(CustomsSetupPayload):
    country: CountryCode | None = None
    default_incoterm: IncotermEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="What the country now takes."
    )


@strawberry.type
class SetCustomsRegistrationPayload(CustomsSetupPayload):
    registration: CustomsRegistrationType | None = None


@strawberry.type
class RemoveCustomsRegistrationPayload(CustomsSetupPayload):
    kind: CustomsRegistrationKindEnum | None = None  # type: ignore[valid-type]
