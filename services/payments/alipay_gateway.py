"""The Alipay gateway: a trade per payment attempt on Alipay's open platform, directly.

Built on `python-alipay-sdk` (RSA2), which is synchronous: every call that signs or goes
over the network runs in a worker thread. The cashier pages (`alipay.trade.page.pay` on a
computer, `alipay.trade.wap.pay` on a phone) are signed URLs built here without a call; the
trade exists at Alipay only once the shopper opens one. A desktop payment that gives no
return URL gets a QR code to scan instead (`alipay.trade.precreate`), shown in the page.

The trade number we send (`out_trade_no`) is the order number and the attempt, so a retried
attempt is the same trade at Alipay, which refuses a second trade under that number: it is
the payment's provider id. A refund's `out_request_no` is the payment id and the refund's
sequence, Alipay's idempotency for partial refunds. Amounts go as Alipay's decimal strings
in the currency's own units, converted exactly from ISO 4217 minor units.

Alipay tells fees only in its daily bills, so the settlement is computed from the contract's
rate (`alipay_fee_rate`), per transaction, rounded half up to the minor unit; a refund gives
back its share of the fee, as Alipay does.

What the shopper's return to `return_url` says is never trusted: the truth is the signed
notification (`webhooks/alipay.py`) or a query.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError

from models.payments import Gateway, PaymentStatus, RefundStatus
from services.money import InvalidCurrency, currency_exponent
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

if TYPE_CHECKING:
    from settings import Settings

log = logging.getLogger(__name__)

METHOD = "alipay"
#: Where Alipay's notifications arrive (`webhooks/alipay.py`).
NOTIFY_PATH = "/webhooks/alipay"
#: Alipay reads `time_expire` in China Standard Time.
CHINA = timezone(timedelta(hours=8), "CST")
#: Alipay's answer code for success, and for "busy: ask again with the same request".
SUCCESS = "10000"
BUSY = "20000"

PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")
_T = TypeVar("_T")


def to_alipay_amount(amount: int, currency: str) -> str:
    """ISO 4217 minor units as Alipay's decimal string in the currency's units ("72.00",
    "1200" yen). Alipay takes at most two decimals: a three-decimal amount that does not end
    in 0 raises `GatewayError` ("amount_not_representable"), never rounded."""
    try:
        exponent = currency_exponent(currency.upper())
    except InvalidCurrency as exc:
        raise GatewayError(str(exc), code="amount_not_representable") from exc
    value = Decimal(amount).scaleb(-exponent)
    places = min(exponent, 2)
    quantum = Decimal(1).scaleb(-places)
    if amount <= 0 or value != value.quantize(quantum):
        raise GatewayError(
            f"{value} {currency} cannot be paid through Alipay exactly",
            code="amount_not_representable",
        )
    return str(value.quantize(quantum))


def from_alipay_amount(text: object, currency: str) -> int:
    """Alipay's decimal string as ISO 4217 minor units; raises ValueError when it is not a
    whole number of them."""
    try:
        value = Decimal(str(text)).scaleb(currency_exponent(currency.upper()))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"{text} {currency} is not a whole number of minor units")
    return int(value)


def trade_number(order_number: str, attempt: int) -> str:
    """The attempt's `out_trade_no`: letters, digits and underscores, as Alipay allows."""
    return f"{re.sub(r'[^A-Za-z0-9]', '', order_number)}_{attempt}"


def refund_number(payment_id: int, sequence: int) -> str:
    """A refund's `out_request_no`; its sequence is read back from notifications."""
    return f"R{payment_id}_{sequence}"


def refund_id(out_trade_no: str, out_request_no: str) -> str:
    """The refund's provider id: Alipay numbers refunds within their trade."""
    return f"{out_trade_no}:{out_request_no}"


def _sequence_of(out_request_no: str) -> int | None:
    found = re.fullmatch(r"R\d+_(\d+)", out_request_no)
    return int(found.group(1)) if found else None


def _currency_of(trade: Mapping[str, Any]) -> str:
    """The trade's currency: the cross-border `trans_currency`, else the yuan."""
    return str(trade.get("trans_currency") or "CNY").upper()


