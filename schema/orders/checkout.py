"""Cart and checkout types: a cart priced live, shipping options, and the checkout quote.

Amounts are in the presentment currency the shopper chose (`Money`), with the shop
currency figures alongside for the totals, and the rate they were converted at.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

import strawberry

from schema.catalog.types import ProductVariantType
from schema.context import Info
from schema.currency import Prices
from schema.geo import CountryCode
from schema.money import CurrencyCode, MoneyType
from schema.orders.customs import CheckoutCustomsType
from schema.returns.policy import EffectiveReturnPolicyType, ProductPolicies
from services.orders.checkout import Amounts, CheckoutQuote, PricedLine
from services.shipping.quotes import ShippingOption


@strawberry.type(name="ExchangeRateUsed", description="The rate amounts were converted at.")
class RateUsedType:
    currency: CurrencyCode
    rate: Decimal = strawberry.field(
        description="Units of the presentment currency per unit of the shop currency."
    )
    source: str = strawberry.field(description="`shop` (no conversion), `ecb` or `manual`.")
    rate_date: date | None


@strawberry.type(name="CartLine")
class CartLineType:
    variant: ProductVariantType
    product_name: str
    quantity: int
    unit_price: MoneyType
    line_total: MoneyType
    available: int = strawberry.field(description="Units that can be bought now.")
    in_stock: bool = strawberry.field(description="Whether the quantity can be bought now.")
    for_sale: bool = strawberry.field(
        description="False when the product left the shelf since it was added: remove it."
    )
    _product_id: strawberry.Private[int]
    _prices: strawberry.Private[Prices | None]
    _policies: strawberry.Private[ProductPolicies | None]

    @strawberry.field(
        description="The return policy the line is bought under (`finalSale` lines cannot be "
        "returned), its fee in the cart's currency."
    )
    async def return_policy(self, info: Info) -> EffectiveReturnPolicyType:
        policies = self._policies or ProductPolicies([self._product_id])
        return EffectiveReturnPolicyType.build(
            await policies.of(self._product_id), info.context.locale, self._prices or Prices.shop()
        )

    @classmethod
    def build(
        cls,
        line: PricedLine,
        currency: str,
        shop_currency: str,
        prices: Prices | None = None,
        policies: ProductPolicies | None = None,
    ) -> CartLineType:
        return cls(
            # The variant's own prices as the quote shows them, in the cart's currency.
            variant=ProductVariantType.build(line.variant, shop_currency, prices),
            product_name=line.product.name,
            quantity=line.quantity,
            unit_price=MoneyType.minor(line.unit_price_presentment, currency),
            line_total=MoneyType.minor(line.line_total_presentment, currency),
            available=line.available,
            in_stock=line.in_stock,
            for_sale=line.for_sale,
            _product_id=line.product.id,
            _prices=prices,
            _policies=policies,
        )


@strawberry.type(name="OrderAmounts", description="Order figures in one currency.")
class AmountsType:
    subtotal: MoneyType
    member_discount: MoneyType
    coupon_discount: MoneyType
    points_discount: MoneyType
    discount_total: MoneyType
    shipping: MoneyType
    duty: MoneyType = strawberry.field(description="Duties charged at checkout (DDP).")
    import_tax: MoneyType = strawberry.field(
        description="Import taxes charged at checkout (DDP, or VAT/GST at the point of sale)."
    )
    total: MoneyType

    @classmethod
    def build(cls, amounts: Amounts, currency: str) -> AmountsType:
        def money(minor: int) -> MoneyType:
            return MoneyType.minor(minor, currency)

        return cls(
            subtotal=money(amounts.subtotal),
            member_discount=money(amounts.member_discount),
            coupon_discount=money(amounts.coupon_discount),
            points_discount=money(amounts.points_discount),
            discount_total=money(amounts.discount_total),
            shipping=money(amounts.shipping),
            duty=money(amounts.duty),
            import_tax=money(amounts.import_tax),
            total=money(amounts.total),
        )


@strawberry.type(name="CouponProblem", description="Why a coupon code does not apply.")
class CouponProblemType:
    code: str
    message: str


@strawberry.type(name="ShippingChoice", description="A way to ship this cart, priced.")
class ShippingChoiceType:
    service_id: strawberry.ID
    carrier_name: str
    service_name: str
    level: str
    price: MoneyType = strawberry.field(description="In the presentment currency.")
    shop_price: MoneyType = strawberry.field(description="In the shop currency.")
    min_days: int
    max_days: int


@strawberry.type(name="CheckoutQuote")
class CheckoutQuoteType:
    currency: CurrencyCode = strawberry.field(
        description="The currency of `amounts`, lines and shipping options."
    )
    rate: RateUsedType
    lines: list[CartLineType]
    amounts: AmountsType = strawberry.field(description="In the presentment currency.")
    shop_amounts: AmountsType = strawberry.field(description="In the shop currency.")
    shipping_options: list[ShippingChoiceType]
    coupon_code: str | None
    coupon_problem: CouponProblemType | None
    points_redeemed: int
    item_count: int
    all_in_stock: bool
    customs: CheckoutCustomsType | None = strawberry.field(
        description="Duties and import taxes, per line and in total; null until a "
        "destination is given."
    )
    store_credit: CheckoutStoreCreditType | None = strawberry.field(
        description="A member's store credit in the quote's currency; null for a guest."
    )

    @classmethod
    def build(
        cls, quote: CheckoutQuote, shop_currency: str, coupon_code: str | None
    ) -> CheckoutQuoteType:
        currency = quote.currency
        # The lines' return policies are looked up together, when a line is asked for one.
        policies = ProductPolicies(line.product.id for line in quote.lines)
        return cls(
            currency=cast(Any, currency),
            rate=RateUsedType(
                currency=cast(Any, currency),
                rate=quote.rate.rate,
                source=quote.rate.source,
                rate_date=quote.rate.rate_date,
            ),
            lines=[
                CartLineType.build(line, currency, shop_currency, Prices(quote.rate), policies)
                for line in quote.lines
            ],
            amounts=AmountsType.build(quote.presentment, currency),
            shop_amounts=AmountsType.build(quote.shop, shop_currency),
            shipping_options=[
                _choice(option, price, currency, shop_currency)
                for option, price in zip(quote.shipping_options, quote.shipping_prices, strict=True)
            ],
            coupon_code=coupon_code or None,
            coupon_problem=(
                CouponProblemType(
                    code=quote.coupon_problem.code.name, message=quote.coupon_problem.message
                )
                if quote.coupon_problem
                else None
            ),
            points_redeemed=quote.points_redeemed,
            item_count=sum(line.quantity for line in quote.lines),
            all_in_stock=all(line.in_stock for line in quote.lines),
            customs=CheckoutCustomsType.build(quote, shop_currency),
            store_credit=CheckoutStoreCreditType.build(quote),
        )


@strawberry.type(
    name="CheckoutStoreCredit", description="Store credit a member could spend on the order."
)
class CheckoutStoreCreditType:
    available: MoneyType = strawberry.field(description="The balance in the quote's currency.")
    applied: MoneyType = strawberry.field(
        description="What it would pay of the total with `useStoreCredit`."
    )
    amount_due: MoneyType = strawberry.field(
        description="What would be left to pay with `useStoreCredit`."
    )

    @classmethod
    def build(cls, quote: CheckoutQuote) -> CheckoutStoreCreditType | None:
        if quote.store_credit_available is None:
            return None
        applied = quote.store_credit_applicable
        return cls(
            available=MoneyType.minor(quote.store_credit_available, quote.currency),
            applied=MoneyType.minor(applied, quote.currency),
            amount_due=MoneyType.minor(quote.presentment.total - applied, quote.currency),
        )


def _choice(
    option: ShippingOption, price: int, currency: str, shop_currency: str
) -> ShippingChoiceType:
    return ShippingChoiceType(
        service_id=strawberry.ID(strawberry.relay.to_base64("ShippingService", option.service_id)),
        carrier_name=option.carrier_name,
        service_name=option.service_name,
        level=str(option.level),
        price=MoneyType.minor(price, currency),
        shop_price=MoneyType.minor(option.price, shop_currency),
        min_days=option.min_days,
        max_days=option.max_days,
    )


@strawberry.type(name="Cart")
class CartType:
    quote: CheckoutQuoteType = strawberry.field(
        description="The cart priced now, in the requested currency (no shipping yet)."
    )


@strawberry.input
class DestinationInput:
    country: CountryCode
    region: str = ""
    postal_code: str = ""


@strawberry.input
class CartLineInput:
    cart_token: str | None = strawberry.field(
        default=None, description="A guest's cart token; members' carts need none."
    )
    variant_id: strawberry.ID
    quantity: int


@strawberry.input
class CartCouponInput:
    cart_token: str | None = None
    code: str | None = strawberry.field(default=None, description="Null removes the code.")


@strawberry.input
class CheckoutQuoteInput:
    cart_token: str | None = None
    currency: CurrencyCode | None = strawberry.field(
        default=None, description="Else X-Currency, else the member's, else the shop's."
    )
    destination: DestinationInput | None = None
    shipping_service_id: strawberry.ID | None = None
    coupon_code: str | None = None
    points: int = 0


@strawberry.input
class AddressInput:
    full_name: str
    company: str | None = None
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postal_code: str | None = None
    country: CountryCode
    phone: str | None = None


@strawberry.input
class PlaceOrderInput:
    idempotency_key: str = strawberry.field(
        description="Any unique string per checkout (8-64 characters); a retry with the same "
        "key returns the same order instead of placing another."
    )
    cart_token: str | None = None
    email: str | None = strawberry.field(
        default=None, description="Required for guests; members default to their account's."
    )
    phone: str | None = None
    shipping_address: AddressInput
    shipping_service_id: strawberry.ID
    currency: CurrencyCode | None = strawberry.field(
        default=None, description="Else X-Currency, else the member's, else the shop's."
    )
    coupon_code: str | None = None
    points: int = 0
    expected_total: Decimal | None = strawberry.field(
        default=None,
        description="The total the shopper agreed to, in the presentment currency: a "
        "different total now refuses the order with PRICE_CHANGED.",
    )
    use_store_credit: bool = strawberry.field(
        default=False,
        description="Members: pay with store credit in the order's currency, up to the "
        "total; the payment then collects the rest (an order credit covers in full is "
        "paid at once).",
    )
    expected_store_credit: Decimal | None = strawberry.field(
        default=None,
        description="The credit the shopper was shown as applied (the quote's "
        "`storeCredit.applied`): another amount now refuses the order with "
        "STORE_CREDIT_INSUFFICIENT.",
    )
