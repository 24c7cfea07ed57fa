"""A real SMTP server for the email tests, with the process's mailer pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from services import messaging
from settings import Settings
from tests.test_messaging import CollectingHandler, free_port


class SwitchableHandler(CollectingHandler):
    """Accepts mail, or refuses every recipient (550) while `refusing` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.refusing = False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.refusing:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[SwitchableHandler]:
    """A real SMTP server on a free port, and the process's mailer pointed at it."""
    handler = SwitchableHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = messaging.email_sender(), messaging.sms_sender()
    messaging.configure(
        Settings(
            email_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_security="none",
            email_from="Tradewind <orders@shop.example>",
        )
    )
    try:
        yield handler
    finally:
        messaging._email, messaging._sms = saved
        controller.stop()
