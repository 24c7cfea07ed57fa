"""The merchant's duty rates: exact percentages, one rate per country and prefix, CSV import
(checked whole, applied whole, dry run) and export, through the service and the API."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest

from models.accounts import Role
from models.customs import DutyRate
from services.customs import duty_rates
from services.customs.setup_errors import CustomsSetupError, CustomsSetupErrorCode
from services.errors import Problems
from services.pagination import PageRequest, PaginationError
from tests.factories import gid, make_user

Code = CustomsSetupErrorCode
HEADER = "country,hs_prefix,rate_percent,source\n"
ERRORS = "errors { field code message }"

SET_RATE = f"""
mutation($input: SetDutyRateInput!) {{
  setDutyRate(input: $input) {{
    created rate {{ id country hsPrefix ratePercent rateBps source }} {ERRORS}
  }}
}}
"""
DELETE_RATE = f"""
mutation($input: DeleteDutyRateInput!) {{ deleteDutyRate(input: $input) {{ deletedId {ERRORS} }} }}
"""
RATES = """
query($filter: DutyRateFilter, $first: Int, $after: String, $last: Int, $before: String) {
  dutyRates(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    nodes { country hsPrefix ratePercent }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
IMPORT = f"""
mutation($csv: String!, $dryRun: Boolean) {{
  importDutyRates(csv: $csv, dryRun: $dryRun) {{
    dryRun rows created updated unchanged
    changes {{ change country hsPrefix ratePercent previousRatePercent source }}
    {ERRORS}
  }}
}}
"""
EXPORT = f"""
mutation($filter: DutyRateFilter) {{ exportDutyRates(filter: $filter) {{ csv count {ERRORS} }} }}
"""
NODE = "query($id: ID!) { node(id: $id) { ... on DutyRate { country ratePercent } } }"


async def settings_staff():
    return await make_user(role=Role.STAFF, permissions=("settings",))


async def stored() -> list[tuple[str, str, int, str]]:
    return [
        (r.country, r.hs_prefix, r.rate_bps, r.source)
        for r in await DutyRate.all().order_by("country", "hs_prefix")
    ]


def refused(data: str | bytes) -> list[tuple[Enum, tuple[str, ...] | None]]:
    with pytest.raises(CustomsSetupError) as caught:
        duty_rates.parse_rates_csv(data)
    return [(p.code, p.field) for p in caught.value.problems]


# Rates as percentages.


@pytest.mark.parametrize(
    ("given", "bps"),
    [
        ("12.8", 1280),
        ("0", 0),
        ("0.01", 1),
        ("1000", 100_000),
        (" 7.50 ", 750),
        ("5%", 500),
        ("12.", 1200),
        ("16.90", 1690),
    ],
)
def test_a_percentage_becomes_exact_basis_points(given, bps):
    problems = Problems(CustomsSetupError)
    assert duty_rates.rate_bps_of(given, problems, "rate") == bps
    assert not problems


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("12.345", Code.INVALID_RATE),
        ("0.001", Code.INVALID_RATE),
        ("1000.01", Code.RATE_OUT_OF_RANGE),
        ("-1", Code.RATE_OUT_OF_RANGE),
        ("12,8", Code.INVALID_RATE),
        ("1e2", Code.INVALID_RATE),
        ("+5", Code.INVALID_RATE),
        ("٥", Code.INVALID_RATE),  # an Arabic-Indic digit is no ASCII digit
        ("NaN", Code.INVALID_RATE),
        ("", Code.REQUIRED),
        ("9" * 400, Code.INVALID_RATE),
    ],
)
def test_a_rate_that_cannot_be_kept_exactly_is_refused(given, code):
    problems = Problems(CustomsSetupError)
    assert duty_rates.rate_bps_of(given, problems, "rate") is None
    assert [(p.code, p.field) for p in problems.items] == [(code, ("rate",))]


def test_basis_points_read_back_as_the_shortest_percentage():
    assert [duty_rates.percent_of(b) for b in (1280, 0, 5, 1205, 1250, 100_000)] == [
        "12.8",
        "0",
        "0.05",
        "12.05",
        "12.5",
        "1000",
    ]


# The CSV file.


