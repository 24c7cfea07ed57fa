"""A parcel's papers as PDF: the CN22 (a label of A6 size) or CN23 (A4), and the commercial
invoice (A4), with labels in English and French (the UPU's languages) plus the merchant's
and the destination's where they are Chinese, Japanese or German, and a Code 128 barcode of
the tracking number.

Text in Latin scripts is set in Helvetica; any other (Chinese, Japanese names and
addresses) in the PDF standard's CJK fonts (Adobe's STSong-Light and HeiseiKakuGo-W5),
for which readers substitute fonts of their own, so a document is produced on any machine,
with no font file, and its text stays searchable and extractable. `DOCUMENTS_CJK_FONT`
names a TrueType font to embed instead (`typesetting`). Output is deterministic: the same
declaration gives the same bytes.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm

from models.customs import ChargeKind, Incoterm
from services.customs.declaration import (
    Address,
    Charge,
    CustomsForm,
    Declaration,
    DocumentKind,
    Item,
)
from services.customs.labels import REGISTRATION_NAMES, label
from services.customs.typesetting import (
    Column,
    Fonts,
    Sheet,
    fonts_for,
    new_canvas,
    table,
    two_blocks,
)
from services.money import Money


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


def _declaration_pdf(declaration: Declaration, fonts: Fonts, shop_name: str) -> bytes:
    languages = declaration.languages
    small = declaration.form is CustomsForm.CN22
    size = 5.6 if small else 8.0
    page = A6 if small else A4
    margin = 5 * mm if small else 14 * mm
    buffer = io.BytesIO()
    form_name = "CN 22" if small else "CN 23"
    canvas = new_canvas(
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
    two_blocks(
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
    table(sheet, columns, declaration.items, size)
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
    canvas = new_canvas(buffer, A4, f"Commercial invoice {declaration.order_number}", shop_name)
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
    two_blocks(
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
    table(sheet, columns, declaration.items, size)
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
    fonts = fonts_for(font_file)
    if kind is DocumentKind.COMMERCIAL_INVOICE:
        return _invoice_pdf(declaration, fonts, shop_name)
    return _declaration_pdf(declaration, fonts, shop_name)


def filename(declaration: Declaration, kind: DocumentKind) -> str:
    """The file a browser saves the document as."""
    stem = "invoice" if kind is DocumentKind.COMMERCIAL_INVOICE else declaration.form.value
    tracking = re.sub(r"[^A-Za-z0-9-]", "", declaration.tracking_number)[:40]
    return f"{stem}-{declaration.order_number}-{tracking}.pdf"
