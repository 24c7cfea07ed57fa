"""Shipping root fields: settings staff keep carriers, zones and rates; anyone asks for options.

`shippingOptions` is public so a storefront can show what delivery costs before checkout,
for guests too: it reveals no more than the prices a shop publishes anyway.
"""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise import timezone

from resolvers.common import plain
from schema.catalog.types import early_access_of
from schema.context import Info
from schema.currency import shown_prices
from schema.kit import (
    argument_pk,
    connection,
    field_with_errors,
    input_pk,
    mutation,
    page_or_error,
    query,
)
from schema.money import CurrencyCode
from schema.permissions import CanManageOrders, CanManageSettings, CanReadCarriers
from schema.relay import page_request
from schema.shipping import (
    CarrierConnection,
    CarrierType,
    CreateCarrierInput,
    CreateCarrierPayload,
    CreateShippingRateInput,
    CreateShippingRatePayload,
    CreateShippingServiceInput,
    CreateShippingServicePayload,
    CreateShippingZoneInput,
    CreateShippingZonePayload,
    DeleteCarrierInput,
    DeleteCarrierPayload,
    DeleteShippingRateInput,
    DeleteShippingRatePayload,
    DeleteShippingServiceInput,
    DeleteShippingServicePayload,
    DeleteShippingZoneInput,
    DeleteShippingZonePayload,
    ShippingDestinationInput,
    ShippingItemInput,
    ShippingOptionsType,
    ShippingOptionType,
    ShippingRateConnection,
    ShippingRateType,
    ShippingServiceType,
    ShippingZoneConnection,
    ShippingZoneType,
    TrackingNumberInfoType,
    UpdateCarrierInput,
    UpdateCarrierPayload,
    UpdateShippingRateInput,
    UpdateShippingRatePayload,
    UpdateShippingServiceInput,
    UpdateShippingServicePayload,
    UpdateShippingZoneInput,
    UpdateShippingZonePayload,
)
from services.auth import StaffPermission
from services.shipping import carriers, quotes, rates, tracking_numbers, zones
from services.shipping.errors import ShippingErrorCode

#: Input fields holding global IDs: the type each names, and the field's GraphQL name.
ID_FIELDS = {
    "carrier_id": ("Carrier", "carrierId"),
    "service_id": ("ShippingService", "serviceId"),
    "zone_id": ("ShippingZone", "zoneId"),
}


def _variant_pk(item: ShippingItemInput, index: int) -> int:
    return input_pk(
        item.variant_id,
        "ProductVariant",
        "items",
        str(index),
        "variantId",
        what="The product variant",
        code=ShippingErrorCode.VARIANT_NOT_FOUND,
    )


def shipping_fields(input: Any) -> Any:
    """The fields an input gives, as the services take them (global IDs decoded)."""
    data = plain(input)
    data.pop("id", None)
    for name, (type_name, field) in ID_FIELDS.items():
        if data.get(name) is not None:
            data[name] = input_pk(data[name], type_name, field)
    return data


