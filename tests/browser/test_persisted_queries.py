"""The storefront and the console send persisted queries, and run with TRUSTED_DOCUMENTS_ONLY on.

Every GraphQL request of a walk through both apps is recorded: each must carry its
document's hash, queries go with GET, and none may be refused (an untrusted document, or a
hash the server does not know, would mean the trusted manifest misses one of the apps'
documents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import make_brand, make_product

#: Console screens walked: each reads through several documents.
SCREENS = ["home", "orders", "catalog", "inventory", "customers", "marketing", "shipping"]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    body: Any


def record(tab: Any) -> list[Call]:
    """The GraphQL calls of `tab` from now on, with their answers."""
    calls: list[Call] = []

    async def answered(response: Any) -> None:
        request = response.request
        if urlsplit(request.url).path != "/graphql" or request.method not in ("GET", "POST"):
            return
        if request.method == "GET":
            query = parse_qs(urlsplit(request.url).query)
            params = {name: json.loads(values[0]) for name, values in query.items()}
        else:
            params = json.loads(request.post_data or "{}")
        try:
            body = await response.json() if response.status != 304 else None
        except Exception:
            body = None
        calls.append(Call(request.method, params, response.status, body))

    tab.on("response", answered)
    return calls


def refused(calls: list[Call]) -> list[Any]:
    problems = []
    for call in calls:
        for error in (call.body or {}).get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            if code in ("UNTRUSTED_DOCUMENT", "PERSISTED_QUERY_NOT_FOUND"):
                problems.append((call.params.get("operationName"), call.params, code))
    return problems


def assert_persisted(calls: list[Call]) -> None:
    assert calls, "no GraphQL request was seen"
    assert refused(calls) == []
    for call in calls:
        persisted = (call.params.get("extensions") or {}).get("persistedQuery")
        assert persisted and len(persisted["sha256Hash"]) == 64, call.params
        assert "query" not in call.params, call.params  # the hash alone was enough
    assert any(call.method == "GET" for call in calls)


@pytest.fixture
def strict(settings, monkeypatch):
    monkeypatch.setattr(settings, "trusted_documents_only", True)


async def test_a_shopper_walks_the_storefront_with_only_trusted_documents(
    page, storefront, expect, strict
):
    brand = await make_brand(name="Northwind")
    product = await make_product(name="Linen shirt", brand=brand, prices=("24.00",), stock=(5,))
    calls = record(page)
    errors = page_errors(page)

    await page.goto(storefront)
    await expect(page.locator(".card-title").filter(has_text="Linen shirt")).to_be_visible()
    await page.locator(".card-title").filter(has_text="Linen shirt").click()
    await expect(page.get_by_role("heading", name="Linen shirt")).to_be_visible()
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await expect(page.get_by_role("link", name="Checkout")).to_be_visible()
    await page.get_by_role("link", name="Checkout").click()
    await expect(page.get_by_label("Email")).to_be_visible()
    await page.goto(f"{storefront}#/sign-in")
    await expect(page.get_by_label("Password")).to_be_visible()
    await page.goto(f"{storefront}#/product/{product.slug}")
    await expect(page.get_by_role("heading", name="Linen shirt")).to_be_visible()

    assert_persisted(calls)
    mutations = [c for c in calls if c.method == "POST"]
    assert mutations, "adding to the cart is a mutation, sent with POST"
    assert errors == []


async def test_the_console_signs_in_and_walks_screens_by_hash(desk, console, expect, strict):
    admin = await make_staff(admin=True, nickname="Mei")
    await make_product(name="Linen shirt")
    calls = record(desk)
    errors = page_errors(desk)

    await sign_in(desk, console, admin)
    for screen in SCREENS:
        await desk.goto(f"{console}#/{screen}")
        await expect(desk.locator("#main h1")).to_be_visible()
        await desk.wait_for_load_state("networkidle")

    assert_persisted(calls)
    assert errors == []
