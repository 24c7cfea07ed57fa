"""The demo's returns setup: a shop policy, beauty sold as final sale, the default reasons.

Beauty products are opened and used: shops commonly sell them as final sale, so the
storefront shows both kinds of policy line at once.
"""

from __future__ import annotations

from decimal import Decimal

from models.catalog import Category
from models.returns import PolicyScope, ReturnPolicy, ReturnShippingPayer
from services.returns import policy, reasons

#: The shop's policy: 30 days from delivery, the customer pays the return parcel.
DEMO_SHOP_POLICY: policy.PolicyFields = {
    "returnable": True,
    "window_days": 30,
    "restocking_fee_bps": 0,
    "return_shipping_payer": ReturnShippingPayer.CUSTOMER,
    "return_shipping_fee": Decimal("8.00"),
}
#: The category sold as final sale.
DEMO_FINAL_SALE_CATEGORY = "beauty"


async def load_demo_returns() -> bool:
    """The demo's policies and reasons, through the services the console uses; made only
    while the shop has no policy. True when they were made now."""
    if await ReturnPolicy.exists():
        return False
    await policy.set_policy(PolicyScope.SHOP, None, DEMO_SHOP_POLICY)
    beauty = await Category.get_or_none(slug=DEMO_FINAL_SALE_CATEGORY)
    if beauty is not None:
        await policy.set_policy(
            PolicyScope.CATEGORY, beauty.id, {**DEMO_SHOP_POLICY, "returnable": False}
        )
    await reasons.ensure_default_reasons()
    return True
