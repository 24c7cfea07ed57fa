"""Inventory through the GraphQL API, as the merchant console uses it."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.inventory import LowStockAlert, MovementKind, StockMovement, Stocktake
from services.inventory import stock
from tests.factories import gid, make_user
from tests.inventory.helpers import figures, stocked_variant

RECEIVE = """
mutation($input: ReceiveStockInput!) {
  receiveStock(input: $input) {
    movement { kind onHandChange onHandAfter reference note actorId }
    variant { sku stockOnHand stockReserved stockAvailable }
    errors { field code message }
  }
}
"""

ADJUST = """
mutation($input: AdjustStockInput!) {
  adjustStock(input: $input) {
    movement { kind onHandChange onHandAfter note }
    variant { stockOnHand }
    errors { field code }
  }
}
"""

VARIANT_STOCK = """
query($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on ProductVariant {
      stockOnHand stockReserved stockAvailable lowStockThreshold effectiveLowStockThreshold
      movements(first: $first, after: $after) {
        totalCount
        edges { cursor node { kind onHandChange reservedChange onHandAfter reference } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""

SET_THRESHOLD = """
mutation($input: SetLowStockThresholdInput!) {
  setLowStockThreshold(input: $input) {
    variant { lowStockThreshold effectiveLowStockThreshold }
    errors { field code }
  }
}
"""

ALERTS = """
query($open: Boolean, $first: Int) {
  lowStockAlerts(open: $open, first: $first) {
    totalCount
    nodes { id threshold available isOpen resolvedAt variant { sku stockAvailable } }
  }
}
"""

DISMISS = """
mutation($input: DismissLowStockAlertInput!) {
  dismissLowStockAlert(input: $input) { alert { isOpen } errors { field code } }
}
"""

SLOW = """
query($days: Int, $first: Int) {
  slowMovingVariants(days: $days, first: $first) {
    totalCount
    nodes {
      variant { sku } stockOnHand lastSoldAt daysSinceLastSale unitsSoldLast90Days daysOfCover
    }
  }
}
"""

OPEN_STOCKTAKE = """
mutation($note: String!) {
  openStocktake(input: {note: $note}) { stocktake { id status note } errors { code } }
}
"""

RECORD_COUNTS = """
mutation($input: RecordStocktakeCountsInput!) {
  recordStocktakeCounts(input: $input) { stocktake { id } errors { field code } }
}
"""

STOCKTAKE = """
query($id: ID!) {
  stocktake(id: $id) {
    status appliedAt
    lines { variant { sku } counted stockOnHand stockReserved difference }
  }
}
"""

APPLY = """
mutation($id: ID!) {
  applyStocktake(input: {id: $id}) { stocktake { status } errors { field code message } }
}
"""

CANCEL = """
mutation($id: ID!) {
  cancelStocktake(input: {id: $id}) { stocktake { status } errors { field code } }
}
"""


async def test_staff_receive_goods_and_the_receipt_explains_the_new_figure(client):
    variant = await stocked_variant(4)
    data = await client.staff(
        RECEIVE,
        {
            "input": {
                "variantId": gid("ProductVariant", variant.id),
                "quantity": 6,
                "reference": "PO-77",
                "note": "pallet 2",
            }
        },
    )
    payload = data["receiveStock"]
    admin = await client.admin()
    assert payload["errors"] == []
    assert payload["movement"] == {
        "kind": "RECEIPT",
        "onHandChange": 6,
        "onHandAfter": 10,
        "reference": "PO-77",
        "note": "pallet 2",
        "actorId": gid("User", admin.id),
    }
    assert payload["variant"]["stockOnHand"] == 10 and payload["variant"]["stockAvailable"] == 10
    assert await figures(variant) == (10, 0)


async def test_a_bad_receipt_is_refused_and_writes_nothing(client):
    variant = await stocked_variant(4)
    for given, field, code in (
        (
            {"variantId": gid("ProductVariant", variant.id), "quantity": 0},
            "quantity",
            "INVALID_QUANTITY",
        ),
        ({"variantId": gid("Product", variant.id), "quantity": 1}, "variantId", "NOT_FOUND"),
        ({"variantId": gid("ProductVariant", 999_999), "quantity": 1}, "variantId", "NOT_FOUND"),
    ):
        data = await client.staff(RECEIVE, {"input": given})
        payload = data["receiveStock"]
        assert payload["movement"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [([field], code)]
    assert await StockMovement.filter(variant_id=variant.id).count() == 1  # the initial receipt


async def test_adjusting_below_the_reserved_units_is_refused(client):
    variant = await stocked_variant(5)
    await stock.reserve([(variant.id, 4)], reference="TW1")
    variables = {
        "input": {"variantId": gid("ProductVariant", variant.id), "delta": -2, "reason": "lost"}
    }
    refused = (await client.staff(ADJUST, variables))["adjustStock"]
    assert refused["movement"] is None
    assert refused["errors"] == [{"field": ["delta"], "code": "BELOW_RESERVED"}]
    variables["input"]["delta"] = -1
    done = (await client.staff(ADJUST, variables))["adjustStock"]
    assert done["movement"] == {
        "kind": "ADJUSTMENT",
        "onHandChange": -1,
        "onHandAfter": 4,
        "note": "lost",
    }
    assert await figures(variant) == (4, 4)


async def test_a_variants_movements_page_newest_first(client):
    variant = await stocked_variant(10)
    await stock.reserve([(variant.id, 3)], reference="TW2")
    await stock.ship([(variant.id, 2)], reference="TW2")
    variables = {"id": gid("ProductVariant", variant.id), "first": 2}
    node = (await client.staff(VARIANT_STOCK, variables))["node"]
    assert (node["stockOnHand"], node["stockReserved"], node["stockAvailable"]) == (8, 1, 7)
    assert (node["lowStockThreshold"], node["effectiveLowStockThreshold"]) == (None, 5)
    movements = node["movements"]
    assert movements["totalCount"] == 3
    assert [e["node"]["kind"] for e in movements["edges"]] == ["SALE", "RESERVATION"]
    assert movements["edges"][0]["node"] == {
        "kind": "SALE",
        "onHandChange": -2,
        "reservedChange": -2,
        "onHandAfter": 8,
        "reference": "TW2",
    }
    variables["after"] = movements["pageInfo"]["endCursor"]
    rest = (await client.staff(VARIANT_STOCK, variables))["node"]["movements"]
    assert [e["node"]["kind"] for e in rest["edges"]] == ["RECEIPT"]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_stock_figures_are_for_catalog_or_inventory_staff_only(client):
    variant = await stocked_variant(3)
    keeper = await make_user(role=Role.STAFF, permissions=("inventory",))
    query = '{ node(id: "%s") { ... on ProductVariant { stockOnHand stockAvailable } } }'
    document = query % gid("ProductVariant", variant.id)
    assert (await client.query(document, user=keeper))["node"] == {
        "stockOnHand": 3,
        "stockAvailable": 3,
    }
    customer = await make_user()
    body = await client.request(document, user=customer)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    clerk = await make_user(role=Role.STAFF, permissions=("support",))
    body = await client.request(
        RECEIVE,
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
        user=clerk,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await figures(variant) == (3, 0)


async def test_thresholds_alerts_and_dismissal(client):
    variant = await stocked_variant(8)
    variant_id = gid("ProductVariant", variant.id)
    data = await client.staff(SET_THRESHOLD, {"input": {"variantId": variant_id, "threshold": 8}})
    assert data["setLowStockThreshold"] == {
        "variant": {"lowStockThreshold": 8, "effectiveLowStockThreshold": 8},
        "errors": [],
    }
    # Raising the threshold to the stock level alerts at once.
    alerts = (await client.staff(ALERTS, {"open": True}))["lowStockAlerts"]
    assert alerts["totalCount"] == 1
    (alert,) = alerts["nodes"]
    assert (alert["threshold"], alert["available"], alert["isOpen"]) == (8, 8, True)
    assert alert["variant"] == {"sku": variant.sku, "stockAvailable": 8}

    refused = await client.staff(
        SET_THRESHOLD, {"input": {"variantId": variant_id, "threshold": -1}}
    )
    assert refused["setLowStockThreshold"]["errors"] == [
        {"field": ["threshold"], "code": "INVALID_THRESHOLD"}
    ]
    back = await client.staff(
        SET_THRESHOLD, {"input": {"variantId": variant_id, "threshold": None}}
    )
    assert back["setLowStockThreshold"]["variant"] == {
        "lowStockThreshold": None,
        "effectiveLowStockThreshold": 5,
    }
    # Back on the default of 5, 8 available is fine again: the alert resolved itself.
    assert (await client.staff(ALERTS, {"open": True}))["lowStockAlerts"]["totalCount"] == 0

    await stock.adjust(variant.id, -4, reason="damaged")
    (second,) = (await client.staff(ALERTS, {"open": True}))["lowStockAlerts"]["nodes"]
    dismissed = await client.staff(DISMISS, {"input": {"id": second["id"]}})
    assert dismissed["dismissLowStockAlert"] == {"alert": {"isOpen": False}, "errors": []}
    everything = (await client.staff(ALERTS, {}))["lowStockAlerts"]
    assert [a["isOpen"] for a in everything["nodes"]] == [False, False]
    missing = await client.staff(DISMISS, {"input": {"id": gid("LowStockAlert", 999_999)}})
    assert missing["dismissLowStockAlert"]["errors"] == [{"field": ["id"], "code": "NOT_FOUND"}]


async def test_alert_lists_cost_the_same_queries_for_few_and_many(client, count_queries):
    async def statements_for(n: int) -> int:
        for _ in range(n):
            variant = await stocked_variant(6)
            await stock.adjust(variant.id, -2, reason="count")
        await client.admin()
        before = count_queries.count
        data = await client.staff(ALERTS, {"first": 50})
        assert len(data["lowStockAlerts"]["nodes"]) >= n
        return count_queries.count - before

    assert await statements_for(2) == await statements_for(8)


async def test_an_alert_is_not_found_by_id_for_customers(client):
    variant = await stocked_variant(6)
    await stock.adjust(variant.id, -2, reason="count")
    alert = await LowStockAlert.get(variant_id=variant.id)
    document = "query($id: ID!) { node(id: $id) { ... on LowStockAlert { threshold } } }"
    variables = {"id": gid("LowStockAlert", alert.id)}
    assert (await client.query(document, variables, user=await make_user()))["node"] is None
    assert (await client.staff(document, variables))["node"] == {"threshold": 5}


async def test_slow_moving_variants_with_days_of_cover(client):
    slow = await stocked_variant(20)
    await stock.reserve([(slow.id, 10)], reference="TW3")
    await stock.ship([(slow.id, 10)], reference="TW3")
    await StockMovement.filter(variant_id=slow.id).update(
        created_at=timezone.now() - timedelta(days=45)
    )
    selling = await stocked_variant(5)
    await stock.reserve([(selling.id, 1)], reference="TW4")
    await stock.ship([(selling.id, 1)], reference="TW4")

    data = await client.staff(SLOW, {"days": 30})
    result = data["slowMovingVariants"]
    assert result["totalCount"] == 1
    (mover,) = result["nodes"]
    assert mover["variant"] == {"sku": slow.sku}
    assert (mover["stockOnHand"], mover["daysSinceLastSale"], mover["unitsSoldLast90Days"]) == (
        10,
        45,
        10,
    )
    assert mover["daysOfCover"] == 90.0 and mover["lastSoldAt"] is not None
    everything = (await client.staff(SLOW, {"days": 1}))["slowMovingVariants"]
    assert everything["totalCount"] == 1  # the other sold today
    refused = await client.request(SLOW, {"days": 0}, staff=True)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_stocktake_from_count_to_applied(client):
    shelf, back = await stocked_variant(10), await stocked_variant(4)
    opened = (await client.staff(OPEN_STOCKTAKE, {"note": "year end"}))["openStocktake"]
    take_id = opened["stocktake"]["id"]
    assert opened["stocktake"]["status"] == "OPEN"

    bad = await client.staff(
        RECORD_COUNTS,
        {
            "input": {
                "stocktakeId": take_id,
                "counts": [
                    {"variantId": gid("ProductVariant", shelf.id), "counted": -3},
                ],
            }
        },
    )
    assert bad["recordStocktakeCounts"]["errors"] == [
        {"field": ["counts", "0", "counted"], "code": "INVALID_QUANTITY"}
    ]
    counts = [
        {"variantId": gid("ProductVariant", shelf.id), "counted": 9},
        {"variantId": gid("ProductVariant", back.id), "counted": 4},
    ]
    recorded = await client.staff(
        RECORD_COUNTS, {"input": {"stocktakeId": take_id, "counts": counts}}
    )
    assert recorded["recordStocktakeCounts"]["errors"] == []

    review = (await client.staff(STOCKTAKE, {"id": take_id}))["stocktake"]
    assert review["status"] == "OPEN" and review["appliedAt"] is None
    assert review["lines"] == [
        {
            "variant": {"sku": shelf.sku},
            "counted": 9,
            "stockOnHand": 10,
            "stockReserved": 0,
            "difference": -1,
        },
        {
            "variant": {"sku": back.sku},
            "counted": 4,
            "stockOnHand": 4,
            "stockReserved": 0,
            "difference": 0,
        },
    ]
    applied = await client.staff(APPLY, {"id": take_id})
    assert applied["applyStocktake"] == {"stocktake": {"status": "APPLIED"}, "errors": []}
    again = await client.staff(APPLY, {"id": take_id})
    assert again["applyStocktake"] == {"stocktake": {"status": "APPLIED"}, "errors": []}
    assert await figures(shelf) == (9, 0) and await figures(back) == (4, 0)
    assert await StockMovement.filter(kind=MovementKind.STOCKTAKE).count() == 1
    after = (await client.staff(STOCKTAKE, {"id": take_id}))["stocktake"]
    assert after["lines"][0]["stockOnHand"] == 10 and after["lines"][0]["difference"] == -1
    cancelled = await client.staff(CANCEL, {"id": take_id})
    assert cancelled["cancelStocktake"]["errors"] == [
        {"field": ["id"], "code": "STOCKTAKE_NOT_OPEN"}
    ]


async def test_a_stocktake_below_reserved_units_is_refused_then_cancelled(client):
    variant = await stocked_variant(5)
    await stock.reserve([(variant.id, 3)], reference="TW5")
    take_id = (await client.staff(OPEN_STOCKTAKE, {"note": ""}))["openStocktake"]["stocktake"]["id"]
    await client.staff(
        RECORD_COUNTS,
        {
            "input": {
                "stocktakeId": take_id,
                "counts": [
                    {"variantId": gid("ProductVariant", variant.id), "counted": 2},
                ],
            }
        },
    )
    refused = (await client.staff(APPLY, {"id": take_id}))["applyStocktake"]
    assert refused["stocktake"] is None
    assert [e["code"] for e in refused["errors"]] == ["BELOW_RESERVED"]
    assert await figures(variant) == (5, 3)
    cancelled = (await client.staff(CANCEL, {"id": take_id}))["cancelStocktake"]
    assert cancelled == {"stocktake": {"status": "CANCELLED"}, "errors": []}
    stocktakes = await client.staff(
        "{ stocktakes(status: CANCELLED) { totalCount nodes { note } } }"
    )
    assert stocktakes["stocktakes"]["totalCount"] == 1
    assert await Stocktake.filter(status="cancelled").count() == 1
