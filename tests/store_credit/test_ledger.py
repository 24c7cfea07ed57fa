"""The store credit ledger: one balance per customer and currency, moved only by `post`."""

from __future__ import annotations

import asyncio
import os

import pytest

from models.store_credit import CreditEntryKind, StoreCreditAccount, StoreCreditEntry
from services.store_credit import ledger
from services.store_credit.ledger import StoreCreditError, StoreCreditErrorCode
from tests.factories import make_user

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)


def _code(exc: pytest.ExceptionInfo[StoreCreditError]) -> object:
    return exc.value.problems[0].code


async def _sum_of_entries(account: StoreCreditAccount) -> int:
    return sum(e.amount for e in await StoreCreditEntry.filter(account_id=account.id))


async def test_a_grant_then_a_spend_keep_the_balance_equal_to_its_entries(db):
    member = await make_user()
    await ledger.post(member.id, "jpy", 1200, CreditEntryKind.GRANT, "grant:a")
    spent = await ledger.post(member.id, "JPY", -500, CreditEntryKind.SPEND, "order:TWAAAA0001")
    assert spent.balance_after == 700
    assert await ledger.balance(member.id, "JPY") == 700
    assert await ledger.balance(member.id, "USD") == 0
    account = await StoreCreditAccount.get(user_id=member.id, currency="JPY")
    assert account.balance == await _sum_of_entries(account) == 700


async def test_balances_are_kept_per_currency(db):
    member = await make_user()
    await ledger.post(member.id, "USD", 2500, CreditEntryKind.GRANT, "grant:usd")
    await ledger.post(member.id, "JPY", 3000, CreditEntryKind.GRANT, "grant:jpy")
    rows = await ledger.balances(member.id)
    assert [(a.currency, a.balance) for a in rows] == [("JPY", 3000), ("USD", 2500)]


async def test_a_spend_beyond_the_balance_is_refused_and_writes_nothing(db):
    member = await make_user()
    await ledger.post(member.id, "JPY", 100, CreditEntryKind.GRANT, "grant:b")
    with pytest.raises(StoreCreditError) as exc:
        await ledger.post(member.id, "JPY", -101, CreditEntryKind.SPEND, "order:TWAAAA0002")
    assert _code(exc) is StoreCreditErrorCode.INSUFFICIENT_CREDIT
    assert await ledger.balance(member.id, "JPY") == 100
    assert await StoreCreditEntry.filter(kind=CreditEntryKind.SPEND).count() == 0


async def test_the_same_reference_posted_twice_moves_once(db):
    member = await make_user()
    first = await ledger.post(member.id, "EUR", 990, CreditEntryKind.RETURN, "return:7")
    again = await ledger.post(member.id, "EUR", 990, CreditEntryKind.RETURN, "return:7")
    assert again.id == first.id
    assert await ledger.balance(member.id, "EUR") == 990


async def test_a_reference_reused_with_another_amount_or_customer_is_refused(db):
    member, other = await make_user(), await make_user()
    await ledger.post(member.id, "EUR", 990, CreditEntryKind.RETURN, "return:8")
    with pytest.raises(StoreCreditError) as exc:
        await ledger.post(member.id, "EUR", 991, CreditEntryKind.RETURN, "return:8")
    assert _code(exc) is StoreCreditErrorCode.REFERENCE_REUSED
    with pytest.raises(StoreCreditError) as exc:
        await ledger.post(other.id, "EUR", 990, CreditEntryKind.RETURN, "return:8")
    assert _code(exc) is StoreCreditErrorCode.REFERENCE_REUSED
    assert await ledger.balance(member.id, "EUR") == 990
    assert await ledger.balance(other.id, "EUR") == 0


async def test_one_reference_may_serve_two_kinds(db):
    member = await make_user()
    await ledger.post(member.id, "JPY", 500, CreditEntryKind.GRANT, "case:1")
    await ledger.post(member.id, "JPY", -200, CreditEntryKind.ADJUSTMENT, "case:1")
    assert await ledger.balance(member.id, "JPY") == 300


@pytest.mark.parametrize(
    ("currency", "amount", "reference", "note", "code"),
    [
        ("XXX", 100, "r:1", "", StoreCreditErrorCode.INVALID_CURRENCY),
        ("JPY", 0, "r:1", "", StoreCreditErrorCode.INVALID_AMOUNT),
        ("JPY", ledger.MAX_BALANCE + 1, "r:1", "", StoreCreditErrorCode.INVALID_AMOUNT),
        ("JPY", 100, "", "", StoreCreditErrorCode.INVALID),
        ("JPY", 100, "r" * 81, "", StoreCreditErrorCode.INVALID),
        ("JPY", 100, "r:1", "n" * 301, StoreCreditErrorCode.TOO_LONG),
    ],
)
async def test_bad_movements_are_refused(db, currency, amount, reference, note, code):
    member = await make_user()
    with pytest.raises(StoreCreditError) as exc:
        await ledger.post(member.id, currency, amount, CreditEntryKind.GRANT, reference, note=note)
    assert _code(exc) is code
    assert await StoreCreditEntry.all().count() == 0


async def test_a_balance_never_grows_past_the_maximum(db):
    member = await make_user()
    await ledger.post(member.id, "JPY", ledger.MAX_BALANCE, CreditEntryKind.GRANT, "g:1")
    with pytest.raises(StoreCreditError) as exc:
        await ledger.post(member.id, "JPY", 1, CreditEntryKind.GRANT, "g:2")
    assert _code(exc) is StoreCreditErrorCode.INVALID_AMOUNT


@on_postgres
async def test_spends_at_once_never_take_the_balance_below_zero(db):
    member = await make_user()
    await ledger.post(member.id, "JPY", 1000, CreditEntryKind.GRANT, "grant:c")

    async def spend(n: int) -> bool:
        try:
            await ledger.post(member.id, "JPY", -300, CreditEntryKind.SPEND, f"order:TWC{n:07d}")
        except StoreCreditError:
            return False
        return True

    results = await asyncio.gather(*(spend(n) for n in range(8)))
    assert results.count(True) == 3
    account = await StoreCreditAccount.get(user_id=member.id, currency="JPY")
    assert account.balance == 100 == await _sum_of_entries(account)


@on_postgres
async def test_one_reference_posted_at_once_moves_once_and_others_all_apply(db):
    member = await make_user()
    same = [
        ledger.post(member.id, "EUR", 500, CreditEntryKind.RETURN, "return:42") for _ in range(6)
    ]
    different = [
        ledger.post(member.id, "EUR", 100, CreditEntryKind.RETURN, f"return:{n}")
        for n in range(100, 104)
    ]
    entries = await asyncio.gather(*same, *different)
    assert len({e.id for e in entries[:6]}) == 1
    account = await StoreCreditAccount.get(user_id=member.id, currency="EUR")
    assert account.balance == 900 == await _sum_of_entries(account)


@on_postgres
async def test_the_first_movements_of_a_new_account_at_once_make_one_account(db):
    member = await make_user()
    await asyncio.gather(
        *(
            ledger.post(member.id, "USD", 100, CreditEntryKind.GRANT, f"grant:new{n}")
            for n in range(5)
        )
    )
    assert await StoreCreditAccount.filter(user_id=member.id).count() == 1
    assert await ledger.balance(member.id, "USD") == 500
