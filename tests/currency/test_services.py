"""Rates, quotes and presentment currencies against the database."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tortoise import timezone

from jobs import relay
from jobs.scheduler import Scheduler
from models.currency import ExchangeRate, PresentmentCurrency, RateSource, RoundingRule
from models.jobs import Job, JobStatus
from services.currency import currencies, rates
from services.currency.errors import CurrencyError, CurrencyErrorCode
from subscriptions import bus
from tests.currency.helpers import ECB_DAY, ECB_FILE, ecb_xml, import_rates

#: Saturday after the file's Friday: its rates are current.
SATURDAY = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


async def refused(pending) -> list[tuple[CurrencyErrorCode, tuple[str, ...] | None]]:
    with pytest.raises(CurrencyError) as caught:
        await pending
    return [(p.code, p.field) for p in caught.value.problems]  # type: ignore[misc]


# The ECB import.


async def test_an_import_stores_one_euro_rate_per_currency_for_the_files_day(db):
    result = await import_rates()
    assert result.dates == [ECB_DAY]
    assert result.written == 29
    rows = await ExchangeRate.all()
    assert len(rows) == 29
    assert {(r.base, r.source, r.rate_date) for r in rows} == {("EUR", RateSource.ECB, ECB_DAY)}
    usd = await ExchangeRate.get(quote="USD")
    assert usd.rate == "1.1582"
    assert (await ExchangeRate.get(quote="HUF")).rate == "384.10"


async def test_importing_the_same_day_again_writes_nothing(db):
    await import_rates()
    again = await import_rates()
    assert again.written == 0
    assert await ExchangeRate.all().count() == 29
    next_day = await import_rates(ECB_DAY + timedelta(days=3))
    assert next_day.written == 29
    assert await ExchangeRate.all().count() == 58


async def test_a_bad_file_writes_nothing(db):
    bad = ecb_xml().replace(b"rate='181.35'", b"rate='-3'")
    assert await refused(rates.import_ecb(bad)) == [(CurrencyErrorCode.INVALID_RATES_FILE, None)]
    assert not await ExchangeRate.exists()


async def test_an_import_that_writes_announces_it_after_commit(db):
    async with bus.current().subscribe(rates.RATES_CHANNEL) as messages:
        await import_rates()
        message = await asyncio.wait_for(anext(aiter(messages)), 2)
    assert message == {"dates": [ECB_DAY.isoformat()]}


async def test_an_import_reads_a_file_from_disk(db):
    result = await rates.import_ecb_file(ECB_FILE)
    assert result.written == 29


@contextlib.contextmanager
def serving(body: bytes, status: int = 200) -> Iterator[str]:
    """A local stand-in for the ECB's web server, answering every GET with `body`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/stats/eurofxref/eurofxref-daily.xml"
    finally:
        server.shutdown()
        server.server_close()


async def test_an_import_fetches_the_rates_over_http(db):
    with serving(ecb_xml()) as url:
        result = await rates.import_ecb_url(url)
    assert (result.dates, result.written) == ([ECB_DAY], 29)


async def test_an_unreachable_or_failing_rates_server_is_a_typed_error(db):
    with serving(b"down for maintenance", status=503) as url:
        assert await refused(rates.import_ecb_url(url)) == [
            (CurrencyErrorCode.RATES_FETCH_FAILED, None)
        ]
    assert await refused(rates.import_ecb_url("http://127.0.0.1:9/nothing")) == [
        (CurrencyErrorCode.RATES_FETCH_FAILED, None)
    ]
    assert not await ExchangeRate.exists()


# Quotes.


async def test_the_shop_currency_is_quoted_at_one_without_reading_the_database(db):
    quote = await rates.quote("usd")
    assert (quote.currency, quote.rate, quote.source, quote.stale) == (
        "USD",
        Decimal(1),
        "shop",
        False,
    )


async def test_a_quote_is_the_ecb_cross_rate_from_the_shop_currency(db):
    await import_rates()
    quote = await rates.quote("JPY", now=SATURDAY)
    assert quote.rate == Decimal("156.579174581")  # 181.35 / 1.1582
    assert (quote.source, quote.rate_date, quote.stale) == ("ecb", ECB_DAY, False)
    euro = await rates.quote("EUR", now=SATURDAY)
    assert euro.rate == Decimal("0.863408737696")  # 1 / 1.1582


