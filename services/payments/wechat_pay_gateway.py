"""The WeChat Pay gateway (API v3, direct merchant): Native QR codes and H5 pages, refunds,
and settlement figures.

Calls go through the `wechatpayv3` SDK's async client (httpx), which signs every request
with the merchant's API key and verifies every answer against WeChat Pay's platform
certificates (`wechat_pay_certs`). WeChat Pay has no idempotency header: a payment's
`out_trade_no` is made from the order number and the attempt, and a refund's
`out_refund_no` from the payment's and the refund's sequence, so a retry names the same
order or refund and WeChat Pay answers it again rather than charging twice. The provider id
stored for a payment is its `out_trade_no`, for a refund its `out_refund_no`: both are known
before WeChat Pay answers, and both are what its queries take.

A desktop shopper scans a QR code (Native); a phone shopper goes to WeChat Pay's H5 page.
JSAPI (inside WeChat's browser) needs the shopper's openid for the merchant's app, which
the shop does not have, so it is not offered. WeChat Pay notifies only successes; failures
and expiries are learned by asking (`fetch_payment`, from the reconciliation sweep).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
from wechatpayv3.async_ import AsyncWeChatPay
from wechatpayv3.async_.type import WeChatPayType

from models.payments import Gateway, PaymentStatus, RefundStatus
from services.money import currency_exponent
from services.payments import events
from services.payments.contracts import contract_fee, pem_text
from services.payments.gateway import (
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
    notification_url,
)
from services.payments.wechat_pay_certs import PlatformCore, decrypt_resource
from settings import DATA_DIR

if TYPE_CHECKING:
    from settings import Settings

log = logging.getLogger(__name__)

METHOD = "wechat_pay"
NOTIFY_PATH = "/webhooks/wechat-pay"
#: How long a QR code or H5 page stays payable (`time_expire`).
PAYABLE_FOR = timedelta(hours=2)
#: WeChat Pay's own clock, in which `time_expire` is conventionally written.
CHINA = timezone(timedelta(hours=8))

_TRADE_STATES = {
    "SUCCESS": PaymentStatus.SUCCEEDED,
    "NOTPAY": PaymentStatus.REQUIRES_ACTION,
    "USERPAYING": PaymentStatus.PROCESSING,
    "ACCEPT": PaymentStatus.PROCESSING,
    "CLOSED": PaymentStatus.CANCELED,
    "REVOKED": PaymentStatus.CANCELED,
    "PAYERROR": PaymentStatus.FAILED,
    # A paid order later refunded in full: the payment itself succeeded.
    "REFUND": PaymentStatus.SUCCEEDED,
}
_REFUND_STATES = {
    "SUCCESS": RefundStatus.SUCCEEDED,
    "PROCESSING": RefundStatus.PENDING,
    # The money could not reach the shopper's account (a closed card): WeChat Pay waits for
    # the merchant to redirect it, which staff do in the merchant platform.
    "ABNORMAL": RefundStatus.FAILED,
    "CLOSED": RefundStatus.FAILED,
}
#: Error codes worth trying again (WeChat Pay's busy answers).
_RETRYABLE = frozenset({"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANK_ERROR"})
_OUT_NO = re.compile(r"^[A-Za-z0-9_\-|*]{6,32}$")


class WeChatPayAmountError(ValueError):
    """The amount cannot be written in WeChat Pay's units for the currency."""


def to_wechat_amount(amount: int, currency: str) -> int:
    """ISO 4217 minor units as WeChat Pay's (fen for CNY, cents, whole yen): the same for
    zero- and two-decimal currencies; a three-decimal currency in hundredths, refused when
    the thousandths are not 0 rather than rounded."""
    exponent = currency_exponent(currency.upper())
    if exponent <= 2:
        return amount
    scale = 10 ** (exponent - 2)
    if amount % scale:
        raise WeChatPayAmountError(f"{amount} {currency} minor units are not whole hundredths")
    return amount // scale


def from_wechat_amount(amount: int, currency: str) -> int:
    """WeChat Pay's units as ISO 4217 minor units (exact: the inverse of `to_wechat_amount`)."""
    exponent = currency_exponent(currency.upper())
    return amount if exponent <= 2 else amount * 10 ** (exponent - 2)


def out_trade_no(request: PaymentRequest) -> str:
    """The payment's deterministic merchant order number: the order number, the attempt and
    the page kind (a lost answer retried from the other kind of device must not be refused
    as the same order with other parameters), hashed when it does not fit WeChat's rules."""
    kind = "H" if _wants_h5(request) else "N"
    plain = f"{request.order_number}-{request.attempt}{kind}"
    if _OUT_NO.match(plain):
        return plain
    digest = hashlib.sha256(plain.encode()).hexdigest()[:29]
    return f"TW{digest}{kind}"


