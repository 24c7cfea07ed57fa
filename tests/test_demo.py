"""The demo shop `make run` loads: through the services, once, browsable at once."""

from __future__ import annotations

import demo
from models.catalog import ListingStatus, Product, ProductImage


async def test_demo_catalog_loads_once_and_is_browsable(client):
    assert await demo.load_demo_catalog() is True
    total = await Product.all().count()
    assert total >= 20
    assert await ProductImage.all().count() >= total
    assert await Product.filter(status=ListingStatus.DRAFT).count() >= 1
    assert await Product.filter(publish_at__isnull=False).count() >= 1

    assert await demo.load_demo_catalog() is False  # a second start changes nothing
    assert await Product.all().count() == total

    data = await client.query(
        """{ products(first: 5, sortBy: {field: SALES, direction: DESC}) {
               totalCount edges { node { name featuredImage { url } brand { name } } }
               facets { brands { count } categories { category { name } count } } } }"""
    )
    shown = data["products"]
    assert 0 < shown["totalCount"] < total  # drafts and scheduled products stay hidden
    assert all(e["node"]["featuredImage"]["url"] for e in shown["edges"])
    assert {c["category"]["name"] for c in shown["facets"]["categories"]} >= {"Clothing"}


async def test_demo_people_can_sign_in_and_are_made_only_once(client):
    from demo.people import DEMO_ADMIN, DEMO_PASSWORD, load_demo_people

    assert await load_demo_people() is True
    assert await load_demo_people() is False
    data = await client.query(
        """mutation($input: SignInInput!) {
          signIn(input: $input) { session { user { role } } errors { code } } }""",
        {"input": {"login": DEMO_ADMIN, "password": DEMO_PASSWORD}},
    )
    assert data["signIn"]["session"]["user"]["role"] == "ADMIN"


async def test_demo_shopper_has_store_credit_with_a_history_written_once(client):
    from demo.people import DEMO_SHOPPER, load_demo_people, load_demo_store_credit
    from models.accounts import User

    await load_demo_people()
    assert await load_demo_store_credit() is True
    assert await load_demo_store_credit() is True  # again: nothing moves twice
    shopper = await User.get(email=DEMO_SHOPPER)
    data = await client.query(
        """{ me { storeCredit { balances { currency balance { amount } }
                              entries(first: 10) { totalCount } } } }""",
        user=shopper,
    )
    credit = data["me"]["storeCredit"]
    assert credit["balances"] == [
        {"currency": "JPY", "balance": {"amount": "1500"}},
        {"currency": "USD", "balance": {"amount": "15.00"}},
    ]
    assert credit["entries"]["totalCount"] == 3


async def test_demo_membership_programme_is_made_once(client):
    from demo.people import DEMO_TIERS, load_demo_membership

    assert await load_demo_membership() is True
    assert await load_demo_membership() is False
    data = await client.query(
        "{ membershipTiers(first: 10) { nodes { name } } rewards(first: 10) { nodes { name } } }"
    )
    assert [t["name"] for t in data["membershipTiers"]["nodes"]] == [t[0] for t in DEMO_TIERS]
    assert len(data["rewards"]["nodes"]) == 2


async def test_demo_review_counts_are_real_approved_reviews_the_product_page_lists(client):
    from demo.people import load_demo_people
    from demo.reviews import REVIEWERS, load_demo_reviews
    from models.reviews import Review, ReviewStatus

    await demo.load_demo_catalog()
    await load_demo_people()
    assert await load_demo_reviews() is True
    assert await load_demo_reviews() is False  # a second start changes nothing
    assert await Review.filter(status=ReviewStatus.APPROVED).count() == await Review.all().count()

    rated = await Product.filter(rating_count__gt=0).order_by("id")
    assert len(rated) >= 10
    for product in rated:
        reviews = await Review.filter(product_id=product.id, status=ReviewStatus.APPROVED)
        assert product.rating_count == len(reviews) <= len(REVIEWERS)
        assert product.rating_average == round(sum(r.rating for r in reviews) / len(reviews), 2)
        assert all(r.title and r.body for r in reviews)
    assert await Product.filter(rating_count=0, reviews__id__isnull=False).count() == 0

    query = """query($slug: String!) { product(slug: $slug) {
      ratingCount ratingAverage
      reviews(first: 20) { totalCount nodes { rating authorName body } } } }"""
    pages = [(await client.query(query, {"slug": p.slug}))["product"] for p in rated[:6]]
    page = next(p for p in pages if p is not None)  # one on sale now
    assert page["ratingCount"] == page["reviews"]["totalCount"] == len(page["reviews"]["nodes"])
    assert {n["authorName"] for n in page["reviews"]["nodes"]} <= {r.nickname for r in REVIEWERS}
    stars = [n["rating"] for n in page["reviews"]["nodes"]]
    assert page["ratingAverage"] == round(sum(stars) / len(stars), 2)


