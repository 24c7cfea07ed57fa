"""Inbound email over SMTP, for a shop that receives its own mail (`tradewind support-smtp`).

A plain SMTP receiver (aiosmtpd, the `smtp` extra) on the server's event loop: it accepts
RCPT only to addresses of the support domain, and hands each message's DATA to the same
`inbound.receive` the webhook calls, with the envelope's recipients: the email is stored
and 250 answered at once, and a job threads and posts it (its DKIM signatures are checked
there, `senders`). What is not an email is refused (550), too large 552, and a failure of
the shop's own 451, so the sending server tries again later. Put it behind the shop's MX
(or a relay that forwards the support domain to it); it offers no TLS or authentication
of its own.
"""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.smtp import SMTP, Envelope, Session

from services.support import addresses, inbound
from services.support.errors import SupportError
from settings import get_settings

log = logging.getLogger("tradewind.support")


class InboundHandler:
    """aiosmtpd's handler: RCPT checked against the support domain, DATA received."""

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if not addresses.is_support_domain(address):
            return "550 5.1.1 Mailbox unavailable: this server takes customer service mail only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            await inbound.receive(raw, route=inbound.SMTP, envelope=list(envelope.rcpt_tos))
        except SupportError as exc:
            problem = exc.problems[0]
            if problem.code.value == "too_long":
                return "552 5.3.4 Message too big"
            return f"550 5.6.0 {problem.message}"
        except Exception:
            log.exception("support.smtp_failed")
            return "451 4.3.0 Try again later"
        return "250 Message accepted"


def factory() -> SMTP:
    """One SMTP session's protocol, limited to the largest inbound email taken."""
    settings = get_settings()
    return SMTP(
        InboundHandler(),
        data_size_limit=settings.support_inbound_max_bytes,
        hostname=addresses.support_address()[1] or None,
        ident="Tradewind customer service",
    )


async def start(host: str, port: int) -> asyncio.Server:
    """The receiver listening on `host`:`port` in the running loop (port 0: any free one)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host=host, port=port)
    log.info("support.smtp_listening %s", [s.getsockname() for s in server.sockets])
    return server
