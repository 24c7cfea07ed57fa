"""A small local stand-in for the parts of WeChat Pay's API v3 the gateway calls.

Served by uvicorn on 127.0.0.1 (`serve`), it checks every request's `Authorization`
(WECHATPAY2-SHA256-RSA2048, signed with the merchant's key: a bad one is answered 401
SIGN_ERROR), signs every answer with the platform key as WeChat Pay does (`Wechatpay-*`
headers), serves the platform certificates encrypted with the APIv3 key, keeps orders and
refunds in memory, and builds the signed, encrypted notifications WeChat Pay would send.
A repeated `out_trade_no` with the same parameters answers the same order again; with other
parameters it is refused, as WeChat Pay does. Keys and certificates are made for the run.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
APIV3_KEY = "a" * 16 + "b" * 16


@dataclass(frozen=True)
class KeyPair:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def serial_no(self) -> str:
        return format(self.certificate.serial_number, "X")

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    def sign(self, message: str) -> str:
        signed = self.key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signed).decode()


def make_key_pair(name: str) -> KeyPair:
    """A throwaway RSA key and a self-signed certificate valid for a day either side."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key, certificate)


@cache
def merchant_keys() -> KeyPair:
    return make_key_pair("Tradewind merchant")


@cache
def platform_keys() -> KeyPair:
    return make_key_pair("WeChat Pay platform")


def encrypt(plain: str, associated_data: str, key: str = APIV3_KEY) -> dict[str, str]:
    """AEAD_AES_256_GCM with the APIv3 key, as WeChat Pay's `resource` and certificates."""
    nonce = secrets.token_hex(6)
    sealed = AESGCM(key.encode()).encrypt(nonce.encode(), plain.encode(), associated_data.encode())
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "nonce": nonce,
        "associated_data": associated_data,
        "ciphertext": base64.b64encode(sealed).decode(),
    }


