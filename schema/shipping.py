"""Shipping types, inputs and payloads: the merchant's carriers, zones and rate tables, and
the options a storefront shows for a destination.

Carriers, services, zones and rates are settings: only staff with the `settings`
permission see them, as nodes too. A shipping option is public, and carries the service's
global ID for checkout to send back.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry import relay

from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from schema.context import Info
from schema.currency import Prices, shown_prices
from schema.errors import UserError
from schema.geo import CountryCode, country_code
from schema.kit import errors_for
from schema.money import CurrencyCode, MoneyType
from schema.relay import Connection, encode_id
from services.auth import StaffPermission
from services.errors import ServiceError
from services.shipping.errors import ShippingErrorCode
from services.shipping.quotes import ShippingOption
from services.shipping.tracking_numbers import (
    Inspection,
    PostalService,
    TrackingCarrier,
    Validity,
)

ServiceLevelEnum = strawberry.enum(
    ServiceLevel,
    name="ShippingServiceLevel",
    description="How fast and how handled: DEDICATED_LINE is a consolidated cross-border "
    "line with duties handled.",
)
ShippingErrorCodeEnum = strawberry.enum(ShippingErrorCode, name="ShippingErrorCode")
TrackingNumberCarrierEnum = strawberry.enum(
    TrackingCarrier,
    name="TrackingNumberCarrier",
    description="Whose format a tracking number has: UPU_S10 is the international number of "
    "every postal service (`RB123456785GB`).",
)
TrackingNumberValidityEnum = strawberry.enum(
    Validity,
    name="TrackingNumberValidity",
    description="VALID: a known format whose check digit adds up; INVALID_CHECK_DIGIT: a "
    "known format whose check digit does not; UNKNOWN_FORMAT: a format the shop cannot check "
    "(taken as it is); INVALID_FORMAT: no tracking number, or a known format broken.",
)
TrackingNumberServiceEnum = strawberry.enum(
    PostalService,
    name="TrackingNumberService",
    description="The service a UPU S10 number's first letter names (E: EMS, C: parcel post, "
    "R: registered, L: tracked letter or small packet, V: insured, U: unregistered, ...).",
)


def _may_see(info: Info) -> bool:
    return info.context.viewer.can(StaffPermission.SETTINGS)


@strawberry.type(name="Carrier", description="A company that carries parcels.")
class CarrierType(relay.Node):
    id: relay.NodeID[int]
    name: str
    code: str = strawberry.field(description="Short code for reports and links, e.g. `dhl`.")
    tracking_url: str = strawberry.field(
        description="Tracking page with `{number}` where the tracking number goes; empty: none."
    )
    tracking_expiry_days: int = strawberry.field(
        description="Days without a tracking event after which a parcel's tracking expires."
    )
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, carrier: Carrier) -> CarrierType:
        return cls(
            id=carrier.id,
            name=carrier.name,
            code=carrier.code,
            tracking_url=carrier.tracking_url,
            tracking_expiry_days=carrier.tracking_expiry_days,
            active=carrier.active,
            created_at=carrier.created_at,
            updated_at=carrier.updated_at,
        )

    @strawberry.field(description="The carrier's services, by name.")
    async def services(self, info: Info) -> list[ShippingServiceType]:
        rows = await info.context.loaders.shipping_services_by_carrier.load(self.id)
        return [ShippingServiceType.build(row) for row in rows]


@strawberry.type(name="ShippingService", description="A service a carrier sells, e.g. EMS.")
class ShippingServiceType(relay.Node):
    id: relay.NodeID[int]
    name: str
    level: ServiceLevelEnum  # type: ignore[valid-type]
    volumetric_divisor: int = strawberry.field(
        description="Cubic centimetres per kilogram of volumetric weight (5000 for most)."
    )
    max_weight_grams: int | None = strawberry.field(
        description="Heaviest parcel taken, by actual weight; null: no limit."
    )
    active: bool
    created_at: datetime
    updated_at: datetime
    _carrier_id: strawberry.Private[int]

    @classmethod
    def build(cls, service: ShippingService) -> ShippingServiceType:
        return cls(
            id=service.id,
            name=service.name,
            level=service.level,
            volumetric_divisor=service.volumetric_divisor,
            max_weight_grams=service.max_weight_grams,
            active=service.active,
            created_at=service.created_at,
            updated_at=service.updated_at,
            _carrier_id=service.carrier_id,
        )

    @strawberry.field
    async def carrier(self, info: Info) -> CarrierType:
        row = await info.context.loaders.carrier.load(self._carrier_id)
        return CarrierType.build(cast(Carrier, row))


@strawberry.type(name="ShippingZone", description="Destinations priced alike.")
class ShippingZoneType(relay.Node):
    id: relay.NodeID[int]
    name: str
    countries: list[CountryCode] = strawberry.field(
        description="Its countries, sorted; each is in no other zone."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, zone: ShippingZone) -> ShippingZoneType:
        return cls(
            id=zone.id,
            name=zone.name,
            countries=cast(Any, list(zone.countries)),
            created_at=zone.created_at,
            updated_at=zone.updated_at,
        )


@strawberry.type(
    name="ShippingRate",
    description="A service's price to a zone for parcels up to a weight, and its estimate.",
)
class ShippingRateType(relay.Node):
    id: relay.NodeID[int]
    max_weight_grams: int = strawberry.field(
        description="Upper bound of the weight band, in grams, inclusive."
    )
    price: MoneyType = strawberry.field(description="In the shop currency.")
    min_days: int = strawberry.field(description="Shortest delivery estimate, in business days.")
    max_days: int = strawberry.field(description="Longest delivery estimate, in business days.")
    _service_id: strawberry.Private[int]
    _zone_id: strawberry.Private[int]

    @classmethod
    def build(cls, rate: ShippingRate, currency: str) -> ShippingRateType:
        return cls(
            id=rate.id,
            max_weight_grams=rate.max_weight_grams,
            price=MoneyType.minor(rate.price, currency),
            min_days=rate.min_days,
            max_days=rate.max_days,
            _service_id=rate.service_id,
            _zone_id=rate.zone_id,
        )

    @strawberry.field
    async def service(self, info: Info) -> ShippingServiceType:
        row = await info.context.loaders.shipping_service.load(self._service_id)
        return ShippingServiceType.build(cast(ShippingService, row))

    @strawberry.field
    async def zone(self, info: Info) -> ShippingZoneType:
        row = await info.context.loaders.shipping_zone.load(self._zone_id)
        return ShippingZoneType.build(cast(ShippingZone, row))


@strawberry.type(name="CarrierConnection")
class CarrierConnection(Connection[CarrierType]):
    pass


@strawberry.type(name="ShippingZoneConnection")
class ShippingZoneConnection(Connection[ShippingZoneType]):
    pass


@strawberry.type(name="ShippingRateConnection")
class ShippingRateConnection(Connection[ShippingRateType]):
    pass


# What a storefront is shown.


@strawberry.type(
    name="ShippingOption", description="A way to send the parcel, its price and estimate."
)
class ShippingOptionType:
    service_id: strawberry.ID = strawberry.field(
        description="The ShippingService to choose at checkout."
    )
    carrier_id: strawberry.ID
    carrier_name: str
    service_name: str
    level: ServiceLevelEnum  # type: ignore[valid-type]
    min_days: int = strawberry.field(description="Shortest delivery estimate, in business days.")
    max_days: int = strawberry.field(description="Longest delivery estimate, in business days.")
    chargeable_weight_grams: int = strawberry.field(
        description="What the parcel is charged as: its actual or volumetric weight, "
        "whichever is more."
    )
    price: MoneyType = strawberry.field(
        description="In the answer's currency, converted exactly as checkout converts it."
    )
    _price: strawberry.Private[int]

    @classmethod
    def build(cls, option: ShippingOption, prices: Prices) -> ShippingOptionType:
        return cls(
            service_id=encode_id("ShippingService", option.service_id),
            carrier_id=encode_id("Carrier", option.carrier_id),
            carrier_name=option.carrier_name,
            service_name=option.service_name,
            level=option.level,
            min_days=option.min_days,
            max_days=option.max_days,
            chargeable_weight_grams=option.chargeable_weight_grams,
            price=prices.exact(option.price),
            _price=option.price,
        )

    @strawberry.field(description="The price in the shop currency, as an order records it.")
    def shop_price(self, info: Info) -> MoneyType:
        return MoneyType.minor(self._price, info.context.settings.shop_currency)


@strawberry.type(
    name="TrackingNumberInfo",
    description="What a tracking number is, as far as its format tells, for the carrier asked.",
)
class TrackingNumberInfoType:
    number: str = strawberry.field(
        description="The number as a parcel keeps it: trimmed, without spaces, upper-case."
    )
    detected_carrier: TrackingNumberCarrierEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Whose format the number has; null when the format is unknown."
    )
    service: TrackingNumberServiceEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The service the format names, where it names one (UPU S10 numbers)."
    )
    origin_country: CountryCode | None = strawberry.field(
        description="Where a UPU S10 number was posted (its `UK` is GB)."
    )
    validity: TrackingNumberValidityEnum  # type: ignore[valid-type]
    message: str = strawberry.field(description="What is right or wrong, in a sentence.")
    expected_check_digit: str | None = strawberry.field(
        description="With INVALID_CHECK_DIGIT: the check digit the number should end with."
    )
    carrier_mismatch: bool = strawberry.field(
        description="The format is clearly another company's than the carrier asked about; "
        "`shipOrder` refuses it with TRACKING_NUMBER_CARRIER_MISMATCH unless told otherwise."
    )
    tracking_url: str | None = strawberry.field(
        description="The carrier's tracking page for the number, when a carrier was asked "
        "about and has one."
    )

    @classmethod
    def build(cls, inspection: Inspection) -> TrackingNumberInfoType:
        verdict = inspection.verdict
        message = " ".join(m for m in (verdict.mismatch_message, verdict.message) if m)
        return cls(
            number=verdict.number,
            detected_carrier=verdict.carrier,
            service=verdict.service,
            origin_country=country_code(verdict.origin_country),
            validity=verdict.validity,
            message=message,
            expected_check_digit=verdict.expected_check_digit,
            carrier_mismatch=verdict.carrier_mismatch,
            tracking_url=inspection.tracking_url,
        )


@strawberry.type(name="ShippingError")
class ShippingErrorType(UserError):
    code: ShippingErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type(
    name="ShippingOptions",
    description="The options for a destination and parcel, cheapest first, or why there are none.",
)
class ShippingOptionsType:
    currency: CurrencyCode = strawberry.field(
        description="The currency the prices are in: the `currency` argument, else "
        "X-Currency, else the member's, else the shop's."
    )
    options: list[ShippingOptionType] = strawberry.field(default_factory=list)
    errors: list[ShippingErrorType] = strawberry.field(default_factory=list)

    @classmethod
    async def from_service_error(
        cls, exc: ServiceError, info: Info, arguments: dict[str, Any]
    ) -> ShippingOptionsType:
        """Why there are no options, in the currency asked for."""
        prices = await shown_prices(info, arguments.get("currency"))
        return cls(currency=prices.code(), errors=errors_for(cls, exc, info))


@strawberry.input
class ShippingDestinationInput:
    country: CountryCode
    region: str = strawberry.field(default="", description="State, province or prefecture.")
    postal_code: str = ""


@strawberry.input
class ShippingItemInput:
    variant_id: strawberry.ID
    quantity: int


# Staff inputs and payloads.

_ID = "Fields left out stay as they are."


@strawberry.input
class CreateCarrierInput:
    name: str
    code: str = strawberry.field(description="2 to 32 of a-z, 0-9, - and _; stored lower-case.")
    tracking_url: str = strawberry.field(
        default="", description="An http(s) URL with `{number}` where the tracking number goes."
    )
    tracking_expiry_days: int = strawberry.field(
        default=30,
        description="Days without a tracking event after which a parcel's tracking expires "
        "(1 to 365).",
    )
    active: bool = True


@strawberry.input(description=_ID + " A null tracking URL clears it.")
class UpdateCarrierInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    tracking_url: str | None = strawberry.UNSET
    tracking_expiry_days: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.input
class DeleteCarrierInput:
    id: strawberry.ID


@strawberry.input
class CreateShippingServiceInput:
    carrier_id: strawberry.ID
    name: str
    level: ServiceLevelEnum  # type: ignore[valid-type]
    volumetric_divisor: int = strawberry.field(
        default=5000, description="Cubic centimetres per kilogram, 1000 to 10000."
    )
    max_weight_grams: int | None = strawberry.field(
        default=None, description="Heaviest parcel taken, by actual weight; null: no limit."
    )
    active: bool = True


@strawberry.input(description=_ID + " A null weight limit removes it.")
class UpdateShippingServiceInput:
    id: strawberry.ID
    carrier_id: strawberry.ID | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    level: ServiceLevelEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    volumetric_divisor: int | None = strawberry.UNSET
    max_weight_grams: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.input
class DeleteShippingServiceInput:
    id: strawberry.ID


@strawberry.input
class CreateShippingZoneInput:
    name: str
    countries: list[CountryCode] = strawberry.field(
        default_factory=list, description="Countries in no other zone."
    )


@strawberry.input(description=_ID + " `countries` replaces the whole list.")
class UpdateShippingZoneInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    countries: list[CountryCode] | None = strawberry.UNSET


@strawberry.input
class DeleteShippingZoneInput:
    id: strawberry.ID


@strawberry.input
class CreateShippingRateInput:
    service_id: strawberry.ID
    zone_id: strawberry.ID
    max_weight_grams: int = strawberry.field(
        description="Upper bound of the weight band, in grams, inclusive."
    )
    price: Decimal = strawberry.field(description="A decimal amount of the shop currency.")
    min_days: int
    max_days: int


@strawberry.input(description=_ID)
class UpdateShippingRateInput:
    id: strawberry.ID
    max_weight_grams: int | None = strawberry.UNSET
    price: Decimal | None = strawberry.UNSET
    min_days: int | None = strawberry.UNSET
    max_days: int | None = strawberry.UNSET


@strawberry.input
class DeleteShippingRateInput:
    id: strawberry.ID


@strawberry.type
class ShippingPayload:
    errors: list[ShippingErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class CarrierPayload(ShippingPayload):
    carrier: CarrierType | None = None


@strawberry.type
class ShippingServicePayload(ShippingPayload):
    service: ShippingServiceType | None = None


@strawberry.type
class ShippingZonePayload(ShippingPayload):
    zone: ShippingZoneType | None = None


@strawberry.type
class ShippingRatePayload(ShippingPayload):
    rate: ShippingRateType | None = None


@strawberry.type
class DeleteShippingPayload(ShippingPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class CreateCarrierPayload(CarrierPayload):
    pass


@strawberry.type
class UpdateCarrierPayload(CarrierPayload):
    pass


@strawberry.type
class DeleteCarrierPayload(DeleteShippingPayload):
    pass


@strawberry.type
class CreateShippingServicePayload(ShippingServicePayload):
    pass


@strawberry.type
class UpdateShippingServicePayload(ShippingServicePayload):
    pass


@strawberry.type
class DeleteShippingServicePayload(DeleteShippingPayload):
    pass


@strawberry.type
class CreateShippingZonePayload(ShippingZonePayload):
    pass


@strawberry.type
class UpdateShippingZonePayload(ShippingZonePayload):
    pass


@strawberry.type
class DeleteShippingZonePayload(DeleteShippingPayload):
    pass


@strawberry.type
class CreateShippingRatePayload(ShippingRatePayload):
    pass


@strawberry.type
class UpdateShippingRatePayload(ShippingRatePayload):
    pass


@strawberry.type
class DeleteShippingRatePayload(DeleteShippingPayload):
    pass
