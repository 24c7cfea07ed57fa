"""The reasons shoppers pick when they ask for a return: the merchant's list, in order,
translatable, each saying whether the shopper must add photos.

A shop with no reasons at all gets the default set (`wording.DEFAULT_REASONS`) the first
time they are read, once even when two requests read them at the same moment. A reason that
returns name is deactivated, never deleted: reports and timelines keep pointing at it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from tortoise.exceptions import IntegrityError

from models.returns import ReturnReason, ReturnReasonTranslation, ReturnRequest
from services.returns import wording
from services.returns.setup_errors import (
    ReturnSetupErrorCode,
    fail,
    has_control_characters,
    not_found,
)
from services.transactions import atomic
from settings import get_settings

Code = ReturnSetupErrorCode

#: Longest name of a reason, in any language (the column's length).
MAX_NAME = 120
#: Most reasons a shop keeps: a list a shopper reads through, not a catalogue.
MAX_REASONS = 50


@dataclass(frozen=True, slots=True)
class ShownReason:
    """A reason as one language reads it."""

    reason: ReturnReason
    name: str


class ReasonChanges(TypedDict, total=False):
    name: str
    needs_photo: bool
    active: bool


def check_name(value: object, *field: str) -> str:
    """A reason's name, trimmed: one line of 1 to `MAX_NAME` characters."""
    name = unicodedata.normalize("NFC", str(value if value is not None else "")).strip()
    if not name:
        raise fail(Code.REQUIRED, "Give the reason a name.", *field)
    if len(name) > MAX_NAME:
        raise fail(Code.TOO_LONG, f"A reason's name has at most {MAX_NAME} characters.", *field)
    if has_control_characters(name):
        raise fail(Code.INVALID, "A reason's name is one line with no control characters.", *field)
    return name


def check_locale(value: object) -> str:
    """One of the shop's locales other than the default (the reason's own name is in it)."""
    settings = get_settings()
    code = str(value or "").strip().replace("_", "-")
    if code not in settings.supported_locales:
        raise fail(
            Code.INVALID_LOCALE,
            f"{code[:20]!r} is not one of the shop's locales: "
            f"{', '.join(settings.supported_locales)}.",
            "locale",
        )
    if code == settings.default_locale:
        raise fail(
            Code.INVALID_LOCALE,
            f"{code!r} is the shop's default language: rename the reason itself.",
            "locale",
        )
    return code


def name_in(
    reason: ReturnReason, translations: Sequence[ReturnReasonTranslation], locale: str
) -> str:
    """The reason's name in `locale` (exact tag, then its language), else its own name."""
    by_locale = {t.locale: t.name for t in translations}
    return by_locale.get(locale) or by_locale.get(wording.language_of(locale)) or reason.name


async def ensure_default_reasons() -> bool:
    """Create the default reasons, with their names in the shop's locales, when the shop has
    no reason at all; whether they were created here. Safe to run at the same moment twice:
    the codes are unique, so the second run's insert fails and it finds the first one's."""
    if await ReturnReason.exists():
        return False
    settings = get_settings()
    default = wording.language_of(settings.default_locale)
    try:
        async with atomic():
            for position, (code, needs_photo, names) in enumerate(wording.DEFAULT_REASONS):
                reason = await ReturnReason.create(
                    code=code,
                    name=names.get(default, names["en"]),
                    needs_photo=needs_photo,
                    position=position,
                )
                await ReturnReasonTranslation.bulk_create(
                    [
                        ReturnReasonTranslation(
                            reason_id=reason.id, locale=locale, name=names[language]
                        )
                        for locale in settings.supported_locales
                        if locale != settings.default_locale
                        and (language := wording.language_of(locale)) in names
                    ]
                )
    except IntegrityError:  # another request created them first
        return False
    return True


async def list_reasons(*, active_only: bool) -> list[ReturnReason]:
    """The shop's reasons in their order, with their translations fetched (the default set
    first created when there are none)."""
    await ensure_default_reasons()
    rows = ReturnReason.all().order_by("position", "id").prefetch_related("translations")
    if active_only:
        rows = rows.filter(active=True)
    return list(await rows)


async def shown_reasons(locale: str) -> list[ShownReason]:
    """The active reasons in order, named in `locale`."""
    return [
        ShownReason(reason, name_in(reason, list(reason.translations), locale))
        for reason in await list_reasons(active_only=True)
    ]


