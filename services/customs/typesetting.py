"""Typesetting for customs papers on reportlab: text in the fonts that have its characters
(Helvetica for Latin scripts, the PDF standard's CJK fonts or an embedded TrueType font for
the rest), wrapped to a width, drawn top down over as many pages as it takes, with tables
whose heading repeats on each page and Code 128 barcodes.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger("tradewind.customs")

T = TypeVar("T")

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
#: The PDF standard's CJK fonts (not embedded: readers supply them).
CHINESE = "STSong-Light"
JAPANESE = "HeiseiKakuGo-W5"
EMBEDDED = "TradewindCJK"


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


def fonts_for(font_file: Path | None) -> Fonts:
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


@dataclass(frozen=True)
class Column(Generic[T]):
    """A table's column: its heading, width, and what it shows of a row."""

    title: str
    width: float
    value: Callable[[T], str]
    right: bool = False


def table(sheet: Sheet, columns: Sequence[Column[T]], rows: Sequence[T], size: float) -> None:
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
    for row in rows:
        cells = [sheet.wrap(c.value(row), size, c.width - 2) for c in columns]
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


def new_canvas(buffer: io.BytesIO, size: tuple[float, float], title: str, author: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=size, invariant=True, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Tradewind")
    return canvas


def two_blocks(
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
