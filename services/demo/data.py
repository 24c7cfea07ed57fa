"""What the demo shop sells: brands, the category tree and products with their translations.

Everything here is fictional (no real brand or trademark) but meant to look like a small
cross-border shop: goods from a dozen countries, real HS codes, prices in USD from a $6
bar of soap to a $749 phone. `services.demo` turns it into rows through the catalog
services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: How a product goes on the shelf: now, never (draft), in a week, or now for a few days.
Listing = Literal["live", "draft", "scheduled", "closing"]

#: The picture `services.demo` draws for a product.
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
    rating: float = 0.0
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

PRODUCTS = (
    # --- Menswear ---
    DemoProduct(
        name="Oxford Button-Down Shirt",
        brand="alder",
        category="menswear",
        drawing="shirt",
        tint="#f2f1ec",
        description=(
            "A soft, breathable oxford shirt with a button-down collar that keeps its shape "
            "under a jumper or on its own. The two-ply cotton is woven in Biella and "
            "garment-washed for a lived-in feel from the first wear.\n\n"
            "Cut slim through the body, with a curved hem you can wear tucked or untucked."
        ),
        parameters=(
            ("Fabric", "100% two-ply cotton oxford"),
            ("Fabric weight", "140 g/m²"),
            ("Fit", "Slim"),
            ("Collar", "Button-down"),
            ("Buttons", "Mother-of-pearl"),
        ),
        features=(
            "Garment-washed for softness",
            "Back box pleat and locker loop",
            "Reinforced side gussets",
            "Spare button sewn inside",
        ),
        instructions=(
            "Machine wash at 40 °C with similar colours. Hang to dry and iron on medium heat "
            "while slightly damp."
        ),
        origin="IT",
        specification="Two-ply cotton oxford, 140 g/m², slim fit",
        model="AL-OX01",
        material="Cotton",
        product_type="shirt",
        usage="office",
        hs_code="620520",
        weight_grams=290,
        variants=_grid(
            "AL-OX01", "69.00", (14, 9, 0, 6), colours=("White", "Sky Blue"), sizes=("M", "L")
        ),
        translations={
            "de": DemoText(
                "Oxford-Hemd mit Button-down-Kragen",
                "Ein weiches, atmungsaktives Oxford-Hemd mit Button-down-Kragen, der unter dem "
                "Pullover wie allein seine Form behält. Die zweifädige Baumwolle wird in Biella "
                "gewebt und stückgewaschen – für ein angenehm getragenes Gefühl vom ersten Tag an.",
            ),
            "fr": DemoText(
                "Chemise Oxford à col boutonné",
                "Une chemise Oxford douce et respirante, au col boutonné qui garde sa tenue sous "
                "un pull comme seul. Le coton retors est tissé à Biella puis lavé après "
                "confection pour un toucher patiné dès le premier jour.",
            ),
        },
        sales=450,
        rating=4.5,
        reviews=86,
    ),
    DemoProduct(
        name="Merino Crew Sweater",
        brand="alder",
        category="menswear",
        drawing="sweater",
        tint="#4a4d52",
        description=(
            "A fine-gauge crew neck knitted from extra-fine 18.5-micron merino that regulates "
            "warmth from autumn through spring. Fully fashioned seams and ribbed cuffs keep it "
            "neat after years of wear.\n\n"
            "Knitted and hand-linked in a family mill outside Porto."
        ),
        parameters=(
            ("Yarn", "100% extra-fine merino wool"),
            ("Fibre diameter", "18.5 micron"),
            ("Gauge", "14"),
            ("Fit", "Regular"),
        ),
        features=(
            "Temperature-regulating merino",
            "Fully fashioned shoulders",
            "Hand-linked collar",
            "Naturally odour-resistant",
        ),
        instructions=(
            "Hand wash cold or use the wool cycle. Dry flat in shape; never tumble dry. "
            "Store folded."
        ),
        origin="PT",
        specification="Extra-fine merino, 14 gauge, regular fit",
        model="AL-KN07",
        material="Merino wool",
        product_type="sweater",
        usage="casual",
        hs_code="611011",
        weight_grams=340,
        variants=_grid(
            "AL-KN07",
            "119.00",
            (8, 12, 3),
            colours=("Charcoal",),
            sizes=("M", "L", "XL"),
            was="149.00",
        ),
        translations={
            "de": DemoText(
                "Merino-Pullover mit Rundhals",
                "Ein feinmaschiger Rundhalspullover aus extrafeiner 18,5-Mikron-Merinowolle, die "
                "vom Herbst bis zum Frühling die Wärme reguliert. Formgestrickte Nähte und "
                "gerippte Bündchen sorgen dafür, dass er auch nach Jahren gepflegt aussieht.",
            ),
            "ja": DemoText(
                "メリノウール クルーネックセーター",
                "18.5マイクロンのエクストラファインメリノを使った、ハイゲージのクルーネック。"
                "秋から春まで体温を心地よく調整します。成型編みとリブ袖口で、"
                "何年着ても型崩れしにくい一着です。",
            ),
        },
        sales=310,
        rating=4.7,
        reviews=58,
    ),
    DemoProduct(
        name="Ridgeline Rain Jacket",
        brand="hollowpine",
        category="menswear",
        drawing="jacket",
        tint="#2f5d46",
        description=(
            "A three-layer waterproof shell for all-day rain on exposed ridges. The recycled "
            "nylon face fabric is bonded to a PFC-free membrane rated to 20,000 mm, and pit "
            "zips dump heat on the climb.\n\n"
            "The helmet-compatible hood adjusts with one hand and rolls into the collar when "
            "the sun comes out."
        ),
        parameters=(
            ("Waterproofing", "20,000 mm"),
            ("Breathability", "15,000 g/m²/24 h"),
            ("Membrane", "PFC-free polyurethane"),
            ("Seams", "Fully taped"),
        ),
        features=(
            "Recycled nylon face fabric",
            "Underarm ventilation zips",
            "Helmet-compatible adjustable hood",
            "Packs into its own chest pocket",
        ),
        instructions=(
            "Close all zips and wash at 30 °C with a technical cleaner, without fabric "
            "softener. Tumble dry on low to reactivate the water-repellent finish."
        ),
        origin="VN",
        specification="3-layer shell, 20k mm / 15k g, PFC-free",
        model="HP-RJ3",
        material="Recycled nylon",
        product_type="jacket",
        usage="outdoor",
        hs_code="620140",
        weight_grams=420,
        variants=_grid(
            "HP-RJ3", "189.00", (5, 0, 2), colours=("Forest Green",), sizes=("M", "L", "XL")
        ),
        translations={
            "de": DemoText(
                "Ridgeline Regenjacke",
                "Eine dreilagige, wasserdichte Hardshell für Dauerregen auf ausgesetzten Graten. "
                "Das Obermaterial aus recyceltem Nylon ist mit einer PFC-freien Membran "
                "(20.000 mm Wassersäule) laminiert; Achselreißverschlüsse lassen beim Aufstieg "
                "Wärme entweichen.",
            ),
            "fr": DemoText(
                "Veste de pluie Ridgeline",
                "Une veste imperméable trois couches pour les journées de pluie sur les crêtes "
                "exposées. Le nylon recyclé est contrecollé à une membrane sans PFC (20 000 mm) "
                "et des zips d'aération sous les bras évacuent la chaleur en montée.",
            ),
        },
        sales=140,
        rating=4.4,
        reviews=37,
    ),
    DemoProduct(
        name="Organic Cotton Crew T-Shirt",
        brand="alder",
        category="menswear",
        drawing="tshirt",
        tint="#2a2b2f",
        description=(
            "The T-shirt we wear most: a mid-weight organic cotton jersey that drapes well, "
            "keeps its colour and does not twist after washing.\n\n"
            "Spun, knitted and sewn within 50 km of Barcelos, Portugal, from certified "
            "organic cotton."
        ),
        parameters=(
            ("Fabric", "100% organic cotton jersey"),
            ("Fabric weight", "180 g/m²"),
            ("Fit", "Regular"),
            ("Certification", "GOTS organic"),
        ),
        features=(
            "Pre-shrunk",
            "Taped shoulder seams",
            "Ribbed collar that keeps its shape",
            "Made within 50 km",
        ),
        instructions="Machine wash at 30 °C inside out. Line dry; use a cool iron if needed.",
        origin="PT",
        specification="Organic cotton jersey, 180 g/m², regular fit",
        model="AL-TS01",
        material="Organic cotton",
        product_type="t-shirt",
        usage="casual",
        hs_code="610910",
        weight_grams=180,
        variants=_grid(
            "AL-TS01", "24.00", (22, 30, 18, 0), colours=("Black", "White"), sizes=("M", "L")
        ),
        translations={
            "de": DemoText(
                "Rundhals-T-Shirt aus Bio-Baumwolle",
                "Das T-Shirt, das wir selbst am häufigsten tragen: mittelschwerer Jersey aus "
                "Bio-Baumwolle, der schön fällt, farbecht bleibt und sich nach dem Waschen nicht "
                "verzieht.",
                (
                    "Vorgewaschen",
                    "Schulternähte mit Nahtband",
                    "Formbeständiger Rippkragen",
                    "Hergestellt im Umkreis von 50 km",
                ),
            ),
            "zh": DemoText(
                "有机棉圆领T恤",
                "我们自己最常穿的一件T恤：中等克重的有机棉平纹针织面料，垂坠感好、不易褪色，"
                "洗后不扭曲。在葡萄牙巴塞卢什方圆50公里内完成纺纱、织造和缝制。",
                ("预缩处理", "肩缝加固牵条", "罗纹领口不易变形", "50公里内完成制作"),
            ),
        },
        sales=1840,
        rating=4.6,
        reviews=312,
    ),
    DemoProduct(
        name="Stretch Hiking Trousers",
        brand="hollowpine",
        category="menswear",
        drawing="trousers",
        tint="#b9ad97",
        description=(
            "Light, four-way-stretch trousers for long days on foot. The tightly woven fabric "
            "sheds showers and dries quickly, and the articulated knees follow every scramble.\n\n"
            "A zipped thigh pocket keeps your phone safe when you sit on a rock for lunch."
        ),
        parameters=(
            ("Fabric", "88% recycled polyamide, 12% elastane"),
            ("Fabric weight", "160 g/m²"),
            ("Inside leg", "81 cm (size M)"),
            ("Sun protection", "UPF 50+"),
        ),
        features=(
            "Four-way stretch",
            "Articulated knees",
            "Zipped thigh pocket",
            "Adjustable ankle cuffs",
        ),
        instructions="Machine wash at 30 °C without fabric softener. Line dry.",
        origin="VN",
        specification="Recycled polyamide stretch weave, UPF 50+",
        model="HP-TR2",
        material="Recycled polyamide",
        product_type="trousers",
        usage="outdoor",
        hs_code="620343",
        weight_grams=390,
        variants=_grid("HP-TR2", "89.00", (7, 4, 0), colours=("Stone",), sizes=("M", "L", "XL")),
        sales=120,
        rating=4.3,
        reviews=19,
    ),
    # --- Womenswear ---
    DemoProduct(
        name="Linen Wrap Dress",
        brand="alder",
        category="womenswear",
        drawing="dress",
        tint="#d6bf98",
        description=(
            "A midi wrap dress in washed European linen that stays cool on the hottest days. "
            "The tie at the waist makes the fit adjustable, and flutter sleeves give it an "
            "easy, relaxed line.\n\n"
            "The flax is grown in Normandy, then woven in Portugal and stonewashed for softness."
        ),
        parameters=(
            ("Fabric", "100% European linen"),
            ("Fabric weight", "185 g/m²"),
            ("Length", "Midi, 118 cm (size S)"),
            ("Fit", "Adjustable wrap"),
        ),
        features=(
            "Stonewashed for softness",
            "Side-seam pockets",
            "Adjustable wrap tie",
            "Flutter sleeves",
        ),
        instructions=(
            "Machine wash at 40 °C on a gentle cycle. Shake out and line dry; linen looks best "
            "with a few creases."
        ),
        origin="PT",
        specification="Washed linen, 185 g/m², midi length",
        model="AL-DR04",
        material="Linen",
        product_type="dress",
        usage="casual",
        hs_code="620449",
        weight_grams=360,
        variants=_grid(
            "AL-DR04", "139.00", (3, 6, 9, 2), colours=("Sand",), sizes=("XS", "S", "M", "L")
        ),
        translations={
            "de": DemoText(
                "Wickelkleid aus Leinen",
                "Ein Midi-Wickelkleid aus gewaschenem europäischem Leinen, das auch an den "
                "heißesten Tagen kühl bleibt. Die Bindung an der Taille macht die Passform "
                "verstellbar, die Flatterärmel sorgen für eine leichte, lässige Linie.",
            ),
            "fr": DemoText(
                "Robe portefeuille en lin",
                "Une robe portefeuille mi-longue en lin européen lavé, qui reste fraîche les "
                "jours de grande chaleur. Le lien à la taille permet d'ajuster la coupe et les "
                "manches volantées lui donnent une allure légère et décontractée.",
            ),
        },
        sales=260,
        rating=4.8,
        reviews=44,
    ),
    DemoProduct(
        name="Packable Down Jacket",
        brand="hollowpine",
        category="womenswear",
        drawing="jacket",
        tint="#2a2b2f",
        description=(
            "A featherlight jacket filled with responsibly sourced 700-fill-power down that "
            "packs into its own pocket for flights and weekend trips. The ripstop shell shrugs "
            "off light drizzle, and stitched-through baffles keep the down where it belongs.\n\n"
            "End-of-season sale: available for a few more days only."
        ),
        parameters=(
            ("Fill", "90/10 duck down, responsibly sourced"),
            ("Fill power", "700 cuin"),
            ("Shell", "20D recycled ripstop nylon"),
            ("Packed size", "24 × 14 cm"),
        ),
        features=(
            "Packs into its own pocket",
            "Traceable, responsibly sourced down",
            "Water-repellent shell",
            "Two-way front zip",
        ),
        instructions=(
            "Wash at 30 °C on a delicate cycle with a down detergent. Tumble dry on low with "
            "two clean tennis balls until completely dry."
        ),
        origin="CN",
        specification="700 fill power down, 20D ripstop shell",
        model="HP-DJ7W",
        material="Recycled nylon, duck down",
        product_type="jacket",
        usage="travel",
        hs_code="620240",
        weight_grams=310,
        variants=_grid(
            "HP-DJ7W",
            "229.00",
            (4, 6, 0, 3),
            colours=("Black", "Clay"),
            sizes=("S", "M"),
            was="279.00",
        ),
        translations={
            "de": DemoText(
                "Packbare Daunenjacke",
                "Eine federleichte Jacke mit verantwortungsvoll gewonnener Daune (700 cuin), "
                "die sich für Flüge und Wochenendtrips in die eigene Tasche packen lässt. Die "
                "Ripstop-Hülle hält leichtem Nieselregen stand.",
            ),
            "zh": DemoText(
                "可收纳轻量羽绒服",
                "填充700蓬松度、负责任来源羽绒的轻盈夹克，可收进自带口袋，适合乘机和周末出行。"
                "防撕裂面料能抵御小雨，绗缝结构让羽绒分布均匀。",
            ),
        },
        listing="closing",
        sales=190,
        rating=4.5,
        reviews=41,
    ),
    DemoProduct(
        name="Silk Blouse",
        brand="alder",
        category="womenswear",
        drawing="shirt",
        tint="#f1e9d6",
        description=(
            "A fluid blouse in sand-washed mulberry silk with a soft matte finish. Covered "
            "buttons and a relaxed collar make it polished enough for the office and easy "
            "enough for dinner.\n\n"
            "Dyed, cut and sewn in Como."
        ),
        parameters=(
            ("Fabric", "100% mulberry silk crêpe de Chine"),
            ("Weight", "16 momme"),
            ("Fit", "Relaxed"),
            ("Buttons", "Fabric-covered"),
        ),
        features=(
            "Sand-washed matte finish",
            "Covered button placket",
            "French seams throughout",
            "Two-button cuffs",
        ),
        instructions=(
            "Hand wash cold with a silk detergent, or dry clean. Roll in a towel to remove "
            "water and iron on the reverse at low heat."
        ),
        origin="IT",
        specification="16 momme mulberry silk, relaxed fit",
        model="AL-BL02",
        material="Silk",
        product_type="shirt",
        usage="office",
        hs_code="620610",
        weight_grams=150,
        variants=(
            _v("AL-BL02-IVO-S", "159.00", 5, size="S", colour="Ivory"),
            _v("AL-BL02-IVO-M", "159.00", 4, size="M", colour="Ivory"),
            _v("AL-BL02-NAV-M", "159.00", 2, size="M", colour="Navy"),
        ),
        translations={
            "de": DemoText(
                "Seidenbluse",
                "Eine fließende Bluse aus sandgewaschener Maulbeerseide mit sanft mattem Glanz. "
                "Bezogene Knöpfe und ein lockerer Kragen machen sie bürotauglich und zugleich "
                "entspannt genug fürs Abendessen.",
            ),
            "fr": DemoText(
                "Chemisier en soie",
                "Un chemisier fluide en soie de mûrier délavée au sable, au fini mat et doux. "
                "Les boutons recouverts et le col souple le rendent assez soigné pour le bureau "
                "et assez décontracté pour un dîner.",
            ),
            "ja": DemoText(
                "シルクブラウス",
                "サンドウォッシュ加工を施したマルベリーシルクの、なめらかなブラウス。"
                "くるみボタンとやわらかな襟で、オフィスにもディナーにもなじみます。",
            ),
        },
        sales=75,
        rating=4.6,
        reviews=12,
    ),
    DemoProduct(
        name="Wide-Leg Wool Trousers",
        brand="alder",
        category="womenswear",
        drawing="wide_trousers",
        tint="#4a4d52",
        description=(
            "High-waisted wide-leg trousers in a fluid wool twill that moves beautifully and "
            "resists creasing at the desk. A hidden hook-and-bar closure and a pressed front "
            "crease keep the line clean.\n\n"
            "Woven in Biella from traceable wool."
        ),
        parameters=(
            ("Fabric", "100% wool twill"),
            ("Fabric weight", "250 g/m²"),
            ("Rise", "High"),
            ("Leg", "Wide, full length"),
        ),
        features=(
            "Crease-resistant wool twill",
            "Pressed front crease",
            "Side pockets and welted back pocket",
            "Half lining",
        ),
        instructions=(
            "Dry clean or hand wash cold. Hang on a clip hanger and steam to refresh between wears."
        ),
        origin="IT",
        specification="Wool twill, 250 g/m², high rise, wide leg",
        model="AL-TR05",
        material="Wool",
        product_type="trousers",
        usage="office",
        hs_code="620461",
        weight_grams=480,
        variants=_grid(
            "AL-TR05",
            "149.00",
            (2, 5, 0),
            colours=("Charcoal",),
            sizes=("EU 36", "EU 38", "EU 40"),
        ),
        translations={
            "de": DemoText(
                "Weite Hose aus Wolle",
                "Eine hoch geschnittene, weite Hose aus fließendem Woll-Twill, der sich schön "
                "bewegt und am Schreibtisch kaum knittert. Verdeckter Hakenverschluss und "
                "Bügelfalte sorgen für eine klare Linie.",
            ),
        },
    ),
    # --- Kidswear ---
    DemoProduct(
        name="Breton Striped Top",
        brand="moineau",
        category="kidswear",
        drawing="stripes",
        tint="#27385c",
        description=(
            "The classic sailor stripe, sized for children. A thick, tightly knitted cotton "
            "that survives the playground, with buttons on the shoulder so it slips easily "
            "over little heads.\n\n"
            "Knitted and sewn in Brittany."
        ),
        parameters=(
            ("Fabric", "100% organic cotton interlock"),
            ("Fabric weight", "220 g/m²"),
            ("Stripes", "Yarn-dyed navy on ecru"),
            ("Neck", "Boat neck with shoulder buttons"),
        ),
        features=(
            "Yarn-dyed stripes that do not fade",
            "Shoulder button opening",
            "Long cut with room to grow",
            "Tested for harmful substances",
        ),
        instructions="Machine wash at 40 °C. Tumble dry on low or line dry.",
        origin="FR",
        specification="Organic cotton interlock, yarn-dyed stripes",
        model="PM-MAR1",
        material="Organic cotton",
        product_type="t-shirt",
        usage="casual",
        hs_code="610910",
        weight_grams=150,
        variants=(
            _v("PM-MAR1-2Y", "29.00", 10, size="2 years"),
            _v("PM-MAR1-4Y", "29.00", 14, size="4 years"),
            _v("PM-MAR1-6Y", "29.00", 0, size="6 years"),
            _v("PM-MAR1-8Y", "32.00", 7, size="8 years"),
        ),
        translations={
            "de": DemoText(
                "Gestreiftes Bretonen-Shirt",
                "Der klassische Matrosenstreifen in Kindergröße. Ein dicker, dicht gestrickter "
                "Baumwollstoff, der den Spielplatz übersteht, mit Knöpfen an der Schulter, damit "
                "das Shirt leicht über kleine Köpfe passt.",
            ),
            "fr": DemoText(
                "Marinière rayée enfant",
                "La rayure marine classique, à la taille des enfants. Un coton épais et serré "
                "qui résiste à la cour de récré, avec des boutons à l'épaule pour l'enfiler "
                "facilement. Tricotée et cousue en Bretagne.",
            ),
        },
        sales=380,
        rating=4.9,
        reviews=97,
    ),
    DemoProduct(
        name="Organic Baby Bodysuits, Set of 3",
        brand="moineau",
        category="kidswear",
        drawing="bodysuit",
        tint="#efe3cf",
        description=(
            "Three short-sleeved bodysuits in soft organic rib: one ecru, one with a sparrow "
            "print and one with fine stripes. Envelope shoulders and nickel-free press studs "
            "make changing quick, even half asleep."
        ),
        parameters=(
            ("Fabric", "100% organic cotton rib"),
            ("Contents", "3 bodysuits"),
            ("Fastening", "Nickel-free press studs"),
            ("Certification", "GOTS organic"),
        ),
        features=(
            "Envelope neckline",
            "Nickel-free press studs",
            "Printed with water-based inks",
            "Gentle on sensitive skin",
        ),
        instructions="Machine wash at 60 °C. Tumble dry on low. Do not iron the print.",
        origin="PT",
        specification="Organic cotton rib, pack of 3",
        model="PM-BB3",
        material="Organic cotton",
        product_type="bodysuit",
        usage="casual",
        hs_code="611120",
        weight_grams=210,
        variants=(
            _v("PM-BB3-0M", "34.00", 20, size="0–3 months"),
            _v("PM-BB3-3M", "34.00", 15, size="3–6 months"),
            _v("PM-BB3-6M", "34.00", 12, size="6–12 months"),
        ),
        translations={
            "de": DemoText(
                "Bio-Baby-Bodys, 3er-Set",
                "Drei kurzärmelige Bodys aus weichem Bio-Rippstrick: einer in Ecru, einer mit "
                "Spatzen-Print, einer fein gestreift. Amerikanerausschnitt und nickelfreie "
                "Druckknöpfe machen das Wickeln schnell – auch im Halbschlaf.",
            ),
            "fr": DemoText(
                "Lot de 3 bodies bébé en coton bio",
                "Trois bodies à manches courtes en côtes de coton bio : un écru, un imprimé "
                "moineaux, un à fines rayures. Les épaules américaines et les pressions sans "
                "nickel rendent le change rapide, même à moitié endormi.",
            ),
        },
        sales=620,
        rating=4.8,
        reviews=150,
    ),
    DemoProduct(
        name="Kids' Puddle Jacket",
        brand="moineau",
        category="kidswear",
        drawing="jacket",
        tint="#d9a521",
        description=(
            "A fully waterproof, fleece-lined jacket for puddle days. Reflective piping keeps "
            "children visible on dark school mornings, and the hood comes off safely on press "
            "studs.\n\n"
            "Sold out this season; new stock arrives in autumn."
        ),
        parameters=(
            ("Waterproofing", "10,000 mm"),
            ("Lining", "Recycled polyester fleece"),
            ("Seams", "Taped"),
            ("Visibility", "360° reflective piping"),
        ),
        features=(
            "Detachable safety hood",
            "Reflective piping",
            "Name label inside",
            "Elasticated cuffs",
        ),
        instructions="Machine wash at 30 °C. Do not tumble dry.",
        origin="CN",
        specification="Waterproof 10k mm shell, fleece lined",
        model="PM-PJ2",
        material="Recycled polyester",
        product_type="jacket",
        usage="outdoor",
        hs_code="620240",
        weight_grams=330,
        variants=_grid(
            "PM-PJ2",
            "49.00",
            (0, 0, 0),
            colours=("Mustard",),
            sizes=("4 years", "6 years", "8 years"),
            was="59.00",
        ),
        translations={
            "de": DemoText(
                "Matschjacke für Kinder",
                "Eine komplett wasserdichte, fleecegefütterte Jacke für Pfützentage. "
                "Reflektierende Paspeln machen Kinder an dunklen Schulmorgen sichtbar, und die "
                "Kapuze löst sich zur Sicherheit über Druckknöpfe.",
            ),
            "ja": DemoText(
                "キッズ 防水レインジャケット",
                "水たまりの日のための、完全防水・フリース裏地のジャケット。"
                "リフレクターパイピングで暗い朝の通学路でも目立ち、"
                "フードは安全のためスナップボタンで外れます。",
            ),
        },
        sales=330,
        rating=4.7,
        reviews=64,
    ),
    # --- Phones & Accessories ---
    DemoProduct(
        name="Orbeline Nova 6 Smartphone",
        brand="orbeline",
        category="phones",
        drawing="phone",
        tint="#1f2a44",
        description=(
            "A 6.4-inch flagship with a bright 120 Hz OLED display, a 50-megapixel main camera "
            "with optical stabilisation and a battery that comfortably lasts two days.\n\n"
            "Orbeline promises five years of OS and security updates, and the battery and "
            "screen can be replaced with standard tools."
        ),
        parameters=(
            ("Display", '6.4" OLED, 120 Hz'),
            ("Processor", "Octa-core, 4 nm"),
            ("Main camera", "50 MP with OIS"),
            ("Battery", "4,800 mAh"),
            ("Charging", "45 W wired, 15 W wireless"),
            ("Water resistance", "IP68"),
        ),
        features=(
            "Five years of OS and security updates",
            "Replaceable battery and screen",
            "Dual SIM with eSIM",
            "Wi-Fi 7 and Bluetooth 5.4",
        ),
        instructions=(
            "Charge with a USB-C PD charger of up to 45 W. Keep the software up to date under "
            "Settings > System > Updates. Do not use the phone if the battery is swollen or "
            "damaged."
        ),
        origin="KR",
        specification='6.4" OLED 120 Hz, 50 MP OIS, 4,800 mAh, IP68',
        model="ORB-N6",
        material="Aluminium frame, toughened glass",
        product_type="smartphone",
        usage="everyday",
        hs_code="851713",
        weight_grams=188,
        variants=(
            _v("ORB-N6-128-MID", "649.00", 12, storage="128 GB", colour="Midnight"),
            _v("ORB-N6-256-MID", "749.00", 6, storage="256 GB", colour="Midnight"),
            _v("ORB-N6-128-GLA", "649.00", 0, storage="128 GB", colour="Glacier"),
            _v("ORB-N6-256-GLA", "749.00", 4, storage="256 GB", colour="Glacier"),
        ),
        translations={
            "de": DemoText(
                "Orbeline Nova 6 Smartphone",
                "Ein 6,4-Zoll-Flaggschiff mit hellem 120-Hz-OLED-Display, 50-Megapixel-"
                "Hauptkamera mit optischer Bildstabilisierung und einem Akku, der locker zwei "
                "Tage hält. Orbeline garantiert fünf Jahre System- und Sicherheitsupdates; Akku "
                "und Display lassen sich mit Standardwerkzeug tauschen.",
                (
                    "Fünf Jahre System- und Sicherheitsupdates",
                    "Austauschbarer Akku und Bildschirm",
                    "Dual-SIM mit eSIM",
                    "Wi-Fi 7 und Bluetooth 5.4",
                ),
            ),
            "zh": DemoText(
                "Orbeline Nova 6 智能手机",
                "6.4英寸旗舰手机，配备明亮的120Hz OLED屏幕、带光学防抖的5000万像素主摄，"
                "电池轻松续航两天。Orbeline承诺提供五年系统和安全更新，电池和屏幕可用普通工具更换。",
                ("五年系统和安全更新", "电池和屏幕可更换", "双卡及eSIM", "Wi-Fi 7和蓝牙5.4"),
            ),
            "ja": DemoText(
                "Orbeline Nova 6 スマートフォン",
                "明るい120Hz有機ELディスプレイ、光学式手ぶれ補正付き5000万画素メインカメラ、"
                "2日間余裕で持つバッテリーを備えた6.4インチのフラッグシップ。"
                "5年間のOS・セキュリティアップデートを保証し、"
                "バッテリーと画面は一般的な工具で交換できます。",
            ),
        },
        sales=210,
        rating=4.4,
        reviews=128,
    ),
    DemoProduct(
        name="Slimshield Case for Nova 6",
        brand="orbeline",
        category="phones",
        drawing="case",
        tint="#1f2a44",
        description=(
            "A slim case in soft-touch recycled TPU with a raised lip around the camera and "
            "the screen. It absorbs drops from up to 2 metres and works with wireless and "
            "magnetic chargers."
        ),
        parameters=(
            ("Compatibility", "Orbeline Nova 6"),
            ("Material", "70% recycled TPU"),
            ("Drop protection", "2 m"),
            ("Thickness", "1.2 mm"),
        ),
        features=(
            "Raised camera and screen lip",
            "Works with wireless charging",
            "Built-in magnet ring",
            "Lanyard eyelet",
        ),
        instructions="Remove the phone, then wipe the case clean with a damp cloth and mild soap.",
        origin="CN",
        specification="Recycled TPU, 1.2 mm, 2 m drop rated",
        model="ORB-N6-CS",
        material="Recycled TPU",
        product_type="phone case",
        usage="everyday",
        hs_code="392690",
        weight_grams=32,
        variants=(
            _v("ORB-N6-CS-MID", "19.00", 40, colour="Midnight"),
            _v("ORB-N6-CS-GLA", "19.00", 25, colour="Glacier"),
            _v("ORB-N6-CS-COR", "14.00", 3, colour="Coral", was="19.00"),
        ),
        sales=1320,
        rating=4.1,
        reviews=260,
    ),
    DemoProduct(
        name="GaN 65 W Travel Charger",
        brand="orbeline",
        category="phones",
        drawing="charger",
        tint="#f2f1ec",
        description=(
            "A compact three-port charger built on gallium nitride, powerful enough for a "
            "laptop and a phone at the same time.\n\n"
            "Folding prongs and interchangeable plugs for the EU, the UK and the US make it "
            "the only charger you need on a trip."
        ),
        parameters=(
            ("Output", "65 W total"),
            ("Ports", "2 × USB-C, 1 × USB-A"),
            ("Input", "100–240 V AC, 50/60 Hz"),
            ("Plugs", "EU, UK and US included"),
        ),
        features=(
            "Charges a laptop and a phone together",
            "Folding prongs",
            "Interchangeable travel plugs",
            "Over-temperature protection",
        ),
        instructions=(
            "For indoor use. Unplug when not in use and do not cover the charger while it "
            "is charging."
        ),
        origin="CN",
        specification="65 W GaN, 2 × USB-C + 1 × USB-A",
        model="ORB-GC65",
        material="Polycarbonate",
        product_type="charging",
        usage="travel",
        hs_code="850440",
        weight_grams=110,
        variants=(_v("ORB-GC65-WHT", "39.00", 55, colour="White"),),
        translations={
            "de": DemoText(
                "GaN-Reiseladegerät 65 W",
                "Ein kompaktes Ladegerät mit drei Anschlüssen auf Galliumnitrid-Basis, stark "
                "genug für Laptop und Smartphone gleichzeitig. Klappbare Stecker und "
                "Wechseladapter für EU, UK und USA machen es zum einzigen Ladegerät, das Sie "
                "auf Reisen brauchen.",
            ),
            "ja": DemoText(
                "GaN 65W トラベル充電器",
                "窒化ガリウム（GaN）採用の3ポート小型充電器。ノートPCとスマートフォンを"
                "同時に充電できます。折りたたみ式プラグとEU・UK・US用の交換プラグ付きで、"
                "旅行にはこれ一台で十分です。",
            ),
        },
        sales=700,
        rating=4.6,
        reviews=180,
    ),
    DemoProduct(
        name="10,000 mAh Power Bank",
        brand="orbeline",
        category="phones",
        drawing="powerbank",
        tint="#4b4f57",
        description=(
            "A pocket-sized power bank that recharges a phone about twice. It refills itself "
            "in 90 minutes over USB-C and can charge two devices at once."
        ),
        parameters=(
            ("Capacity", "10,000 mAh / 38.5 Wh"),
            ("Output", "20 W USB-C PD"),
            ("Ports", "USB-C in/out, USB-A out"),
            ("Recharge time", "90 minutes"),
        ),
        features=(
            "Allowed in cabin baggage (under 100 Wh)",
            "Pass-through charging",
            "LED charge indicator",
            "Charges two devices at once",
        ),
        instructions=(
            "Carry it in hand luggage only. Store at 30–50 % charge if unused for months, "
            "and keep it away from heat."
        ),
        origin="CN",
        specification="10,000 mAh, 20 W USB-C PD",
        model="ORB-PB10",
        material="Aluminium",
        product_type="charging",
        usage="travel",
        hs_code="850760",
        weight_grams=190,
        variants=(
            _v("ORB-PB10-GRA", "45.00", 0, colour="Graphite"),
            _v("ORB-PB10-SAN", "45.00", 0, colour="Sand"),
        ),
        listing="draft",
    ),
    # --- Audio ---
    DemoProduct(
        name="KH-700 Wireless Noise-Cancelling Headphones",
        brand="kumohane",
        category="audio",
        drawing="headphones",
        tint="#2a2b2f",
        description=(
            "Over-ear headphones with adaptive noise cancelling that quietens jet engines and "
            "open-plan offices without pressure on the ears. 40 mm bio-cellulose drivers are "
            "tuned in Yokohama for a warm, detailed sound.\n\n"
            "The ear pads and the battery are user-replaceable, and the headphones fold flat "
            "into a slim case."
        ),
        parameters=(
            ("Drivers", "40 mm bio-cellulose"),
            ("Battery life", "40 h with noise cancelling"),
            ("Bluetooth", "5.3, multipoint"),
            ("Codecs", "SBC, AAC, LC3"),
            ("Weight", "254 g"),
        ),
        features=(
            "Adaptive noise cancelling",
            "Replaceable ear pads and battery",
            "Multipoint pairing",
            "Wired mode with the included cable",
        ),
        instructions=(
            "Charge fully before first use. Hold the power button for 5 seconds to pair. "
            "Replace the ear pads every 18–24 months for the best seal."
        ),
        origin="JP",
        specification="40 mm drivers, ANC, 40 h battery, Bluetooth 5.3",
        model="KH-700",
        material="Aluminium, protein leather",
        product_type="headphones",
        usage="travel",
        hs_code="851830",
        weight_grams=254,
        variants=(
            _v("KH-700-BLK", "349.00", 18, colour="Black", was="399.00"),
            _v("KH-700-SAN", "349.00", 7, colour="Sand", was="399.00"),
        ),
        translations={
            "de": DemoText(
                "KH-700 Funkkopfhörer mit Noise Cancelling",
                "Over-Ear-Kopfhörer mit adaptiver Geräuschunterdrückung, die Triebwerke und "
                "Großraumbüros leiser macht – ohne Druck auf den Ohren. Die 40-mm-Treiber aus "
                "Biozellulose sind in Yokohama auf einen warmen, detailreichen Klang abgestimmt. "
                "Ohrpolster und Akku lassen sich selbst tauschen.",
            ),
            "fr": DemoText(
                "Casque sans fil à réduction de bruit KH-700",
                "Un casque circum-auriculaire à réduction de bruit adaptative qui atténue "
                "réacteurs et open spaces sans sensation de pression. Les haut-parleurs de "
                "40 mm en biocellulose sont réglés à Yokohama pour un son chaleureux et "
                "détaillé. Coussinets et batterie sont remplaçables.",
            ),
            "ja": DemoText(
                "KH-700 ワイヤレス ノイズキャンセリングヘッドホン",
                "飛行機のエンジン音やオフィスの雑音を、耳への圧迫感なく抑える"
                "アダプティブノイズキャンセリング搭載のオーバーイヤーヘッドホン。"
                "40mmバイオセルロースドライバーは横浜で、温かみのある緻密なサウンドに"
                "チューニングされています。イヤーパッドとバッテリーはご自身で交換できます。",
            ),
        },
        sales=640,
        rating=4.5,
        reviews=210,
    ),
    DemoProduct(
        name="Sora True Wireless Earbuds",
        brand="kumohane",
        category="audio",
        drawing="earbuds",
        tint="#2a2b2f",
        description=(
            "Light, secure-fitting earbuds with IPX5 sweat resistance for runs and gym "
            "sessions. Six hours per charge, 24 with the case, and a transparency mode for "
            "traffic."
        ),
        parameters=(
            ("Battery life", "6 h, plus 18 h from the case"),
            ("Water resistance", "IPX5"),
            ("Bluetooth", "5.3"),
            ("Drivers", "10 mm dynamic"),
        ),
        features=(
            "Three sizes of silicone tips and wings",
            "Transparency mode",
            "Wireless charging case",
            "Find your earbuds in the app",
        ),
        instructions=(
            "Try all tip sizes to find the best seal. Wipe the charging contacts dry after "
            "exercise."
        ),
        origin="CN",
        specification="10 mm drivers, IPX5, 24 h with case",
        model="KH-SR1",
        material="Polycarbonate, silicone",
        product_type="headphones",
        usage="sport",
        hs_code="851830",
        weight_grams=52,
        variants=(
            _v("KH-SR1-BLK", "129.00", 30, colour="Black"),
            _v("KH-SR1-WHT", "129.00", 0, colour="White"),
            _v("KH-SR1-SAG", "109.00", 9, colour="Sage", was="129.00"),
        ),
        translations={
            "de": DemoText(
                "Sora True-Wireless-Ohrhörer",
                "Leichte, sicher sitzende Ohrhörer mit IPX5-Schweißschutz für Laufrunden und das "
                "Fitnessstudio. Sechs Stunden pro Ladung, 24 mit dem Etui, und ein "
                "Transparenzmodus für den Straßenverkehr.",
            ),
            "zh": DemoText(
                "Sora 真无线耳机",
                "轻巧贴合的真无线耳机，IPX5级防汗，适合跑步和健身。单次续航6小时，"
                "配合充电盒可达24小时，并提供通透模式，路上更安全。",
            ),
        },
        sales=910,
        rating=4.2,
        reviews=340,
    ),
    DemoProduct(
        name="Mokuon Bluetooth Speaker",
        brand="kumohane",
        category="audio",
        drawing="speaker",
        tint="#6b4a2f",
        description=(
            "A compact stereo speaker in a wood veneer cabinet, with two full-range drivers "
            "and a passive radiator that fill a room without booming.\n\n"
            "Pair two for a stereo setup, or plug in a turntable through the analogue input."
        ),
        parameters=(
            ("Output", "2 × 15 W"),
            ("Bluetooth", "5.3"),
            ("Inputs", "3.5 mm analogue, USB-C audio"),
            ("Battery", "12 h, or mains powered"),
        ),
        features=(
            "Stereo pairing",
            "Analogue input for a turntable",
            "Real wood veneer cabinet",
            "Runs on battery or mains",
        ),
        instructions=(
            "Keep away from water and direct sunlight. Wipe the wood with a dry cloth and oil "
            "it lightly once a year."
        ),
        origin="VN",
        specification="2 × 15 W, Bluetooth 5.3, wood veneer cabinet",
        model="KH-MK2",
        material="Wood veneer, wool fabric",
        product_type="speaker",
        usage="home",
        hs_code="851822",
        weight_grams=980,
        variants=(
            _v("KH-MK2-WAL", "189.00", 6, colour="Walnut"),
            _v("KH-MK2-OAK", "179.00", 3, colour="Oak"),
        ),
        translations={
            "de": DemoText(
                "Mokuon Bluetooth-Lautsprecher",
                "Ein kompakter Stereolautsprecher im Holzfurniergehäuse mit zwei "
                "Breitbandtreibern und einer Passivmembran, die einen Raum füllen, ohne zu "
                "dröhnen. Zwei Geräte lassen sich zu einem Stereopaar koppeln, ein "
                "Plattenspieler über den Analogeingang anschließen.",
            ),
            "ja": DemoText(
                "Mokuon Bluetoothスピーカー",
                "天然木突板のキャビネットに、2基のフルレンジドライバーとパッシブラジエーターを"
                "搭載したコンパクトなステレオスピーカー。こもらずに部屋を満たします。"
                "2台でステレオ再生、アナログ入力でレコードプレーヤーも接続できます。",
            ),
        },
        sales=95,
        rating=4.7,
        reviews=21,
    ),
    # --- Home & Kitchen ---
    DemoProduct(
        name="Stovetop Espresso Maker",
        brand="solenne",
        category="home",
        drawing="moka",
        tint="#b8bcc2",
        description=(
            "The Italian classic in cast aluminium, with an ergonomic heat-resistant handle "
            "and a safety valve made in Brescia. It brews a rich, concentrated coffee in about "
            "five minutes on gas and electric hobs.\n\n"
            "Replacement gaskets and filters are sold separately, so it can last for decades."
        ),
        parameters=(
            ("Capacity", "3, 6 or 9 cups"),
            ("Material", "Cast aluminium"),
            ("Hobs", "Gas, electric, ceramic"),
            ("Handle", "Heat-resistant nylon"),
        ),
        features=(
            "Safety valve",
            "Replaceable gasket and filter",
            "Octagonal body for even heat",
            "Made in Italy",
        ),
        instructions=(
            "Fill the base with water up to the valve, add ground coffee without pressing it "
            "down and heat gently. Rinse with hot water only; never use detergent or the "
            "dishwasher."
        ),
        origin="IT",
        specification="Cast aluminium moka pot, 3 to 9 cups",
        model="CS-MK",
        material="Aluminium",
        product_type="coffee & tea",
        usage="home",
        hs_code="761510",
        weight_grams=540,
        variants=(
            _v("CS-MK-3", "35.00", 14, capacity="3 cups"),
            _v("CS-MK-6", "42.00", 25, capacity="6 cups"),
            _v("CS-MK-9", "49.00", 0, capacity="9 cups"),
        ),
        translations={
            "de": DemoText(
                "Espressokocher für den Herd",
                "Der italienische Klassiker aus Aluminiumguss, mit ergonomischem, "
                "hitzebeständigem Griff und einem in Brescia gefertigten Sicherheitsventil. Er "
                "brüht in rund fünf Minuten einen kräftigen, konzentrierten Kaffee auf Gas- und "
                "Elektroherden. Dichtungen und Filter gibt es einzeln – so hält er Jahrzehnte.",
                (
                    "Sicherheitsventil",
                    "Austauschbare Dichtung und Filter",
                    "Achteckiger Korpus für gleichmäßige Hitze",
                    "Hergestellt in Italien",
                ),
            ),
            "fr": DemoText(
                "Cafetière italienne",
                "Le classique italien en aluminium coulé, avec une poignée ergonomique "
                "résistante à la chaleur et une soupape de sécurité fabriquée à Brescia. Elle "
                "prépare en cinq minutes environ un café riche et corsé, sur gaz comme sur "
                "plaque électrique. Joints et filtres se vendent à part : elle durera des "
                "décennies.",
            ),
            "it": DemoText(
                "Caffettiera moka",
                "Il classico italiano in alluminio pressofuso, con manico ergonomico resistente "
                "al calore e valvola di sicurezza prodotta a Brescia. Prepara in circa cinque "
                "minuti un caffè ricco e corposo, su gas o piastra elettrica. Guarnizioni e "
                "filtri si acquistano a parte, così dura per decenni.",
            ),
        },
        sales=1220,
        rating=4.8,
        reviews=540,
    ),
    DemoProduct(
        name="Hand-Glazed Stoneware Mug",
        brand="solenne",
        category="home",
        drawing="mug",
        tint="#a9c8b4",
        description=(
            "Thrown on the wheel in a family workshop in Mino, Japan, each mug has a slightly "
            "different flow of glaze. It holds 350 ml, keeps coffee warm for longer thanks to "
            "its thick walls and sits comfortably in both hands."
        ),
        parameters=(
            ("Capacity", "350 ml"),
            ("Height", "9.5 cm"),
            ("Material", "Mino stoneware"),
            ("Dishwasher safe", "Yes"),
        ),
        features=(
            "Every glaze is unique",
            "Thick walls keep drinks warm",
            "Microwave and dishwasher safe",
            "Lead-free glaze",
        ),
        instructions=(
            "Dishwasher and microwave safe. Avoid sudden temperature changes, such as pouring "
            "boiling water into a cold mug."
        ),
        origin="JP",
        specification="350 ml Mino stoneware, lead-free glaze",
        model="CS-MG35",
        material="Stoneware",
        product_type="coffee & tea",
        usage="home",
        hs_code="691200",
        weight_grams=380,
        variants=(
            _v("CS-MG35-CEL", "22.00", 40, colour="Celadon"),
            _v("CS-MG35-ASH", "22.00", 12, colour="Ash"),
            _v("CS-MG35-IND", "24.00", 5, colour="Indigo"),
        ),
        translations={
            "de": DemoText(
                "Handglasierter Steinzeugbecher",
                "Auf der Töpferscheibe in einer Familienwerkstatt im japanischen Mino gedreht – "
                "jeder Becher hat einen etwas anderen Glasurverlauf. Er fasst 350 ml, hält "
                "Kaffee dank der dicken Wände länger warm und liegt angenehm in beiden Händen.",
            ),
            "ja": DemoText(
                "美濃焼 ストーンウェア マグカップ",
                "岐阜県美濃の家族経営の窯元で、ろくろを使って一つずつ成形したマグカップ。"
                "釉薬の流れ方が一点ずつ異なります。容量350ml、厚みのある器がコーヒーの"
                "温かさを保ち、両手にやさしくなじみます。",
            ),
        },
        sales=860,
        rating=4.7,
        reviews=230,
    ),
    DemoProduct(
        name="Carbon Steel Frying Pan",
        brand="solenne",
        category="home",
        drawing="pan",
        tint="#3a3a3d",
        description=(
            "A pan for life: 2.5 mm carbon steel that heats fast, sears like cast iron and "
            "becomes naturally non-stick as its seasoning builds.\n\n"
            "Forged in the Sauerland, with a riveted steel handle that can go into the oven."
        ),
        parameters=(
            ("Diameter", "24 or 28 cm"),
            ("Thickness", "2.5 mm"),
            ("Hobs", "All, including induction"),
            ("Oven safe", "Up to 250 °C"),
        ),
        features=(
            "Induction compatible",
            "Oven safe",
            "Pre-seasoned with beeswax",
            "No chemical coating",
        ),
        instructions=(
            "Before first use, season with a thin layer of oil over high heat. Wash with hot "
            "water and a brush, dry on the hob and wipe with a drop of oil. Not dishwasher safe."
        ),
        origin="DE",
        specification="2.5 mm carbon steel, induction, oven safe to 250 °C",
        model="CS-FP",
        material="Carbon steel",
        product_type="kitchenware",
        usage="home",
        hs_code="732399",
        weight_grams=1650,
        variants=(
            _v("CS-FP-24", "55.00", 8, diameter="24 cm"),
            _v("CS-FP-28", "65.00", 11, diameter="28 cm"),
        ),
        translations={
            "de": DemoText(
                "Bratpfanne aus Karbonstahl",
                "Eine Pfanne fürs Leben: 2,5 mm starker Karbonstahl, der schnell heiß wird, "
                "scharf anbrät wie Gusseisen und mit wachsender Patina von selbst antihaftend "
                "wird. Im Sauerland geschmiedet, mit genietetem Stahlgriff, der auch in den Ofen "
                "darf.",
            ),
            "fr": DemoText(
                "Poêle en acier carbone",
                "Une poêle pour la vie : de l'acier carbone de 2,5 mm qui chauffe vite, saisit "
                "comme la fonte et devient naturellement antiadhésif à mesure qu'il se culotte. "
                "Forgée dans le Sauerland, avec une queue en acier rivetée qui passe au four.",
            ),
        },
        sales=240,
        rating=4.6,
        reviews=75,
    ),
    DemoProduct(
        name="Cast Iron Teapot",
        brand="solenne",
        category="home",
        drawing="teapot",
        tint="#2a2b2f",
        description=(
            "A cast-iron teapot made in Morioka, with an enamelled interior and a removable "
            "stainless-steel infuser. The heavy body keeps tea hot through a second and a "
            "third infusion."
        ),
        parameters=(
            ("Capacity", "0.8 l"),
            ("Interior", "Enamelled"),
            ("Infuser", "Stainless steel, removable"),
            ("Hob use", "No, teapot only"),
        ),
        features=(
            "Hand-cast in Morioka",
            "Enamelled interior",
            "Stainless-steel infuser",
            "Keeps tea hot",
        ),
        instructions=(
            "Do not heat on a hob. Rinse with warm water after use, without detergent, and dry "
            "thoroughly with the lid off."
        ),
        origin="JP",
        specification="0.8 l cast iron, enamelled interior",
        model="CS-TB08",
        material="Cast iron",
        product_type="coffee & tea",
        usage="home",
        hs_code="732392",
        weight_grams=1300,
        variants=(
            _v("CS-TB08-BLK", "129.00", 4, colour="Black"),
            _v("CS-TB08-OXB", "139.00", 0, colour="Oxblood"),
        ),
        translations={
            "de": DemoText(
                "Teekanne aus Gusseisen",
                "Eine Teekanne aus Gusseisen aus Morioka, innen emailliert und mit "
                "herausnehmbarem Edelstahlsieb. Der schwere Korpus hält den Tee auch beim "
                "zweiten und dritten Aufguss heiß.",
            ),
            "ja": DemoText(
                "鋳鉄製 鉄急須",
                "盛岡で鋳造された鋳鉄の急須。内側はホーロー加工、取り外せるステンレス製茶こし付き。"
                "重厚な本体が、二煎目、三煎目までお茶を温かく保ちます。",
            ),
            "zh": DemoText(
                "铸铁茶壶",
                "在日本盛冈铸造的铸铁茶壶，内壁搪瓷处理，配可拆卸不锈钢滤网。"
                "厚重的壶身能让茶汤在第二、第三泡时依然温热。",
            ),
        },
    ),
    DemoProduct(
        name="End-Grain Maple Cutting Board",
        brand="solenne",
        category="home",
        drawing="board",
        tint="#d2a86e",
        description=(
            "An end-grain board in sugar maple from sustainably managed Vermont forests. End "
            "grain is kind to knife edges and closes up after cuts, and a juice groove catches "
            "the drippings from a roast."
        ),
        parameters=(
            ("Sizes", "36 × 25 cm or 45 × 30 cm"),
            ("Thickness", "4 cm"),
            ("Wood", "Sugar maple, end grain"),
            ("Finish", "Food-safe mineral oil and beeswax"),
        ),
        features=(
            "Gentle on knife edges",
            "Juice groove",
            "Non-slip feet",
            "Wood from certified forests",
        ),
        instructions=(
            "Hand wash and dry standing upright. Oil monthly with food-safe mineral oil. Never "
            "soak it or put it in the dishwasher."
        ),
        origin="US",
        specification="End-grain sugar maple, 4 cm thick",
        model="CS-CB",
        material="Maple wood",
        product_type="kitchenware",
        usage="home",
        hs_code="441990",
        weight_grams=2800,
        variants=(
            _v("CS-CB-M", "79.00", 6, size="36 × 25 cm"),
            _v("CS-CB-L", "109.00", 2, size="45 × 30 cm"),
        ),
    ),
    # --- Beauty ---
    DemoProduct(
        name="Green Tea Hydrating Serum",
        brand="dewfield",
        category="beauty",
        drawing="dropper",
        tint="#7fa886",
        description=(
            "A lightweight water-gel serum with 70% Jeju green tea extract and three weights "
            "of hyaluronic acid that hydrates without stickiness.\n\n"
            "Fragrance-free and suitable for sensitive skin."
        ),
        parameters=(
            ("Key ingredients", "Green tea extract 70%, hyaluronic acid, panthenol"),
            ("Skin type", "All, including sensitive"),
            ("Fragrance", "None"),
            ("Texture", "Water gel"),
        ),
        features=(
            "Fragrance-free",
            "Vegan formula",
            "Dermatologically tested",
            "Recyclable glass bottle",
        ),
        instructions=(
            "After cleansing, press 2–3 drops into damp skin morning and evening, then apply "
            "moisturiser. Finish with sunscreen in the morning."
        ),
        origin="KR",
        specification="70% green tea extract, hyaluronic acid, fragrance-free",
        model="DW-GT-SER",
        material="Glass bottle",
        product_type="skincare",
        usage="everyday",
        hs_code="330499",
        weight_grams=90,
        variants=(
            _v("DW-GT-SER-30", "28.00", 50, volume="30 ml"),
            _v("DW-GT-SER-50", "42.00", 20, volume="50 ml"),
        ),
        translations={
            "de": DemoText(
                "Grüntee-Feuchtigkeitsserum",
                "Ein leichtes Wasser-Gel-Serum mit 70 % Grüntee-Extrakt aus Jeju und "
                "Hyaluronsäure in drei Molekülgrößen, das Feuchtigkeit spendet, ohne zu kleben. "
                "Parfümfrei und für empfindliche Haut geeignet.",
            ),
            "zh": DemoText(
                "绿茶保湿精华",
                "轻盈的水凝露精华，含70%济州绿茶提取物和三种分子量的透明质酸，保湿不黏腻。"
                "无香精，敏感肌也适用。",
                ("无香精", "纯素配方", "经皮肤科测试", "可回收玻璃瓶"),
            ),
            "ja": DemoText(
                "グリーンティー 保湿セラム",
                "済州島産緑茶エキス70%と3種類の分子量のヒアルロン酸を配合した、"
                "みずみずしいジェルセラム。べたつかずにうるおいを与えます。無香料で敏感肌にも。",
            ),
        },
        sales=1530,
        rating=4.7,
        reviews=620,
    ),
    DemoProduct(
        name="Ceramide Barrier Cream",
        brand="dewfield",
        category="beauty",
        drawing="jar",
        tint="#f3efe6",
        description=(
            "A rich but quickly absorbed cream with five ceramides, centella asiatica and "
            "squalane that calms dry, tight skin and restores its barrier overnight."
        ),
        parameters=(
            ("Volume", "50 ml"),
            ("Key ingredients", "Five ceramides, centella asiatica, squalane"),
            ("Skin type", "Dry and sensitive"),
            ("Fragrance", "None"),
        ),
        features=(
            "Restores the skin barrier",
            "Fragrance-free",
            "Non-comedogenic",
            "Refill pouch available",
        ),
        instructions=(
            "Smooth a pea-sized amount over face and neck as the last step of your evening "
            "routine, or in the morning before sunscreen."
        ),
        origin="KR",
        specification="Ceramides, centella and squalane, 50 ml",
        model="DW-CR-50",
        material="Recycled PP jar",
        product_type="skincare",
        usage="everyday",
        hs_code="330499",
        weight_grams=120,
        variants=(
            _v("DW-CR-50-JAR", "34.00", 18, format="Jar"),
            _v("DW-CR-50-REF", "29.00", 0, format="Refill pouch"),
        ),
        sales=690,
        rating=4.6,
        reviews=205,
    ),
    DemoProduct(
        name="Daily Sunscreen Fluid SPF 50+",
        brand="dewfield",
        category="beauty",
        drawing="tube",
        tint="#f5d36b",
        description=(
            "An invisible, non-greasy sunscreen with broad-spectrum SPF 50+ PA++++ protection "
            "that sits well under make-up and leaves no white cast on any skin tone.\n\n"
            "Our summer formula arrives next week."
        ),
        parameters=(
            ("Protection", "SPF 50+, PA++++"),
            ("Volume", "50 ml"),
            ("Filters", "Broad spectrum UVA/UVB"),
            ("Finish", "Invisible, satin"),
        ),
        features=(
            "No white cast",
            "Works under make-up",
            "Water-resistant for 40 minutes",
            "Fragrance-free",
        ),
        instructions=(
            "Apply generously as the last step of your morning routine, 15 minutes before sun "
            "exposure. Reapply every two hours and after swimming."
        ),
        origin="KR",
        specification="SPF 50+ PA++++ fluid, 50 ml",
        model="DW-SUN50",
        material="Recycled PE tube",
        product_type="skincare",
        usage="outdoor",
        hs_code="330499",
        weight_grams=70,
        variants=(_v("DW-SUN50-50", "19.00", 80, volume="50 ml"),),
        translations={
            "de": DemoText(
                "Sonnenfluid LSF 50+",
                "Ein unsichtbarer, nicht fettender Sonnenschutz mit Breitbandschutz LSF 50+ "
                "PA++++, der sich gut unter Make-up tragen lässt und auf keinem Hautton weiß "
                "schimmert.",
            ),
            "ja": DemoText(
                "デイリー UV フルイド SPF50+",
                "SPF50+・PA++++の広範囲UVカット。べたつかず白浮きしない透明な仕上がりで、"
                "メイクの下地にもなじみます。",
            ),
        },
        listing="scheduled",
    ),
    DemoProduct(
        name="Lavender & Fig Eau de Parfum",
        brand="liseron",
        category="beauty",
        drawing="perfume",
        tint="#b6a6d8",
        description=(
            "A green, sunlit scent that opens with fig leaf and bergamot, settles on fine "
            "lavender from the Valensole plateau and dries down to cedar and a touch of musk.\n\n"
            "Composed and bottled in Grasse."
        ),
        parameters=(
            ("Concentration", "Eau de parfum, 18%"),
            ("Top notes", "Fig leaf, bergamot"),
            ("Heart notes", "Lavender, orange blossom"),
            ("Base notes", "Cedar, white musk"),
        ),
        features=(
            "Composed in Grasse",
            "Refillable bottle",
            "Natural lavender absolute",
            "Lasts 6–8 hours",
        ),
        instructions=(
            "Spray on pulse points from 15 cm. Store away from light and heat, with the cap on."
        ),
        origin="FR",
        specification="Eau de parfum, 18% concentration",
        model="ML-LF",
        material="Glass bottle, zamak cap",
        product_type="fragrance",
        usage="everyday",
        hs_code="330300",
        weight_grams=320,
        variants=(
            _v("ML-LF-50", "85.00", 9, volume="50 ml"),
            _v("ML-LF-100", "120.00", 4, volume="100 ml", was="140.00"),
        ),
        translations={
            "de": DemoText(
                "Eau de Parfum Lavendel & Feige",
                "Ein grüner, sonnendurchfluteter Duft, der mit Feigenblatt und Bergamotte "
                "eröffnet, sich auf feinem Lavendel vom Plateau de Valensole niederlässt und in "
                "Zedernholz und einem Hauch Moschus ausklingt. Komponiert und abgefüllt in Grasse.",
            ),
            "fr": DemoText(
                "Eau de parfum Lavande & Figue",
                "Un parfum vert et lumineux qui s'ouvre sur la feuille de figuier et la "
                "bergamote, se pose sur une lavande fine du plateau de Valensole et s'achève sur "
                "le cèdre et une pointe de musc. Composé et mis en flacon à Grasse.",
            ),
            "ja": DemoText(
                "オードパルファム ラベンダー＆フィグ",
                "フィグリーフとベルガモットで始まり、ヴァランソル高原のラベンダーへ、"
                "そしてシダーとほのかなムスクへと移ろう、緑と陽光を感じる香り。"
                "グラースで調香・瓶詰めしています。",
            ),
        },
        sales=150,
        rating=4.8,
        reviews=32,
    ),
    DemoProduct(
        name="Olive Oil Marseille Soap",
        brand="liseron",
        category="beauty",
        drawing="soap",
        tint="#c9c08a",
        description=(
            "A traditional cube of soap, cooked in a cauldron with 72% olive oil and nothing "
            "else added. Gentle enough for face and body, and excellent for washing delicate "
            "fabrics by hand."
        ),
        parameters=(
            ("Weight", "300 g per cube"),
            ("Oil content", "72% olive oil"),
            ("Fragrance", "None"),
            ("Palm oil", "None"),
        ),
        features=(
            "Cauldron-cooked",
            "No added fragrance or colour",
            "Face, body and laundry",
            "Plastic-free packaging",
        ),
        instructions=(
            "Lather with water and rinse. Keep on a draining dish between uses so it lasts longer."
        ),
        origin="FR",
        specification="72% olive oil, 300 g cube",
        model="ML-SV300",
        material="Vegetable soap",
        product_type="bath & body",
        usage="everyday",
        hs_code="340111",
        weight_grams=300,
        variants=(
            _v("ML-SV300-1", "6.00", 120, pack="1 cube"),
            _v("ML-SV300-4", "21.00", 30, pack="4 cubes", was="24.00"),
        ),
        translations={
            "de": DemoText(
                "Marseiller Olivenölseife",
                "Ein traditioneller Seifenwürfel, im Kessel gesiedet mit 72 % Olivenöl – sonst "
                "nichts. Mild genug für Gesicht und Körper und hervorragend für die Handwäsche "
                "feiner Textilien.",
            ),
            "fr": DemoText(
                "Savon de Marseille à l'huile d'olive",
                "Un cube de savon traditionnel cuit au chaudron avec 72 % d'huile d'olive, sans "
                "rien d'autre. Assez doux pour le visage et le corps, et idéal pour laver à la "
                "main le linge délicat.",
            ),
        },
        sales=520,
        rating=4.8,
        reviews=160,
    ),
)
