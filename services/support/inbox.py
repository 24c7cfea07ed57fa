"""The staff inbox: conversations filtered by view (all, unassigned, mine, breaching), status,
channel, priority, label, assignee and a search, ordered by what is most pressing (priority,
then the oldest waiting customer word), with counts per status and per view for its tabs;
and what staff see beside a conversation (the customer's orders, parcels, returns, credit).

The order is a keyset of (priority rank, whether a customer word waits, when it came, id),
so a page never skips or repeats a conversation however many arrive meanwhile.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from tortoise import timezone
from tortoise.expressions import Case, Q, Subquery, When
from tortoise.functions import Count

from models.accounts import User
from models.orders import Order, Shipment
from models.returns import ReturnRequest
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
)
from services.errors import Problem
from services.pagination import (
    DEFAULT_PAGE_SIZE,
    Page,
    PageRequest,
    PaginationError,
    PaginationErrorCode,
    check_page_size,
)
from services.support import numbers
from services.support import status as machine
from services.support.errors import SupportErrorCode, fail, not_found

MAX_SEARCH = 100
#: How many of the customer's latest orders, parcels and returns sit beside a conversation.
CONTEXT_SIZE = 5


class InboxView(StrEnum):
    ALL = "all"
    UNASSIGNED = "unassigned"
    MINE = "mine"
    #: A service-level target missed, or its time passed, while the shop owes the answer.
    BREACHING = "breaching"


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """Every given filter must match."""

    view: InboxView = InboxView.ALL
    status: ConversationStatus | None = None
    channel: ConversationChannel | None = None
    priority: ConversationPriority | None = None
    label: str | None = None
    assignee_id: int | None = None
    #: A conversation number (or its start), or part of the subject, the contact's name or
    #: email, or the customer account's email.
    search: str | None = None


def _text(value: str, limit: int, name: str) -> str:
    text = " ".join(value.split())
    if "\x00" in text:
        raise fail(SupportErrorCode.INVALID, "The text holds characters text cannot.", name)
    if len(text) > limit:
        raise fail(SupportErrorCode.TOO_LONG, f"At most {limit} characters.", name)
    return text


def view_query(view: InboxView, *, viewer_id: int, now: datetime) -> Q:
    if view is InboxView.UNASSIGNED:
        return Q(assignee_id=None)
    if view is InboxView.MINE:
        return Q(assignee_id=viewer_id)
    if view is InboxView.BREACHING:
        late = (
            Q(breached_at__isnull=False)
            | Q(first_response_at=None, first_response_due_at__lt=now)
            | Q(resolution_due_at__lt=now)
        )
        return Q(status__in=list(machine.ACTIVE)) & late
    return Q()


def filter_query(
    given: InboxFilter,
    *,
    viewer_id: int,
    now: datetime | None = None,
    views: bool = True,
    statuses: bool = True,
) -> Q:
    """The WHERE clause of the inbox; `views` / `statuses` False leave those filters out
    (for the counts). INVALID or TOO_LONG at the filter's field for a bad value."""
    now = now or timezone.now()
    q = Q()
    if views:
        q &= view_query(given.view, viewer_id=viewer_id, now=now)
    if statuses and given.status is not None:
        q &= Q(status=ConversationStatus(given.status))
    if given.channel is not None:
        q &= Q(channel=ConversationChannel(given.channel))
    if given.priority is not None:
        q &= Q(priority=ConversationPriority(given.priority))
    if given.assignee_id is not None:
        q &= Q(assignee_id=given.assignee_id)
    if given.label:
        name = _text(given.label, 40, "label").lower()
        if name:
            q &= Q(labels__name=name)
    if given.search:
        text = _text(given.search, MAX_SEARCH, "search")
        if text:
            number = numbers.normalize_number(text)
            q &= (
                Q(number__startswith=number)
                | Q(subject__icontains=text)
                | Q(contact_name__icontains=text)
                | Q(contact_email__icontains=text.lower())
                | Q(customer__email__icontains=text.lower())
            )
    return q


def _rows(q: Q) -> Any:
    # Every join is to one row (a customer, one label by name): no conversation twice.
    # Conversations with a customer word waiting sort before those without (0 before 1).
    return Conversation.filter(q).annotate(
        no_wait=Case(When(last_customer_message_at__isnull=True, then="1"), default="0")
    )


def _cursor(row: Conversation) -> str:
    waited = row.last_customer_message_at
    key = [row.priority_rank, waited.isoformat() if waited else None, row.id]
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode()


