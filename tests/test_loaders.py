"""Loaders: filed by domain, registered once, built lazily and only for what a request reads."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from functools import cached_property
from typing import Any, get_type_hints

import pytest
from aiodataloader import DataLoader

import loaders
from loaders import Loaders
from loaders.base import ByIdLoader, CountByUserIdLoader, ManyByLoader, NewestByUserIdLoader
from models.accounts import Role
from models.catalog import ListingCause
from models.orders import OrderStatus
from services.catalog import listing
from tests.factories import make_brand, make_order, make_product, make_user, token_for
from tests.live import next_message, subscribe

SHAPES = {ByIdLoader, ManyByLoader, NewestByUserIdLoader, CountByUserIdLoader}

PRODUCTS = "{ products(first: 5) { nodes { name brand { name } } } }"
MY_ORDERS = "{ me { orders(first: 5) { totalCount nodes { number itemCount } } } }"


def domain_modules() -> Iterator[Any]:
    for info in pkgutil.iter_modules(loaders.__path__):
        if info.name != "base":
            yield importlib.import_module(f"loaders.{info.name}")


def containers() -> dict[str, type]:
    """Each domain module's container class, by module stem."""
    found = {}
    for module in domain_modules():
        (container,) = [
            cls
            for name, cls in vars(module).items()
            if inspect.isclass(cls)
            and name.endswith("Loaders")
            and cls.__module__ == module.__name__
        ]
        found[module.__name__.rsplit(".", 1)[1]] = container
    return found


def attributes(container: type) -> dict[str, type]:
    """A container's loader attributes, with the loader class each builds."""
    return {
        name: get_type_hints(prop.func)["return"]
        for name, prop in vars(container).items()
        if isinstance(prop, cached_property)
    }


def test_every_loader_is_registered_once_in_its_own_domain():
    registered: dict[str, type] = {}
    for stem, container in containers().items():
        module = importlib.import_module(f"loaders.{stem}")
        defined = {
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls)
            and issubclass(cls, DataLoader)
            and cls.__module__ == module.__name__
        }
        built = attributes(container)
        # A domain's container builds its own loaders only, and every one of them.
        assert set(built.values()) == defined, stem
        assert not set(built) & set(registered), stem
        registered.update(built)
        assert issubclass(Loaders, container)
    assert set(attributes(Loaders)) == set()  # the container itself adds none
    assert all(hasattr(Loaders, name) for name in registered)
    assert len(registered) == 70


def test_loaders_are_filed_under_the_domain_of_their_model():
    for stem, container in containers().items():
        for name, cls in attributes(container).items():
            model = getattr(cls, "model", None)
            if model is not None:
                assert model.__module__ == f"models.{stem}", (stem, name)


async def test_a_container_builds_a_loader_on_first_use_and_keeps_it(db):
    first, second = Loaders(), Loaders()
    assert first.built() == frozenset()
    assert first.order is first.order
    assert first.built() == {"order"}
    assert second.order is not first.order  # nothing shared between requests
    assert second.built() == {"order"}


@pytest.fixture
def made(monkeypatch) -> list[Loaders]:
    """Every `Loaders` built from now on, in order."""
    made: list[Loaders] = []
    monkeypatch.setattr(Loaders, "__init__", lambda self: made.append(self))
    return made


async def test_a_product_list_builds_only_the_catalog_loaders_it_reads(client, made):
    brand = await make_brand(name="Acme")
    await make_product(name="Kettle", brand=brand)
    made.clear()
    data = await client.query(PRODUCTS)
    assert data["products"]["nodes"] == [{"name": "Kettle", "brand": {"name": "Acme"}}]
    (request,) = made
    # The brand shown comes joined with the page and is primed for later fields; the
    # category, not asked for, is neither read nor loaded.
    assert request.built() == {"brand"}


async def test_a_profile_builds_the_user_loader_only(client, made):
    user = await make_user(email="shopper@example.com")
    made.clear()
    body = await client.request("{ me { email } }", user=user)
    assert body["data"] == {"me": {"email": "shopper@example.com"}}
    (request,) = made
    assert request.built() == {"user"}


async def test_a_request_reading_no_row_builds_no_loader(client, made):
    assert await client.query("{ __typename }") == {"__typename": "Query"}
    (request,) = made
    assert request.built() == frozenset()


async def test_a_members_order_history_builds_the_user_and_order_loaders_only(client, made):
    user = await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    await make_order(user, [(variant, 2)], status=OrderStatus.COMPLETED)
    made.clear()
    body = await client.request(MY_ORDERS, user=user)
    orders = body["data"]["me"]["orders"]
    assert orders["totalCount"] == 1 and orders["nodes"][0]["itemCount"] == 2
    (request,) = made
    assert request.built() - {"user"} == {
        "recent_orders_by_user",
        "order_count_by_user",
        "lines_by_order",
    }
    assert request.built() - {"user"} <= set(attributes(containers()["orders"]))


async def test_each_subscription_event_gets_a_fresh_container_built_lazily(live_server, made):
    admin = await make_user(role=Role.ADMIN)
    product = await make_product(name="Lantern")
    query = "subscription { productListingChanged { visible product { name } } }"
    async with await subscribe(live_server, token_for(admin), query) as feed:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        made.clear()
        for visible in (False, True):
            await listing.announce(
                product, visible=visible, cause=ListingCause.STATUS, actor="staff:test"
            )
            message = await next_message(feed)
            assert message["payload"]["data"]["productListingChanged"] == {
                "visible": visible,
                "product": {"name": "Lantern"},
            }
    first, second = made
    # The product, and its viewer's profile for the prices it is shown in.
    assert first.built() == second.built() == {"product", "user"}
    assert first.product is not second.product
