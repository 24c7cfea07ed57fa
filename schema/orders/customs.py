"""Duties and import taxes as checkout quotes them and as an order keeps them.

Amounts are in the shopper's (presentment) currency, with the shop currency's alongside.
A charge is either charged now (part of the totals: DDP, or a tax collected at the point
of sale) or an estimate of what the carrier will collect at the door (DAP).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

import strawberry

from models.customs import ChargeKind, Incoterm, OrderCharge
from models.orders import Order, OrderLine
from schema.geo import CountryCode, country_code
from schema.money import MoneyType
from schema.relay import encode_id
from services.customs.landed_cost import Charge, LandedCost, ThresholdUsed, Unknown
from services.money import currency_exponent
from services.orders.checkout import CheckoutQuote, PricedLine

IncotermEnum = strawberry.enum(
    Incoterm,
    name="Incoterm",
    description="DDP: duties and taxes charged at checkout. DAP: the carrier collects them "
    "at the door, and checkout shows an estimate.",
)
ChargeKindEnum = strawberry.enum(
    ChargeKind, name="CustomsChargeKind", description="A duty, or an import tax (VAT, GST...)."
)
UnknownReasonEnum = strawberry.enum(
    Unknown,
    name="UnknownChargeReason",
    description="Why a duty or import tax could not be computed (it is then in no total).",
)

_UNKNOWN_MESSAGES = {
    Unknown.NO_DUTY_RATE: "The duty rate for these goods is not known yet.",
    Unknown.NOT_CLASSIFIED: "These goods have no tariff classification yet: duty is not known.",
    Unknown.NO_TAX_RATE: "The import tax rate of this destination is not known.",
    Unknown.DUTY_UNKNOWN: "The import tax depends on a duty that is not known.",
    Unknown.NO_EXCHANGE_RATE: "An exchange rate needed for the customs threshold is missing.",
}


def _percent(rate_bps: int | None) -> Decimal | None:
    if rate_bps is None:
        return None
    # Plain digits ("20", "10.9"), never exponent notation ("2E+1").
    return Decimal(format(Decimal(rate_bps).scaleb(-2).normalize(), "f"))


def _money(amount: Decimal, currency: str) -> MoneyType:
    """A decimal amount in `currency`, written to its minor unit."""
    exact = amount.quantize(Decimal(1).scaleb(-currency_exponent(currency)))
    return MoneyType(amount=exact, currency=cast(Any, currency))


@strawberry.type(name="CheckoutCharge", description="A duty or import tax of the checkout.")
class CheckoutChargeType:
    kind: ChargeKindEnum  # type: ignore[valid-type]
    name: str = strawberry.field(description="As the destination calls it: VAT, GST, Duty...")
    variant_id: strawberry.ID | None = strawberry.field(
        description="The cart line's variant; null for a charge on the whole parcel."
    )
    basis: str = strawberry.field(
        description="`cif`, `fob` (customs value with or without transport) or `price`."
    )
    rate: Decimal | None = strawberry.field(description="Percent; null for a flat amount.")
    amount: MoneyType = strawberry.field(description="In the presentment currency.")
    shop_amount: MoneyType = strawberry.field(description="In the shop currency.")
    charged_now: bool = strawberry.field(
        description="True: part of the total. False: an estimate, paid to the carrier on delivery."
    )

    @classmethod
    def build(
        cls, charge: Charge, shown: int, lines: list[PricedLine], currency: str, shop: str
    ) -> CheckoutChargeType:
        variant = lines[charge.line].variant.id if charge.line is not None else None
        return cls(
            kind=charge.kind,
            name=charge.name,
            variant_id=encode_id("ProductVariant", variant) if variant else None,
            basis=charge.basis,
            rate=_percent(charge.rate_bps),
            amount=MoneyType.minor(shown, currency),
            shop_amount=MoneyType.minor(charge.amount, shop),
            charged_now=charge.collected,
        )


@strawberry.type(name="UnknownCharge", description="A duty or tax that could not be computed.")
class UnknownChargeType:
    kind: ChargeKindEnum | None  # type: ignore[valid-type]
    variant_id: strawberry.ID | None
    reason: UnknownReasonEnum  # type: ignore[valid-type]
    message: str


@strawberry.type(
    name="CustomsThreshold",
    description="The low-value threshold that decided the regime, and how it was tested.",
)
class ThresholdType:
    regime: str = strawberry.field(description="The regime whose threshold it is.")
    limit: MoneyType
    value: MoneyType = strawberry.field(description="The parcel's value, as measured for it.")
    measured_on: str = strawberry.field(
        description="`intrinsic` (goods), `per_good`, `customs` (customs value) or "
        "`transaction` (goods and shipping)."
    )
    inclusive: bool
    held: bool = strawberry.field(description="True when the parcel is within the threshold.")
    rate: Decimal = strawberry.field(
        description="Units of the threshold's currency per unit of the shop currency."
    )
    rate_date: date | None
    rate_source: str

    @classmethod
    def build(cls, used: ThresholdUsed) -> ThresholdType:
        return cls(
            regime=used.regime,
            limit=_money(used.amount, used.currency),
            value=_money(used.value, used.currency),
            measured_on=used.measured_on,
            inclusive=used.inclusive,
            held=used.held,
            rate=used.rate,
            rate_date=used.rate_date,
            rate_source=used.rate_source,
        )


@strawberry.type(
    name="CheckoutCustoms",
    description="Duties and import taxes of the checkout, in the shopper's currency.",
)
class CheckoutCustomsType:
    destination: CountryCode | None
    domestic: bool = strawberry.field(description="No border crossed: no duty or import tax.")
    regime: str | None = strawberry.field(
        description="The import regime's id (EU-IOSS, GB-LVI, ...); null when domestic or "
        "when it could not be decided (see `unknown`)."
    )
    basis: str | None = strawberry.field(description="`cif` or `fob`: how customs value it.")
    incoterm: IncotermEnum | None  # type: ignore[valid-type]
    charges: list[CheckoutChargeType]
    duty_now: MoneyType = strawberry.field(description="Duties charged at checkout.")
    import_tax_now: MoneyType = strawberry.field(description="Import taxes charged at checkout.")
    duty_at_door: MoneyType = strawberry.field(description="Estimated duties due on delivery.")
    import_tax_at_door: MoneyType = strawberry.field(
        description="Estimated import taxes due on delivery."
    )
    unknown: list[UnknownChargeType] = strawberry.field(
        description="Charges that could not be computed: shown, never guessed."
    )
    threshold: ThresholdType | None

    @classmethod
    def build(cls, quote: CheckoutQuote, shop_currency: str) -> CheckoutCustomsType | None:
        landed: LandedCost | None = quote.landed_cost
        if landed is None:
            return None
        currency = quote.currency
        buyable = [line for line in quote.lines if line.for_sale]
        pairs = list(zip(landed.charges, quote.charges_presentment, strict=True))

        def at_door(kind: ChargeKind) -> MoneyType:
            total = sum(s for c, s in pairs if c.kind is kind and not c.collected)
            return MoneyType.minor(total, currency)

        return cls(
            destination=country_code(landed.destination),
            domestic=landed.domestic,
            regime=landed.regime or None,
            basis=landed.basis or None,
            incoterm=landed.incoterm,
            charges=[
                CheckoutChargeType.build(c, s, buyable, currency, shop_currency) for c, s in pairs
            ],
            duty_now=MoneyType.minor(quote.presentment.duty, currency),
            import_tax_now=MoneyType.minor(quote.presentment.import_tax, currency),
            duty_at_door=at_door(ChargeKind.DUTY),
            import_tax_at_door=at_door(ChargeKind.IMPORT_TAX),
            unknown=[
                UnknownChargeType(
                    kind=u.kind,
                    variant_id=(
                        encode_id("ProductVariant", buyable[u.line].variant.id)
                        if u.line is not None
                        else None
                    ),
                    reason=u.reason,
                    message=_UNKNOWN_MESSAGES[u.reason],
                )
                for u in landed.unknown
            ],
            threshold=ThresholdType.build(landed.threshold) if landed.threshold else None,
        )


@strawberry.type(
    name="OrderCharge", description="A duty or import tax of an order, as it was placed."
)
class OrderChargeType:
    kind: ChargeKindEnum  # type: ignore[valid-type]
    name: str
    line_id: strawberry.ID | None = strawberry.field(
        description="The order line it is on; null for a charge on the whole parcel."
    )
    regime: str
    destination: CountryCode | None
    basis: str
    rate: Decimal | None = strawberry.field(description="Percent; null for a flat amount.")
    amount: MoneyType = strawberry.field(description="In the order's (presentment) currency.")
    amount_in_shop_currency: MoneyType
    base_in_shop_currency: MoneyType = strawberry.field(description="What the rate was applied to.")
    charged_now: bool = strawberry.field(
        description="True: part of the order's total. False: an estimate of what the carrier "
        "collects on delivery."
    )
    refunded_in_shop_currency: MoneyType

    @classmethod
    def build(cls, charge: OrderCharge, order: Order) -> OrderChargeType:
        return cls(
            kind=ChargeKind(charge.kind),
            name=charge.name,
            line_id=encode_id("OrderLine", charge.line_id) if charge.line_id else None,
            regime=charge.regime,
            destination=country_code(charge.destination),
            basis=charge.basis,
            rate=_percent(charge.rate_bps),
            amount=MoneyType.minor(charge.amount_presentment, order.currency),
            amount_in_shop_currency=MoneyType.minor(charge.amount, order.shop_currency),
            base_in_shop_currency=MoneyType.minor(charge.base_amount, order.shop_currency),
            charged_now=charge.collected,
            refunded_in_shop_currency=MoneyType.minor(charge.refunded, order.shop_currency),
        )


@strawberry.type(
    name="OrderLineCustoms",
    description="A line's customs facts as they were when the order was placed.",
)
class OrderLineCustomsType:
    hs_code: str
    hs_national: str = strawberry.field(description="The destination's national tariff code.")
    origin_country: CountryCode | None
    description: str
    material: str
    net_weight_grams: int | None
    dangerous_goods: bool
    excise_goods: bool

    @classmethod
    def build(cls, line: OrderLine) -> OrderLineCustomsType:
        return cls(
            hs_code=line.hs_code,
            hs_national=line.hs_national,
            origin_country=country_code(line.origin_country or None),
            description=line.customs_description,
            material=line.material,
            net_weight_grams=line.net_weight_grams,
            dangerous_goods=line.dangerous_goods,
            excise_goods=line.excise_goods,
        )
