"""Choosing the language of a response from what the client asks for."""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale, UnknownLocaleError


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an `Accept-Language` header, most preferred first."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(preferred: Sequence[str], supported: Sequence[str], default: str) -> str:
    """The supported locale that best matches the preferences (exact tag, then language)."""
    for tag in preferred:
        normalized = tag.replace("_", "-")
        if normalized in supported:
            return normalized
        try:
            language = Locale.parse(normalized, sep="-").language
        except (ValueError, UnknownLocaleError):
            language = normalized.split("-")[0].lower()
        if language in supported:
            return language
    return default
