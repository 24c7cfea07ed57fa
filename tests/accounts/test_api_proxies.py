"""The client address every rate limit and session sees: forwarded headers only from listed
proxies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

import cli
from models.accounts import RefreshToken
from server import create_app
from services import rate_limit
from tests.conftest import GraphQLClient
from tests.factories import make_user
from tests.live import serve

SIGN_IN = """mutation($input: SignInInput!) {
  signIn(input: $input) { session { accessToken } errors { code } } }"""
PASSWORD = "correct horse battery"


async def _sign_in(client: GraphQLClient, login: str, password: str, forwarded: str) -> str:
    data = await client.query(
        SIGN_IN,
        {"input": {"login": login, "password": password}},
        headers={"X-Forwarded-For": forwarded},
    )
    errors = data["signIn"]["errors"]
    return str(errors[0]["code"]) if errors else "OK"


@pytest.fixture
async def behind_proxy(settings, db) -> AsyncIterator[GraphQLClient]:
    """A client of an app that lists the test client's address (127.0.0.1) as its proxy,
    allowing three sign-in failures per address."""
    rate_limit.configure(None)
    changed = {"trusted_proxies": ["127.0.0.0/8"], "sign_in_limit_per_address": 3}
    app = create_app(settings.model_copy(update=changed), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


async def test_a_forged_forwarded_address_from_an_unlisted_peer_changes_nothing(
    client, settings, monkeypatch
):
    monkeypatch.setattr(settings, "sign_in_limit_per_address", 3)
    # Each failure claims another address; the peer's own address is what gets counted.
    for n in range(3):
        code = await _sign_in(client, f"nobody{n}@example.com", "wrong", f"198.51.100.{n}")
        assert code == "INVALID_CREDENTIALS"
    assert await _sign_in(client, "nobody9@example.com", "wrong", "198.51.100.9") == (
        "RATE_LIMITED"
    )

    await make_user(email="kim@example.com", password=PASSWORD)
    monkeypatch.setattr(settings, "sign_in_limit_per_address", 30)
    assert await _sign_in(client, "kim@example.com", PASSWORD, "198.51.100.7") == "OK"
    row = await RefreshToken.get()
    assert row.client_address == "127.0.0.1"


async def test_a_listed_proxys_forwarded_address_is_the_client_address(behind_proxy):
    for n in range(3):
        code = await _sign_in(behind_proxy, f"nobody{n}@example.com", "wrong", "203.0.113.5")
        assert code == "INVALID_CREDENTIALS"
    assert await _sign_in(behind_proxy, "nobody9@example.com", "wrong", "203.0.113.5") == (
        "RATE_LIMITED"
    )
    # Another shopper behind the same proxy is another address, with limits of its own.
    await make_user(email="lee@example.com", password=PASSWORD)
    assert await _sign_in(behind_proxy, "lee@example.com", PASSWORD, "203.0.113.6") == "OK"
    row = await RefreshToken.get()
    assert row.client_address == "203.0.113.6"


def test_a_proxy_setting_that_is_not_an_address_is_refused(settings):
    with pytest.raises(ValueError, match="not-an-address"):
        type(settings)(trusted_proxies=["10.0.0.0/8", "not-an-address"])


async def test_forged_forwarded_addresses_over_http_as_serve_runs_the_server(
    app, db, settings, monkeypatch
):
    """Through uvicorn configured as `tradewind serve` configures it, from a loopback peer."""
    rate_limit.configure(None)
    monkeypatch.setattr(settings, "sign_in_limit_per_address", 3)
    async with (
        serve(app, **cli.serve_options()) as address,
        httpx.AsyncClient(base_url=f"http://{address}") as http,
    ):
        client = GraphQLClient(http)
        codes = [
            await _sign_in(client, f"nobody{n}@example.com", "wrong", f"198.51.100.{n}")
            for n in range(4)
        ]
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"]
