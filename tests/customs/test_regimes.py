"""The regimes file: the shipped one checks out and cites its sources; a broken one is refused
whole, at start-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from server import create_app
from services.customs import regimes
from services.customs.regimes import RegimesFileError, parse_regimes, read_regimes
from settings import Settings

VOCABULARY = {
    "EU-IOSS", "EU-STANDARD", "GB-LVI", "GB-STANDARD", "AU-LVG", "AU-STANDARD", "JP-SMALL",
    "JP-STANDARD", "CN-CBEC", "CN-GENERAL", "US-NO-DE-MINIMIS", "DEFAULT",
}  # fmt: skip

MINIMAL = """
version = 1
[[regime]]
id = "DEFAULT"
destinations = ["*"]
basis = "cif"
sources = ["https://example.org/customs"]
[[regime.charge]]
kind = "duty"
collect = "incoterm"
base = "customs"
"""


def test_the_shipped_file_uses_the_shared_regime_ids_and_cites_every_row():
    loaded = read_regimes(regimes.SHIPPED_FILE)
    assert {r.id for r in loaded.regimes} == VOCABULARY
    for regime in loaded.regimes:
        assert regime.sources, regime.id
        assert all(s.startswith(("https://", "http://")) for s in regime.sources)
    for rates in loaded.taxes.values():
        assert all(rate.source.startswith("http") for rate in rates)


def test_the_shipped_file_marks_what_the_research_left_unconfirmed():
    text = regimes.SHIPPED_FILE.read_text()
    assert text.count("UNCONFIRMED") >= 8
    assert "CONFLICTING" in text


def test_the_shipped_file_has_a_vat_rate_for_every_member_state_today():
    loaded = read_regimes(regimes.SHIPPED_FILE)
    eu = next(r for r in loaded.regimes if r.id == "EU-IOSS").destinations
    assert len(eu) == 27
    assert all(loaded.tax_rate(country, date(2026, 12, 6)) for country in eu)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version = 1\n[[regime", "not valid TOML"),
        (MINIMAL.replace('basis = "cif"', 'basis = "cif"\ncolour = "red"'), "unknown key 'colour'"),
        (MINIMAL.replace('sources = ["https://example.org/customs"]', "sources = []"), "cite"),
        (MINIMAL.replace("https://example.org/customs", "the blue book"), "must be a URL"),
        (MINIMAL.replace('destinations = ["*"]', 'destinations = ["DE"]'), 'apply to "*"'),
        (MINIMAL.replace('kind = "duty"', 'kind = "toll"'), "must be one of duty, import_tax"),
        (MINIMAL.replace("version = 1", "version = 2"), "version"),
        (
            MINIMAL.replace(
                'basis = "cif"',
                'basis = "cif"\nthreshold = { amount = "150", currency = "XXY", '
                'measured_on = "intrinsic", inclusive = true }',
            ),
            "not an ISO 4217 currency",
        ),
        (
            MINIMAL.replace(
                'basis = "cif"', 'basis = "cif"\nvalid_from = 2026-07-01\nvalid_to = 2026-01-01'
            ),
            "valid_from must come before valid_to",
        ),
        (
            MINIMAL
            + '[[tax]]\ncountry = "DE"\nname = "VAT"\nrate = "19"\nsource = "https://a.example"\n'
            + '[[tax]]\ncountry = "DE"\nname = "VAT"\nrate = "16"\nvalid_from = 2020-07-01\n'
            + 'source = "https://a.example"\n',
            "overlap",
        ),
        (
            MINIMAL + '[[tax]]\ncountry = "de"\nname = "VAT"\nrate = "x"\nsource = "https://a"\n',
            "alpha-2",
        ),
        (MINIMAL.replace('id = "DEFAULT"', 'id = "DEFAULT\\u0000"'), "NUL"),
        ("groups = 3\n" + MINIMAL, "groups"),
        ('tax = "19"\n' + MINIMAL, "[[tax]]"),
    ],
)
def test_a_broken_file_is_refused_with_its_reason(text, problem):
    with pytest.raises(RegimesFileError) as caught:
        parse_regimes(text)
    assert problem in str(caught.value)


def test_every_mistake_is_reported_at_once():
    text = MINIMAL.replace('kind = "duty"', 'kind = "toll"').replace(
        'base = "customs"', 'base = "x"'
    )
    with pytest.raises(RegimesFileError) as caught:
        parse_regimes(text)
    assert len(caught.value.problems) == 2


def test_an_operators_file_is_used_instead_of_the_shipped_one(tmp_path: Path):
    own = tmp_path / "regimes.toml"
    own.write_text(MINIMAL)
    loaded = regimes.load_regimes(own)
    assert [r.id for r in loaded.regimes] == ["DEFAULT"]
    assert loaded.candidates("DE", date(2026, 12, 6))[0].id == "DEFAULT"


def test_the_server_does_not_start_with_a_broken_file(tmp_path: Path):
    broken = tmp_path / "regimes.toml"
    broken.write_text(MINIMAL.replace("version = 1", "version = 9"))
    with pytest.raises(RegimesFileError):
        create_app(Settings(customs_regimes_file=broken), manage_database=False)
    with pytest.raises(RegimesFileError, match="cannot be read"):
        create_app(Settings(customs_regimes_file=tmp_path / "missing.toml"), manage_database=False)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(RegimesFileError, match="UTF-8"):
        read_regimes(binary)
