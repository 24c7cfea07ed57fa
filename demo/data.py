"""What the demo shop is made of: brands, the category tree, and the shape of a product.

Everything here is fictional (no real brand or trademark) but meant to look like a small
cross-border shop: goods from a dozen countries, real HS codes, prices in USD from a $6
bar of soap to a $749 phone. `demo` turns it into rows through the catalog
services. The products themselves are in `demo.products`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: How a product goes on the shelf: now, never (draft), in a week, or now for a few days.
Listing = Literal["live", "draft", "scheduled", "closing"]

#: The picture `demo` draws for a product.
Drawing = Literal[
    "shirt", "sweater", "tshirt", "stripes", "jacket", "trousers", "wide_trousers", "dress",
    "bodysuit", "phone", "case", "charger", "powerbank", "headphones", "earbuds", "speaker",
    "moka", "mug", "pan", "teapot", "board", "dropper", "jar", "tube", "perfume", "soap",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoBrand:
    key: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class DemoText:
    """A name and description in one locale (features too, when given)."""

    name: str
    description: str
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoCategory:
    key: str
    parent: str | None
    text: DemoText
    translations: Mapping[str, DemoText]
    #: Background gradients (top, bottom) for the pictures of its products.
    backdrops: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DemoVariant:
    sku: str
    price: str
    stock: int
    options: tuple[tuple[str, str], ...] = ()
    compare_at: str | None = None

    @property
    def colour(self) -> str | None:
        return dict(self.options).get("colour")


@dataclass(frozen=True, slots=True)
class DemoProduct:
    name: str
    brand: str
    category: str
    drawing: Drawing
    #: Colour of the drawn product when no variant names a colour of `COLOURS`.
    tint: str
    description: str
    parameters: tuple[tuple[str, str], ...]
    features: tuple[str, ...]
    instructions: str
    origin: str
    specification: str
    model: str
    material: str
    product_type: str
    usage: str
    hs_code: str
    weight_grams: int
    variants: tuple[DemoVariant, ...]
    translations: Mapping[str, DemoText] = field(default_factory=dict)
    listing: Listing = "live"
    sales: int = 0
    #: The average star rating its demo reviews aim at (demo/reviews.py).
    rating: float = 0.0
    #: How many demo reviews it gets, at most one per demo reviewer.
    reviews: int = 0


def _v(sku: str, price: str, stock: int, *, was: str | None = None, **options: str) -> DemoVariant:
    """A variant; keyword options keep their order (`size="M", colour="Navy"`)."""
    return DemoVariant(sku, price, stock, tuple(options.items()), was)


def _grid(
    prefix: str,
    price: str,
    stock: tuple[int, ...],
    *,
    colours: tuple[str, ...],
    sizes: tuple[str, ...],
    was: str | None = None,
) -> tuple[DemoVariant, ...]:
    """One variant per colour and size, colours outermost, with `stock` in that order."""
    combos = [(c, s) for c in colours for s in sizes]
    assert len(combos) == len(stock), prefix
    return tuple(
        DemoVariant(
            f"{prefix}-{c.split()[0][:3].upper()}-{s.replace(' ', '')}",
            price,
            units,
            (("size", s), ("colour", c)),
            was,
        )
        for (c, s), units in zip(combos, stock, strict=True)
    )


#: Colour option values and how they are drawn.
COLOURS = {
    "White": "#f2f1ec", "Sky Blue": "#9cc3e6", "Charcoal": "#4a4d52", "Forest Green": "#2f5d46",
    "Black": "#2a2b2f", "Stone": "#b9ad97", "Sand": "#d6bf98", "Clay": "#b5654a",
    "Ivory": "#f1e9d6", "Navy": "#27385c", "Mustard": "#d9a521", "Midnight": "#1f2a44",
    "Glacier": "#cfe3ea", "Coral": "#f07f6a", "Graphite": "#4b4f57", "Sage": "#9fb59a",
    "Walnut": "#6b4a2f", "Oak": "#c49a6c", "Celadon": "#a9c8b4", "Ash": "#9a9893",
    "Indigo": "#34487a", "Oxblood": "#6e2424",
}  # fmt: skip

BRANDS = (
    DemoBrand(
        "alder",
        "Alder & Loom",
        "Shirts, knitwear and dresses made in small runs with family mills in Portugal "
        "and northern Italy.",
    ),
    DemoBrand(
        "hollowpine",
        "Hollowpine",
        "Outdoor clothing from Freiburg, designed for wet weather and meant to be repaired, "
        "not replaced.",
    ),
    DemoBrand(
        "moineau",
        "Petit Moineau",
        "Children's clothing from Nantes: Breton stripes, organic cotton and generous cuts "
        "that grow with the child.",
    ),
    DemoBrand(
        "orbeline",
        "Orbeline",
        "Seoul-based maker of phones and accessories, with five years of software updates "
        "and spare parts for every model.",
    ),
    DemoBrand(
        "kumohane",
        "Kumohane",
        "Audio workshop from Yokohama known for warm, detailed tuning and replaceable ear pads.",
    ),
    DemoBrand(
        "solenne",
        "Casa Solenne",
        "Kitchenware chosen in Italian, Japanese, German and American workshops for a "
        "lifetime of cooking.",
    ),
    DemoBrand(
        "dewfield",
        "Dewfield Botanics",
        "Korean skincare built on green tea, centella and ceramides, without added fragrance.",
    ),
    DemoBrand(
        "liseron",
        "Maison Liseron",
        "Perfumer and soap maker from Grasse working with Provençal lavender, fig and olive oil.",
    ),
)

CATEGORIES = (
    DemoCategory(
        "clothing",
        None,
        DemoText(
            "Clothing",
            "Everyday and seasonal clothing for the whole family, made by independent labels "
            "in Europe and Asia.",
        ),
        {
            "de": DemoText(
                "Bekleidung",
                "Alltags- und Saisonmode für die ganze Familie, gefertigt von unabhängigen "
                "Labels in Europa und Asien.",
            ),
            "fr": DemoText(
                "Vêtements",
                "Des vêtements de tous les jours et de saison pour toute la famille, fabriqués "
                "par des marques indépendantes en Europe et en Asie.",
            ),
            "ja": DemoText(
                "衣料品",
                "ヨーロッパとアジアのインディペンデントブランドが手がける、"
                "家族みんなのための普段着とシーズンウェア。",
            ),
            "zh": DemoText("服装", "来自欧洲和亚洲独立品牌的日常与季节服饰，适合全家人。"),
        },
    ),
    DemoCategory(
        "menswear",
        "clothing",
        DemoText(
            "Menswear",
            "Shirts, knitwear, jackets and trousers cut for work, weekends and the trail.",
        ),
        {
            "de": DemoText(
                "Herrenmode",
                "Hemden, Strick, Jacken und Hosen – geschnitten für Büro, Wochenende und "
                "Wanderweg.",
            ),
            "fr": DemoText(
                "Homme",
                "Chemises, mailles, vestes et pantalons pensés pour le bureau, le week-end et "
                "les sentiers.",
            ),
            "ja": DemoText(
                "メンズ", "仕事にも週末にもアウトドアにも。シャツ、ニット、ジャケット、パンツ。"
            ),
            "zh": DemoText("男装", "衬衫、针织衫、夹克和长裤，适合上班、周末与户外。"),
        },
        (("#e3ebf3", "#a9bfd4"), ("#ece6dc", "#c3b49b"), ("#e0ece6", "#9fbcae")),
    ),
    DemoCategory(
        "womenswear",
        "clothing",
        DemoText(
            "Womenswear",
            "Dresses, blouses, trousers and outerwear in natural fibres, made to be worn "
            "for years.",
        ),
        {
            "de": DemoText(
                "Damenmode",
                "Kleider, Blusen, Hosen und Oberbekleidung aus Naturfasern, gemacht, um "
                "jahrelang getragen zu werden.",
            ),
            "fr": DemoText(
                "Femme",
                "Robes, chemisiers, pantalons et vêtements d'extérieur en fibres naturelles, "
                "conçus pour durer des années.",
            ),
            "ja": DemoText(
                "レディース",
                "天然素材のワンピース、ブラウス、パンツ、アウター。長く愛用できるデザインです。",
            ),
            "zh": DemoText("女装", "天然纤维的连衣裙、衬衫、长裤和外套，经久耐穿。"),
        },
        (("#f6e7e4", "#d9a9a0"), ("#f1ece2", "#cdb99a"), ("#e9e6f2", "#b1a7cf")),
    ),
    DemoCategory(
        "kidswear",
        "clothing",
        DemoText(
            "Kidswear",
            "Soft, durable clothes for babies and children, tested on the playground and in "
            "the washing machine.",
        ),
        {
            "de": DemoText(
                "Kindermode",
                "Weiche, robuste Kleidung für Babys und Kinder – erprobt auf dem Spielplatz und "
                "in der Waschmaschine.",
            ),
            "fr": DemoText(
                "Enfant",
                "Des vêtements doux et résistants pour bébés et enfants, éprouvés à l'aire de "
                "jeux comme en machine.",
            ),
            "ja": DemoText(
                "キッズ",
                "赤ちゃんと子どものための、やわらかく丈夫な服。公園でも洗濯機でもへこたれません。",
            ),
            "zh": DemoText("童装", "柔软耐穿的婴幼儿及儿童服装，经得起游乐场和洗衣机的考验。"),
        },
        (("#fff3d6", "#f3c978"), ("#e2f2f7", "#92cbe0"), ("#fde6e1", "#f2a896")),
    ),
    DemoCategory(
        "electronics",
        None,
        DemoText(
            "Electronics",
            "Phones, chargers and audio gear from makers who publish repair parts and "
            "firmware updates.",
        ),
        {
            "de": DemoText(
                "Elektronik",
                "Smartphones, Ladegeräte und Audiotechnik von Herstellern, die Ersatzteile und "
                "Firmware-Updates anbieten.",
            ),
            "fr": DemoText(
                "Électronique",
                "Smartphones, chargeurs et matériel audio de fabricants qui proposent pièces "
                "détachées et mises à jour.",
            ),
            "ja": DemoText(
                "エレクトロニクス",
                "修理用パーツとファームウェア更新を提供するメーカーの、"
                "スマートフォン、充電器、オーディオ機器。",
            ),
            "zh": DemoText("电子产品", "手机、充电器和音频设备，厂商提供维修配件和固件更新。"),
        },
    ),
    DemoCategory(
        "phones",
        "electronics",
        DemoText("Phones & Accessories", "Smartphones, cases, chargers and power banks."),
        {
            "de": DemoText(
                "Smartphones & Zubehör", "Smartphones, Hüllen, Ladegeräte und Powerbanks."
            ),
            "fr": DemoText(
                "Téléphones et accessoires", "Smartphones, coques, chargeurs et batteries externes."
            ),
            "ja": DemoText(
                "スマートフォン・アクセサリー",
                "スマートフォン、ケース、充電器、モバイルバッテリー。",
            ),
            "zh": DemoText("手机及配件", "智能手机、手机壳、充电器和移动电源。"),
        },
        (("#e4e9f7", "#8f9fd6"), ("#e2f1f4", "#7fb6c4"), ("#ece6f6", "#a18fd0")),
    ),
    DemoCategory(
        "audio",
        "electronics",
        DemoText("Audio", "Headphones, earbuds and speakers tuned for long listening sessions."),
        {
            "de": DemoText(
                "Audio", "Kopfhörer, In-Ears und Lautsprecher, abgestimmt für langes Zuhören."
            ),
            "fr": DemoText(
                "Audio", "Casques, écouteurs et enceintes réglés pour de longues sessions d'écoute."
            ),
            "ja": DemoText(
                "オーディオ",
                "長時間のリスニングに向けてチューニングされたヘッドホン、イヤホン、スピーカー。",
            ),
            "zh": DemoText("音频", "为长时间聆听而调校的头戴式耳机、入耳式耳机和音箱。"),
        },
        (("#f1e6f0", "#c48fb9"), ("#e3eef0", "#86aeb8"), ("#f4ebe0", "#d3a77a")),
    ),
    DemoCategory(
        "home",
        None,
        DemoText(
            "Home & Kitchen", "Cookware, tableware and kitchen tools that get better with use."
        ),
        {
            "de": DemoText(
                "Haus & Küche",
                "Kochgeschirr, Geschirr und Küchenhelfer, die mit jedem Gebrauch besser werden.",
            ),
            "fr": DemoText(
                "Maison et cuisine",
                "Ustensiles de cuisine, vaisselle et outils qui se bonifient à l'usage.",
            ),
            "ja": DemoText(
                "ホーム・キッチン", "使うほどに味わいが増す調理器具、食器、キッチンツール。"
            ),
            "zh": DemoText("家居厨房", "越用越顺手的炊具、餐具和厨房用品。"),
        },
        (("#f5ecdf", "#d8b88c"), ("#e7efe3", "#a8c29a"), ("#f3e4dc", "#d49a80")),
    ),
    DemoCategory(
        "beauty",
        None,
        DemoText("Beauty", "Skincare, fragrance and soap with short ingredient lists."),
        {
            "de": DemoText("Beauty", "Hautpflege, Düfte und Seifen mit kurzen Inhaltsstofflisten."),
            "fr": DemoText("Beauté", "Soins, parfums et savons aux listes d'ingrédients courtes."),
            "ja": DemoText("ビューティー", "シンプルな処方のスキンケア、フレグランス、石けん。"),
            "zh": DemoText("美妆个护", "成分简单的护肤品、香水和香皂。"),
        },
        (("#e6f3ec", "#9fd0b6"), ("#f8e9ee", "#e3a7bb"), ("#f3efe1", "#d6c58e")),
    ),
)
