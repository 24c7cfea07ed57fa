"""The PayPal gateway (Orders v2): an order per payment attempt, captured once the shopper
approved it, refunds of the capture, and settlement figures from PayPal's breakdowns.

Calls go through the official `paypal-server-sdk`, which is synchronous: each runs in a
worker thread. The SDK fetches and renews the OAuth2 client-credentials token itself.
Every call that creates money carries a deterministic `PayPal-Request-Id` (the attempt's
idempotency key, `capture:<order>`, the refund's key), so PayPal answers a retry with the
first answer instead of charging twice. `Payment.provider_id` is the PayPal order id.

A PayPal order is approved by the shopper on PayPal's page and then captured by the shop:
`complete_payment` when the shopper comes back, or the `CHECKOUT.ORDER.APPROVED`
notification when they never do (`services.payments.paypal_notices`). An order never
captured cannot be voided; it simply expires, so `cancel_payment` only reports it cancelled
and the shop captures only the order's open attempt (`services.payments.completion`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx
import requests
from apimatic_core.exceptions.auth_validation_exception import AuthValidationException
from paypalserversdk.configuration import Configuration, Environment, Server
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from models.payments import Gateway, PaymentStatus, RefundStatus
from services.payments import events
from services.payments.gateway import (
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)
from services.payments.paypal_shapes import (
    DECLINED_MESSAGE,
    capture_id_of_refund,
    captures_of,
    order_notice,
    payment_status,
    refund_sequence,
    refund_status,
    settlement,
)
from services.payments.paypal_units import (
    CURRENCIES,
    PayPalAmountError,
    to_paypal_value,
)

if TYPE_CHECKING:
    from settings import Settings

log = logging.getLogger("tradewind.payments")

METHOD = "paypal"
#: Seconds a call to PayPal may take.
TIMEOUT = 30

#: Capture errors that mean the shopper's funding was refused: the attempt failed.
_DECLINES = frozenset({"INSTRUMENT_DECLINED", "PAYER_CANNOT_PAY", "TRANSACTION_REFUSED"})


class _Configuration(Configuration):
    """The SDK's configuration, answering with our own base address when one is set (a
    proxy, a local stand-in): the SDK only knows sandbox and live."""

    def __init__(self, *, base_uri: str | None, **options: Any) -> None:
        self._base_uri = (base_uri or "").rstrip("/")
        super().__init__(**options)

    def get_base_uri(self, server: Server = Server.DEFAULT) -> str:
        return self._base_uri or str(super().get_base_uri(server))


def _error(exc: Exception) -> GatewayError:
    """An SDK or network failure as the gateway's error, with PayPal's issue as its code
    (`ORDER_NOT_APPROVED`, `INSTRUMENT_DECLINED`, ...)."""
    if isinstance(exc, ApiException):
        status = int(exc.response_code or 0)
        try:
            body = json.loads(exc.response.text or "{}")
        except (ValueError, AttributeError):
            body = {}
        body = body if isinstance(body, dict) else {}
        details = body.get("details")
        first = details[0] if isinstance(details, list) and details else {}
        issue = first.get("issue") if isinstance(first, dict) else None
        message = str(
            (first.get("description") if isinstance(first, dict) else None)
            or body.get("message")
            or exc.reason
        )
        return GatewayError(
            message,
            code=str(issue or body.get("name") or status),
            retryable=status >= 500 or status in (408, 429),
        )
    if isinstance(exc, AuthValidationException):
        return GatewayError(
            "PayPal refused the shop's client id and secret", code="authentication_failed"
        )
    return GatewayError(f"PayPal could not be reached ({exc})", code="network", retryable=True)


class PayPalGateway:
    name = Gateway.PAYPAL
    methods: tuple[str, ...] = ("paypal",)

    def __init__(self, settings: Settings) -> None:
        if not settings.paypal_client_id or settings.paypal_client_secret is None:
            raise ValueError(
                "PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET are required for the paypal gateway"
            )
        self._webhook_id = settings.paypal_webhook_id or ""
        self._return_url = settings.storefront_url
        environment = (
            Environment.PRODUCTION if settings.paypal_environment == "live" else Environment.SANDBOX
        )
        self._token: Any = None
        credentials = ClientCredentialsAuthCredentials(
            o_auth_client_id=settings.paypal_client_id,
            o_auth_client_secret=settings.paypal_client_secret.get_secret_value(),
            o_auth_on_token_update=self._remember_token,
        )
        config = _Configuration(
            base_uri=settings.paypal_api_base,
            environment=environment,
            client_credentials_auth_credentials=credentials,
            timeout=TIMEOUT,
            # Every POST carries a PayPal-Request-Id, so retrying one is as safe as a GET.
            max_retries=2,
            backoff_factor=0.5,
            retry_methods=["GET", "POST"],
        )
        self.client = PaypalServersdkClient(config=config)
        self._base = config.get_base_uri()
        self._http = httpx.AsyncClient(base_url=self._base, timeout=TIMEOUT)

    def _remember_token(self, token: Any) -> None:
        self._token = token

    async def aclose(self) -> None:
        """Close the HTTP connections (on shutdown)."""
        await self._http.aclose()

    async def _call(self, operation: Callable[[dict[str, Any]], Any], **options: Any) -> Any:
        """One SDK call in a worker thread; PayPal's JSON answer as plain data."""
        try:
            response = await asyncio.to_thread(operation, options)
        except (ApiException, AuthValidationException, requests.RequestException) as exc:
            raise _error(exc) from exc
        try:
            return json.loads(response.text or "{}")
        except ValueError as exc:
            raise GatewayError(
                "PayPal answered something that is not JSON", retryable=True
            ) from exc

    def methods_for(self, currency: str, country: str) -> list[str]:
        """PayPal, for the currencies PayPal takes payments in."""
        return [METHOD] if currency.upper() in CURRENCIES else []

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """A PayPal order to capture the attempt's amount, and the page that approves it."""
        code = request.currency.upper()
        if (request.method and request.method != METHOD) or code not in CURRENCIES:
            raise GatewayError(
                f"{request.method or 'No method'} is not offered for {code}",
                code="method_unavailable",
            )
        try:
            value = to_paypal_value(request.amount, code)
        except PayPalAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        return_url = request.return_url or self._return_url
        reference = f"{request.order_number}:{request.attempt}"
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": request.order_number,
                    "custom_id": reference,
                    # PayPal refuses a second order with the same invoice id: another guard
                    # against paying one attempt twice.
                    "invoice_id": f"{request.order_number}-{request.attempt}",
                    "description": f"Order {request.order_number}",
                    "amount": {"currency_code": code, "value": value},
                }
            ],
            "payment_source": {
                "paypal": {
                    "email_address": request.email,
                    "experience_context": {
                        "return_url": return_url,
                        "cancel_url": return_url,
                        "user_action": "PAY_NOW",
                    },
                }
            },
        }
        order = await self._call(
            self.client.orders.create_order,
            body=body,
            paypal_request_id=request.idempotency_key,
            prefer="return=representation",
        )
        links = {
            str(link.get("rel")): str(link.get("href"))
            for link in order.get("links") or []
            if isinstance(link, dict)
        }
        url = links.get("payer-action") or links.get("approve")
        if not order.get("id") or not url:
            raise GatewayError("PayPal answered an order without its approval page")
        return GatewayPayment(
            provider_id=str(order["id"]),
            status=payment_status(order),
            next_action={
                "type": "redirect_to_url",
                "redirect_to_url": {"url": url, "return_url": return_url},
            },
        )

    async def order(self, order_id: str) -> dict[str, Any]:
        """The PayPal order as it is now."""
        found: dict[str, Any] = await self._call(self.client.orders.get_order, id=order_id)
        return found

    async def complete_payment(self, provider_payment_id: str) -> GatewayPayment:
        """Capture the approved order (once: the request id is the order's own); an order
        not approved yet stays REQUIRES_ACTION, a captured one answers its capture's status."""
        try:
            order = await self._call(
                self.client.orders.capture_order,
                id=provider_payment_id,
                body={},
                paypal_request_id=f"capture:{provider_payment_id}",
                prefer="return=representation",
            )
        except GatewayError as exc:
            if exc.code in ("ORDER_NOT_APPROVED", "PAYER_ACTION_REQUIRED"):
                return GatewayPayment(provider_payment_id, PaymentStatus.REQUIRES_ACTION)
            if exc.code in _DECLINES:
                return GatewayPayment(
                    provider_payment_id,
                    PaymentStatus.FAILED,
                    failure_code=exc.code.lower(),
                    failure_message=DECLINED_MESSAGE,
                )
            if exc.code not in ("ORDER_ALREADY_CAPTURED", "ORDER_COMPLETED"):
                raise
            order = await self.order(provider_payment_id)
        status = payment_status(order)
        failure = DECLINED_MESSAGE if status is PaymentStatus.FAILED else ""
        return GatewayPayment(
            provider_payment_id,
            status,
            failure_code="declined" if failure else "",
            failure_message=failure,
        )

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        """Refund part or all of the order's capture."""
        try:
            value = to_paypal_value(request.amount, request.currency)
        except PayPalAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        captures = captures_of(await self.order(request.provider_payment_id))
        if not captures:
            raise GatewayError("Nothing was captured on this PayPal order", code="not_captured")
        refund = await self._call(
            self.client.payments.refund_captured_payment,
            capture_id=str(captures[-1]["id"]),
            body={
                "amount": {"currency_code": request.currency.upper(), "value": value},
                "custom_id": f"{request.payment_id}:{request.sequence}",
                "note_to_payer": request.reason[:255],
            },
            paypal_request_id=request.idempotency_key,
            prefer="return=representation",
        )
        details = refund.get("status_details")
        reason = str(details.get("reason") or "") if isinstance(details, dict) else ""
        return GatewayRefund(
            provider_id=str(refund.get("id") or ""),
            status=refund_status(refund),
            failure_message=reason.replace("_", " ").lower(),
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        """An uncaptured order cannot be voided at PayPal (it expires): it is reported
        CANCELED, and the shop will not capture it. A captured one answers its status."""
        try:
            order = await self.order(provider_payment_id)
        except GatewayError as exc:
            if exc.code in ("RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID"):
                return PaymentStatus.CANCELED  # expired and gone
            raise
        status = payment_status(order)
        return PaymentStatus.CANCELED if status is PaymentStatus.REQUIRES_ACTION else status

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        return order_notice(await self.order(provider_payment_id))[1]

    async def capture(self, capture_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._call(
            self.client.payments.get_captured_payment, capture_id=capture_id
        )
        return found

    async def order_id_of_capture(self, capture_id: str) -> str:
        """The order a capture belongs to."""
        capture = await self.capture(capture_id)
        extra = capture.get("supplementary_data")
        related = extra.get("related_ids") if isinstance(extra, dict) else None
        return str(related.get("order_id") or "") if isinstance(related, dict) else ""

    async def refund_notice_of(self, refund: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """A PayPal refund object as the refund event `events.process` takes."""
        capture_id = capture_id_of_refund(refund)
        order_id = await self.order_id_of_capture(capture_id) if capture_id else ""
        status = refund_status(refund)
        details = refund.get("status_details")
        reason = str(details.get("reason") or "") if isinstance(details, Mapping) else ""
        return events.refund_notice(
            order_id,
            str(refund.get("id") or ""),
            status,
            sequence=refund_sequence(refund),
            failure_reason=(reason or str(refund.get("status") or "")).lower()
            if status is RefundStatus.FAILED
            else "",
        )

    async def _refund(self, provider_refund_id: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._call(
            self.client.payments.get_refund, refund_id=provider_refund_id
        )
        return found

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        return (await self.refund_notice_of(await self._refund(provider_refund_id)))[1]

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        """Net, fee and conversion from the capture's `seller_receivable_breakdown`."""
        captures = captures_of(await self.order(provider_payment_id))
        if not captures or captures[-1].get("status") not in (
            "COMPLETED",
            "PARTIALLY_REFUNDED",
            "REFUNDED",
        ):
            return None
        breakdown = captures[-1].get("seller_receivable_breakdown")
        if not isinstance(breakdown, dict):
            return None
        return self._settlement(breakdown, str(captures[-1]["id"]), refund=False)

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """The refund's own `seller_payable_breakdown` (negative net and fee given back)."""
        refund = await self._refund(provider_refund_id)
        breakdown = refund.get("seller_payable_breakdown")
        if refund.get("status") != "COMPLETED" or not isinstance(breakdown, dict):
            return None
        return self._settlement(breakdown, provider_refund_id, refund=True)

    @staticmethod
    def _settlement(breakdown: Mapping[str, Any], reference: str, *, refund: bool) -> Settlement:
        try:
            return settlement(breakdown, reference, refund=refund)
        except PayPalAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc

    async def verify_notification(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether PayPal itself signed a webhook delivery to the shop's webhook, asked of
        PayPal's verification endpoint (the SDK has none). Raises `GatewayError` when PayPal
        cannot be asked, so the delivery is retried rather than refused."""
        if not self._webhook_id:
            raise GatewayError("PAYPAL_WEBHOOK_ID is not set", code="not_configured")
        fields = {
            "auth_algo": headers.get("paypal-auth-algo", ""),
            "cert_url": headers.get("paypal-cert-url", ""),
            "transmission_id": headers.get("paypal-transmission-id", ""),
            "transmission_sig": headers.get("paypal-transmission-sig", ""),
            "transmission_time": headers.get("paypal-transmission-time", ""),
            "webhook_id": self._webhook_id,
        }
        if not all(fields.values()):
            return False
        # The event goes back byte for byte: PayPal checks the signature over the body it
        # sent, which re-encoding the parsed JSON would not reproduce.
        payload = json.dumps(fields)[:-1] + ', "webhook_event": ' + body.decode() + "}"
        token = await self._access_token()
        try:
            response = await self._http.post(
                "/v1/notifications/verify-webhook-signature",
                content=payload.encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _error(exc) from exc
        if response.status_code >= 500 or response.status_code in (401, 429):
            raise GatewayError(
                f"PayPal could not verify the notification ({response.status_code})",
                retryable=True,
            )
        if response.status_code != 200:
            return False
        answer = response.json()
        return isinstance(answer, dict) and answer.get("verification_status") == "SUCCESS"

    async def _access_token(self) -> str:
        """The SDK's OAuth token, fetched or renewed when it has none or it expired."""
        valid = await asyncio.to_thread(self.client.oauth_2.is_valid)
        if not valid or self._token is None:
            raise GatewayError(
                "PayPal refused the shop's client id and secret", code="authentication_failed"
            )
        return str(self._token.access_token)
