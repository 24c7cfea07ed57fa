"""The customer service addresses: the support address, each conversation's secret reply
address `support+<reply_token>@domain`, and whether a sender is the shop itself."""

from __future__ import annotations

from email.utils import getaddresses

from services.support import numbers
from settings import get_settings


def support_address() -> tuple[str, str]:
    """(local part, domain) of the support address, lower case."""
    local, _, domain = get_settings().support_email.strip().lower().rpartition("@")
    return local, domain


def reply_address(reply_token: str) -> str:
    """A conversation's own reply address: `support+<token>@domain`."""
    local, domain = support_address()
    return f"{local}+{reply_token}@{domain}"


def token_of(address: str) -> str | None:
    """The reply token of a `support+<token>@domain` address, else None."""
    local, domain = support_address()
    given_local, _, given_domain = address.strip().lower().rpartition("@")
    base, plus, token = given_local.partition("+")
    if given_domain != domain or base != local or not plus:
        return None
    return token if numbers.is_reply_token(token) else None


def is_support_domain(address: str) -> bool:
    """Whether mail to `address` is for customer service (the support domain)."""
    return address.strip().lower().rpartition("@")[2] == support_address()[1]


def is_ours(sender: str) -> bool:
    """Whether `sender` is one of the shop's own addresses (support, its reply addresses,
    the address the shop's other emails come from)."""
    sender = sender.strip().lower()
    local, domain = support_address()
    sender_local, _, sender_domain = sender.rpartition("@")
    if sender_domain == domain and (sender_local == local or sender_local.startswith(local + "+")):
        return True
    return sender in {a.lower() for _, a in getaddresses([get_settings().email_from])}
