"""What a return ends in: the refundable amount previewed per line, then carried out once.

The refundable amount of a returned line, in the order's currency and the shop's:

    what was paid for the units counted (unit price x units)
  - the line's share of the order's merchandise discounts (coupon, member, points), shared
    by line total with the largest remainders taking the odd minor units
  - the restocking fee (the product's policy, basis points) on the units put back in stock
  + the duties and import taxes charged at checkout for those units, where the regime gives
    them back (import VAT/GST collected at the point of sale always; duties paid under DDP
    only with the `returns_refund_duties` setting)

Then, once per return, the return parcel's fee when the customer pays it. Units counted:
those inspected as restocked, needing work or written off; missing units only when staff
choose to refund them; every unit asked back when the items are kept (nothing comes back, so
no fee and no parcel). A return not inspected yet is previewed as if every unit came back
unharmed.

Shares of a line are taken cumulatively (what the units returned so far are worth, less
what the earlier returns took), so the returns of a line add up to exactly what was paid
for it. Caps: never more than the line was paid less what earlier outcomes gave back for it,
and never more than the order's captured payments and store credit less everything given
back already (refunds made in any way, and the other returns' outcomes).

`carry_out` then does the split staff chose: a refund to the original payment, store
credit, an exchange order, or a mix; see its docstring for the order of the steps and how
a retry or a concurrent second call is handled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise import timezone

from models.catalog import Product, ProductVariant
from models.coupons import Coupon, CouponKind
from models.customs import ChargeKind, OrderCharge
from models.orders import Order, OrderLine
from models.payments import Payment, PaymentStatus, Refund, RefundStatus
from models.returns import (
    Inspection,
    OutcomeStatus,
    ReturnLine,
    ReturnOutcome,
    ReturnRequest,
    ReturnShippingPayer,
)
from services.catalog import listing
from services.currency import convert
from services.currency import rates as currency_rates
from services.currency.errors import CurrencyError
from services.customs.declaration import discount_shares
from services.money import currency_exponent
from services.returns import policy as return_policy
from services.returns.errors import not_found
from settings import get_settings

#: Outcomes whose amounts count as given back (a FAILED one gave back only its refunds).
HOLDING = (OutcomeStatus.PENDING, OutcomeStatus.DONE)
BPS = 10_000


@dataclass(frozen=True, slots=True)
class OutcomeOptions:
    """What staff may choose before carrying out: fees waived, missing units refunded."""

    waive_restocking_fee: bool = False
    waive_return_shipping: bool = False
    refund_missing: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    """One amount in the order's (presentment) currency and in the shop currency."""

    order: int = 0
    shop: int = 0

    def __add__(self, other: Pair) -> Pair:
        return Pair(self.order + other.order, self.shop + other.shop)

    def __sub__(self, other: Pair) -> Pair:
        return Pair(self.order - other.order, self.shop - other.shop)


@dataclass(frozen=True, slots=True)
class ChargeBack:
    """Part of one duty or import tax given back with a line."""

    charge_id: int
    kind: ChargeKind
    name: str
    amount: Pair


@dataclass(frozen=True, slots=True)
class LinePreview:
    return_line_id: int
    order_line_id: int
    name: str
    variant_name: str
    sku: str
    #: Units asked back, and what inspection made of them.
    quantity: int
    restocked: int
    needs_work: int
    written_off: int
    missing: int
    #: Units refunded: restocked, needing work and written off (and missing ones if chosen).
    counted: int
    #: True while the line is not inspected: the figures assume every unit comes back.
    expected: bool
    paid: Pair
    discount: Pair
    restocking_fee: Pair
    customs: Pair
    charges: tuple[ChargeBack, ...]
    #: Given back for the line by earlier returns.
    already: Pair
    refundable: Pair
    #: Whether the line's cap lowered `refundable`.
    capped: bool
    restocking_fee_bps: int
    exchange_variant_id: int | None


@dataclass(frozen=True, slots=True)
class ExchangeLine:
    variant_id: int
    quantity: int
    #: Today's price of one unit, in the shop currency and the order's.
    unit_price: Pair
    name: str
    sku: str


@dataclass(frozen=True, slots=True)
class ExchangePreview:
    """The replacement for the exchanged lines at today's price, against what they are worth."""

    lines: tuple[ExchangeLine, ...]
    cost: Pair
    #: What the returned units of the exchanged lines are worth (their refundable amounts).
    allowance: Pair
    #: `allowance - cost` when the replacement costs less (refunded), else 0.
    difference_refunded: Pair
    #: `cost - allowance` when it costs more: the replacement waits for this payment.
    difference_owed: Pair
    rate: str
    rate_source: str
    rate_date: str | None
    #: Why no replacement can be made now (a variant not for sale or out of stock).
    problem: str = ""