async def test_a_quote_goes_stale_after_the_max_age(db, settings, monkeypatch):
    await import_rates()
    assert (await rates.quote("JPY", now=datetime(2026, 11, 24, 1, tzinfo=UTC))).stale
    monkeypatch.setattr(settings, "exchange_rate_max_age_hours", 200)
    assert not (await rates.quote("JPY", now=datetime(2026, 11, 24, 1, tzinfo=UTC))).stale


async def test_a_manual_rate_wins_on_the_same_day_and_a_newer_ecb_rate_wins_later(db, client):
    admin = await client.admin()
    await import_rates()
    await rates.set_manual_rate("JPY", "150", actor_id=admin.id, today=ECB_DAY)
    quote = await rates.quote("JPY", now=SATURDAY)
    assert (quote.rate, quote.source, quote.rate_date) == (Decimal(150), "manual", ECB_DAY)
    monday = ECB_DAY + timedelta(days=3)
    await import_rates(monday)
    later = await rates.quote("JPY", now=datetime(2026, 11, 23, 18, tzinfo=UTC))
    assert (later.source, later.rate_date) == ("ecb", monday)
    await rates.set_manual_rate("JPY", "151.5", actor_id=admin.id, today=monday)
    latest = await rates.quote("JPY", now=datetime(2026, 11, 23, 18, tzinfo=UTC))
    assert (latest.rate, latest.source) == (Decimal("151.5"), "manual")


async def test_a_currency_without_ecb_rates_can_be_priced_by_hand(db):
    await currencies.enable_currency("KWD")
    assert await refused(rates.quote("KWD")) == [
        (CurrencyErrorCode.RATE_UNAVAILABLE, ("currency",))
    ]
    await rates.set_manual_rate("KWD", "0.3071", actor_id=None)
    quote = await rates.quote("KWD")
    assert (quote.rate, quote.source, quote.rate_date, quote.stale) == (
        Decimal("0.3071"),
        "manual",
        timezone.now().date(),
        False,
    )


async def test_setting_a_rate_twice_a_day_replaces_that_days_rate(db):
    await rates.set_manual_rate("GBP", "0.76", actor_id=None, today=ECB_DAY)
    await rates.set_manual_rate("GBP", "0.7700", actor_id=None, today=ECB_DAY)
    [row] = await ExchangeRate.all()
    assert (row.base, row.quote, row.rate, row.source) == ("USD", "GBP", "0.77", RateSource.MANUAL)


async def test_a_manual_rate_for_the_shop_currency_or_a_bad_rate_is_refused(db):
    assert await refused(rates.set_manual_rate("USD", "1.1", actor_id=None)) == [
        (CurrencyErrorCode.SHOP_CURRENCY, ("currency",))
    ]
    assert await refused(rates.set_manual_rate("JPY", "-1", actor_id=None)) == [
        (CurrencyErrorCode.INVALID_RATE, ("rate",))
    ]
    assert await refused(rates.set_manual_rate("XYZ", "1", actor_id=None)) == [
        (CurrencyErrorCode.INVALID_CURRENCY, ("currency",))
    ]
    assert not await ExchangeRate.exists()


async def test_a_currency_the_merchant_does_not_offer_is_refused_even_with_a_rate(db):
    await import_rates()
    assert await refused(rates.quote("CHF")) == [
        (CurrencyErrorCode.CURRENCY_NOT_ENABLED, ("currency",))
    ]
    assert await refused(rates.quote("XYZ")) == [
        (CurrencyErrorCode.INVALID_CURRENCY, ("currency",))
    ]


async def test_the_quote_carries_the_currencys_rounding_rule(db):
    await import_rates()
    await currencies.enable_currency("EUR", RoundingRule.NINETY_NINE)
    assert (await rates.quote("EUR", now=SATURDAY)).rounding is RoundingRule.NINETY_NINE


async def test_current_rates_quote_many_currencies_at_once(db, count_queries):
    await import_rates()
    await rates.set_manual_rate("KWD", "0.3071", actor_id=None, today=ECB_DAY)
    count_queries.statements.clear()
    found = await rates.current_rates(["USD", "JPY", "EUR", "GBP", "KWD", "TWD"], now=SATURDAY)
    assert count_queries.count == 2
    assert sorted(found) == ["EUR", "GBP", "JPY", "KWD", "USD"]
    assert found["GBP"].rate == Decimal("0.760965290969")
    assert found["KWD"].source == "manual"


