"""What shoppers read and send to return items and to cancel an order: each line's standing
for a return (`Order.returnableLines`), the inputs and payloads of `requestReturn`,
`cancelReturn`, `openReturn` and the cancellation requests, and the returns domain's error.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from models.catalog import ProductVariant
from models.orders import Order
from models.returns import CancellationRequest, CancellationStatus
from schema.currency import Prices
from schema.money import MoneyType
from schema.orders.types import OrderType
from schema.relay import encode_id
from schema.returns.policy import EffectiveReturnPolicyType
from schema.returns.types import ReturnErrorType, ReturnResolutionEnum
from services.returns.eligibility import LineEligibility, NotReturnable

NotReturnableEnum = strawberry.enum(
    NotReturnable,
    name="NotReturnableReason",
    description="Why a line has nothing left to return: final sale, its return window "
    "closed, not shipped yet, every unit already in a return, or the order cancelled or unpaid.",
)
CancellationStatusEnum = strawberry.enum(
    CancellationStatus,
    name="CancellationRequestStatus",
    description="A shopper's request to cancel: open (REQUESTED), APPROVED, or DECLINED.",
)


@strawberry.type(
    name="ReturnExchangeOption", description="A variant of the same product to exchange for."
)
class ReturnExchangeOptionType:
    variant_id: strawberry.ID
    name: str = strawberry.field(description="Its options (`M`, `Blue / L`) or its own name.")
    sku: str
    available: bool = strawberry.field(description="In stock now.")

    @classmethod
    def build(cls, variant: ProductVariant) -> ReturnExchangeOptionType:
        options = " / ".join(o.get("value", "") for o in variant.options or [])
        return cls(
            variant_id=encode_id("ProductVariant", variant.id),
            name=options or variant.name or variant.sku,
            sku=variant.sku,
            available=variant.stock_on_hand - variant.stock_reserved > 0,
        )


@strawberry.type(name="ReturnableLine", description="One order line's standing for a return now.")
class ReturnableLineType:
    order_line_id: strawberry.ID
    name: str
    variant_name: str
    quantity: int = strawberry.field(description="Units ordered.")
    shipped_quantity: int = strawberry.field(description="Units sent in parcels to the shopper.")
    returned_quantity: int = strawberry.field(
        description="Units already in returns that were not declined or cancelled."
    )
    returnable_quantity: int = strawberry.field(description="Units that may be asked back now.")
    reason: NotReturnableEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Why nothing may be asked back (null when some may)."
    )
    reason_message: str | None = strawberry.field(description="The reason in a sentence.")
    window_ends_at: datetime | None = strawberry.field(
        description="The last moment to ask (null until the line shipped)."
    )
    unit_price: MoneyType
    policy: EffectiveReturnPolicyType = strawberry.field(
        description="The policy it was sold under, its fee in the order's currency at the "
        "order's rate."
    )
    exchange_options: list[ReturnExchangeOptionType] = strawberry.field(
        description="Variants of the same product on sale now, to exchange for."
    )

    @classmethod
    def build(
        cls, found: LineEligibility, order: Order, options: list[ProductVariant], locale: str
    ) -> ReturnableLineType:
        line = found.line
        return cls(
            order_line_id=encode_id("OrderLine", line.id),
            name=line.product_name,
            variant_name=line.variant_name,
            quantity=line.quantity,
            shipped_quantity=found.shipped,
            returned_quantity=found.held,
            returnable_quantity=found.returnable,
            reason=found.reason,
            reason_message=found.explain() or None,
            window_ends_at=found.window_ends,
            unit_price=MoneyType.minor(line.unit_price_presentment, order.currency),
            policy=EffectiveReturnPolicyType.build(found.policy, locale, Prices.of_order(order)),
            exchange_options=[ReturnExchangeOptionType.build(v) for v in options],
        )


@strawberry.type(
    name="CancellationRequest",
    description="A shopper's request to cancel an order that has not shipped.",
)
class CancellationRequestType:
    id: strawberry.ID
    status: CancellationStatusEnum  # type: ignore[valid-type]
    reason: str = strawberry.field(description="What the shopper said, if anything.")
    decline_reason: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def build(cls, row: CancellationRequest) -> CancellationRequestType:
        return cls(
            id=encode_id("CancellationRequest", row.id),
            status=CancellationStatus(row.status),
            reason=row.reason,
            decline_reason=row.decline_reason or None,
            created_at=row.created_at,
            decided_at=row.decided_at,
        )


@strawberry.input(description="Units of one order line to send back.")
class ReturnLineInput:
    order_line_id: strawberry.ID
    quantity: int = strawberry.field(description="1 to the line's returnable quantity.")
    exchange_variant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="For an EXCHANGE: the variant of the same product wanted instead.",
    )


@strawberry.input(
    description="A shopper's return: a member's own order by its number, or a guest's with "
    "the order's `accessToken`. Send it as a multipart request to attach photos."
)
class RequestReturnInput:
    order_number: str
    access_token: str | None = None
    lines: list[ReturnLineInput]
    resolution: ReturnResolutionEnum  # type: ignore[valid-type]
    reason_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of `returnReasons`; required when the shop has some."
    )
    note: str = strawberry.field(default="", description="At most 1000 characters.")
    photos: list[Upload] = strawberry.field(
        default_factory=list, description="Up to 5 pictures (JPEG, PNG, WebP or GIF)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="The client's key for this request: sent again with the same body, "
        "it answers the same return.",
    )


@strawberry.input(description="A return staff open for a customer (a phone call, an email).")
class OpenReturnInput:
    order_id: strawberry.ID
    lines: list[ReturnLineInput]
    resolution: ReturnResolutionEnum  # type: ignore[valid-type]
    reason_id: strawberry.ID | None = None
    note: str = ""
    photos: list[Upload] = strawberry.field(default_factory=list)
    idempotency_key: str | None = None


@strawberry.input(description="Withdraw a return still requested or approved.")
class CancelReturnInput:
    return_id: strawberry.ID
    access_token: str | None = strawberry.field(
        default=None, description="A guest's order access token."
    )
    version: int | None = strawberry.field(
        default=None, description="The return's `version` as read; STALE if it changed since."
    )


@strawberry.input
class RequestOrderCancellationInput:
    order_number: str
    access_token: str | None = None
    reason: str = strawberry.field(default="", description="At most 500 characters.")


@strawberry.input
class ApproveCancellationRequestInput:
    request_id: strawberry.ID


@strawberry.input
class DeclineCancellationRequestInput:
    request_id: strawberry.ID
    reason: str = strawberry.field(description="Told to the shopper; 1 to 500 characters.")


@strawberry.type(description="A cancellation request, and its order as it is now.")
class CancellationRequestPayload:
    cancellation_request: CancellationRequestType | None = None
    order: OrderType | None = None
    errors: list[ReturnErrorType] = strawberry.field(
        default_factory=list,
        description="With an order cancelled: REFUND_FAILED when part of what was paid could "
        "not be refunded at once (staff finish it).",
    )