async def _demo_shop_with_orders() -> None:
    from demo.currency import load_demo_currencies
    from demo.orders import load_demo_orders

    await demo.load_demo_catalog()
    await load_demo_currencies()
    assert await load_demo_orders() is True


async def test_demo_orders_are_written_once_with_their_payments_and_stock(client):
    from demo.orders import ORDERS, load_demo_orders
    from models.inventory import MovementKind, StockMovement
    from models.orders import Order, OrderLine, OrderStatus
    from models.payments import Payment, PaymentStatus, Refund, RefundStatus
    from services.inventory.stock import verify_ledger

    await _demo_shop_with_orders()
    assert await load_demo_orders() is False  # a second start writes nothing
    total = await Order.all().count()
    assert ORDERS - 30 <= total <= ORDERS
    assert await OrderLine.all().count() >= total
    by_status = {s: await Order.filter(status=s).count() for s in OrderStatus}
    assert by_status[OrderStatus.COMPLETED] > total // 3
    for status in OrderStatus:
        assert by_status[status] >= 1, status
    assert len(set(await Order.all().values_list("currency", flat=True))) >= 6
    assert len(set(await Order.all().values_list("ship_country", flat=True))) >= 8
    paid = await Order.exclude(
        status__in=(OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED)
    ).count()
    captured = await Payment.filter(
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED)
    ).count()
    assert captured == paid + await Refund.filter(status=RefundStatus.SUCCEEDED).count()
    assert await Payment.filter(status=PaymentStatus.FLAGGED).count() == 1
    assert await Refund.filter(status=RefundStatus.FAILED).count() == 1
    # The ledger explains every stock figure, shipped orders included.
    assert await verify_ledger() == []
    assert await StockMovement.filter(kind=MovementKind.SALE).count() > 100


async def test_demo_statistics_agree_with_the_orders(client):
    from datetime import UTC, datetime, timedelta

    from models.orders import Order, OrderStatus

    await _demo_shop_with_orders()
    today = datetime.now(UTC).date()
    data = await client.query(
        """query($from: Date!, $to: Date!) {
          orderStatistics(from: $from, to: $to) {
            statistics { orderCount cancelledCount revenue { amount currency }
                         daily { orders } byCountry { country } }
            errors { code } } }""",
        {"from": (today - timedelta(days=100)).isoformat(), "to": today.isoformat()},
        staff=True,
    )
    stats = data["orderStatistics"]["statistics"]
    counted = await Order.exclude(status=OrderStatus.CANCELLED).count()
    revenue = sum(o.total for o in await Order.exclude(status=OrderStatus.CANCELLED))
    assert stats["orderCount"] == counted
    assert stats["cancelledCount"] == await Order.filter(status=OrderStatus.CANCELLED).count()
    assert stats["revenue"] == {
        "amount": f"{revenue // 100}.{revenue % 100:02d}",
        "currency": "USD",
    }
    assert {"US", "CN", "JP", "DE", "GB"} <= {c["country"] for c in stats["byCountry"]}
    assert sum(day["orders"] for day in stats["daily"]) == counted
    assert stats["daily"][-1]["orders"] >= 4  # orders came in today


async def test_demo_customer_service_has_hours_replies_and_a_question_waiting(client):
    from demo.shop import load_demo_shop
    from demo.support import load_demo_support
    from models.accounts import Role
    from models.support import CannedReply, Conversation
    from tests.factories import make_user

    await load_demo_shop()
    assert not await load_demo_support(), "the demo's customer service is made only once"
    assert await CannedReply.filter(shortcut__in=["thanks", "where"]).count() == 2
    agent = await make_user(role=Role.STAFF, permissions=("support",))
    data = await client.query(
        "{ supportInbox { nodes { subject status priority firstResponseDueAt links { order"
        " { number } } } } supportSettings { timeZone } }",
        user=agent,
    )
    [waiting] = data["supportInbox"]["nodes"]
    assert waiting["status"] == "OPEN" and waiting["firstResponseDueAt"] is not None
    assert waiting["subject"] == f"Order {waiting['links'][0]['order']['number']}"
    assert data["supportSettings"]["timeZone"] == "Asia/Shanghai"
    assert await Conversation.all().count() == 1
