"""The demo shop's order history: about 250 orders over the last 90 days, so that the
console's home, money and statistics screens have something to show from the first start.

Demo shoppers in several countries order in their own currencies. Most orders are
completed or on their way, some wait to ship, a few wait for payment, a few were
cancelled (some after payment, refunded). Paid orders carry the records the built-in test
gateway keeps (a succeeded card payment with its settlement in the shop currency, less the
gateway's fee, at a rate that moved a little since the order was priced), so the
statistics, the settlement report and the stock ledger agree. A handful of payments need
staff: a dispute, a mismatched amount, a declined card, a refund the bank refused.

Deterministic (one seeded random generator) and written with bulk inserts, in one
transaction, in a few seconds; nothing is written when the shop has orders.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import User
from models.catalog import ListingStatus, Product, ProductVariant
from models.inventory import MovementKind, StockMovement
from models.orders import Order, OrderEvent, OrderEventKind, OrderLine, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.currency import rates
from services.inventory import alerts
from services.money import currency_exponent
from services.orders.numbers import ALPHABET, PREFIX
from services.payments.test_gateway import FEE_FIXED, FEE_SHARE
from settings import get_settings

log = logging.getLogger("tradewind.demo")

ORDERS = 250
DAYS = 90
SEED = 20261205
#: Units received when a shelf runs short of an order.
RESTOCK = 12
DEMO_DOMAIN = "demo.example.com"


@dataclass(frozen=True, slots=True)
class DemoShopper:
    nickname: str
    email: str
    country: str
    region: str
    city: str
    postal_code: str
    line1: str
    currency: str
    locale: str
    #: How often this shopper orders, relative to the others.
    weight: int


#: name | email | country | region | city | postal code | street | currency | locale | weight
_SHOPPER_TABLE = """
Emma Walker | emma | US | CA | San Francisco | 94110 | 2150 Mission St | USD | en | 6
Jacob Miller | jacob | US | NY | Brooklyn | 11201 | 88 Court St | USD | en | 5
Olivia Brown | olivia | US | TX | Austin | 78701 | 500 Congress Ave | USD | en | 4
Chen Mei | mei | CN | Shanghai | Shanghai | 200040 | 1266 Nanjing West Rd | CNY | zh | 6
Wang Lei | lei | CN | Guangdong | Shenzhen | 518000 | 9 Keyuan Rd | CNY | zh | 4
Sato Yuki | yuki | JP | Tokyo | Shibuya | 150-0002 | 2-21-1 Shibuya | JPY | ja | 5
Lena Fischer | lena | DE | Berlin | Berlin | 10115 | Invalidenstr. 43 | EUR | de | 5
Camille Martin | camille | FR | Île-de-France | Paris | 75011 | 12 rue Oberkampf | EUR | fr | 4
Giulia Rossi | giulia | IT | Lombardia | Milano | 20121 | Via Brera 8 | EUR | en | 2
Oliver Smith | oliver | GB | England | London | N1 9GU | 40 Upper St | GBP | en | 4
Kim Min-jun | minjun | KR | Seoul | Seoul | 04524 | 110 Sejong-daero | KRW | en | 3
Charlotte Wilson | charlotte | AU | NSW | Sydney | 2000 | 1 Macquarie St | AUD | en | 3
Liam Tremblay | liam | CA | QC | Montréal | H2X 1Y4 | 175 Rue Sainte-Catherine | CAD | fr | 3
"""


def _shopper(row: str) -> DemoShopper:
    name, email, country, region, city, postal, street, currency, locale, weight = (
        part.strip() for part in row.split("|")
    )
    return DemoShopper(
        name, email, country, region, city, postal, street, currency, locale, int(weight)
    )


SHOPPERS = tuple(_shopper(row) for row in _SHOPPER_TABLE.strip().splitlines())

#: Order outcomes and how often they happen, for orders older than a week; newer orders
#: lean towards waiting to ship.
OUTCOMES = (
    ("completed", 52),
    ("delivered", 10),
    ("shipped", 13),
    ("pending_shipment", 10),
    ("pending_payment", 5),
    ("cancelled_unpaid", 5),
    ("refunded", 5),
)


#: placed at, shopper, account, outcome, {variant: quantity}, {variant: units received first}
Plan = tuple[datetime, "DemoShopper", User, str, dict[int, int], dict[int, int]]


@dataclass(slots=True)
class Written:
    orders: int = 0
    payments: int = 0
    refunds: int = 0


def _minor(amount: Decimal, currency: str) -> int:
    step = Decimal(1).scaleb(-currency_exponent(currency))
    return int(amount.quantize(step, rounding=ROUND_HALF_UP).scaleb(currency_exponent(currency)))


def _convert(minor: int, shop: str, currency: str, rate: Decimal) -> int:
    """Shop-currency minor units in `currency` at `rate` (currency units per shop unit)."""
    with localcontext() as ctx:
        ctx.prec = 40
        return _minor(Decimal(minor).scaleb(-currency_exponent(shop)) * rate, currency)


def _number(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = PREFIX + "".join(rng.choice(ALPHABET) for _ in range(8))
        if number not in taken:
            taken.add(number)
            return number


async def _shoppers(now: datetime) -> list[tuple[DemoShopper, User]]:
    """The demo shoppers' accounts (no password: they exist to have ordered)."""
    emails = [f"{s.email}@{DEMO_DOMAIN}" for s in SHOPPERS]
    existing = {u.email: u for u in await User.filter(email__in=emails)}
    missing = [
        User(
            email=email,
            email_verified_at=now - timedelta(days=DAYS + 30),
            nickname=shopper.nickname,
            locale=shopper.locale,
            currency=shopper.currency,
        )
        for shopper, email in zip(SHOPPERS, emails, strict=True)
        if email not in existing
    ]
    if missing:
        await User.bulk_create(missing)
        existing = {u.email: u for u in await User.filter(email__in=emails)}
    return [(s, existing[e]) for s, e in zip(SHOPPERS, emails, strict=True)]


