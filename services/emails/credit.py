"""The email telling a customer that staff gave them store credit.

A grant enqueues one `emails.store_credit` job keyed by its ledger entry
(`services.store_credit.grants`), so a retried grant is one job. The email is written in the
customer's language from `templates/store_credit.*`, with the amount and the balance after
it in the credit's currency, the note staff wrote, and a link to the account page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from models.accounts import User
from models.store_credit import CreditEntryKind, StoreCreditEntry
from services import messaging
from services.emails.rendering import (
    RenderedEmail,
    email_language,
    environment,
    format_money,
    gettext,
)
from settings import get_settings

log = logging.getLogger("tradewind.emails")

SUBJECT = "You have received store credit from %(shop)s"


@dataclass(frozen=True, slots=True)
class CreditEmail:
    """What the email says, formatted for `language`."""

    language: str
    shop_name: str
    greeting_name: str
    amount: str
    balance: str
    note: str
    account_url: str
    contact_email: str = ""


def account_url(language: str) -> str:
    base = get_settings().storefront_url.rstrip("/")
    return f"{base}/#/account?{urlencode({'lang': language})}"


def render_credit_email(email: CreditEmail) -> RenderedEmail:
    """The subject, text and HTML of a store credit email, in its language."""
    subject = gettext(email.language, SUBJECT) % {"shop": email.shop_name}
    env = environment(email.language)
    values = {"email": email, "subject": subject}
    return RenderedEmail(
        subject=subject,
        text=env.get_template("store_credit.txt").render(values),
        html=env.get_template("store_credit.html").render(values),
    )


async def compose_credit_email(entry: StoreCreditEntry, user: User) -> CreditEmail:
    settings = get_settings()
    language = email_language(user.locale, settings.default_locale)
    currency = entry.account.currency
    return CreditEmail(
        language=language,
        shop_name=settings.shop_name,
        greeting_name=user.nickname or user.email or "",
        amount=format_money(entry.amount, currency, language),
        balance=format_money(entry.balance_after, currency, language),
        note=entry.note,
        account_url=account_url(language),
        contact_email=settings.shop_contact_email,
    )


async def send_credit_email(entry_id: int) -> bool:
    """Email the customer about the grant `entry_id`; False when there is nothing to send
    (no such grant, or an account without an email address). A failure to send raises, so
    the job engine retries it."""
    entry = await StoreCreditEntry.get_or_none(id=entry_id).prefetch_related("account")
    if entry is None or CreditEntryKind(entry.kind) is not CreditEntryKind.GRANT:
        return False
    user = await User.get_or_none(id=entry.account.user_id)
    to = (user.contact_email or user.email) if user is not None else None
    if user is None or user.is_deleted or not to:
        log.info("emails.credit_unsent entry %s: no address", entry_id)
        return False
    rendered = render_credit_email(await compose_credit_email(entry, user))
    await messaging.send_email(to, rendered.subject, rendered.text, html=rendered.html)
    log.info("emails.credit_sent entry %s", entry_id)
    return True
