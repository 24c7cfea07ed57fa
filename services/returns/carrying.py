"""Carrying out a return's outcome once: a refund to the original payment, store credit, an
exchange order, or a mix, then the return CLOSED.

Two steps, each under the same locks taken in the same order as a staff refund takes them
(the order's captured payments, then the order, then the return), so that two carry-outs of
one order, or a carry-out and a staff refund, queue rather than race:

1. Plan: the preview is computed under the locks and the split checked against it; the
   outcome row (one per return, unique) is written PENDING with the plan before any money
   moves. A second call finds it: DONE is returned unchanged, PENDING is resumed, FAILED
   (a step refused) may be planned again with a new split.
2. Settle: under the locks again, refunds are made for what the plan still lacks (refunds
   carry the return's number as their reason, so those already made are counted, and the
   refund idempotency keys keep the provider from refunding twice), then the exchange
   order, then the store credit (its ledger reference `return:<id>` posts once), the duties
   and taxes given back are recorded on their charges, the member's points are taken back,
   the outcome becomes DONE and the return CLOSED, in one transaction.

A refused refund marks the outcome FAILED and does nothing else; a provider that could not
be reached leaves it PENDING (try again: the same refund is asked for again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tortoise import timezone

from models.customs import OrderCharge
from models.orders import Order
from models.payments import Payment, PaymentStatus, Refund, RefundStatus
from models.returns import OutcomeStatus, ReturnOutcome, ReturnRequest, ReturnStatus
from models.store_credit import CreditEntryKind
from services.members import points as member_points
from services.money import InvalidAmount, Money
from services.orders.timeline import Actor
from services.payments import refunds
from services.payments.errors import PaymentErrorCode
from services.returns import exchange, status
from services.returns.errors import ReturnError, ReturnErrorCode, fail
from services.returns.outcome import (
    OutcomeOptions,
    OutcomePreview,
    compute,
    find_return,
    marker,
    plan_entry,
)
from services.store_credit import ledger
from services.transactions import atomic

MAX_KEY = 64
#: Far above any real refund, far below what a 64-bit column holds.
MAX_AMOUNT = 10**13


@dataclass(frozen=True, slots=True)
class OutcomeChoice:
    """The split staff ask for, in minor units of the order's currency."""

    #: Back to the original payments; None: whatever the credit and exchange leave.
    refund: int | None = None
    store_credit: int = 0
    #: Replace the lines that ask for another variant.
    exchange: bool = False
    options: OutcomeOptions = field(default_factory=OutcomeOptions)


async def choice_for(
    return_id: int,
    *,
    refund: Decimal | None,
    store_credit: Decimal,
    exchange: bool,
    options: OutcomeOptions,
) -> OutcomeChoice:
    """The choice with its decimal amounts in minor units of the return's order currency;
    INVALID for an amount that currency cannot hold (too many decimals, negative)."""
    ret = await find_return(return_id)
    order = await Order.get(id=ret.order_id).only("id", "currency")

    def minor(value: Decimal, name: str) -> int:
        try:
            amount = Money.from_decimal(value, order.currency).minor
        except InvalidAmount:
            raise fail(
                ReturnErrorCode.INVALID,
                f"Give the amount in {order.currency}, with no more decimals than it has.",
                name,
            ) from None
        return amount

    return OutcomeChoice(
        refund=None if refund is None else minor(refund, "refund"),
        store_credit=minor(store_credit, "store_credit"),
        exchange=exchange,
        options=options,
    )


def _check_key(key: str) -> str:
    key = key.strip()
    if not key:
        raise fail(ReturnErrorCode.REQUIRED, "Give an idempotency key.", "idempotency_key")
    if len(key) > MAX_KEY or not key.isprintable():
        raise fail(
            ReturnErrorCode.INVALID,
            f"An idempotency key is 1 to {MAX_KEY} printable characters.",
            "idempotency_key",
        )
    return key


def _check_choice(choice: OutcomeChoice) -> None:
    for name, value in (("refund", choice.refund), ("store_credit", choice.store_credit)):
        if value is not None and not 0 <= value <= MAX_AMOUNT:
            raise fail(
                ReturnErrorCode.INVALID, "An amount cannot be negative (or that large).", name
            )


