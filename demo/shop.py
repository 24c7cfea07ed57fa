"""The whole demo shop in one call: catalog, membership, shipping, currencies, the customs
setup and markets, people, the reviews behind the products' ratings and an order history.

`make run` (through `cli.py load-demo`) and the browser tests load the same shop this way.
Each part skips itself when its data is already there, so loading twice changes nothing.
"""

from __future__ import annotations

from demo.currency import load_demo_currencies
from demo.loading import Progress, load_demo_catalog
from demo.orders import load_demo_orders
from demo.people import load_demo_membership, load_demo_people
from demo.reviews import load_demo_reviews
from demo.shipping import load_demo_shipping
from models.customs import (
    CustomsMarket,
    DutyRate,
    Incoterm,
    MerchantRegistration,
    RegistrationKind,
)
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
    await load_demo_membership()
    await load_demo_shipping()
    await load_demo_currencies()
    await load_demo_customs_markets()
    await load_demo_customs_setup()
    created = await load_demo_people()
    await load_demo_reviews()
    await load_demo_orders()
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
