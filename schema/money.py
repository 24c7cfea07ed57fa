"""`Money` and `CurrencyCode`: amounts as exact decimal strings in a currency's minor unit."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

import strawberry
from babel.numbers import format_currency

from schema.context import Info
from services.money import Money, currency_codes

if TYPE_CHECKING:
    CurrencyCode = Enum
else:
    CurrencyCode = strawberry.enum(
        Enum("CurrencyCode", {code: code for code in currency_codes()}),
        description="An ISO 4217 currency that has a minor unit.",
    )


@strawberry.type(name="Money", description="An amount of money in a currency.")
class MoneyType:
    amount: Decimal = strawberry.field(
        description="Exact amount as a decimal string, in the currency's minor unit (JPY 0 "
        "decimals, USD 2, KWD 3)."
    )
    currency: CurrencyCode

    @strawberry.field(description="The amount formatted for the request's locale.")
    def formatted(self, info: Info) -> str:
        code = str(self.currency)
        return format_currency(
            self.amount,
            code,
            locale=info.context.locale.replace("-", "_"),
            decimal_quantization=False,
        )

    @classmethod
    def of(cls, money: Money) -> MoneyType:
        # The bare code, not the enum member: graphql-core serializes a code with one dict
        # lookup, a member by scanning all the currencies (about 30 µs a price).
        return cls(amount=money.amount, currency=cast(Any, money.currency))

    @classmethod
    def minor(cls, minor: int, currency: str) -> MoneyType:
        return cls.of(Money(minor, currency))
