"""Returns root fields: a shopper asks to return items or to cancel an order, staff open a
return for a customer and decide on cancellation requests.

A shopper's fields find the order by its number for its signed-in member, or for a guest
with the order's access token (`services.returns.requests.shopper_order`): anyone else's
order reads as NOT_FOUND.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.kit import errors_for, input_pk, mutation, read_uploads
from schema.orders.types import OrderType
from schema.permissions import CanManageOrders
from schema.returns.requests import (
    ApproveCancellationRequestInput,
    CancellationRequestPayload,
    CancellationRequestType,
    CancelReturnInput,
    DeclineCancellationRequestInput,
    OpenReturnInput,
    RequestOrderCancellationInput,
    RequestReturnInput,
    ReturnLineInput,
)
from schema.returns.types import ReturnPayload
from services.orders.timeline import Actor, actor_for
from services.returns import cancellation, requests


def _lines(given: list[ReturnLineInput]) -> list[requests.LineRequest]:
    return [
        requests.LineRequest(
            order_line_id=input_pk(line.order_line_id, "OrderLine", "lines", str(i), "orderLineId"),
            quantity=line.quantity,
            exchange_variant_id=input_pk(
                line.exchange_variant_id, "ProductVariant", "lines", str(i), "exchangeVariantId"
            )
            if line.exchange_variant_id is not None
            else None,
        )
        for i, line in enumerate(given)
    ]


def _reason(reason_id: str | None) -> int | None:
    return input_pk(reason_id, "ReturnReason", "reasonId") if reason_id is not None else None


def _cancellation_payload(
    result: cancellation.CancellationResult, info: Info
) -> CancellationRequestPayload:
    errors = (
        errors_for(CancellationRequestPayload, result.unrefunded, info) if result.unrefunded else []
    )
    return CancellationRequestPayload(
        cancellation_request=CancellationRequestType.build(result.request),
        order=OrderType.build(result.order),
        errors=errors,
    )


@strawberry.type
class ReturnsMutation:
    @mutation(
        description="Ask to return items of one's order (a member's, or a guest's with its "
        "`accessToken`): lines and units, a reason, a note, photos (multipart request), and "
        "a refund, store credit or an exchange. The return starts REQUESTED."
    )
    async def request_return(self, info: Info, input: RequestReturnInput) -> ReturnPayload:
        ctx = info.context
        order = await requests.shopper_order(
            input.order_number, user_id=ctx.viewer.user_id, access_token=input.access_token
        )
        ret = await requests.request_return(
            order.id,
            actor=Actor.customer(ctx.viewer.user_id if input.access_token is None else None),
            lines=_lines(input.lines),
            resolution=input.resolution,
            reason_id=_reason(input.reason_id),
            note=input.note,
            photos=await read_uploads(input.photos, ctx.settings.max_image_bytes),
            idempotency_key=input.idempotency_key,
            locale=ctx.locale,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Open a return for a customer, as they would ask it (phone, email).",
    )
    async def open_return(self, info: Info, input: OpenReturnInput) -> ReturnPayload:
        ctx = info.context
        ret = await requests.request_return(
            input_pk(input.order_id, "Order", "orderId"),
            actor=actor_for(ctx.viewer),
            lines=_lines(input.lines),
            resolution=input.resolution,
            reason_id=_reason(input.reason_id),
            note=input.note,
            photos=await read_uploads(input.photos, ctx.settings.max_image_bytes),
            idempotency_key=input.idempotency_key,
            opened_by_staff=True,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        description="Withdraw one's return while it is requested or approved (a guest passes "
        "the order's `accessToken`)."
    )
    async def cancel_return(self, info: Info, input: CancelReturnInput) -> ReturnPayload:
        viewer = info.context.viewer
        ret = await requests.cancel_return(
            input_pk(input.return_id, "Return", "returnId"),
            actor=Actor.customer(viewer.user_id if input.access_token is None else None),
            user_id=viewer.user_id,
            access_token=input.access_token,
            version=input.version,
        )
        return await ReturnPayload.of(info, ret)

    @mutation(
        description="Ask to cancel one's order that has not shipped: cancelled (and refunded) "
        "at once while nothing is being prepared, else a request staff decide on. An order "
        "with a parcel sent is NOT_CANCELLABLE: return it once it arrives."
    )
    async def request_order_cancellation(
        self, info: Info, input: RequestOrderCancellationInput
    ) -> CancellationRequestPayload:
        viewer = info.context.viewer
        order = await requests.shopper_order(
            input.order_number, user_id=viewer.user_id, access_token=input.access_token
        )
        result = await cancellation.request_cancellation(
            order.id,
            actor=Actor.customer(viewer.user_id if input.access_token is None else None),
            reason=input.reason,
        )
        return _cancellation_payload(result, info)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Accept a shopper's request to cancel: the order is cancelled and what "
        "was paid refunded.",
    )
    async def approve_cancellation_request(
        self, info: Info, input: ApproveCancellationRequestInput
    ) -> CancellationRequestPayload:
        result = await cancellation.approve_cancellation(
            input_pk(input.request_id, "CancellationRequest", "requestId"),
            actor=actor_for(info.context.viewer),
        )
        return _cancellation_payload(result, info)

    @mutation(
        permission_classes=[CanManageOrders],
        description="Refuse a shopper's request to cancel, saying why; the order goes on.",
    )
    async def decline_cancellation_request(
        self, info: Info, input: DeclineCancellationRequestInput
    ) -> CancellationRequestPayload:
        result = await cancellation.decline_cancellation(
            input_pk(input.request_id, "CancellationRequest", "requestId"),
            actor=actor_for(info.context.viewer),
            reason=input.reason,
        )
        return _cancellation_payload(result, info)