def _placed_at(rng: random.Random, now: datetime) -> datetime:
    # More orders lately: a shop that grows. Today always gets a few (see below).
    age = DAYS * (1 - rng.random() ** 0.8)
    return now - timedelta(days=age, minutes=rng.randint(0, 59))


def _outcome(rng: random.Random, age: timedelta) -> str:
    if age < timedelta(days=2):
        return rng.choices(["pending_shipment", "pending_payment", "shipped"], [6, 2, 2])[0]
    if age < timedelta(days=7):
        return rng.choices(
            ["pending_shipment", "shipped", "delivered", "cancelled_unpaid"], [3, 5, 2, 1]
        )[0]
    names, weights = zip(*OUTCOMES, strict=True)
    return rng.choices(names, weights)[0]


async def load_demo_orders(*, now: datetime | None = None) -> bool:
    """Writes the demo order history; False, doing nothing, when any order exists."""
    now = now or timezone.now()
    shop = get_settings().shop_currency
    async with in_transaction("default"):
        if await Order.exists():
            return False
        variants = await ProductVariant.filter(
            Q(product__publish_at__isnull=True) | Q(product__publish_at__lte=now),
            product__status=ListingStatus.ACTIVE,
        ).order_by("id")
        if not variants:
            return False
        written = await _write(random.Random(SEED), now, shop, variants)
    log.info(
        "demo.orders_loaded orders=%d payments=%d refunds=%d",
        written.orders,
        written.payments,
        written.refunds,
    )
    return True


