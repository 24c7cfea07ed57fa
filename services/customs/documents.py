"""A parcel's papers as PDF: the CN22 (a label of A6 size) or CN23 (A4), and the commercial
invoice (A4), with labels in English and French (the UPU's languages) plus the merchant's
and the destination's where they are Chinese, Japanese or German, and a Code 128 barcode of
the tracking number.

Text in Latin scripts is set in Helvetica; any other (Chinese, Japanese names and
addresses) in the PDF standard's CJK fonts (Adobe's STSong-Light and HeiseiKakuGo-W5),
which every conforming reader supplies, so a document is produced on any machine, with no
font file, and its text stays searchable and extractable. `DOCUMENTS_CJK_FONT` names a
TrueType font to embed instead, for readers without those fonts. Output is deterministic:
the same declaration gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from models.customs import ChargeKind, Incoterm, RegistrationKind
from services.customs.declaration import (
    Address,
    Charge,
    CustomsForm,
    Declaration,
    DocumentKind,
    Item,
)
from services.money import Money

log = logging.getLogger("tradewind.customs")

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
#: The PDF standard's CJK fonts (not embedded: readers supply them).
CHINESE = "STSong-Light"
JAPANESE = "HeiseiKakuGo-W5"
EMBEDDED = "TradewindCJK"

#: Every label in the forms' languages.
LABELS: dict[str, dict[str, str]] = {
    "customs_declaration": {
        "en": "CUSTOMS DECLARATION",
        "fr": "DÉCLARATION EN DOUANE",
        "zh": "海关申报单",
        "ja": "税関告知書",
        "de": "ZOLLINHALTSERKLÄRUNG",
    },
    "commercial_invoice": {
        "en": "COMMERCIAL INVOICE",
        "fr": "FACTURE COMMERCIALE",
        "zh": "商业发票",
        "ja": "コマーシャルインボイス",
        "de": "HANDELSRECHNUNG",
    },
    "carrier": {
        "en": "Designated operator / carrier",
        "fr": "Opérateur désigné / transporteur",
        "zh": "指定经营者/承运人",
        "ja": "指定事業体/運送業者",
        "de": "Postunternehmen / Beförderer",
    },
    "sender": {"en": "From", "fr": "De", "zh": "寄件人", "ja": "差出人", "de": "Absender"},
    "receiver": {"en": "To", "fr": "À", "zh": "收件人", "ja": "受取人", "de": "Empfänger"},
    "seller": {
        "en": "Seller / exporter",
        "fr": "Vendeur / exportateur",
        "zh": "卖方/出口商",
        "ja": "売主/輸出者",
        "de": "Verkäufer / Ausführer",
    },
    "buyer": {
        "en": "Buyer / consignee",
        "fr": "Acheteur / destinataire",
        "zh": "买方/收货人",
        "ja": "買主/荷受人",
        "de": "Käufer / Empfänger",
    },
    "category": {
        "en": "Category of item",
        "fr": "Catégorie de l'envoi",
        "zh": "邮件类别",
        "ja": "内容品の種別",
        "de": "Art der Sendung",
    },
    "sale_of_goods": {
        "en": "Sale of goods",
        "fr": "Vente de marchandises",
        "zh": "商品销售",
        "ja": "商品の販売",
        "de": "Verkauf von Waren",
    },
    "reason": {
        "en": "Reason for export",
        "fr": "Motif de l'exportation",
        "zh": "出口原因",
        "ja": "輸出理由",
        "de": "Ausfuhrgrund",
    },
    "description": {
        "en": "Detailed description of contents",
        "fr": "Description détaillée du contenu",
        "zh": "内件详细名称",
        "ja": "内容品の詳細な記述",
        "de": "Genaue Beschreibung des Inhalts",
    },
    "quantity": {"en": "Quantity", "fr": "Quantité", "zh": "数量", "ja": "数量", "de": "Menge"},
    "net_weight": {
        "en": "Net weight (kg)",
        "fr": "Poids net (kg)",
        "zh": "净重 (千克)",
        "ja": "正味重量 (kg)",
        "de": "Nettogewicht (kg)",
    },
    "value": {"en": "Value", "fr": "Valeur", "zh": "价值", "ja": "価格", "de": "Wert"},
    "unit_value": {
        "en": "Unit value",
        "fr": "Valeur unitaire",
        "zh": "单价",
        "ja": "単価",
        "de": "Stückwert",
    },
    "hs_code": {
        "en": "HS tariff number",
        "fr": "N° tarifaire du SH",
        "zh": "HS编码",
        "ja": "HS税番",
        "de": "Zolltarifnummer (HS)",
    },
    "origin": {
        "en": "Country of origin of goods",
        "fr": "Pays d'origine des marchandises",
        "zh": "原产国",
        "ja": "原産国",
        "de": "Ursprungsland",
    },
    "total_weight": {
        "en": "Total net weight (kg)",
        "fr": "Poids net total (kg)",
        "zh": "总净重 (千克)",
        "ja": "総正味重量 (kg)",
        "de": "Gesamtnettogewicht (kg)",
    },
    "total_value": {
        "en": "Total value",
        "fr": "Valeur totale",
        "zh": "总价值",
        "ja": "総価格",
        "de": "Gesamtwert",
    },
    "postage": {
        "en": "Postal charges / fees",
        "fr": "Frais de port / frais",
        "zh": "邮费",
        "ja": "郵便料金",
        "de": "Porto / Gebühren",
    },
    "incoterm": {
        "en": "Terms of delivery (Incoterm)",
        "fr": "Conditions de livraison (Incoterm)",
        "zh": "交货条件（贸易术语）",
        "ja": "引渡条件（インコタームズ）",
        "de": "Lieferbedingung (Incoterm)",
    },
    "ddp": {
        "en": "duties and taxes paid by the sender",
        "fr": "droits et taxes payés par l'expéditeur",
        "zh": "关税及税费由寄件人支付",
        "ja": "関税・税は差出人負担",
        "de": "Zölle und Steuern vom Absender bezahlt",
    },
    "dap": {
        "en": "duties and taxes payable by the receiver",
        "fr": "droits et taxes à la charge du destinataire",
        "zh": "关税及税费由收件人支付",
        "ja": "関税・税は受取人負担",
        "de": "Zölle und Steuern zahlt der Empfänger",
    },
    "references": {
        "en": "Sender's customs reference",
        "fr": "Référence en douane de l'expéditeur",
        "zh": "寄件人海关编码",
        "ja": "差出人の税関参照番号",
        "de": "Zollreferenz des Absenders",
    },
    "tracking": {
        "en": "Tracking number",
        "fr": "Numéro de suivi",
        "zh": "跟踪号码",
        "ja": "追跡番号",
        "de": "Sendungsnummer",
    },
    "invoice_number": {
        "en": "Invoice / order number",
        "fr": "N° de facture / commande",
        "zh": "发票/订单号",
        "ja": "インボイス/注文番号",
        "de": "Rechnungs-/Bestellnummer",
    },
    "date": {"en": "Date", "fr": "Date", "zh": "日期", "ja": "日付", "de": "Datum"},
    "order_date": {
        "en": "Order date",
        "fr": "Date de commande",
        "zh": "订单日期",
        "ja": "注文日",
        "de": "Bestelldatum",
    },
    "currency": {"en": "Currency", "fr": "Devise", "zh": "币种", "ja": "通貨", "de": "Währung"},
    "goods": {"en": "Goods", "fr": "Marchandises", "zh": "货物", "ja": "商品", "de": "Waren"},
    "collected": {
        "en": "Duties and taxes collected",
        "fr": "Droits et taxes perçus",
        "zh": "已收关税及税费",
        "ja": "徴収済みの関税・税",
        "de": "Erhobene Zölle und Steuern",
    },
    "door": {
        "en": "Duties and taxes due on delivery (estimate)",
        "fr": "Droits et taxes dus à la livraison (estimation)",
        "zh": "送达时应付关税及税费（估计）",
        "ja": "配達時に支払う関税・税（見積）",
        "de": "Bei Zustellung fällige Zölle und Steuern (Schätzung)",
    },
    "invoice_total": {
        "en": "Invoice total",
        "fr": "Total de la facture",
        "zh": "发票总额",
        "ja": "インボイス合計",
        "de": "Rechnungsbetrag",
    },
    "regime": {
        "en": "Import regime",
        "fr": "Régime d'importation",
        "zh": "进口监管方式",
        "ja": "輸入制度",
        "de": "Einfuhrverfahren",
    },
    "dangerous": {
        "en": "Contains dangerous goods",
        "fr": "Contient des marchandises dangereuses",
        "zh": "含危险品",
        "ja": "危険物を含む",
        "de": "Enthält Gefahrgut",
    },
    "certify": {
        "en": "I certify that the particulars given in this declaration are correct and that "
        "this item does not contain any dangerous article prohibited by legislation or by "
        "postal or customs regulations.",
        "fr": "Je certifie que les renseignements donnés dans la présente déclaration sont "
        "exacts et que cet envoi ne contient aucun objet dangereux interdit par la "
        "législation ou la réglementation postale ou douanière.",
        "zh": "本人保证所填内容属实，本邮件内未装寄法律或邮政和海关规章禁止寄递的任何危险物品。",
        "ja": "この告知書の記載事項が正確であり、法令又は郵便・税関規則により禁止された危険物を"
        "含まないことを証明します。",
        "de": "Ich bestätige, dass die Angaben in dieser Erklärung richtig sind und die Sendung "
        "keine gefährlichen, gesetzlich oder durch Post- oder Zollvorschriften verbotenen "
        "Gegenstände enthält.",
    },
    "invoice_statement": {
        "en": "We declare that this invoice shows the actual price of the goods described and "
        "that all particulars are true and correct.",
        "fr": "Nous déclarons que la présente facture indique le prix réel des marchandises "
        "décrites et que tous les renseignements sont exacts.",
        "zh": "我方声明本发票所列为所述货物的实际价格，且所有内容真实无误。",
        "ja": "本インボイスは記載された商品の実際の価格を示し、記載事項がすべて真正かつ正確で"
        "あることを申告します。",
        "de": "Wir erklären, dass diese Rechnung den tatsächlichen Preis der beschriebenen Waren "
        "ausweist und alle Angaben wahr und richtig sind.",
    },
    "signature": {
        "en": "Date and sender's signature",
        "fr": "Date et signature de l'expéditeur",
        "zh": "日期及寄件人签字",
        "ja": "日付及び差出人の署名",
        "de": "Datum und Unterschrift des Absenders",
    },
}

#: How each registration is named on the papers.
REGISTRATION_NAMES = {
    RegistrationKind.EORI: "EORI",
    RegistrationKind.IOSS: "IOSS",
    RegistrationKind.UK_VAT: "GB VAT",
    RegistrationKind.AU_ARN: "ARN",
}


def label(key: str, languages: Sequence[str], separator: str = " / ") -> str:
    """The label in each language, English first, joined with `separator` (once each)."""
    texts = LABELS[key]
    seen: list[str] = []
    for language in languages:
        text = texts.get(language)
        if text and text not in seen:
            seen.append(text)
    return separator.join(seen)


# Fonts: Helvetica for what WinAnsi encodes, a CJK font for the rest.


@cache
def _register_cid_fonts() -> None:
    for name in (CHINESE, JAPANESE):
        pdfmetrics.registerFont(UnicodeCIDFont(name))


@cache
def _embedded_font(path: str) -> str | None:
    """The name the TrueType font at `path` is registered under; None when it cannot be used."""
    name = f"{EMBEDDED}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
    try:
        pdfmetrics.registerFont(TTFont(name, path))
    except Exception as error:  # a missing file, PostScript outlines, a broken font
        log.warning("customs.documents_font_unusable", extra={"path": path, "error": str(error)})
        return None
    return name


def printable(text: str) -> str:
    """`text` without control characters, with "?" for what no font can encode (a lone
    surrogate): the papers print what they can rather than fail."""
    return "".join(
        "?" if "\ud800" <= char <= "\udfff" else char
        for char in text
        if char >= " " and not ("\x7f" <= char <= "\x9f")
    )


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Fonts:
    """Which font sets which part of a text."""

    embedded: str | None = None

    def cjk(self, char: str, japanese: bool) -> str:
        """The CJK font for `char`: Japanese in Japanese text (one with kana) where the
        Japanese font has the character, Chinese where the Chinese font has it."""
        if self.embedded:
            return self.embedded
        if _kana(char) or (japanese and _encodes(char, "cp932")):
            return JAPANESE
        if _encodes(char, "gbk") or not _encodes(char, "cp932"):
            return CHINESE
        return JAPANESE

    def runs(self, text: str, bold: bool) -> Iterator[tuple[str, str]]:
        """(font, text) runs of `text`, each in a font that has its characters."""
        latin = LATIN_BOLD if bold else LATIN
        fonts: list[str] = []
        japanese = False
        for index, char in enumerate(text):
            if _latin(char):
                fonts.append(latin)
                continue
            if index == 0 or _latin(text[index - 1]):
                # A run of CJK text is Japanese when it has kana.
                end = index
                while end < len(text) and not _latin(text[end]):
                    end += 1
                japanese = any(_kana(c) for c in text[index:end])
            fonts.append(self.cjk(char, japanese))
        start = 0
        for index in range(1, len(text) + 1):
            if index == len(text) or fonts[index] != fonts[start]:
                yield fonts[start], text[start:index]
                start = index

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(
            pdfmetrics.stringWidth(part, font, size)
            for font, part in self.runs(printable(text), bold)
        )


def _fonts(font_file: Path | None) -> Fonts:
    _register_cid_fonts()
    if font_file is not None:
        return Fonts(embedded=_embedded_font(str(font_file)))
    return Fonts()


class Sheet:
    """A page being drawn, top down, with text that wraps across fonts."""

    def __init__(
        self, canvas: Canvas, fonts: Fonts, size: tuple[float, float], margin: float
    ) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.page_width, self.page_height = size
        self.margin = margin
        self.y = self.page_height - margin
        self.on_new_page: Callable[[], None] | None = None

    @property
    def width(self) -> float:
        return self.page_width - 2 * self.margin

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False) -> None:
        # One text object for the line, so readers extract it as one line whatever its fonts.
        line = self.canvas.beginText(x, y)
        for font, part in self.fonts.runs(printable(text), bold):
            line.setFont(font, size)
            line.textOut(part)
        self.canvas.drawText(line)

    def text_right(self, x: float, y: float, text: str, size: float, *, bold: bool = False) -> None:
        self.text(x - self.fonts.width(text, size, bold), y, text, size, bold=bold)

    def wrap(self, text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
        """`text` in lines no wider than `width`: broken at spaces, or anywhere in CJK text."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for char in paragraph:
                candidate = line + char
                if line and self.fonts.width(candidate, size, bold) > width:
                    cut = line.rfind(" ")
                    if char != " " and cut > 0:
                        lines.append(line[:cut])
                        line = line[cut + 1 :] + char
                    else:
                        lines.append(line.rstrip())
                        line = char.lstrip()
                else:
                    line = candidate
            lines.append(line)
        return lines

    def paragraph(
        self, x: float, text: str, size: float, width: float, *, bold: bool = False
    ) -> None:
        """`text` wrapped from the current height down, which moves below it."""
        for line in self.wrap(text, size, width, bold=bold):
            self.need(size * 1.25)
            self.y -= size * 1.2
            self.text(x, self.y, line, size, bold=bold)

    def need(self, height: float) -> None:
        """A new page when less than `height` is left above the bottom margin."""
        if self.y - height < self.margin:
            self.canvas.showPage()
            self.y = self.page_height - self.margin
            if self.on_new_page is not None:
                self.on_new_page()

    def rule(self, gap: float = 2) -> None:
        self.y -= gap
        self.canvas.setLineWidth(0.5)
        self.canvas.line(self.margin, self.y, self.page_width - self.margin, self.y)
        self.y -= gap

    def barcode(self, value: str, height: float, bar_width: float, size: float) -> None:
        """A Code 128 barcode of `value`, centred, with the value printed below it (the text
        alone when `value` has characters Code 128 cannot encode)."""
        if not value or not all(" " <= char <= "~" for char in value):
            self.paragraph(self.margin, value, size * 1.5, self.width, bold=True)
            return
        code = Code128(value, barHeight=height, barWidth=bar_width, quiet=False)
        if code.width > self.width:  # a long number: narrower bars, still within the page
            narrower = bar_width * self.width / code.width
            code = Code128(value, barHeight=height, barWidth=narrower, quiet=False)
        self.need(height + size * 2)
        self.y -= height
        code.drawOn(self.canvas, (self.page_width - code.width) / 2, self.y)
        self.y -= size * 1.2
        self.text((self.page_width - self.fonts.width(value, size)) / 2, self.y, value, size)


