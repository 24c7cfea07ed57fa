"""Customs papers through the API: staff with ORDERS get a signed link and download the
parcel's CN22/CN23 or commercial invoice as PDF, whose text says what customs must read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.accounts import Role, User
from models.catalog import Product
from models.customs import ChargeKind
from services.customs import paperwork
from services.customs.declaration import DocumentKind
from tests.customs.documents_setup import (
    REGISTRATIONS,
    Goods,
    ecb_rates,
    page_sizes,
    parcel_order,
    pdf_text,
    registrations,
    shop_address,
)
from tests.factories import gid, make_product, make_user, token_for

LINK = """
mutation Link($input: CreateCustomsDocumentLinkInput!) {
  createCustomsDocumentLink(input: $input) {
    link { url expiresAt filename kind form cn23Reasons }
    errors { code field message }
  }
}
"""

A6 = (298, 420)
A4 = (595, 842)


@pytest.fixture
async def shop(db: None, settings: Any, monkeypatch: Any) -> None:
    """The shop's address, ECB rates of today and its customs registrations."""
    shop_address(settings, monkeypatch)
    await ecb_rates()
    await registrations()


async def orders_staff() -> User:
    return await make_user(role=Role.STAFF, permissions=("orders",))


async def link_for(client: Any, shipment_id: int, kind: str, user: User) -> dict[str, Any]:
    data = await client.query(
        LINK, {"input": {"shipmentId": gid("Shipment", shipment_id), "kind": kind}}, user=user
    )
    payload: dict[str, Any] = data["createCustomsDocumentLink"]
    return payload


async def download(client: Any, url: str) -> tuple[Any, str]:
    response = await client.http.get(url)
    return response, pdf_text(response.content) if response.status_code == 200 else ""


