"""Fixtures of the tracking tests: a client of the app with the tracking webhooks set up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from tests.tracking.webhooks import AFTERSHIP_SECRET, STANDARD_SECRET, TOKEN


@pytest.fixture
async def http(app: Any, db: None, settings: Any, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with every tracking webhook configured."""
    monkeypatch.setattr(settings, "tracking_webhook_secret", SecretStr(STANDARD_SECRET))
    monkeypatch.setattr(settings, "aftership_webhook_secret", SecretStr(AFTERSHIP_SECRET))
    monkeypatch.setattr(settings, "tracking_webhook_token", SecretStr(TOKEN))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as client:
        yield client
