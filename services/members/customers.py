"""The staff view of customers: a filtered, searchable list and one customer's record.

Callers check the customers permission; these functions only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.accounts import Role, User
from services.members.errors import not_found
from services.pagination import Page, PageRequest, paginate

_PHONE_PUNCTUATION = re.compile(r"[\s().-]+")


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    #: Part of the sign-in email, the sign-in phone number or the nickname.
    search: str | None = None
    tier_id: int | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    #: Deleted accounts are left out unless asked for.
    include_deleted: bool = False


def customers_query(given: CustomerFilter) -> QuerySet[User]:
    """The customer accounts matching the filter, as one query."""
    qs = User.filter(role=Role.CUSTOMER)
    if not given.include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    search = (given.search or "").strip()
    if search:
        match = Q(email__icontains=search) | Q(nickname__icontains=search)
        # Phone numbers are stored in E.164: "+44 20 7946" finds "+44207946...".
        digits = _PHONE_PUNCTUATION.sub("", search)
        if digits:
            match |= Q(phone__contains=digits)
        qs = qs.filter(match)
    if given.tier_id is not None:
        qs = qs.filter(tier_id=given.tier_id)
    if given.created_after is not None:
        qs = qs.filter(created_at__gte=given.created_after)
    if given.created_before is not None:
        qs = qs.filter(created_at__lt=given.created_before)
    return qs


async def list_customers(
    given: CustomerFilter, request: PageRequest, *, max_size: int
) -> Page[User]:
    """One page of matching customers, the newest accounts first."""
    return await paginate(
        customers_query(given), request, sort_field="created_at", descending=True, max_size=max_size
    )


async def count_customers(given: CustomerFilter) -> int:
    return await customers_query(given).count()


async def get_customer(customer_id: int) -> User:
    """A customer account by id (deleted ones too, for order enquiries)."""
    user = await User.get_or_none(id=customer_id, role=Role.CUSTOMER)
    if user is None:
        raise not_found("The customer", "id")
    return user
