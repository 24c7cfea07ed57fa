"""Orders root fields: order handling and parcel tracking here, carts and checkout
(`CheckoutQuery`, `CheckoutMutation`) merged in from `resolvers/orders/checkout.py`."""

from strawberry.tools import merge_types

from resolvers.orders.checkout import CheckoutMutation, CheckoutQuery
from resolvers.orders.handling import HandlingMutation, HandlingQuery
from resolvers.orders.tracking import TrackingMutation
from resolvers.orders.tracking_queue import TrackingQueueMutation, TrackingQueueQuery

OrdersQuery = merge_types("OrdersQuery", (HandlingQuery, TrackingQueueQuery, CheckoutQuery))
OrdersMutation = merge_types(
    "OrdersMutation", (HandlingMutation, TrackingMutation, TrackingQueueMutation, CheckoutMutation)
)

__all__ = ["OrdersMutation", "OrdersQuery"]
