"""The orders domain's expected failures: carts, checkout and order handling."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


class OrderErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_QUANTITY = "invalid_quantity"
    CART_EMPTY = "cart_empty"
    NOT_FOR_SALE = "not_for_sale"
    OUT_OF_STOCK = "out_of_stock"
    PRICE_CHANGED = "price_changed"
    CURRENCY_NOT_ENABLED = "currency_not_enabled"
    RATE_UNAVAILABLE = "rate_unavailable"
    RATE_STALE = "rate_stale"
    SHIPPING_UNAVAILABLE = "shipping_unavailable"
    INVALID_ADDRESS = "invalid_address"
    INVALID_EMAIL = "invalid_email"
    COUPON_INVALID = "coupon_invalid"
    INSUFFICIENT_POINTS = "insufficient_points"
    #: The store credit to spend is no longer there (spent meanwhile), or is not what the
    #: shopper was shown.
    STORE_CREDIT_INSUFFICIENT = "store_credit_insufficient"
    SIGN_IN_REQUIRED = "sign_in_required"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    #: The cart, as it was priced, already became an order (`orderNumber` says which).
    CART_ALREADY_ORDERED = "cart_already_ordered"
    #: The cart changed while the order was being placed: price it again.
    CART_CHANGED = "cart_changed"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOTHING_TO_SHIP = "nothing_to_ship"
    OVER_SHIPPED = "over_shipped"
    #: The tracking number's check digit (or its format) is wrong; staff may ship it anyway.
    TRACKING_NUMBER_INVALID = "tracking_number_invalid"
    #: The tracking number is clearly another carrier's; staff may ship it anyway.
    TRACKING_NUMBER_CARRIER_MISMATCH = "tracking_number_carrier_mismatch"
    ALREADY_PAID = "already_paid"
    #: A payment for the order is under way at the provider (or could not be stopped there).
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    #: The order was cancelled, but part of its payments could not be refunded.
    REFUND_FAILED = "refund_failed"
    #: Inventory refused to ship or release an order's units: its reservation does not add up.
    STOCK_NOT_RESERVED = "stock_not_reserved"


class OrderError(ServiceError[OrderErrorCode]):
    """An orders request that was refused; nothing was changed."""


fail, not_found = OrderError.fail, OrderError.not_found


class CartAlreadyOrdered(OrderError):
    """`placeOrder` for a cart state another request already turned into an order."""

    def __init__(self, order_number: str) -> None:
        self.order_number = order_number
        super().__init__(
            Problem(
                OrderErrorCode.CART_ALREADY_ORDERED,
                f"This cart was just ordered as {order_number}; it was not ordered again.",
                ("cart_token",),
            )
        )