async def _write(
    rng: random.Random, now: datetime, shop: str, variants: list[ProductVariant]
) -> Written:
    shoppers = await _shoppers(now)
    quotes = {c: (await rates.quote(c)).rate for c in {s.currency for s in SHOPPERS}}
    stock = {v.id: [v.stock_on_hand, v.stock_reserved] for v in variants}
    available_before = {v.id: v.stock_available for v in variants}
    by_id = {v.id: v for v in variants}
    # A few best sellers sell far more than the rest.
    popularity = [rng.choice([1, 1, 2, 3, 8]) for _ in variants]
    taken: set[str] = set()
    placed_times = sorted(_placed_at(rng, now) for _ in range(ORDERS - 4))
    # Four came in today (UTC, the day the statistics count in), whatever the time now:
    # spread over the part of the day that has passed.
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = now - midnight
    placed_times += [now - elapsed * share for share in (0.1, 0.35, 0.6, 0.85)]
    placed_times.sort()

    plans: list[Plan] = []
    for placed in placed_times:
        shopper, user = rng.choices(shoppers, [s.weight for s, _ in shoppers])[0]
        outcome = _outcome(rng, now - placed)
        picks: dict[int, int] = {}
        for _ in range(rng.choices([1, 2, 3], [6, 3, 1])[0]):
            variant = rng.choices(variants, popularity)[0]
            picks[variant.id] = picks.get(variant.id, 0) + rng.choices([1, 2], [4, 1])[0]
        # Stock is never oversold: a shelf that cannot cover a line was restocked first.
        lines = picks
        restocked = {}
        for vid, quantity in lines.items():
            if stock[vid][0] - stock[vid][1] < quantity:
                restocked[vid] = RESTOCK
                stock[vid][0] += RESTOCK
            if outcome in ("completed", "delivered", "shipped"):
                stock[vid][0] -= quantity
            elif outcome in ("pending_shipment", "pending_payment"):
                stock[vid][1] += quantity
        plans.append((placed, shopper, user, outcome, lines, restocked))

    orders: list[Order] = []
    for placed, shopper, user, outcome, lines, _ in plans:
        rate = quotes[shopper.currency]
        subtotal = sum(by_id[vid].price * q for vid, q in lines.items())
        shipping = 0 if subtotal >= 15000 else 990
        subtotal_p = sum(
            _convert(by_id[vid].price, shop, shopper.currency, rate) * q for vid, q in lines.items()
        )
        shipping_p = _convert(shipping, shop, shopper.currency, rate)
        shipped_at = placed + timedelta(days=rng.uniform(0.5, 2.5))
        delivered_at = shipped_at + timedelta(days=rng.uniform(2, 6))
        status = {
            "completed": OrderStatus.COMPLETED,
            "delivered": OrderStatus.DELIVERED,
            "shipped": OrderStatus.SHIPPED,
            "pending_shipment": OrderStatus.PENDING_SHIPMENT,
            "pending_payment": OrderStatus.PENDING_PAYMENT,
        }.get(outcome, OrderStatus.CANCELLED)
        paid = outcome not in ("pending_payment", "cancelled_unpaid")
        sent = status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)
        arrived = status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
        order = Order(
            number=_number(rng, taken),
            user_id=user.id,
            email=user.email,
            status=status,
            shop_currency=shop,
            currency=shopper.currency,
            exchange_rate=str(rate),
            subtotal=subtotal,
            shipping_total=shipping,
            total=subtotal + shipping,
            subtotal_presentment=subtotal_p,
            shipping_total_presentment=shipping_p,
            total_presentment=subtotal_p + shipping_p,
            ship_country=shopper.country,
            ship_region=shopper.region,
            shipping_address={
                "full_name": shopper.nickname,
                "line1": shopper.line1,
                "city": shopper.city,
                "region": shopper.region,
                "postal_code": shopper.postal_code,
                "country": shopper.country,
            },
            shipping_method="Standard international",
            rate_source="shop" if shopper.currency == shop else "ecb",
            rate_date=None if shopper.currency == shop else now.date(),
            payment_method="card" if paid else "",
            locale=shopper.locale,
            placed_at=placed,
            paid_at=placed + timedelta(minutes=2) if paid else None,
            shipped_at=shipped_at if sent else None,
            delivered_at=delivered_at if arrived else None,
            completed_at=delivered_at + timedelta(days=7) if outcome == "completed" else None,
            cancelled_at=placed + timedelta(days=1) if status is OrderStatus.CANCELLED else None,
            cancel_reason={
                "cancelled_unpaid": "Not paid in time",
                "refunded": "Cancelled at the shopper's request",
            }.get(outcome, ""),
            refunded_total=subtotal + shipping if outcome == "refunded" else 0,
        )
        orders.append(order)
    await Order.bulk_create(orders)
    saved = {o.number: o.id for o in await Order.all().only("id", "number")}
    for order in orders:
        order.id = saved[order.number]

    names = dict(await Product.all().values_list("id", "name"))
    order_lines = [
        OrderLine(
            order_id=order.id,
            product_id=by_id[vid].product_id,
            variant_id=vid,
            product_name=names.get(by_id[vid].product_id, by_id[vid].sku),
            variant_name=by_id[vid].name,
            sku=by_id[vid].sku,
            quantity=quantity,
            unit_price=by_id[vid].price,
            unit_price_presentment=_convert(
                by_id[vid].price, shop, order.currency, quotes[order.currency]
            ),
            line_total=by_id[vid].price * quantity,
            line_total_presentment=_convert(
                by_id[vid].price, shop, order.currency, quotes[order.currency]
            )
            * quantity,
        )
        for order, (_, _, _, _, lines, _) in zip(orders, plans, strict=True)
        for vid, quantity in lines.items()
    ]
    await OrderLine.bulk_create(order_lines)
    await OrderEvent.bulk_create(
        [
            OrderEvent(
                order_id=order.id,
                kind=OrderEventKind.PLACED,
                to_status=OrderStatus.PENDING_PAYMENT.value,
                actor="customer",
                message="Order placed",
                created_at=order.placed_at,
            )
            for order in orders
        ]
    )
    written = Written(orders=len(orders))
    await _payments(rng, orders, [p[3] for p in plans], written)
    await _ledger(orders, plans, variants, available_before)
    return written