# What the papers print.


def money(amount: int, currency: str) -> str:
    return str(Money(amount, currency).amount)


def kilograms(grams: int) -> str:
    return str((Decimal(grams) / 1000).quantize(Decimal("0.001")))


def address_lines(address: Address) -> list[str]:
    lines = [address.name]
    if address.company:
        lines.append(address.company)
    lines.extend(line for line in address.lines if line)
    lines.append(" ".join(p for p in (address.postal_code, address.city) if p))
    if address.region:
        lines.append(address.region)
    lines.append(address.country)
    if address.phone:
        lines.append(address.phone)
    return [line for line in lines if line.strip()]


def item_description(item: Item) -> str:
    """The customs description, the material and the shop's own name of the goods."""
    text = item.description
    if item.material and item.material.lower() not in text.lower():
        text += f" ({item.material})"
    if item.product_name and item.product_name != item.description:
        text += f" - {item.product_name}"
    return text


def hs_text(item: Item) -> str:
    return item.hs_national or item.hs_code


def incoterm_text(declaration: Declaration) -> str:
    term = declaration.incoterm.lower()
    if term == Incoterm.DDP.value:
        return "DDP - " + label("ddp", declaration.languages)
    if term == Incoterm.DAP.value:
        return "DAP - " + label("dap", declaration.languages)
    return term.upper() or "-"