async def lock_money(order_id: int) -> list[Payment]:
    """Lock the order's captured payments, then the order; the payments, by attempt."""
    payments = (
        await Payment.select_for_update()
        .filter(order_id=order_id, status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED))
        .order_by("id")
    )
    await Order.select_for_update().filter(id=order_id).first()
    return sorted(payments, key=lambda payment: payment.attempt)


async def carry_out(
    return_id: int,
    choice: OutcomeChoice,
    *,
    actor_id: int,
    version: int | None,
    idempotency_key: str,
) -> ReturnOutcome:
    """Carry out the return's outcome as `choice` splits it, once (see the module's notes).

    Raises `ReturnError`: STALE, ILLEGAL_TRANSITION (not inspected, or not approved with the
    items kept), OVER_REFUNDED (the split gives back more than the preview, or more than can
    go back to the payments), EXCHANGE_UNAVAILABLE, INVALID; REFUND_FAILED when the provider
    refused (the outcome FAILED) or could not be reached (PENDING: call again).
    """
    key = _check_key(idempotency_key)
    _check_choice(choice)
    outcome = await _plan(return_id, choice, actor_id, version, key)
    if OutcomeStatus(outcome.status) is OutcomeStatus.DONE:
        return outcome
    done, problem = await _settle(outcome.id, actor_id)
    if problem is not None:
        raise problem
    return done


async def _plan(
    return_id: int, choice: OutcomeChoice, actor_id: int, version: int | None, key: str
) -> ReturnOutcome:
    ret = await find_return(return_id)
    async with atomic():
        await lock_money(ret.order_id)
        ret = await status.locked(return_id)
        outcome = await ReturnOutcome.get_or_none(return_request_id=ret.id)
        if outcome is not None and OutcomeStatus(outcome.status) is not OutcomeStatus.FAILED:
            return outcome  # done, or under way: resumed as planned
        status.check_version(ret, version)
        current = ReturnStatus(ret.status)
        if not (
            current is ReturnStatus.INSPECTED
            or (current is ReturnStatus.APPROVED and ret.keep_items)
        ):
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "A return's outcome is carried out once it is inspected (or approved with "
                "the items kept).",
                "return_id",
            )
        preview = await compute(ret, choice.options)
        fields = _split(preview, choice, key)
        if outcome is None:
            outcome = await ReturnOutcome.create(
                return_request_id=ret.id, actor_id=actor_id, **fields
            )
        else:
            for name, value in fields.items():
                setattr(outcome, name, value)
            outcome.status = OutcomeStatus.PENDING
            outcome.failure_message = ""
            outcome.actor_id = actor_id
            await outcome.save()
        money = Money(fields["refund_amount"], preview.currency)
        credit = Money(fields["credit_amount"], preview.currency)
        await status.record(
            ret,
            Actor.staff(actor_id),
            message=f"Outcome planned: refund {money}, store credit {credit}"
            + (", exchange" if choice.exchange else "")
            + ".",
            internal=True,
        )
    return outcome


