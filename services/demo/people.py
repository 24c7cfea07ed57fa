"""The demo shop's people: an admin to run it and a shopper to try it, with known passwords.

Only the demo loader calls this, and only while no account exists, so a real shop never
gets accounts with published passwords.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models.accounts import Role, User
from services.accounts.passwords import hash_password

log = logging.getLogger("tradewind.demo")

DEMO_PASSWORD = "tradewind-demo"
DEMO_ADMIN = "admin@demo.example.com"
DEMO_SHOPPER = "shopper@demo.example.com"


async def load_demo_people() -> bool:
    """Creates the demo admin and shopper; False, doing nothing, when any account exists."""
    password_hash = await hash_password(DEMO_PASSWORD)
    now = datetime.now(UTC)
    async with in_transaction():
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
