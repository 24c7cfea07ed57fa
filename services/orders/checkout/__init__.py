"""Checkout: pricing a cart in the shopper's currency (`quote`), and placing the order
(`place`)."""

from services.orders.checkout.place import PlacedOrder, PlaceOrderInput, place_order
from services.orders.checkout.quote import (
    Amounts,
    CheckoutQuote,
    PricedLine,
    Shopper,
    parcel_items,
    points_value,
    price_lines,
    quote_checkout,
    rate_for,
    shopper_for,
)

__all__ = [
    "Amounts",
    "CheckoutQuote",
    "PlaceOrderInput",
    "PlacedOrder",
    "PricedLine",
    "Shopper",
    "parcel_items",
    "place_order",
    "points_value",
    "price_lines",
    "quote_checkout",
    "rate_for",
    "shopper_for",
]
