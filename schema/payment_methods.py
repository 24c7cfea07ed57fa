"""Payment method types: the offer an order gets, and the merchant's settings per method.

Shoppers read `PaymentOptions` (what they can pay with, and what they cannot and why);
staff who keep the shop's settings read and change `PaymentMethodSetting`.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.errors import UserError
from schema.money import MoneyType
from services.payments import methods
from services.payments.method_settings import MethodSetting, MethodSettingErrorCode
from settings import get_settings

PaymentMethodReasonEnum = strawberry.enum(
    methods.Reason,
    name="PaymentMethodReason",
    description="Why a method is not offered for an order: the merchant offers it only in "
    "other CURRENCY or to another COUNTRY, the total is BELOW_MINIMUM or ABOVE_MAXIMUM of "
    "the merchant's limits, or its gateway cannot take the currency (GATEWAY_CURRENCY). "
    "TURNED_OFF is never listed to shoppers.",
)
PaymentMethodSettingErrorCodeEnum = strawberry.enum(
    MethodSettingErrorCode, name="PaymentMethodSettingErrorCode"
)


@strawberry.type(name="OfferedPaymentMethod", description="A method an order can be paid with.")
class OfferedPaymentMethodType:
    method: str = strawberry.field(description="The name `createPayment` takes: `wechat_pay`.")
    display_name: str = strawberry.field(description='As shoppers know it: "WeChat Pay".')


@strawberry.type(
    name="UnavailablePaymentMethod",
    description="A method the shop has but this order cannot be paid with, and why.",
)
class UnavailablePaymentMethodType:
    method: str
    display_name: str
    reason: PaymentMethodReasonEnum  # type: ignore[valid-type]
    message: str = strawberry.field(description="The reason in a sentence a shopper can read.")
    limit: MoneyType | None = strawberry.field(
        description="The merchant's limit the order's total missed (BELOW_MINIMUM, "
        "ABOVE_MAXIMUM), in the shop currency."
    )


@strawberry.type(
    name="PaymentOptions",
    description="How an unpaid order can be paid, in the order to show the methods, and "
    "what it cannot be paid with (both empty once it is paid or cancelled).",
)
class PaymentOptionsType:
    offered: list[OfferedPaymentMethodType]
    unavailable: list[UnavailablePaymentMethodType]

    @classmethod
    def build(cls, options: methods.PaymentOptions) -> PaymentOptionsType:
        return cls(
            offered=[
                OfferedPaymentMethodType(
                    method=o.method, display_name=methods.display_name(o.method)
                )
                for o in options.offered
            ],
            unavailable=[
                UnavailablePaymentMethodType(
                    method=u.method,
                    display_name=methods.display_name(u.method),
                    reason=u.reason,
                    message=u.message,
                    limit=MoneyType.of(u.limit) if u.limit else None,
                )
                for u in options.unavailable
            ],
        )


def _money(minor: int | None) -> MoneyType | None:
    return MoneyType.minor(minor, get_settings().shop_currency) if minor is not None else None


@strawberry.type(name="PaymentMethodSetting", description="The merchant's rules for a method.")
class PaymentMethodSettingType:
    method: str
    display_name: str
    gateway: str | None = strawberry.field(
        description="The enabled gateway that takes it (the first in precedence); null when "
        "none does: the method is kept but cannot be offered."
    )
    enabled: bool
    currencies: list[str] = strawberry.field(
        description="ISO 4217 codes it is offered in; empty: every currency its gateway takes."
    )
    countries: list[str] = strawberry.field(
        description="ISO 3166-1 alpha-2 shipping countries; empty: every country."
    )
    min_amount: MoneyType | None = strawberry.field(
        description="The smallest order total it takes, in the shop currency; null: none."
    )
    max_amount: MoneyType | None = strawberry.field(
        description="The largest order total it takes, in the shop currency; null: none."
    )
    position: int = strawberry.field(description="The merchant's order, smallest first.")
    configured: bool = strawberry.field(
        description="False while the merchant has saved nothing for it (the defaults apply)."
    )
    gateway_currencies: list[str] = strawberry.field(
        description="The currencies its gateway can take it in (empty without a gateway)."
    )

    @classmethod
    def build(cls, setting: MethodSetting) -> PaymentMethodSettingType:
        return cls(
            method=setting.method,
            display_name=methods.display_name(setting.method),
            gateway=str(setting.gateway.name) if setting.gateway else None,
            enabled=setting.enabled,
            currencies=setting.currencies,
            countries=setting.countries,
            min_amount=_money(setting.min_amount),
            max_amount=_money(setting.max_amount),
            position=setting.position,
            configured=setting.configured,
            gateway_currencies=setting.gateway_currencies,
        )


@strawberry.type(name="PaymentMethodSettingError")
class PaymentMethodSettingErrorType(UserError):
    code: PaymentMethodSettingErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input(
    description="A change to one method's rules: the fields given change, the others keep "
    "their value."
)
class UpdatePaymentMethodSettingInput:
    method: str = strawberry.field(description="`card`, `alipay`, `wechat_pay`, ...")
    enabled: bool | None = strawberry.UNSET
    currencies: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 4217 codes; empty: all its gateway takes."
    )
    countries: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166-1 alpha-2 codes; empty: all."
    )
    min_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="In the shop currency; null removes the limit."
    )
    max_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="In the shop currency; null removes the limit."
    )
    position: int | None = strawberry.field(default=strawberry.UNSET, description="0 to 1000.")


@strawberry.type
class UpdatePaymentMethodSettingPayload:
    setting: PaymentMethodSettingType | None = None
    errors: list[PaymentMethodSettingErrorType] = strawberry.field(default_factory=list)