async def test_latest_rates_list_the_newest_of_each_currency_and_source(db):
    await import_rates(ECB_DAY - timedelta(days=1))
    await import_rates()
    await rates.set_manual_rate("KWD", "0.3071", actor_id=None, today=ECB_DAY)
    listed = await rates.latest_rates(now=SATURDAY)
    assert len(listed) == 30
    assert {s.row.rate_date for s in listed} == {ECB_DAY}
    kwd = next(s for s in listed if s.row.quote == "KWD")
    assert (kwd.row.base, kwd.row.source, kwd.stale) == ("USD", RateSource.MANUAL, False)


# Presentment currencies.


async def test_the_default_currencies_are_offered_until_the_merchant_chooses(db, settings):
    offered = await currencies.enabled_currencies()
    assert [c.code for c in offered] == sorted(
        {settings.shop_currency, "USD", "EUR", "GBP", "JPY", "CNY"}
    )
    assert await PresentmentCurrency.all().count() == 5
    await currencies.disable_currency("CNY")
    assert "CNY" not in [c.code for c in await currencies.enabled_currencies()]
    assert await PresentmentCurrency.all().count() == 5  # not seeded again


async def test_enabling_a_currency_offers_it_with_its_rule(db):
    row = await currencies.enable_currency("krw", RoundingRule.NINETY_NINE)
    assert (row.code, row.enabled, row.rounding) == ("KRW", True, RoundingRule.NINETY_NINE)
    await currencies.disable_currency("KRW")
    again = await currencies.enable_currency("KRW")
    assert (again.id, again.enabled, again.rounding) == (row.id, True, RoundingRule.NONE)
    updated = await currencies.update_currency_rounding("KRW", RoundingRule.WHOLE)
    assert updated.rounding is RoundingRule.WHOLE


async def test_the_shop_currency_cannot_be_disabled_or_given_a_price_ending(db):
    assert await refused(currencies.disable_currency("USD")) == [
        (CurrencyErrorCode.SHOP_CURRENCY, ("code",))
    ]
    assert await refused(currencies.enable_currency("USD", RoundingRule.WHOLE)) == [
        (CurrencyErrorCode.SHOP_CURRENCY, ("rounding",))
    ]
    assert await refused(currencies.update_currency_rounding("USD", RoundingRule.NINETY_NINE)) == [
        (CurrencyErrorCode.SHOP_CURRENCY, ("rounding",))
    ]


async def test_disabling_or_rounding_a_currency_not_offered_is_refused(db):
    assert await refused(currencies.disable_currency("CHF")) == [
        (CurrencyErrorCode.CURRENCY_NOT_ENABLED, ("code",))
    ]
    assert await refused(currencies.update_currency_rounding("CHF", RoundingRule.WHOLE)) == [
        (CurrencyErrorCode.CURRENCY_NOT_ENABLED, ("code",))
    ]
    assert await refused(currencies.enable_currency("XAU")) == [
        (CurrencyErrorCode.INVALID_CURRENCY, ("code",))
    ]
    assert not await PresentmentCurrency.filter(code__in=["CHF", "XAU"]).exists()


def test_fixture_day_is_a_friday():
    assert ECB_DAY.weekday() == 4 and date(2026, 11, 21) == SATURDAY.date()


async def test_the_periodic_import_keeps_fetching_and_survives_failures(db, settings, monkeypatch):
    monkeypatch.setattr(settings, "exchange_rate_refresh_seconds", 60.0)
    scheduler = Scheduler(settings)
    with serving(b"not yet") as broken, serving(ecb_xml()) as working:
        monkeypatch.setattr(settings, "ecb_rates_url", broken)
        assert "currency.import_rates" in await scheduler.tick(now=6000.0)
        await relay.run_due()  # a failed run is kept with its error; the next slot runs
        failed = await Job.get(task="currency.import_rates")
        assert failed.status == JobStatus.DEAD and failed.last_error
        assert not await ExchangeRate.exists()
        monkeypatch.setattr(settings, "ecb_rates_url", working)
        assert "currency.import_rates" in await scheduler.tick(now=6060.0)
        await relay.run_due()
    assert await ExchangeRate.all().count() == 29
