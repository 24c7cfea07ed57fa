"""The merchant's returns desk: the queue's connection and counts, and the inputs and
payloads of what staff do with a return (approve, decline, instructions, return parcel,
receive, inspect, finish, keep items, cancel)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from models.returns import ReturnStatus
from schema.relay import Connection
from schema.returns.types import (
    InspectionEnum,
    ReturnErrorType,
    ReturnParcelType,
    ReturnStatusEnum,
    ReturnType,
)

VERSION = (
    "The return's `version` as read: a return changed since is refused STALE, so an action "
    "never applies to a state its author did not see."
)


@strawberry.type(name="ReturnStatusCount", description="Returns in one status.")
class ReturnStatusCountType:
    status: ReturnStatusEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(name="ReturnReasonCount", description="Returns asked for one reason.")
class ReturnReasonCountType:
    code: str = strawberry.field(description="The reason's code (empty: a removed reason).")
    name: str
    count: int


@strawberry.type(name="ReturnConnection")
class ReturnConnection(Connection[ReturnType]):
    _status_counts: strawberry.Private[Callable[[], Awaitable[dict[ReturnStatus, int]]]]
    _reason_counts: strawberry.Private[Callable[[], Awaitable[list[tuple[str, str, int]]]]]

    @strawberry.field(
        description="Returns per status under the other filters (the status filter left "
        "out), for the queue's tabs; statuses with none are left out."
    )
    async def status_counts(self) -> list[ReturnStatusCountType]:
        counts = await self._status_counts()
        return [
            ReturnStatusCountType(status=status, count=counts[status])
            for status in ReturnStatus
            if counts.get(status)
        ]

    @strawberry.field(
        description="Returns per reason under the other filters (the reason filter left "
        "out), most first."
    )
    async def reason_counts(self) -> list[ReturnReasonCountType]:
        return [
            ReturnReasonCountType(code=code, name=name, count=count)
            for code, name, count in await self._reason_counts()
        ]


@strawberry.input
class ApproveReturnInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    instructions: str = strawberry.field(
        default="", description="How to send the goods back (up to 4000 characters)."
    )
    label_reference: str = strawberry.field(
        default="",
        description="A prepaid return label's reference or URL (up to 400 characters).",
    )


@strawberry.input
class DeclineReturnInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    reason: str = strawberry.field(
        description="Why, as the shopper reads it (required, up to 500 characters)."
    )


@strawberry.input
class UpdateReturnInstructionsInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    instructions: str | None = strawberry.field(
        default=None, description="Null keeps them; an empty string clears them."
    )
    label_reference: str | None = strawberry.field(
        default=None, description="Null keeps it; an empty string clears it."
    )


@strawberry.input
class AddReturnParcelInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    carrier_id: strawberry.ID
    tracking_number: str = strawberry.field(
        description="Checked as `shipOrder` checks it (see `trackingNumberInfo`)."
    )
    accept_invalid_tracking_number: bool = strawberry.field(
        default=False,
        description="Record a number refused as TRACKING_NUMBER_INVALID or "
        "TRACKING_NUMBER_CARRIER_MISMATCH all the same.",
    )


@strawberry.input
class ReturnActionInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)


@strawberry.input
class KeepReturnItemsInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    note: str = strawberry.field(
        default="", description="Why, for the timeline (up to 500 characters)."
    )


@strawberry.input
class CancelReturnByStaffInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    reason: str = strawberry.field(
        default="", description="Why, for the timeline (up to 500 characters)."
    )


@strawberry.input(description="What became of one line's units.")
class ReturnLineInspectionInput:
    line_id: strawberry.ID = strawberry.field(description="A `ReturnLine` of the return.")
    inspection: InspectionEnum = strawberry.field(  # type: ignore[valid-type]
        description="RESTOCK (back on the shelf: a stock movement), NEEDS_WORK, WRITTEN_OFF, "
        "or MISSING (not in the parcel)."
    )
    quantity: int | None = strawberry.field(
        default=None,
        description="Units that came back and are decided so (1 to the line's quantity; "
        "the rest count as missing). Null: all of them; leave it out for MISSING.",
    )
    note: str = strawberry.field(default="", description="Up to 500 characters; staff only.")


@strawberry.input
class InspectReturnLinesInput:
    return_id: strawberry.ID
    version: int = strawberry.field(description=VERSION)
    lines: list[ReturnLineInspectionInput] = strawberry.field(
        description="One decision per line given; the others keep theirs."
    )


@strawberry.type(description="The return and the parcel its goods come back in.")
class AddReturnParcelPayload:
    return_request: ReturnType | None = strawberry.field(name="return", default=None)
    parcel: ReturnParcelType | None = None
    errors: list[ReturnErrorType] = strawberry.field(default_factory=list)
