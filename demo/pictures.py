"""Product pictures for the demo shop, drawn on the spot with Pillow.

Each picture is a gradient backdrop, a sketch of the kind of product in its colour, and the
product's brand and name; a card of key facts is offered too. Nothing is downloaded.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence

from babel import Locale
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter, ImageFont

from demo import sketches
from demo.data import BRANDS, COLOURS, DemoProduct, Drawing
from demo.sketches import INK_TEXT, MUTED_TEXT

SIZE = 800
#: Sketches are drawn this many times larger, then shrunk, for smooth edges.
SUPERSAMPLE = 2
RGB = tuple[int, int, int]
Fill = tuple[int, ...]
Point = tuple[float, float]


def pictures(
    item: DemoProduct, backdrop: tuple[str, str], fact_card: bool
) -> list[tuple[bytes, str]]:
    """JPEG pictures of the product with their alt text: one per colour (two at most),
    then a card of key facts when asked for."""
    colours: list[str | None] = list(
        dict.fromkeys(v.colour for v in item.variants if v.colour in COLOURS)
    )
    brand = next(b.name for b in BRANDS if b.key == item.brand)
    result: list[tuple[bytes, str]] = []
    for colour in colours[:2] or [None]:
        tint = COLOURS[colour] if colour else item.tint
        detail = colour or item.specification
        alt = f"{item.name} in {colour}" if colour else item.name
        result.append((_hero(item, brand, tint, detail, backdrop), alt))
    if fact_card:
        result.append((_fact_card(item, brand, backdrop), f"{item.name}: key facts"))
    return result


def _hero(
    item: DemoProduct, brand: str, tint: str, detail: str, backdrop: tuple[str, str]
) -> bytes:
    canvas = _backdrop(backdrop, shadow=True).copy()
    _sketch(canvas, item.drawing, tint, left=150, top=40, size=500)
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.rounded_rectangle((40, 610, 760, 764), radius=22, fill=(255, 255, 255, 190))
    draw.text((70, 630), _drawable(brand.upper()), font=_font(20), fill=MUTED_TEXT)
    size, lines = _fitted(draw, item.name, width=660, sizes=(40, 34, 30), max_lines=2)
    y = 660
    for line in lines:
        draw.text((70, y), line, font=_font(size), fill=INK_TEXT)
        y += size + 6
    if len(lines) == 1:
        draw.text((70, y + 6), _clip(draw, detail, _font(22), 660), font=_font(22), fill=MUTED_TEXT)
    return _jpeg(canvas)


def _fact_card(item: DemoProduct, brand: str, backdrop: tuple[str, str]) -> bytes:
    canvas = _backdrop((backdrop[1], backdrop[0]), shadow=False).copy()
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.rounded_rectangle((40, 40, 760, 760), radius=28, fill=(255, 255, 255, 205))
    _sketch(canvas, item.drawing, _first_tint(item), left=70, top=70, size=170)
    draw.text((270, 88), _drawable(brand.upper()), font=_font(18), fill=MUTED_TEXT)
    size, lines = _fitted(draw, item.name, width=450, sizes=(34, 30, 26), max_lines=3)
    y = 116
    for line in lines:
        draw.text((270, y), line, font=_font(size), fill=INK_TEXT)
        y += size + 6
    draw.line((80, 268, 720, 268), fill=(0, 0, 0, 40), width=2)
    y = 292
    for name, value in item.parameters:
        if y > 640:
            break
        draw.text((80, y + 3), _clip(draw, name, _font(20), 210), font=_font(20), fill=MUTED_TEXT)
        value_lines = _wrap(draw, value, _font(24), 410, max_lines=2)
        for row, line in enumerate(value_lines):
            draw.text((310, y + 30 * row), line, font=_font(24), fill=INK_TEXT)
        y += 30 * len(value_lines) + 38
    country = Locale("en").territories.get(item.origin, item.origin)
    footer = f"Made in {country}  ·  HS {item.hs_code}  ·  {item.weight_grams} g"
    draw.text((80, 712), _drawable(footer), font=_font(20), fill=MUTED_TEXT)
    return _jpeg(canvas)


def _first_tint(item: DemoProduct) -> str:
    colour = next((v.colour for v in item.variants if v.colour in COLOURS), None)
    return COLOURS[colour] if colour else item.tint


@functools.cache
def _diagonal() -> Image.Image:
    """A mask from black at the top left to white at the bottom right."""
    vertical = Image.linear_gradient("L")
    return ImageChops.add(
        vertical, vertical.transpose(Image.Transpose.TRANSPOSE), scale=2.0
    ).resize((SIZE, SIZE), Image.Resampling.BICUBIC)


@functools.cache
def _glow() -> Image.Image:
    """A soft light disc behind the sketch, so it stands out from the gradient."""
    disc = Image.new("L", (180, 180), 0)
    ImageDraw.Draw(disc).ellipse((30, 30, 150, 150), fill=130)
    return disc.filter(ImageFilter.GaussianBlur(22)).resize((720, 720), Image.Resampling.BICUBIC)


@functools.cache
def _backdrop(colours: tuple[str, str], *, shadow: bool) -> Image.Image:
    """A diagonal gradient with a light patch for the sketch, and its shadow if asked for.

    Shared between calls: copy it before drawing on it.
    """
    top, bottom = (ImageColor.getrgb(c) for c in colours)
    canvas = Image.composite(
        Image.new("RGB", (SIZE, SIZE), bottom), Image.new("RGB", (SIZE, SIZE), top), _diagonal()
    )
    canvas.paste((255, 255, 255), (40, -60), _glow())
    if shadow:
        mask = Image.new("L", (SIZE, SIZE), 0)
        ImageDraw.Draw(mask).ellipse((190, 540, 610, 600), fill=70)
        canvas.paste((40, 40, 50), (0, 0), mask.filter(ImageFilter.GaussianBlur(18)))
    return canvas


def _sketch(
    canvas: Image.Image, drawing: Drawing, tint: str, *, left: int, top: int, size: int
) -> None:
    """Draw the product sketch into the square at (left, top) of `size` pixels."""
    box = (left, top, left + size, top + size)
    # Drawn on an enlarged copy of the background itself: translucent strokes then blend
    # with what is under them, and shrinking it back smooths the edges.
    big = canvas.crop(box).resize((size * SUPERSAMPLE,) * 2, Image.Resampling.NEAREST)
    sketches.draw(big, drawing, unit=size * SUPERSAMPLE / 100, tint=tint)
    canvas.paste(big.reduce(SUPERSAMPLE), box)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
    max_lines: int,
) -> list[str]:
    lines: list[str] = []
    for word in _drawable(text).split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_clip(draw, line, font, width) for line in lines]


def _clip(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
) -> str:
    """The text, shortened with an ellipsis if it is wider than `width`."""
    text = _drawable(text)
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


#: Stand-ins for characters that the built-in font lacks and that do not decompose.
_STAND_INS = str.maketrans({"×": "x", "–": "-", "—": "-", "ß": "ss", "ø": "o", "Ø": "O"})


@functools.cache
def _glyph(char: str) -> bytes:
    """The pixels of `char` in the built-in font."""
    image = Image.new("L", (40, 40), 0)
    ImageDraw.Draw(image).text((4, 4), char, font=_font(20), fill=255)
    return image.tobytes()


def _has_glyph(char: str) -> bool:
    # A character the font lacks is drawn as the same "missing glyph" box as any other.
    return char.isspace() or _glyph(char) != _glyph("\U000f0000")


def _drawable(text: str) -> str:
    """The text with each character the built-in font cannot draw (it is mostly ASCII)
    replaced by a plain one: "220 g/m²" becomes "220 g/m2", "crêpe" "crepe"."""
    return "".join(
        char
        if _has_glyph(char)
        else unicodedata.normalize("NFKD", char.translate(_STAND_INS))
        .encode("ascii", "ignore")
        .decode()
        for char in text
    )


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, *, width: int, sizes: Sequence[int], max_lines: int
) -> tuple[int, list[str]]:
    """The largest of `sizes` at which the text fits in `max_lines`, and its lines."""
    for size in sizes:
        lines = _wrap(draw, text, _font(size), width, max_lines=99)
        if len(lines) <= max_lines:
            return size, lines
    return sizes[-1], _wrap(draw, text, _font(sizes[-1]), width, max_lines)


def _jpeg(canvas: Image.Image) -> bytes:
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=86, optimize=True, progressive=True)
    return out.getvalue()
