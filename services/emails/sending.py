"""Sending an order email once: claim its record, write it, hand it to the mailer, record how
it went.

`send_order_email` is what the `emails.order` job runs. The record (`SentEmail`, unique on
order, kind and key) is claimed before the message goes out, so a job that runs again, or
twice at once, sends nothing more once the email went out. A failed send is recorded with
its error and raised, so the job engine retries it; the retry claims the failed record
again. A claim whose worker died mid-send is taken over after `CLAIM_LEASE`. A tracking
email whose parcel has moved on by the time its job runs is not sent (`parcels.outdated`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from models.accounts import User
from models.customs import OrderCharge
from models.emails import EmailKind, EmailStatus, SentEmail
from models.orders import Order, OrderLine
from models.payments import Refund
from services import messaging
from services.emails.parcels import outdated, parcel_details
from services.emails.rendering import (
    SHOP_KINDS,
    EmailCharge,
    EmailLine,
    OrderEmail,
    RenderedEmail,
    country_name,
    email_language,
    format_day,
    format_money,
    render,
)
from services.emails.returns import recipient, return_details
from services.transactions import atomic
from settings import get_settings

log = logging.getLogger("tradewind.emails")

#: How long a claim holds: a send still "sending" after this is taken to have died.
CLAIM_LEASE = timedelta(minutes=10)
#: Characters of a failure's message kept on the record.
MAX_ERROR = 500


class EmailNotSent(Exception):
    """The email could not be sent now; it is recorded as failed and the job retries it."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `send_order_email` did: sent it now, or found nothing to do (`record` says why)."""

    sent: bool
    record: SentEmail | None


def order_url(order: Order, language: str) -> str:
    """The storefront's page of the order, in the email's language.

    A guest's access token is stored only as a hash, so a link cannot carry it: the page
    asks a guest for the order's email address, as the order lookup does.
    """
    base = get_settings().storefront_url.rstrip("/")
    return f"{base}/#/order/{quote(order.number, safe='')}?{urlencode({'lang': language})}"


async def language_of(order: Order, kind: EmailKind | None = None) -> str:
    """The language the shopper's emails are written in: the one they checked out in, else
    their profile's, else the shop's default (English when no email catalog has it). The
    shop's own emails are written in its default language."""
    if kind in SHOP_KINDS:
        return email_language(get_settings().default_locale)
    profile = None
    if not order.locale and order.user_id is not None:
        user = await User.get_or_none(id=order.user_id).only("id", "locale")
        profile = user.locale if user else None
    return email_language(order.locale, profile, get_settings().default_locale)


async def _charges(order: Order, money: Callable[[int], str]) -> list[EmailCharge]:
    """The order's duties and taxes per name and rate, those paid first: an email lists a
    few rows, not one per line."""
    summed: dict[tuple[bool, str, int | None], int] = {}
    for charge in await OrderCharge.filter(order_id=order.id):
        key = (not charge.collected, charge.name, charge.rate_bps)
        summed[key] = summed.get(key, 0) + charge.amount_presentment
    return [
        EmailCharge(
            label=name if rate is None else f"{name} {format_percent(rate)}",
            amount=money(amount),
            charged_now=not at_door,
        )
        for (at_door, name, rate), amount in sorted(
            summed.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
        )
    ]


def format_percent(rate_bps: int) -> str:
    """Basis points as a percentage, "19 %" or "10.9 %"."""
    return f"{rate_bps / 100:g} %"


def _address(order: Order, language: str) -> list[str]:
    given = order.shipping_address or {}
    city = " ".join(p for p in (given.get("postal_code", ""), given.get("city", "")) if p)
    parts = [
        given.get("full_name", ""),
        given.get("company", ""),
        given.get("line1", ""),
        given.get("line2", ""),
        city,
        given.get("region", ""),
        country_name(given.get("country", "") or order.ship_country, language),
    ]
    return [part for part in parts if part]