def _received(trade: Mapping[str, Any]) -> int:
    """What the trade collected, in ISO minor units of its currency: `receipt_amount` (what
    the merchant received) for a yuan trade, `total_amount` in `trans_currency` for a
    cross-border one, whose other amounts are in yuan."""
    currency = _currency_of(trade)
    amount = trade.get("total_amount")
    if currency == "CNY" and trade.get("receipt_amount") not in (None, ""):
        amount = trade.get("receipt_amount")
    return from_alipay_amount(amount, currency)


@dataclass(frozen=True, slots=True)
class Notice:
    """A verified notification as `events.process` takes it."""

    event_id: str
    type: str
    data: dict[str, Any]


def notice_of(params: Mapping[str, str]) -> Notice | None:
    """What a verified notification tells, or None when it tells nothing to act on (a trade
    still waiting for the shopper). Raises ValueError for one that lacks what it must carry.

    A notification with refund fields (`out_biz_no`, `refund_fee`) is about refunds,
    whatever the trade status: Alipay closes a trade (TRADE_CLOSED) once it is refunded in
    full, which must never read as an unpaid trade closing. For a yuan trade, `refund_fee` is
    everything refunded so far, so a refund made in Alipay's console is recorded too; a
    cross-border trade's refund amounts are in yuan, so only the refund it names counts."""
    event_id = params.get("notify_id", "")
    out_trade_no = params.get("out_trade_no", "")
    status = params.get("trade_status", "")
    if not event_id or not out_trade_no:
        raise ValueError("notify_id and out_trade_no are required")
    out_biz_no = params.get("out_biz_no", "")
    if out_biz_no and (params.get("refund_fee") or params.get("gmt_refund")):
        sequence = _sequence_of(out_biz_no)
        type_, data = events.refund_notice(
            out_trade_no,
            refund_id(out_trade_no, out_biz_no),
            RefundStatus.SUCCEEDED,
            sequence=sequence,
        )
        if params.get("refund_fee") and _currency_of(params) == "CNY":
            total = from_alipay_amount(params["refund_fee"], "CNY")
            named = [data] if sequence is not None else []
            type_, data = events.refunded_notice(out_trade_no, total, "CNY", named)
        return Notice(event_id, type_, data)
    if status in PAID:
        type_, data = events.payment_notice(
            out_trade_no,
            PaymentStatus.SUCCEEDED,
            amount_received=_received(params),
            currency=_currency_of(params),
        )
        return Notice(event_id, type_, data)
    if status == "TRADE_CLOSED":
        type_, data = events.payment_notice(
            out_trade_no, PaymentStatus.CANCELED, failure_code="trade_closed"
        )
        return Notice(event_id, type_, data)
    return None


