"""The shop the checkouts run in: currencies, shipping and stock (`--role setup`)."""

from __future__ import annotations

import time
from typing import Any, cast

JPY_RATE = "150"
EUR_RATE = "0.92"
COUNTRIES = ["JP", "DE", "US"]
#: Units received for every variant before the run, so that nothing sells out.
STOCK_PER_VARIANT = 100_000

# ---------------------------------------------------------------- the setup script


async def setup_shop() -> dict[str, Any]:
    from datetime import date

    from tortoise import Tortoise

    from models.catalog import ProductVariant
    from models.currency import ExchangeRate, PresentmentCurrency, RateSource
    from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
    from schema.relay import encode_id
    from services.inventory import stock
    from settings import get_settings, tortoise_config

    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        for code, rate in (("JPY", JPY_RATE), ("EUR", EUR_RATE)):
            await PresentmentCurrency.update_or_create(code=code, defaults={"enabled": True})
            await ExchangeRate.create(
                base=settings.shop_currency,
                quote=code,
                rate=rate,
                source=RateSource.MANUAL,
                rate_date=date.today(),
            )
        zone = await ShippingZone.create(name="Checkout bench", countries=COUNTRIES)
        carrier = await Carrier.create(name="Bench Post", code="benchpost")
        service = await ShippingService.create(
            carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
        )
        for band, price in ((2000, 800), (10000, 1800), (30000, 4800)):
            await ShippingRate.create(
                service=service,
                zone=zone,
                max_weight_grams=band,
                price=price,
                min_days=3,
                max_days=7,
            )
        ids = sorted(cast(list[int], await ProductVariant.all().values_list("id", flat=True)))
        started = time.perf_counter()
        await stock.receive_many([(v, STOCK_PER_VARIANT) for v in ids], reference="checkout bench")
        return {
            "service_id": str(encode_id("ShippingService", service.id)),
            "variant_ids": [str(encode_id("ProductVariant", v)) for v in ids],
            "stock_received_s": round(time.perf_counter() - started, 2),
        }
    finally:
        await Tortoise.close_connections()
