"""Return outcome root fields: staff with the ORDERS permission preview what a return gives
back and carry it out."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.kit import argument_pk, input_pk, mutation, query
from schema.permissions import CanManageOrders
from schema.returns.outcome import (
    CarryOutReturnOutcomeInput,
    CarryOutReturnOutcomePayload,
    ReturnOutcomePreviewType,
)
from services.returns import carrying, outcome
from services.returns.outcome import OutcomeOptions


@strawberry.type
class ReturnsOutcomeQuery:
    @query(
        permission_classes=[CanManageOrders],
        description="What a return would give back, per line and in total, in the order's "
        "currency and the shop's, with the fees waived or missing units refunded if asked.",
    )
    async def return_outcome_preview(
        self,
        return_id: strawberry.ID,
        waive_restocking_fee: bool = False,
        waive_return_shipping: bool = False,
        refund_missing: bool = False,
    ) -> ReturnOutcomePreviewType:
        options = OutcomeOptions(waive_restocking_fee, waive_return_shipping, refund_missing)
        found = await outcome.preview(argument_pk(return_id, "Return", "returnId"), options)
        return ReturnOutcomePreviewType.build(found)


@strawberry.type
class ReturnsOutcomeMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Carry out a return's outcome once: a refund to the original payment, "
        "store credit, an exchange order, or a mix; then the return is closed. Retrying "
        "(same or another key) never does anything twice.",
    )
    async def carry_out_return_outcome(
        self, info: Info, input: CarryOutReturnOutcomeInput
    ) -> CarryOutReturnOutcomePayload:
        return_id = input_pk(input.return_id, "Return", "returnId", what="The return")
        choice = await carrying.choice_for(
            return_id,
            refund=input.refund,
            store_credit=input.store_credit,
            exchange=input.exchange,
            options=OutcomeOptions(
                input.waive_restocking_fee, input.waive_return_shipping, input.refund_missing
            ),
        )
        done = await carrying.carry_out(
            return_id,
            choice,
            actor_id=info.context.viewer.user_id or 0,
            version=input.version,
            idempotency_key=input.idempotency_key,
        )
        return await CarryOutReturnOutcomePayload.of(done)
