"""Demo products: womenswear and kidswear."""

from __future__ import annotations

from demo.data import DemoProduct, DemoText, _grid, _v

PRODUCTS = (
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
)
