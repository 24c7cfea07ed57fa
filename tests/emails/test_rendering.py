"""Order emails as written: every language, every kind, amounts in the order's currency."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from models.emails import EmailKind
from services.emails import rendering
from services.emails.rendering import (
    EmailLine,
    OrderEmail,
    email_language,
    format_money,
    render,
    subject_messages,
)

TEMPLATES = Path(rendering.__file__).parent / "templates"
LOCALES = Path(rendering.__file__).parent / "locales"


def _email(language: str, kind: EmailKind = EmailKind.ORDER_PLACED, **changes) -> OrderEmail:
    values = {
        "kind": kind,
        "language": language,
        "shop_name": "Tradewind",
        "number": "TW8K2M4Q",
        "placed_on": rendering.format_day(datetime(2026, 12, 4, tzinfo=UTC), language),
        "greeting_name": "Hanako Yamada",
        "order_url": "https://shop.example/#/order/TW8K2M4Q?lang=" + language,
        "lines": [
            EmailLine(
                "Linen shirt (M)",
                2,
                format_money(302600, "EUR", language),
                format_money(605200, "EUR", language),
            )
        ],
        "subtotal": format_money(605200, "EUR", language),
        "discount": None,
        "shipping": format_money(121100, "EUR", language),
        "total": format_money(726300, "EUR", language),
        "address": ["Hanako Yamada", "1-2-3 Shibuya", "150-0002 Shibuya-ku"],
        "carrier": "Test Post",
        "tracking_number": "JP123",
        "tracking_url": "https://track.test/JP123",
        "refund_amount": format_money(100000, "EUR", language),
        "return_number": "TW8K2M4Q-R1",
    }
    return OrderEmail(**(values | changes))


#: How each language writes the total (7,263.00 EUR) and its word for "Total".
EXPECTED = {
    "en": ("Your order TW8K2M4Q at Tradewind", "€7,263.00", "Total"),
    "de": ("Ihre Bestellung TW8K2M4Q bei Tradewind", "7.263,00\xa0€", "Gesamtsumme"),
    "fr": ("Votre commande TW8K2M4Q chez Tradewind", "7\u202f263,00\xa0€", "Total"),
    "ja": ("Tradewindでのご注文 TW8K2M4Q", "€7,263.00", "合計"),
    "zh": ("您在 Tradewind 的订单 TW8K2M4Q", "€7,263.00", "合计"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_an_order_email_is_written_in_the_shoppers_language(language: str) -> None:
    subject, total, word = EXPECTED[language]

    rendered = render(_email(language))

    assert rendered.subject == subject
    for part in (rendered.text, rendered.html):
        assert total in part
        assert word in part
        assert "TW8K2M4Q" in part
        assert "Hanako Yamada" in part
    assert f'<html lang="{language}">' in rendered.html
    assert "https://shop.example/#/order/TW8K2M4Q?lang=" + language in rendered.text


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("kind", list(EmailKind))
def test_every_kind_renders_in_every_language(language: str, kind: EmailKind) -> None:
    rendered = render(_email(language, kind))

    assert rendered.subject and "TW8K2M4Q" in rendered.subject
    assert rendered.text.strip() and rendered.html.strip()
    if kind in rendering.PARCEL_KINDS:
        assert "https://track.test/JP123" in rendered.text
        assert 'href="https://track.test/JP123"' in rendered.html
    else:
        assert "JP123" not in rendered.text
    if kind is EmailKind.REFUNDED:
        assert format_money(100000, "EUR", language) in rendered.text


def test_html_escapes_what_shoppers_and_staff_typed_and_text_keeps_it() -> None:
    email = _email(
        "en",
        EmailKind.SHIPPED,
        greeting_name="<script>x</script>",
        address=["A & B <b>"],
        tracking_url='https://track.test/?n=1&x="><img>',
        carrier="<i>Post</i>",
        placed_on="<u>today</u>",
        shipping_method="Std & <Fast>",
    )

    rendered = render(email)
    placed = render(_email("en", EmailKind.ORDER_PLACED, placed_on="<u>today</u>"))

    assert "&lt;i&gt;Post&lt;/i&gt;" in rendered.html and "<i>" not in rendered.html
    assert "Std &amp; &lt;Fast&gt;" in rendered.html
    assert "placed on &lt;u&gt;today&lt;/u&gt;." in placed.html
    assert "&amp;lt;" not in rendered.html + placed.html  # escaped once, not twice
    assert "Carrier: <i>Post</i>" in rendered.text
    assert "placed on <u>today</u>." in placed.text

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;x&lt;/script&gt;" in rendered.html
    assert "A &amp; B &lt;b&gt;" in rendered.html
    assert 'href="https://track.test/?n=1&amp;x=&#34;&gt;&lt;img&gt;"' in rendered.html
    assert "Hello <script>x</script>," in rendered.text


def test_yen_has_no_decimals_and_dinar_three() -> None:
    assert format_money(7263, "JPY", "ja") == "￥7,263"
    assert format_money(7263, "JPY", "de") == "7.263\xa0¥"
    assert format_money(1500, "KWD", "en") == "KWD1.500"


def test_the_language_falls_back_by_tag_then_to_english() -> None:
    assert email_language("de-CH") == "de"
    assert email_language("zh-Hans-CN") == "zh"
    assert email_language("", None, "ja") == "ja"
    assert email_language("es", "pt") == "en"


def _template_messages() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES.iterdir():
        with template.open("rb") as source:
            for _, _, message, _ in babel_extract(
                source, ["_", "gettext"], [], {"extensions": "jinja2.ext.i18n"}
            ):
                first = message if isinstance(message, str) else (message or ("",))[0]
                found.add(str(first))
    return found


@pytest.mark.parametrize("language", ["de", "fr", "ja", "zh"])
def test_each_catalog_translates_every_message_and_keeps_its_placeholders(language: str) -> None:
    with (LOCALES / f"{language}.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    wanted = _template_messages() | set(subject_messages())
    translated = {m.id: m.string for m in catalog if m.id and m.string}

    assert wanted - set(translated) == set()
    for message in wanted:
        names = ("number", "shop", "date", "total", "amount", "name", "label", "value")
        for name in (*names, "subject", "address"):
            placeholder = f"%({name})s"
            assert (placeholder in message) == (placeholder in translated[message]), message


#: Each language's sentence for a lost parcel and its "we are on it".
LOST = {
    "en": ("has been lost", "We are on it"),
    "de": ("verloren gegangen", "Wir kümmern uns darum"),
    "fr": ("a été perdu", "Nous nous en occupons"),
    "ja": ("紛失", "確認を進めております"),
    "zh": ("已丢失", "我们正在处理"),
}


@pytest.mark.parametrize("language", sorted(LOST))
def test_an_exception_email_says_what_happened_in_plain_words(language: str) -> None:
    lost, on_it = LOST[language]
    email = _email(
        language,
        EmailKind.TRACKING_EXCEPTION,
        sub_status="exception_lost",
        event_message="Parcel missing at hub",
        event_place="Leipzig, Deutschland",
        estimated_delivery="2026-12-24",
        contact_email="help@shop.example",
    )

    rendered = render(email)

    for part in (rendered.text, rendered.html):
        assert lost in part and on_it in part
        assert "Parcel missing at hub" in part and "Leipzig, Deutschland" in part
        assert "2026-12-24" in part
        assert "help@shop.example" in part


def test_a_staff_message_is_sent_as_written_and_escaped_in_html() -> None:
    email = _email(
        "fr",
        EmailKind.SHIPMENT_NOTICE,
        notice_subject="Votre colis <urgent>",
        notice_message="Bonjour,\nvotre colis attend au bureau <b>de poste</b> & co.",
    )

    rendered = render(email)

    assert rendered.subject == "Votre colis <urgent> (commande TW8K2M4Q)"
    assert "votre colis attend au bureau <b>de poste</b> & co." in rendered.text
    assert "Bonjour,<br>" in rendered.html
    assert "au bureau &lt;b&gt;de poste&lt;/b&gt; &amp; co." in rendered.html
    assert "<b>" not in rendered.html
    assert "&lt;urgent&gt;" in rendered.html  # the <title>


def test_a_staff_message_without_a_subject_gets_the_languages_own() -> None:
    rendered = render(_email("zh", EmailKind.SHIPMENT_NOTICE, notice_message="请尽快取件。"))

    assert rendered.subject == "关于您的订单 TW8K2M4Q 的配送"
    assert "请尽快取件。" in rendered.text
