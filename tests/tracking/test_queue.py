"""The exceptions queue through the API: which parcels wait for staff, its filters, sort,
pages and counts, who may read it, and a query count that does not grow with the rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise import timezone

from models.accounts import Role, User
from models.orders import Order, Shipment
from models.shipping import Carrier
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.pagination import PageRequest
from services.tracking import events, progress, queue
from services.tracking.events import Report
from tests.factories import gid, make_user
from tests.tracking.helpers import shipped_order

QUEUE = """
query($filter: TrackingExceptionFilter, $sortBy: TrackingExceptionSortInput, $first: Int,
      $after: String) {
  trackingExceptions(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    statusCounts { status count }
    pageInfo { hasNextPage endCursor }
    nodes {
      orderId orderNumber customerName customerEmail country carrierName trackingNumber
      status subStatus since handledAt lastEventMessage
      shipment { id trackingStatus needsAttention lines { sku quantity } }
    }
  }
}"""

HANDLED = """
mutation($input: MarkShipmentHandledInput!) { markShipmentHandled(input: $input) {
  errors { code }
} }"""


async def _parcel(
    status: S,
    sub: Sub | None = None,
    *,
    days_ago: float = 1,
    message: str = "",
    country: str = "FR",
    **carrier: object,
) -> tuple[Order, Shipment]:
    """A shipped parcel whose carrier last reported `status`, `days_ago` days ago."""
    order, [parcel] = await shipped_order(1, **carrier)
    await Order.filter(id=order.id).update(
        ship_country=country, shipping_address={"full_name": f"Shopper {order.id}"}
    )
    at = timezone.now() - timedelta(days=days_ago)
    reports = [
        Report(S.IN_TRANSIT, at - timedelta(hours=5), message="On its way."),
        Report(status, at, sub_status=sub, message=message or status.value),
    ]
    await events.record(parcel.id, reports, source=TrackingSource.WEBHOOK)
    return await Order.get(id=order.id), await Shipment.get(id=parcel.id)


async def _queue(client: Any, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await client.staff(QUEUE, variables))["trackingExceptions"]
    return data


def _numbers(page: dict[str, Any]) -> list[str]:
    return [node["trackingNumber"] for node in page["nodes"]]


async def test_the_queue_holds_parcels_in_trouble_newest_trouble_first(client):
    _, lost = await _parcel(S.EXCEPTION, Sub.EXCEPTION_LOST, days_ago=3, message="Lost.")
    order, absent = await _parcel(
        S.ATTEMPT_FAILED, Sub.ATTEMPT_RECIPIENT_ABSENT, days_ago=1, message="Nobody home."
    )
    _, held = await _parcel(S.IN_CUSTOMS, Sub.CUSTOMS_HELD, days_ago=2)
    # Not in trouble: on its way, cleared by customs, delivered.
    await _parcel(S.IN_TRANSIT)
    await _parcel(S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED)
    await _parcel(S.DELIVERED)
    page = await _queue(client)
    assert _numbers(page) == [absent.tracking_number, held.tracking_number, lost.tracking_number]
    assert page["totalCount"] == 3
    first = page["nodes"][0]
    assert first["orderId"] == gid("Order", order.id)
    assert (first["orderNumber"], first["customerEmail"]) == (order.number, order.email)
    assert (first["customerName"], first["country"]) == (f"Shopper {order.id}", "FR")
    assert (first["status"], first["subStatus"]) == ("ATTEMPT_FAILED", "ATTEMPT_RECIPIENT_ABSENT")
    assert first["carrierName"] == "Test Post"
    assert first["lastEventMessage"] == "Nobody home."
    assert datetime.fromisoformat(first["since"]) == absent.status_since
    assert first["shipment"]["id"] == gid("Shipment", absent.id)
    assert first["shipment"]["needsAttention"] is True
    assert len(first["shipment"]["lines"]) == 1
    oldest = await _queue(client, sortBy={"field": "STATUS_SINCE", "direction": "ASC"})
    assert _numbers(oldest) == _numbers(page)[::-1]


async def test_a_parcel_marked_handled_leaves_the_queue_unless_asked_for(client):
    _, lost = await _parcel(S.EXCEPTION, Sub.EXCEPTION_DAMAGED)
    _, held = await _parcel(S.IN_CUSTOMS, Sub.CUSTOMS_DUTIES_DUE)
    answer = await client.staff(HANDLED, {"input": {"shipmentId": gid("Shipment", lost.id)}})
    assert answer["markShipmentHandled"]["errors"] == []
    assert _numbers(await _queue(client)) == [held.tracking_number]
    everything = await _queue(client, filter={"includeHandled": True})
    assert set(_numbers(everything)) == {held.tracking_number, lost.tracking_number}
    handled = next(n for n in everything["nodes"] if n["trackingNumber"] == lost.tracking_number)
    assert handled["handledAt"] is not None


async def test_filters_by_status_carrier_country_and_age(client):
    _, lost = await _parcel(S.EXCEPTION, Sub.EXCEPTION_LOST, days_ago=10, country="DE")
    _, absent = await _parcel(S.ATTEMPT_FAILED, days_ago=1, country="JP", name="Swift", code="sw")
    _, back = await _parcel(S.RETURNING, days_ago=4, country="DE")
    swift = await Carrier.get(code="sw")
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"statuses": ["EXCEPTION", "RETURNING"]}, {lost.tracking_number, back.tracking_number}),
        ({"statuses": ["IN_TRANSIT"]}, set()),
        ({"carrierIds": [gid("Carrier", swift.id)]}, {absent.tracking_number}),
        ({"carrierIds": [gid("Order", swift.id)]}, set()),
        ({"countries": ["DE"]}, {lost.tracking_number, back.tracking_number}),
        ({"countries": ["JP", "US"]}, {absent.tracking_number}),
        ({"olderThanDays": 3}, {lost.tracking_number, back.tracking_number}),
        ({"olderThanDays": 7}, {lost.tracking_number}),
        (
            {"since": (timezone.now() - timedelta(days=5)).isoformat()},
            {absent.tracking_number, back.tracking_number},
        ),
        ({"countries": ["DE"], "olderThanDays": 7}, {lost.tracking_number}),
    ]
    for given, expected in cases:
        page = await _queue(client, filter=given)
        assert set(_numbers(page)) == expected, given
        assert page["totalCount"] == len(expected), given


async def test_status_counts_leave_the_status_filter_out(client):
    await _parcel(S.EXCEPTION, Sub.EXCEPTION_LOST, country="DE")
    await _parcel(S.EXCEPTION, Sub.EXCEPTION_ADDRESS, country="DE")
    await _parcel(S.ATTEMPT_FAILED, country="DE")
    await _parcel(S.IN_CUSTOMS, Sub.CUSTOMS_HELD, country="FR")
    page = await _queue(client, filter={"statuses": ["ATTEMPT_FAILED"], "countries": ["DE"]})
    assert page["totalCount"] == 1
    assert page["statusCounts"] == [
        {"status": "ATTEMPT_FAILED", "count": 1},
        {"status": "EXCEPTION", "count": 2},
    ]


async def test_pages_follow_each_other_without_gaps(client):
    made = [(await _parcel(S.EXCEPTION, days_ago=day))[1] for day in (1, 2, 3, 4, 5)]
    newest_first = [p.tracking_number for p in made]
    first = await _queue(client, first=2)
    assert _numbers(first) == newest_first[:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 5
    second = await _queue(client, first=2, after=first["pageInfo"]["endCursor"])
    assert _numbers(second) == newest_first[2:4]
    third = await _queue(client, first=2, after=second["pageInfo"]["endCursor"])
    assert _numbers(third) == newest_first[4:]
    assert third["pageInfo"]["hasNextPage"] is False


async def test_bad_arguments_are_input_errors(client):
    for variables, code in [
        ({"filter": {"olderThanDays": -1}}, "INVALID"),
        ({"filter": {"olderThanDays": 4000}}, "INVALID"),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR"),
        ({"first": 100000}, "INVALID_PAGE_SIZE"),
    ]:
        body = await client.request(QUEUE, variables, staff=True)
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", variables
        assert error["extensions"]["problems"][0]["code"] == code, variables


async def test_only_staff_with_orders_read_the_queue(client):
    order, _ = await _parcel(S.EXCEPTION)
    owner = await User.get(id=order.user_id)
    clerk = await make_user(role=Role.STAFF, permissions=("catalog",))
    for user in (owner, clerk, None):
        body = await client.request(QUEUE, {}, user=user)
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    data = await client.query(QUEUE, {}, user=orders_staff)
    assert data["trackingExceptions"]["totalCount"] == 1


async def test_the_query_count_does_not_grow_with_the_rows(client, count_queries):
    async def add(n: int) -> None:
        for day in range(n):
            await _parcel(S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS, days_ago=day + 1)

    await add(2)
    await client.admin()
    count_queries.statements.clear()
    few = await _queue(client, first=50)
    few_count = count_queries.count
    await add(8)
    count_queries.statements.clear()
    many = await _queue(client, first=50)
    assert (len(few["nodes"]), len(many["nodes"])) == (2, 10)
    assert count_queries.count == few_count


async def test_the_queue_takes_exactly_the_parcels_needing_attention(db):
    """The SQL of the queue and `progress.needs_attention` agree on every status."""
    states = [(status, "") for status in S] + [
        (S.IN_CUSTOMS, sub.value) for sub in Sub if sub.value.startswith("customs_")
    ]
    _, parcels = await shipped_order(parcels=len(states))
    expected = set()
    for parcel, (status, sub) in zip(parcels, states, strict=True):
        await Shipment.filter(id=parcel.id).update(
            tracking_status=status, tracking_sub_status=sub, status_since=timezone.now()
        )
        if progress.needs_attention(status, sub):
            expected.add(parcel.id)
    page = await queue.list_exceptions(queue.QueueFilter(), PageRequest(first=50), max_size=50)
    assert {row.id for row in page.items} == expected
    assert await queue.count_exceptions(queue.QueueFilter()) == len(expected) == 7
