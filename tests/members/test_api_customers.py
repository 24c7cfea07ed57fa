"""The staff view of customers: list, search, filters, one customer's record, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.accounts import Role, User
from models.members import Address, MembershipTier
from tests.factories import gid, make_order, make_product, make_user

CUSTOMERS = """
query($first: Int, $after: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id email nickname }
  }
}
"""

CUSTOMERS_WITH_RECORDS = """
query {
  customers(first: 50) {
    nodes {
      id
      addresses { id city isDefault }
      orders(first: 2) { totalCount nodes { number itemCount total { amount } } }
    }
  }
}
"""

CUSTOMER = """
query($id: ID!) {
  customer(id: $id) {
    id email nickname contactPhone
    addresses { city postalCode country }
    orders { totalCount nodes { number status itemCount } }
  }
}
"""

NODE_USER = """
query($id: ID!) { node(id: $id) { ... on User { id email addresses { city } } } }
"""


async def customers_staff():
    return await make_user(role=Role.STAFF, permissions=("customers",))


async def test_staff_list_customers_newest_first_in_pages(client):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for n in range(3):
        user = await make_user(nickname=f"Shopper {n}")
        await User.filter(id=user.id).update(created_at=base + timedelta(days=n))
        made.append(user)
    await make_user(role=Role.STAFF, permissions=("catalog",))  # staff are not customers
    staff = await customers_staff()

    page = (await client.query(CUSTOMERS, {"first": 2}, user=staff))["customers"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    assert [n["nickname"] for n in page["nodes"]] == ["Shopper 2", "Shopper 1"]
    after = page["pageInfo"]["endCursor"]
    rest = (await client.query(CUSTOMERS, {"first": 2, "after": after}, user=staff))["customers"]
    assert [n["nickname"] for n in rest["nodes"]] == ["Shopper 0"]


async def test_search_matches_email_phone_and_nickname(client):
    await make_user(email="ada.lovelace@example.com", nickname="Countess")
    await make_user(email=None, phone="+442079460958", nickname="Charles")
    await make_user(email="grace@example.org", nickname="Amazing Grace")

    async def found(search: str) -> set[str]:
        data = await client.staff(CUSTOMERS, {"filter": {"search": search}})
        return {n["nickname"] for n in data["customers"]["nodes"]}

    assert await found("LOVELACE") == {"Countess"}
    assert await found("+44 20 7946") == {"Charles"}
    assert await found("grace") == {"Amazing Grace"}
    assert await found("example") == {"Countess", "Amazing Grace"}
    assert await found("nobody") == set()


async def test_filter_by_tier_and_signup_window(client):
    gold = await MembershipTier.create(name="Gold", rank=2)
    early = await make_user(nickname="Early", tier_id=gold.id)
    late = await make_user(nickname="Late")
    await User.filter(id=early.id).update(created_at=datetime(2025, 3, 1, tzinfo=UTC))
    await User.filter(id=late.id).update(created_at=datetime(2026, 3, 1, tzinfo=UTC))

    async def found(filter: dict) -> list[str]:
        data = await client.staff(CUSTOMERS, {"filter": filter})
        return [n["nickname"] for n in data["customers"]["nodes"]]

    assert await found({"tierId": gid("MembershipTier", gold.id)}) == ["Early"]
    assert await found({"tierId": gid("Product", gold.id)}) == []
    assert await found({"createdAfter": "2026-01-01T00:00:00Z"}) == ["Late"]
    assert await found({"createdBefore": "2026-01-01T00:00:00Z"}) == ["Early"]


async def test_deleted_accounts_are_listed_only_when_asked(client):
    await make_user(nickname="Here")
    await make_user(nickname="", email=None, deleted_at=datetime.now(UTC), is_active=False)
    assert len((await client.staff(CUSTOMERS))["customers"]["nodes"]) == 1
    data = await client.staff(CUSTOMERS, {"filter": {"includeDeleted": True}})
    assert len(data["customers"]["nodes"]) == 2


async def test_staff_read_one_customer_with_addresses_and_orders(client):
    product = await make_product(prices=("5.00",))
    variant = (await product.variants.all())[0]
    shopper = await make_user(nickname="Ada", contact_phone="+4930901820")
    await Address.create(
        user_id=shopper.id,
        full_name="Ada",
        line1="Unter den Linden 1",
        city="Berlin",
        postal_code="10117",
        country="DE",
        is_default=True,
    )
    order = await make_order(shopper, [(variant, 3)])
    data = await client.query(
        CUSTOMER, {"id": gid("User", shopper.id)}, user=await customers_staff()
    )
    assert data["customer"] == {
        "id": gid("User", shopper.id),
        "email": shopper.email,
        "nickname": "Ada",
        "contactPhone": "+4930901820",
        "addresses": [{"city": "Berlin", "postalCode": "10117", "country": "DE"}],
        "orders": {
            "totalCount": 1,
            "nodes": [{"number": order.number, "status": "COMPLETED", "itemCount": 3}],
        },
    }


async def test_customer_is_null_for_unknown_ids_and_staff_accounts(client):
    staff = await customers_staff()
    assert (await client.query(CUSTOMER, {"id": gid("User", 999999)}, user=staff))[
        "customer"
    ] is None
    assert (await client.query(CUSTOMER, {"id": gid("User", staff.id)}, user=staff))[
        "customer"
    ] is None
    assert (await client.query(CUSTOMER, {"id": "nonsense"}, user=staff))["customer"] is None


async def test_a_customer_cannot_read_another_customer_by_any_path(client):
    ada = await make_user()
    bob = await make_user()
    await Address.create(
        user_id=bob.id,
        full_name="Bob",
        line1="1 Rue",
        city="Paris",
        postal_code="75001",
        country="FR",
    )
    bob_id = gid("User", bob.id)

    body = await client.request(CUSTOMER, {"id": bob_id}, user=ada)
    assert body["data"] == {"customer": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(CUSTOMERS, user=ada)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.query(NODE_USER, {"id": bob_id}, user=ada))["node"] is None
    address_id = gid("Address", (await Address.get(user_id=bob.id)).id)
    assert (
        await client.query("query($id: ID!) { node(id: $id) { id } }", {"id": address_id}, user=ada)
    )["node"] is None
    data = await client.query(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [bob_id, address_id]}, user=ada
    )
    assert data["nodes"] == [None, None]


async def test_anonymous_and_other_staff_are_refused(client):
    shopper_id = gid("User", (await make_user()).id)
    body = await client.request(CUSTOMER, {"id": shopper_id})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    body = await client.request(CUSTOMER, {"id": shopper_id}, user=catalog_staff)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.query(NODE_USER, {"id": shopper_id}, user=catalog_staff))["node"] is None
    staff = await customers_staff()
    assert (await client.query(NODE_USER, {"id": shopper_id}, user=staff))["node"][
        "id"
    ] == shopper_id


async def test_customer_list_with_records_costs_the_same_queries_for_many(client, count_queries):
    product = await make_product(prices=("5.00",))
    variant = (await product.variants.all())[0]
    staff = await customers_staff()

    async def add_customers(n: int) -> None:
        for _ in range(n):
            user = await make_user()
            await Address.create(
                user_id=user.id,
                full_name="A",
                line1="B",
                city="C",
                postal_code="75001",
                country="FR",
            )
            for _ in range(3):
                await make_order(user, [(variant, 1)])

    async def statements() -> int:
        count_queries.statements.clear()
        await client.query(CUSTOMERS_WITH_RECORDS, user=staff)
        return count_queries.count

    await add_customers(2)
    few = await statements()
    await add_customers(8)
    many = await statements()
    data = await client.query(CUSTOMERS_WITH_RECORDS, user=staff)
    nodes = data["customers"]["nodes"]
    assert len(nodes) == 10
    assert all(len(n["orders"]["nodes"]) == 2 and n["orders"]["totalCount"] == 3 for n in nodes)
    assert all(len(n["addresses"]) == 1 for n in nodes)
    assert few == many


CUSTOMERS_WITH_LOYALTY = """
query {
  customers(first: 50) {
    nodes {
      id
      pointsEntries(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { amount } }
      checkIns(first: 1) { totalCount nodes { day } }
      redemptions(first: 1) { totalCount nodes { points reward { name } coupon { code } } }
    }
  }
}
"""


async def test_customer_list_with_loyalty_costs_the_same_queries_for_many(client, count_queries):
    from models.members import CheckIn, PointsKind, Reward, RewardRedemption
    from services.members import points

    staff = await customers_staff()
    reward = await Reward.create(name="Tote", kind="gift", points_cost=5)

    async def add_customers(n: int) -> None:
        for _ in range(n):
            user = await make_user()
            for day in range(3):
                await points.award(user.id, 10 + day, PointsKind.CHECK_IN, f"check-in:{day}")
            await CheckIn.create(user_id=user.id, day=datetime(2026, 1, 1, tzinfo=UTC).date())
            await RewardRedemption.create(user_id=user.id, reward=reward, points=5)

    async def statements() -> int:
        count_queries.statements.clear()
        await client.query(CUSTOMERS_WITH_LOYALTY, user=staff)
        return count_queries.count

    await add_customers(2)
    few = await statements()
    await add_customers(8)
    many = await statements()
    nodes = (await client.query(CUSTOMERS_WITH_LOYALTY, user=staff))["customers"]["nodes"]
    assert len(nodes) == 10
    for node in nodes:
        entries = node["pointsEntries"]
        assert entries["totalCount"] == 3 and entries["pageInfo"]["hasNextPage"] is True
        assert [n["amount"] for n in entries["nodes"]] == [12, 11]  # newest first
        assert node["checkIns"]["totalCount"] == 1 and len(node["checkIns"]["nodes"]) == 1
        assert node["redemptions"]["nodes"] == [
            {"points": 5, "reward": {"name": "Tote"}, "coupon": None}
        ]
    assert few == many

    # The next page, by cursor, continues where the batched first page stopped.
    cursor = nodes[0]["pointsEntries"]["pageInfo"]["endCursor"]
    rest = await client.query(
        "query($id: ID!, $after: String) { customer(id: $id) { pointsEntries(after: $after) "
        "{ nodes { amount } } } }",
        {"id": nodes[0]["id"], "after": cursor},
        user=staff,
    )
    assert [n["amount"] for n in rest["customer"]["pointsEntries"]["nodes"]] == [10]