async def papers(client: Any, shipment_id: int, kind: str) -> tuple[dict[str, Any], str, bytes]:
    payload = await link_for(client, shipment_id, kind, await orders_staff())
    assert payload["errors"] == []
    response, text = await download(client, payload["link"]["url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store, private"
    assert response.content.startswith(b"%PDF-")
    return payload["link"], text, response.content


# What the papers say.


async def test_parcel_to_germany_under_ioss_gets_a_cn22_with_what_customs_reads(
    client: Any, shop: None
) -> None:
    order, shipment = await parcel_order(
        [
            Goods(name="丝绸围巾", unit_price=4000, quantity=2),
            Goods(
                name="抹茶ティーセット",
                sku="TEA-1",
                unit_price=2500,
                hs_code="691200",
                hs_national="6912002390",
                origin_country="JP",
                customs_description="Ceramic tea set",
                material="porcelain",
                net_weight_grams=600,
            ),
        ],
        discount=1050,
        charges=[{"amount": 1520, "rate_bps": 1900, "line": 0}],
    )
    link, text, pdf = await papers(client, shipment.id, "DECLARATION")
    assert link["form"] == "CN22"
    assert link["cn23Reasons"] == []
    assert link["kind"] == "DECLARATION"
    assert link["filename"] == f"cn22-{order.number}-{shipment.tracking_number}.pdf"
    assert page_sizes(pdf) == [A6]
    assert "CN 22" in text
    # Sender and receiver.
    assert "Tradewind" in text and "88 Century Avenue" in text and "200120 Shanghai" in text
    assert "Erika Mustermann" in text and "Heidestraße 17" in text and "51147 Köln" in text
    # Items: description, Chinese and Japanese names, HS codes, origin, value paid after the
    # discount (80.00 and 25.00 share 10.50: 72.00 and 22.50), currency, weight.
    assert "Women's silk scarf" in text and "丝绸围巾" in text
    assert "抹茶ティーセット" in text
    assert "621410" in text and "6912002390" in text
    assert "72.00" in text and "22.50" in text and "94.50 EUR" in text
    assert "0.160" in text and "0.760" in text
    assert "Sale of goods" in text and "Vente de marchandises" in text
    assert "DDP" in text
    assert "Import regime / Régime d'importation / Einfuhrverfahren: EU-IOSS" in text
    # German labels for a German destination.
    assert "ZOLLINHALTSERKLÄRUNG" in text
    assert f"EORI {REGISTRATIONS['eori']}" in text  # type: ignore[index]
    assert "IOSS IM2760000001" in text
    assert "GB123456789" not in text and "500000000001" not in text
    assert shipment.tracking_number in text


async def test_commercial_invoice_lists_goods_shipping_and_taxes_collected(
    client: Any, shop: None
) -> None:
    order, shipment = await parcel_order(
        [
            Goods(name="丝绸围巾", unit_price=4000),
            Goods(name="抹茶ティーセット", sku="T", unit_price=2000),
        ],
        charges=[
            {"amount": 760, "rate_bps": 1900, "line": 0},
            {"amount": 380, "rate_bps": 1900, "line": 1},
            {"amount": 300, "kind": ChargeKind.DUTY, "name": "Duty", "line": None},
        ],
    )
    link, text, pdf = await papers(client, shipment.id, "COMMERCIAL_INVOICE")
    assert link["kind"] == "COMMERCIAL_INVOICE"
    assert link["form"] == "CN22"
    assert link["filename"].startswith(f"invoice-{order.number}-")
    assert page_sizes(pdf) == [A4]
    assert "COMMERCIAL INVOICE" in text and "HANDELSRECHNUNG" in text
    assert order.number in text
    assert "丝绸围巾" in text and "抹茶ティーセット" in text
    assert "60.00 EUR" in text  # goods
    assert "15.00 EUR" in text  # shipping
    assert "VAT 19% (EU-IOSS)" in text and "7.60 EUR" in text and "3.80 EUR" in text
    assert "Duty (EU-IOSS)" in text and "3.00 EUR" in text
    assert "89.40 EUR" in text  # 60 + 15 + 7.60 + 3.80 + 3.00
    assert "IOSS IM2760000001" in text
    assert shipment.tracking_number in text


async def test_parcel_to_britain_shows_the_uk_vat_number_and_no_eu_numbers(
    client: Any, shop: None
) -> None:
    _, shipment = await parcel_order(country="GB", currency="GBP", regime="GB-LVI")
    _, text, _ = await papers(client, shipment.id, "DECLARATION")
    assert "GB VAT GB123456789" in text
    assert "IOSS" not in text and "EORI" not in text and "IM2760000001" not in text
    assert "ZOLLINHALTSERKLÄRUNG" not in text  # English and French only
    assert "Oliver Smith" in text and "SW1A 2AA London" in text


async def test_parcel_to_japan_under_dap_prints_japanese_labels_and_no_registration(
    client: Any, shop: None
) -> None:
    _, shipment = await parcel_order(
        country="JP",
        currency="JPY",
        regime="JP-STANDARD",
        incoterm="dap",
        goods=[Goods(unit_price=9000)],
        shipping=1200,
        charges=[{"amount": 900, "rate_bps": 1000, "line": 0, "collected": False}],
    )
    _, text, _ = await papers(client, shipment.id, "COMMERCIAL_INVOICE")
    assert "コマーシャルインボイス" in text
    assert "山田 太郎" in text and "千代田区丸の内1-1-1" in text
    assert "DAP" in text
    assert "9000 JPY" in text  # JPY has no minor unit
    assert "Duties and taxes due on delivery (estimate)" in text and "900 JPY" in text
    assert "10200 JPY" in text  # the invoice total leaves the door estimate out
    for number in REGISTRATIONS.values():
        assert number not in text


async def test_parcel_worth_more_than_300_sdr_gets_a_cn23_on_a4(client: Any, shop: None) -> None:
    # One SDR is about 1.17 EUR with the test rates: 400 EUR is about 341 SDR.
    _, shipment = await parcel_order([Goods(unit_price=40000)])
    link, text, pdf = await papers(client, shipment.id, "DECLARATION")
    assert link["form"] == "CN23"
    assert link["cn23Reasons"] == ["value"]
    assert page_sizes(pdf) == [A4]
    assert "CN 23" in text and "400.00 EUR" in text


async def test_parcel_just_under_300_sdr_gets_a_cn22(client: Any, shop: None) -> None:
    _, shipment = await parcel_order([Goods(unit_price=34000)])  # about 290 SDR
    link = await link_for(client, shipment.id, "DECLARATION", await orders_staff())
    assert link["link"]["form"] == "CN22"


async def test_carrier_that_asks_for_cn23_gets_one(
    client: Any, shop: None, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(settings, "customs_cn23_carriers", ["ems"])
    _, shipment = await parcel_order(carrier_code="ems")
    link = await link_for(client, shipment.id, "DECLARATION", await orders_staff())
    assert link["link"]["form"] == "CN23"
    assert link["link"]["cn23Reasons"] == ["carrier"]


async def test_order_placed_before_snapshots_takes_the_catalogs_facts(
    client: Any, shop: None
) -> None:
    product = await make_product(name="Linen shirt")
    await Product.filter(id=product.id).update(
        hs_code="620520",
        origin_country="VN",
        customs_description="Men's linen shirt",
        net_weight_grams=250,
    )
    variant = await product.variants.all().first()
    assert variant is not None
    _, shipment = await parcel_order(
        [
            Goods(
                name="Linen shirt",
                hs_code="",
                origin_country="",
                customs_description="",
                material="",
                net_weight_grams=None,
                extra={"product_id": product.id, "variant_id": variant.id},
            )
        ]
    )
    _, text, _ = await papers(client, shipment.id, "DECLARATION")
    assert "Men's linen shirt" in text and "620520" in text and "VN" in text


async def test_same_papers_give_the_same_bytes(client: Any, shop: None) -> None:
    _, shipment = await parcel_order()
    _, _, first = await papers(client, shipment.id, "DECLARATION")
    _, _, again = await papers(client, shipment.id, "DECLARATION")
    assert first == again


# What is missing.


async def test_missing_facts_are_listed_and_no_link_is_made(client: Any, shop: None) -> None:
    _, shipment = await parcel_order(
        [
            Goods(),
            Goods(name="Mystery box", sku="BOX", hs_code="", customs_description="Gift"),
        ]
    )
    payload = await link_for(client, shipment.id, "DECLARATION", await orders_staff())
    assert payload["link"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("HS_CODE_MISSING", ["lines", "1", "hsCode"]),
        ("DESCRIPTION_VAGUE", ["lines", "1", "description"]),
    ]
    assert "Mystery box (BOX)" in payload["errors"][0]["message"]


async def test_papers_need_the_shops_address(
    client: Any, db: None, settings: Any, monkeypatch: Any
) -> None:
    await ecb_rates()
    await registrations()
    monkeypatch.setattr(settings, "shop_address_lines", [])
    _, shipment = await parcel_order()
    payload = await link_for(client, shipment.id, "COMMERCIAL_INVOICE", await orders_staff())
    assert [e["code"] for e in payload["errors"]] == ["SENDER_ADDRESS_MISSING"]


async def test_ioss_parcel_needs_the_ioss_number(
    client: Any, db: None, settings: Any, monkeypatch: Any
) -> None:
    shop_address(settings, monkeypatch)
    await ecb_rates()
    _, shipment = await parcel_order()
    payload = await link_for(client, shipment.id, "DECLARATION", await orders_staff())
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("REGISTRATION_MISSING", ["registrations"])
    ]


async def test_without_exchange_rates_the_value_in_sdr_is_unknown(
    client: Any, db: None, settings: Any, monkeypatch: Any
) -> None:
    shop_address(settings, monkeypatch)
    await registrations()
    _, shipment = await parcel_order()
    payload = await link_for(client, shipment.id, "DECLARATION", await orders_staff())
    assert [e["code"] for e in payload["errors"]] == ["SDR_RATE_UNAVAILABLE"]


async def test_domestic_parcel_needs_no_papers(client: Any, shop: None) -> None:
    _, shipment = await parcel_order(country="CN", currency="CNY", regime="")
    payload = await link_for(client, shipment.id, "COMMERCIAL_INVOICE", await orders_staff())
    assert [e["code"] for e in payload["errors"]] == ["DOMESTIC_PARCEL"]


@pytest.mark.parametrize("shipment_id", ["", "nope"])
async def test_bad_shipment_ids_are_not_found(client: Any, shop: None, shipment_id: str) -> None:
    data = await client.query(
        LINK,
        {"input": {"shipmentId": shipment_id, "kind": "DECLARATION"}},
        user=await orders_staff(),
    )
    assert data["createCustomsDocumentLink"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["shipmentId"], "message": "The Shipment does not exist."}
    ]


@pytest.mark.parametrize(
    ("shipment_id", "reason"),
    [
        (gid("Shipment", 0), "INVALID_ID"),
        (gid("Shipment", 2**63), "INVALID_ID"),
        ("U2hpcG1lbnQ6OTk5OTk5OTk5OTk5OTk5OTk5", "INVALID_ID"),
        ("\x00", "INVALID_CHARACTERS"),
        ("x" * 5000, "TOO_LONG"),
    ],
)
async def test_malformed_shipment_ids_are_refused_before_anything_runs(
    client: Any, shop: None, shipment_id: str, reason: str
) -> None:
    body = await client.request(
        LINK,
        {"input": {"shipmentId": shipment_id, "kind": "DECLARATION"}},
        user=await orders_staff(),
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["reason"] == reason


async def test_id_of_another_type_or_a_missing_shipment_is_not_found(
    client: Any, shop: None
) -> None:
    _, shipment = await parcel_order()
    staff = await orders_staff()
    for shipment_id in (gid("Order", shipment.id), gid("Shipment", shipment.id + 1000)):
        data = await client.query(
            LINK, {"input": {"shipmentId": shipment_id, "kind": "DECLARATION"}}, user=staff
        )
        assert [e["code"] for e in data["createCustomsDocumentLink"]["errors"]] == ["NOT_FOUND"]


async def test_unknown_kind_is_refused_by_the_schema(client: Any, shop: None) -> None:
    _, shipment = await parcel_order()
    body = await client.request(
        LINK,
        {"input": {"shipmentId": gid("Shipment", shipment.id), "kind": "LABEL"}},
        user=await orders_staff(),
    )
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "LABEL" in body["errors"][0]["message"]


# Who may have them.


async def test_customers_and_staff_without_orders_get_no_link(client: Any, shop: None) -> None:
    shopper = await make_user()
    _, shipment = await parcel_order(user=shopper)
    variables = {"input": {"shipmentId": gid("Shipment", shipment.id), "kind": "DECLARATION"}}
    for user, code in (
        (None, "UNAUTHENTICATED"),
        (shopper, "FORBIDDEN"),
        (await make_user(role=Role.STAFF, permissions=("catalog", "reports")), "FORBIDDEN"),
    ):
        body = await client.request(LINK, variables, user=user)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code


async def test_admin_gets_a_link(client: Any, shop: None) -> None:
    _, shipment = await parcel_order()
    data = await client.staff(
        LINK, {"input": {"shipmentId": gid("Shipment", shipment.id), "kind": "DECLARATION"}}
    )
    response, _ = await download(client, data["createCustomsDocumentLink"]["link"]["url"])
    assert response.status_code == 200


async def test_link_expires(client: Any, shop: None, settings: Any) -> None:
    _, shipment = await parcel_order()
    staff = await orders_staff()
    payload = await link_for(client, shipment.id, "DECLARATION", staff)
    expires = datetime.fromisoformat(payload["link"]["expiresAt"])
    now = datetime.now(UTC)
    assert now < expires <= now + timedelta(seconds=settings.customs_document_link_seconds)
    old = await paperwork.create_document_link(
        shipment.id,
        DocumentKind.DECLARATION,
        user_id=staff.id,
        settings=settings,
        now=now - timedelta(seconds=settings.customs_document_link_seconds + 1),
    )
    response = await client.http.get(f"/documents/customs/{old.token}")
    assert response.status_code == 404


async def test_link_dies_with_its_users_permission_or_sign_out(client: Any, shop: None) -> None:
    _, shipment = await parcel_order()
    for change in ({"permissions": ["catalog"]}, {"token_epoch": 1}, {"is_active": False}):
        staff = await orders_staff()
        url = (await link_for(client, shipment.id, "DECLARATION", staff))["link"]["url"]
        await User.filter(id=staff.id).update(**change)
        response = await client.http.get(url)
        assert response.status_code == 404, change


async def test_forged_or_borrowed_tokens_download_nothing(client: Any, shop: None) -> None:
    _, shipment = await parcel_order()
    staff = await orders_staff()
    url = (await link_for(client, shipment.id, "DECLARATION", staff))["link"]["url"]
    token = url.rsplit("/", 1)[1]
    head, payload, signature = token.split(".")
    for forged in (
        f"{head}.{payload}.{signature[:-2]}xx",
        f"{head}.{payload}.",
        token_for(staff),  # an access token is no document token
        "x" * 5000,
        "%00",
    ):
        response = await client.http.get(f"/documents/customs/{forged}")
        assert response.status_code == 404, forged
        assert response.headers["content-type"] != "application/pdf"
    # Nor is a document token an access token.
    body = await client.request(
        LINK,
        {"input": {"shipmentId": gid("Shipment", shipment.id), "kind": "DECLARATION"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_papers_that_can_no_longer_be_made_are_refused_with_the_reason(
    client: Any, shop: None
) -> None:
    from models.orders import OrderLine

    order, shipment = await parcel_order()
    url = (await link_for(client, shipment.id, "DECLARATION", await orders_staff()))["link"]["url"]
    await OrderLine.filter(order_id=order.id).update(origin_country="")
    response = await client.http.get(url)
    assert response.status_code == 409
    assert "no country of origin" in response.json()["problems"][0]