def test_a_file_with_a_byte_order_mark_and_crlf_lines_is_read():
    data = ("\ufeff" + HEADER + "de,,4,EU TARIC\r\nDE,6109.10,12,\r\n\r\n").encode()
    assert duty_rates.parse_rates_csv(data) == [
        duty_rates.RateRow("DE", "", 400, "EU TARIC"),
        duty_rates.RateRow("DE", "610910", 1200, ""),
    ]


def test_the_columns_may_come_in_any_order_and_source_may_be_left_out():
    rows = duty_rates.parse_rates_csv("Rate_Percent, Country ,HS_PREFIX\n3.2,JP,0902\n")
    assert rows == [duty_rates.RateRow("JP", "0902", 320, "")]


def test_a_file_without_its_header_is_refused():
    assert refused("DE,61,12,EU\n") == [(Code.INVALID_HEADER, ("csv", "1"))]
    assert refused("country,hs_prefix,rate_percent,duty\nDE,61,12,x\n") == [
        (Code.INVALID_HEADER, ("csv", "1"))
    ]


def test_every_bad_row_is_reported_by_line_and_column():
    data = (
        HEADER
        + "DE,,4,\n"
        + "XX,6109,1.234,=HYPERLINK()\n"  # line 3: three problems
        + "DE,,5,\n"  # line 4 repeats line 2
        + "FR,12345678901,2,\n"  # line 5: prefix too long
        + "GB,61,2\n"  # line 6: a field short
        + "US,61,3,"
        + "x" * 301
        + "\n"
    )
    assert refused(data) == [
        (Code.INVALID_COUNTRY, ("csv", "3", "country")),
        (Code.INVALID_RATE, ("csv", "3", "rate_percent")),
        (Code.INVALID_SOURCE, ("csv", "3", "source")),
        (Code.DUPLICATE_ROW, ("csv", "4")),
        (Code.INVALID_HS_PREFIX, ("csv", "5", "hs_prefix")),
        (Code.INVALID_ROW, ("csv", "6")),
        (Code.TOO_LONG, ("csv", "7", "source")),
    ]


def test_control_characters_and_broken_quotes_are_refused():
    assert refused(HEADER + 'DE,61,1,"a\x00b"\n') == [(Code.INVALID_SOURCE, ("csv", "2", "source"))]
    assert refused(HEADER + 'DE,61,1,"line\nbreak"\n') == [
        (Code.INVALID_SOURCE, ("csv", "3", "source"))
    ]
    assert refused(HEADER + 'DE,"61,1,x\n') == [(Code.INVALID_ROW, ("csv", "2"))]


def test_a_file_that_is_not_utf8_is_refused():
    assert refused((HEADER + "DE,61,1,Zolltarif für Textilien\n").encode("latin-1")) == [
        (Code.INVALID_ENCODING, ("csv",))
    ]
    assert refused(HEADER + "DE,61,1,\udc80\n") == [(Code.INVALID_ENCODING, ("csv",))]


def test_empty_and_oversized_files_are_refused():
    assert refused("") == [(Code.EMPTY_FILE, ("csv",))]
    assert refused(" \n\n") == [(Code.EMPTY_FILE, ("csv",))]
    assert refused(HEADER) == [(Code.EMPTY_FILE, ("csv",))]
    big = HEADER + "DE,61,1," + "x" * duty_rates.MAX_CSV_BYTES + "\n"
    assert refused(big) == [(Code.FILE_TOO_LARGE, ("csv",))]
    many = HEADER + "".join(f"DE,{n:06d},1,\n" for n in range(duty_rates.MAX_CSV_ROWS + 1))
    assert refused(many) == [(Code.TOO_MANY_ROWS, ("csv",))]


def test_a_file_full_of_problems_lists_the_first_hundred_and_counts_the_rest():
    data = HEADER + "".join(f"DE,{n:04d},1.001,\n" for n in range(150))
    problems = refused(data)
    assert len(problems) == duty_rates.MAX_LISTED_PROBLEMS + 1
    assert problems[0] == (Code.INVALID_RATE, ("csv", "2", "rate_percent"))
    assert problems[-1] == (Code.TOO_MANY_ERRORS, ("csv",))


# Importing.


