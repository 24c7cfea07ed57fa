"""The returns desk's root fields, for staff with the orders permission: the queue, one
return, and what staff do with a return until its goods are inspected."""

from __future__ import annotations

import strawberry

from models.returns import Inspection, ReturnStatus
from schema.context import Info
from schema.geo import CountryCode
from schema.kit import argument_pk, connection, input_pk, mutation, page_or_error
from schema.permissions import CanManageOrders
from schema.relay import page_request
from schema.returns.desk import (
    AddReturnParcelInput,
    AddReturnParcelPayload,
    ApproveReturnInput,
    CancelReturnByStaffInput,
    DeclineReturnInput,
    InspectReturnLinesInput,
    KeepReturnItemsInput,
    ReturnActionInput,
    ReturnConnection,
    UpdateReturnInstructionsInput,
)
from schema.returns.types import (
    ReturnParcelType,
    ReturnPayload,
    ReturnStatusEnum,
    ReturnType,
    built,
)
from services.orders.timeline import actor_for
from services.returns import handling, inspection, parcels, queue


def _return_pk(given: str) -> int:
    return input_pk(given, "Return", "returnId", what="The return")


@strawberry.type
class ReturnsDeskQuery:
    @strawberry.field(
        permission_classes=[CanManageOrders],
        description="Every return, newest first, with counts per status and per reason. "
        "`search` finds a return or order number (or its start) or part of the shopper's "
        "email; `olderThanDays` returns asked for at least that many days ago (0 to 3650).",
    )
    async def returns(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: ReturnStatusEnum | None = None,  # type: ignore[valid-type]
        reason_code: str | None = None,
        country: CountryCode | None = None,
        search: str | None = None,
        older_than_days: int | None = None,
    ) -> ReturnConnection:
        given = queue.ReturnFilter(
            status=ReturnStatus(status) if status is not None else None,
            reason_code=reason_code,
            country=country.value if country is not None else None,
            search=search,
            older_than_days=older_than_days,
        )
        page = await page_or_error(
            queue.list_returns(
                given,
                page_request(first, after, None, None),
                max_size=info.context.settings.max_page_size,
            )
        )
        orders = await info.context.loaders.order.load_many([r.order_id for r in page.items])
        nodes = [
            ReturnType.build(row, order)
            for row, order in zip(page.items, orders, strict=True)
            if order is not None
        ]
        return connection(
            ReturnConnection,
            page,
            nodes,
            lambda: queue.count_returns(given),
            _status_counts=lambda: queue.count_by_status(given),
            _reason_counts=lambda: queue.count_by_reason(given),
        )

    @strawberry.field(
        permission_classes=[CanManageOrders], description="One return, for staff; null if none."
    )
    async def return_request(self, info: Info, id: strawberry.ID) -> ReturnType | None:
        ret = await info.context.loaders.return_request.load(argument_pk(id, "Return", "id"))
        return await built(info, ret) if ret is not None else None


@strawberry.type
class ReturnsDeskMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Approve a requested return, with how to send the goods back and a "
        "prepaid label's reference, both optional.",
    )
    async def approve_return(self, info: Info, input: ApproveReturnInput) -> ReturnPayload:
        ret = await handling.approve(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            instructions=input.instructions,
            label_reference=input.label_reference,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Decline a requested return, with the reason the shopper reads.",
    )
    async def decline_return(self, info: Info, input: DeclineReturnInput) -> ReturnPayload:
        ret = await handling.decline(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            reason=input.reason,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Change the instructions or the label of an approved return (or one on "
        "its way back).",
    )
    async def update_return_instructions(
        self, info: Info, input: UpdateReturnInstructionsInput
    ) -> ReturnPayload:
        ret = await handling.update_instructions(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            instructions=input.instructions,
            label_reference=input.label_reference,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Record the parcel an approved return's goods come back in: the return "
        "becomes IN_TRANSIT and follows the parcel's tracking (delivered: RECEIVED).",
    )
    async def add_return_parcel(
        self, info: Info, input: AddReturnParcelInput
    ) -> AddReturnParcelPayload:
        added = await parcels.add_parcel(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            carrier_id=input_pk(input.carrier_id, "Carrier", "carrierId", what="The carrier"),
            tracking_number=input.tracking_number,
            accept_invalid_tracking_number=input.accept_invalid_tracking_number,
        )
        return AddReturnParcelPayload(
            return_request=await built(info, added.return_request),
            parcel=ReturnParcelType.build(added.parcel),
        )

    @mutation(
        permission_classes=[CanManageOrders],
        description="Record that an approved return's goods (or those in transit) arrived; "
        "its lines then wait for inspection.",
    )
    async def receive_return(self, info: Info, input: ReturnActionInput) -> ReturnPayload:
        ret = await handling.receive(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Decide what became of lines of a received return. RESTOCK puts the "
        "units back in stock (a RETURN movement referencing the return's number); deciding "
        "a line again before the inspection is finished corrects the stock rather than "
        "counting twice.",
    )
    async def inspect_return_lines(
        self, info: Info, input: InspectReturnLinesInput
    ) -> ReturnPayload:
        decisions = [
            inspection.LineDecision(
                line_id=input_pk(line.line_id, "ReturnLine", "lines", str(i), "lineId"),
                inspection=Inspection(line.inspection),
                quantity=line.quantity,
                note=line.note,
            )
            for i, line in enumerate(input.lines)
        ]
        ret = await inspection.inspect_lines(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            decisions=decisions,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Finish the inspection of a received return whose every line is "
        "decided: it becomes INSPECTED, ready for its outcome.",
    )
    async def finish_return_inspection(self, info: Info, input: ReturnActionInput) -> ReturnPayload:
        ret = await inspection.finish(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Let the shopper keep an approved return's goods (they cost more to send "
        "back than they are worth): the outcome is then carried out without a parcel.",
    )
    async def keep_return_items(self, info: Info, input: KeepReturnItemsInput) -> ReturnPayload:
        ret = await handling.keep_items(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            note=input.note,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Cancel a return that is requested or approved.",
    )
    async def cancel_return_by_staff(
        self, info: Info, input: CancelReturnByStaffInput
    ) -> ReturnPayload:
        ret = await handling.cancel(
            _return_pk(input.return_id),
            actor=actor_for(info.context.viewer),
            version=input.version,
            reason=input.reason,
        )
        return await ReturnPayload.of(info, ret)