@strawberry.type
class ShippingQuery:
    @strawberry.field(
        permission_classes=[CanReadCarriers],
        description="Carriers, by name, with their services: for staff who keep the shipping "
        "settings or who ship orders.",
    )
    async def carriers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CarrierConnection:
        page = await page_or_error(
            carriers.list_carriers(
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.carrier.prime_all(page.items)
        return connection(
            CarrierConnection,
            page,
            [CarrierType.build(c) for c in page.items],
            carriers.carrier_queryset().count,
        )

    @strawberry.field(
        permission_classes=[CanManageSettings], description="Shipping zones, by name."
    )
    async def shipping_zones(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ShippingZoneConnection:
        page = await page_or_error(
            zones.list_zones(
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.shipping_zone.prime_all(page.items)
        return connection(
            ShippingZoneConnection,
            page,
            [ShippingZoneType.build(z) for z in page.items],
            zones.zone_queryset().count,
        )

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="A service's rate table (to one zone, if given), lightest band first.",
    )
    async def shipping_rates(
        self,
        info: Info,
        service_id: strawberry.ID,
        zone_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ShippingRateConnection:
        not_ours = "Not a ShippingService or ShippingZone ID."
        service_pk = argument_pk(service_id, "ShippingService", "serviceId", not_ours)
        zone_pk = None
        if zone_id is not None:
            zone_pk = argument_pk(zone_id, "ShippingZone", "serviceId", not_ours)
        page = await page_or_error(
            rates.list_rates(
                service_pk,
                zone_pk,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        currency = info.context.settings.shop_currency
        return connection(
            ShippingRateConnection,
            page,
            [ShippingRateType.build(r, currency) for r in page.items],
            rates.rate_queryset(service_pk, zone_pk).count,
        )

    @field_with_errors(
        description="The ways to ship these items to a destination, cheapest then fastest "
        "first, priced by their catalog weights and sizes; or why there are none."
    )
    async def shipping_options(
        self,
        info: Info,
        destination: ShippingDestinationInput,
        items: list[ShippingItemInput],
        currency: CurrencyCode | None = None,
    ) -> ShippingOptionsType:
        viewer = info.context.viewer
        prices = await shown_prices(info, currency)
        lines = [
            quotes.VariantLine(variant_id=_variant_pk(item, index), quantity=item.quantity)
            for index, item in enumerate(items)
        ]
        found = await quotes.options_for_variants(
            quotes.Destination(
                country=str(destination.country.value),
                region=destination.region,
                postal_code=destination.postal_code,
            ),
            lines,
            now=timezone.now(),
            early_access=await early_access_of(info),
            see_all=viewer.can(StaffPermission.CATALOG),
        )
        return ShippingOptionsType(
            currency=prices.code(),
            options=[ShippingOptionType.build(option, prices) for option in found],
        )

    @field_with_errors(
        permission_classes=[CanManageSettings],
        description="What a parcel of this weight would cost to send to a destination, "
        "cheapest then fastest first: staff checking their rate tables.",
    )
    async def shipping_preview(
        self,
        info: Info,
        destination: ShippingDestinationInput,
        weight_grams: int,
        currency: CurrencyCode | None = None,
    ) -> ShippingOptionsType:
        prices = await shown_prices(info, currency)
        found = await quotes.options_for_weight(
            quotes.Destination(country=str(destination.country.value)), weight_grams
        )
        return ShippingOptionsType(
            currency=prices.code(),
            options=[ShippingOptionType.build(option, prices) for option in found],
        )

    @query(
        permission_classes=[CanManageOrders],
        description="What a tracking number is before a parcel ships with it: its format, "
        "check digit and origin, for the carrier `carrierId` when given (with its tracking "
        "link). A number that is no tracking number at all answers INVALID_FORMAT.",
    )
    async def tracking_number_info(
        self, number: str, carrier_id: strawberry.ID | None = None
    ) -> TrackingNumberInfoType:
        carrier = None
        if carrier_id is not None:
            carrier = argument_pk(carrier_id, "Carrier", "carrierId")
        found = await tracking_numbers.inspect(number, carrier_id=carrier)
        return TrackingNumberInfoType.build(found)


@strawberry.type
class ShippingMutation:
    @mutation(permission_classes=[CanManageSettings])
    async def create_carrier(self, input: CreateCarrierInput) -> CreateCarrierPayload:
        carrier = await carriers.create_carrier(shipping_fields(input))
        return CreateCarrierPayload(carrier=CarrierType.build(carrier))

    @mutation(permission_classes=[CanManageSettings])
    async def update_carrier(self, input: UpdateCarrierInput) -> UpdateCarrierPayload:
        carrier = await carriers.update_carrier(
            input_pk(input.id, "Carrier", "id"), shipping_fields(input)
        )
        return UpdateCarrierPayload(carrier=CarrierType.build(carrier))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Delete a carrier without services; deactivate one that has some.",
    )
    async def delete_carrier(self, input: DeleteCarrierInput) -> DeleteCarrierPayload:
        await carriers.delete_carrier(input_pk(input.id, "Carrier", "id"))
        return DeleteCarrierPayload(deleted_id=input.id)

    @mutation(permission_classes=[CanManageSettings])
    async def create_shipping_service(
        self, input: CreateShippingServiceInput
    ) -> CreateShippingServicePayload:
        service = await carriers.create_service(shipping_fields(input))
        return CreateShippingServicePayload(service=ShippingServiceType.build(service))

    @mutation(permission_classes=[CanManageSettings])
    async def update_shipping_service(
        self, input: UpdateShippingServiceInput
    ) -> UpdateShippingServicePayload:
        service = await carriers.update_service(
            input_pk(input.id, "ShippingService", "id"), shipping_fields(input)
        )
        return UpdateShippingServicePayload(service=ShippingServiceType.build(service))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Delete a service and its rates; placed orders keep its name.",
    )
    async def delete_shipping_service(
        self, input: DeleteShippingServiceInput
    ) -> DeleteShippingServicePayload:
        await carriers.delete_service(input_pk(input.id, "ShippingService", "id"))
        return DeleteShippingServicePayload(deleted_id=input.id)

    @mutation(permission_classes=[CanManageSettings])
    async def create_shipping_zone(
        self, input: CreateShippingZoneInput
    ) -> CreateShippingZonePayload:
        zone = await zones.create_zone(shipping_fields(input))
        return CreateShippingZonePayload(zone=ShippingZoneType.build(zone))

    @mutation(permission_classes=[CanManageSettings])
    async def update_shipping_zone(
        self, input: UpdateShippingZoneInput
    ) -> UpdateShippingZonePayload:
        zone = await zones.update_zone(
            input_pk(input.id, "ShippingZone", "id"), shipping_fields(input)
        )
        return UpdateShippingZonePayload(zone=ShippingZoneType.build(zone))

    @mutation(
        permission_classes=[CanManageSettings],
        description="Delete a zone and its rates: its countries are no longer served.",
    )
    async def delete_shipping_zone(
        self, input: DeleteShippingZoneInput
    ) -> DeleteShippingZonePayload:
        await zones.delete_zone(input_pk(input.id, "ShippingZone", "id"))
        return DeleteShippingZonePayload(deleted_id=input.id)

    @mutation(permission_classes=[CanManageSettings])
    async def create_shipping_rate(
        self, info: Info, input: CreateShippingRateInput
    ) -> CreateShippingRatePayload:
        rate = await rates.create_rate(shipping_fields(input))
        currency = info.context.settings.shop_currency
        return CreateShippingRatePayload(rate=ShippingRateType.build(rate, currency))

    @mutation(permission_classes=[CanManageSettings])
    async def update_shipping_rate(
        self, info: Info, input: UpdateShippingRateInput
    ) -> UpdateShippingRatePayload:
        rate = await rates.update_rate(
            input_pk(input.id, "ShippingRate", "id"), shipping_fields(input)
        )
        currency = info.context.settings.shop_currency
        return UpdateShippingRatePayload(rate=ShippingRateType.build(rate, currency))

    @mutation(permission_classes=[CanManageSettings])
    async def delete_shipping_rate(
        self, input: DeleteShippingRateInput
    ) -> DeleteShippingRatePayload:
        await rates.delete_rate(input_pk(input.id, "ShippingRate", "id"))
        return DeleteShippingRatePayload(deleted_id=input.id)