async def test_a_dry_run_tells_what_would_change_and_writes_nothing(db):
    await DutyRate.create(country="DE", hs_prefix="", rate_bps=400, source="TARIC")
    await DutyRate.create(country="DE", hs_prefix="61", rate_bps=1200, source="")
    data = HEADER + "DE,,4,TARIC\nDE,61,12.5,\nDE,85,2.7,\n"

    result = await duty_rates.import_rates(data, dry_run=True)

    assert (result.dry_run, result.rows, result.created, result.updated, result.unchanged) == (
        True,
        3,
        1,
        1,
        1,
    )
    assert [(c.change, c.row.hs_prefix, c.previous_rate_bps) for c in result.changes] == [
        (duty_rates.Change.UPDATED, "61", 1200),
        (duty_rates.Change.CREATED, "85", None),
    ]
    assert await stored() == [("DE", "", 400, "TARIC"), ("DE", "61", 1200, "")]

    applied = await duty_rates.import_rates(data)
    assert (applied.created, applied.updated, applied.unchanged) == (1, 1, 1)
    assert await stored() == [
        ("DE", "", 400, "TARIC"),
        ("DE", "61", 1250, ""),
        ("DE", "85", 270, ""),
    ]


async def test_a_file_with_one_bad_row_changes_nothing(db):
    await DutyRate.create(country="FR", hs_prefix="", rate_bps=400)
    with pytest.raises(CustomsSetupError):
        await duty_rates.import_rates(HEADER + "FR,,9,\nFR,61,12,\nFR,62,abc,\n")
    assert await stored() == [("FR", "", 400, "")]


