"""Choosing how to pay: the merchant's rules per method and the offer they make an order.

The enabled gateways say which methods exist at all (`PaymentGateway.methods`) and which
they can take for an order's currency and country (`methods_for`); the merchant turns each
method on or off and narrows it to currencies, shipping countries and a range of order
totals (`PaymentMethodSetting`). An order is offered exactly the methods that pass both,
in the merchant's order, with the methods the shopper reaches for first in front: Chinese
wallets for shoppers in Greater China or checking out in Chinese, cards elsewhere.

What a shopper cannot use is listed with the reason (`Unavailable`), so the payment step
can explain it; a method the merchant turned off is not missing, and never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pycountry

from models.orders import Order, OrderStatus
from models.payments import PaymentMethodSetting
from services.money import Money
from services.payments import gateways

#: Where shoppers pay first with their wallets: WeChat Pay and Alipay lead the list there.
WALLET_FIRST_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})
WALLETS = ("wechat_pay", "alipay")
CARDS = ("card",)

#: The methods the shop knows by name, whether or not a gateway takes them now.
KNOWN_METHODS = ("card", "alipay", "wechat_pay", "paypal", "bank_transfer")

_DISPLAY_NAMES = {
    "card": "Card",
    "alipay": "Alipay",
    "wechat_pay": "WeChat Pay",
    "paypal": "PayPal",
    "bank_transfer": "Bank transfer",
}


class Reason(StrEnum):
    """Why a method is not offered for an order."""

    #: The merchant turned it off (never shown to the shopper).
    TURNED_OFF = "turned_off"
    #: The merchant offers it only in other currencies.
    CURRENCY = "currency"
    #: The merchant offers it only for deliveries to other countries.
    COUNTRY = "country"
    #: The order's total is below the merchant's minimum for it.
    BELOW_MINIMUM = "below_minimum"
    #: The order's total is above the merchant's maximum for it.
    ABOVE_MAXIMUM = "above_maximum"
    #: Its gateway cannot take a payment in this currency (or to this country).
    GATEWAY_CURRENCY = "gateway_currency"


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A method the order cannot be paid with, and why, in words a shopper can read."""

    method: str
    reason: Reason
    message: str
    #: The merchant's limit the total missed (BELOW_MINIMUM, ABOVE_MAXIMUM), shop currency.
    limit: Money | None = None


@dataclass(frozen=True, slots=True)
class PaymentOptions:
    """What an order can be paid with, in the order the shopper should see it, and what
    it cannot (without the methods the merchant turned off)."""

    offered: list[gateways.Offer]
    unavailable: list[Unavailable]
    turned_off: frozenset[str] = frozenset()

    def offer_of(self, method: str) -> gateways.Offer | None:
        return next((o for o in self.offered if o.method == method), None)

    def reason_for(self, method: str) -> Unavailable | None:
        return next((u for u in self.unavailable if u.method == method), None)


def display_name(method: str) -> str:
    """The method's name as shoppers know it ("WeChat Pay")."""
    return _DISPLAY_NAMES.get(method) or method.replace("_", " ").capitalize()


def wallets_first(order: Order) -> bool:
    """Whether the shopper is likely to pay with a Chinese wallet: shipping to Greater
    China, or checking out in Chinese."""
    return (order.ship_country or "").upper() in WALLET_FIRST_COUNTRIES or (
        order.locale or ""
    ).lower().startswith("zh")


def gateway_methods() -> dict[str, gateways.PaymentGateway]:
    """Every method a usable gateway can take, with the first gateway (in precedence)
    that takes it, in the gateways' order."""
    found: dict[str, gateways.PaymentGateway] = {}
    for gateway in gateways.usable():
        for method in gateway.methods:
            found.setdefault(method, gateway)
    return found


async def settings_by_method() -> dict[str, PaymentMethodSetting]:
    """The merchant's rows, in the merchant's order."""
    return {row.method: row for row in await PaymentMethodSetting.all()}


def ordered(methods: list[str], rows: dict[str, PaymentMethodSetting]) -> list[str]:
    """Methods in the merchant's order: those with a row by position, then the others as
    given (the gateways' order)."""
    placed = sorted((m for m in methods if m in rows), key=lambda m: (rows[m].position, m))
    return placed + [m for m in methods if m not in rows]


def _for_shopper(methods: list[str], order: Order) -> list[str]:
    """The merchant's order with the methods this shopper reaches for first in front."""
    first = WALLETS if wallets_first(order) else CARDS
    return sorted(methods, key=lambda m: m not in first)


def _country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return getattr(found, "name", code) if found else (code or "this country")


def _rule_refusal(method: str, row: PaymentMethodSetting, order: Order) -> Unavailable | None:
    """Why the merchant's rules keep this order from the method; None when they let it."""
    name = display_name(method)
    currency = order.currency.upper()
    country = (order.ship_country or "").upper()
    if row.currencies and currency not in row.currencies:
        return Unavailable(
            method,
            Reason.CURRENCY,
            f"{name} is not accepted for payments in {currency}.",
        )
    if row.countries and country not in row.countries:
        return Unavailable(
            method,
            Reason.COUNTRY,
            f"{name} is not available for deliveries to {_country_name(country)}.",
        )
    total = order.total
    if row.min_amount is not None and total < row.min_amount:
        limit = Money(row.min_amount, order.shop_currency)
        return Unavailable(
            method,
            Reason.BELOW_MINIMUM,
            f"{name} takes orders of {limit} or more.",
            limit,
        )
    if row.max_amount is not None and total > row.max_amount:
        limit = Money(row.max_amount, order.shop_currency)
        return Unavailable(
            method,
            Reason.ABOVE_MAXIMUM,
            f"{name} takes orders of up to {limit}.",
            limit,
        )
    return None


async def options_for(order: Order) -> PaymentOptions:
    """What can take this order's payment now, in the shopper's order, and why the rest
    cannot; nothing at all once the order is not waiting for payment."""
    if OrderStatus(order.status) is not OrderStatus.PENDING_PAYMENT:
        return PaymentOptions(offered=[], unavailable=[])
    rows = await settings_by_method()
    taken = {o.method: o for o in gateways.offers(order.currency, order.ship_country)}
    candidates = list(dict.fromkeys([*gateway_methods(), *taken]))
    offered: list[gateways.Offer] = []
    unavailable: list[Unavailable] = []
    turned_off: set[str] = set()
    for method in _for_shopper(ordered(candidates, rows), order):
        row = rows.get(method)
        if row is not None and not row.enabled:
            turned_off.add(method)
            continue
        offer = taken.get(method)
        if offer is None:
            unavailable.append(
                Unavailable(
                    method,
                    Reason.GATEWAY_CURRENCY,
                    f"{display_name(method)} cannot take payments in {order.currency.upper()} "
                    "here.",
                )
            )
            continue
        refusal = _rule_refusal(method, row, order) if row is not None else None
        if refusal is not None:
            unavailable.append(refusal)
        else:
            offered.append(offer)
    return PaymentOptions(offered, unavailable, frozenset(turned_off))
