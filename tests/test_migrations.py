"""Every model change comes with its migration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DETECT = """
import asyncio
from tortoise.cli.cli import tortoise_cli_context
from tortoise.migrations.autodetector import MigrationAutodetector
from settings import tortoise_config

async def main():
    config = tortoise_config("sqlite://:memory:")
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    for writer in writers:
        print(writer.app_label, [type(op).__name__ for op in writer.operations])

asyncio.run(main())
"""


def test_models_and_migrations_agree():
    result = subprocess.run(
        [sys.executable, "-c", DETECT],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite://:memory:"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout == "", (
        f"models changed without a migration (run `tortoise makemigrations`): {result.stdout}"
    )


UPGRADE_WITH_CARTS = """
import asyncio, sqlite3, sys
from tortoise import Tortoise
from tortoise.migrations.api import migrate
from settings import tortoise_config

path = sys.argv[1]
url = f"sqlite://{path}"

async def main():
    await migrate(config=tortoise_config(url), target="models.0007_payments")
    await Tortoise.close_connections()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO orders_cart (token_hash, currency, coupon_code, created_at, updated_at)"
        " VALUES ('x', '', '', '2026-01-01', '2026-01-01')"
    )
    db.commit()
    db.close()
    await migrate(config=tortoise_config(url))
    await Tortoise.close_connections()
    db = sqlite3.connect(path)
    print(db.execute("SELECT version, ordered_version, last_order_id FROM orders_cart").fetchall())

asyncio.run(main())
"""


def test_cart_claims_migrate_a_shop_that_has_carts(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", UPGRADE_WITH_CARTS, str(tmp_path / "shop.sqlite3")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite://:memory:"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[(0, None, None)]"
