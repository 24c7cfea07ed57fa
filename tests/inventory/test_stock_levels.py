"""Stock per SKU for the console: the list with its search and level filters, and stocktakes
opened for a part of the stock."""

from __future__ import annotations

from models.accounts import Role
from models.inventory import Stocktake
from services.inventory import stock
from tests.factories import gid, make_product, make_user
from tests.inventory.helpers import stocked_variant

LEVELS = """
query($filter: StockLevelFilter, $first: Int, $after: String) {
  stockLevels(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      productName level
      variant { sku stockOnHand stockReserved stockAvailable effectiveLowStockThreshold }
    }
  }
}
"""

OPEN = """
mutation($input: OpenStocktakeInput!) {
  openStocktake(input: $input) {
    stocktake { id status note search level }
    errors { field code }
  }
}
"""


async def _skus(client, **filter) -> list[str]:
    data = await client.staff(LEVELS, {"filter": filter, "first": 50})
    return [n["variant"]["sku"] for n in data["stockLevels"]["nodes"]]


async def test_stock_levels_show_each_sku_with_its_figures_and_level(client):
    plenty = await stocked_variant(40, name="Linen apron")
    low = await stocked_variant(6, name="Teapot")
    await stock.reserve([(low.id, 2)], reference="TW1")  # 4 available: at or below 5
    out = await stocked_variant(3, name="Teapot lid")
    await stock.reserve([(out.id, 3)], reference="TW2")

    data = await client.staff(LEVELS, {"first": 50})
    nodes = {n["variant"]["sku"]: n for n in data["stockLevels"]["nodes"]}
    assert data["stockLevels"]["totalCount"] == 3
    assert nodes[low.sku] == {
        "productName": "Teapot",
        "level": "LOW_STOCK",
        "variant": {
            "sku": low.sku,
            "stockOnHand": 6,
            "stockReserved": 2,
            "stockAvailable": 4,
            "effectiveLowStockThreshold": 5,
        },
    }
    assert nodes[plenty.sku]["level"] == "IN_STOCK"
    assert nodes[out.sku]["level"] == "OUT_OF_STOCK"
    assert list(nodes) == sorted(nodes)

    assert await _skus(client, level="LOW_STOCK") == [low.sku]
    assert await _skus(client, level="OUT_OF_STOCK") == [out.sku]
    assert await _skus(client, level="IN_STOCK") == [plenty.sku]
    assert sorted(await _skus(client, search="teapot")) == sorted([low.sku, out.sku])
    assert await _skus(client, search="teapot lid") == [out.sku]
    assert await _skus(client, sku=plenty.sku.lower()) == [plenty.sku]
    assert await _skus(client, sku=plenty.sku[:-1]) == []


async def test_a_variants_own_threshold_decides_its_level(client):
    variant = await stocked_variant(12)
    assert await _skus(client, level="LOW_STOCK") == []
    variant.low_stock_threshold = 12
    await variant.save(update_fields=["low_stock_threshold"])
    assert await _skus(client, level="LOW_STOCK") == [variant.sku]


async def test_stock_levels_page_by_sku(client):
    product = await make_product(prices=("1.00", "2.00", "3.00"), stock=(1, 2, 3))
    first = (await client.staff(LEVELS, {"first": 2}))["stockLevels"]
    assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 3
    rest = await client.staff(LEVELS, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    skus = [n["variant"]["sku"] for n in first["nodes"] + rest["stockLevels"]["nodes"]]
    assert skus == sorted(await product.variants.all().values_list("sku", flat=True))
    assert rest["stockLevels"]["pageInfo"]["hasNextPage"] is False


async def test_stock_levels_are_for_inventory_staff_only(client):
    await stocked_variant(3)
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    refused = await client.request(LEVELS, {"first": 5}, user=clerk)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_stocktake_opened_for_a_part_of_the_stock_keeps_its_scope(client):
    opened = await client.staff(
        OPEN, {"input": {"note": "aisle 3", "search": " teapot ", "level": "LOW_STOCK"}}
    )
    take = opened["openStocktake"]["stocktake"]
    assert opened["openStocktake"]["errors"] == []
    assert (take["note"], take["search"], take["level"]) == ("aisle 3", "teapot", "LOW_STOCK")
    row = await Stocktake.get()
    assert gid("Stocktake", row.id) == take["id"]
    assert (row.scope_search, row.scope_level) == ("teapot", "low_stock")

    whole = (await client.staff(OPEN, {"input": {}}))["openStocktake"]["stocktake"]
    assert (whole["search"], whole["level"]) == ("", None)

    refused = await client.request(OPEN, {"input": {"search": "x" * 201}}, staff=True)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Stocktake.all().count() == 2