@dataclass(frozen=True, slots=True)
class OutcomePreview:
    return_id: int
    order_id: int
    currency: str
    shop_currency: str
    options: OutcomeOptions
    lines: tuple[LinePreview, ...]
    return_shipping: Pair
    restocking_fee: Pair
    customs: Pair
    #: What the return gives back in all: lines less return shipping, within the caps.
    total: Pair
    #: What the order may still give back (captured and store credit, less given back).
    order_room: Pair
    capped: bool
    #: Of `total`, at most this much can go back to the original payments now.
    refundable_to_payment: int
    #: Already refunded to the payments for this return (a retried outcome).
    refunded_already: int
    member: bool
    exchange: ExchangePreview | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fees(self) -> Pair:
        return self.return_shipping + self.restocking_fee


def marker(ret: ReturnRequest) -> str:
    """The reason written on the refunds made for a return: how they are found again."""
    return f"Return {ret.number}"


def part(amount: int, units_before: int, units: int, quantity: int) -> int:
    """The share of `amount` (a line's) that `units` more are worth after `units_before`:
    floor(amount x (before + units) / quantity) - floor(amount x before / quantity), so that
    the shares of every unit add up to `amount` exactly."""
    if quantity <= 0 or units <= 0:
        return 0
    return amount * (units_before + units) // quantity - amount * units_before // quantity


def scaled(amount: int, part_of: int, whole: int) -> int:
    """`amount x part_of / whole`, rounded half up (0 when `whole` is 0)."""
    if whole <= 0:
        return 0
    return int((Decimal(amount) * part_of / whole).to_integral_value(rounding=ROUND_HALF_UP))


def to_presentment(amount_shop: int, order: Order) -> int:
    """Shop-currency minor units in the order's currency at the order's own rate."""
    if order.currency == order.shop_currency:
        return amount_shop
    shift = currency_exponent(order.currency) - currency_exponent(order.shop_currency)
    value = Decimal(amount_shop).scaleb(shift) * Decimal(order.exchange_rate or "1")
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


async def merchandise_discount(order: Order) -> Pair:
    """The order's discounts on its goods: its discount total less what a free-shipping
    coupon took off the shipping (the coupon's kind tells; a deleted coupon's is taken as
    merchandise), never more than the subtotal."""
    total = Pair(order.discount_total_presentment, order.discount_total)
    if order.coupon_id is not None:
        coupon = await Coupon.get_or_none(id=order.coupon_id).only("id", "kind")
        if coupon is not None and CouponKind(coupon.kind) is CouponKind.FREE_SHIPPING:
            total = total - Pair(order.shipping_total_presentment, order.shipping_total)
    return Pair(
        max(0, min(total.order, order.subtotal_presentment)),
        max(0, min(total.shop, order.subtotal)),
    )


def gives_back(charge: OrderCharge) -> bool:
    """Whether a return gives this charge back for the units returned.

    Only charges collected at checkout were paid by the shopper. Import VAT/GST collected at
    the point of sale (EU IOSS, GB, AU) is the seller's to correct in its next tax return,
    so it goes back. A duty paid at the border under DDP comes back to the merchant only
    through a customs repayment claim the regimes file says nothing of, so it goes back only
    when the shop says so (`returns_refund_duties`). A charge tied to no line (the EU's flat
    duty per tariff heading, per consignment) never does.
    """
    if not charge.collected or charge.line_id is None:
        return False
    if ChargeKind(charge.kind) is ChargeKind.IMPORT_TAX:
        return True
    return get_settings().returns_refund_duties


def _counts(line: ReturnLine, keep: bool, options: OutcomeOptions) -> dict[str, int]:
    """The units of a returned line by what became of them, and the units counted and fee'd."""
    wanted = line.quantity
    counts = {"restocked": 0, "needs_work": 0, "written_off": 0, "missing": 0}
    inspection = Inspection(line.inspection)
    if keep:
        return {**counts, "counted": wanted, "fee_units": 0, "expected": 0}
    if inspection is Inspection.PENDING:
        return {**counts, "counted": wanted, "fee_units": wanted, "expected": 1}
    inspected = max(0, min(line.inspected_quantity, wanted))
    if inspection is Inspection.MISSING:
        inspected = 0
    key = {
        Inspection.RESTOCK: "restocked",
        Inspection.NEEDS_WORK: "needs_work",
        Inspection.WRITTEN_OFF: "written_off",
    }.get(inspection)
    if key is not None:
        counts[key] = inspected
    counts["missing"] = wanted - inspected
    counted = inspected + (counts["missing"] if options.refund_missing else 0)
    fee_units = inspected if inspection is Inspection.RESTOCK else 0
    return {**counts, "counted": counted, "fee_units": fee_units, "expected": 0}


