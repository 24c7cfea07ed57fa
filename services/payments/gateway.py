"""What every payment gateway does, whichever provider is behind it.

A gateway creates a provider-side payment for one attempt at an order's total, and
refunds part or all of what it captured. Everything else (the payment succeeding, failing,
being disputed) arrives later as a notification, which `services.payments.events`
processes the same way for every gateway. Every call that creates or changes money at
the provider carries a deterministic idempotency key, so a retry never charges twice.

What the shopper must do next is the payment's `next_action`, a mapping whose `type` names
its kind and whose entry of the same name holds the details (Stripe's convention, which the
other adapters follow):

- `redirect_to_url`: `{"url": ..., "return_url": ...}`: the provider's page (Alipay's
  cashier, PayPal's approval, WeChat Pay's H5 page), which sends the shopper back after.
- `display_qr_code`: `{"data": ..., "expires_at": unix seconds}`: a QR code the shopper
  scans with the provider's app (WeChat Pay Native, Alipay's pre-created order); the page
  shows it and watches the order until it is paid.
- `wechat_jsapi`: the parameters of `WeixinJSBridge.invoke("getBrandWCPayRequest")`, inside
  WeChat's own browser.
- `confirm_test_payment` and `display_bank_transfer_instructions`: the test gateway's extra
  step and Stripe's bank transfer details.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from models.payments import Gateway, PaymentStatus, RefundStatus

if TYPE_CHECKING:
    from settings import Settings


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
    #: The shopper's IP address, for providers that ask for it (WeChat Pay's H5 payments).
    client_ip: str = ""
    #: The shopper is on a phone: a provider's mobile page rather than a QR code to scan.
    mobile: bool = False

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


def notification_url(settings: Settings, path: str) -> str:
    """The public address of one of the shop's webhook endpoints (`/webhooks/...`), which
    providers that take it with each payment (Alipay, WeChat Pay) send notifications to."""
    base = (settings.webhook_base_url or settings.storefront_url).rstrip("/")
    return f"{base}/{path.lstrip('/')}"


class PaymentGateway(Protocol):
    name: Gateway
    #: Every method the gateway can take at all, whatever the order: what the merchant may
    #: turn on for it (`methods_for` narrows it to one order's currency and country).
    methods: tuple[str, ...]

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


@runtime_checkable
class CompletingGateway(PaymentGateway, Protocol):
    """A gateway whose payments the shop completes itself once the shopper approved them at
    the provider (PayPal's capture after the approval redirect)."""

    async def complete_payment(self, provider_payment_id: str) -> GatewayPayment:
        """Complete an approved payment; its status afterwards (SUCCEEDED, PROCESSING for a
        capture that completes later, FAILED, or REQUIRES_ACTION while not yet approved).
        Idempotent; raises `GatewayError`."""
        ...
