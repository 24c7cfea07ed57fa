"""Demo products. Electronics: phones, accessories and audio."""

from __future__ import annotations

from demo.data import DemoProduct, DemoText, _v

PRODUCTS = (
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
)
