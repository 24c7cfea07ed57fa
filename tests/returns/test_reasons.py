"""Return reasons: the default set, the merchant's changes, translations and order."""

from __future__ import annotations

import asyncio

import pytest

from models.returns import (
    ReturnReason,
    ReturnReasonTranslation,
    ReturnRequest,
    ReturnResolution,
)
from services.returns import reasons
from services.returns.setup_errors import ReturnSetupError, ReturnSetupErrorCode
from tests.factories import make_order, make_product

Code = ReturnSetupErrorCode
DEFAULT_CODES = [
    "wrong_size",
    "not_as_described",
    "damaged",
    "wrong_item",
    "arrived_late",
    "changed_mind",
    "better_price",
    "other",
]


async def test_a_shop_without_reasons_gets_the_default_set_in_its_languages(db, settings):
    shown = await reasons.shown_reasons("ja")
    assert [s.reason.code for s in shown] == DEFAULT_CODES
    assert shown[2].name == "破損・不良品"
    assert [s.reason.code for s in shown if s.reason.needs_photo] == ["damaged", "wrong_item"]
    english = await reasons.shown_reasons("en-GB")
    assert english[0].name == "Wrong size or fit"
    chinese = {s.reason.code: s.name for s in await reasons.shown_reasons("zh")}
    assert chinese["other"] == "其他"
    german = {s.reason.code: s.name for s in await reasons.shown_reasons("de")}
    assert german["damaged"] == "Beschädigt oder defekt"
    french = {s.reason.code: s.name for s in await reasons.shown_reasons("fr")}
    assert french["wrong_item"] == "Mauvais article envoyé"
    # One translation per reason and locale other than the default.
    others = [loc for loc in settings.supported_locales if loc != settings.default_locale]
    assert await ReturnReasonTranslation.all().count() == len(DEFAULT_CODES) * len(others)
    # Read again: nothing more is created.
    assert await reasons.ensure_default_reasons() is False
    assert await ReturnReason.all().count() == len(DEFAULT_CODES)


async def test_two_first_reads_at_once_make_one_default_set(db):
    """Runs on PostgreSQL too."""
    created = await asyncio.gather(*(reasons.ensure_default_reasons() for _ in range(6)))
    assert sum(created) == 1
    assert await ReturnReason.all().count() == len(DEFAULT_CODES)
    lists = await asyncio.gather(*(reasons.shown_reasons("de") for _ in range(4)))
    assert all(len(found) == len(DEFAULT_CODES) for found in lists)


async def test_a_reason_is_created_renamed_translated_and_deactivated(db):
    await reasons.ensure_default_reasons()
    made = await reasons.create_reason("  Arrived with a missing part ", needs_photo=True)
    assert (made.code, made.name, made.needs_photo) == (
        "arrived_with_a_missing_part",
        "Arrived with a missing part",
        True,
    )
    assert made.position == len(DEFAULT_CODES)
    again = await reasons.create_reason("Arrived with a missing part!")
    assert again.code == "arrived_with_a_missing_part_2"
    chinese = await reasons.create_reason("颜色不对")
    assert chinese.code == "reason"

    await reasons.translate_reason(made.id, "zh", "缺少零件")
    await reasons.translate_reason(made.id, "zh", "到货缺件")
    shown = {s.reason.id: s.name for s in await reasons.shown_reasons("zh")}
    assert shown[made.id] == "到货缺件"
    await reasons.translate_reason(made.id, "zh", "  ")
    shown = {s.reason.id: s.name for s in await reasons.shown_reasons("zh")}
    assert shown[made.id] == "Arrived with a missing part"

    renamed = await reasons.update_reason(made.id, {"name": "Missing part", "active": False})
    assert renamed.name == "Missing part" and renamed.code == "arrived_with_a_missing_part"
    assert made.id not in {s.reason.id for s in await reasons.shown_reasons("en")}
    assert made.id in {r.id for r in await reasons.list_reasons(active_only=False)}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", Code.REQUIRED),
        ("   ", Code.REQUIRED),
        ("x" * 121, Code.TOO_LONG),
        ("two\nlines", Code.INVALID),
        ("nul\x00", Code.INVALID),
        ("bell\x07", Code.INVALID),
    ],
)
async def test_bad_names_are_refused(db, name, code):
    with pytest.raises(ReturnSetupError) as caught:
        await reasons.create_reason(name)
    assert caught.value.problems[0].code is code
    assert await ReturnReason.all().count() == 0


async def test_translations_take_the_shops_other_locales_only(db, settings):
    made = await reasons.create_reason("Too small")
    for locale in ("xx", settings.default_locale, "", "zh\x00"):
        with pytest.raises(ReturnSetupError) as caught:
            await reasons.translate_reason(made.id, locale, "name")
        assert caught.value.problems[0].code is Code.INVALID_LOCALE
    with pytest.raises(ReturnSetupError) as caught:
        await reasons.translate_reason(999_999, "zh", "name")
    assert caught.value.problems[0].code is Code.NOT_FOUND
    assert await ReturnReasonTranslation.filter(reason_id=made.id).count() == 0


async def test_reordering_puts_the_listed_reasons_first(db):
    await reasons.ensure_default_reasons()
    rows = await reasons.list_reasons(active_only=False)
    other, damaged = rows[-1], rows[2]
    ordered = await reasons.reorder_reasons([other.id, damaged.id])
    assert [r.code for r in ordered][:3] == ["other", "damaged", "wrong_size"]
    assert [r.position for r in ordered] == list(range(len(DEFAULT_CODES)))
    for bad in ([other.id, other.id], [other.id, 999_999]):
        with pytest.raises(ReturnSetupError):
            await reasons.reorder_reasons(bad)
    after = await reasons.list_reasons(active_only=False)
    assert [r.code for r in after] == [r.code for r in ordered]


async def test_a_used_reason_is_kept_and_an_unused_one_deleted(db):
    await reasons.ensure_default_reasons()
    damaged = await ReturnReason.get(code="damaged")
    unused = await ReturnReason.get(code="better_price")
    product = await make_product()
    variant = (await product.variants.all())[0]
    order = await make_order(None, [(variant, 1)])
    await ReturnRequest.create(
        number=f"{order.number}-R1",
        order_id=order.id,
        sequence=1,
        resolution=ReturnResolution.REFUND,
        reason_id=damaged.id,
        reason_name=damaged.name,
    )
    assert await reasons.used_reason_ids([damaged.id, unused.id]) == {damaged.id}
    with pytest.raises(ReturnSetupError) as caught:
        await reasons.delete_reason(damaged.id)
    assert caught.value.problems[0].code is Code.IN_USE
    assert await ReturnReason.exists(id=damaged.id)
    await reasons.delete_reason(unused.id)
    assert not await ReturnReason.exists(id=unused.id)
    with pytest.raises(ReturnSetupError) as caught:
        await reasons.delete_reason(unused.id)
    assert caught.value.problems[0].code is Code.NOT_FOUND