def out_refund_no(request: RefundRequest) -> str:
    """The refund's deterministic merchant refund number (its idempotency): the payment's
    `out_trade_no` and the refund's sequence."""
    return f"{request.provider_payment_id}-R{request.sequence}"


def refund_sequence(refund_no: str) -> int | None:
    """The sequence `out_refund_no` wrote into a refund number, None for another's."""
    _, marker, sequence = refund_no.rpartition("-R")
    return int(sequence) if marker and sequence.isdigit() else None


def _wants_h5(request: PaymentRequest) -> bool:
    # WeChat Pay refuses an H5 payment without the payer's IP address: a QR code then.
    return request.mobile and bool(request.client_ip)


class WeChatPayGateway:
    name = Gateway.WECHAT_PAY
    methods: tuple[str, ...] = ("wechat_pay",)

    def __init__(self, settings: Settings) -> None:
        missing = [
            name.upper()
            for name in (
                "wechat_pay_mchid",
                "wechat_pay_appid",
                "wechat_pay_private_key",
                "wechat_pay_cert_serial_no",
                "wechat_pay_apiv3_key",
            )
            if not getattr(settings, name)
        ]
        if missing:
            raise ValueError(f"{', '.join(missing)} required with the wechat_pay gateway")
        secret_key = settings.wechat_pay_private_key
        apiv3_key = settings.wechat_pay_apiv3_key
        private_key = pem_text(secret_key.get_secret_value() if secret_key else "")
        self.mchid = str(settings.wechat_pay_mchid)
        self.apiv3_key = apiv3_key.get_secret_value() if apiv3_key else ""
        self._currencies = [c.upper() for c in settings.wechat_pay_currencies]
        self._fee_rate = settings.wechat_pay_fee_rate
        self.client = AsyncWeChatPay(
            wechatpay_type=WeChatPayType.NATIVE,
            mchid=self.mchid,
            private_key=private_key,
            cert_serial_no=settings.wechat_pay_cert_serial_no,
            appid=settings.wechat_pay_appid,
            apiv3_key=self.apiv3_key,
            notify_url=notification_url(settings, NOTIFY_PATH),
            cert_dir=settings.wechat_pay_cert_dir or str(DATA_DIR / "wechat-pay-certificates"),
            timeout=(5, 20),
        )
        # The SDK's core, with certificate downloads shared by their callers.
        core = self.client._core
        self.core = PlatformCore(
            mchid=core._mchid,
            cert_serial_no=core._cert_serial_no,
            private_key=private_key,
            apiv3_key=self.apiv3_key,
            cert_dir=core._cert_dir,
            timeout=core._timeout,
        )
        self.core._gate_way = settings.wechat_pay_api_base.rstrip("/")
        self.client._core = self.core
        self._started = False
        self._start_lock = asyncio.Lock()

    async def _ready(self) -> AsyncWeChatPay:
        """The client, its HTTP connections opened and the platform certificates loaded
        (from the folder, or downloaded) on first use."""
        if self._started:
            return self.client
        async with self._start_lock:
            if not self._started:
                try:
                    await self.core.__aenter__()
                except Exception as exc:
                    await self.core.__aexit__(None, None, None)
                    raise GatewayError(
                        f"WeChat Pay's certificates could not be loaded: {exc}", retryable=True
                    ) from exc
                self._started = True
        return self.client

    async def aclose(self) -> None:
        """Close the HTTP connections (on shutdown)."""
        if self._started:
            await self.core.__aexit__(None, None, None)
            self._started = False

    async def _call(self, what: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, Any]:
        """One SDK call: (status, decoded JSON answer or {}). Raises `GatewayError` when
        WeChat Pay cannot be reached or its answer is not signed by it."""
        client = await self._ready()
        try:
            code, text = await getattr(client, method)(*args, **kwargs)
        except httpx.HTTPError as exc:
            raise GatewayError(f"WeChat Pay could not be reached ({what})", retryable=True) from exc
        except Exception as exc:  # the SDK raises bare exceptions for bad signatures
            log.warning("payments.wechat_pay_answer_refused", extra={"call": what})
            raise GatewayError(
                f"WeChat Pay's answer could not be verified ({what}): {exc}", retryable=True
            ) from exc
        try:
            body = json.loads(text) if text else {}
        except (TypeError, ValueError):
            body = {}
        return int(code), body if isinstance(body, dict) else {}

    @staticmethod
    def _error(code: int, body: Mapping[str, Any]) -> GatewayError:
        given = str(body.get("code") or f"HTTP_{code}")
        message = str(body.get("message") or "WeChat Pay refused the request")
        return GatewayError(message, code=given, retryable=code >= 500 or given in _RETRYABLE)

    def methods_for(self, currency: str, country: str) -> list[str]:
        """WeChat Pay for the currencies of the merchant's contract, whatever the country."""
        return [METHOD] if currency.upper() in self._currencies else []

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """A Native order (QR code) or, for a phone, an H5 order (WeChat Pay's page)."""
        if request.method != METHOD or not self.methods_for(request.currency, request.country):
            raise GatewayError(
                f"{request.method or 'No method'} is not offered for {request.currency}",
                code="method_unavailable",
            )
        try:
            total = to_wechat_amount(request.amount, request.currency)
        except WeChatPayAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        trade_no = out_trade_no(request)
        expires = datetime.now(CHINA).replace(microsecond=0) + PAYABLE_FOR
        h5 = _wants_h5(request)
        params: dict[str, Any] = {
            "description": f"Order {request.order_number}",
            "out_trade_no": trade_no,
            "amount": {"total": total, "currency": request.currency.upper()},
            "time_expire": expires.isoformat(),
            "attach": request.order_number,
            "pay_type": WeChatPayType.H5 if h5 else WeChatPayType.NATIVE,
        }
        if h5:
            params["scene_info"] = {
                "payer_client_ip": request.client_ip,
                "h5_info": {"type": "Wap"},
            }
        code, body = await self._call("pay", "pay", **params)
        if code == 403 and body.get("code") == "ORDERPAID":
            # An earlier answer was lost and the shopper paid meanwhile: the payment waits
            # for its notification (or the reconciliation), which moves the order.
            return GatewayPayment(provider_id=trade_no, status=PaymentStatus.PROCESSING)
        if code != 200:
            log.warning("payments.wechat_pay_create_failed", extra={"order": request.order_number})
            raise self._error(code, body)
        if h5:
            url = str(body.get("h5_url") or "")
            if request.return_url:
                url += (
                    ("&" if "?" in url else "?")
                    + "redirect_url="
                    + quote(request.return_url, safe="")
                )
            action: dict[str, object] = {
                "type": "redirect_to_url",
                "redirect_to_url": {"url": url, "return_url": request.return_url},
            }
        else:
            action = {
                "type": "display_qr_code",
                "display_qr_code": {
                    "data": str(body.get("code_url") or ""),
                    "expires_at": int(expires.timestamp()),
                },
            }
        return GatewayPayment(
            provider_id=trade_no, status=PaymentStatus.REQUIRES_ACTION, next_action=action
        )

    async def _transaction(self, trade_no: str) -> Mapping[str, Any]:
        code, body = await self._call("query", "query", out_trade_no=trade_no)
        if code != 200:
            raise self._error(code, body)
        return body

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        """The order as WeChat Pay has it now, as a payment notice."""
        return self.payment_notice(await self._transaction(provider_payment_id))[1]

    def payment_notice(self, transaction: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """A WeChat Pay transaction (a query's answer, or a notification's resource) as the
        event type and object `events.process` takes."""
        state = str(transaction.get("trade_state") or "")
        status = _TRADE_STATES.get(state, PaymentStatus.PROCESSING)
        amount = transaction.get("amount") or {}
        currency = str(amount.get("currency") or "CNY").upper()
        received = 0
        if status is PaymentStatus.SUCCEEDED:
            # `total` is the order's amount, what the merchant is paid; `payer_total` is less
            # by WeChat Pay's own coupons, and in the payer's currency across borders.
            received = from_wechat_amount(int(amount.get("total") or 0), currency)
        return events.payment_notice(
            str(transaction.get("out_trade_no") or ""),
            status,
            amount_received=received,
            currency=currency,
            failure_code=state.lower() if status is PaymentStatus.FAILED else "",
            failure_message=str(transaction.get("trade_state_desc") or "")
            if status is PaymentStatus.FAILED
            else "",
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        """Close the order at WeChat Pay, then ask what it is now (SUCCEEDED when the
        shopper paid first: WeChat Pay refuses to close a paid order)."""
        code, body = await self._call("close", "close", out_trade_no=provider_payment_id)
        if code not in (200, 204) and body.get("code") not in ("ORDERPAID", "ORDER_CLOSED"):
            raise self._error(code, body)
        transaction = await self._transaction(provider_payment_id)
        return _TRADE_STATES.get(str(transaction.get("trade_state")), PaymentStatus.PROCESSING)

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        """Refund part or all of a paid order; WeChat Pay wants the order's total with it."""
        try:
            amount = to_wechat_amount(request.amount, request.currency)
        except WeChatPayAmountError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        transaction = await self._transaction(request.provider_payment_id)
        total = int((transaction.get("amount") or {}).get("total") or 0)
        refund_no = out_refund_no(request)
        code, body = await self._call(
            "refund",
            "refund",
            out_refund_no=refund_no,
            out_trade_no=request.provider_payment_id,
            amount={"refund": amount, "total": total, "currency": request.currency.upper()},
            reason=request.reason[:80] or None,
        )
        if code != 200:
            raise self._error(code, body)
        status = _REFUND_STATES.get(str(body.get("status")), RefundStatus.PENDING)
        return GatewayRefund(
            provider_id=refund_no,
            status=status,
            failure_message=_refund_failure(str(body.get("status")))
            if status is RefundStatus.FAILED
            else "",
        )

    async def _refund(self, refund_no: str) -> Mapping[str, Any]:
        code, body = await self._call("query_refund", "query_refund", out_refund_no=refund_no)
        if code != 200:
            raise self._error(code, body)
        return body

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        """The refund as WeChat Pay has it now, as a refund notice."""
        return self.refund_notice(await self._refund(provider_refund_id))[1]

    def refund_notice(self, refund: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """A WeChat Pay refund (a query's answer, or a notification's resource) as the event
        type and object `events.process` takes."""
        state = str(refund.get("refund_status") or refund.get("status") or "")
        status = _REFUND_STATES.get(state, RefundStatus.PENDING)
        refund_no = str(refund.get("out_refund_no") or "")
        return events.refund_notice(
            str(refund.get("out_trade_no") or ""),
            refund_no,
            status,
            sequence=refund_sequence(refund_no),
            failure_reason=_refund_failure(state) if status is RefundStatus.FAILED else "",
        )

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        """The contract's fee on a paid order and what remains: WeChat Pay reports fees only
        in its daily bills, so the fee is computed per transaction (`wechat_pay_fee_rate`,
        half up to the fen), in the payment's currency; None before the order is paid."""
        transaction = await self._transaction(provider_payment_id)
        if transaction.get("trade_state") not in ("SUCCESS", "REFUND"):
            return None
        amount = transaction.get("amount") or {}
        currency = str(amount.get("currency") or "CNY").upper()
        received = from_wechat_amount(int(amount.get("total") or 0), currency)
        fee = contract_fee(received, self._fee_rate)
        return Settlement(
            currency=currency,
            net=received - fee,
            fee=fee,
            rate="",
            balance_transaction_id=str(transaction.get("transaction_id") or provider_payment_id),
        )

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """A succeeded refund leaves the balance less the fee WeChat Pay gives back: it
        returns the payment's fee in proportion to the amount refunded, computed here the
        same way (rate, half up to the fen), so the net is `-(refund - fee)` and the fee is
        negative (money back); None before the refund succeeded."""
        refund = await self._refund(provider_refund_id)
        if refund.get("status") != "SUCCESS":
            return None
        amount = refund.get("amount") or {}
        currency = str(amount.get("currency") or "CNY").upper()
        refunded = from_wechat_amount(int(amount.get("refund") or 0), currency)
        fee_back = contract_fee(refunded, self._fee_rate)
        return Settlement(
            currency=currency,
            net=-(refunded - fee_back),
            fee=-fee_back,
            rate="",
            balance_transaction_id=str(refund.get("refund_id") or provider_refund_id),
        )

    async def notification(
        self, headers: Mapping[str, str], body: bytes
    ) -> tuple[str, str, dict[str, Any]] | None:
        """A notification verified (its signature, by a known platform certificate) and
        decrypted: (its id, its event type, its resource); None when it is not WeChat Pay's.
        A serial not known yet downloads the certificates once (shared by every delivery
        waiting at the same time)."""
        await self._ready()
        text = body.decode("utf-8")
        if not await self.core._verify_signature_async(headers, text):
            return None
        try:
            parsed = json.loads(text)
            resource = parsed["resource"]
            event_id, kind = str(parsed["id"]), str(parsed["event_type"])
        except (ValueError, KeyError, TypeError):
            return None
        plain = decrypt_resource(resource, self.apiv3_key) if isinstance(resource, dict) else None
        if plain is None:
            return None
        try:
            decrypted = json.loads(plain)
        except ValueError:
            return None
        if not isinstance(decrypted, dict) or decrypted.get("mchid") not in (None, self.mchid):
            return None
        return event_id, kind, decrypted


def _refund_failure(state: str) -> str:
    if state == "ABNORMAL":
        return (
            "WeChat Pay could not return the money to the shopper's account: redirect the "
            "refund in the merchant platform."
        )
    return "WeChat Pay closed the refund."