def charge_text(charge: Charge) -> str:
    name = charge.name or ("Duty" if charge.kind is ChargeKind.DUTY else "Tax")
    rate = f" {Decimal(charge.rate_bps) / 100:g}%" if charge.rate_bps is not None else ""
    return f"{name}{rate} ({charge.regime})"


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    value: Callable[[Item], str]
    right: bool = False


def _table(sheet: Sheet, columns: Sequence[Column], items: Sequence[Item], size: float) -> None:
    """The items as a table whose header repeats on each new page."""
    x0 = sheet.margin
    title_size = size * 0.85
    lines_of = [sheet.wrap(c.title, title_size, c.width - 2, bold=True) for c in columns]

    def header() -> None:
        height = max(len(lines) for lines in lines_of) * title_size * 1.15 + 2
        sheet.need(height + size * 3)
        top = sheet.y
        x = x0
        for column, lines in zip(columns, lines_of, strict=True):
            y = top
            for line in lines:
                y -= title_size * 1.15
                sheet.text(x + 1, y, line, title_size, bold=True)
            x += column.width
        sheet.y = top - height
        sheet.canvas.line(x0, sheet.y, x0 + sum(c.width for c in columns), sheet.y)

    header()
    previous = sheet.on_new_page
    sheet.on_new_page = header
    for item in items:
        cells = [sheet.wrap(c.value(item), size, c.width - 2) for c in columns]
        height = max(len(cell) for cell in cells) * size * 1.15 + 2
        sheet.need(height)
        top = sheet.y
        x = x0
        for column, cell in zip(columns, cells, strict=True):
            y = top
            for line in cell:
                y -= size * 1.15
                if column.right:
                    sheet.text_right(x + column.width - 4, y, line, size)
                else:
                    sheet.text(x + 1, y, line, size)
            x += column.width
        sheet.y = top - height
        sheet.canvas.setLineWidth(0.25)
        sheet.canvas.line(x0, sheet.y, x0 + sum(c.width for c in columns), sheet.y)
    sheet.on_new_page = previous


