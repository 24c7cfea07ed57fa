"""The payments domain's expected failures: paying for an order, the test gateway's cards."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class PaymentErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    #: The order is not waiting for payment (paid, cancelled).
    ORDER_NOT_PAYABLE = "order_not_payable"
    #: The method is not offered for the order's currency or country.
    METHOD_NOT_OFFERED = "method_not_offered"
    #: An earlier attempt is still being processed by the provider.
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    #: The payment is not in a state that allows this (already paid, failed, ...).
    ILLEGAL_STATE = "illegal_state"
    #: The provider could not be reached or refused the request; nothing was created.
    GATEWAY_ERROR = "gateway_error"
    #: The call exists only for the built-in test gateway.
    NOT_TEST_GATEWAY = "not_test_gateway"
    #: Too many attempts at proving an order by its email.
    RATE_LIMITED = "rate_limited"
    #: A refund larger than what was captured and not yet refunded.
    REFUND_EXCEEDS_CAPTURED = "refund_exceeds_captured"
    #: The provider refused the refund: it is recorded FAILED, nothing else changed.
    REFUND_FAILED = "refund_failed"


class PaymentError(ServiceError[PaymentErrorCode]):
    """A payments request that was refused; nothing was changed."""


fail, not_found = PaymentError.fail, PaymentError.not_found
