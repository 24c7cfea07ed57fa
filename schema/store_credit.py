"""Store credit types: a customer's balances per currency and the ledger of their movements,
and the inputs and payloads of staff grants and adjustments.

`StoreCredit` hangs off `User` (`me { storeCredit }` for a shopper, `customer(id)
{ storeCredit }` for staff), which is only ever built for its owner or for staff with the
customers permission, so its fields need no checks of their own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry import relay

from models.store_credit import CreditEntryKind, StoreCreditAccount, StoreCreditEntry
from schema.context import Info
from schema.errors import UserError
from schema.kit import connection, page_or_error
from schema.money import CurrencyCode, MoneyType
from schema.relay import Connection, page_request
from services.store_credit import ledger
from services.store_credit.ledger import StoreCreditErrorCode

StoreCreditEntryKindEnum = strawberry.enum(CreditEntryKind, name="StoreCreditEntryKind")
StoreCreditErrorCodeEnum = strawberry.enum(StoreCreditErrorCode, name="StoreCreditErrorCode")


@strawberry.type(name="StoreCreditBalance", description="The credit held in one currency.")
class StoreCreditBalanceType:
    currency: CurrencyCode
    balance: MoneyType
    updated_at: datetime

    @classmethod
    def build(cls, account: StoreCreditAccount) -> StoreCreditBalanceType:
        return cls(
            currency=cast(Any, account.currency),
            balance=MoneyType.minor(account.balance, account.currency),
            updated_at=account.updated_at,
        )


@strawberry.type(
    name="StoreCreditEntry",
    description="One movement of a store credit balance: added (positive) or taken.",
)
class StoreCreditEntryType(relay.Node):
    id: relay.NodeID[int]
    kind: StoreCreditEntryKindEnum  # type: ignore[valid-type]
    amount: MoneyType = strawberry.field(description="Signed: negative amounts were taken.")
    balance_after: MoneyType
    note: str
    order_number: str | None = strawberry.field(
        description="The order it paid for or came back from, if any."
    )
    created_at: datetime

    @classmethod
    def build(
        cls, entry: StoreCreditEntry, order_number: str | None = None
    ) -> StoreCreditEntryType:
        """From an entry fetched with its account."""
        currency = entry.account.currency
        return cls(
            id=entry.id,
            kind=CreditEntryKind(entry.kind),
            amount=MoneyType.minor(entry.amount, currency),
            balance_after=MoneyType.minor(entry.balance_after, currency),
            note=entry.note,
            order_number=order_number,
            created_at=entry.created_at,
        )


@strawberry.type(name="StoreCreditEntryConnection")
class StoreCreditEntryConnection(Connection[StoreCreditEntryType]):
    pass


def _order_number(entry: StoreCreditEntry) -> str | None:
    # Spends and give-backs name their order in the reference (`order:<number>[:cancel]`),
    # which outlives the order row itself.
    if not entry.reference.startswith("order:"):
        return None
    return entry.reference.split(":")[1] or None


def entry_types(entries: list[StoreCreditEntry]) -> list[StoreCreditEntryType]:
    return [StoreCreditEntryType.build(e, _order_number(e)) for e in entries]


@strawberry.type(
    name="StoreCredit",
    description="A customer's store credit: a balance per currency, spendable at checkout "
    "in that currency, and its history.",
)
class StoreCreditType:
    _user_id: strawberry.Private[int]

    @strawberry.field(description="Every currency the customer has held credit in, by code.")
    async def balances(self) -> list[StoreCreditBalanceType]:
        return [StoreCreditBalanceType.build(a) for a in await ledger.balances(self._user_id)]

    @strawberry.field(description="The movements, newest first (one currency's, if given).")
    async def entries(
        self,
        info: Info,
        currency: CurrencyCode | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> StoreCreditEntryConnection:
        code = str(currency.value) if isinstance(currency, Enum) else currency
        page = await page_or_error(
            ledger.list_entries(
                self._user_id,
                page_request(first, after, last, before),
                currency=code,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            StoreCreditEntryConnection,
            page,
            entry_types(page.items),
            lambda: ledger.count_entries(self._user_id, code),
        )


# Staff mutations.


@strawberry.type(name="StoreCreditError")
class StoreCreditErrorType(UserError):
    code: StoreCreditErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input
class GrantStoreCreditInput:
    user_id: strawberry.ID
    currency: CurrencyCode = strawberry.field(
        description="The shop's currency or one it sells in; credit is spent in it."
    )
    amount: Decimal = strawberry.field(description="More than zero, in `currency`.")
    note: str = strawberry.field(description="Why (up to 300 characters); the customer sees it.")
    idempotency_key: str = strawberry.field(
        description="8-64 characters; repeating a key returns the first grant and adds "
        "nothing (the same key with another amount is refused with REFERENCE_REUSED)."
    )


@strawberry.input
class AdjustStoreCreditInput:
    user_id: strawberry.ID
    currency: CurrencyCode
    amount: Decimal = strawberry.field(
        description="Added (positive) or taken (negative); a balance never goes below zero."
    )
    note: str = strawberry.field(description="Why (up to 300 characters).")
    idempotency_key: str = strawberry.field(
        description="8-64 characters; repeating a key returns the first adjustment."
    )


@strawberry.type
class StoreCreditPayload:
    entry: StoreCreditEntryType | None = None
    balance: MoneyType | None = strawberry.field(
        default=None, description="The balance in the entry's currency after it."
    )
    errors: list[StoreCreditErrorType] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, entry: StoreCreditEntry, balance: int) -> Any:
        """From an entry fetched with its account, and its account's balance now."""
        return cls(
            entry=StoreCreditEntryType.build(entry),
            balance=MoneyType.minor(balance, entry.account.currency),
        )


@strawberry.type(name="GrantStoreCreditPayload")
class GrantStoreCreditPayload(StoreCreditPayload):
    pass


@strawberry.type(name="AdjustStoreCreditPayload")
class AdjustStoreCreditPayload(StoreCreditPayload):
    pass
