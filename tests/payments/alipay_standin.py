"""A small local stand-in for Alipay's open platform gateway (`/gateway.do`).

It verifies every request's RSA2 `sign` with the app's public key (a bad one answers
`isv.invalid-signature`, unsigned, as Alipay does), answers `<method>_response` JSON signed
with Alipay's private key, keeps trades and refunds in memory (refunds idempotent on
`out_request_no`), and builds the signed notifications Alipay would post. A shopper
"opens" a cashier URL by GETting it (the trade then exists) and a test pays it with `pay`.
Tests script failures: `fail_next(n, "500" | "busy" | "drop")`.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send


@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def private_pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @property
    def public_pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def sign(self, text: str) -> str:
        signature = self.private.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def verifies(self, text: str, signature: str) -> bool:
        try:
            self.private.public_key().verify(
                base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:
            return False
        return True


def signing_string(params: dict[str, str], *, request: bool = False) -> str:
    """Alipay's string to sign: the sorted non-empty parameters, unescaped, without `sign`
    (and without `sign_type` for a notification; a request signs it)."""
    left_out = ("sign",) if request else ("sign", "sign_type")
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in left_out and v != "")


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


@dataclass
class AlipayStandIn:
    app_id: str
    app_keys: KeyPair
    alipay_keys: KeyPair
    #: Every verified call: (method, biz_content).
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    trades: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Refunds are accepted but completed only by `complete_refund` (Alipay's slow path).
    hold_refunds: bool = False
    app: Starlette = field(init=False, repr=False)
    _failures: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/gateway.do", self._gateway, methods=["GET", "POST"]),
                Route("/cashier/pay", self._cashier_pay, methods=["POST"]),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    def fail_next(self, times: int, how: str = "500") -> None:
        self._failures.extend([how] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [biz for name, biz in self.calls if name == method]

    # -- the gateway -------------------------------------------------------------------

    async def _gateway(self, request: Request) -> Response:
        params = dict(parse_qsl(request.url.query, keep_blank_values=True))
        if request.method == "POST":
            params.update(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        method = params.get("method", "")
        kind = method.replace(".", "_") + "_response"
        if params.get("app_id") != self.app_id:
            return self._unsigned(kind, "40002", "isv.invalid-app-id", "无效的AppID参数")
        if params.get("sign_type") != "RSA2" or not self.app_keys.verifies(
            signing_string(params, request=True), params.get("sign", "")
        ):
            return self._unsigned(kind, "40002", "isv.invalid-signature", "验签出错")
        biz = json.loads(params.get("biz_content") or "{}")
        self.calls.append((method, biz))
        if method in ("alipay.trade.page.pay", "alipay.trade.wap.pay"):
            refused = self._open(biz, params)
            if refused:
                return HTMLResponse(f"<p>{refused}</p>")
            return self._cashier(biz["out_trade_no"], params.get("return_url", ""))
        if self._failures:
            how = self._failures.pop(0)
            if how == "500":
                return Response("Internal error", status_code=500)
            if how == "busy":
                return self._signed(
                    kind,
                    {
                        "code": "20000",
                        "msg": "Service Currently Unavailable",
                        "sub_code": "isp.unknown-error",
                        "sub_msg": "系统繁忙",
                    },
                )
            # "drop": act, then lose the answer.
            self._handle(method, biz, params)
            return Response('{"alipay', status_code=200, media_type="application/json")
        return self._signed(kind, self._handle(method, biz, params))

    def _handle(self, method: str, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        handler = {
            "alipay.trade.precreate": self._precreate,
            "alipay.trade.query": self._query,
            "alipay.trade.close": self._close,
            "alipay.trade.refund": self._refund,
            "alipay.trade.fastpay.refund.query": self._refund_query,
        }.get(method)
        if handler is None:
            return _error("40004", "isv.invalid-method", "不存在的方法名")
        return handler(biz, params)

    def _unsigned(self, kind: str, code: str, sub_code: str, sub_msg: str) -> Response:
        body = {
            kind: {
                "code": code,
                "msg": "Invalid Arguments",
                "sub_code": sub_code,
                "sub_msg": sub_msg,
            }
        }
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")

    def _signed(self, kind: str, answer: dict[str, Any]) -> Response:
        inner = json.dumps(answer, ensure_ascii=False)
        sign = self.alipay_keys.sign(inner)
        text = f'{{"{kind}":{inner},"sign":"{sign}"}}'
        return Response(text.encode(), media_type="application/json;charset=utf-8")

    # -- trades ------------------------------------------------------------------------

    def _new_trade(self, biz: dict[str, Any], params: dict[str, str]) -> tuple[dict[str, Any], str]:
        """The trade under `out_trade_no`, made if new; '' or Alipay's refusal code when the
        number is taken with other terms."""
        number = biz["out_trade_no"]
        terms = (biz["total_amount"], biz.get("trans_currency", ""), biz["subject"])
        found = self.trades.get(number)
        if found is not None:
            return found, "" if found["terms"] == terms else "ACQ.CONTEXT_INCONSISTENT"
        trade = {
            "out_trade_no": number,
            "trade_no": f"2024{next(self._ids):012d}",
            "total_amount": biz["total_amount"],
            "trans_currency": biz.get("trans_currency", ""),
            "subject": biz["subject"],
            "terms": terms,
            "status": "WAIT_BUYER_PAY",
            "notify_url": params.get("notify_url", ""),
            "refunds": {},
            "refunded": Decimal(0),
        }
        self.trades[number] = trade
        return trade, ""

    @staticmethod
    def _cashier(out_trade_no: str, return_url: str) -> Response:
        """Alipay's cashier page, where the shopper pays and is sent back (a browser walks
        it)."""
        return HTMLResponse(
            "<!doctype html><title>Alipay</title><p>Alipay cashier</p>"
            '<form method="post" action="/cashier/pay">'
            f'<input type="hidden" name="out_trade_no" value="{html.escape(out_trade_no)}">'
            f'<input type="hidden" name="return_url" value="{html.escape(return_url)}">'
            "<button>Pay</button></form>"
        )

    async def _cashier_pay(self, request: Request) -> Response:
        form = await request.form()
        self.pay(str(form["out_trade_no"]))
        return RedirectResponse(str(form["return_url"]), status_code=303)

    def _open(self, biz: dict[str, Any], params: dict[str, str]) -> str:
        _, refused = self._new_trade(biz, params)
        return refused

    def open(self, url: str) -> None:
        """What the shopper's browser opening the cashier URL does (without HTTP)."""
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        assert self.app_keys.verifies(signing_string(query, request=True), query["sign"])
        self._open(json.loads(query["biz_content"]), query)

    def _precreate(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        if Decimal(biz["total_amount"]) > Decimal("100000"):
            return _error("40004", "ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额")
        trade, refused = self._new_trade(biz, params)
        if refused:
            return _error("40004", refused, "交易信息被篡改")
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "qr_code": f"https://qr.alipay.test/{trade['trade_no']}",
        }

    def pay(self, out_trade_no: str) -> None:
        self.trades[out_trade_no]["status"] = "TRADE_SUCCESS"

    def _trade_answer(self, trade: dict[str, Any]) -> dict[str, Any]:
        answer = {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
            "trade_status": trade["status"],
            "total_amount": trade["total_amount"],
        }
        if trade["trans_currency"]:
            answer["trans_currency"] = trade["trans_currency"]
        elif trade["status"] != "WAIT_BUYER_PAY":
            answer["receipt_amount"] = trade["total_amount"]
        return answer

    def _query(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在")
        return self._trade_answer(trade)

    def _close(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在")
        if trade["status"] != "WAIT_BUYER_PAY":
            return _error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        trade["status"] = "TRADE_CLOSED"
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
        }

    # -- refunds -----------------------------------------------------------------------

    def _refund(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在")
        number = biz.get("out_request_no") or trade["out_trade_no"]
        amount = Decimal(biz["refund_amount"])
        base = {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
        }
        if number in trade["refunds"]:
            # The same request again: that refund, moving no money this time.
            return {**base, "refund_fee": _money(trade["refunded"]), "fund_change": "N"}
        if trade["status"] not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return _error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        if trade["refunded"] + amount > Decimal(trade["total_amount"]):
            return _error("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
        trade["refunds"][number] = {
            "amount": amount,
            "reason": biz.get("refund_reason", ""),
            "pending": self.hold_refunds,
        }
        if self.hold_refunds:
            return {**base, "refund_fee": _money(trade["refunded"]), "fund_change": "N"}
        self._refunded(trade, amount)
        return {**base, "refund_fee": _money(trade["refunded"]), "fund_change": "Y"}

    @staticmethod
    def _refunded(trade: dict[str, Any], amount: Decimal) -> None:
        trade["refunded"] += amount
        if trade["refunded"] == Decimal(trade["total_amount"]):
            trade["status"] = "TRADE_CLOSED"

    def complete_refund(self, out_trade_no: str, out_request_no: str) -> None:
        trade = self.trades[out_trade_no]
        refund = trade["refunds"][out_request_no]
        refund["pending"] = False
        self._refunded(trade, refund["amount"])

    def _refund_query(self, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在")
        refund = trade["refunds"].get(biz["out_request_no"])
        base = {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
            "out_request_no": biz["out_request_no"],
        }
        if refund is None or refund["pending"]:
            return base  # Alipay answers nothing more for a refund it does not have
        return {
            **base,
            "total_amount": trade["total_amount"],
            "refund_amount": _money(refund["amount"]),
            "refund_status": "REFUND_SUCCESS",
        }

    # -- notifications -----------------------------------------------------------------

    def notification(self, out_trade_no: str, **overrides: str) -> dict[str, str]:
        """The signed form Alipay posts about the trade as it is now."""
        trade = self.trades[out_trade_no]
        params = {
            "notify_time": "2024-05-01 12:00:00",
            "notify_type": "trade_status_sync",
            "notify_id": f"notify{next(self._ids):08d}",
            "charset": "utf-8",
            "version": "1.0",
            "app_id": self.app_id,
            "out_trade_no": out_trade_no,
            "trade_no": trade["trade_no"],
            "trade_status": trade["status"],
            "total_amount": trade["total_amount"],
            "subject": trade["subject"],
            "gmt_payment": "2024-05-01 11:59:58",
        }
        if trade["trans_currency"]:
            params["trans_currency"] = trade["trans_currency"]
        else:
            params["receipt_amount"] = trade["total_amount"]
            params["buyer_pay_amount"] = trade["total_amount"]
        params.update(overrides)
        return self.sign(params)

    def refund_notification(self, out_trade_no: str, out_request_no: str) -> dict[str, str]:
        """What Alipay posts after a refund: the trade's status (TRADE_CLOSED once refunded
        in full) with the refund's fields; `refund_fee` is the trade's refunded total."""
        trade = self.trades[out_trade_no]
        return self.notification(
            out_trade_no,
            out_biz_no=out_request_no,
            refund_fee=_money(trade["refunded"]),
            gmt_refund="2024-05-01 13:00:00.123",
        )

    def sign(self, params: dict[str, str]) -> dict[str, str]:
        params = {k: v for k, v in params.items() if k not in ("sign", "sign_type")}
        return {
            **params,
            "sign_type": "RSA2",
            "sign": self.alipay_keys.sign(signing_string(params)),
        }


def _error(code: str, sub_code: str, sub_msg: str) -> dict[str, Any]:
    return {"code": code, "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}
