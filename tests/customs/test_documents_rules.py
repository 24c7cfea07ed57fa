"""A parcel's papers as rules: CN22 or CN23, the items' values and weights, the registrations
that apply, the charges printed, and every missing fact reported at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from models.customs import ChargeKind, RegistrationKind
from services.customs import sdr
from services.customs.declaration import (
    Address,
    Charge,
    CustomsForm,
    DocumentError,
    DocumentErrorCode,
    Parcel,
    ParcelLine,
    choose_form,
    declare,
    discount_shares,
    languages_for,
    registrations_for,
)
from services.customs.descriptions import is_vague

SENDER = Address(
    name="Tradewind Test Shop",
    lines=("88 Century Avenue",),
    city="Shanghai",
    postal_code="200120",
    country="CN",
)
RECEIVER = Address(
    name="Erika Mustermann",
    lines=("Heidestraße 17",),
    city="Köln",
    postal_code="51147",
    country="DE",
)
REGISTRATIONS = {
    RegistrationKind.EORI: "CN123456789012345",
    RegistrationKind.IOSS: "IM2760000001",
    RegistrationKind.UK_VAT: "GB123456789",
    RegistrationKind.AU_ARN: "500000000001",
}


def line(line_id: int = 1, **kw: Any) -> ParcelLine:
    base: dict[str, Any] = {
        "line_id": line_id,
        "product_name": "Silk scarf",
        "variant_name": "",
        "sku": f"SKU-{line_id}",
        "quantity": 1,
        "line_quantity": 1,
        "hs_code": "621410",
        "hs_national": "",
        "origin_country": "CN",
        "description": "Women's silk scarf",
        "material": "silk",
        "unit_net_weight_grams": 100,
        "dangerous_goods": False,
    }
    base.update(kw)
    return ParcelLine(**base)


def parcel(lines: list[ParcelLine] | None = None, **kw: Any) -> Parcel:
    lines = lines if lines is not None else [line()]
    base: dict[str, Any] = {
        "order_number": "TW8K2M4Q",
        "order_date": date(2026, 12, 1),
        "currency": "EUR",
        "order_line_totals": {ln.line_id: 10000 for ln in lines},
        "discount_total": 0,
        "shipping_total": 1500,
        "first_parcel": True,
        "lines": lines,
        "charges": [],
        "incoterm": "ddp",
        "regime": "EU-IOSS",
        "tracking_number": "LX123456785CN",
        "carrier_code": "post",
        "carrier_name": "China Post",
        "service_name": "ePacket",
        "sender": SENDER,
        "receiver": RECEIVER,
        "registrations": REGISTRATIONS,
        # One SDR is 1.20 EUR: 300 SDR are 360.00 EUR.
        "sdr_in_currency": Decimal("1.20"),
        "cn23_carriers": frozenset(),
        "merchant_locale": "en",
        "ship_from": "CN",
        "printed_on": date(2026, 12, 5),
    }
    base.update(kw)
    return Parcel(**base)


def codes(error: DocumentError) -> list[tuple[str, list[str] | None]]:
    return [(p.code.name, list(p.field) if p.field else None) for p in error.problems]


# CN22 or CN23.


@pytest.mark.parametrize(
    ("value_sdr", "grams", "carrier", "form", "reasons"),
    [
        (Decimal("300"), 2000, False, CustomsForm.CN22, ()),
        (Decimal("299.99"), 100, False, CustomsForm.CN22, ()),
        (Decimal("300.01"), 100, False, CustomsForm.CN23, ("value",)),
        (Decimal("300.0001"), 100, False, CustomsForm.CN23, ("value",)),
        (Decimal("10"), 2001, False, CustomsForm.CN23, ("weight",)),
        (Decimal("10"), 100, True, CustomsForm.CN23, ("carrier",)),
        (Decimal("301"), 2500, True, CustomsForm.CN23, ("value", "weight", "carrier")),
        (None, 100, False, CustomsForm.CN23, ("value",)),
    ],
)
def test_form_follows_the_upu_limits(
    value_sdr: Decimal | None, grams: int, carrier: bool, form: CustomsForm, reasons: tuple
) -> None:
    assert choose_form(
        value_sdr=value_sdr, net_weight_grams=grams, carrier_requires_cn23=carrier
    ) == (form, reasons)


def test_parcel_worth_exactly_300_sdr_travels_with_a_cn22() -> None:
    papers = declare(parcel(order_line_totals={1: 36000}))
    assert papers.value_sdr == Decimal("300.00")
    assert papers.form is CustomsForm.CN22


def test_parcel_worth_a_cent_more_than_300_sdr_needs_a_cn23() -> None:
    papers = declare(parcel(order_line_totals={1: 36001}))
    assert papers.form is CustomsForm.CN23
    assert papers.cn23_reasons == ("value",)


def test_value_is_what_was_paid_after_discounts() -> None:
    # 400 EUR of goods with a 50 EUR discount: 350 EUR paid, under 300 SDR (360 EUR).
    papers = declare(parcel(order_line_totals={1: 40000}, discount_total=5000))
    assert papers.total_value == 35000
    assert papers.form is CustomsForm.CN22


def test_heavy_parcel_needs_a_cn23_and_at_2_kg_does_not() -> None:
    assert declare(
        parcel([line(unit_net_weight_grams=1000, quantity=2, line_quantity=2)])
    ).form is (CustomsForm.CN22)
    heavy = declare(parcel([line(unit_net_weight_grams=1001, quantity=2, line_quantity=2)]))
    assert heavy.form is CustomsForm.CN23
    assert heavy.cn23_reasons == ("weight",)
    assert heavy.total_net_weight_grams == 2002


def test_carrier_that_asks_for_cn23_gets_one() -> None:
    papers = declare(parcel(carrier_code="DHL", cn23_carriers=frozenset({"dhl"})))
    assert papers.form is CustomsForm.CN23
    assert papers.cn23_reasons == ("carrier",)


def test_sdr_value_comes_from_the_basket_and_the_shops_rates() -> None:
    # Units per USD (the shop currency): EUR 0.862069 (1.16 USD), GBP 0.75, JPY 155, CNY 7.1.
    rates = {
        "USD": Decimal(1),
        "EUR": Decimal(1) / Decimal("1.16"),
        "GBP": Decimal("0.75"),
        "JPY": Decimal(155),
        "CNY": Decimal("7.1"),
    }
    in_usd = sdr.sdr_value(rates, "USD")
    assert in_usd is not None
    expected = (
        Decimal("0.57813")
        + Decimal("0.37379") * Decimal("1.16")
        + Decimal("1.0993") / Decimal("7.1")
        + Decimal("13.452") / Decimal(155)
        + Decimal("0.080870") / Decimal("0.75")
    )
    assert abs(in_usd - expected) < Decimal("1e-20")
    in_eur = sdr.sdr_value(rates, "EUR")
    assert in_eur is not None
    assert abs(in_eur - expected / Decimal("1.16")) < Decimal("1e-20")
    assert sdr.sdr_value({k: v for k, v in rates.items() if k != "JPY"}, "USD") is None
    assert sdr.sdr_value(rates, "AUD") is None


# Items and charges.


def test_discount_shares_add_up_and_follow_the_line_totals() -> None:
    shares = discount_shares({1: 1000, 2: 2000, 3: 3001}, 1000)
    assert sum(shares.values()) == 1000
    assert shares == {1: 167, 2: 333, 3: 500}
    assert discount_shares({1: 500}, 900) == {1: 500}
    assert discount_shares({1: 500, 2: 0}, 0) == {1: 0, 2: 0}


def test_part_of_a_line_in_the_parcel_is_valued_by_its_units() -> None:
    # 3 units for 100.00, discount of 10.00 shared over two lines of 100.00 each: 95.00 paid
    # for the line; the parcel holds 2 of its 3 units.
    first = line(1, quantity=2, line_quantity=3, unit_net_weight_grams=120)
    papers = declare(parcel([first], order_line_totals={1: 10000, 2: 10000}, discount_total=1000))
    [item] = papers.items
    assert item.value == 6333
    assert item.quantity == 2
    assert item.net_weight_grams == 240
    assert item.hs_code == "621410"
    assert item.origin_country == "CN"


def test_line_charges_follow_their_units_and_order_charges_go_with_the_first_parcel() -> None:
    charges = [
        Charge(ChargeKind.IMPORT_TAX, "VAT", "EU-IOSS", 1900, 1900, True, 1),
        Charge(ChargeKind.DUTY, "Duty", "EU-IOSS", None, 300, True, None),
        Charge(ChargeKind.IMPORT_TAX, "VAT", "EU-IOSS", 1900, 950, True, 2),
    ]
    half = line(1, quantity=1, line_quantity=2)
    first = declare(parcel([half], charges=charges, order_line_totals={1: 10000, 2: 5000}))
    assert [(c.name, c.amount, c.line_id) for c in first.charges] == [
        ("VAT", 950, 1),
        ("Duty", 300, None),
    ]
    assert first.shipping == 1500
    assert first.invoice_total == 5000 + 1500 + 950 + 300
    later = declare(
        parcel([half], charges=charges, order_line_totals={1: 10000, 2: 5000}, first_parcel=False)
    )
    assert [(c.name, c.amount) for c in later.charges] == [("VAT", 950)]
    assert later.shipping == 0


def test_door_estimates_are_kept_apart_from_collected_charges() -> None:
    charges = [
        Charge(ChargeKind.DUTY, "Duty", "US-NO-DE-MINIMIS", 500, 500, False, 1),
    ]
    papers = declare(
        parcel(
            charges=charges,
            incoterm="dap",
            regime="US-NO-DE-MINIMIS",
            receiver=replace(RECEIVER, country="US"),
        )
    )
    assert papers.charges == ()
    assert [c.amount for c in papers.door_charges] == [500]
    assert papers.invoice_total == 10000 + 1500


# Registrations and languages.


@pytest.mark.parametrize(
    ("destination", "regime", "printed"),
    [
        ("DE", "EU-IOSS", [RegistrationKind.EORI, RegistrationKind.IOSS]),
        ("FR", "EU-STANDARD", [RegistrationKind.EORI]),
        ("GB", "GB-LVI", [RegistrationKind.UK_VAT]),
        ("GB", "GB-STANDARD", []),
        ("AU", "AU-LVG", [RegistrationKind.AU_ARN]),
        ("AU", "AU-STANDARD", []),
        ("US", "US-NO-DE-MINIMIS", []),
        ("JP", "JP-SMALL", []),
    ],
)
def test_registrations_printed_are_those_the_destination_and_regime_ask_for(
    destination: str, regime: str, printed: list[RegistrationKind]
) -> None:
    assert [kind for kind, _ in registrations_for(destination, regime, REGISTRATIONS)] == printed


def test_registration_the_shop_lacks_is_not_printed_empty() -> None:
    assert registrations_for("DE", "EU-STANDARD", {}) == ()


@pytest.mark.parametrize(
    ("merchant", "destination", "languages"),
    [
        ("en", "US", ("en", "fr")),
        ("en", "DE", ("en", "fr", "de")),
        ("zh", "JP", ("en", "fr", "zh", "ja")),
        ("zh-CN", "TW", ("en", "fr", "zh")),
        ("de", "FR", ("en", "fr", "de")),
        ("es", "ES", ("en", "fr")),
    ],
)
def test_labels_are_in_the_upu_languages_then_the_merchants_and_the_destinations(
    merchant: str, destination: str, languages: tuple[str, ...]
) -> None:
    assert languages_for(merchant, destination) == languages


# Missing facts.


def test_every_missing_fact_is_reported_at_once_with_where_to_fix_it() -> None:
    bad = [
        line(1, hs_code="", description="", origin_country="", unit_net_weight_grams=None),
        line(2, description="Gift"),
    ]
    with pytest.raises(DocumentError) as raised:
        declare(
            parcel(
                bad,
                sender=replace(SENDER, lines=(), city=""),
                receiver=replace(RECEIVER, name=""),
                registrations={},
            )
        )
    assert codes(raised.value) == [
        ("SENDER_ADDRESS_MISSING", ["sender"]),
        ("RECEIVER_ADDRESS_INCOMPLETE", ["receiver"]),
        ("HS_CODE_MISSING", ["lines", "0", "hs_code"]),
        ("DESCRIPTION_MISSING", ["lines", "0", "description"]),
        ("ORIGIN_MISSING", ["lines", "0", "origin_country"]),
        ("WEIGHT_MISSING", ["lines", "0", "net_weight_grams"]),
        ("DESCRIPTION_VAGUE", ["lines", "1", "description"]),
        ("REGISTRATION_MISSING", ["registrations"]),
    ]
    assert "SKU-1" in raised.value.problems[2].message


def test_parcel_without_sdr_rates_is_refused() -> None:
    with pytest.raises(DocumentError) as raised:
        declare(parcel(sdr_in_currency=None))
    assert codes(raised.value) == [("SDR_RATE_UNAVAILABLE", ["value_sdr"])]


def test_parcel_staying_in_the_country_needs_no_papers() -> None:
    with pytest.raises(DocumentError) as raised:
        declare(parcel(receiver=replace(RECEIVER, country="CN")))
    assert codes(raised.value) == [("DOMESTIC_PARCEL", None)]


def test_empty_parcel_is_refused() -> None:
    with pytest.raises(DocumentError) as raised:
        declare(parcel([]))
    assert raised.value.problems[0].code is DocumentErrorCode.NO_ITEMS


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Gift", True),
        ("gifts, samples", True),
        ("礼物", True),
        ("", True),
        ("Women's silk scarf", False),
        ("丝绸围巾", False),
        ("Cotton clothes for babies", False),
    ],
)
def test_vague_descriptions(text: str, vague: bool) -> None:
    assert is_vague(text) is vague