@dataclass(slots=True)
class OrderLedger:
    """What an order has given back, read once for a preview or a plan."""

    captured: int = 0
    #: Per payment: what may still be refunded (captured - refunded - in flight).
    refundable: dict[int, int] = field(default_factory=dict)
    #: Refunds made or in flight, by the return whose reason they carry ("" for others).
    refunded_by_return: dict[str, int] = field(default_factory=dict)
    #: Other returns' outcomes that hold their amounts: (return marker, total, status).
    others: list[tuple[str, int, OutcomeStatus]] = field(default_factory=list)
    #: Units and amounts other outcomes gave back per order line.
    units_by_line: dict[int, int] = field(default_factory=dict)
    given_by_line: dict[int, Pair] = field(default_factory=dict)
    given_by_charge: dict[int, Pair] = field(default_factory=dict)

    def given_back_by_others(self, own: str) -> int:
        """Everything given back on the order except by the return marked `own`."""
        refunds = sum(v for k, v in self.refunded_by_return.items() if k != own)
        planned = sum(
            max(0, total - self.refunded_by_return.get(mark, 0)) for mark, total, _ in self.others
        )
        return refunds + planned

    def pending_refunds_of_others(self) -> int:
        """Refunds other outcomes still have to make (their plans less what they made)."""
        return sum(
            max(0, total - self.refunded_by_return.get(mark, 0))
            for mark, total, status in self.others
            if status is OutcomeStatus.PENDING
        )


async def order_ledger(order: Order, ret: ReturnRequest) -> OrderLedger:
    """The order's captured payments, refunds and other returns' outcomes, as `ret` sees them."""
    ledger = OrderLedger()
    payments = await Payment.filter(
        order_id=order.id, status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED)
    ).order_by("attempt")
    refunds = await Refund.filter(
        payment__order_id=order.id, status__in=(RefundStatus.SUCCEEDED, RefundStatus.PENDING)
    ).values("payment_id", "amount", "reason", "status")
    returns = await ReturnRequest.filter(order_id=order.id).values("id", "number")
    markers = {f"Return {row['number']}" for row in returns}
    pending: dict[int, int] = defaultdict(int)
    for row in refunds:
        mark = row["reason"] if row["reason"] in markers else ""
        ledger.refunded_by_return[mark] = ledger.refunded_by_return.get(mark, 0) + row["amount"]
        if RefundStatus(row["status"]) is RefundStatus.PENDING:
            pending[row["payment_id"]] += row["amount"]
    for payment in payments:
        ledger.captured += payment.amount_received
        ledger.refundable[payment.id] = max(
            0, payment.amount_received - payment.amount_refunded - pending[payment.id]
        )
    numbers = {row["id"]: f"Return {row['number']}" for row in returns}
    others = await ReturnOutcome.filter(
        return_request_id__in=[r["id"] for r in returns if r["id"] != ret.id]
    )
    for outcome in others:
        status = OutcomeStatus(outcome.status)
        if status not in HOLDING:
            continue
        plan = plan_entry(outcome.breakdown)
        ledger.others.append(
            (numbers[outcome.return_request_id], int(plan.get("total", 0)), status)
        )
        entries: list[dict[str, Any]] = outcome.breakdown
        for entry in entries:
            if entry.get("kind") != "line":
                continue
            line_id = int(entry["order_line"])
            ledger.units_by_line[line_id] = ledger.units_by_line.get(line_id, 0) + int(
                entry["units"]
            )
            given = Pair(int(entry["total"]), int(entry["total_shop"]))
            ledger.given_by_line[line_id] = ledger.given_by_line.get(line_id, Pair()) + given
            for charge_id, order_amount, shop_amount in entry.get("charges", []):
                ledger.given_by_charge[charge_id] = ledger.given_by_charge.get(
                    charge_id, Pair()
                ) + Pair(order_amount, shop_amount)
    return ledger