async def compose(order: Order, kind: EmailKind, key: str, language: str) -> OrderEmail:
    """Everything an order email says, formatted for `language`, in the order's currency."""
    settings = get_settings()
    currency = order.currency

    def money(minor: int, code: str = currency) -> str:
        return format_money(minor, code, language)

    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    email_lines = [
        EmailLine(
            name=f"{line.product_name} ({line.variant_name})"
            if line.variant_name
            else line.product_name,
            quantity=line.quantity,
            unit_price=money(line.unit_price_presentment),
            total=money(line.line_total_presentment),
        )
        for line in lines
    ]
    charges = await _charges(order, money)
    refund_amount = ""
    parcel = await parcel_details(order, kind, key, language)
    returned = await return_details(order, kind, key, money)
    if kind is EmailKind.REFUNDED:
        refund = await Refund.get(id=int(key)).prefetch_related("payment")
        refund_amount = money(refund.amount, refund.payment.currency)
    name = (order.shipping_address or {}).get("full_name") or order.email
    if kind in SHOP_KINDS:
        name = settings.shop_name
    return OrderEmail(
        kind=kind,
        language=language,
        shop_name=settings.shop_name,
        number=order.number,
        placed_on=format_day(order.placed_at, language),
        greeting_name=name,
        order_url=order_url(order, language),
        lines=email_lines,
        subtotal=money(order.subtotal_presentment),
        discount=money(order.discount_total_presentment)
        if order.discount_total_presentment
        else None,
        shipping=money(order.shipping_total_presentment),
        total=money(order.total_presentment),
        address=_address(order, language),
        shipping_method=order.shipping_method,
        charges=charges,
        carrier=parcel.carrier,
        tracking_number=parcel.tracking_number,
        tracking_url=parcel.tracking_url,
        refund_amount=refund_amount,
        sub_status=parcel.sub_status,
        event_message=parcel.event_message,
        event_place=parcel.event_place,
        event_time=parcel.event_time,
        estimated_delivery=parcel.estimated_delivery,
        notice_subject=parcel.notice_subject,
        notice_message=parcel.notice_message,
        contact_email=settings.shop_contact_email,
        return_number=returned.return_number,
        return_lines=returned.return_lines,
        return_reason=returned.reason,
        instructions=returned.instructions,
        label_reference=returned.label_reference,
        decline_reason=returned.decline_reason,
        refunded=returned.refunded,
        credited=returned.credited,
        kept_fee=returned.kept_fee,
        exchange_number=returned.exchange_number,
        keep_items=returned.keep_items,
    )


async def render_order_email(order: Order, kind: EmailKind, key: str = "") -> RenderedEmail:
    """The order email as it would go out now (subject, text and HTML)."""
    return render(await compose(order, kind, key, await language_of(order, kind)))


async def _claim(
    order: Order, kind: EmailKind, key: str, language: str, to: str
) -> SentEmail | None:
    """The record this attempt may send under, or None when the email went out already or
    another attempt is sending it right now."""
    now = timezone.now()
    try:
        async with atomic():
            return await SentEmail.create(
                order_id=order.id,
                kind=kind,
                key=key,
                to=to,
                language=language,
                status=EmailStatus.SENDING,
                attempts=1,
                claimed_at=now,
            )
    except IntegrityError:
        pass
    claimable = Q(status=EmailStatus.FAILED) | Q(
        status=EmailStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    won = (
        await SentEmail.filter(order_id=order.id, kind=kind, key=key)
        .filter(claimable)
        .update(
            status=EmailStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            to=to,
            language=language,
        )
    )
    if not won:
        return None
    return await SentEmail.get(order_id=order.id, kind=kind, key=key)


def _error_text(error: BaseException) -> str:
    cause = error.__cause__
    text = f"{error} ({cause})" if cause is not None else str(error)
    return text[:MAX_ERROR]


async def send_order_email(order_id: int, kind: EmailKind | str, key: str = "") -> Outcome:
    """Send the order's email of this kind (and key) unless it went out already.

    Raises `EmailNotSent` when the mailer refused or could not be reached: the record says
    so, and running this again retries it.
    """
    kind = EmailKind(kind)
    order = await Order.get_or_none(id=order_id)
    if order is None:
        return Outcome(sent=False, record=None)
    if await outdated(order, kind, key):
        log.info("emails.outdated %s %s for order %s", kind.value, key, order.number)
        existing = await SentEmail.get_or_none(order_id=order.id, kind=kind, key=key)
        return Outcome(sent=False, record=existing)
    to = recipient(order, kind)
    if not to:
        # The shop's notice with no shop address set: nobody to tell.
        return Outcome(sent=False, record=None)
    language = await language_of(order, kind)
    record = await _claim(order, kind, key, language, to)
    if record is None:
        existing = await SentEmail.get_or_none(order_id=order.id, kind=kind, key=key)
        return Outcome(sent=False, record=existing)
    try:
        rendered = render(await compose(order, kind, key, language))
        message_id = await messaging.send_email(
            to, rendered.subject, rendered.text, html=rendered.html
        )
    except Exception as error:
        await SentEmail.filter(id=record.id).update(
            status=EmailStatus.FAILED, error=_error_text(error), claimed_at=None
        )
        log.warning("emails.failed %s %s for order %s: %s", kind.value, key, order.number, error)
        if isinstance(error, messaging.MessagingError):
            raise EmailNotSent(_error_text(error)) from error
        raise
    now = timezone.now()
    await SentEmail.filter(id=record.id).update(
        status=EmailStatus.SENT,
        subject=rendered.subject[:300],
        provider_message_id=message_id[:255],
        error="",
        sent_at=now,
    )
    log.info("emails.sent %s %s for order %s", kind.value, key, order.number)
    return Outcome(sent=True, record=await SentEmail.get(id=record.id))
