"""Store credit given or corrected by staff.

A grant (kind GRANT) adds credit to a customer's balance in one currency, a goodwill
gesture or the settlement of a service case; the customer is emailed about it. An
adjustment (kind ADJUSTMENT) corrects a balance either way and sends nothing; it never
takes the balance below zero. Both need a note saying why and an idempotency key: the key
names the movement (`grant:<customer>:<key digest>`), so a retried request finds the
entry the first one wrote and moves nothing, and the same key sent with another amount is
refused (REFERENCE_REUSED).
"""

from __future__ import annotations

import hashlib
import unicodedata
from decimal import Decimal

from models.accounts import Role, User
from models.currency import PresentmentCurrency
from models.store_credit import CreditEntryKind, StoreCreditEntry
from services import jobs
from services.money import InvalidAmount, InvalidCurrency, Money
from services.store_credit import ledger
from services.store_credit.ledger import Code, fail
from services.transactions import atomic
from settings import get_settings

#: The job that emails a customer about a grant.
EMAIL_TASK = "emails.store_credit"
MIN_KEY, MAX_KEY = 8, 64


def _note(note: str) -> str:
    note = note.strip()
    if not note:
        raise fail(Code.REQUIRED, "Say why the credit is given or changed.", "note")
    if len(note) > ledger.MAX_NOTE:
        raise fail(Code.TOO_LONG, f"A note is at most {ledger.MAX_NOTE} characters.", "note")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in note):
        raise fail(Code.INVALID, "A note is one line of text without control characters.", "note")
    return note


def _key(key: str) -> str:
    key = key.strip()
    if not MIN_KEY <= len(key) <= MAX_KEY or not key.isprintable():
        raise fail(
            Code.INVALID,
            f"Use an idempotency key of {MIN_KEY} to {MAX_KEY} printable characters.",
            "idempotency_key",
        )
    return key


async def usable_currency(currency: str) -> str:
    """The code, when the shop sells in it (its own currency or an enabled presentment one);
    credit in any other currency could never be spent."""
    code = (currency or "").strip().upper()
    if code == get_settings().shop_currency or await PresentmentCurrency.exists(
        code=code, enabled=True
    ):
        return code
    raise fail(Code.INVALID_CURRENCY, f"The shop does not sell in {currency!r}.", "currency")


def _minor(amount: Decimal | str, currency: str) -> int:
    try:
        minor = Money.from_decimal(amount, currency).minor
    except (InvalidAmount, InvalidCurrency) as exc:
        raise fail(Code.INVALID_AMOUNT, f"Not an amount of {currency}: {exc}.", "amount") from None
    if minor == 0 or abs(minor) > ledger.MAX_BALANCE:
        raise fail(Code.INVALID_AMOUNT, "The amount must be non-zero and sensible.", "amount")
    return minor


async def _customer(user_id: int) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None or user.role != Role.CUSTOMER or user.is_deleted:
        raise fail(Code.NOT_FOUND, "The customer does not exist.", "user_id")
    return user


def reference_for(kind: CreditEntryKind, user_id: int, key: str) -> str:
    """The ledger reference of a staff movement: the customer and the key's digest."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{kind.value}:{user_id}:{digest}"


async def grant_credit(
    user_id: int,
    currency: str,
    amount: Decimal | str,
    *,
    note: str,
    idempotency_key: str,
    actor_id: int | None,
) -> StoreCreditEntry:
    """Give the customer `amount` (a positive decimal of `currency`) of store credit and
    email them about it; a repeated key returns the first grant."""
    return await _by_hand(
        CreditEntryKind.GRANT, user_id, currency, amount, note, idempotency_key, actor_id
    )


async def adjust_credit(
    user_id: int,
    currency: str,
    amount: Decimal | str,
    *,
    note: str,
    idempotency_key: str,
    actor_id: int | None,
) -> StoreCreditEntry:
    """Correct the customer's balance by `amount` (either sign; never below zero); a
    repeated key returns the first adjustment."""
    return await _by_hand(
        CreditEntryKind.ADJUSTMENT, user_id, currency, amount, note, idempotency_key, actor_id
    )


async def _by_hand(
    kind: CreditEntryKind,
    user_id: int,
    currency: str,
    amount: Decimal | str,
    note: str,
    idempotency_key: str,
    actor_id: int | None,
) -> StoreCreditEntry:
    note = _note(note)
    key = _key(idempotency_key)
    code = await usable_currency(currency)
    minor = _minor(amount, code)
    if kind is CreditEntryKind.GRANT and minor < 0:
        raise fail(
            Code.INVALID_AMOUNT,
            "A grant adds credit; correct a balance downwards instead.",
            "amount",
        )
    user = await _customer(user_id)
    async with atomic():
        entry = await ledger.post(
            user.id,
            code,
            minor,
            kind,
            reference_for(kind, user.id, key),
            note=note,
            actor_id=actor_id,
        )
        if kind is CreditEntryKind.GRANT:
            # Keyed by the entry: a retry that found the first grant enqueues nothing more.
            await jobs.enqueue(EMAIL_TASK, key=f"email:credit:{entry.id}", entry_id=entry.id)
    return entry
