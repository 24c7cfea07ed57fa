"""The demo shop's people and membership programme.

An admin to run the shop and a shopper to try it, with known passwords (the shopper with
some store credit and its history): only the demo loader calls this, and only while no
account exists, so a real shop never gets accounts with published passwords. Four
membership tiers, a welcome coupon and two rewards show the loyalty programme; they are
made only while the shop has no tiers.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models.accounts import Role, User
from models.coupons import CouponKind
from models.members import MembershipTier, RewardKind
from models.store_credit import CreditEntryKind
from services.accounts.passwords import hash_password
from services.coupons import coupons
from services.members import rewards, tiers
from services.store_credit import ledger

log = logging.getLogger("tradewind.demo")

DEMO_PASSWORD = "tradewind-demo"
DEMO_ADMIN = "admin@demo.example.com"
DEMO_SHOPPER = "shopper@demo.example.com"


async def load_demo_people() -> bool:
    """Creates the demo admin and shopper; False, doing nothing, when any account exists."""
    password_hash = await hash_password(DEMO_PASSWORD)
    now = datetime.now(UTC)
    async with in_transaction("default"):
        if await User.exists():
            return False
        await User.create(
            email=DEMO_ADMIN,
            email_verified_at=now,
            password_hash=password_hash,
            role=Role.ADMIN,
            nickname="Demo admin",
        )
        await User.create(
            email=DEMO_SHOPPER,
            email_verified_at=now,
            password_hash=password_hash,
            nickname="Demo shopper",
            locale="en",
        )
    log.info("demo.people_created admin=%s shopper=%s", DEMO_ADMIN, DEMO_SHOPPER)
    return True


#: (name, rank, twelve-month spend, orders, discount %, points multiplier, early access,
#: priority support), in the shop currency.
DEMO_TIERS = [
    ("Member", 0, "0", 0, "0", "1", False, False),
    ("Silver", 1, "300", 2, "2", "1.2", False, False),
    ("Gold", 2, "1000", 5, "5", "1.5", True, False),
    ("Platinum", 3, "3000", 10, "8", "2", True, True),
]


async def load_demo_membership() -> bool:
    """Creates the demo tiers, coupons and rewards; False, doing nothing, when tiers exist."""
    if await MembershipTier.exists():
        return False
    async with in_transaction("default"):
        for name, rank, spend, orders, discount, multiplier, early, priority in DEMO_TIERS:
            await tiers.create_tier(
                {
                    "name": name,
                    "rank": rank,
                    "min_spend": spend,
                    "min_orders": orders,
                    "discount_rate": discount,
                    "points_multiplier": multiplier,
                    "early_access": early,
                    "priority_support": priority,
                }
            )
        await coupons.create_coupon(
            {
                "code": "WELCOME10",
                "name": "10 % off a first order over 50",
                "kind": CouponKind.PERCENTAGE,
                "percent": "10",
                "min_spend": "50",
                "per_customer_limit": 1,
            }
        )
        template = await coupons.create_coupon(
            {
                "code": "REWARD-5-OFF",
                "name": "5 off, redeemed for points",
                "kind": CouponKind.FIXED_AMOUNT,
                "amount": "5",
                "min_spend": "20",
                "active": False,
            }
        )
        await rewards.create_reward(
            {
                "name": "5 off your next order",
                "description": "A personal coupon, valid for 30 days.",
                "kind": RewardKind.COUPON,
                "points_cost": 500,
                "coupon_template_id": template.id,
            }
        )
        await rewards.create_reward(
            {
                "name": "Canvas tote bag",
                "description": "Packed with your next order.",
                "kind": RewardKind.GIFT,
                "points_cost": 1500,
                "stock": 50,
            }
        )
    return True


#: The demo shopper's store credit history: (currency, minor units, kind, reference, note).
DEMO_CREDIT = (
    ("USD", 1500, CreditEntryKind.GRANT, "demo:welcome", "Welcome to Tradewind"),
    ("JPY", 2000, CreditEntryKind.GRANT, "demo:late-parcel", "Sorry about the late parcel"),
    ("JPY", -500, CreditEntryKind.ADJUSTMENT, "demo:correction", "Corrected a double grant"),
)


async def load_demo_store_credit() -> bool:
    """Gives the demo shopper some store credit with a short history (dollars and yen);
    each movement is written once, so loading again changes nothing."""
    shopper = await User.get_or_none(email=DEMO_SHOPPER)
    if shopper is None:
        return False
    for currency, amount, kind, reference, note in DEMO_CREDIT:
        await ledger.post(shopper.id, currency, amount, kind, reference, note=note)
    return True
