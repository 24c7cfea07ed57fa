"""Shipping root fields: settings staff keep carriers, zones and rates; anyone asks for options.

`shippingOptions` is public so a storefront can show what delivery costs before checkout,
for guests too: it reveals no more than the prices a shop publishes anyway.
"""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise import timezone

from resolvers.common import page_or_error, plain
from schema.catalog.types import early_access_of
from schema.context import Info
from schema.currency import shown_prices
from schema.errors import BadUserInput
from schema.money import CurrencyCode
from schema.permissions import CanManageSettings
from schema.relay import decode_id, edges_of, page_request
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
    UpdateCarrierInput,
    UpdateCarrierPayload,
    UpdateShippingRateInput,
    UpdateShippingRatePayload,
    UpdateShippingServiceInput,
    UpdateShippingServicePayload,
    UpdateShippingZoneInput,
    UpdateShippingZonePayload,
    shipping_errors,
)
from services.auth import StaffPermission
from services.shipping import carriers, quotes, rates, zones
from services.shipping.errors import ShippingError, ShippingErrorCode, fail, not_found

#: Input fields holding global IDs, and the type each names.
ID_FIELDS = {"carrier_id": "Carrier", "service_id": "ShippingService", "zone_id": "ShippingZone"}


def shipping_pk(value: str, type_name: str, field: str = "id") -> int:
    """The primary key in a global ID of `type_name`, or a NOT_FOUND shipping error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(f"The {type_name}", _camel(field))
    return pk


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _variant_pk(item: ShippingItemInput, index: int) -> int:
    pk = decode_id(item.variant_id, "ProductVariant")
    if pk is None:
        raise fail(
            ShippingErrorCode.VARIANT_NOT_FOUND,
            "The product variant does not exist.",
            "items",
            str(index),
            "variantId",
        )
    return pk


def shipping_fields(input: Any) -> Any:
    """The fields an input gives, as the services take them (global IDs decoded)."""
    data = plain(input)
    data.pop("id", None)
    for name, type_name in ID_FIELDS.items():
        if data.get(name) is not None:
            data[name] = shipping_pk(data[name], type_name, name)
    return data


@strawberry.type
class ShippingQuery:
    @strawberry.field(permission_classes=[CanManageSettings], description="Carriers, by name.")
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
        edges, page_info = edges_of(page, [CarrierType.build(c) for c in page.items])
        return CarrierConnection(
            edges=edges, page_info=page_info, _count=carriers.carrier_queryset().count
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
        edges, page_info = edges_of(page, [ShippingZoneType.build(z) for z in page.items])
        return ShippingZoneConnection(
            edges=edges, page_info=page_info, _count=zones.zone_queryset().count
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
        service_pk = decode_id(service_id, "ShippingService")
        zone_pk = decode_id(zone_id, "ShippingZone") if zone_id is not None else None
        if service_pk is None or (zone_id is not None and zone_pk is None):
            raise BadUserInput("Not a ShippingService or ShippingZone ID.", field="serviceId")
        page = await page_or_error(
            rates.list_rates(
                service_pk,
                zone_pk,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        currency = info.context.settings.shop_currency
        edges, page_info = edges_of(page, [ShippingRateType.build(r, currency) for r in page.items])
        return ShippingRateConnection(
            edges=edges, page_info=page_info, _count=rates.rate_queryset(service_pk, zone_pk).count
        )

    @strawberry.field(
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
        try:
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
        except ShippingError as exc:
            return ShippingOptionsType(currency=prices.code(), errors=shipping_errors(exc))
        return ShippingOptionsType(
            currency=prices.code(),
            options=[ShippingOptionType.build(option, prices) for option in found],
        )


@strawberry.type
class ShippingMutation:
    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def create_carrier(self, input: CreateCarrierInput) -> CreateCarrierPayload:
        try:
            carrier = await carriers.create_carrier(shipping_fields(input))
        except ShippingError as exc:
            return CreateCarrierPayload(errors=shipping_errors(exc))
        return CreateCarrierPayload(carrier=CarrierType.build(carrier))

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def update_carrier(self, input: UpdateCarrierInput) -> UpdateCarrierPayload:
        try:
            carrier = await carriers.update_carrier(
                shipping_pk(input.id, "Carrier"), shipping_fields(input)
            )
        except ShippingError as exc:
            return UpdateCarrierPayload(errors=shipping_errors(exc))
        return UpdateCarrierPayload(carrier=CarrierType.build(carrier))

    @strawberry.mutation(
        permission_classes=[CanManageSettings],
        description="Delete a carrier without services; deactivate one that has some.",
    )
    async def delete_carrier(self, input: DeleteCarrierInput) -> DeleteCarrierPayload:
        try:
            await carriers.delete_carrier(shipping_pk(input.id, "Carrier"))
        except ShippingError as exc:
            return DeleteCarrierPayload(errors=shipping_errors(exc))
        return DeleteCarrierPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def create_shipping_service(
        self, input: CreateShippingServiceInput
    ) -> CreateShippingServicePayload:
        try:
            service = await carriers.create_service(shipping_fields(input))
        except ShippingError as exc:
            return CreateShippingServicePayload(errors=shipping_errors(exc))
        return CreateShippingServicePayload(service=ShippingServiceType.build(service))

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def update_shipping_service(
        self, input: UpdateShippingServiceInput
    ) -> UpdateShippingServicePayload:
        try:
            service = await carriers.update_service(
                shipping_pk(input.id, "ShippingService"), shipping_fields(input)
            )
        except ShippingError as exc:
            return UpdateShippingServicePayload(errors=shipping_errors(exc))
        return UpdateShippingServicePayload(service=ShippingServiceType.build(service))

    @strawberry.mutation(
        permission_classes=[CanManageSettings],
        description="Delete a service and its rates; placed orders keep its name.",
    )
    async def delete_shipping_service(
        self, input: DeleteShippingServiceInput
    ) -> DeleteShippingServicePayload:
        try:
            await carriers.delete_service(shipping_pk(input.id, "ShippingService"))
        except ShippingError as exc:
            return DeleteShippingServicePayload(errors=shipping_errors(exc))
        return DeleteShippingServicePayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def create_shipping_zone(
        self, input: CreateShippingZoneInput
    ) -> CreateShippingZonePayload:
        try:
            zone = await zones.create_zone(shipping_fields(input))
        except ShippingError as exc:
            return CreateShippingZonePayload(errors=shipping_errors(exc))
        return CreateShippingZonePayload(zone=ShippingZoneType.build(zone))

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def update_shipping_zone(
        self, input: UpdateShippingZoneInput
    ) -> UpdateShippingZonePayload:
        try:
            zone = await zones.update_zone(
                shipping_pk(input.id, "ShippingZone"), shipping_fields(input)
            )
        except ShippingError as exc:
            return UpdateShippingZonePayload(errors=shipping_errors(exc))
        return UpdateShippingZonePayload(zone=ShippingZoneType.build(zone))

    @strawberry.mutation(
        permission_classes=[CanManageSettings],
        description="Delete a zone and its rates: its countries are no longer served.",
    )
    async def delete_shipping_zone(
        self, input: DeleteShippingZoneInput
    ) -> DeleteShippingZonePayload:
        try:
            await zones.delete_zone(shipping_pk(input.id, "ShippingZone"))
        except ShippingError as exc:
            return DeleteShippingZonePayload(errors=shipping_errors(exc))
        return DeleteShippingZonePayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def create_shipping_rate(
        self, info: Info, input: CreateShippingRateInput
    ) -> CreateShippingRatePayload:
        try:
            rate = await rates.create_rate(shipping_fields(input))
        except ShippingError as exc:
            return CreateShippingRatePayload(errors=shipping_errors(exc))
        currency = info.context.settings.shop_currency
        return CreateShippingRatePayload(rate=ShippingRateType.build(rate, currency))

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def update_shipping_rate(
        self, info: Info, input: UpdateShippingRateInput
    ) -> UpdateShippingRatePayload:
        try:
            rate = await rates.update_rate(
                shipping_pk(input.id, "ShippingRate"), shipping_fields(input)
            )
        except ShippingError as exc:
            return UpdateShippingRatePayload(errors=shipping_errors(exc))
        currency = info.context.settings.shop_currency
        return UpdateShippingRatePayload(rate=ShippingRateType.build(rate, currency))

    @strawberry.mutation(permission_classes=[CanManageSettings])
    async def delete_shipping_rate(
        self, input: DeleteShippingRateInput
    ) -> DeleteShippingRatePayload:
        try:
            await rates.delete_rate(shipping_pk(input.id, "ShippingRate"))
        except ShippingError as exc:
            return DeleteShippingRatePayload(errors=shipping_errors(exc))
        return DeleteShippingRatePayload(deleted_id=input.id)
