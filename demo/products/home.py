"""Demo products. Home and kitchen."""

from __future__ import annotations

from demo.data import DemoProduct, DemoText, _v

PRODUCTS = (
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
)
