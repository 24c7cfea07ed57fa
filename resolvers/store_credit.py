"""Store credit root fields: staff grant credit to a customer or correct a balance. A
customer's balances and history are read on `User.storeCredit` (`me`, `customer(id)`)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.kit import input_pk, mutation
from schema.permissions import CanGrantStoreCredit, CanManageCustomers
from schema.store_credit import (
    AdjustStoreCreditInput,
    AdjustStoreCreditPayload,
    GrantStoreCreditInput,
    GrantStoreCreditPayload,
)
from services.store_credit import grants, ledger


def _currency(value: object) -> str:
    return str(getattr(value, "value", value))


@strawberry.type
class StoreCreditMutation:
    @mutation(
        permission_classes=[CanGrantStoreCredit],
        description="Give a customer store credit in a currency (staff with the customers or "
        "the support permission); the customer is emailed about it.",
    )
    async def grant_store_credit(
        self, info: Info, input: GrantStoreCreditInput
    ) -> GrantStoreCreditPayload:
        user_id = input_pk(input.user_id, "User", "userId")
        entry = await grants.grant_credit(
            user_id,
            _currency(input.currency),
            input.amount,
            note=input.note,
            idempotency_key=input.idempotency_key,
            actor_id=info.context.viewer.user_id,
        )
        await entry.fetch_related("account")
        balance = await ledger.balance(user_id, entry.account.currency)
        return GrantStoreCreditPayload.of(entry, balance)

    @mutation(
        permission_classes=[CanManageCustomers],
        description="Correct a customer's store credit either way (never below zero); "
        "nothing is sent to the customer.",
    )
    async def adjust_store_credit(
        self, info: Info, input: AdjustStoreCreditInput
    ) -> AdjustStoreCreditPayload:
        user_id = input_pk(input.user_id, "User", "userId")
        entry = await grants.adjust_credit(
            user_id,
            _currency(input.currency),
            input.amount,
            note=input.note,
            idempotency_key=input.idempotency_key,
            actor_id=info.context.viewer.user_id,
        )
        await entry.fetch_related("account")
        balance = await ledger.balance(user_id, entry.account.currency)
        return AdjustStoreCreditPayload.of(entry, balance)
