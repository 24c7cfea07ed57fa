"""`SentEmail`: an email the shop sent, or tried to send, about an order (staff only)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.emails import EmailKind, EmailStatus, SentEmail

EmailKindEnum = strawberry.enum(
    EmailKind, name="EmailKind", description="What an order email tells the shopper."
)
EmailStatusEnum = strawberry.enum(
    EmailStatus,
    name="EmailStatus",
    description="SENT once the mail server took it; FAILED (with its error) until a retry "
    "sends it; SENDING while an attempt is under way.",
)


@strawberry.type(name="SentEmail", description="An email about an order, as it was sent.")
class SentEmailType:
    kind: EmailKindEnum  # type: ignore[valid-type]
    to: str
    language: str = strawberry.field(description="The language it was written in.")
    subject: str
    status: EmailStatusEnum  # type: ignore[valid-type]
    error: str | None = strawberry.field(description="Why the last attempt failed.")
    provider_message_id: str | None = strawberry.field(
        description="The Message-ID it went out with, which bounces and replies refer to."
    )
    attempts: int
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def build(cls, email: SentEmail) -> SentEmailType:
        return cls(
            kind=EmailKind(email.kind),
            to=email.to,
            language=email.language,
            subject=email.subject,
            status=EmailStatus(email.status),
            error=email.error or None,
            provider_message_id=email.provider_message_id or None,
            attempts=email.attempts,
            created_at=email.created_at,
            sent_at=email.sent_at,
        )
