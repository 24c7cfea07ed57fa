"""The whole demo shop in one call: catalog, membership, shipping, currencies, the customs
setup and markets, the return policies and reasons, people, the reviews behind the products'
ratings and an order history.

`make run` (through `cli.py load-demo`) and the browser tests load the same shop this way.
Each part skips itself when its data is already there, so loading twice changes nothing.
"""

from __future__ import annotations

from demo.currency import load_demo_currencies
from demo.loading import Progress, load_demo_catalog
from demo.orders import load_demo_orders
from demo.people import load_demo_membership, load_demo_people, load_demo_store_credit
from demo.returns import load_demo_returns
from demo.reviews import load_demo_reviews
from demo.shipping import load_demo_shipping
from demo.support import load_demo_support
from models.catalog import Product
from models.customs import (
    CustomsMarket,
    DutyRate,
    Incoterm,
    MerchantRegistration,
    RegistrationKind,
)
from services.catalog import products
from services.customs import duty_rates, registrations

#: Illustrative duty rates for the destinations the demo sells to: a default per country and
#: a few chapters and headings of the demo's goods (apparel 61/62, electronics 85, telephones
#: 8517, tea 0902, tableware 6912, aluminium 7615). Shaped like real tariffs, but made up:
#: a shop keeps its own rates from the destinations' tariffs; these are no advice.
DEMO_DUTY_RATES = """country,hs_prefix,rate_percent,source
DE,,4,Demo rate (illustrative)
DE,61,12,Demo rate (illustrative)
DE,62,12,Demo rate (illustrative)
DE,85,2,Demo rate (illustrative)
DE,8517,0,Demo rate (illustrative)
DE,0902,3.2,Demo rate (illustrative)
DE,6912,9,Demo rate (illustrative)
DE,7615,6,Demo rate (illustrative)
FR,,4,Demo rate (illustrative)
FR,61,12,Demo rate (illustrative)
FR,62,12,Demo rate (illustrative)
FR,85,2,Demo rate (illustrative)
FR,8517,0,Demo rate (illustrative)
FR,0902,3.2,Demo rate (illustrative)
GB,,2,Demo rate (illustrative)
GB,61,12,Demo rate (illustrative)
GB,62,12,Demo rate (illustrative)
GB,85,2,Demo rate (illustrative)
GB,8517,0,Demo rate (illustrative)
GB,0902,0,Demo rate (illustrative)
AU,,5,Demo rate (illustrative)
AU,85,0,Demo rate (illustrative)
AU,0902,0,Demo rate (illustrative)
JP,,3,Demo rate (illustrative)
JP,61,10.9,Demo rate (illustrative)
JP,62,9.1,Demo rate (illustrative)
JP,85,0,Demo rate (illustrative)
JP,0902,17,Demo rate (illustrative)
US,,3,Demo rate (illustrative)
US,61,16.5,Demo rate (illustrative)
US,62,16,Demo rate (illustrative)
US,85,2,Demo rate (illustrative)
US,8517,0,Demo rate (illustrative)
US,0902,0,Demo rate (illustrative)
CN,,8,Demo rate (illustrative)
CN,61,6,Demo rate (illustrative)
CN,62,6,Demo rate (illustrative)
CN,85,5,Demo rate (illustrative)
CN,0902,15,Demo rate (illustrative)
"""

#: The demo shop's registrations: well-formed, and plainly not anybody's.
DEMO_REGISTRATIONS = {
    RegistrationKind.EORI: "DE123456789012345",
    RegistrationKind.IOSS: "IM2760000001",
    RegistrationKind.UK_VAT: "GB123456789",
    RegistrationKind.AU_ARN: "300000000001",
}


async def load_demo_shop(*, progress: Progress | None = None) -> bool:
    """Loads every part of the demo shop; True when the demo accounts were created now."""
    await load_demo_catalog(progress=progress)
    await load_demo_customs_facts()
    await load_demo_membership()
    await load_demo_shipping()
    await load_demo_currencies()
    await load_demo_customs_markets()
    await load_demo_customs_setup()
    await load_demo_returns()
    created = await load_demo_people()
    await load_demo_store_credit()
    await load_demo_reviews()
    await load_demo_orders()
    await load_demo_support()
    return created


#: How the demo settles duties and taxes per market, so checkout shows both: the US and the
#: UK charged at checkout (DDP), Germany and Japan estimated for the carrier (DAP). Other
#: countries follow the `customs_default_incoterm` setting (DAP).
DEMO_MARKETS = {"US": Incoterm.DDP, "GB": Incoterm.DDP, "DE": Incoterm.DAP, "JP": Incoterm.DAP}


async def load_demo_customs_markets() -> None:
    """The demo's customs markets (a market already set is left as it is)."""
    for country, incoterm in DEMO_MARKETS.items():
        await CustomsMarket.get_or_create(country=country, defaults={"incoterm": incoterm})


async def load_demo_customs_setup() -> bool:
    """The demo's duty rates and registrations, through the services the console uses;
    made only while the shop has neither. True when they were made now."""
    if await DutyRate.exists() or await MerchantRegistration.exists():
        return False
    await duty_rates.import_rates(DEMO_DUTY_RATES)
    for kind, number in DEMO_REGISTRATIONS.items():
        await registrations.set_registration(kind, number)
    return True


