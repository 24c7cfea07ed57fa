"""Whether an inbound email's From address is its real sender.

Anyone can write `From: someone@else`; threading by sender and linking a new conversation to
the account of that address must only trust a From that is authenticated:

- Over HTTP the mail provider has checked the email and stamped its verdict in an
  `Authentication-Results` header (RFC 8601). Only the topmost such header whose authserv-id
  is `support_email_authserv_id` is read (the provider prepends its own; one lower down, or
  under another id, may have been written by the sender). `dmarc=pass` for the From domain,
  or `dkim=pass` with a signing domain aligned to it, authenticates.
- Over SMTP the shop is the receiving server itself: the DKIM signatures are verified here
  (`dkimpy`, the `smtp` extra), and one that passes with a domain aligned to the From
  authenticates. SPF is not checked (a forwarded email fails it; DKIM survives forwarding).
- "Aligned" is relaxed alignment without the public suffix list: the signing domain is the
  From domain or a parent of it (`d=example.com` for `From: a@mail.example.com`).
- An email with more than one From header, or a From naming several addresses, is never
  authenticated (which of them was signed is ambiguous).

With `support_email_verify_sender` off, every From is trusted (`verified` is None: not checked).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from settings import get_settings

log = logging.getLogger("tradewind.support")

#: Looks up a DNS TXT record: (name, timeout) -> the record's text, or None. dnspython's when
#: unset; tests serve the public key of a test signing key from a dict.
TxtLookup = Callable[..., bytes | None]

#: DKIM signatures tried on one email; more are ignored (each may cost a DNS lookup).
MAX_SIGNATURES = 5
#: The longest Authentication-Results header read.
MAX_HEADER = 4000
#: Seconds one DKIM key lookup may take.
DNS_TIMEOUT = 5

_lookup: TxtLookup | None = None


def configure_dns(lookup: TxtLookup | None) -> None:
    """Use `lookup` for DKIM key records (None: dnspython, the real DNS)."""
    global _lookup
    _lookup = lookup


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the From was authenticated, and how."""

    #: True authenticated, False not, None not checked (the check is switched off).
    verified: bool | None
    #: What authenticated it ("dmarc", "dkim d=example.com"), or why not.
    how: str = ""

    @property
    def trusted(self) -> bool:
        """Whether threading by sender and linking to the sender's account may rely on it."""
        return self.verified is not False


UNCHECKED = Verdict(None, "not checked")


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().rstrip(".").lower()


def aligned(signing_domain: str, from_domain: str) -> bool:
    """Relaxed alignment: `signing_domain` is the From domain or a parent of it."""
    signing = signing_domain.strip().rstrip(".").lower()
    if "." not in signing or not from_domain:
        return False
    return from_domain == signing or from_domain.endswith("." + signing)


def single_from(msg: EmailMessage) -> str | None:
    """The one address of the one From header, lower case; None when there is not exactly one."""
    values = msg.get_all("From", [])
    if len(values) != 1:
        return None
    found = [a for _, a in getaddresses([str(values[0])]) if "@" in a]
    return found[0].strip().lower() if len(found) == 1 else None


# Authentication-Results (RFC 8601): the small part read here.


@dataclass(frozen=True, slots=True)
class Result:
    """One `method=result` of an Authentication-Results header, with its properties."""

    method: str
    result: str
    properties: dict[str, str]


def _without_comments(value: str) -> str:
    """`value` with its (nested) comments replaced by a space; quoted strings kept."""
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            out.append(char)
            if char == '"':
                quoted = False
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if not depth:
                out.append(" ")
        elif depth == 0:
            out.append(char)
            if char == '"':
                quoted = True
    return "".join(out)


_TOKEN = re.compile(r'([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;"]*)')


