"""Choosing a response language."""

from __future__ import annotations

from services.i18n import negotiate, parse_accept_language

SUPPORTED = ["en", "de", "fr", "zh", "pt"]


def test_accept_language_is_ordered_by_quality_then_position():
    assert parse_accept_language("fr;q=0.5, de-CH, en;q=0.8, *;q=0.1") == ["de-CH", "en", "fr"]
    assert parse_accept_language("de;q=0, fr;q=abc, es") == ["es"]
    assert parse_accept_language(None) == []


def test_negotiation_matches_a_tag_then_its_language_then_falls_back():
    assert negotiate(["de-AT"], SUPPORTED, "en") == "de"
    assert negotiate(["zh-Hant-TW"], SUPPORTED, "en") == "zh"
    assert negotiate(["pt_BR"], SUPPORTED, "en") == "pt"
    assert negotiate(["ja", "fr"], SUPPORTED, "en") == "fr"
    assert negotiate(["ja"], SUPPORTED, "en") == "en"
    assert negotiate(["!!"], SUPPORTED, "en") == "en"