async def test_an_export_imports_back_unchanged(db):
    rows = HEADER + 'CN,,10,"MOF tariff, 2026"\nCN,0902,15,\nAU,,5,\nAU,8517,0,ITA\n'
    await duty_rates.import_rates(rows)

    text, count = await duty_rates.export_rates()

    assert count == 4
    assert text.splitlines() == [
        "country,hs_prefix,rate_percent,source",
        "AU,,5,",
        "AU,8517,0,ITA",
        'CN,,10,"MOF tariff, 2026"',
        "CN,0902,15,",
    ]
    again = await duty_rates.import_rates(text, dry_run=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    only_cn, n = await duty_rates.export_rates(duty_rates.RateFilter(country="CN"))
    assert n == 2 and "AU" not in only_cn


async def test_two_imports_at_once_leave_one_rate_per_key(db):
    # The proof needs PostgreSQL (CI runs it there): SQLite serialises writers anyway.
    await DutyRate.create(country="DE", hs_prefix="61", rate_bps=100)
    first = HEADER + "".join(f"DE,{p},1,first\n" for p in ("", "61", "62", "85", "0902"))
    second = HEADER + "".join(f"DE,{p},2,second\n" for p in ("61", "62", "64", "85"))

    results = await asyncio.gather(
        *(duty_rates.import_rates(data) for data in (first, second, first, second))
    )

    assert all(r.rows in (4, 5) for r in results)
    rows = await stored()
    assert [(c, p) for c, p, _, _ in rows] == [
        ("DE", ""),
        ("DE", "0902"),
        ("DE", "61"),
        ("DE", "62"),
        ("DE", "64"),
        ("DE", "85"),
    ]
    by_prefix = {p: (bps, source) for _, p, bps, source in rows}
    assert by_prefix[""] == (100, "first") and by_prefix["64"] == (200, "second")
    assert all(by_prefix[p] in ((100, "first"), (200, "second")) for p in ("61", "62", "85"))


async def test_setting_a_rate_twice_changes_it(db):
    rate, created = await duty_rates.set_rate(
        {"country": "gb", "hs_prefix": "61.09", "rate_percent": "12", "source": " UK tariff "}
    )
    assert created and (rate.country, rate.hs_prefix, rate.rate_bps, rate.source) == (
        "GB",
        "6109",
        1200,
        "UK tariff",
    )
    again, created = await duty_rates.set_rate(
        {"country": "GB", "hs_prefix": "6109", "rate_percent": "8"}
    )
    assert not created and again.id == rate.id
    assert await stored() == [("GB", "6109", 800, "")]


async def test_the_list_pages_by_country_then_prefix_both_ways(db):
    await duty_rates.import_rates(
        HEADER + "".join(f"{c},{p},1,\n" for c in ("US", "DE") for p in ("", "61", "6109", "85"))
    )
    first = await duty_rates.list_rates(None, PageRequest(first=3))
    assert [(r.country, r.hs_prefix) for r in first.items] == [
        ("DE", ""),
        ("DE", "61"),
        ("DE", "6109"),
    ]
    assert first.has_next_page and not first.has_previous_page
    rest = await duty_rates.list_rates(None, PageRequest(first=10, after=first.cursors[-1]))
    assert [(r.country, r.hs_prefix) for r in rest.items] == [
        ("DE", "85"),
        ("US", ""),
        ("US", "61"),
        ("US", "6109"),
        ("US", "85"),
    ]
    back = await duty_rates.list_rates(None, PageRequest(last=2, before=rest.cursors[1]))
    assert [(r.country, r.hs_prefix) for r in back.items] == [("DE", "6109"), ("DE", "85")]
    filtered = await duty_rates.list_rates(
        duty_rates.RateFilter(country="us", prefix="61"), PageRequest()
    )
    assert [r.hs_prefix for r in filtered.items] == ["61", "6109"]
    with pytest.raises(PaginationError):
        await duty_rates.list_rates(None, PageRequest(after="bm90IGEgY3Vyc29y"))


# Through the API.


async def test_settings_staff_keep_rates_through_the_api(client):
    staff = await settings_staff()
    made = await client.query(
        SET_RATE,
        {"input": {"country": "DE", "hsPrefix": "6109", "ratePercent": "12", "source": "TARIC"}},
        user=staff,
    )
    payload = made["setDutyRate"]
    assert payload["errors"] == [] and payload["created"] is True
    assert payload["rate"]["ratePercent"] == "12" and payload["rate"]["rateBps"] == 1200
    changed = await client.query(
        SET_RATE,
        {"input": {"country": "DE", "hsPrefix": "6109", "ratePercent": "16.5"}},
        user=staff,
    )
    assert changed["setDutyRate"]["created"] is False
    assert changed["setDutyRate"]["rate"]["id"] == payload["rate"]["id"]

    seen = await client.query(NODE, {"id": payload["rate"]["id"]}, user=staff)
    assert seen["node"] == {"country": "DE", "ratePercent": "16.5"}

    gone = await client.query(DELETE_RATE, {"input": {"id": payload["rate"]["id"]}}, user=staff)
    assert gone["deleteDutyRate"] == {"deletedId": payload["rate"]["id"], "errors": []}
    again = await client.query(DELETE_RATE, {"input": {"id": payload["rate"]["id"]}}, user=staff)
    assert [e["code"] for e in again["deleteDutyRate"]["errors"]] == ["NOT_FOUND"]
    wrong = await client.query(DELETE_RATE, {"input": {"id": gid("ShippingRate", 1)}}, user=staff)
    assert wrong["deleteDutyRate"]["errors"][0]["field"] == ["id"]
    assert await DutyRate.all().count() == 0


async def test_a_bad_rate_is_a_typed_error_at_its_field(client):
    staff = await settings_staff()
    data = await client.query(
        SET_RATE,
        {"input": {"country": "FR", "hsPrefix": "61x", "ratePercent": "12.345"}},
        user=staff,
    )
    errors = data["setDutyRate"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID_HS_PREFIX", ["hsPrefix"]),
        ("INVALID_RATE", ["ratePercent"]),
    ]
    assert data["setDutyRate"]["rate"] is None
    assert not await DutyRate.exists()


async def test_an_import_is_previewed_then_applied_through_the_api(client):
    staff = await settings_staff()
    await DutyRate.create(country="AU", hs_prefix="", rate_bps=500)
    csv_text = "\ufeff" + HEADER + "AU,,5,\nAU,61,10,\nJP,,0,\n"

    preview = (await client.query(IMPORT, {"csv": csv_text, "dryRun": True}, user=staff))[
        "importDutyRates"
    ]
    assert preview["errors"] == []
    assert (preview["dryRun"], preview["rows"], preview["created"], preview["unchanged"]) == (
        True,
        3,
        2,
        1,
    )
    assert [(c["change"], c["country"], c["hsPrefix"]) for c in preview["changes"]] == [
        ("CREATED", "AU", "61"),
        ("CREATED", "JP", ""),
    ]
    assert await DutyRate.all().count() == 1

    applied = (await client.query(IMPORT, {"csv": csv_text}, user=staff))["importDutyRates"]
    assert (applied["dryRun"], applied["created"], applied["errors"]) == (False, 2, [])
    assert await DutyRate.all().count() == 3

    listed = (await client.query(RATES, {"filter": {"country": "AU"}}, user=staff))["dutyRates"]
    assert listed["totalCount"] == 2
    assert [(n["hsPrefix"], n["ratePercent"]) for n in listed["nodes"]] == [("", "5"), ("61", "10")]

    exported = (await client.query(EXPORT, {"filter": {"country": "AU"}}, user=staff))[
        "exportDutyRates"
    ]
    assert exported["count"] == 2
    assert exported["csv"] == "country,hs_prefix,rate_percent,source\r\nAU,,5,\r\nAU,61,10,\r\n"


async def test_a_refused_import_answers_each_problem_with_its_line(client):
    staff = await settings_staff()
    body = (
        await client.query(
            IMPORT,
            {"csv": HEADER + "DE,,4,\nDE,61,twelve,\nZZ,62,1,\n", "dryRun": True},
            user=staff,
        )
    )["importDutyRates"]
    assert body["dryRun"] is True and body["rows"] == 0
    assert [(e["code"], e["field"]) for e in body["errors"]] == [
        ("INVALID_RATE", ["csv", "3", "ratePercent"]),
        ("INVALID_COUNTRY", ["csv", "4", "country"]),
    ]
    assert body["errors"][0]["message"].startswith("A rate is a percentage")
    assert not await DutyRate.exists()


async def test_a_nul_in_the_csv_is_refused_before_anything_runs(client):
    staff = await settings_staff()
    body = await client.request(IMPORT, {"csv": HEADER + "DE,,4,\x00\n"}, user=staff)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not await DutyRate.exists()


async def test_a_bad_filter_or_cursor_is_an_input_error(client):
    staff = await settings_staff()
    for variables in ({"filter": {"prefix": "61a"}}, {"after": "not-a-cursor"}):
        body = await client.request(RATES, variables, user=staff)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_only_settings_staff_reach_duty_rates(client):
    rate = await DutyRate.create(country="DE", hs_prefix="", rate_bps=400)
    customer = await make_user()
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders", "catalog", "reports"))
    documents: tuple[tuple[str, dict[str, Any]], ...] = (
        (RATES, {}),
        (SET_RATE, {"input": {"country": "DE", "ratePercent": "1"}}),
        (DELETE_RATE, {"input": {"id": gid("DutyRate", rate.id)}}),
        (IMPORT, {"csv": HEADER + "DE,,9,\n"}),
        (EXPORT, {}),
    )
    for document, variables in documents:
        anonymous = await client.request(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for user in (customer, orders_staff):
            body = await client.request(document, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for viewer in (None, customer, orders_staff):
        node = await client.request(NODE, {"id": gid("DutyRate", rate.id)}, user=viewer)
        assert node["data"]["node"] is None
    assert await stored() == [("DE", "", 400, "")]


async def test_listing_rates_costs_the_same_queries_for_few_and_many(client, count_queries):
    staff = await settings_staff()

    async def statements(n: int) -> int:
        await DutyRate.all().delete()
        await duty_rates.import_rates(HEADER + "".join(f"DE,{i:04d},1,\n" for i in range(n)))
        count_queries.statements.clear()
        data = await client.query(RATES, {"first": 100}, user=staff)
        assert len(data["dutyRates"]["nodes"]) == n
        return count_queries.count

    assert await statements(5) == await statements(60)


async def test_the_demo_shop_has_rates_for_its_markets_and_registrations_once(db):
    from demo.shop import load_demo_customs_setup
    from models.customs import MerchantRegistration

    assert await load_demo_customs_setup() is True
    defaults = {r.country for r in await DutyRate.filter(hs_prefix="")}
    assert defaults == {"DE", "FR", "GB", "AU", "JP", "US", "CN"}
    assert await DutyRate.filter(country="US", hs_prefix="61").values_list(
        "rate_bps", flat=True
    ) == [1650]
    assert await MerchantRegistration.all().count() == 4
    count = await DutyRate.all().count()
    assert await load_demo_customs_setup() is False
    assert await DutyRate.all().count() == count


async def test_a_file_of_hundreds_of_rates_goes_through_the_api(client):
    staff = await settings_staff()
    rows = "".join(f"US,{n:06d},2.5,HTS chapter {n // 100}\n" for n in range(400))
    body = (await client.query(IMPORT, {"csv": HEADER + rows}, user=staff))["importDutyRates"]
    assert (body["errors"], body["rows"], body["created"]) == ([], 400, 400)
    assert len(body["changes"]) == 400
    assert await DutyRate.filter(country="US").count() == 400
