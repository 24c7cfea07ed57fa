"""Demo products. Beauty: skincare, fragrance and soap."""

from __future__ import annotations

from demo.data import DemoProduct, DemoText, _v

PRODUCTS = (
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
