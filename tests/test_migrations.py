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