def _canvas(buffer: io.BytesIO, size: tuple[float, float], title: str, author: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=size, invariant=True, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Tradewind")
    return canvas


def _two_blocks(
    sheet: Sheet, left: tuple[str, list[str]], right: tuple[str, list[str]], size: float
) -> None:
    """Two labelled blocks side by side (sender and receiver)."""
    half = sheet.width / 2
    top = sheet.y
    bottoms = []
    for offset, (title, lines) in ((0.0, left), (half, right)):
        sheet.y = top
        sheet.paragraph(sheet.margin + offset, title, size * 0.85, half - 4, bold=True)
        for line in lines:
            sheet.paragraph(sheet.margin + offset, line, size, half - 4)
        bottoms.append(sheet.y)
    sheet.y = min(bottoms)


def _declaration_pdf(declaration: Declaration, fonts: Fonts, shop_name: str) -> bytes:
    languages = declaration.languages
    small = declaration.form is CustomsForm.CN22
    size = 5.6 if small else 8.0
    page = A6 if small else A4
    margin = 5 * mm if small else 14 * mm
    buffer = io.BytesIO()
    form_name = "CN 22" if small else "CN 23"
    canvas = _canvas(
        buffer,
        page,
        f"{form_name} {declaration.order_number} {declaration.tracking_number}",
        shop_name,
    )
    sheet = Sheet(canvas, fonts, page, margin)

    top, big = sheet.y, size * 2.2
    sheet.text(sheet.margin, top - big, form_name, big, bold=True)
    title_x = sheet.margin + fonts.width(form_name, big, True) + 6
    for line in sheet.wrap(
        label("customs_declaration", languages),
        size * 1.1,
        sheet.width - (title_x - sheet.margin),
        bold=True,
    ):
        sheet.y -= size * 1.3
        sheet.text(title_x, sheet.y, line, size * 1.1, bold=True)
    sheet.y = min(sheet.y, top - big * 1.2)
    sheet.paragraph(
        sheet.margin,
        f"{label('carrier', languages)}: {declaration.carrier_name}"
        + (f" ({declaration.service_name})" if declaration.service_name else ""),
        size,
        sheet.width,
    )
    sheet.y -= size * 0.5
    sheet.barcode(
        declaration.tracking_number,
        height=(9 if small else 14) * mm,
        bar_width=0.7 if small else 1.0,
        size=size * 1.2,
    )
    sheet.rule()
    _two_blocks(
        sheet,
        (label("sender", languages), address_lines(declaration.sender)),
        (label("receiver", languages), address_lines(declaration.receiver)),
        size,
    )
    sheet.rule()
    sheet.paragraph(
        sheet.margin,
        f"{label('category', languages)}: [X] {label('sale_of_goods', languages)}",
        size,
        sheet.width,
    )
    sheet.rule()
    width = sheet.width
    columns = [
        Column(label("description", languages, "\n"), width * 0.34, item_description),
        Column(label("quantity", languages, "\n"), width * 0.09, lambda i: str(i.quantity), True),
        Column(
            label("net_weight", languages, "\n"),
            width * 0.13,
            lambda i: kilograms(i.net_weight_grams),
            True,
        ),
        Column(
            label("value", languages, "\n") + f" ({declaration.currency})",
            width * 0.14,
            lambda i: money(i.value, declaration.currency),
            True,
        ),
        Column(label("hs_code", languages, "\n"), width * 0.16, hs_text),
        Column(label("origin", languages, "\n"), width * 0.14, lambda i: i.origin_country),
    ]
    _table(sheet, columns, declaration.items, size)
    sheet.y -= size * 0.4
    sheet.paragraph(
        sheet.margin,
        f"{label('total_weight', languages)}: {kilograms(declaration.total_net_weight_grams)}",
        size,
        sheet.width,
        bold=True,
    )
    sheet.paragraph(
        sheet.margin,
        f"{label('total_value', languages)}: "
        f"{money(declaration.total_value, declaration.currency)} {declaration.currency}",
        size,
        sheet.width,
        bold=True,
    )
    if not small:
        sheet.paragraph(
            sheet.margin,
            f"{label('postage', languages)}: "
            f"{money(declaration.shipping, declaration.currency)} {declaration.currency}",
            size,
            sheet.width,
        )
        sheet.paragraph(
            sheet.margin,
            f"{label('invoice_number', languages)}: {declaration.order_number}",
            size,
            sheet.width,
        )
    sheet.rule()
    _terms(sheet, declaration, size)
    sheet.rule()
    sheet.paragraph(sheet.margin, label("certify", languages), size * 0.9, sheet.width)
    sheet.y -= size
    sheet.paragraph(
        sheet.margin,
        f"{label('signature', languages)}: {declaration.printed_on.isoformat()}   "
        + "_" * (20 if small else 40),
        size,
        sheet.width,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _terms(sheet: Sheet, declaration: Declaration, size: float) -> None:
    """The Incoterm, the regime, the registrations and the dangerous-goods warning."""
    languages = declaration.languages
    sheet.paragraph(
        sheet.margin,
        f"{label('incoterm', languages)}: {incoterm_text(declaration)}",
        size,
        sheet.width,
    )
    if declaration.regime:
        sheet.paragraph(
            sheet.margin, f"{label('regime', languages)}: {declaration.regime}", size, sheet.width
        )
    if declaration.registrations:
        sheet.paragraph(
            sheet.margin, label("references", languages) + ":", size, sheet.width, bold=True
        )
        for kind, number in declaration.registrations:
            sheet.paragraph(
                sheet.margin + size, f"{REGISTRATION_NAMES[kind]} {number}", size, sheet.width
            )
    if declaration.dangerous_goods:
        sheet.paragraph(
            sheet.margin, "!! " + label("dangerous", languages), size, sheet.width, bold=True
        )


def _invoice_pdf(declaration: Declaration, fonts: Fonts, shop_name: str) -> bytes:
    languages = declaration.languages
    currency = declaration.currency
    size = 8.0
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A4, f"Commercial invoice {declaration.order_number}", shop_name)
    sheet = Sheet(canvas, fonts, A4, 14 * mm)
    sheet.paragraph(
        sheet.margin, label("commercial_invoice", languages), 13, sheet.width, bold=True
    )
    sheet.y -= 4
    facts = [
        (label("invoice_number", languages), declaration.order_number),
        (label("date", languages), declaration.printed_on.isoformat()),
        (label("order_date", languages), declaration.order_date.isoformat()),
        (label("currency", languages), currency),
        (label("reason", languages), label("sale_of_goods", languages)),
        (
            label("tracking", languages),
            f"{declaration.tracking_number} ({declaration.carrier_name})",
        ),
    ]
    for name, value in facts:
        sheet.paragraph(sheet.margin, f"{name}: {value}", size, sheet.width)
    sheet.rule(4)
    _two_blocks(
        sheet,
        (label("seller", languages), address_lines(declaration.sender)),
        (label("buyer", languages), address_lines(declaration.receiver)),
        size,
    )
    sheet.rule(4)
    width = sheet.width
    columns = [
        Column(label("description", languages, "\n"), width * 0.30, item_description),
        Column(label("hs_code", languages, "\n"), width * 0.12, hs_text),
        Column(label("origin", languages, "\n"), width * 0.10, lambda i: i.origin_country),
        Column(label("quantity", languages, "\n"), width * 0.08, lambda i: str(i.quantity), True),
        Column(
            label("net_weight", languages, "\n"),
            width * 0.11,
            lambda i: kilograms(i.net_weight_grams),
            True,
        ),
        Column(
            label("unit_value", languages, "\n"),
            width * 0.14,
            lambda i: money(round(i.value / i.quantity), currency) if i.quantity else "",
            True,
        ),
        Column(
            label("value", languages, "\n"), width * 0.15, lambda i: money(i.value, currency), True
        ),
    ]
    _table(sheet, columns, declaration.items, size)
    sheet.y -= 4
    right = sheet.page_width - sheet.margin

    def total_line(name: str, amount: int, *, bold: bool = False) -> None:
        sheet.need(size * 1.5)
        sheet.y -= size * 1.4
        sheet.text(sheet.margin + width * 0.35, sheet.y, name, size, bold=bold)
        sheet.text_right(right, sheet.y, f"{money(amount, currency)} {currency}", size, bold=bold)

    total_line(label("goods", languages), declaration.total_value)
    total_line(label("postage", languages), declaration.shipping)
    if declaration.charges:
        sheet.need(size * 1.5)
        sheet.y -= size * 1.4
        sheet.text(sheet.margin + width * 0.35, sheet.y, label("collected", languages) + ":", size)
    for charge in declaration.charges:
        total_line("    " + charge_text(charge), charge.amount)
    total_line(label("invoice_total", languages), declaration.invoice_total, bold=True)
    sheet.paragraph(
        sheet.margin + width * 0.35,
        f"{label('total_weight', languages)}: {kilograms(declaration.total_net_weight_grams)}",
        size,
        width * 0.65,
    )
    if declaration.door_charges:
        sheet.y -= 4
        sheet.paragraph(sheet.margin, label("door", languages) + ":", size, sheet.width, bold=True)
        for charge in declaration.door_charges:
            sheet.paragraph(
                sheet.margin,
                f"{charge_text(charge)}: {money(charge.amount, currency)} {currency}",
                size,
                sheet.width,
            )
    sheet.rule(4)
    _terms(sheet, declaration, size)
    sheet.rule(4)
    sheet.paragraph(sheet.margin, label("invoice_statement", languages), size, sheet.width)
    sheet.y -= size
    sheet.paragraph(
        sheet.margin,
        f"{label('signature', languages)}: {declaration.printed_on.isoformat()}   " + "_" * 40,
        size,
        sheet.width,
    )
    sheet.y -= size
    sheet.barcode(declaration.tracking_number, height=12 * mm, bar_width=1.0, size=size * 1.2)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render(
    declaration: Declaration,
    kind: DocumentKind,
    *,
    shop_name: str,
    font_file: Path | None = None,
) -> bytes:
    """The PDF of `kind` for the parcel: its CN22 or CN23, or its commercial invoice."""
    fonts = _fonts(font_file)
    if kind is DocumentKind.COMMERCIAL_INVOICE:
        return _invoice_pdf(declaration, fonts, shop_name)
    return _declaration_pdf(declaration, fonts, shop_name)


def filename(declaration: Declaration, kind: DocumentKind) -> str:
    """The file a browser saves the document as."""
    stem = "invoice" if kind is DocumentKind.COMMERCIAL_INVOICE else declaration.form.value
    tracking = re.sub(r"[^A-Za-z0-9-]", "", declaration.tracking_number)[:40]
    return f"{stem}-{declaration.order_number}-{tracking}.pdf"