def _split(preview: OutcomePreview, choice: OutcomeChoice, key: str) -> dict[str, Any]:
    """The outcome's columns for `choice`, checked against `preview`."""
    total = preview.total.order
    currency = preview.currency
    credit = choice.store_credit
    if credit and not preview.member:
        raise fail(
            ReturnErrorCode.INVALID,
            "A guest order has no account to hold store credit: refund it instead.",
            "store_credit",
        )
    if credit > total:
        raise fail(
            ReturnErrorCode.OVER_REFUNDED,
            f"At most {Money(total, currency)} can be given back for this return.",
            "store_credit",
        )
    used = 0
    plan_exchange: dict[str, Any] | None = None
    if choice.exchange:
        swap = preview.exchange
        if swap is None or not swap.lines:
            raise fail(
                ReturnErrorCode.INVALID, "No line of the return asks for an exchange.", "exchange"
            )
        if swap.problem:
            raise fail(ReturnErrorCode.EXCHANGE_UNAVAILABLE, swap.problem, "exchange")
        used = min(swap.cost.order, swap.allowance.order, total - credit)
        plan_exchange = {
            "kind": "exchange",
            "lines": [
                [x.variant_id, x.quantity, x.unit_price.shop, x.unit_price.order]
                for x in swap.lines
            ],
            "used": used,
            "owed": swap.cost.order - used,
            "rate": swap.rate,
            "rate_source": swap.rate_source,
            "rate_date": swap.rate_date,
        }
    rest = total - credit - used
    refund = rest if choice.refund is None else choice.refund
    if refund > rest:
        raise fail(
            ReturnErrorCode.OVER_REFUNDED,
            f"At most {Money(rest, currency)} is left to refund once the store credit and "
            "the exchange are taken.",
            "refund",
        )
    if refund > preview.refundable_to_payment:
        raise fail(
            ReturnErrorCode.OVER_REFUNDED,
            f"At most {Money(preview.refundable_to_payment, currency)} can go back to the "
            "payment; give the rest as store credit.",
            "refund",
        )
    if refund < preview.refunded_already:
        raise fail(
            ReturnErrorCode.INVALID,
            f"{Money(preview.refunded_already, currency)} was already refunded for this "
            "return: the refund cannot be less.",
            "refund",
        )
    breakdown: list[dict[str, Any]] = [
        {
            "kind": "line",
            "return_line": line.return_line_id,
            "order_line": line.order_line_id,
            "units": line.counted,
            "paid": line.paid.order,
            "discount": line.discount.order,
            "fee": line.restocking_fee.order,
            "customs": line.customs.order,
            "total": line.refundable.order,
            "total_shop": line.refundable.shop,
            "charges": [[c.charge_id, c.amount.order, c.amount.shop] for c in line.charges],
        }
        for line in preview.lines
    ]
    breakdown.append(
        {
            "kind": "return_shipping",
            "amount": preview.return_shipping.order,
            "amount_shop": preview.return_shipping.shop,
        }
    )
    if plan_exchange is not None:
        breakdown.append(plan_exchange)
    options = preview.options
    breakdown.append(
        {
            "kind": "plan",
            "total": total,
            "total_shop": preview.total.shop,
            "key": key,
            "waive_restocking_fee": options.waive_restocking_fee,
            "waive_return_shipping": options.waive_return_shipping,
            "refund_missing": options.refund_missing,
        }
    )
    return {
        "status": OutcomeStatus.PENDING,
        "currency": currency,
        "refund_amount": refund,
        "credit_amount": credit,
        "fee_amount": preview.fees.order,
        "customs_amount": preview.customs.order,
        "breakdown": breakdown,
    }


async def _settle(outcome_id: int, actor_id: int) -> tuple[ReturnOutcome, ReturnError | None]:
    """Do what the outcome's plan still lacks; the outcome, and the refusal to raise once
    what was done is committed."""
    first = await ReturnOutcome.get(id=outcome_id)
    ret = await ReturnRequest.get(id=first.return_request_id)
    problem: ReturnError | None = None
    async with atomic():
        payments = await lock_money(ret.order_id)
        ret = await status.locked(ret.id)
        outcome = await ReturnOutcome.select_for_update().get(id=outcome_id)
        state = OutcomeStatus(outcome.status)
        if state is OutcomeStatus.DONE:
            return outcome, None
        if state is OutcomeStatus.FAILED:
            message = outcome.failure_message or "The outcome could not be carried out."
            return outcome, fail(ReturnErrorCode.REFUND_FAILED, message, "refund")
        order = await Order.get(id=ret.order_id)
        problem, keep_pending = await _refund(ret, outcome, payments, actor_id)
        if problem is None and outcome.exchange_order_id is None:
            problem = await _exchange(ret, outcome, order, actor_id)
            keep_pending = False
        if problem is not None:
            outcome.failure_message = problem.problems[0].message[:300]
            if not keep_pending:
                outcome.status = OutcomeStatus.FAILED
            await outcome.save(update_fields=["status", "failure_message"])
            await status.record(
                ret, Actor.staff(actor_id), message=f"Outcome not carried out: "
                f"{outcome.failure_message}", internal=True,
            )  # fmt: skip
        else:
            await _finish(ret, outcome, order, actor_id)
    return outcome, problem


