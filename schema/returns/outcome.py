"""A return's outcome: the preview staff read before carrying it out, the input and payload
that carry it out, and the outcome as the `Return` shows it (amounts for the shopper, all
of it for staff)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from models.orders import Order
from models.returns import OutcomeStatus, ReturnOutcome, ReturnRequest
from schema.errors import UserError
from schema.kit import errors_for, pk_or_none
from schema.money import MoneyType
from schema.relay import encode_id
from schema.returns.types import ReturnType
from services.errors import ServiceError
from services.returns import outcome as outcomes
from services.returns.outcome import Pair


class ReturnOutcomeErrorCode(Enum):
    """What refuses a return's outcome (a subset of the returns domain's codes)."""

    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    STALE = "stale"
    ILLEGAL_TRANSITION = "illegal_transition"
    OVER_REFUNDED = "over_refunded"
    REFUND_FAILED = "refund_failed"
    EXCHANGE_UNAVAILABLE = "exchange_unavailable"


ReturnOutcomeErrorCodeEnum = strawberry.enum(
    ReturnOutcomeErrorCode,
    name="ReturnOutcomeErrorCode",
    description="OVER_REFUNDED: more than the preview or the payments allow; REFUND_FAILED: "
    "the provider refused (the outcome is FAILED: try again) or could not be reached "
    "(it stays PENDING: call again); STALE: the return changed since it was read.",
)
OutcomeStatusEnum = strawberry.enum(
    OutcomeStatus,
    name="ReturnOutcomeStatus",
    description="PENDING while it is carried out, DONE, or FAILED when a step was refused.",
)


@strawberry.type(name="ReturnOutcomeError")
class ReturnOutcomeErrorType(UserError):
    code: ReturnOutcomeErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type(
    name="ReturnAmount", description="One amount in the order's currency and in the shop's."
)
class ReturnAmountType:
    amount: MoneyType = strawberry.field(description="In the order's (the shopper's) currency.")
    in_shop_currency: MoneyType

    @classmethod
    def of(cls, pair: Pair, currency: str, shop_currency: str) -> ReturnAmountType:
        return cls(
            amount=MoneyType.minor(pair.order, currency),
            in_shop_currency=MoneyType.minor(pair.shop, shop_currency),
        )


@strawberry.type(name="ReturnOutcomeCharge", description="A duty or tax given back with a line.")
class ReturnOutcomeChargeType:
    name: str
    kind: str = strawberry.field(description="`duty` or `import_tax`.")
    amount: ReturnAmountType


@strawberry.type(name="ReturnOutcomeLine", description="What one returned line gives back.")
class ReturnOutcomeLineType:
    return_line_id: strawberry.ID
    name: str
    variant_name: str
    sku: str
    quantity: int = strawberry.field(description="Units asked back.")
    restocked: int
    needs_work: int
    written_off: int
    missing: int
    counted: int = strawberry.field(description="Units refunded.")
    expected: bool = strawberry.field(
        description="Not inspected yet: the figures assume every unit comes back unharmed."
    )
    paid: ReturnAmountType = strawberry.field(description="Unit price x units counted.")
    discount: ReturnAmountType = strawberry.field(description="The units' share of discounts.")
    restocking_fee: ReturnAmountType
    restocking_fee_bps: int
    customs: ReturnAmountType = strawberry.field(description="Duties and taxes given back.")
    charges: list[ReturnOutcomeChargeType]
    already_given_back: ReturnAmountType = strawberry.field(
        description="Given back for this order line by earlier returns."
    )
    refundable: ReturnAmountType
    capped: bool = strawberry.field(description="Lowered to what is left of the line's price.")
    exchange_variant_id: strawberry.ID | None


@strawberry.type(name="ReturnExchangeLine")
class ReturnExchangeLineType:
    variant_id: strawberry.ID
    name: str
    sku: str
    quantity: int
    unit_price: ReturnAmountType = strawberry.field(description="Today's price of one unit.")


@strawberry.type(
    name="ReturnExchangePreview",
    description="The replacement at today's price against what the returned units are worth.",
)
class ReturnExchangePreviewType:
    lines: list[ReturnExchangeLineType]
    cost: ReturnAmountType
    allowance: ReturnAmountType
    difference_refunded: ReturnAmountType
    difference_owed: ReturnAmountType = strawberry.field(
        description="What the shopper pays for the replacement (it waits for payment)."
    )
    problem: str | None = strawberry.field(description="Why it cannot be made now.")


@strawberry.type(name="ReturnOutcomePreview", description="A return's outcome before it is done.")
class ReturnOutcomePreviewType:
    currency: str
    shop_currency: str
    lines: list[ReturnOutcomeLineType]
    restocking_fee: ReturnAmountType
    return_shipping: ReturnAmountType = strawberry.field(
        description="The return parcel, once per return, when the customer pays it."
    )
    customs: ReturnAmountType
    total: ReturnAmountType = strawberry.field(description="What the return gives back in all.")
    order_room: ReturnAmountType = strawberry.field(
        description="What the order can still give back (captured and credit, less refunds "
        "and other returns)."
    )
    capped: bool
    refundable_to_payment: MoneyType = strawberry.field(
        description="Of the total, at most this can go back to the original payment now."
    )
    refunded_already: MoneyType = strawberry.field(
        description="Refunded for this return already (an outcome tried before)."
    )
    store_credit_allowed: bool = strawberry.field(
        description="Whether the order has a member account to hold store credit."
    )
    exchange: ReturnExchangePreviewType | None
    notes: list[str]

    @classmethod
    def build(cls, found: outcomes.OutcomePreview) -> ReturnOutcomePreviewType:
        cur, shop = found.currency, found.shop_currency

        def amount(pair: Pair) -> ReturnAmountType:
            return ReturnAmountType.of(pair, cur, shop)

        swap = found.exchange
        return cls(
            currency=cur,
            shop_currency=shop,
            lines=[
                ReturnOutcomeLineType(
                    return_line_id=encode_id("ReturnLine", line.return_line_id),
                    name=line.name,
                    variant_name=line.variant_name,
                    sku=line.sku,
                    quantity=line.quantity,
                    restocked=line.restocked,
                    needs_work=line.needs_work,
                    written_off=line.written_off,
                    missing=line.missing,
                    counted=line.counted,
                    expected=line.expected,
                    paid=amount(line.paid),
                    discount=amount(line.discount),
                    restocking_fee=amount(line.restocking_fee),
                    restocking_fee_bps=line.restocking_fee_bps,
                    customs=amount(line.customs),
                    charges=[
                        ReturnOutcomeChargeType(
                            name=c.name, kind=c.kind.value, amount=amount(c.amount)
                        )
                        for c in line.charges
                    ],
                    already_given_back=amount(line.already),
                    refundable=amount(line.refundable),
                    capped=line.capped,
                    exchange_variant_id=encode_id("ProductVariant", line.exchange_variant_id)
                    if line.exchange_variant_id
                    else None,
                )
                for line in found.lines
            ],
            restocking_fee=amount(found.restocking_fee),
            return_shipping=amount(found.return_shipping),
            customs=amount(found.customs),
            total=amount(found.total),
            order_room=amount(found.order_room),
            capped=found.capped,
            refundable_to_payment=MoneyType.minor(found.refundable_to_payment, cur),
            refunded_already=MoneyType.minor(found.refunded_already, cur),
            store_credit_allowed=found.member,
            exchange=None
            if swap is None
            else ReturnExchangePreviewType(
                lines=[
                    ReturnExchangeLineType(
                        variant_id=encode_id("ProductVariant", x.variant_id),
                        name=x.name,
                        sku=x.sku,
                        quantity=x.quantity,
                        unit_price=amount(x.unit_price),
                    )
                    for x in swap.lines
                ],
                cost=amount(swap.cost),
                allowance=amount(swap.allowance),
                difference_refunded=amount(swap.difference_refunded),
                difference_owed=amount(swap.difference_owed),
                problem=swap.problem or None,
            ),
            notes=list(found.notes),
        )


@strawberry.type(
    name="ReturnOutcome",
    description="What a return ended in. Shoppers see the amounts; staff see all of it.",
)
class ReturnOutcomeType:
    status: OutcomeStatusEnum  # type: ignore[valid-type]
    refund: MoneyType = strawberry.field(description="Back to the original payment.")
    store_credit: MoneyType
    fees: MoneyType = strawberry.field(description="Restocking fee and return shipping kept.")
    customs: MoneyType = strawberry.field(description="Duties and taxes given back (included).")
    exchange_order_number: str | None
    completed_at: datetime | None
    failure_message: str | None = strawberry.field(description="Staff only.")
    carried_out_by_id: strawberry.ID | None = strawberry.field(description="Staff only.")

    @classmethod
    def build(
        cls, row: ReturnOutcome, *, staff: bool, exchange_number: str | None
    ) -> ReturnOutcomeType:
        cur = row.currency
        return cls(
            status=OutcomeStatus(row.status),
            refund=MoneyType.minor(row.refund_amount, cur),
            store_credit=MoneyType.minor(row.credit_amount, cur),
            fees=MoneyType.minor(row.fee_amount, cur),
            customs=MoneyType.minor(row.customs_amount, cur),
            exchange_order_number=exchange_number,
            completed_at=row.completed_at,
            failure_message=(row.failure_message or None) if staff else None,
            carried_out_by_id=encode_id("User", row.actor_id) if staff and row.actor_id else None,
        )


@strawberry.input
class CarryOutReturnOutcomeInput:
    return_id: strawberry.ID
    version: int | None = strawberry.field(
        default=None, description="The return's version the screen read (STALE if it changed)."
    )
    refund: Decimal | None = strawberry.field(
        default=None,
        description="To the original payment, in the order's currency; null: what the store "
        "credit and the exchange leave.",
    )
    store_credit: Decimal = strawberry.field(
        default=Decimal(0), description="As store credit, in the order's currency."
    )
    exchange: bool = strawberry.field(
        default=False, description="Send the variants the lines ask for in exchange."
    )
    waive_restocking_fee: bool = False
    waive_return_shipping: bool = False
    refund_missing: bool = False
    idempotency_key: str = strawberry.field(
        description="The client's key for this action: retrying with it does nothing twice."
    )


@strawberry.type(description="The outcome carried out, and the return it closed.")
class CarryOutReturnOutcomePayload:
    outcome: ReturnOutcomeType | None = None
    return_request: ReturnType | None = strawberry.field(default=None, name="return")
    errors: list[ReturnOutcomeErrorType] = strawberry.field(default_factory=list)

    @classmethod
    async def of(cls, row: ReturnOutcome) -> CarryOutReturnOutcomePayload:
        ret = await ReturnRequest.get(id=row.return_request_id)
        order = await Order.get(id=ret.order_id)
        exchange = await exchange_number(row)
        return cls(
            outcome=ReturnOutcomeType.build(row, staff=True, exchange_number=exchange),
            return_request=ReturnType.build(ret, order),
        )

    @classmethod
    async def from_service_error(
        cls, exc: ServiceError, info: Any, arguments: dict[str, Any]
    ) -> CarryOutReturnOutcomePayload:
        """A refused refund leaves an outcome behind (FAILED or PENDING): shown with the errors."""
        errors = errors_for(cls, exc, info)
        given = arguments.get("input")
        pk = pk_or_none(given.return_id, "Return") if given else None
        row = await ReturnOutcome.get_or_none(return_request_id=pk) if pk else None
        if row is None:
            return cls(errors=errors)
        payload = await cls.of(row)
        payload.errors = errors
        return payload


async def exchange_number(row: ReturnOutcome) -> str | None:
    if row.exchange_order_id is None:
        return None
    order = await Order.get_or_none(id=row.exchange_order_id).only("id", "number")
    return order.number if order else None
