"""The whole demo shop in one call: catalog, membership, shipping, currencies, customs
markets, people, the reviews behind the products' ratings and an order history.

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
from models.customs import CustomsMarket, Incoterm


async def load_demo_shop(*, progress: Progress | None = None) -> bool:
    """Loads every part of the demo shop; True when the demo accounts were created now."""
    await load_demo_catalog(progress=progress)
    await load_demo_membership()
    await load_demo_shipping()
    await load_demo_currencies()
    await load_demo_customs_markets()
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
