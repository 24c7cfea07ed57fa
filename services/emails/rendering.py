"""Order emails written from Jinja2 templates, in the shopper's language.

`templates/order.txt` and `templates/order.html` hold every kind of order email; the HTML
one is autoescaped, so a product name or an address cannot inject markup. Texts are English
`gettext` messages in the templates, translated by the catalogs in `locales/<language>.po`
(read with Babel when first needed; no compiled files to keep in step). Amounts are formatted
by Babel for the language, in the currency they were paid in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from models.emails import EmailKind
from services.money import Money

#: The language every template is written in; the catalogs translate from it.
SOURCE_LANGUAGE = "en"


def email_languages() -> list[str]:
    """Languages order emails can be written in: English and every catalog in `locales/`."""
    found = [
        entry.name.removesuffix(".po")
        for entry in resources.files(__package__).joinpath("locales").iterdir()
        if entry.name.endswith(".po")
    ]
    return [SOURCE_LANGUAGE, *sorted(found)]


def email_language(*preferences: str | None) -> str:
    """The first of `preferences` (language tags, most wanted first) an email can be
    written in, by its language (`de-CH` is written in `de`); English when none can."""
    available = email_languages()
    for tag in preferences:
        if not tag:
            continue
        normalized = tag.replace("_", "-")
        if normalized in available:
            return normalized
        language = normalized.split("-")[0].lower()
        if language in available:
            return language
    return SOURCE_LANGUAGE


@cache
def _translations(language: str) -> NullTranslations:
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    source = resources.files(__package__).joinpath("locales", f"{language}.po")
    with source.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader(__package__, "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(_translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def environment(language: str) -> Environment:
    """The templates, translated into `language` (for emails other than an order's)."""
    return _environment(language)


def gettext(language: str, message: str) -> str:
    """`message` in `language` (as written when the catalog lacks it)."""
    return _translations(language).gettext(message)


def format_money(minor: int, currency: str, language: str) -> str:
    """`minor` units of `currency` as the language writes amounts (`1.234,50 €`, `¥1,235`)."""
    return format_currency(
        Money(minor, currency).amount, currency, locale=language, decimal_quantization=False
    )


def country_name(code: str, language: str) -> str:
    """The country's name in the language, or the code when Babel knows no name for it."""
    name = Locale.parse(language).territories.get(code.upper())
    return str(name) if name else code


@dataclass(frozen=True, slots=True)
class EmailLine:
    name: str
    quantity: int
    unit_price: str
    total: str


@dataclass(frozen=True, slots=True)
class EmailCharge:
    """Duties or an import tax of the order, summed over its lines per name and rate."""

    label: str
    amount: str
    #: True when paid with the order; false for the carrier's estimated collection.
    charged_now: bool


@dataclass(frozen=True, slots=True)
class OrderEmail:
    """What an order email says; amounts and names already formatted for `language`."""

    kind: EmailKind
    language: str
    shop_name: str
    number: str
    placed_on: str
    greeting_name: str
    order_url: str
    lines: list[EmailLine]
    subtotal: str
    discount: str | None
    shipping: str
    total: str
    address: list[str]
    shipping_method: str = ""
    #: Duties and import taxes: those paid with the order, then the door estimates.
    charges: list[EmailCharge] = field(default_factory=list)
    #: Emails about a parcel: its carrier, tracking number and tracking page.
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    #: Refunded: the amount this refund gave back.
    refund_amount: str = ""
    #: Tracking emails: the parcel's sub-status, the carrier's latest word (its message,
    #: where and when), and the delivery date expected ("" for what is not known).
    sub_status: str = ""
    event_message: str = ""
    event_place: str = ""
    event_time: str = ""
    estimated_delivery: str = ""
    #: A staff member's message about a parcel: their subject ("" for none) and text.
    notice_subject: str = ""
    notice_message: str = ""
    #: Where the shopper can write to the shop ("" when the shop gives no address).
    contact_email: str = ""
    #: Return emails: the return's number and lines, the reason given, how to send the
    #: goods back (instructions, a label), why it was declined, and what it ended in
    #: (amounts refunded, credited and kept, the exchange order's number). Cancellation
    #: requests use `decline_reason` too.
    return_number: str = ""
    return_lines: list[EmailLine] = field(default_factory=list)
    return_reason: str = ""
    instructions: str = ""
    label_reference: str = ""
    decline_reason: str = ""
    refunded: str = ""
    credited: str = ""
    kept_fee: str = ""
    exchange_number: str = ""
    keep_items: bool = False


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


_SUBJECTS: dict[EmailKind, str] = {
    EmailKind.ORDER_PLACED: "Your order %(number)s at %(shop)s",
    EmailKind.PAYMENT_RECEIVED: "Payment received for order %(number)s",
    EmailKind.SHIPPED: "Your order %(number)s is on its way",
    EmailKind.DELIVERED: "Your order %(number)s has been delivered",
    EmailKind.CANCELLED: "Your order %(number)s has been cancelled",
    EmailKind.REFUNDED: "Refund for order %(number)s",
    EmailKind.OUT_FOR_DELIVERY: "Your order %(number)s is out for delivery",
    EmailKind.DELIVERY_ATTEMPT_FAILED: "A delivery attempt failed for your order %(number)s",
    EmailKind.TRACKING_EXCEPTION: "A problem with the delivery of your order %(number)s",
    EmailKind.CUSTOMS_DUTIES_DUE: "Import duties to pay for your order %(number)s",
    EmailKind.SHIPMENT_NOTICE: "About the delivery of your order %(number)s",
    EmailKind.RETURN_REQUESTED: "We have your return request %(reference)s",
    EmailKind.RETURN_APPROVED: "Your return %(reference)s is approved: how to send it back",
    EmailKind.RETURN_DECLINED: "About your return request %(reference)s",
    EmailKind.RETURN_RECEIVED: "We have received your return %(reference)s",
    EmailKind.RETURN_CLOSED: "Your return %(reference)s is complete",
    EmailKind.RETURN_CANCELLED: "Your return %(reference)s has been cancelled",
    EmailKind.SHOP_RETURN_REQUESTED: "New return request %(reference)s for order %(number)s",
    EmailKind.CANCELLATION_APPROVED: "Your order %(number)s has been cancelled as you asked",
    EmailKind.CANCELLATION_DECLINED: "About your request to cancel order %(number)s",
}
#: A staff member's own subject, with the order it is about.
NOTICE_SUBJECT = "%(subject)s (order %(number)s)"
#: Emails that tell about one parcel: they show its carrier, tracking number and link.
PARCEL_KINDS = frozenset(
    {
        EmailKind.SHIPPED,
        EmailKind.OUT_FOR_DELIVERY,
        EmailKind.DELIVERY_ATTEMPT_FAILED,
        EmailKind.TRACKING_EXCEPTION,
        EmailKind.CUSTOMS_DUTIES_DUE,
        EmailKind.SHIPMENT_NOTICE,
    }
)

#: Emails about one return: they show the return's lines instead of the order's.
RETURN_KINDS = frozenset(
    {
        EmailKind.RETURN_REQUESTED,
        EmailKind.RETURN_APPROVED,
        EmailKind.RETURN_DECLINED,
        EmailKind.RETURN_RECEIVED,
        EmailKind.RETURN_CLOSED,
        EmailKind.RETURN_CANCELLED,
        EmailKind.SHOP_RETURN_REQUESTED,
    }
)
#: Emails about a shopper's request to cancel an order.
CANCELLATION_KINDS = frozenset({EmailKind.CANCELLATION_APPROVED, EmailKind.CANCELLATION_DECLINED})
#: Emails to the shop's own address rather than to the shopper.
SHOP_KINDS = frozenset({EmailKind.SHOP_RETURN_REQUESTED})


def subject_messages() -> list[str]:
    """Every subject line's message, as the catalogs must translate it."""
    return [*_SUBJECTS.values(), NOTICE_SUBJECT]


def format_day(at: date | datetime, language: str) -> str:
    return format_date(at, format="long", locale=language)


def render(email: OrderEmail) -> RenderedEmail:
    """The subject, text and HTML of an order email, in its language."""
    env = _environment(email.language)
    translations = _translations(email.language)
    wording = _SUBJECTS[email.kind]
    if email.kind is EmailKind.SHIPMENT_NOTICE and email.notice_subject:
        wording = NOTICE_SUBJECT
    subject = translations.gettext(wording) % {
        "number": email.number,
        "shop": email.shop_name,
        "subject": email.notice_subject,
        "reference": email.return_number,
    }
    values = {
        "email": email,
        "kind": email.kind.value,
        "subject": subject,
        "parcel": email.kind in PARCEL_KINDS,
        "returning": email.kind in RETURN_KINDS,
    }
    text = env.get_template("order.txt").render(values)
    html = env.get_template("order.html").render(values)
    return RenderedEmail(subject=subject, text=text, html=html)