def _after(cursor: str) -> Q:
    """The conversations after `cursor`'s in the inbox order."""
    try:
        rank, waited_text, pk = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        waited = datetime.fromisoformat(waited_text) if waited_text is not None else None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (rank, pk)):
            raise ValueError
    except Exception:
        raise PaginationError(
            Problem(PaginationErrorCode.INVALID_CURSOR, "The cursor is not valid.")
        ) from None
    later_rank = Q(priority_rank__gt=rank)
    if waited is None:
        same = Q(priority_rank=rank, last_customer_message_at=None, id__gt=pk)
        return later_rank | same
    same = Q(priority_rank=rank) & (
        Q(last_customer_message_at__gt=waited)
        | Q(last_customer_message_at=waited, id__gt=pk)
        | Q(last_customer_message_at=None)
    )
    return later_rank | same


async def list_inbox(
    given: InboxFilter,
    request: PageRequest,
    *,
    viewer_id: int,
    max_size: int,
    now: datetime | None = None,
) -> Page[Conversation]:
    """One page of the inbox, the most pressing first (forward pages only)."""
    if request.last is not None or request.before is not None:
        raise PaginationError(
            Problem(PaginationErrorCode.INVALID_PAGE_SIZE, "The inbox pages forward only.")
        )
    check_page_size(request, max_size)
    size = request.first if request.first is not None else DEFAULT_PAGE_SIZE
    q = filter_query(given, viewer_id=viewer_id, now=now)
    if request.after:
        q &= _after(request.after)
    rows = (
        await _rows(q)
        .order_by("priority_rank", "no_wait", "last_customer_message_at", "id")
        .limit(size + 1)
    )
    has_more = len(rows) > size
    rows = rows[:size]
    return Page(
        items=rows,
        cursors=[_cursor(row) for row in rows],
        has_next_page=has_more,
        has_previous_page=request.after is not None,
    )


async def count_inbox(given: InboxFilter, *, viewer_id: int, now: datetime | None = None) -> int:
    q = filter_query(given, viewer_id=viewer_id, now=now)
    return await Conversation.filter(q).count()


async def count_by_status(
    given: InboxFilter, *, viewer_id: int, now: datetime | None = None
) -> dict[ConversationStatus, int]:
    """Conversations per status under the other filters (the status left out)."""
    q = filter_query(given, viewer_id=viewer_id, now=now, statuses=False)
    rows = (
        await Conversation.filter(q)
        .annotate(n=Count("id"))
        .group_by("status")
        .values_list("status", "n")
    )
    return {ConversationStatus(value): int(n) for value, n in rows}


async def count_by_view(
    given: InboxFilter, *, viewer_id: int, now: datetime | None = None
) -> dict[InboxView, int]:
    """Conversations in each view under the other filters (the view left out)."""
    now = now or timezone.now()
    base = filter_query(given, viewer_id=viewer_id, now=now, views=False)
    counts = {}
    for view in InboxView:
        q = base & view_query(view, viewer_id=viewer_id, now=now)
        counts[view] = await Conversation.filter(q).count()
    return counts


@dataclass(frozen=True, slots=True)
class Context:
    """What staff see beside a conversation."""

    conversation: Conversation
    customer: User | None
    orders: list[Order]
    shipments: list[Shipment]
    returns: list[ReturnRequest]


async def context_of(conversation_id: int) -> Context:
    """The conversation's customer with their latest orders, parcels and returns (a guest's
    by the contact email on their orders), NOT_FOUND for no such conversation."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    if conversation is None:
        raise not_found("The conversation", "conversation_id")
    customer = (
        await User.get_or_none(id=conversation.customer_id)
        if conversation.customer_id is not None
        else None
    )
    if customer is not None:
        orders_q = Q(user_id=customer.id)
    elif conversation.contact_email:
        orders_q = Q(user_id=None, email=conversation.contact_email)
    else:
        return Context(conversation, None, [], [], [])
    orders = await Order.filter(orders_q).order_by("-id").limit(CONTEXT_SIZE)
    order_ids = Subquery(Order.filter(orders_q).values("id"))
    shipments = await Shipment.filter(order_id__in=order_ids).order_by("-id").limit(CONTEXT_SIZE)
    returns = await ReturnRequest.filter(order_id__in=order_ids).order_by("-id").limit(CONTEXT_SIZE)
    return Context(conversation, customer, orders, shipments, returns)
