"""Orders with duty and import-tax charges, written with the ORM as checkout writes them, and
the ECB rates the returns convert with."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from models.currency import ExchangeRate, RateSource
from models.customs import ChargeKind, OrderCharge
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.money import currency_exponent
from services.orders.numbers import new_order_number

_seq = itertools.count(1)


def shown(minor: int, currency: str, rate: str) -> int:
    """A USD (shop) amount in `currency` at `rate`, rounded half up."""
    scaled = Decimal(minor).scaleb(currency_exponent(currency) - 2) * Decimal(rate)
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def charged_order(
    *,
    country: str,
    regime: str,
    net: int,
    tax: int,
    rate_bps: int | None,
    paid_at: datetime | None,
    placed_at: datetime | None = None,
    currency: str = "USD",
    rate: str = "1",
    status: OrderStatus = OrderStatus.COMPLETED,
    cancelled_at: datetime | None = None,
    collected: bool = True,
    duty: int = 0,
    refunded: int = 0,
    refunded_at: datetime | None = None,
) -> Order:
    """A paid order of goods worth `net` (USD minor units) with one import tax charge of
    `tax` (and a duty charge of `duty` when given), `refunded` of the tax given back by a
    succeeded refund made at `refunded_at`."""
    placed = placed_at or paid_at
    assert placed is not None
    collected_tax = tax if collected else 0
    collected_duty = duty if collected else 0
    total = net + collected_tax + collected_duty
    order = await Order.create(
        number=new_order_number(),
        email=f"buyer{next(_seq)}@example.com",
        status=status,
        shop_currency="USD",
        currency=currency,
        exchange_rate=rate,
        subtotal=net,
        total=total,
        subtotal_presentment=shown(net, currency, rate),
        total_presentment=shown(total, currency, rate),
        duty_total=collected_duty,
        duty_total_presentment=shown(collected_duty, currency, rate),
        import_tax_total=collected_tax,
        import_tax_total_presentment=shown(collected_tax, currency, rate),
        incoterm="ddp" if collected else "dap",
        customs_regime=regime,
        ship_country=country,
        placed_at=placed,
        paid_at=paid_at,
        cancelled_at=cancelled_at,
        refunded_total=refunded,
    )
    await Order.filter(id=order.id).update(placed_at=placed)
    await OrderCharge.create(
        order=order,
        kind=ChargeKind.IMPORT_TAX,
        regime=regime,
        name="GST" if country == "AU" else "VAT",
        destination=country,
        basis="price",
        rate_bps=rate_bps,
        base_amount=net,
        amount=tax,
        amount_presentment=shown(tax, currency, rate),
        collected=collected,
        refunded=refunded,
    )
    if duty:
        await OrderCharge.create(
            order=order,
            kind=ChargeKind.DUTY,
            regime=regime,
            name="Duty",
            destination=country,
            basis="price",
            rate_bps=None,
            amount=duty,
            amount_presentment=shown(duty, currency, rate),
            collected=collected,
            position=1,
        )
    if refunded:
        assert refunded_at is not None
        payment = await Payment.create(
            order=order,
            attempt=1,
            gateway=Gateway.TEST,
            status=PaymentStatus.SUCCEEDED,
            currency=currency,
            amount=order.total_presentment,
            amount_received=order.total_presentment,
            succeeded_at=paid_at,
        )
        refund = await Refund.create(
            payment=payment,
            sequence=1,
            status=RefundStatus.SUCCEEDED,
            amount=shown(refunded, currency, rate),
            reason="returned",
        )
        await Refund.filter(id=refund.id).update(created_at=refunded_at)
    return order


async def ecb_rates(day: date, **per_euro: str) -> None:
    """The ECB's reference rates of `day`: units of each currency per euro."""
    for code, value in per_euro.items():
        await ExchangeRate.create(
            base="EUR", quote=code, rate=value, source=RateSource.ECB, rate_date=day
        )