def _de_gb(code: str) -> dict[str, str]:
    """One 8-digit code for Germany (the EU's Combined Nomenclature) and the UK."""
    return {"DE": code, "GB": code}


#: The demo products' customs facts by name: what the declaration says of one unit, its net
#: weight in grams, national tariff codes where the demo ships most (the EU's Combined
#: Nomenclature and the UK's commodity code, 8 digits), and whether carriers must treat it as
#: dangerous goods (lithium batteries, a perfume's alcohol). The HS codes are the catalog's.
DEMO_CUSTOMS: dict[str, tuple[str, int, dict[str, str], bool]] = {
    "Oxford Button-Down Shirt": ("Men's woven cotton shirt", 260, _de_gb("62052000"), False),
    "Merino Crew Sweater": ("Men's knitted merino wool sweater", 310, {}, False),
    "Ridgeline Rain Jacket": ("Men's recycled nylon rain jacket", 390, {}, False),
    "Organic Cotton Crew T-Shirt": (
        "Men's knitted organic cotton T-shirt",
        160,
        {"DE": "61091000", "FR": "61091000", "GB": "61091000"},
        False,
    ),
    "Stretch Hiking Trousers": ("Men's synthetic woven hiking trousers", 360, {}, False),
    "Linen Wrap Dress": ("Women's woven linen dress", 330, {}, False),
    "Packable Down Jacket": ("Women's nylon jacket filled with duck down", 280, {}, False),
    "Silk Blouse": ("Women's woven silk blouse", 130, _de_gb("62061000"), False),
    "Wide-Leg Wool Trousers": ("Women's woven wool trousers", 450, {}, False),
    "Breton Striped Top": (
        "Women's knitted cotton striped T-shirt",
        135,
        _de_gb("61091000"),
        False,
    ),
    "Organic Baby Bodysuits, Set of 3": (
        "Babies' knitted organic cotton bodysuits, set of 3",
        190,
        {},
        False,
    ),
    "Kids' Puddle Jacket": ("Girls' recycled polyester rain jacket", 300, {}, False),
    "Orbeline Nova 6 Smartphone": (
        "Smartphone with lithium-ion battery inside",
        188,
        _de_gb("85171300"),
        True,
    ),
    "Slimshield Case for Nova 6": ("Plastic (TPU) protective case for a smartphone", 28, {}, False),
    "GaN 65 W Travel Charger": ("USB-C power adapter (static converter), 65 W", 100, {}, False),
    "10,000 mAh Power Bank": (
        "Lithium-ion power bank, 10,000 mAh, 37 Wh",
        180,
        _de_gb("85076000"),
        True,
    ),
    "KH-700 Wireless Noise-Cancelling Headphones": (
        "Wireless headphones with lithium-ion battery inside",
        250,
        _de_gb("85183000"),
        True,
    ),
    "Sora True Wireless Earbuds": (
        "Wireless earphones in a charging case, lithium-ion batteries inside",
        48,
        _de_gb("85183000"),
        True,
    ),
    "Mokuon Bluetooth Speaker": (
        "Bluetooth loudspeaker with lithium-ion battery inside",
        950,
        {},
        True,
    ),
    "Stovetop Espresso Maker": ("Aluminium stovetop coffee maker", 500, {}, False),
    "Hand-Glazed Stoneware Mug": ("Stoneware coffee mug", 360, {}, False),
    "Carbon Steel Frying Pan": ("Carbon steel frying pan", 1600, {}, False),
    "Cast Iron Teapot": ("Enamelled cast iron teapot", 1250, {}, False),
    "End-Grain Maple Cutting Board": ("Maple wood cutting board", 2750, {}, False),
    "Green Tea Hydrating Serum": (
        "Skin care serum (cosmetic), 30 ml",
        75,
        _de_gb("33049900"),
        False,
    ),
    "Ceramide Barrier Cream": ("Skin care cream (cosmetic), 50 ml", 100, _de_gb("33049900"), False),
    "Daily Sunscreen Fluid SPF 50+": ("Sunscreen lotion (cosmetic), 50 ml", 60, {}, False),
    "Lavender & Fig Eau de Parfum": ("Eau de parfum, alcohol-based, 50 ml", 290, {}, True),
    "Olive Oil Marseille Soap": ("Olive oil toilet soap bars", 280, _de_gb("34011100"), False),
}


async def load_demo_customs_facts() -> None:
    """Gives the demo products their customs facts; a product that has some keeps them."""
    for name, (description, net_grams, national, dangerous) in DEMO_CUSTOMS.items():
        product = await Product.get_or_none(name=name)
        if product is None or product.customs_description:
            continue
        await products.update_product(
            product.id,
            {
                "customs_description": description,
                "net_weight_grams": net_grams,
                "national_codes": [{"country": c, "code": code} for c, code in national.items()],
                "dangerous_goods": dangerous,
            },
            actor="demo",
        )
