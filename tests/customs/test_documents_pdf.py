"""The papers as PDF files: page sizes, long parcels over several pages, the fonts of Chinese,
Japanese and other scripts, and the same bytes for the same papers."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.customs import documents, labels
from services.customs.declaration import DocumentKind, declare
from tests.customs.documents_setup import page_sizes, pdf_text
from tests.customs.test_documents_rules import RECEIVER, line, parcel

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render(kind: DocumentKind = DocumentKind.DECLARATION, **kw: object) -> bytes:
    return documents.render(declare(parcel(**kw)), kind, shop_name="Tradewind")  # type: ignore[arg-type]


def test_every_label_is_written_in_every_language_of_the_forms() -> None:
    for key, texts in labels.LABELS.items():
        assert set(texts) == {"en", "fr", "zh", "ja", "de"}, key


def test_a_label_in_the_same_words_twice_is_printed_once() -> None:
    assert labels.label("quantity", ("en", "fr", "zh", "ja")) == "Quantity / Quantité / 数量"


def test_cn22_is_a6_and_cn23_and_invoice_are_a4() -> None:
    assert page_sizes(render()) == [(298, 420)]
    assert page_sizes(render(order_line_totals={1: 50000})) == [(595, 842)]
    assert page_sizes(render(DocumentKind.COMMERCIAL_INVOICE)) == [(595, 842)]


def test_papers_of_many_goods_continue_on_further_pages_with_their_headings() -> None:
    goods = [line(n, product_name=f"Article {n:02d}", sku=f"A-{n}") for n in range(1, 41)]
    pdf = render(lines=goods, order_line_totals={n: 100 for n in range(1, 41)})
    text = pdf_text(pdf)
    assert len(page_sizes(pdf)) > 1
    for n in range(1, 41):
        assert f"Article {n:02d}" in text
    # The table's heading starts each page it runs on.
    reader = PdfReader(io.BytesIO(pdf))
    assert all("HS tariff number" in page.extract_text() for page in reader.pages[:-1])


def test_chinese_japanese_and_latin_text_share_a_line_when_read_back() -> None:
    goods = [
        line(1, product_name="丝绸围巾 Silk", description="Women's silk scarf"),
        line(2, product_name="抹茶ティーセット", description="Ceramic tea set"),
    ]
    receiver = replace(RECEIVER, name="山田 太郎", lines=("千代田区丸の内1-1-1",), country="JP")
    text = pdf_text(
        render(
            DocumentKind.COMMERCIAL_INVOICE,
            lines=goods,
            receiver=receiver,
            regime="JP-SMALL",
            merchant_locale="zh",
        )
    )
    assert "山田 太郎" in text
    assert "千代田区丸の内1-1-1" in text
    assert "Women's silk scarf - 丝绸围巾 Silk" in text
    assert "抹茶ティーセット" in text
    # Chinese and Japanese labels for a Chinese merchant's parcel to Japan.
    assert "商业发票" in text and "コマーシャルインボイス" in text


def test_same_papers_give_the_same_bytes() -> None:
    assert render() == render()
    assert render(DocumentKind.COMMERCIAL_INVOICE) == render(DocumentKind.COMMERCIAL_INVOICE)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="fonts-dejavu-core is not installed")
def test_a_truetype_font_set_for_it_is_embedded() -> None:
    papers = declare(parcel(lines=[line(1, product_name="Шарф шёлковый")]))
    pdf = documents.render(
        papers, DocumentKind.DECLARATION, shop_name="Tradewind", font_file=DEJAVU
    )
    assert b"/FontFile2" in pdf
    text = pdf_text(pdf)
    assert "Шарф" in text and "шёлковый" in text


def test_a_font_file_that_cannot_be_used_falls_back_to_the_standard_fonts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    papers = declare(parcel(lines=[line(1, product_name="丝绸围巾")]))
    with caplog.at_level(logging.WARNING, logger="tradewind.customs"):
        pdf = documents.render(
            papers,
            DocumentKind.DECLARATION,
            shop_name="Tradewind",
            font_file=Path("/nonexistent/font.ttf"),
        )
    assert "丝绸围巾" in pdf_text(pdf)
    assert b"/FontFile2" not in pdf
    assert "customs.documents_font_unusable" in caplog.text


def test_barcode_is_drawn_above_the_tracking_number() -> None:
    pdf = render()
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    # Code 128 draws its bars as filled rectangles: dozens for an S10 number.
    assert content.get_data().count(b" re") > 30
    assert "LX123456785CN" in pdf_text(pdf)


DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@pytest.mark.skipif(not DROID.is_file(), reason="fonts-droid-fallback is not installed")
def test_an_embedded_cjk_font_prints_chinese_and_japanese() -> None:
    goods = [line(1, product_name="丝绸围巾"), line(2, product_name="抹茶ティーセット")]
    pdf = documents.render(
        declare(parcel(lines=goods)),
        DocumentKind.COMMERCIAL_INVOICE,
        shop_name="Tradewind",
        font_file=DROID,
    )
    assert b"/FontFile2" in pdf
    text = pdf_text(pdf)
    assert "丝绸围巾" in text and "抹茶ティーセット" in text


def test_text_no_font_has_still_gives_papers() -> None:
    receiver = replace(RECEIVER, name="Zoë 🙂 مرحبا 한국\x00")
    goods = [line(1, product_name="Scarf 🧣\x07 \ud800")]
    for kind in DocumentKind:
        text = pdf_text(render(kind, lines=goods, receiver=receiver))
        assert "Zoë" in text and "Scarf" in text