def plan_entry(breakdown: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The `plan` entry of an outcome's breakdown (empty when it has none)."""
    for entry in breakdown:
        if entry.get("kind") == "plan":
            return entry
    return {}


async def find_return(return_id: int, order_id: int | None = None) -> ReturnRequest:
    rows = ReturnRequest.filter(id=return_id)
    if order_id is not None:
        rows = rows.filter(order_id=order_id)
    ret = await rows.first()
    if ret is None:
        raise not_found("The return", "return_id")
    return ret


async def preview(return_id: int, options: OutcomeOptions = OutcomeOptions()) -> OutcomePreview:
    """The return's refundable amount per line and in total, as `options` would make it."""
    return await compute(await find_return(return_id), options)


async def compute(ret: ReturnRequest, options: OutcomeOptions) -> OutcomePreview:
    """The preview of `ret` from the rows as they are now (call it under the locks of a
    carry-out to plan one)."""
    order = await Order.get(id=ret.order_id)
    ordered = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    returned = await ReturnLine.filter(return_request_id=ret.id).order_by("id")
    discount = await merchandise_discount(order)
    shares_order = discount_shares(
        {i: line.line_total_presentment for i, line in ordered.items()}, discount.order
    )
    shares_shop = discount_shares(
        {i: line.line_total for i, line in ordered.items()}, discount.shop
    )
    policies = await return_policy.policies_for(
        line.product_id for line in ordered.values() if line.product_id is not None
    )
    shop_policy = await return_policy.shop_policy()
    charges: dict[int, list[OrderCharge]] = defaultdict(list)
    for charge in await OrderCharge.filter(
        order_id=order.id, line_id__in=[line.order_line_id for line in returned]
    ).order_by("position", "id"):
        if gives_back(charge) and charge.line_id is not None:
            charges[charge.line_id].append(charge)
    ledger = await order_ledger(order, ret)

    lines = []
    shipping_shop = 0
    for row in returned:
        line = ordered[row.order_line_id]
        rule = policies.get(line.product_id, shop_policy) if line.product_id else shop_policy
        counts = _counts(row, ret.keep_items, options)
        before = ledger.units_by_line.get(line.id, 0)
        units = max(0, min(counts["counted"], line.quantity - before))
        fee_units = min(counts["fee_units"], units)
        net = Pair(
            line.line_total_presentment - shares_order[line.id],
            line.line_total - shares_shop[line.id],
        )
        value = Pair(
            part(net.order, before, units, line.quantity),
            part(net.shop, before, units, line.quantity),
        )
        paid = Pair(line.unit_price_presentment * units, line.unit_price * units)
        bps = 0 if options.waive_restocking_fee else rule.restocking_fee_bps
        fee = Pair(
            value.order * fee_units * bps // (units * BPS) if units else 0,
            value.shop * fee_units * bps // (units * BPS) if units else 0,
        )
        backs = []
        for charge in charges.get(line.id, []):
            amount = Pair(
                part(charge.amount_presentment, before, units, line.quantity),
                part(charge.amount, before, units, line.quantity),
            )
            # Never past what the charge has left once the other outcomes took theirs.
            given = ledger.given_by_charge.get(charge.id, Pair())
            amount = Pair(
                max(0, min(amount.order, charge.amount_presentment - given.order)),
                max(0, min(amount.shop, charge.amount - max(given.shop, charge.refunded))),
            )
            if amount.order or amount.shop:
                backs.append(ChargeBack(charge.id, ChargeKind(charge.kind), charge.name, amount))
        customs = sum((b.amount for b in backs), Pair())
        total = value - fee + customs
        already = ledger.given_by_line.get(line.id, Pair())
        line_paid = net + sum(
            (Pair(c.amount_presentment, c.amount) for c in charges.get(line.id, [])), Pair()
        )
        room = max(0, line_paid.order - already.order)
        capped = total.order > room
        refundable = Pair(room, scaled(total.shop, room, total.order)) if capped else total
        if (
            units
            and not ret.keep_items
            and rule.return_shipping_payer is ReturnShippingPayer.CUSTOMER
        ):
            shipping_shop = max(shipping_shop, rule.return_shipping_fee)
        lines.append(
            LinePreview(
                return_line_id=row.id,
                order_line_id=line.id,
                name=line.product_name,
                variant_name=line.variant_name,
                sku=line.sku,
                quantity=row.quantity,
                restocked=counts["restocked"],
                needs_work=counts["needs_work"],
                written_off=counts["written_off"],
                missing=counts["missing"],
                counted=units,
                expected=bool(counts["expected"]),
                paid=paid,
                discount=paid - value,
                restocking_fee=fee,
                customs=customs,
                charges=tuple(backs),
                already=already,
                refundable=refundable,
                capped=capped,
                restocking_fee_bps=bps,
                exchange_variant_id=row.exchange_variant_id,
            )
        )

    lines_total = sum((line.refundable for line in lines), Pair())
    shipping = Pair()
    if shipping_shop and not options.waive_return_shipping:
        shipping = Pair(
            min(to_presentment(shipping_shop, order), lines_total.order),
            min(shipping_shop, lines_total.shop),
        )
    total = lines_total - shipping
    own = marker(ret)
    room_order = max(
        0, ledger.captured + order.store_credit_presentment - ledger.given_back_by_others(own)
    )
    capped = total.order > room_order
    if capped:
        total = Pair(room_order, scaled(total.shop, room_order, total.order))
    refunded_already = ledger.refunded_by_return.get(own, 0)
    to_payment = max(
        0,
        sum(ledger.refundable.values()) - ledger.pending_refunds_of_others() + refunded_already,
    )
    notes = []
    if ret.keep_items:
        notes.append("The items are kept: no restocking fee and no return parcel.")
    preview = OutcomePreview(
        return_id=ret.id,
        order_id=order.id,
        currency=order.currency,
        shop_currency=order.shop_currency,
        options=options,
        lines=tuple(lines),
        return_shipping=shipping,
        restocking_fee=sum((line.restocking_fee for line in lines), Pair()),
        customs=sum((line.customs for line in lines), Pair()),
        total=total,
        order_room=Pair(room_order, scaled(order.total, room_order, order.total_presentment)),
        capped=capped or any(line.capped for line in lines),
        refundable_to_payment=min(to_payment, total.order),
        refunded_already=refunded_already,
        member=order.user_id is not None,
        notes=tuple(notes),
    )
    if any(line.exchange_variant_id and line.counted for line in lines):
        return await with_exchange(preview, order)
    return preview


def exchanged_lines(lines: Iterable[LinePreview]) -> list[LinePreview]:
    """The lines that ask for another variant and have units to replace."""
    return [line for line in lines if line.exchange_variant_id and line.counted]


async def variants_of(ids: Iterable[int]) -> dict[int, ProductVariant]:
    return {v.id: v for v in await ProductVariant.filter(id__in=sorted(set(ids)))}


async def with_exchange(preview: OutcomePreview, order: Order) -> OutcomePreview:
    """`preview` with the replacement of its exchanged lines priced at today's prices in the
    order's currency (the shelf price the shopper would see now), against their worth."""
    wanted = exchanged_lines(preview.lines)
    variants = await variants_of(line.exchange_variant_id or 0 for line in wanted)
    products = {
        p.id: p for p in await Product.filter(id__in={v.product_id for v in variants.values()})
    }
    problem = ""
    try:
        quote = await currency_rates.quote(order.currency)
    except CurrencyError as exc:
        quote = None
        problem = exc.problems[0].message
    now = timezone.now()
    lines = []
    needed: dict[int, int] = defaultdict(int)
    for line in wanted:
        variant = variants.get(line.exchange_variant_id or 0)
        if variant is None:
            problem = problem or f"The variant wanted for {line.name} no longer exists."
            continue
        product = products[variant.product_id]
        needed[variant.id] += line.counted
        if not listing.shown_to(product, now, early_access=True):
            problem = problem or f"{product.name} ({variant.sku}) is not for sale."
        shown = convert.present(variant.price, quote) if quote is not None else 0
        lines.append(
            ExchangeLine(
                variant_id=variant.id,
                quantity=line.counted,
                unit_price=Pair(shown, variant.price),
                name=" / ".join(p for p in (product.name, variant.name) if p),
                sku=variant.sku,
            )
        )
    for variant_id, quantity in needed.items():
        variant = variants[variant_id]
        left = max(0, variant.stock_on_hand - variant.stock_reserved)
        if left < quantity:
            problem = problem or f"Only {left} of {variant.sku} left."
    cost = sum(
        (Pair(x.unit_price.order * x.quantity, x.unit_price.shop * x.quantity) for x in lines),
        Pair(),
    )
    worth = sum((line.refundable for line in wanted), Pair())
    allowance = Pair(min(worth.order, preview.total.order), min(worth.shop, preview.total.shop))
    exchange = ExchangePreview(
        lines=tuple(lines),
        cost=cost,
        allowance=allowance,
        difference_refunded=Pair(
            max(0, allowance.order - cost.order), max(0, allowance.shop - cost.shop)
        ),
        difference_owed=Pair(
            max(0, cost.order - allowance.order), max(0, cost.shop - allowance.shop)
        ),
        rate=str(quote.rate) if quote is not None else "",
        rate_source=quote.source if quote is not None else "",
        rate_date=quote.rate_date.isoformat() if quote and quote.rate_date else None,
        problem=problem,
    )
    return replace(preview, exchange=exchange)
