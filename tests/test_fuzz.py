"""Fuzzing: generated queries and mutations of the committed schema never crash the server.

hypothesis-graphql writes documents over every root query and mutation of
`schema/schema.graphql`, with arguments drawn from the whole range of their types (NUL,
any Unicode, the extreme integers) mixed with the IDs, numbers and tokens of real rows, and
sends them over HTTP to a live server as an anonymous shopper, a customer and an admin. An
`INTERNAL_SERVER_ERROR`, a 5xx or a request that stalls fails the test, with the document.

The run is bounded in time: `FUZZ_SECONDS` (40 by default) for the whole test; set it
higher for a long local run, e.g. `FUZZ_SECONDS=600 pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

import graphql
import httpx
import hypothesis_graphql
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from models.accounts import Role
from tests.factories import (
    gid,
    make_brand,
    make_category,
    make_order,
    make_product,
    make_user,
    token_for,
)

SCHEMA = (Path(__file__).resolve().parent.parent / "schema" / "schema.graphql").read_text()
FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "40"))
#: Examples per Hypothesis run; runs repeat, with fresh seeds, until the time is up.
BATCH = 25
#: A request that takes longer than this is a stall.
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class World:
    """Real rows the generated documents may name, and who may send them."""

    ids: list[str]
    strings: list[str]
    tokens: dict[str, str | None]


def _string(value: str) -> graphql.StringValueNode:
    return graphql.StringValueNode(value=value)


def strategies(world: World) -> st.SearchStrategy[tuple[str, str]]:
    """(role, document): every query and mutation, positive and (sometimes) negative."""
    edge_ids = [
        gid("Product", 2**31),
        gid("Product", 0),
        gid("Nothing", 1),
        "bm90IGFuIGlk",
        "",
    ]
    ids = st.sampled_from(world.ids + edge_ids).map(_string)
    text = st.text(max_size=40)
    strings = st.one_of(st.sampled_from(world.strings), text, text.map(lambda t: t * 50)).map(
        _string
    )
    decimals = st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.sampled_from(["0", "-1", "1e999", "NaN", "Infinity", "1" * 40, "0.0001", "abc"]),
    ).map(_string)
    dates = st.one_of(
        st.dates().map(str), st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "x"])
    ).map(_string)
    datetimes = st.one_of(
        st.datetimes().map(lambda d: d.isoformat() + "Z"),
        st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "now"]),
    ).map(_string)
    scalars = {
        "ID": ids,
        "String": strings,
        "Decimal": decimals,
        "Date": dates,
        "DateTime": datetimes,
        "JSON": st.just(_string("{}")),
        # Files travel in multipart requests only: a document can only give null.
        "Upload": st.just(graphql.NullValueNode()),
    }
    kinds = [
        hypothesis_graphql.queries(SCHEMA, custom_scalars=scalars),
        hypothesis_graphql.mutations(SCHEMA, custom_scalars=scalars),
    ]
    negative = [
        hypothesis_graphql.queries(
            SCHEMA, custom_scalars=scalars, mode=hypothesis_graphql.Mode.NEGATIVE
        ),
        hypothesis_graphql.mutations(
            SCHEMA, custom_scalars=scalars, mode=hypothesis_graphql.Mode.NEGATIVE
        ),
    ]
    documents = st.one_of(*kinds, *kinds, *kinds, *negative)
    return st.tuples(st.sampled_from(sorted(world.tokens)), documents)


def crash_in(response: httpx.Response) -> tuple[str, str] | None:
    """(where, what) when this response shows a crash, or None."""
    if response.status_code >= 500:
        return "HTTP", f"HTTP {response.status_code}: {response.text[:500]}"
    try:
        body = response.json()
    except ValueError:
        return "HTTP", f"HTTP {response.status_code}, not JSON: {response.text[:500]}"
    for error in (body.get("errors") or []) if isinstance(body, dict) else []:
        if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR":
            return str((error.get("path") or ["?"])[0]), f"internal error: {error}"
    return None


def fuzz(url: str, world: World, seconds: float) -> tuple[int, dict[str, str]]:
    """Send generated documents until the time is up: how many, and one crash per field.

    The run goes on after a crash, so that one run finds every field that crashes.
    """
    stop = time.monotonic() + seconds
    sent = 0
    crashes: dict[str, str] = {}
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as http:

        @settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            # No shrinking: the server keeps what each example wrote, so a replay can differ.
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategies(world))
        def one(case: tuple[str, str]) -> None:
            nonlocal sent
            if time.monotonic() > stop:
                return
            role, document = case
            token = world.tokens[role]
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            try:
                response = http.post("/graphql", json={"query": document}, headers=headers)
            except httpx.TimeoutException:
                crashes.setdefault("stall", f"stalled as {role}:\n{document}")
                return
            sent += 1
            crash = crash_in(response)
            if crash is not None:
                where, what = crash
                crashes.setdefault(where, f"{what}\nas {role}:\n{document}")

        while time.monotonic() < stop:
            one()
    return sent, crashes


async def seed() -> World:
    brand = await make_brand()
    category = await make_category()
    product = await make_product(prices=("10.00", "25.50"), brand=brand, category=category)
    variant = await product.variants.all().first()
    assert variant is not None
    customer = await make_user(email="fuzz@example.com")
    admin = await make_user(role=Role.ADMIN, email="fuzz-admin@example.com")
    order = await make_order(customer, [(variant, 1)])
    ids = [
        gid("Brand", brand.id),
        gid("Category", category.id),
        gid("Product", product.id),
        gid("ProductVariant", variant.id),
        gid("Order", order.id),
        gid("User", customer.id),
    ]
    strings = [order.number, customer.email or "", "fuzz@example.com", "DE", "USD", "en"]
    return World(
        ids=ids,
        strings=strings,
        tokens={"anonymous": None, "customer": token_for(customer), "staff": token_for(admin)},
    )


async def test_generated_operations_never_crash_the_server(live_server: str) -> None:
    world = await seed()
    url = live_server.replace("ws://", "http://", 1).removesuffix("/graphql")
    # Hypothesis runs in a thread; the server goes on serving in this test's event loop.
    sent, crashes = await asyncio.to_thread(fuzz, url, world, FUZZ_SECONDS)
    print(f"fuzz: {sent} documents in {FUZZ_SECONDS:.0f} s, {len(crashes)} crashing fields")
    assert not crashes, "\n\n".join(crashes.values())
    assert sent > 0