async def _reason(reason_id: int, *, lock: bool = False) -> ReturnReason:
    rows = ReturnReason.filter(id=reason_id)
    if lock:
        rows = rows.select_for_update()
    reason = await rows.first()
    if reason is None:
        raise not_found("The reason", "reason_id")
    return reason


async def with_translations(reason: ReturnReason) -> ReturnReason:
    await reason.fetch_related("translations")
    return reason


def _code_for(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:30] or "reason"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


async def create_reason(name: str, *, needs_photo: bool = False) -> ReturnReason:
    """Add a reason at the end of the list (after the default set, made first when the shop
    has no reasons yet); its code is made from its name."""
    checked = check_name(name, "name")
    await ensure_default_reasons()
    for _attempt in range(3):
        try:
            async with atomic():
                if await ReturnReason.all().count() >= MAX_REASONS:
                    raise fail(
                        Code.OUT_OF_RANGE, f"A shop has at most {MAX_REASONS} reasons.", "name"
                    )
                taken = {str(c) for c in await ReturnReason.all().values_list("code", flat=True)}
                last = await ReturnReason.all().order_by("-position").first()
                reason = await ReturnReason.create(
                    code=_code_for(checked, taken),
                    name=checked,
                    needs_photo=bool(needs_photo),
                    position=(last.position + 1) if last else 0,
                )
            return await with_translations(reason)
        except IntegrityError:  # the same code taken at the same moment: pick the next
            continue
    raise fail(Code.INVALID, "The reason could not be added; try again.", "name")


async def update_reason(reason_id: int, changes: ReasonChanges) -> ReturnReason:
    """Rename a reason, change whether it needs photos, or (de)activate it."""
    updates: dict[str, object] = {}
    if changes.get("name") is not None:
        updates["name"] = check_name(changes["name"], "name")
    for flag in ("needs_photo", "active"):
        if changes.get(flag) is not None:
            updates[flag] = bool(changes[flag])
    reason = await _reason(reason_id)
    if updates:
        for name, value in updates.items():
            setattr(reason, name, value)
        await reason.save(update_fields=[*updates, "updated_at"])
    return await with_translations(reason)


async def translate_reason(reason_id: int, locale: str, name: str | None) -> ReturnReason:
    """Name a reason in one of the shop's locales; an empty name removes that translation."""
    code = check_locale(locale)
    text = "" if name is None else str(name)
    reason = await _reason(reason_id)
    if not text.strip():
        await ReturnReasonTranslation.filter(reason_id=reason.id, locale=code).delete()
        return await with_translations(reason)
    checked = check_name(text, "name")
    try:
        await ReturnReasonTranslation.update_or_create(
            defaults={"name": checked}, reason_id=reason.id, locale=code
        )
    except IntegrityError:  # the same translation written at the same moment
        await ReturnReasonTranslation.filter(reason_id=reason.id, locale=code).update(name=checked)
    return await with_translations(reason)


async def reorder_reasons(reason_ids: Sequence[int]) -> list[ReturnReason]:
    """Put the listed reasons first, in that order; the others follow as they were."""
    if len(reason_ids) != len(set(reason_ids)):
        raise fail(Code.INVALID, "Name each reason once.", "reason_ids")
    async with atomic():
        rows = list(await ReturnReason.all().order_by("position", "id").select_for_update())
        by_id = {r.id: r for r in rows}
        for index, rid in enumerate(reason_ids):
            if rid not in by_id:
                raise not_found("The reason", "reason_ids", str(index))
        listed = set(reason_ids)
        ordered = [by_id[rid] for rid in reason_ids] + [r for r in rows if r.id not in listed]
        for position, reason in enumerate(ordered):
            if reason.position != position:
                await ReturnReason.filter(id=reason.id).update(position=position)
    return await list_reasons(active_only=False)


async def delete_reason(reason_id: int) -> None:
    """Delete a reason no return names; one that is used is refused (deactivate it)."""
    async with atomic():
        reason = await _reason(reason_id, lock=True)
        if await ReturnRequest.filter(reason_id=reason.id).exists():
            raise fail(
                Code.IN_USE,
                "Returns name this reason: deactivate it instead, so they keep it.",
                "reason_id",
            )
        await reason.delete()


async def used_reason_ids(reason_ids: Sequence[int]) -> set[int]:
    """Which of these reasons returns name (those can only be deactivated)."""
    if not reason_ids:
        return set()
    rows = await ReturnRequest.filter(reason_id__in=list(reason_ids)).values("reason_id")
    return {int(row["reason_id"]) for row in rows if row["reason_id"] is not None}
