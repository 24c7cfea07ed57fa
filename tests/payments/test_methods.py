"""The offer an order gets: the gateways' methods narrowed by the merchant's rules, in the
shopper's order, and the reasons for what is missing."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from models.orders import Order, OrderStatus
from models.payments import Gateway, PaymentMethodSetting
from services.payments import gateways, method_settings, methods
from services.payments.method_settings import MethodSettingError, MethodSettingErrorCode
from services.payments.methods import Reason
from settings import Settings
from tests.factories import make_order, make_product


class ListingGateway:
    """A gateway that only lists methods: card everywhere, the wallets in CNY, EUR and USD,
    bank transfer in EUR alone."""

    name = Gateway.TEST
    methods: tuple[str, ...] = ("card", "alipay", "wechat_pay", "bank_transfer")
    _currencies = {
        "alipay": {"CNY", "EUR", "USD"},
        "wechat_pay": {"CNY", "EUR", "USD"},
        "bank_transfer": {"EUR"},
    }

    def methods_for(self, currency: str, country: str) -> list[str]:
        return [
            m
            for m in self.methods
            if m not in self._currencies or currency.upper() in self._currencies[m]
        ]


@pytest.fixture
async def listing(db: None, settings: Settings, monkeypatch) -> AsyncIterator[None]:
    monkeypatch.setattr(settings, "payment_gateways", ["test"])
    gateways.install_gateway(ListingGateway())  # type: ignore[arg-type]
    yield
    gateways.uninstall_gateway(Gateway.TEST)


async def _order(
    total: str = "50.00", *, currency: str = "USD", country: str = "DE", locale: str = "de"
) -> Order:
    """An unpaid order whose total in the (USD) shop currency is `total`."""
    product = await make_product(prices=(total,))
    variant = (await product.variants.all())[0]
    return await make_order(
        None,
        [(variant, 1)],
        status=OrderStatus.PENDING_PAYMENT,
        currency=currency,
        rate="1" if currency == "USD" else "0.92",
        ship_country=country,
        locale=locale,
    )


async def _rule(method: str, **values: Any) -> None:
    await PaymentMethodSetting.create(method=method, **values)


def _offered(options: methods.PaymentOptions) -> list[str]:
    return [o.method for o in options.offered]


def _reasons(options: methods.PaymentOptions) -> dict[str, Reason]:
    return {u.method: u.reason for u in options.unavailable}


async def test_cards_lead_for_a_german_shopper_and_the_wallets_for_a_chinese_one(listing):
    german = await methods.options_for(await _order(currency="EUR", country="DE"))
    assert _offered(german) == ["card", "alipay", "wechat_pay", "bank_transfer"]
    chinese = await methods.options_for(await _order(currency="EUR", country="CN"))
    assert _offered(chinese) == ["alipay", "wechat_pay", "card", "bank_transfer"]
    # Chinese spoken at checkout counts as much as the address.
    in_chinese = await methods.options_for(
        await _order(currency="EUR", country="DE", locale="zh-CN")
    )
    assert _offered(in_chinese)[:2] == ["alipay", "wechat_pay"]


async def test_the_merchants_order_comes_first_and_methods_without_rules_follow(listing):
    await _rule("bank_transfer", position=0)
    await _rule("wechat_pay", position=1)
    order = await _order(currency="EUR", country="DE")
    # Cards still lead for a German shopper; the rest in the merchant's order.
    assert _offered(await methods.options_for(order)) == [
        "card",
        "bank_transfer",
        "wechat_pay",
        "alipay",
    ]
    chinese = await methods.options_for(await _order(currency="EUR", country="HK"))
    assert _offered(chinese) == ["wechat_pay", "alipay", "bank_transfer", "card"]


async def test_a_turned_off_method_is_neither_offered_nor_missing(listing):
    await _rule("alipay", enabled=False)
    options = await methods.options_for(await _order())
    assert "alipay" not in _offered(options)
    assert "alipay" not in _reasons(options)
    assert options.turned_off == {"alipay"}


async def test_a_currency_the_gateway_cannot_take_is_explained(listing):
    options = await methods.options_for(await _order(currency="USD"))
    assert _reasons(options) == {"bank_transfer": Reason.GATEWAY_CURRENCY}
    assert options.reason_for("bank_transfer").message == (  # type: ignore[union-attr]
        "Bank transfer cannot take payments in USD here."
    )


async def test_the_merchants_currency_and_country_rules(listing):
    await _rule("alipay", currencies=["CNY"])
    await _rule("wechat_pay", countries=["CN", "HK"])
    options = await methods.options_for(await _order(currency="EUR", country="DE"))
    assert _reasons(options) == {"alipay": Reason.CURRENCY, "wechat_pay": Reason.COUNTRY}
    assert options.reason_for("alipay").message == (  # type: ignore[union-attr]
        "Alipay is not accepted for payments in EUR."
    )
    assert options.reason_for("wechat_pay").message == (  # type: ignore[union-attr]
        "WeChat Pay is not available for deliveries to Germany."
    )
    to_hong_kong = await methods.options_for(await _order(currency="EUR", country="HK"))
    assert "wechat_pay" in _offered(to_hong_kong)


async def test_limits_hold_at_their_edges(listing):
    await _rule("card", min_amount=1000, max_amount=50000)
    for total, reason in [
        ("9.99", Reason.BELOW_MINIMUM),
        ("10.00", None),
        ("500.00", None),
        ("500.01", Reason.ABOVE_MAXIMUM),
    ]:
        options = await methods.options_for(await _order(total))
        assert _reasons(options).get("card") is reason, total
        assert ("card" in _offered(options)) is (reason is None)
    low = (await methods.options_for(await _order("9.99"))).reason_for("card")
    assert low is not None and low.message == "Card takes orders of 10.00 USD or more."
    assert low.limit is not None and low.limit.minor == 1000


async def test_a_paid_order_is_offered_nothing(listing):
    order = await _order()
    order.status = OrderStatus.PENDING_SHIPMENT
    options = await methods.options_for(order)
    assert options.offered == [] and options.unavailable == []


async def test_settings_list_every_known_method_with_its_gateway(listing, settings, monkeypatch):
    found = {s.method: s for s in await method_settings.list_settings()}
    assert set(found) == {"card", "alipay", "wechat_pay", "bank_transfer", "paypal"}
    assert found["paypal"].gateway is None  # kept, but no enabled gateway takes it
    assert found["bank_transfer"].gateway_currencies == ["EUR"]
    assert not found["card"].configured


async def test_an_update_is_checked_whole_and_refused_changes_nothing(listing):
    await method_settings.update_setting("card", {"currencies": ["eur"], "min_amount": "5"})
    with pytest.raises(MethodSettingError) as refused:
        await method_settings.update_setting(
            "card",
            {
                "currencies": ["USD", "XXY"],
                "countries": ["DE", "ZZ"],
                "min_amount": "-1",
                "max_amount": "1.234",
            },
        )
    codes = {(p.code, p.field) for p in refused.value.problems}
    assert codes == {
        (MethodSettingErrorCode.UNKNOWN_CURRENCY, ("currencies", "1")),
        (MethodSettingErrorCode.UNKNOWN_COUNTRY, ("countries", "1")),
        (MethodSettingErrorCode.OUT_OF_RANGE, ("min_amount",)),
        (MethodSettingErrorCode.INVALID, ("max_amount",)),
    }
    row = await PaymentMethodSetting.get(method="card")
    assert row.currencies == ["EUR"] and row.min_amount == 500 and row.countries == []


async def test_a_minimum_above_the_maximum_and_unknown_methods_are_refused(listing):
    await method_settings.update_setting("card", {"max_amount": Decimal("20")})
    with pytest.raises(MethodSettingError) as refused:
        await method_settings.update_setting("card", {"min_amount": "20.01"})
    assert refused.value.problems[0].code is MethodSettingErrorCode.MIN_ABOVE_MAX
    with pytest.raises(MethodSettingError) as unknown:
        await method_settings.update_setting("cheque", {"enabled": False})
    assert unknown.value.problems[0].code is MethodSettingErrorCode.UNKNOWN_METHOD
    with pytest.raises(MethodSettingError) as many:
        await method_settings.update_setting("card", {"countries": ["DE"] * 101})
    assert many.value.problems[0].code is MethodSettingErrorCode.TOO_MANY
    assert await PaymentMethodSetting.filter(method="cheque").count() == 0


async def test_a_first_change_keeps_the_methods_place_in_the_list(listing):
    setting = await method_settings.update_setting("bank_transfer", {"enabled": False})
    assert setting.configured and not setting.enabled
    assert setting.position == 3  # where it was shown before the merchant set anything


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "asyncpg")),
    reason="concurrent transactions need PostgreSQL",
)
async def test_two_changes_of_one_method_at_once_leave_one_row_with_the_last(listing):
    for _ in range(5):
        await PaymentMethodSetting.filter(method="alipay").delete()
        await asyncio.gather(
            method_settings.update_setting("alipay", {"currencies": ["CNY"]}),
            method_settings.update_setting("alipay", {"countries": ["CN"]}),
        )
        [row] = await PaymentMethodSetting.filter(method="alipay")
        # Neither change is lost: each applied over the other, one after the other.
        assert row.currencies == ["CNY"] and row.countries == ["CN"]
