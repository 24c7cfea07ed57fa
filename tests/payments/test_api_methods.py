"""Choosing how to pay through the API: the shopper's options for an order, and the
merchant's settings per method."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from models.payments import Gateway, Payment, PaymentMethodSetting
from services.payments import gateways
from settings import Settings
from tests.factories import make_user
from tests.payments.paying_setup import CREATE, euro_order
from tests.payments.test_methods import ListingGateway

OPTIONS = """
query($number: String!, $email: String) {
  paymentOptions(orderNumber: $number, email: $email) {
    offered { method displayName }
    unavailable { method displayName reason message limit { amount currency } }
  }
}
"""
SETTINGS = """
{ paymentMethodSettings { method displayName gateway enabled currencies countries
    minAmount { amount currency } maxAmount { amount currency } position configured
    gatewayCurrencies } }
"""
UPDATE = """
mutation($input: UpdatePaymentMethodSettingInput!) {
  updatePaymentMethodSetting(input: $input) {
    setting { method enabled currencies countries minAmount { amount } maxAmount { amount }
              position configured }
    errors { field code message }
  }
}
"""


@pytest.fixture
async def listing(db: None, settings: Settings, monkeypatch) -> AsyncIterator[None]:
    monkeypatch.setattr(settings, "payment_gateways", ["test"])
    gateways.install_gateway(ListingGateway())  # type: ignore[arg-type]
    yield
    gateways.uninstall_gateway(Gateway.TEST)


async def test_a_shopper_sees_the_offer_and_why_a_method_is_missing(client, listing):
    shopper = await make_user()
    order = await euro_order(shopper, ship_country="DE")
    await PaymentMethodSetting.create(method="alipay", currencies=["CNY"])
    await PaymentMethodSetting.create(method="wechat_pay", enabled=False)
    await PaymentMethodSetting.create(method="bank_transfer", min_amount=5000)

    found = (await client.query(OPTIONS, {"number": order.number}, user=shopper))["paymentOptions"]
    assert found["offered"] == [{"method": "card", "displayName": "Card"}]
    assert found["unavailable"] == [
        {
            "method": "alipay",
            "displayName": "Alipay",
            "reason": "CURRENCY",
            "message": "Alipay is not accepted for payments in EUR.",
            "limit": None,
        },
        {
            "method": "bank_transfer",
            "displayName": "Bank transfer",
            "reason": "BELOW_MINIMUM",
            "message": "Bank transfer takes orders of 50.00 USD or more.",
            "limit": {"amount": "50.00", "currency": "USD"},
        },
    ]
    # The older field lists the same offer.
    methods = await client.query(
        "query($n: String!) { paymentMethods(orderNumber: $n) }", {"n": order.number}, user=shopper
    )
    assert methods["paymentMethods"] == ["card"]


async def test_someone_elses_order_has_no_options(client, listing):
    order = await euro_order(await make_user())
    found = await client.query(OPTIONS, {"number": order.number}, user=await make_user())
    assert found["paymentOptions"] == {"offered": [], "unavailable": []}


async def test_a_payment_refused_by_a_rule_says_why_and_creates_nothing(client, listing):
    shopper = await make_user()
    order = await euro_order(shopper)
    await PaymentMethodSetting.create(method="card", countries=["FR"])
    await PaymentMethodSetting.create(method="alipay", enabled=False)

    for method, message in [
        ("card", "Card is not available for deliveries to Germany."),
        ("alipay", "alipay is not offered for payments in EUR to this country."),
    ]:
        given = {"orderNumber": order.number, "method": method}
        created = (await client.query(CREATE, {"input": given}, user=shopper))["createPayment"]
        assert created["payment"] is None
        assert created["errors"] == [
            {"field": ["method"], "code": "METHOD_NOT_OFFERED", "message": message}
        ]
    assert await Payment.filter(order_id=order.id).count() == 0


async def test_staff_read_and_change_the_settings(client, listing):
    before = (await client.staff(SETTINGS))["paymentMethodSettings"]
    assert [s["method"] for s in before] == [
        "card",
        "alipay",
        "wechat_pay",
        "bank_transfer",
        "paypal",
    ]
    paypal = before[-1]
    assert paypal["gateway"] is None and paypal["gatewayCurrencies"] == []
    assert before[0]["gateway"] == "test" and not before[0]["configured"]

    changed = await client.staff(
        UPDATE,
        {
            "input": {
                "method": "Alipay",
                "currencies": ["cny", "EUR"],
                "countries": ["cn"],
                "minAmount": "1.50",
                "position": 0,
            }
        },
    )
    assert changed["updatePaymentMethodSetting"] == {
        "setting": {
            "method": "alipay",
            "enabled": True,
            "currencies": ["CNY", "EUR"],
            "countries": ["CN"],
            "minAmount": {"amount": "1.50"},
            "maxAmount": None,
            "position": 0,
            "configured": True,
        },
        "errors": [],
    }
    cleared = await client.staff(
        UPDATE, {"input": {"method": "alipay", "minAmount": None, "enabled": False}}
    )
    setting = cleared["updatePaymentMethodSetting"]["setting"]
    assert setting["minAmount"] is None and setting["enabled"] is False
    assert setting["currencies"] == ["CNY", "EUR"]  # left out: kept


async def test_bad_input_is_refused_field_by_field_and_changes_nothing(client, listing):
    refused = await client.staff(
        UPDATE,
        {
            "input": {
                "method": "card",
                "currencies": ["USD", "DOLLARS"],
                "countries": ["XX"],
                "minAmount": "10",
                "maxAmount": "5",
            }
        },
    )
    errors = refused["updatePaymentMethodSetting"]["errors"]
    assert {(e["code"], tuple(e["field"])) for e in errors} == {
        ("UNKNOWN_CURRENCY", ("currencies", "1")),
        ("UNKNOWN_COUNTRY", ("countries", "0")),
    }
    crossed = await client.staff(
        UPDATE, {"input": {"method": "card", "minAmount": "10", "maxAmount": "5"}}
    )
    assert crossed["updatePaymentMethodSetting"]["errors"][0]["code"] == "MIN_ABOVE_MAX"
    negative = await client.staff(UPDATE, {"input": {"method": "card", "maxAmount": "-5"}})
    assert negative["updatePaymentMethodSetting"]["errors"][0]["code"] == "OUT_OF_RANGE"
    unknown = await client.staff(UPDATE, {"input": {"method": "cheque", "enabled": False}})
    assert unknown["updatePaymentMethodSetting"]["errors"][0]["code"] == "UNKNOWN_METHOD"
    many = await client.staff(UPDATE, {"input": {"method": "card", "currencies": ["USD"] * 101}})
    assert many["updatePaymentMethodSetting"]["errors"][0]["code"] == "TOO_MANY"
    assert await PaymentMethodSetting.all().count() == 0


async def test_only_settings_staff_may_read_or_change_them(client, listing):
    shopper = await make_user()
    read = await client.request(SETTINGS, user=shopper)
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    write = await client.request(
        UPDATE, {"input": {"method": "card", "enabled": False}}, user=shopper
    )
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await PaymentMethodSetting.all().count() == 0


async def test_a_provider_enabled_without_its_settings_costs_only_its_methods(
    client, db, settings: Settings, monkeypatch, caplog
):
    # Alipay listed first but never given its keys: the shop still takes cards, and says
    # what is wrong once in its log.
    monkeypatch.setattr(settings, "payment_gateways", ["alipay", "test"])
    monkeypatch.setattr(settings, "alipay_app_id", None)
    gateways.uninstall_gateway(Gateway.ALIPAY)
    monkeypatch.setattr(gateways, "_unusable", set())
    shopper = await make_user()
    order = await euro_order(shopper)

    for _ in range(2):
        found = await client.query(OPTIONS, {"number": order.number}, user=shopper)
        assert found["paymentOptions"]["offered"] == [{"method": "card", "displayName": "Card"}]
    created = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=shopper
    )
    assert created["createPayment"]["errors"] == []
    assert (await Payment.get(order_id=order.id)).gateway == Gateway.TEST
    reported = [r for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(reported) == 1 and "ALIPAY_APP_ID" in reported[0].getMessage()