class AlipayGateway:
    name = Gateway.ALIPAY
    methods: tuple[str, ...] = ("alipay",)

    def __init__(self, settings: Settings) -> None:
        key = settings.alipay_app_private_key
        if not settings.alipay_app_id or key is None or not settings.alipay_public_key:
            raise ValueError(
                "ALIPAY_APP_ID, ALIPAY_APP_PRIVATE_KEY and ALIPAY_PUBLIC_KEY are required "
                "for the alipay gateway"
            )
        self.app_id = settings.alipay_app_id
        self._settings = settings
        self._currencies = [c.upper() for c in settings.alipay_currencies]
        self._fee_rate = settings.alipay_fee_rate
        self.client = AliPay(
            appid=self.app_id,
            app_private_key_string=pem_text(key.get_secret_value(), "PRIVATE KEY"),
            alipay_public_key_string=pem_text(settings.alipay_public_key, "PUBLIC KEY"),
            sign_type="RSA2",
        )
        # The SDK knows only production and the sandbox: the address is its attribute.
        self.client._gateway = settings.alipay_gateway_url

    def methods_for(self, currency: str, country: str) -> list[str]:
        """Alipay, for the currencies the contract takes."""
        return [METHOD] if currency.upper() in self._currencies else []

    # -- calls ---------------------------------------------------------------------------

    async def _call(self, what: str, call: Callable[[], _T]) -> _T:
        """Run one SDK call in a thread; its failures as `GatewayError`."""
        try:
            return await asyncio.to_thread(call)
        except AliPayValidationError as exc:
            log.error("payments.alipay_bad_answer_signature", extra={"call": what})
            raise GatewayError(
                "Alipay's answer failed its signature check", code="invalid_signature"
            ) from exc
        except AliPayException as exc:
            raise _refusal(exc) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # Unreachable, a 5xx, a dropped connection or an answer that is not JSON:
            # Alipay may have acted, and asking again with the same numbers is safe.
            log.warning("payments.alipay_unreachable", extra={"call": what, "error": str(exc)})
            raise GatewayError(
                "Alipay could not be reached", code="unreachable", retryable=True
            ) from exc

    async def _answer(self, what: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """A verified answer; a busy Alipay as a retryable `GatewayError`."""
        answer = await self._call(what, call)
        if str(answer.get("code")) == BUSY or answer.get("sub_code") == "ACQ.SYSTEM_ERROR":
            raise GatewayError(
                str(answer.get("sub_msg") or "Alipay is busy"),
                code=str(answer.get("sub_code") or BUSY),
                retryable=True,
            )
        return answer

    # -- payments ------------------------------------------------------------------------

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        """The cashier's signed URL (or a QR code for a desktop payment with no return URL);
        nothing is created at Alipay until the shopper opens or scans it."""
        currency = request.currency.upper()
        if request.method != METHOD or currency not in self._currencies:
            raise GatewayError(
                f"{request.method or 'No method'} is not offered for {currency}",
                code="method_unavailable",
            )
        out_trade_no = trade_number(request.order_number, request.attempt)
        total = to_alipay_amount(request.amount, currency)
        expires = datetime.now(UTC) + timedelta(minutes=self._settings.unpaid_order_minutes)
        extra: dict[str, Any] = {
            "time_expire": expires.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
        }
        if currency != "CNY":
            # A cross-border contract prices the trade in the foreign currency and settles
            # in it: `total_amount` is then in `trans_currency`.
            extra["trans_currency"] = currency
            extra["settle_currency"] = currency
        subject = f"{self._settings.shop_name} {request.order_number}"[:256]
        notify_url = notification_url(self._settings, NOTIFY_PATH)
        if not request.mobile and not request.return_url:
            answer = await self._answer(
                "precreate",
                lambda: self.client.api_alipay_trade_precreate(
                    subject, out_trade_no, total, notify_url=notify_url, **extra
                ),
            )
            if answer.get("code") != SUCCESS or not answer.get("qr_code"):
                return _declined(out_trade_no, answer)
            return GatewayPayment(
                provider_id=out_trade_no,
                status=PaymentStatus.REQUIRES_ACTION,
                next_action={
                    "type": "display_qr_code",
                    "display_qr_code": {
                        "data": answer["qr_code"],
                        "expires_at": int(expires.timestamp()),
                    },
                },
            )
        if request.mobile:
            # Where the shopper goes who leaves the cashier without paying.
            extra["quit_url"] = request.return_url or self._settings.storefront_url
            sign = self.client.api_alipay_trade_wap_pay
        else:
            sign = self.client.api_alipay_trade_page_pay
        query = await asyncio.to_thread(
            lambda: sign(
                subject,
                out_trade_no,
                total,
                return_url=request.return_url,
                notify_url=notify_url,
                **extra,
            )
        )
        return GatewayPayment(
            provider_id=out_trade_no,
            status=PaymentStatus.REQUIRES_ACTION,
            next_action={
                "type": "redirect_to_url",
                "redirect_to_url": {
                    "url": f"{self.client._gateway}?{query}",
                    "return_url": request.return_url,
                },
            },
        )

    async def _query(self, out_trade_no: str) -> dict[str, Any]:
        return await self._answer(
            "query", lambda: self.client.api_alipay_trade_query(out_trade_no=out_trade_no)
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        """Close the trade; a trade Alipay never saw (the shopper did not open the cashier)
        is as good as closed. When the shopper paid first, its status as Alipay says."""
        answer = await self._answer(
            "close", lambda: self.client.api_alipay_trade_close(out_trade_no=provider_payment_id)
        )
        if answer.get("code") == SUCCESS or answer.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return PaymentStatus.CANCELED
        if answer.get("sub_code") != "ACQ.TRADE_STATUS_ERROR":
            raise _business_error(answer)
        trade = await self._query(provider_payment_id)
        if trade.get("trade_status") in PAID:
            return PaymentStatus.SUCCEEDED
        if trade.get("trade_status") == "TRADE_CLOSED":
            return PaymentStatus.CANCELED
        return PaymentStatus.PROCESSING

    async def fetch_payment(self, provider_payment_id: str) -> Mapping[str, Any] | None:
        """The trade as a payment notice: paid, closed, or still waiting (also when Alipay
        does not know it yet: the shopper has not opened the cashier)."""
        trade = await self._query(provider_payment_id)
        if trade.get("code") != SUCCESS:
            if trade.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return events.payment_notice(provider_payment_id, PaymentStatus.REQUIRES_ACTION)[1]
            raise _business_error(trade)
        status = trade.get("trade_status")
        if status in PAID:
            try:
                received = _received(trade)
            except ValueError as exc:
                raise GatewayError(str(exc), code="amount_not_representable") from exc
            return events.payment_notice(
                provider_payment_id,
                PaymentStatus.SUCCEEDED,
                amount_received=received,
                currency=_currency_of(trade),
            )[1]
        if status == "TRADE_CLOSED":
            return events.payment_notice(
                provider_payment_id, PaymentStatus.CANCELED, failure_code="trade_closed"
            )[1]
        return events.payment_notice(provider_payment_id, PaymentStatus.REQUIRES_ACTION)[1]

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        """The paid trade less the contract's fee, in the trade's currency; None before it
        is paid. Its id is Alipay's trade number, which its bills list."""
        trade = await self._query(provider_payment_id)
        if trade.get("code") != SUCCESS or trade.get("trade_status") not in PAID:
            return None
        try:
            received = _received(trade)
        except ValueError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        fee = contract_fee(received, self._fee_rate)
        return Settlement(
            currency=_currency_of(trade),
            net=received - fee,
            fee=fee,
            rate="",
            balance_transaction_id=str(trade.get("trade_no") or provider_payment_id),
        )

    # -- refunds -------------------------------------------------------------------------

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        """`alipay.trade.refund` under the refund's own `out_request_no`: asked again after
        a lost answer, Alipay answers that refund rather than refunding twice."""
        out_request_no = refund_number(request.payment_id, request.sequence)
        provider_id = refund_id(request.provider_payment_id, out_request_no)
        biz: dict[str, Any] = {
            "out_request_no": out_request_no,
            "refund_reason": request.reason[:256],
        }
        if request.currency.upper() != "CNY":
            biz["refund_currency"] = request.currency.upper()
        amount = to_alipay_amount(request.amount, request.currency)
        answer = await self._answer(
            "refund",
            lambda: self.client.api_alipay_trade_refund(
                amount, out_trade_no=request.provider_payment_id, **biz
            ),
        )
        if answer.get("code") != SUCCESS:
            raise _business_error(answer)
        if answer.get("fund_change") == "Y":
            return GatewayRefund(provider_id=provider_id, status=RefundStatus.SUCCEEDED)
        # "N": this request moved no money, because it was made before (a retry) or is
        # still under way; the refund query tells which.
        found = await self.fetch_refund(provider_id)
        status = RefundStatus(str(found["status"])) if found else RefundStatus.PENDING
        return GatewayRefund(provider_id=provider_id, status=status)

    async def _refund_query(self, provider_refund_id: str) -> tuple[str, dict[str, Any]]:
        out_trade_no, _, out_request_no = provider_refund_id.partition(":")
        answer = await self._answer(
            "refund query",
            lambda: self.client.api_alipay_trade_fastpay_refund_query(
                out_request_no, out_trade_no=out_trade_no
            ),
        )
        if answer.get("code") != SUCCESS:
            raise _business_error(answer)
        return out_trade_no, answer

    async def fetch_refund(self, provider_refund_id: str) -> Mapping[str, Any] | None:
        """The refund as a refund notice: succeeded once Alipay returns it with its amount
        (older contracts leave `refund_status` out), pending while it returns nothing."""
        out_trade_no, answer = await self._refund_query(provider_refund_id)
        done = answer.get("refund_amount") and answer.get("refund_status") in (
            None,
            "",
            "REFUND_SUCCESS",
        )
        return events.refund_notice(
            out_trade_no,
            provider_refund_id,
            RefundStatus.SUCCEEDED if done else RefundStatus.PENDING,
            sequence=_sequence_of(provider_refund_id.partition(":")[2]),
        )[1]

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        """The refunded amount leaving the balance, less the share of the fee Alipay gives
        back; None while the refund is not done."""
        _, answer = await self._refund_query(provider_refund_id)
        if not answer.get("refund_amount") or answer.get("refund_status") not in (
            None,
            "",
            "REFUND_SUCCESS",
        ):
            return None
        currency = str(answer.get("refund_currency") or "CNY").upper()
        try:
            amount = from_alipay_amount(answer["refund_amount"], currency)
        except ValueError as exc:
            raise GatewayError(str(exc), code="amount_not_representable") from exc
        fee_back = contract_fee(amount, self._fee_rate)
        return Settlement(
            currency=currency,
            net=-(amount - fee_back),
            fee=-fee_back,
            rate="",
            balance_transaction_id=provider_refund_id,
        )

    # -- notifications -------------------------------------------------------------------

    def verify_notification(self, params: Mapping[str, str]) -> bool:
        """Whether a notification is signed by Alipay (RSA2 over its sorted parameters
        without `sign` and `sign_type`) and addressed to this app."""
        signature = params.get("sign", "")
        if not signature or params.get("sign_type", "RSA2") != "RSA2":
            return False
        # Empty parameters are not signed (the SDK would sign them as "k=").
        unsigned = {k: v for k, v in params.items() if k not in ("sign", "sign_type") and v}
        try:
            valid = self.client.verify(unsigned, signature)
        except (ValueError, TypeError, AliPayException):  # malformed base64 and the like
            return False
        return bool(valid) and params.get("app_id") == self.app_id


def _declined(out_trade_no: str, answer: Mapping[str, Any]) -> GatewayPayment:
    """A trade Alipay refused to create (an amount over the limit, a risk decision): a
    FAILED attempt with Alipay's reason; nothing exists at Alipay."""
    return GatewayPayment(
        provider_id="",
        status=PaymentStatus.FAILED,
        failure_code=str(answer.get("sub_code") or answer.get("code") or "declined")[:80],
        failure_message=str(answer.get("sub_msg") or "Alipay refused the payment.")[:300],
    )


def _business_error(answer: Mapping[str, Any]) -> GatewayError:
    return GatewayError(
        str(answer.get("sub_msg") or answer.get("msg") or "Alipay refused the request"),
        code=str(answer.get("sub_code") or answer.get("code") or "alipay_error"),
    )


def _refusal(exc: AliPayException) -> GatewayError:
    """An unsigned refusal (a bad signature, an unknown app id) as a `GatewayError`: the
    SDK keeps Alipay's answer in the exception's message."""
    raw = str(getattr(exc, "_AliPayException__message", "") or "")
    details: dict[str, Any] = {}
    try:
        parsed = json.loads(raw)
        found = next((v for v in parsed.values() if isinstance(v, dict)), {})
        details = found if isinstance(found, dict) else {}
    except (ValueError, AttributeError):
        pass
    log.error("payments.alipay_refused", extra={"answer": raw[:500]})
    return GatewayError(
        str(details.get("sub_msg") or details.get("msg") or "Alipay refused the request"),
        code=str(details.get("sub_code") or details.get("code") or "alipay_error"),
    )
