"""Store credit: a per-customer, per-currency balance and the ledger of its movements.

The balance row is the one that is locked: every movement takes it `FOR UPDATE`, checks
the balance, writes an entry with the balance after it, and updates the row, all in one
transaction. Entries are never edited. Amounts are integer minor units of the account's
currency.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.orders import Order
    from models.returns import ReturnRequest


class StoreCreditAccount(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="store_credit_accounts", on_delete=OnDelete.CASCADE
    )
    user_id: int
    currency = fields.CharField(max_length=3)
    balance = fields.BigIntField(default=0)
    entries: fields.ReverseRelation[StoreCreditEntry]
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "store_credit_account"
        unique_together = (("user", "currency"),)
        ordering = ["currency"]


class CreditEntryKind(StrEnum):
    RETURN = "return"  # the outcome of a return
    GRANT = "grant"  # given by staff (a goodwill gesture, a service case)
    SPEND = "spend"  # paid part of an order
    REFUND = "refund"  # what an order paid in credit, given back (cancelled or refunded)
    ADJUSTMENT = "adjustment"  # corrected by staff, either way


class StoreCreditEntry(Model):
    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[StoreCreditAccount] = fields.ForeignKeyField(
        "models.StoreCreditAccount", related_name="entries", on_delete=OnDelete.CASCADE
    )
    account_id: int
    kind = fields.CharEnumField(CreditEntryKind, max_length=16)
    #: Positive adds to the balance, negative takes from it.
    amount = fields.BigIntField()
    balance_after = fields.BigIntField()
    #: What the movement is for, unique per kind ("return:12", "order:TW-1042"): writing
    #: the same movement twice finds the first one instead.
    reference = fields.CharField(max_length=80)
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="store_credit_entries", null=True, on_delete=OnDelete.SET_NULL
    )
    order_id: int | None
    return_request: fields.ForeignKeyNullableRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest",
        related_name="store_credit_entries",
        null=True,
        on_delete=OnDelete.SET_NULL,
    )
    return_request_id: int | None
    note = fields.CharField(max_length=300, default="")
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="store_credit_actions", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "store_credit_entry"
        unique_together = (("kind", "reference"),)
        ordering = ["-created_at", "-id"]
