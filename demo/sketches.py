"""Sketches of kinds of products (shirts, phones, mugs, ...) for the demo pictures.

Each sketch draws in a 100 x 100 grid of units with one colour and its shades.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from PIL import Image, ImageColor, ImageDraw

from demo.data import Drawing

RGB = tuple[int, int, int]
Fill = tuple[int, ...]
Point = tuple[float, float]
INK_TEXT = (38, 40, 46)
MUTED_TEXT = (104, 108, 118)
PAPER = (246, 243, 234)
BLACK = (42, 43, 47)
GOLD = (201, 164, 92)


def draw(image: Image.Image, drawing: Drawing, *, unit: float, tint: str) -> None:
    """Draw the sketch named `drawing` on `image`, `unit` pixels to a grid unit, in `tint`."""
    _SKETCHES[drawing](_Pen(image, unit, tint))


def _mix(a: Sequence[int], b: Sequence[int], share: float) -> RGB:
    """`a` moved `share` of the way towards `b`."""
    return (
        round(a[0] + (b[0] - a[0]) * share),
        round(a[1] + (b[1] - a[1]) * share),
        round(a[2] + (b[2] - a[2]) * share),
    )


class _Pen:
    """Draws on an RGB image in a 100 x 100 grid of units, in one colour (`ink`) and its
    shades; colours with an alpha blend with what is under them."""

    def __init__(self, image: Image.Image, unit: float, tint: str) -> None:
        self.draw = ImageDraw.Draw(image, "RGBA")
        self.unit = unit
        red, green, blue = ImageColor.getrgb(tint)[:3]
        self.ink: RGB = (red, green, blue)
        self.dark = _mix(self.ink, (0, 0, 0), 0.35)
        self.light = _mix(self.ink, (255, 255, 255), 0.4)
        self.edge = max(2, round(unit * 0.8))

    def _xy(self, points: Sequence[Point]) -> list[Point]:
        return [(x * self.unit, y * self.unit) for x, y in points]

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * self.unit, y0 * self.unit, x1 * self.unit, y1 * self.unit)

    def shape(self, points: Sequence[Point], fill: Fill | None = None, edge: bool = True) -> None:
        outline = self.dark if edge else None
        self.draw.polygon(self._xy(points), fill=fill or self.ink, outline=outline, width=self.edge)

    def mirrored(self, half: Sequence[Point], fill: Fill | None = None) -> None:
        """A shape symmetric about x = 50, given as its left half from top to bottom."""
        self.shape([*half, *[(100 - x, y) for x, y in reversed(half)]], fill)

    def box(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        radius: float = 0,
        fill: Fill | None = None,
        edge: bool = True,
        corners: tuple[bool, bool, bool, bool] | None = None,
    ) -> None:
        self.draw.rounded_rectangle(
            self._box(x0, y0, x1, y1),
            radius=radius * self.unit,
            fill=fill or self.ink,
            outline=self.dark if edge else None,
            width=self.edge,
            corners=corners,
        )

    def oval(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: Fill | None = None,
        edge: bool = True,
    ) -> None:
        self.draw.ellipse(
            self._box(x0, y0, x1, y1),
            fill=fill or self.ink,
            outline=self.dark if edge else None,
            width=self.edge,
        )

    def ring(self, x0: float, y0: float, x1: float, y1: float, width: float, fill: Fill) -> None:
        self.draw.ellipse(self._box(x0, y0, x1, y1), outline=fill, width=round(width * self.unit))

    def arc(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        width: float,
        fill: Fill,
        span: Point = (180, 360),
    ) -> None:
        self.draw.arc(
            self._box(x0, y0, x1, y1), span[0], span[1], fill=fill, width=round(width * self.unit)
        )

    def line(self, points: Sequence[Point], width: float = 0.8, fill: Fill | None = None) -> None:
        self.draw.line(
            self._xy(points),
            fill=fill or self.dark,
            width=max(1, round(width * self.unit)),
            joint="curve",
        )


def _top(pen: _Pen, *, long: bool = False, collar: str = "crew", stripes: bool = False) -> None:
    """A shirt, T-shirt, sweater or jacket seen from the front."""
    if collar == "hood":
        pen.oval(33, 1, 67, 26, fill=pen.dark)
    if long:
        half = [(50, 16), (40, 11), (24, 16), (8, 80), (18, 83), (27, 40), (27, 90), (50, 90)]
    else:
        half = [(50, 16), (40, 11), (24, 16), (7, 36), (17, 45), (27, 36), (27, 90), (50, 90)]
    body = (243, 237, 224) if stripes else None
    pen.mirrored(half, fill=body)
    if stripes:
        for y in range(40, 88, 8):
            pen.box(28, y, 72, y + 3.5, fill=pen.ink, edge=False)
    if collar == "shirt":
        pen.oval(40, 8, 60, 16, fill=pen.dark)
        pen.line([(50, 22), (50, 89)], width=0.5)
        for y in (30, 42, 54, 66, 78):
            pen.oval(48.8, y, 51.2, y + 2.4, fill=pen.light)
        for side in (1, -1):
            pen.shape(
                [(50 - side * 10, 9), (50, 22), (50 - side * 8, 27), (50 - side * 13, 15)],
                pen.light,
            )
        pen.box(31, 36, 42, 48, edge=True, fill=pen.ink)
    elif collar == "hood":
        pen.box(41, 9, 59, 18, radius=3, fill=pen.ink)
        pen.line([(50, 12), (50, 89)], width=0.7)
        pen.box(48.5, 20, 51.5, 26, radius=1, fill=pen.light)
        pen.line([(31, 62), (36, 76)], width=0.7)
        pen.line([(69, 62), (64, 76)], width=0.7)
    else:
        pen.oval(40, 8, 60, 19, fill=pen.dark)
    if long and collar == "crew":
        pen.box(28, 84, 72, 89.5, fill=pen.dark, edge=False)
        pen.line([(9, 75), (18.5, 78)], width=2.2)
        pen.line([(91, 75), (81.5, 78)], width=2.2)


def _trousers(pen: _Pen, *, wide: bool = False) -> None:
    if wide:
        pen.mirrored([(50, 8), (30, 8), (16, 94), (45, 94), (50, 40)])
        pen.line([(37, 16), (31, 93)], width=0.5)
        pen.line([(63, 16), (69, 93)], width=0.5)
    else:
        pen.mirrored([(50, 8), (29, 8), (25, 94), (45, 94), (50, 38)])
        pen.box(27, 40, 37, 54, fill=pen.ink)
        pen.line([(28, 43), (36, 43)], width=0.6, fill=pen.light)
    pen.box(29, 8, 71, 15, fill=pen.dark)
    pen.line([(50, 15), (50, 32)], width=0.6)
    pen.line([(32, 15), (37, 26)], width=0.6)
    pen.line([(68, 15), (63, 26)], width=0.6)


def _dress(pen: _Pen) -> None:
    for side in (1, -1):
        pen.shape(
            [(50 - side * 15, 9), (50 - side * 25, 14), (50 - side * 27, 25), (50 - side * 16, 22)],
            pen.light,
        )
    pen.mirrored([(50, 14), (42, 7), (35, 9), (34, 22), (37, 40), (35, 48), (15, 93), (50, 95)])
    pen.shape([(42, 7), (50, 26), (58, 7)], pen.dark)
    pen.line([(58, 8), (40, 42)], width=0.5)
    pen.box(36, 40, 64, 46, fill=pen.dark, edge=False)
    pen.line([(60, 44), (57, 62)], width=1.2)
    pen.line([(61, 44), (66, 60)], width=1.2)
    pen.line([(62, 47), (45, 93)], width=0.5)


def _bodysuit(pen: _Pen) -> None:
    pen.mirrored(
        [
            (50, 14),
            (41, 10),
            (28, 13),
            (15, 27),
            (22, 35),
            (30, 31),
            (30, 70),
            (38, 84),
            (44, 92),
            (50, 92),
        ]
    )
    pen.oval(41, 7, 59, 17, fill=pen.dark)
    pen.oval(40, 46, 56, 58, fill=(122, 98, 80))
    pen.oval(52, 41, 61, 50, fill=(122, 98, 80))
    pen.shape([(60, 44), (65, 46), (60, 48)], fill=(217, 165, 33), edge=False)
    for x in (44, 50, 56):
        pen.oval(x - 1.3, 87, x + 1.3, 89.6, fill=pen.light)


def _phone(pen: _Pen) -> None:
    pen.box(71.5, 24, 73.5, 36, radius=1, fill=pen.dark, edge=False)
    pen.box(28, 4, 72, 96, radius=7)
    pen.box(31, 8, 69, 92, radius=5, fill=(22, 26, 38), edge=False)
    pen.oval(33, 22, 67, 56, fill=(*pen.light, 90), edge=False)
    pen.oval(37, 44, 67, 74, fill=(240, 127, 106, 80), edge=False)
    pen.box(41, 30, 59, 34, radius=1, fill=(255, 255, 255, 210), edge=False)
    for x in (35, 43, 51, 59):
        pen.box(x, 81, x + 6, 87, radius=1.5, fill=(255, 255, 255, 150), edge=False)
    pen.box(31, 8, 69, 92, radius=5, fill=(0, 0, 0, 0))
    pen.oval(48.6, 11, 51.4, 13.8, fill=BLACK, edge=False)


def _case(pen: _Pen) -> None:
    pen.box(28, 4, 72, 96, radius=8)
    pen.box(33, 9, 51, 32, radius=5, fill=pen.dark)
    for y in (12, 22):
        pen.oval(36, y, 44, y + 8, fill=BLACK)
        pen.oval(38, y + 2, 42, y + 6, fill=(70, 90, 130), edge=False)
    pen.oval(46, 14, 49, 17, fill=(250, 240, 200), edge=False)
    pen.ring(42, 46, 58, 62, 1.0, (*pen.light, 200))


def _charger(pen: _Pen) -> None:
    for x in (38, 57):
        pen.box(x, 8, x + 5, 30, radius=1, fill=(201, 204, 209))
    pen.box(24, 26, 76, 86, radius=9)
    pen.shape(
        [(53, 34), (43, 50), (50, 50), (46, 62), (57, 45), (50, 45)], fill=pen.light, edge=False
    )
    for x in (32, 44):
        pen.box(x, 70, x + 8, 74, radius=2, fill=BLACK, edge=False)
    pen.box(56, 68, 68, 75, radius=0.5, fill=BLACK, edge=False)


def _powerbank(pen: _Pen) -> None:
    pen.box(24, 8, 76, 92, radius=11)
    pen.box(43, 8.5, 57, 11.5, radius=1.5, fill=BLACK, edge=False)
    pen.shape(
        [(53, 30), (43, 48), (50, 48), (46, 62), (57, 43), (50, 43)], fill=pen.light, edge=False
    )
    for i, x in enumerate((38, 46, 54, 62)):
        pen.oval(
            x - 1.6, 76, x + 1.6, 79.2, fill=(127, 224, 163) if i < 3 else pen.dark, edge=False
        )


def _headphones(pen: _Pen) -> None:
    pen.arc(18, 6, 82, 76, 6, pen.dark)
    pen.arc(20.5, 8.5, 79.5, 73.5, 1.5, pen.light)
    for x in (17, 78):
        pen.box(x, 36, x + 5, 52, radius=1.5, fill=(201, 204, 209))
    pen.box(27, 50, 35, 80, radius=4, fill=BLACK)
    pen.box(65, 50, 73, 80, radius=4, fill=BLACK)
    for x in (10, 70):
        pen.box(x, 46, x + 20, 84, radius=9)
        pen.oval(x + 6, 61, x + 14, 69, fill=pen.light, edge=False)


def _earbuds(pen: _Pen) -> None:
    pen.box(22, 52, 78, 90, radius=17)
    pen.line([(23, 64), (77, 64)], width=0.6)
    pen.oval(48.5, 78, 51.5, 81, fill=(127, 224, 163), edge=False)
    for side in (1, -1):
        cx = 50 - side * 15
        pen.box(cx - 3.5, 24, cx + 3.5, 48, radius=3.5)
        pen.oval(cx - 9, 10, cx + 9, 28)
        pen.oval(cx + side * 1 - 4, 14, cx + side * 1 + 4, 22, fill=BLACK, edge=False)


def _speaker(pen: _Pen) -> None:
    for x in (22, 70):
        pen.box(x, 78, x + 8, 84, radius=1, fill=BLACK, edge=False)
    pen.box(12, 22, 88, 80, radius=6)
    grille = _mix(pen.ink, (120, 120, 124), 0.7)
    pen.box(17, 27, 83, 75, radius=4, fill=grille, edge=False)
    for x in (22, 52):
        pen.ring(x, 34, x + 26, 60, 0.9, (*_mix(grille, (0, 0, 0), 0.25), 160))
    pen.oval(48, 67, 52, 71, fill=pen.light, edge=False)


def _moka(pen: _Pen) -> None:
    pen.shape([(64, 26), (83, 30), (80, 56), (71, 53), (74, 36), (64, 34)], fill=BLACK)
    pen.shape([(34, 93), (66, 93), (63, 60), (37, 60)])
    pen.box(39, 55, 61, 61, fill=pen.dark)
    pen.shape([(33, 22), (25, 24), (35, 31)])
    pen.shape([(38, 55), (62, 55), (67, 22), (33, 22)])
    pen.line([(43, 55), (41, 23)], width=0.6, fill=pen.light)
    pen.line([(43, 62), (41, 92)], width=0.6, fill=pen.light)
    pen.shape([(33, 22), (67, 22), (62, 15), (38, 15)], fill=pen.light)
    pen.oval(46, 9, 54, 16, fill=BLACK)
    pen.oval(56, 72, 60, 76, fill=pen.light)


def _mug(pen: _Pen) -> None:
    pen.ring(55, 38, 85, 72, 6, pen.dark)
    pen.box(20, 24, 66, 90, radius=7)
    pen.box(
        20.5, 24, 65.5, 42, radius=7, fill=pen.light, edge=False, corners=(True, True, False, False)
    )
    for x0, x1, bottom in ((26, 32, 50), (42, 47, 47), (55, 61, 53)):
        pen.oval(x0, 38, x1, bottom, fill=pen.light, edge=False)
    pen.oval(20, 20, 66, 29, fill=pen.dark)


def _pan(pen: _Pen) -> None:
    pen.shape([(58, 44), (96, 40), (97, 47), (58, 54)], fill=BLACK)
    pen.oval(90.5, 42, 93.5, 45, fill=(230, 230, 230), edge=False)
    pen.oval(4, 18, 66, 80)
    pen.oval(10, 24, 60, 74, fill=_mix(pen.ink, (255, 255, 255), 0.12))
    pen.arc(16, 30, 54, 68, 1.2, (255, 255, 255, 70), span=(200, 260))
    for y in (46, 51):
        pen.oval(61, y - 1.2, 63.4, y + 1.2, fill=(201, 204, 209), edge=False)


def _teapot(pen: _Pen) -> None:
    pen.arc(28, 4, 72, 56, 2.8, BLACK)
    pen.shape([(26, 58), (9, 40), (6, 44), (21, 68)])
    pen.oval(20, 36, 80, 92)
    for y in range(48, 88, 6):
        for x in range(26, 76, 6):
            if ((x - 50) / 27) ** 2 + ((y - 64) / 25) ** 2 < 0.8:
                pen.oval(x - 1.1, y - 1.1, x + 1.1, y + 1.1, fill=(*pen.light, 170), edge=False)
    pen.oval(34, 30, 66, 42, fill=pen.light)
    pen.oval(46, 25, 54, 33, fill=pen.dark)


def _board(pen: _Pen) -> None:
    pen.box(8, 34, 92, 84, radius=4, fill=pen.dark)
    pen.box(8, 28, 92, 78, radius=4)
    shade = (*_mix(pen.ink, (110, 70, 30), 0.3), 255)
    for row, y in enumerate(range(34, 72, 6)):
        for col, x in enumerate(range(14, 86, 6)):
            if (row + col) % 2:
                pen.box(x, y, x + 6, y + 6, fill=shade, edge=False)
    pen.box(11.5, 31.5, 88.5, 74.5, radius=3, fill=(0, 0, 0, 0))


def _dropper(pen: _Pen) -> None:
    pen.box(44, 5, 56, 28, radius=6, fill=BLACK)
    pen.box(40, 26, 60, 35, radius=2, fill=BLACK)
    pen.box(31, 34, 69, 94, radius=9)
    pen.box(35, 40, 39, 88, radius=2, fill=(255, 255, 255, 90), edge=False)
    pen.box(37, 56, 63, 80, radius=2, fill=PAPER, edge=False)
    for y, end in ((63, 58), (69, 54), (74, 56)):
        pen.line([(42, y), (end, y)], width=0.9, fill=MUTED_TEXT)


def _jar(pen: _Pen) -> None:
    pen.box(22, 44, 78, 90, radius=11)
    pen.box(24, 58, 76, 74, fill=PAPER, edge=False)
    pen.line([(32, 66), (68, 66)], width=1.2, fill=(127, 168, 134))
    pen.box(19, 30, 81, 47, radius=4, fill=(217, 212, 199))
    for x in range(24, 78, 4):
        pen.line([(x, 33), (x, 44)], width=0.4, fill=(180, 175, 162))


def _tube(pen: _Pen) -> None:
    pen.box(28, 6, 72, 14, radius=1, fill=pen.light)
    pen.shape([(30, 14), (70, 14), (62, 80), (38, 80)])
    pen.oval(43, 30, 57, 44, fill=(255, 255, 255), edge=False)
    for dx, dy in ((0, -11), (0, 11), (-11, 0), (11, 0), (8, 8), (-8, 8), (8, -8), (-8, -8)):
        pen.line(
            [(50 + dx * 0.75, 37 + dy * 0.75), (50 + dx, 37 + dy)], width=1.2, fill=(255, 255, 255)
        )
    pen.box(40, 52, 60, 56, radius=1, fill=pen.dark, edge=False)
    pen.box(38, 80, 62, 94, radius=3, fill=PAPER)


def _perfume(pen: _Pen) -> None:
    pen.box(38, 6, 62, 28, radius=3, fill=GOLD)
    pen.box(44, 27, 56, 36, fill=_mix(GOLD, (0, 0, 0), 0.3))
    pen.box(22, 34, 78, 94, radius=11, fill=(*pen.light, 235))
    pen.box(27, 50, 73, 89, radius=8, fill=pen.ink, edge=False)
    pen.box(26, 39, 30, 86, radius=2, fill=(255, 255, 255, 110), edge=False)
    pen.box(36, 60, 64, 76, radius=1, fill=PAPER, edge=False)
    pen.line([(41, 68), (59, 68)], width=0.8, fill=MUTED_TEXT)


def _soap(pen: _Pen) -> None:
    pen.shape([(16, 44), (64, 44), (84, 32), (36, 32)], fill=pen.light)
    pen.shape([(64, 44), (84, 32), (84, 74), (64, 86)], fill=pen.dark)
    pen.box(16, 44, 64, 86)
    pen.ring(26, 51, 54, 79, 0.9, _mix(pen.ink, (0, 0, 0), 0.2))
    pen.oval(37, 62, 43, 68, fill=_mix(pen.ink, (0, 0, 0), 0.2), edge=False)


_SKETCHES: dict[str, Callable[[_Pen], None]] = {
    "shirt": functools.partial(_top, long=True, collar="shirt"),
    "sweater": functools.partial(_top, long=True),
    "tshirt": _top,
    "stripes": functools.partial(_top, stripes=True),
    "jacket": functools.partial(_top, long=True, collar="hood"),
    "trousers": _trousers,
    "wide_trousers": functools.partial(_trousers, wide=True),
    "dress": _dress,
    "bodysuit": _bodysuit,
    "phone": _phone,
    "case": _case,
    "charger": _charger,
    "powerbank": _powerbank,
    "headphones": _headphones,
    "earbuds": _earbuds,
    "speaker": _speaker,
    "moka": _moka,
    "mug": _mug,
    "pan": _pan,
    "teapot": _teapot,
    "board": _board,
    "dropper": _dropper,
    "jar": _jar,
    "tube": _tube,
    "perfume": _perfume,
    "soap": _soap,
}