async def _refund(
    ret: ReturnRequest, outcome: ReturnOutcome, payments: list[Payment], actor_id: int
) -> tuple[ReturnError | None, bool]:
    """Refund what the plan still lacks, payment by payment; the refusal, if any, and
    whether the outcome stays PENDING (the provider could not be reached)."""
    reason = marker(ret)
    made = await Refund.filter(
        payment_id__in=[p.id for p in payments],
        reason=reason,
        status__in=(RefundStatus.SUCCEEDED, RefundStatus.PENDING),
    ).values_list("amount", flat=True)
    remaining = outcome.refund_amount - sum(int(a) for a in made)  # type: ignore[call-overload]
    for payment in payments:
        if remaining <= 0:
            break
        take = min(remaining, await refunds.refundable(await refunds.locked_payment(payment.id)))
        if take <= 0:
            continue
        try:
            await refunds.refund_payment(payment.id, take, reason, actor_id)
        except refunds.RefundFailed as exc:
            return fail(ReturnErrorCode.REFUND_FAILED, str(exc), "refund"), False
        except refunds.RefundError as exc:
            if exc.problems[0].code is PaymentErrorCode.GATEWAY_ERROR:
                return fail(ReturnErrorCode.REFUND_FAILED, str(exc), "refund"), True
            return fail(ReturnErrorCode.OVER_REFUNDED, str(exc), "refund"), False
        remaining -= take
    if remaining > 0:
        left = Money(outcome.refund_amount - remaining, outcome.currency)
        return (
            fail(
                ReturnErrorCode.OVER_REFUNDED,
                f"Only {left} could be refunded to the payments: plan the outcome again "
                "with the rest as store credit.",
                "refund",
            ),
            False,
        )
    return None, False


async def _exchange(
    ret: ReturnRequest, outcome: ReturnOutcome, order: Order, actor_id: int
) -> ReturnError | None:
    plan = next((e for e in outcome.breakdown if e.get("kind") == "exchange"), None)
    if plan is None:
        return None
    try:
        async with atomic():
            replacement = await exchange.create_replacement(
                order,
                plan,
                return_number=ret.number,
                actor_label=f"user:{actor_id}",
                actor_id=actor_id,
            )
    except ReturnError as exc:
        return exc
    outcome.exchange_order_id = replacement.id
    await ReturnOutcome.filter(id=outcome.id).update(exchange_order_id=replacement.id)
    return None


async def _finish(ret: ReturnRequest, outcome: ReturnOutcome, order: Order, actor_id: int) -> None:
    """Credit, charges, points; the outcome DONE and the return CLOSED. Inside the locks."""
    if outcome.credit_amount > 0 and order.user_id is not None:
        await ledger.post(
            order.user_id,
            outcome.currency,
            outcome.credit_amount,
            CreditEntryKind.RETURN,
            f"return:{ret.id}",
            order_id=order.id,
            return_id=ret.id,
            note=f"Return {ret.number}",
            actor_id=actor_id,
        )
    for entry in outcome.breakdown:
        for charge_id, _, shop_amount in entry.get("charges", []):  # type: ignore[attr-defined]
            charge = await OrderCharge.get_or_none(id=charge_id)
            if charge is not None and shop_amount > 0:
                charge.refunded = min(charge.amount, charge.refunded + shop_amount)
                await charge.save(update_fields=["refunded"])
    if outcome.credit_amount > 0:
        fresh = await Order.get(id=order.id)
        await member_points.on_order_refunded(
            order.id, fresh.refunded_total, source=f"return:{ret.id}"
        )
    outcome.status = OutcomeStatus.DONE
    outcome.failure_message = ""
    outcome.completed_at = timezone.now()
    await outcome.save(update_fields=["status", "failure_message", "completed_at"])
    plan = plan_entry(outcome.breakdown)
    await status.move(
        ret,
        ReturnStatus.CLOSED,
        actor=Actor.staff(actor_id),
        message=(
            f"Refunded {Money(outcome.refund_amount, outcome.currency)}, store credit "
            f"{Money(outcome.credit_amount, outcome.currency)}"
            + (" and an exchange order" if outcome.exchange_order_id else "")
            + "."
        ),
        data={
            "outcome": outcome.id,
            "refund": outcome.refund_amount,
            "credit": outcome.credit_amount,
            "total": plan.get("total", 0),
        },
    )
