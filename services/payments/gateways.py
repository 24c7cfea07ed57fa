"""The process's payment gateways, by provider: built on first use, or installed (a test's
fake), and closed at shutdown. Payments, notifications and refunds all ask here, so they
always talk to the same gateway.

A shop takes payments through one or more gateways (`enabled`), in the merchant's order
of precedence; `offers` says which gateway takes each method for an order.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from models.payments import Gateway
from services.payments.gateway import PaymentGateway
from settings import get_settings

log = logging.getLogger("tradewind.payments")

_gateways: dict[Gateway, PaymentGateway] = {}
#: Enabled gateways found unusable, reported once.
_unusable: set[Gateway] = set()

#: Where each provider's adapter lives: imported only when the shop uses it, so a shop
#: loads only its providers' SDKs (and the test gateway, which reports through the
#: notification code, without an import cycle).
_ADAPTERS: dict[Gateway, tuple[str, str]] = {
    Gateway.STRIPE: ("services.payments.stripe_gateway", "StripeGateway"),
    Gateway.ALIPAY: ("services.payments.alipay_gateway", "AlipayGateway"),
    Gateway.WECHAT_PAY: ("services.payments.wechat_pay_gateway", "WeChatPayGateway"),
    Gateway.PAYPAL: ("services.payments.paypal_gateway", "PayPalGateway"),
}


def install_gateway(gateway: PaymentGateway) -> None:
    """Use `gateway` for its provider from now on."""
    _gateways[Gateway(gateway.name)] = gateway


def uninstall_gateway(name: Gateway) -> None:
    _gateways.pop(Gateway(name), None)


def enabled() -> list[Gateway]:
    """The gateways new payments may go through, in order of precedence
    (`PAYMENT_GATEWAYS`, else `PAYMENT_GATEWAY` alone)."""
    settings = get_settings()
    names = settings.payment_gateways or [settings.payment_gateway]
    return list(dict.fromkeys(Gateway(name) for name in names))


def gateway_for(name: Gateway | str) -> PaymentGateway:
    """The gateway of that name, built on first use. Raises ValueError for a name that
    takes no payments through a gateway, or a provider the shop is not set up for."""
    key = Gateway(name)
    found = _gateways.get(key)
    if found is not None:
        return found
    gateway: PaymentGateway
    if key is Gateway.TEST:
        module = importlib.import_module("services.payments.test_gateway")
        gateway = module.TestGateway()
    elif key in _ADAPTERS:
        path, cls = _ADAPTERS[key]
        module = importlib.import_module(path)
        gateway = getattr(module, cls)(get_settings())
    else:
        raise ValueError(f"{name} takes no payments through a gateway")
    install_gateway(gateway)
    return gateway


def usable() -> list[PaymentGateway]:
    """The enabled gateways this process can build, in order of precedence. One whose
    settings are missing or wrong is left out, with an error logged once per process, so a
    misconfigured provider costs the shop that provider's methods, never every checkout."""
    found: list[PaymentGateway] = []
    for name in enabled():
        try:
            found.append(gateway_for(name))
        except ValueError as exc:
            if name not in _unusable:
                _unusable.add(name)
                log.error("payment gateway %s is enabled but cannot be used: %s", name, exc)
    return found


@dataclass(frozen=True, slots=True)
class Offer:
    """A payment method offered for an order, and the gateway that takes it."""

    method: str
    gateway: PaymentGateway


def offers(currency: str, country: str) -> list[Offer]:
    """The methods the usable gateways offer for a currency and a shipping country, each
    once, through the first gateway that offers it, in the gateways' order."""
    found: dict[str, Offer] = {}
    for gateway in usable():
        for method in gateway.methods_for(currency, country):
            found.setdefault(method, Offer(method, gateway))
    return list(found.values())


async def close_gateways() -> None:
    """Close the gateways' HTTP clients (at shutdown) and forget them."""
    for name, gateway in list(_gateways.items()):
        close = getattr(gateway, "aclose", None)
        if close is not None:
            await close()
        uninstall_gateway(name)
