"""The process's payment gateways, by provider: built on first use, or installed (a test's
fake), and closed at shutdown. Payments, notifications and refunds all ask here, so they
always talk to the same gateway."""

from __future__ import annotations

import importlib

from models.payments import Gateway
from services.payments.gateway import PaymentGateway
from settings import get_settings

_gateways: dict[Gateway, PaymentGateway] = {}


def install_gateway(gateway: PaymentGateway) -> None:
    """Use `gateway` for its provider from now on."""
    _gateways[Gateway(gateway.name)] = gateway


def uninstall_gateway(name: Gateway) -> None:
    _gateways.pop(Gateway(name), None)


def gateway_for(name: Gateway | str) -> PaymentGateway:
    """The gateway of that name, built on first use. The adapters are imported only then:
    the Stripe SDK is loaded only by a shop that uses it, and the test gateway (which
    reports through the notification code) without an import cycle."""
    key = Gateway(name)
    found = _gateways.get(key)
    if found is not None:
        return found
    gateway: PaymentGateway
    if key is Gateway.STRIPE:
        module = importlib.import_module("services.payments.stripe_gateway")
        gateway = module.StripeGateway(get_settings())
    elif key is Gateway.TEST:
        module = importlib.import_module("services.payments.test_gateway")
        gateway = module.TestGateway()
    else:
        raise ValueError(f"{name} takes no payments through a gateway")
    install_gateway(gateway)
    return gateway


async def close_gateways() -> None:
    """Close the gateways' HTTP clients (at shutdown) and forget them."""
    for name, gateway in list(_gateways.items()):
        close = getattr(gateway, "aclose", None)
        if close is not None:
            await close()
        uninstall_gateway(name)
