"""Markets: DDP or DAP per destination, the rest taking the shop's default."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role
from models.customs import CustomsMarket, Incoterm
from services.customs import markets
from services.customs.setup_errors import CustomsSetupError, CustomsSetupErrorCode
from tests.factories import make_user

ERRORS = "errors { field code message }"
MARKETS = "{ customsMarkets { defaultIncoterm markets { country incoterm } } }"
SET_MARKET = f"""
mutation($input: SetCustomsMarketInput!) {{
  setCustomsMarket(input: $input) {{ market {{ country incoterm }} {ERRORS} }}
}}
"""
REMOVE_MARKET = f"""
mutation($input: RemoveCustomsMarketInput!) {{
  removeCustomsMarket(input: $input) {{ country defaultIncoterm {ERRORS} }}
}}
"""


async def test_a_market_is_set_changed_and_removed(db):
    made = await markets.set_market(" gb ", "DDP")
    assert (made.country, made.incoterm) == ("GB", Incoterm.DDP)
    changed = await markets.set_market("GB", Incoterm.DAP)
    assert changed.id == made.id and changed.incoterm is Incoterm.DAP
    await markets.set_market("AU", Incoterm.DDP)

    found = await markets.list_markets()
    assert found.default_incoterm is Incoterm.DAP
    assert [(m.country, m.incoterm) for m in found.markets] == [
        ("AU", Incoterm.DDP),
        ("GB", Incoterm.DAP),
    ]
    assert await markets.remove_market("gb") == "GB"
    with pytest.raises(CustomsSetupError) as caught:
        await markets.remove_market("GB")
    assert caught.value.problems[0].code is CustomsSetupErrorCode.NOT_FOUND
    assert [m.country for m in await CustomsMarket.all()] == ["AU"]


@pytest.mark.parametrize(
    ("country", "incoterm", "codes"),
    [
        ("XX", "ddp", [CustomsSetupErrorCode.INVALID_COUNTRY]),
        ("GBR", "ddp", [CustomsSetupErrorCode.INVALID_COUNTRY]),
        ("GB", "exw", [CustomsSetupErrorCode.INVALID_INCOTERM]),
        ("", "", [CustomsSetupErrorCode.INVALID_COUNTRY, CustomsSetupErrorCode.INVALID_INCOTERM]),
    ],
)
async def test_a_bad_market_is_refused_and_nothing_is_written(db, country, incoterm, codes):
    with pytest.raises(CustomsSetupError) as caught:
        await markets.set_market(country, incoterm)
    assert [p.code for p in caught.value.problems] == codes
    assert not await CustomsMarket.exists()


async def test_the_default_follows_the_shop_setting(monkeypatch, settings):
    for value, expected in (("ddp", Incoterm.DDP), ("dap", Incoterm.DAP)):
        monkeypatch.setattr(settings, "customs_default_incoterm", value)
        assert markets.default_incoterm() is expected


async def test_setting_one_market_at_once_twice_keeps_one_row(db):
    await asyncio.gather(*(markets.set_market("JP", term) for term in ("ddp", "dap") * 3))
    assert await CustomsMarket.filter(country="JP").count() == 1


async def test_settings_staff_choose_ddp_or_dap_through_the_api(client):
    staff = await make_user(role=Role.STAFF, permissions=("settings",))
    set_ = await client.query(
        SET_MARKET, {"input": {"country": "DE", "incoterm": "DDP"}}, user=staff
    )
    assert set_["setCustomsMarket"] == {
        "market": {"country": "DE", "incoterm": "DDP"},
        "errors": [],
    }
    listed = await client.query(MARKETS, user=staff)
    assert listed["customsMarkets"] == {
        "defaultIncoterm": "DAP",
        "markets": [{"country": "DE", "incoterm": "DDP"}],
    }
    removed = await client.query(REMOVE_MARKET, {"input": {"country": "DE"}}, user=staff)
    assert removed["removeCustomsMarket"] == {
        "country": "DE",
        "defaultIncoterm": "DAP",
        "errors": [],
    }
    again = await client.query(REMOVE_MARKET, {"input": {"country": "DE"}}, user=staff)
    assert [(e["code"], e["field"]) for e in again["removeCustomsMarket"]["errors"]] == [
        ("NOT_FOUND", ["country"])
    ]
    bad = await client.request(
        SET_MARKET, {"input": {"country": "XX", "incoterm": "DDP"}}, user=staff
    )
    # A country outside the ISO list is no value of the CountryCode enum.
    assert bad["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert not await CustomsMarket.exists()


async def test_only_settings_staff_reach_markets(client):
    await CustomsMarket.create(country="GB", incoterm=Incoterm.DDP)
    customer = await make_user()
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    for document, variables in (
        (MARKETS, {}),
        (SET_MARKET, {"input": {"country": "GB", "incoterm": "DAP"}}),
        (REMOVE_MARKET, {"input": {"country": "GB"}}),
    ):
        anonymous = await client.request(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for user in (customer, orders_staff):
            body = await client.request(document, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [(m.country, m.incoterm) for m in await CustomsMarket.all()] == [("GB", Incoterm.DDP)]
