"""Demo products: menswear."""

from __future__ import annotations

from demo.data import DemoProduct, DemoText, _grid

PRODUCTS = (
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
)