def _settle(amount: int, currency: str, shop: str, rate: Decimal) -> tuple[int, int, str]:
    """(net, fee, provider rate) of a test-gateway card payment settled at `rate`."""
    with localcontext() as ctx:
        ctx.prec = 40
        presented = Decimal(amount).scaleb(-currency_exponent(currency))
        gross = _minor(presented / rate, shop)
        fee = int((Decimal(gross) * FEE_SHARE).to_integral_value(ROUND_HALF_UP))
        fee += _minor(FEE_FIXED, shop)
        provider_rate = "" if currency == shop else format(+(1 / rate).normalize(), "f")[:20]
    return gross - fee, fee, provider_rate


async def _payments(
    rng: random.Random, orders: list[Order], outcomes: list[str], written: Written
) -> None:
    shop = get_settings().shop_currency
    payments: list[Payment] = []
    refunds: list[tuple[int, Refund]] = []
    pending = [o for o, what in zip(orders, outcomes, strict=True) if what == "pending_payment"]
    for order, outcome in zip(orders, outcomes, strict=True):
        if outcome in ("cancelled_unpaid", "pending_payment"):
            continue
        drift = Decimal(1) + Decimal(rng.randint(-150, 150)) / 10000
        settle_rate = Decimal(order.exchange_rate) * (1 if order.currency == shop else drift)
        net, fee, provider_rate = _settle(
            order.total_presentment, order.currency, shop, settle_rate
        )
        pid = f"test_pi_{order.number}_1"
        payment = Payment(
            order_id=order.id,
            attempt=1,
            gateway=Gateway.TEST,
            method="card",
            provider_id=pid,
            status=PaymentStatus.SUCCEEDED,
            currency=order.currency,
            amount=order.total_presentment,
            amount_received=order.total_presentment,
            settlement_currency=shop,
            settled_amount=net,
            fee=fee,
            provider_rate=provider_rate,
            balance_transaction_id=f"txn_test_{pid}",
            created_at=order.placed_at,
            succeeded_at=order.paid_at,
        )
        if outcome == "refunded":
            payment.amount_refunded = order.total_presentment
            back, _, _ = _settle(order.total_presentment, order.currency, shop, settle_rate)
            refunds.append(
                (
                    len(payments),
                    Refund(
                        sequence=1,
                        provider_id=f"test_re_{order.number}_1",
                        status=RefundStatus.SUCCEEDED,
                        amount=order.total_presentment,
                        reason="Cancelled at the shopper's request",
                        settled_amount=-(back + fee),
                        fee=0,
                        provider_rate=provider_rate,
                        created_at=order.cancelled_at,
                    ),
                )
            )
        payments.append(payment)
    # What staff must look at: a dispute and a refund the bank refused on completed orders,
    # a declined card on an order still waiting for payment.
    completed = [i for i, p in enumerate(payments) if p.amount_refunded == 0]
    disputed = payments[completed[-12]]
    disputed.status = PaymentStatus.FLAGGED
    disputed.flagged_reason = "the shopper disputed the charge (product_not_received)"
    refused = payments[completed[-20]]
    refunds.append(
        (
            completed[-20],
            Refund(
                sequence=1,
                provider_id=f"test_re_{refused.provider_id}_1",
                status=RefundStatus.FAILED,
                amount=refused.amount // 4,
                reason="Goodwill for a late delivery",
                failure_message="The card the payment came from was closed",
            ),
        )
    )
    for order in pending[:2]:
        payments.append(
            Payment(
                order_id=order.id,
                attempt=1,
                gateway=Gateway.TEST,
                method="card",
                provider_id=f"test_pi_{order.number}_1",
                status=PaymentStatus.FAILED,
                currency=order.currency,
                amount=order.total_presentment,
                failure_code="card_declined",
                failure_message="Your card was declined.",
                created_at=order.placed_at,
            )
        )
    await Payment.bulk_create(payments)
    ids = dict(await Payment.all().values_list("provider_id", "id"))
    for index, refund in refunds:
        refund.payment_id = ids[payments[index].provider_id]
    await Refund.bulk_create([r for _, r in refunds])
    # Writing sets `updated_at` to now: the moments things happened, as the history has them.
    now = timezone.now()
    for payment in payments:
        if payment.status != PaymentStatus.SUCCEEDED:
            late = timedelta(days=2) if payment.succeeded_at else timedelta(minutes=5)
            happened = (payment.succeeded_at or payment.created_at) + late
            await Payment.filter(id=ids[payment.provider_id]).update(updated_at=min(happened, now))
    when = min((refused.succeeded_at or now) + timedelta(days=12), now)
    await Refund.filter(status=RefundStatus.FAILED, payment_id=ids[refused.provider_id]).update(
        created_at=when, updated_at=when
    )
    written.payments = len(payments)
    written.refunds = len(refunds)


