"""`trackingNumberInfo` as the console asks it while staff type: who may ask, what it
answers for a carrier of the shop, and how it answers what is no tracking number."""

from __future__ import annotations

from models.accounts import Role
from tests.factories import gid, make_user
from tests.shipping.helpers import make_carrier

INFO = """
query($number: String!, $carrierId: ID) {
  trackingNumberInfo(number: $number, carrierId: $carrierId) {
    number detectedCarrier service originCountry validity message expectedCheckDigit
    carrierMismatch trackingUrl
  }
}"""


async def _ask(client, number, carrier=None, **kw):
    variables = {"number": number, "carrierId": gid("Carrier", carrier.id) if carrier else None}
    return (await client.query(INFO, variables, **kw))["trackingNumberInfo"]


async def test_a_postal_number_is_described_with_the_carriers_link(client):
    post = await make_carrier(
        name="China Post", code="china-post", tracking_url="https://track.test/{number}"
    )
    info = await _ask(client, " ee 4731 2482 9 cn ", post, staff=True)
    assert info == {
        "number": "EE473124829CN",
        "detectedCarrier": "UPU_S10",
        "service": "EMS",
        "originCountry": "CN",
        "validity": "VALID",
        "message": "A valid UPU S10 postal number: EMS, posted in China.",
        "expectedCheckDigit": None,
        "carrierMismatch": False,
        "trackingUrl": "https://track.test/EE473124829CN",
    }


async def test_a_wrong_check_digit_is_named_with_the_right_one(client):
    info = await _ask(client, "RB123456789UK", staff=True)
    assert (info["validity"], info["expectedCheckDigit"], info["originCountry"]) == (
        "INVALID_CHECK_DIGIT",
        "5",
        "GB",
    )
    assert "the check digit should be 5, not 9" in info["message"]
    assert info["trackingUrl"] is None


async def test_another_companys_number_is_a_mismatch_for_the_carrier(client):
    dhl = await make_carrier(name="DHL", code="dhl", tracking_url="https://dhl.test/?n={number}")
    info = await _ask(client, "1Z999AA10123456784", dhl, staff=True)
    assert (info["detectedCarrier"], info["validity"], info["carrierMismatch"]) == (
        "UPS",
        "VALID",
        True,
    )
    assert info["message"].startswith("This is a UPS number, but the carrier chosen")
    # A DHL Express waybill with a wrong check digit, for DHL.
    waybill = await _ask(client, "3318810026", dhl, staff=True)
    assert (waybill["detectedCarrier"], waybill["validity"], waybill["expectedCheckDigit"]) == (
        "DHL_EXPRESS",
        "INVALID_CHECK_DIGIT",
        "5",
    )
    assert waybill["trackingUrl"] == "https://dhl.test/?n=3318810026"


async def test_a_local_couriers_number_is_unknown_and_still_linked(client):
    sf = await make_carrier(
        name="SF Express", code="sf-express", tracking_url="https://sf.test/{number}"
    )
    info = await _ask(client, "sf1234567890123", sf, staff=True)
    assert (info["number"], info["detectedCarrier"], info["validity"]) == (
        "SF1234567890123",
        None,
        "UNKNOWN_FORMAT",
    )
    assert info["trackingUrl"] == "https://sf.test/SF1234567890123"


async def test_what_is_no_tracking_number_answers_invalid_format(client):
    carrier = await make_carrier(tracking_url="https://track.test/{number}")
    for number in ("", "   ", "X" * 81, "X" * 1000, "RB１２３４５６７８５GB", "naïve"):
        info = await _ask(client, number, carrier, staff=True)
        assert (info["validity"], info["detectedCarrier"], info["trackingUrl"]) == (
            "INVALID_FORMAT",
            None,
            None,
        ), number


async def test_nul_and_bad_carrier_ids_are_input_errors(client):
    carrier = await make_carrier()
    nul = await client.request(INFO, {"number": "RB\x00123"}, staff=True)
    assert nul["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert nul["data"] is None
    for carrier_id in (gid("Order", carrier.id), "not an id", gid("Carrier", 999_999)):
        refused = await client.request(
            INFO, {"number": "RB123456785GB", "carrierId": carrier_id}, staff=True
        )
        assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", carrier_id
        assert refused["data"] is None


async def test_only_staff_who_ship_orders_may_ask(client):
    shipper = await make_user(role=Role.STAFF, permissions=("orders",))
    info = await _ask(client, "RB123456785GB", user=shipper)
    assert info["validity"] == "VALID"
    for user, code in [
        (await make_user(role=Role.STAFF, permissions=("settings", "catalog")), "FORBIDDEN"),
        (await make_user(), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ]:
        refused = await client.request(INFO, {"number": "RB123456785GB"}, user=user)
        assert refused["errors"][0]["extensions"]["code"] == code
        assert refused["data"] is None
