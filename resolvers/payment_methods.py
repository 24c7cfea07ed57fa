"""Payment method root fields: the offer an order gets (for whoever may pay it), and the
merchant's settings per method (staff who keep the shop's settings)."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

import strawberry

from schema.context import Info
from schema.kit import mutation, or_none
from schema.payment_methods import (
    PaymentMethodSettingType,
    PaymentOptionsType,
    UpdatePaymentMethodSettingInput,
    UpdatePaymentMethodSettingPayload,
)
from schema.permissions import CanManageSettings
from services.payments import method_settings, methods, payments


@strawberry.type
class PaymentMethodsQuery:
    @strawberry.field(
        description="How an unpaid order can be paid and what it cannot be paid with, and "
        "why: for the shopper who placed it, or anyone giving a guest order's email (as "
        "`paymentMethods`)."
    )
    async def payment_options(
        self, info: Info, order_number: str, email: str | None = None
    ) -> PaymentOptionsType:
        order = await or_none(
            payments.payable_order(
                order_number, info.context.viewer, email=email, client=info.context.client_address
            )
        )
        if order is None:
            return PaymentOptionsType(offered=[], unavailable=[])
        return PaymentOptionsType.build(await methods.options_for(order))

    @strawberry.field(
        permission_classes=[CanManageSettings],
        description="Every payment method the shop knows or a gateway takes, with the "
        "merchant's rules, in the merchant's order.",
    )
    async def payment_method_settings(self) -> list[PaymentMethodSettingType]:
        return [PaymentMethodSettingType.build(s) for s in await method_settings.list_settings()]


@strawberry.type
class PaymentMethodsMutation:
    @mutation(
        permission_classes=[CanManageSettings],
        description="Change the merchant's rules for one payment method: on or off, the "
        "currencies and shipping countries it is offered for, the order totals it takes, "
        "its place in the list.",
    )
    async def update_payment_method_setting(
        self, input: UpdatePaymentMethodSettingInput
    ) -> UpdatePaymentMethodSettingPayload:
        changes = {
            f.name: value
            for f in dataclasses.fields(cast(Any, input))
            if f.name != "method" and (value := getattr(input, f.name)) is not strawberry.UNSET
        }
        setting = await method_settings.update_setting(input.method, cast(Any, changes))
        return UpdatePaymentMethodSettingPayload(setting=PaymentMethodSettingType.build(setting))
