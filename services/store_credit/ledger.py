"""The store credit ledger: every movement of a customer's balance in one currency.

`post` is the one way to move a balance. It locks the account row, refuses to take the
balance below zero, writes the entry with the balance after it and updates the row, all in
one transaction, so two movements at once on one account queue on the lock and the balance
always equals the sum of its entries. A movement names what it is for (`kind` and
`reference`, unique together): posting it again returns the first entry and moves nothing.
"""

from __future__ import annotations

from enum import Enum

from tortoise.queryset import QuerySet

from models.store_credit import CreditEntryKind, StoreCreditAccount, StoreCreditEntry
from services.errors import ServiceError
from services.money import currency_codes
from services.pagination import Page, PageRequest, paginate
from services.transactions import atomic

#: The largest balance an account may hold, in minor units (far above any real credit,
#: far below what a 64-bit column can add up).
MAX_BALANCE = 10**13
MAX_NOTE = 300
MAX_REFERENCE = 80


class StoreCreditErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_CURRENCY = "invalid_currency"
    TOO_LONG = "too_long"
    #: The balance is smaller than the amount to take.
    INSUFFICIENT_CREDIT = "insufficient_credit"
    #: The movement was already posted with another amount, account or currency.
    REFERENCE_REUSED = "reference_reused"


class StoreCreditError(ServiceError[StoreCreditErrorCode]):
    """A store credit movement that was refused; nothing was changed."""


fail = StoreCreditError.fail
Code = StoreCreditErrorCode


async def balance(user_id: int, currency: str) -> int:
    """The customer's balance in `currency` (0 without an account)."""
    account = await StoreCreditAccount.get_or_none(user_id=user_id, currency=currency.upper())
    return 0 if account is None else account.balance


async def balances(user_id: int) -> list[StoreCreditAccount]:
    """The customer's accounts, by currency, including those at zero."""
    return await StoreCreditAccount.filter(user_id=user_id).order_by("currency")


def entries_of(user_id: int, currency: str | None = None) -> QuerySet[StoreCreditEntry]:
    """The customer's entries (one currency's, when given), unordered."""
    rows = StoreCreditEntry.filter(account__user_id=user_id)
    return rows.filter(account__currency=currency.upper()) if currency else rows


async def list_entries(
    user_id: int, request: PageRequest, *, currency: str | None = None, max_size: int = 100
) -> Page[StoreCreditEntry]:
    """A page of the customer's entries, newest first (keyset on `created_at`, then id)."""
    return await paginate(
        entries_of(user_id, currency).prefetch_related("account"),
        request,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )


async def count_entries(user_id: int, currency: str | None = None) -> int:
    return await entries_of(user_id, currency).count()


def _checked(currency: str, amount: int, reference: str, note: str) -> str:
    code = currency.upper()
    if code not in currency_codes():
        raise fail(Code.INVALID_CURRENCY, f"{currency!r} is not a currency.", "currency")
    if amount == 0 or abs(amount) > MAX_BALANCE:
        raise fail(Code.INVALID_AMOUNT, "The amount must be non-zero and sensible.", "amount")
    if not reference or len(reference) > MAX_REFERENCE:
        raise fail(Code.INVALID, "A movement needs a reference of 1 to 80 characters.")
    if len(note) > MAX_NOTE:
        raise fail(Code.TOO_LONG, f"A note is at most {MAX_NOTE} characters.", "note")
    return code


async def _locked_account(user_id: int, currency: str) -> StoreCreditAccount:
    # Create the row if it is missing without failing the transaction when another request
    # creates it first (PostgreSQL aborts a transaction on a unique violation).
    await StoreCreditAccount.bulk_create(
        [StoreCreditAccount(user_id=user_id, currency=currency)], ignore_conflicts=True
    )
    return await StoreCreditAccount.select_for_update().get(user_id=user_id, currency=currency)


async def post(
    user_id: int,
    currency: str,
    amount: int,
    kind: CreditEntryKind,
    reference: str,
    *,
    order_id: int | None = None,
    return_id: int | None = None,
    note: str = "",
    actor_id: int | None = None,
) -> StoreCreditEntry:
    """Add `amount` (minor units; negative takes) to the customer's `currency` balance.

    INSUFFICIENT_CREDIT when it would go below zero; the entry already posted for
    (`kind`, `reference`) when there is one with the same account and amount, and
    REFERENCE_REUSED when there is one that differs. Joins an enclosing `atomic()`.
    """
    code = _checked(currency, amount, reference, note)
    async with atomic():
        account = await _locked_account(user_id, code)
        earlier = await StoreCreditEntry.get_or_none(kind=kind, reference=reference)
        if earlier is not None:
            if earlier.account_id != account.id or earlier.amount != amount:
                raise fail(
                    Code.REFERENCE_REUSED,
                    f"The movement {reference} was already recorded differently.",
                    "reference",
                )
            return earlier
        after = account.balance + amount
        if after < 0:
            raise fail(
                Code.INSUFFICIENT_CREDIT,
                f"The store credit balance ({account.balance}) is less than {-amount}.",
                "amount",
            )
        if after > MAX_BALANCE:
            raise fail(Code.INVALID_AMOUNT, "The balance would be too large.", "amount")
        entry = await StoreCreditEntry.create(
            account_id=account.id,
            kind=kind,
            amount=amount,
            balance_after=after,
            reference=reference,
            order_id=order_id,
            return_request_id=return_id,
            note=note,
            actor_id=actor_id,
        )
        await StoreCreditAccount.filter(id=account.id).update(balance=after)
        return entry
