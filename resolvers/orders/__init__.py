"""Orders root fields: order handling and parcel tracking here, carts and checkout
(`CheckoutQuery`, `CheckoutMutation`) merged in from `resolvers/orders/checkout.py`."""

from strawberry.tools import merge_types

from resolvers.orders.checkout import CheckoutMutation, CheckoutQuery
from resolvers.orders.handling import HandlingMutation, HandlingQuery
from resolvers.orders.tracking import TrackingMutation

OrdersQuery = merge_types("OrdersQuery", (HandlingQuery, CheckoutQuery))
OrdersMutation = merge_types(
    "OrdersMutation", (HandlingMutation, TrackingMutation, CheckoutMutation)
)

__all__ = ["OrdersMutation", "OrdersQuery"]