def parse_authentication_results(value: str) -> tuple[str, list[Result]]:
    """(authserv-id, results) of one Authentication-Results header value; ("", []) for
    what cannot be read."""
    text = _without_comments(value[:MAX_HEADER].replace("\r", " ").replace("\n", " "))
    parts = [part.strip() for part in text.split(";")]
    head = parts[0].split()
    if not head:
        return "", []
    authserv_id = head[0].strip('"').lower()
    results: list[Result] = []
    for part in parts[1:]:
        pairs = _TOKEN.findall(part)
        if not pairs:
            continue  # "none", or an unreadable result
        (method, result), *rest = pairs
        properties = {key.lower(): val.strip('"').lower() for key, val in rest}
        results.append(Result(method.split("/")[0].lower(), result.lower(), properties))
    return authserv_id, results


def by_authentication_results(msg: EmailMessage, authserv_id: str) -> Verdict:
    """The verdict of the topmost Authentication-Results header stamped by `authserv_id`."""
    sender = single_from(msg)
    if sender is None:
        return Verdict(False, "not exactly one From address")
    wanted = authserv_id.strip().lower()
    if not wanted:
        return Verdict(False, "no authserv-id configured")
    from_domain = domain_of(sender)
    for header in msg.get_all("Authentication-Results", []):
        server, results = parse_authentication_results(str(header))
        if server != wanted:
            continue  # another server's, or one the sender wrote: forgeable
        for found in results:
            if found.result != "pass":
                continue
            if found.method == "dmarc":
                header_from = found.properties.get("header.from", from_domain)
                if header_from == from_domain:
                    return Verdict(True, "dmarc")
            elif found.method == "dkim":
                signer = found.properties.get("header.d") or domain_of(
                    found.properties.get("header.i", "")
                )
                if aligned(signer, from_domain):
                    return Verdict(True, f"dkim d={signer}")
        return Verdict(False, f"{wanted} found no aligned pass")
    return Verdict(False, f"no Authentication-Results from {wanted}")


# DKIM, for mail received over SMTP.


def _verify_dkim(raw: bytes, from_domain: str, lookup: TxtLookup | None) -> str | None:
    """The signing domain of the first DKIM signature that verifies and is aligned, else None.

    Blocking (DNS): run it in a thread."""
    import dkim

    try:
        signed = dkim.DKIM(raw, minkey=1024, timeout=DNS_TIMEOUT)
    except dkim.DKIMException:
        return None
    count = sum(1 for name, _ in signed.headers if name.lower() == b"dkim-signature")
    for index in range(min(count, MAX_SIGNATURES)):
        try:
            ok = (
                signed.verify(idx=index, dnsfunc=lookup)
                if lookup is not None
                else signed.verify(idx=index)
            )
        except dkim.DKIMException:
            continue
        except Exception:  # a DNS failure: the signature proves nothing now
            log.info("support.dkim_lookup_failed", exc_info=True)
            continue
        if not ok:
            continue
        fields = signed.signature_fields
        if b"l" in fields:
            continue  # a body length limit lets anyone append text below the signed part
        domain = fields[b"d"].decode("ascii", "replace").lower()
        if aligned(domain, from_domain):
            return domain
    return None


async def by_dkim(raw: bytes, msg: EmailMessage) -> Verdict:
    """The verdict of the email's own DKIM signatures (`dkimpy`, the `smtp` extra)."""
    sender = single_from(msg)
    if sender is None:
        return Verdict(False, "not exactly one From address")
    try:
        import dkim  # noqa: F401
    except ImportError:
        log.warning("support.dkim_unavailable: install the smtp extra to verify senders")
        return Verdict(False, "DKIM cannot be checked (dkimpy is not installed)")
    domain = await asyncio.to_thread(_verify_dkim, raw, domain_of(sender), _lookup)
    if domain is None:
        return Verdict(False, "no aligned DKIM signature verified")
    return Verdict(True, f"dkim d={domain}")


async def check(raw: bytes, msg: EmailMessage, *, route: str) -> Verdict:
    """Whether the From of `msg` (the bytes `raw`, received over `route`) is authenticated."""
    settings = get_settings()
    if not settings.support_email_verify_sender:
        return UNCHECKED
    if route == "smtp":
        return await by_dkim(raw, msg)
    return by_authentication_results(msg, settings.support_email_authserv_id)