def signed_headers(body: str, keys: KeyPair, timestamp: int | None = None) -> dict[str, str]:
    """The `Wechatpay-*` headers WeChat Pay puts on an answer or a notification."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = secrets.token_hex(16)
    return {
        "Wechatpay-Timestamp": stamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Serial": keys.serial_no,
        "Wechatpay-Signature": keys.sign(f"{stamp}\n{nonce}\n{body}\n"),
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


#: The order parameters that must match when an `out_trade_no` is repeated.
_SAME_ORDER = ("appid", "mchid", "description", "amount", "attach", "notify_url")


@dataclass
class WeChatPayStandIn:
    merchant: KeyPair = field(default_factory=merchant_keys)
    #: The certificates `/v3/certificates` lists; the first signs answers.
    platforms: list[KeyPair] = field(default_factory=lambda: [platform_keys()])
    #: Signs answers instead of the first platform key (an impostor, in a test).
    signer: KeyPair | None = None
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    refused: list[Recorded] = field(default_factory=list)
    #: The status a new refund answers with (WeChat Pay usually answers PROCESSING).
    refund_status: str = "PROCESSING"
    #: Create the next order, then answer 500 as if the answer were lost on the way.
    lose_next_answer: bool = False
    _failures: list[int] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.app = Starlette(
            routes=[
                Route("/v3/certificates", self._certificates, methods=["GET"]),
                Route("/v3/pay/transactions/native", self._create, methods=["POST"]),
                Route("/v3/pay/transactions/h5", self._create, methods=["POST"]),
                Route(
                    "/v3/pay/transactions/out-trade-no/{no}/close", self._close, methods=["POST"]
                ),
                Route("/v3/pay/transactions/out-trade-no/{no}", self._query, methods=["GET"]),
                Route("/v3/refund/domestic/refunds", self._refund, methods=["POST"]),
                Route("/v3/refund/domestic/refunds/{no}", self._query_refund, methods=["GET"]),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # What tests do.

    def fail_next(self, times: int = 1) -> None:
        """Answer the next `times` requests 500 SYSTEM_ERROR."""
        self._failures.extend([500] * times)

    def sent(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def pay(self, out_trade_no: str, state: str = "SUCCESS") -> dict[str, Any]:
        """The shopper scans and pays (or fails: `PAYERROR`); returns the transaction."""
        order = self.orders[out_trade_no]
        order["trade_state"] = state
        if state == "SUCCESS":
            order["transaction_id"] = f"42000{next(self._ids):017d}"
            order["success_time"] = datetime.now(UTC).isoformat()
            order["amount"]["payer_total"] = order["amount"]["total"]
            order["amount"]["payer_currency"] = "CNY"
        else:
            order["trade_state_desc"] = "The payment did not go through."
        return self.transaction(out_trade_no)

    def complete_refund(self, out_refund_no: str, status: str = "SUCCESS") -> dict[str, Any]:
        refund = self.refunds[out_refund_no]
        refund["status"] = status
        return refund

    def transaction(self, out_trade_no: str) -> dict[str, Any]:
        """The order as the query and the notification's resource tell it."""
        order = self.orders[out_trade_no]
        fields = ("appid", "mchid", "out_trade_no", "attach", "amount")
        found = {name: order[name] for name in fields if name in order}
        found["trade_state"] = order["trade_state"]
        found["trade_state_desc"] = order.get("trade_state_desc", "")
        found["trade_type"] = order["trade_type"]
        for name in ("transaction_id", "success_time"):
            if name in order:
                found[name] = order[name]
        return found

    def refund_resource(self, out_refund_no: str) -> dict[str, Any]:
        refund = self.refunds[out_refund_no]
        return {
            "mchid": MCHID,
            "out_trade_no": refund["out_trade_no"],
            "transaction_id": refund["transaction_id"],
            "out_refund_no": out_refund_no,
            "refund_id": refund["refund_id"],
            "refund_status": refund["status"],
            "amount": {
                "total": refund["amount"]["total"],
                "refund": refund["amount"]["refund"],
                "payer_total": refund["amount"]["total"],
                "payer_refund": refund["amount"]["refund"],
            },
        }

    def notification(
        self,
        event_type: str,
        resource: dict[str, Any],
        *,
        event_id: str | None = None,
        keys: KeyPair | None = None,
        timestamp: int | None = None,
        apiv3_key: str = APIV3_KEY,
    ) -> tuple[bytes, dict[str, str]]:
        """A notification's body and headers, signed (by the first platform key unless
        told) and its resource encrypted with the APIv3 key."""
        kind = "transaction" if event_type.startswith("TRANSACTION") else "refund"
        body = json.dumps(
            {
                "id": event_id or f"EV-{secrets.token_hex(8)}",
                "create_time": datetime.now(UTC).isoformat(),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "支付成功" if kind == "transaction" else "退款状态变更",
                "resource": {
                    **encrypt(json.dumps(resource), kind, apiv3_key),
                    "original_type": kind,
                },
            },
            ensure_ascii=False,
        )
        headers = signed_headers(body, keys or self.platforms[0], timestamp)
        headers["Content-Type"] = "application/json"
        return body.encode(), headers

    # The API.

    def _answer(self, body: dict[str, Any] | None, status: int = 200) -> Response:
        text = "" if body is None else json.dumps(body, ensure_ascii=False)
        headers = signed_headers(text, self.signer or self.platforms[0])
        headers["Request-ID"] = secrets.token_hex(8)
        if body is None:
            return Response(status_code=status, headers=headers)
        return Response(text, status_code=status, headers=headers, media_type="application/json")

    @staticmethod
    def _error(status: int, code: str, message: str) -> Response:
        # WeChat Pay signs only successful answers; the SDK verifies only those.
        return JSONResponse({"code": code, "message": message}, status_code=status)

    async def _check(self, request: Request) -> tuple[Recorded, Response | None]:
        """The request recorded, and a refusal when its signature is not the merchant's (checked
        with the public key of the merchant certificate WeChat Pay holds)."""
        raw = (await request.body()).decode()
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        recorded = Recorded(
            request.method,
            request.url.path,
            json.loads(raw) if raw else {},
            {k.lower(): v for k, v in request.headers.items()},
        )
        if not self._authorized(request.method, path, raw, request.headers.get("authorization")):
            self.refused.append(recorded)
            return recorded, self._error(401, "SIGN_ERROR", "签名错误")
        self.requests.append(recorded)
        if self._failures:
            return recorded, self._error(self._failures.pop(0), "SYSTEM_ERROR", "系统错误")
        return recorded, None

    def _authorized(self, method: str, path: str, body: str, header: str | None) -> bool:
        scheme, _, params = (header or "").partition(" ")
        if scheme != "WECHATPAY2-SHA256-RSA2048":
            return False
        given = {}
        for item in params.split(","):
            name, _, value = item.partition("=")
            given[name.strip()] = value.strip().strip('"')
        if given.get("mchid") != MCHID or given.get("serial_no") != self.merchant.serial_no:
            return False
        if abs(int(given.get("timestamp") or 0) - time.time()) > 300:
            return False
        message = f"{method}\n{path}\n{given.get('timestamp')}\n{given.get('nonce_str')}\n{body}\n"
        try:
            self.merchant.key.public_key().verify(
                base64.b64decode(given.get("signature", "")),
                message.encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (InvalidSignature, ValueError):
            return False
        return True

    async def _certificates(self, request: Request) -> Response:
        _, refused = await self._check(request)
        if refused:
            return refused
        data = []
        for keys in self.platforms:
            data.append(
                {
                    "serial_no": keys.serial_no,
                    "effective_time": keys.certificate.not_valid_before_utc.isoformat(),
                    "expire_time": keys.certificate.not_valid_after_utc.isoformat(),
                    "encrypt_certificate": encrypt(keys.certificate_pem, "certificate"),
                }
            )
        return self._answer({"data": data})

    async def _create(self, request: Request) -> Response:
        recorded, refused = await self._check(request)
        if refused:
            return refused
        params = recorded.body
        trade_type = "H5" if request.url.path.endswith("/h5") else "NATIVE"
        no = str(params.get("out_trade_no") or "")
        if params.get("mchid") != MCHID or not no or "notify_url" not in params:
            return self._error(400, "PARAM_ERROR", "参数错误")
        if trade_type == "H5" and not (params.get("scene_info") or {}).get("payer_client_ip"):
            return self._error(400, "PARAM_ERROR", "缺少参数 payer_client_ip")
        known = self.orders.get(no)
        if known is not None:
            if known["trade_state"] == "SUCCESS":
                return self._error(403, "ORDERPAID", "该订单已支付")
            if known["trade_state"] in ("CLOSED", "REVOKED"):
                return self._error(400, "ORDER_CLOSED", "订单已关闭")
            same = known["trade_type"] == trade_type and all(
                known.get(name) == params.get(name) for name in _SAME_ORDER
            )
            if not same:
                return self._error(400, "INVALID_REQUEST", "201 商户订单号重复")
        else:
            known = {**params, "trade_type": trade_type, "trade_state": "NOTPAY"}
            known["amount"] = dict(params["amount"])
            known["code_url"] = f"weixin://wxpay/bizpayurl?pr={secrets.token_hex(4)}"
            known["h5_url"] = f"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id={no}"
            self.orders[no] = known
        if self.lose_next_answer:
            self.lose_next_answer = False
            return self._error(500, "SYSTEM_ERROR", "系统错误")
        if trade_type == "H5":
            return self._answer({"h5_url": known["h5_url"]})
        return self._answer({"code_url": known["code_url"]})

    async def _query(self, request: Request) -> Response:
        _, refused = await self._check(request)
        if refused:
            return refused
        no = request.path_params["no"]
        if no not in self.orders or request.query_params.get("mchid") != MCHID:
            return self._error(404, "ORDER_NOT_EXIST", "订单不存在")
        return self._answer(self.transaction(no))

    async def _close(self, request: Request) -> Response:
        _, refused = await self._check(request)
        if refused:
            return refused
        order = self.orders.get(request.path_params["no"])
        if order is None:
            return self._error(404, "ORDER_NOT_EXIST", "订单不存在")
        if order["trade_state"] == "SUCCESS":
            return self._error(400, "ORDERPAID", "该订单已支付")
        order["trade_state"] = "CLOSED"
        return self._answer(None, 204)

    async def _refund(self, request: Request) -> Response:
        recorded, refused = await self._check(request)
        if refused:
            return refused
        params = recorded.body
        no = str(params.get("out_refund_no") or "")
        if no in self.refunds:  # the same refund asked again: its state, nothing new
            return self._answer(self._refund_body(no))
        order = self.orders.get(str(params.get("out_trade_no") or ""))
        if order is None or order["trade_state"] not in ("SUCCESS", "REFUND"):
            return self._error(400, "INVALID_REQUEST", "订单未支付")
        amount = params["amount"]
        refunded = sum(
            r["amount"]["refund"]
            for r in self.refunds.values()
            if r["out_trade_no"] == order["out_trade_no"]
        )
        if amount["total"] != order["amount"]["total"]:
            return self._error(400, "PARAM_ERROR", "订单金额不一致")
        if refunded + amount["refund"] > amount["total"]:
            return self._error(403, "NOT_ENOUGH", "退款金额超过订单可退金额")
        self.refunds[no] = {
            "refund_id": f"50000{next(self._ids):017d}",
            "out_trade_no": order["out_trade_no"],
            "transaction_id": order.get("transaction_id", ""),
            "status": self.refund_status,
            "amount": {
                "refund": amount["refund"],
                "total": amount["total"],
                "currency": amount["currency"],
            },
        }
        return self._answer(self._refund_body(no))

    def _refund_body(self, no: str) -> dict[str, Any]:
        refund = self.refunds[no]
        return {
            "refund_id": refund["refund_id"],
            "out_refund_no": no,
            "transaction_id": refund["transaction_id"],
            "out_trade_no": refund["out_trade_no"],
            "channel": "ORIGINAL",
            "status": refund["status"],
            "amount": {
                **refund["amount"],
                "payer_total": refund["amount"]["total"],
                "payer_refund": refund["amount"]["refund"],
            },
        }

    async def _query_refund(self, request: Request) -> Response:
        _, refused = await self._check(request)
        if refused:
            return refused
        no = request.path_params["no"]
        if no not in self.refunds:
            return self._error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return self._answer(self._refund_body(no))
