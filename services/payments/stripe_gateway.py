"""The Stripe gateway: a PaymentIntent per payment attempt, refunds, and settlement figures.

Calls go through the official SDK's `StripeClient` on its async path (httpx). Amounts are
converted to Stripe's own units (`stripe_units`), currencies sent lower-case, and every
call that creates money carries the deterministic idempotency key of its request, so the
SDK's own retries and ours never charge twice. Card data never reaches Tradewind: the
storefront confirms the PaymentIntent with Stripe's script using the client secret.

Method names are the shop's (`card`, `alipay`, `wechat_pay`, `paypal`, `bank_transfer`);
`bank_transfer` is Stripe's `customer_balance`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import stripe

from models.payments import Gateway, PaymentStatus, RefundStatus
from services.payments import stripe_units
from services.payments.gateway import (
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)

if TYPE_CHECKING:
    from settings import Settings

log = logging.getLogger(__name__)

_PAYPAL_CURRENCIES = frozenset(
    {
        "EUR", "GBP", "USD", "CHF", "CZK", "DKK", "NOK", "PLN", "SEK", "AUD", "CAD", "HKD",
        "NZD", "SGD",
    }
)  # fmt: skip

#: Currencies each method can be charged in at Stripe (None: any currency Stripe supports).
#: Kept from Stripe's payment-method pages; card is offered everywhere.
METHOD_CURRENCIES: dict[str, frozenset[str] | None] = {
    "card": None,
    "alipay": frozenset(
        {"CNY", "AUD", "CAD", "EUR", "GBP", "HKD", "JPY", "SGD", "MYR", "NZD", "USD"}
    ),
    "wechat_pay": frozenset(
        {"CNY", "AUD", "CAD", "EUR", "GBP", "HKD", "JPY", "SGD", "USD", "DKK", "NOK", "SEK", "CHF"}
    ),
    "paypal": _PAYPAL_CURRENCIES,
    "bank_transfer": frozenset({"EUR", "GBP", "JPY", "MXN", "USD"}),
}

#: Stripe offers PayPal only to merchants in these countries (EEA, the UK and Switzerland).
PAYPAL_MERCHANT_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR",
        "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT",
        "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

#: `payment_method_options.customer_balance.bank_transfer.type` per currency.
BANK_TRANSFER_TYPES = {
    "EUR": "eu_bank_transfer",
    "GBP": "gb_bank_transfer",
    "JPY": "jp_bank_transfer",
    "MXN": "mx_bank_transfer",
    "USD": "us_bank_transfer",
}
#: Countries Stripe opens euro virtual accounts in; the shopper's when it is one of them.
EU_BANK_TRANSFER_COUNTRIES = ("BE", "DE", "ES", "FR", "IE", "NL")

#: The shop's method names as Stripe's `payment_method_types`.
STRIPE_METHOD_TYPES = {"bank_transfer": "customer_balance"}
_SHOP_METHOD_NAMES = {"customer_balance": "bank_transfer"}

_INTENT_STATUSES = {
    # A new intent waits for the storefront to confirm it with the shopper's details.
    "requires_payment_method": PaymentStatus.REQUIRES_ACTION,
    "requires_confirmation": PaymentStatus.REQUIRES_ACTION,
    "requires_action": PaymentStatus.REQUIRES_ACTION,
    "processing": PaymentStatus.PROCESSING,
    "requires_capture": PaymentStatus.PROCESSING,
    "succeeded": PaymentStatus.SUCCEEDED,
    "canceled": PaymentStatus.CANCELED,
}
_REFUND_STATUSES = {
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.FAILED,
}


class _HTTPXClient(stripe.HTTPXClient):
    """The SDK's httpx client, sending its form body as `content=`: httpx 0.28 deprecates
    `data=` with text, which the SDK 16 still passes."""

    def _get_request_args_kwargs(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any
    ) -> Any:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs.pop("data", None)
        kwargs["content"] = post_data or None
        return [args, kwargs]


def _shop_method(name: str) -> str:
    return _SHOP_METHOD_NAMES.get(name, name)


def _error(exc: stripe.StripeError) -> GatewayError:
    """The SDK's exception as the gateway's, with whether trying again may work."""
    retryable = isinstance(
        exc, stripe.APIConnectionError | stripe.APIError | stripe.RateLimitError
    ) or bool(exc.http_status and exc.http_status >= 500)
    message = exc.user_message or str(exc) or type(exc).__name__
    return GatewayError(message, code=exc.code or type(exc).__name__, retryable=retryable)


class StripeGateway:
    name = Gateway.STRIPE

    def __init__(self, settings: Settings) -> None:
        if settings.stripe_api_key is None:
            raise ValueError("STRIPE_API_KEY is required when PAYMENT_GATEWAY is stripe")
        self._enabled = [_shop_method(m) for m in settings.stripe_payment_methods]
        self.methods = tuple(dict.fromkeys(m for m in self._enabled if m in METHOD_CURRENCIES))
        self._merchant_country = (settings.stripe_merchant_country or "").upper()
        self._http = _HTTPXClient()
        self.client = stripe.StripeClient(
            settings.stripe_api_key.get_secret_value(),
            base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else {},
            max_network_retries=settings.stripe_max_network_retries,
            http_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the HTTP connections (on shutdown)."""
        await self._http.close_async()

    def methods_for(self, currency: str, country: str) -> list[str]:
        """The enabled methods Stripe supports for the currency, in the merchant's order."""
        code = currency.upper()
        offered = []
        for method in self._enabled:
            if method not in METHOD_CURRENCIES:
                continue
            currencies = METHOD_CURRENCIES[method]
            if currencies is not None and code not in currencies:
                continue
            if method == "paypal" and self._merchant_country not in PAYPAL_MERCHANT_COUNTRIES:
                continue
            if method not in offered:
                offered.append(method)
        return offered

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """A PaymentIntent for the attempt; a declined card is a FAILED payment."""
        offered = self.methods_for(request.currency, request.country)
        methods = offered if not request.method else [request.method]
        if not methods or any(m not in offered for m in methods):
            raise GatewayError(
                f"{request.method or 'No method'} is not offered for {request.currency}",
                code="method_unavailable",
            )
        params = await self._intent_params(request, methods)
        try:
            intent = await self.client.v1.payment_intents.create_async(
                cast(Any, params), options={"idempotency_key": request.idempotency_key}
            )
        except stripe.CardError as exc:
            return self._declined(exc)
        except stripe.StripeError as exc:
            log.warning("payments.stripe_create_failed", extra={"order": request.order_number})
            raise _error(exc) from exc
        return GatewayPayment(
            provider_id=intent.id,
            status=_INTENT_STATUSES.get(intent.status, PaymentStatus.PROCESSING),
            client_secret=intent.client_secret,
            next_action=intent.next_action.to_dict() if intent.next_action else {},
        )

    async def _intent_params(self, request: PaymentRequest, methods: list[str]) -> dict[str, Any]:
        try:
            amount = stripe_units.to_stripe_amount(request.amount, request.currency)
        except stripe_units.StripeAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        code = request.currency.upper()
        params: dict[str, Any] = {
            "amount": amount,
            "currency": code.lower(),
            "payment_method_types": [STRIPE_METHOD_TYPES.get(m, m) for m in methods],
            "metadata": {"order_number": request.order_number, "attempt": str(request.attempt)},
        }
        options: dict[str, Any] = {}
        if "wechat_pay" in methods:
            options["wechat_pay"] = {"client": "web"}
        if "bank_transfer" in methods:
            params["customer"] = await self._customer(request.email)
            transfer: dict[str, Any] = {"type": BANK_TRANSFER_TYPES[code]}
            if code == "EUR":
                transfer["eu_bank_transfer"] = {"country": self._eu_country(request.country)}
            options["customer_balance"] = {
                "funding_type": "bank_transfer",
                "bank_transfer": transfer,
            }
        if options:
            params["payment_method_options"] = options
        return params

    def _eu_country(self, shopper_country: str) -> str:
        for country in (shopper_country.upper(), self._merchant_country):
            if country in EU_BANK_TRANSFER_COUNTRIES:
                return country
        return "NL"

    async def _customer(self, email: str) -> str:
        """A Stripe customer for the shopper (bank transfers need one to match money to)."""
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        try:
            customer = await self.client.v1.customers.create_async(
                {"email": email}, options={"idempotency_key": f"customer:{digest}"}
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return customer.id

    @staticmethod
    def _declined(exc: stripe.CardError) -> GatewayPayment:
        body = exc.json_body if isinstance(exc.json_body, dict) else {}
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        intent = error.get("payment_intent") if isinstance(error, dict) else None
        return GatewayPayment(
            # Empty when Stripe created no intent: store no provider id then.
            provider_id=intent.get("id", "") if isinstance(intent, dict) else "",
            status=PaymentStatus.FAILED,
            failure_code=(error.get("decline_code") if isinstance(error, dict) else None)
            or exc.code
            or "card_error",
            failure_message=exc.user_message or "The card was declined.",
        )

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        """Refund part or all of a PaymentIntent's charge."""
        try:
            amount = stripe_units.to_stripe_amount(request.amount, request.currency)
        except stripe_units.StripeAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        try:
            refund = await self.client.v1.refunds.create_async(
                {
                    "payment_intent": request.provider_payment_id,
                    "amount": amount,
                    "metadata": {
                        "payment_id": str(request.payment_id),
                        "sequence": str(request.sequence),
                        "reason": request.reason[:500],
                    },
                },
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return GatewayRefund(
            provider_id=refund.id,
            status=_REFUND_STATUSES.get(refund.status or "", RefundStatus.PENDING),
            failure_message=getattr(refund, "failure_reason", None) or "",
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        """Cancel the PaymentIntent; when Stripe says it can no longer be cancelled (it
        succeeded, is processing, or was cancelled already), its current status."""
        try:
            intent = await self.client.v1.payment_intents.cancel_async(
                provider_payment_id,
                options={"idempotency_key": f"cancel:{provider_payment_id}"},
            )
        except stripe.InvalidRequestError as exc:
            if exc.code != "payment_intent_unexpected_state":
                raise _error(exc) from exc
            try:
                intent = await self.client.v1.payment_intents.retrieve_async(provider_payment_id)
            except stripe.StripeError as again:
                raise _error(again) from again
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return _INTENT_STATUSES.get(intent.status, PaymentStatus.PROCESSING)

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(provider_payment_id)
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return intent.to_dict()

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        try:
            refund = await self.client.v1.refunds.retrieve_async(provider_refund_id)
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return refund.to_dict()

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        """Net, fee and exchange rate from the charge's balance transaction; None before."""
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(
                provider_payment_id, {"expand": ["latest_charge.balance_transaction"]}
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        charge = intent.latest_charge
        if charge is None or isinstance(charge, str):
            return None
        return _settlement(charge.balance_transaction)

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """The refund's own balance transaction: what left the balance, at the rate Stripe
        applied that day (not the payment's)."""
        try:
            refund = await self.client.v1.refunds.retrieve_async(
                provider_refund_id, {"expand": ["balance_transaction"]}
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        return _settlement(refund.balance_transaction)


def _settlement(txn: stripe.BalanceTransaction | str | None) -> Settlement | None:
    """A balance transaction's figures in ISO minor units; None when it is not expanded or
    does not exist yet."""
    if txn is None or isinstance(txn, str):
        return None
    currency = txn.currency.upper()
    try:
        net = stripe_units.from_stripe_amount(txn.net, currency)
        fee = stripe_units.from_stripe_amount(txn.fee, currency)
    except stripe_units.StripeAmountError as exc:
        raise GatewayError(str(exc), code="amount_not_representable") from exc
    # Stripe sends the rate as a JSON number; its shortest repr is the decimal it wrote.
    rate = "" if txn.exchange_rate is None else repr(float(txn.exchange_rate))
    return Settlement(currency=currency, net=net, fee=fee, rate=rate, balance_transaction_id=txn.id)
