"""Shipped orders with their customs facts, written with the ORM as checkout will write them,
and the shop's rates and address, for the customs papers' tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pypdf import PdfReader

from models.currency import ExchangeRate, RateSource
from models.customs import ChargeKind, MerchantRegistration, OrderCharge, RegistrationKind
from models.orders import Order, OrderLine, OrderStatus, Shipment, ShipmentLine
from models.shipping import Carrier
from services.orders.numbers import new_order_number
from services.shipping.tracking_numbers import s10_check_digit

#: EUR-based rates of a day: one SDR is then about 1.36 USD, 1.17 EUR.
ECB = {"USD": "1.16", "GBP": "0.87", "JPY": "180", "CNY": "8.25", "AUD": "1.78"}

REGISTRATIONS = {
    RegistrationKind.EORI: "CN123456789012345",
    RegistrationKind.IOSS: "IM2760000001",
    RegistrationKind.UK_VAT: "GB123456789",
    RegistrationKind.AU_ARN: "500000000001",
}

ADDRESSES = {
    "DE": {
        "full_name": "Erika Mustermann",
        "line1": "Heidestraße 17",
        "city": "Köln",
        "postal_code": "51147",
        "country": "DE",
        "phone": "+49 221 1234567",
    },
    "GB": {
        "full_name": "Oliver Smith",
        "line1": "10 Downing Lane",
        "city": "London",
        "postal_code": "SW1A 2AA",
        "country": "GB",
    },
    "JP": {
        "full_name": "山田 太郎",
        "line1": "千代田区丸の内1-1-1",
        "city": "東京都",
        "postal_code": "100-0005",
        "country": "JP",
    },
    "US": {
        "full_name": "Jane Doe",
        "line1": "1 Main Street",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
    },
    "CN": {
        "full_name": "王小明",
        "line1": "南京东路100号",
        "city": "上海",
        "postal_code": "200001",
        "country": "CN",
    },
}


def shop_address(settings: Any, monkeypatch: Any) -> None:
    """The shop's sender address, as a merchant sets it."""
    monkeypatch.setattr(settings, "shop_address_lines", ["88 Century Avenue", "Pudong"])
    monkeypatch.setattr(settings, "shop_address_city", "Shanghai")
    monkeypatch.setattr(settings, "shop_address_postal_code", "200120")
    monkeypatch.setattr(settings, "shop_phone", "+86 21 5555 0000")


async def ecb_rates(day: date | None = None) -> None:
    day = day or datetime.now(UTC).date()
    for code, rate in ECB.items():
        await ExchangeRate.create(
            base="EUR", quote=code, rate=rate, source=RateSource.ECB, rate_date=day
        )


async def registrations() -> None:
    for kind, number in REGISTRATIONS.items():
        await MerchantRegistration.create(kind=kind, number=number)


@dataclass
class Goods:
    """One order line: its price in the presentment currency and its customs snapshot."""

    name: str = "Silk scarf"
    sku: str = "SCARF-1"
    quantity: int = 1
    unit_price: int = 5000
    hs_code: str = "621410"
    hs_national: str = ""
    origin_country: str = "CN"
    customs_description: str = "Women's silk scarf"
    material: str = "silk"
    net_weight_grams: int | None = 80
    dangerous_goods: bool = False
    #: Units in the parcel (all of them unless told).
    shipped: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_serial = iter(range(10_000_000, 99_999_999, 7919))


def tracking_number() -> str:
    serial = f"{next(_serial):08d}"
    return f"LX{serial}{s10_check_digit(serial)}CN"


async def parcel_order(
    goods: list[Goods] | None = None,
    *,
    country: str = "DE",
    currency: str = "EUR",
    regime: str = "EU-IOSS",
    incoterm: str = "ddp",
    discount: int = 0,
    shipping: int = 1500,
    charges: list[dict[str, Any]] | None = None,
    carrier_code: str = "chinapost",
    user: Any = None,
) -> tuple[Order, Shipment]:
    """A shipped order to `country` paid in `currency`, and its one parcel."""
    goods = goods if goods is not None else [Goods()]
    charges = charges or []
    subtotal = sum(g.unit_price * g.quantity for g in goods)
    collected = sum(c["amount"] for c in charges if c.get("collected", True))
    order = await Order.create(
        number=new_order_number(),
        user=user,
        email="shopper@example.com",
        status=OrderStatus.SHIPPED,
        shop_currency="USD",
        currency=currency,
        exchange_rate="0.862069",
        subtotal=subtotal,
        discount_total=discount,
        shipping_total=shipping,
        total=subtotal - discount + shipping + collected,
        subtotal_presentment=subtotal,
        discount_total_presentment=discount,
        shipping_total_presentment=shipping,
        total_presentment=subtotal - discount + shipping + collected,
        import_tax_total_presentment=collected,
        import_tax_total=collected,
        incoterm=incoterm,
        customs_regime=regime,
        ship_country=country,
        shipping_address=ADDRESSES[country],
        placed_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
        paid_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    lines = []
    for g in goods:
        lines.append(
            await OrderLine.create(
                order=order,
                product_name=g.name,
                sku=g.sku,
                quantity=g.quantity,
                unit_price=g.unit_price,
                unit_price_presentment=g.unit_price,
                line_total=g.unit_price * g.quantity,
                line_total_presentment=g.unit_price * g.quantity,
                hs_code=g.hs_code,
                hs_national=g.hs_national,
                origin_country=g.origin_country,
                customs_description=g.customs_description,
                material=g.material,
                net_weight_grams=g.net_weight_grams,
                dangerous_goods=g.dangerous_goods,
                **g.extra,
            )
        )
    carrier = await Carrier.get_or_none(code=carrier_code) or await Carrier.create(
        name="China Post", code=carrier_code
    )
    shipment = await Shipment.create(
        order=order,
        carrier=carrier,
        carrier_name=carrier.name,
        service_name="ePacket",
        tracking_number=tracking_number(),
    )
    for g, line in zip(goods, lines, strict=True):
        await ShipmentLine.create(
            shipment=shipment, order_line=line, quantity=g.shipped or g.quantity
        )
    for position, charge in enumerate(charges):
        index = charge.get("line")
        await OrderCharge.create(
            order=order,
            line=lines[index] if index is not None else None,
            kind=charge.get("kind", ChargeKind.IMPORT_TAX),
            regime=regime,
            name=charge.get("name", "VAT"),
            destination=country,
            basis=charge.get("basis", "price"),
            rate_bps=charge.get("rate_bps"),
            amount=charge["amount"],
            amount_presentment=charge["amount"],
            collected=charge.get("collected", True),
            position=position,
        )
    return order, shipment


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as a reader extracts it."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_sizes(data: bytes) -> list[tuple[int, int]]:
    """Each page's size in whole points."""
    reader = PdfReader(io.BytesIO(data))
    return [(round(page.mediabox.width), round(page.mediabox.height)) for page in reader.pages]