async def _ledger(
    orders: list[Order],
    plans: list[Plan],
    variants: list[ProductVariant],
    available_before: dict[int, int],
) -> None:
    """Each order's reservation and, once shipped, its sale, as the ledger records them."""
    running = {v.id: [v.stock_on_hand, v.stock_reserved] for v in variants}
    movements: list[StockMovement] = []

    def move(
        vid: int, kind: MovementKind, on_hand: int, reserved: int, ref: str, at: datetime
    ) -> None:
        running[vid][0] += on_hand
        running[vid][1] += reserved
        movements.append(
            StockMovement(
                variant_id=vid,
                kind=kind,
                on_hand_change=on_hand,
                reserved_change=reserved,
                on_hand_after=running[vid][0],
                reserved_after=running[vid][1],
                reference=ref,
                created_at=at,
            )
        )

    for order, (placed, _, _, outcome, lines, restocked) in zip(orders, plans, strict=True):
        for vid, quantity in restocked.items():
            move(vid, MovementKind.RECEIPT, quantity, 0, "demo restock", placed)
        for vid, quantity in lines.items():
            if outcome == "cancelled_unpaid":
                continue  # released again: nothing left in the figures worth a line
            move(vid, MovementKind.RESERVATION, 0, quantity, f"order:{order.number}", placed)
            if order.shipped_at is not None:
                move(
                    vid,
                    MovementKind.SALE,
                    -quantity,
                    -quantity,
                    f"order:{order.number}",
                    order.shipped_at,
                )
            elif outcome == "refunded":
                assert order.cancelled_at is not None
                move(
                    vid,
                    MovementKind.RELEASE,
                    0,
                    -quantity,
                    f"order:{order.number}",
                    order.cancelled_at,
                )
    await StockMovement.bulk_create(movements)
    for variant in variants:
        on_hand, reserved = running[variant.id]
        if (on_hand, reserved) != (variant.stock_on_hand, variant.stock_reserved):
            await ProductVariant.filter(id=variant.id).update(
                stock_on_hand=on_hand, stock_reserved=reserved
            )
    await alerts.note_changes(
        [
            alerts.LevelChange(
                variant_id=v.id,
                product_id=v.product_id,
                sku=v.sku,
                before=available_before[v.id],
                after=running[v.id][0] - running[v.id][1],
                threshold=v.low_stock_threshold,
            )
            for v in variants
        ]
    )
