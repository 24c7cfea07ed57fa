"""What every payment gateway does, whichever provider is behind it.

A gateway creates a provider-side payment for one attempt at an order's total, and
refunds part or all of what it captured. Everything else (the payment succeeding, failing,
being disputed) arrives later as a notification, which `services.payments.events`
processes the same way for every gateway. Every call that creates or changes money at
the provider carries a deterministic idempotency key, so a retry never charges twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from models.payments import Gateway, PaymentStatus, RefundStatus


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """One attempt at collecting an order's total."""

    order_number: str
    attempt: int
    #: Presentment currency and amount in its ISO 4217 minor units (the gateway converts to
    #: the provider's own units).
    currency: str
    amount: int
    method: str
    email: str
    #: ISO country of the shipping address, for methods offered only in some countries.
    country: str
    return_url: str | None = None

    @property
    def idempotency_key(self) -> str:
        # The method is part of the key: an attempt whose answer was lost is retried under
        # the same key, and a retry with another method must not be refused by the provider
        # as the same request with other parameters.
        return f"payment:{self.order_number}:{self.attempt}:{self.method}"


@dataclass(frozen=True, slots=True)
class GatewayPayment:
    """The provider's answer to a new payment."""

    provider_id: str
    status: PaymentStatus
    #: For the storefront to confirm the payment with the provider's own script (Stripe
    #: Elements); card data never reaches the shop.
    client_secret: str | None = None
    next_action: dict[str, object] = field(default_factory=dict)
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True, slots=True)
class RefundRequest:
    provider_payment_id: str
    payment_id: int
    sequence: int
    currency: str
    amount: int
    reason: str

    @property
    def idempotency_key(self) -> str:
        return f"refund:{self.payment_id}:{self.sequence}"


@dataclass(frozen=True, slots=True)
class GatewayRefund:
    provider_id: str
    status: RefundStatus
    failure_message: str = ""


@dataclass(frozen=True, slots=True)
class Settlement:
    """What a payment or refund settled as, from the provider's balance transaction."""

    currency: str
    #: Net of the fee, in minor units of the settlement currency (negative for refunds).
    net: int
    fee: int
    #: Settlement units per presentment unit, as a decimal string ("" when the same).
    rate: str
    balance_transaction_id: str


class GatewayError(Exception):
    """The provider could not be reached or refused the request for a reason of its own;
    nothing was created. `retryable` says whether trying again may work."""

    def __init__(self, message: str, *, code: str = "", retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


class PaymentGateway(Protocol):
    name: Gateway

    def methods_for(self, currency: str, country: str) -> list[str]:
        """The payment methods offered for a currency and a shipping country."""
        ...

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """Create the provider-side payment; raises `GatewayError`."""
        ...

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        """Refund part or all of a payment; raises `GatewayError`."""
        ...

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        """Cancel a payment that is still open at the provider, so it can no longer be paid;
        returns its status afterwards: CANCELED, or SUCCEEDED / PROCESSING when the shopper
        was faster. Raises `GatewayError`."""
        ...

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        """The provider's payment as it is now, shaped like its notifications' object (for a
        notification that may have been missed); None when there is nothing to ask."""
        ...

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        """The provider's refund as it is now, shaped like its notifications' object."""
        ...

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        """How the payment settled, once the provider knows; None before."""
        ...

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """How a succeeded refund settled (a negative net), once the provider knows; None
        before, or when the provider does not tell."""
        ...
