"""Per-request loaders: a fresh `Loaders` for every request, so nothing is cached across them.

Each domain files its loaders in `loaders/<domain>.py`, with a container of them
(`OrdersLoaders`, ...) whose attributes build a loader on first use: a request builds only
the loaders it reads. `Loaders` joins the domains' containers; a new domain adds its own.
"""

from __future__ import annotations

from loaders.accounts import AccountsLoaders
from loaders.catalog import CatalogLoaders
from loaders.coupons import CouponsLoaders
from loaders.customs import CustomsLoaders
from loaders.emails import EmailsLoaders
from loaders.inventory import InventoryLoaders
from loaders.members import MembersLoaders
from loaders.orders import OrdersLoaders
from loaders.payments import PaymentsLoaders
from loaders.returns import ReturnsLoaders
from loaders.reviews import ReviewsLoaders
from loaders.shipping import ShippingLoaders
from loaders.store_credit import StoreCreditLoaders
from loaders.support import SupportLoaders
from loaders.tracking import TrackingLoaders


class Loaders(
    AccountsLoaders,
    MembersLoaders,
    CouponsLoaders,
    ReviewsLoaders,
    CatalogLoaders,
    InventoryLoaders,
    ShippingLoaders,
    CustomsLoaders,
    TrackingLoaders,
    OrdersLoaders,
    ReturnsLoaders,
    StoreCreditLoaders,
    SupportLoaders,
    PaymentsLoaders,
    EmailsLoaders,
):
    """The loaders of one request (or one subscription event), each built on first use.

    Build one per request; it binds no event loop until a loader is first read, inside
    the running loop.
    """

    def built(self) -> frozenset[str]:
        """The names of the loaders this container has built so far."""
        return frozenset(vars(self))
