"""The text of product search, without I/O: normalising, documents, words and query terms.

Both the index and every query go through `normalize`, so matching is a plain substring
test on either database: full-width and half-width forms, case and compatibility
characters (NFKC, then case folding) compare equal, and no client character reaches SQL
unescaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: A search longer than this (in characters, as given) is refused.
MAX_SEARCH_LENGTH = 200
#: Terms beyond these are ignored; each term is cut to `MAX_TERM_LENGTH` characters.
MAX_TERMS = 8
MAX_TERM_LENGTH = 64
#: Typo tolerance (as most shop search engines do): none below 4 letters, one edit from
#: 4, two from 8.
TYPO_MIN_LENGTH = 4
TWO_TYPOS_LENGTH = 8
#: Words longer than this are not kept in the vocabulary (they are codes, not words).
MAX_WORD_LENGTH = 32

# Control characters (NUL included) separate words; they never reach the database.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")
# Letters only: a word for typo correction has no digits (SPF50 is a code, not a typo).
_WORD = re.compile(r"[^\W\d_]+")
# Characters of scripts written without spaces: their "words" are whole phrases.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def normalize(text: str) -> str:
    """`text` as the index stores it: NFKC, case-folded, control characters as spaces,
    runs of white space as one space, trimmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _CONTROL.sub(" ", folded)).strip()


def _strip_punctuation(term: str) -> str:
    """The term without punctuation or symbols at either end (`"jacket"` -> `jacket`)."""
    start, end = 0, len(term)
    while start < end and not term[start].isalnum():
        start += 1
    while end > start and not term[end - 1].isalnum():
        end -= 1
    return term[start:end]


def query_terms(text: str) -> list[str]:
    """The terms a search asks for, normalised: split at white space, punctuation trimmed,
    empty ones dropped, at most `MAX_TERMS`, each at most `MAX_TERM_LENGTH` characters."""
    terms: list[str] = []
    for raw in normalize(text).split(" "):
        term = _strip_punctuation(raw)[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def is_typo_candidate(term: str) -> bool:
    """Whether a misspelling of `term` is worth correcting: a word of letters, long enough,
    in a script written with spaces."""
    return (
        TYPO_MIN_LENGTH <= len(term) <= MAX_WORD_LENGTH
        and _WORD.fullmatch(term) is not None
        and not _UNSPACED.search(term)
    )


def max_typos(term: str) -> int:
    return 2 if len(term) >= TWO_TYPOS_LENGTH else 1


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What one product's index row holds."""

    names: str
    document: str

    def words(self) -> set[str]:
        """The words typos may be corrected to."""
        return words_of(self.document)


def words_of(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if is_typo_candidate(w)}


def build_document(
    *,
    names: Iterable[str | None],
    codes: Iterable[str | None],
    descriptions: Iterable[str | None],
) -> SearchDocument:
    """The index row of a product: its `names` (in every language) first, then its brand,
    model and SKUs (`codes`), then its `descriptions`.

    Every name starts a line, so "the search starts a name" is a search for newline + text;
    codes start theirs with a tab, so they match terms but never start a name.
    """
    head = "".join(f"\n{line}" for line in _lines(names))
    head += "".join(f"\n\t{line}" for line in _lines(codes))
    body = "".join(f"\n{line}" for line in _lines(descriptions))
    return SearchDocument(names=head, document=head + body)


def _lines(values: Iterable[str | None]) -> Sequence[str]:
    seen: list[str] = []
    for value in values:
        line = normalize(value or "")
        if line and line not in seen:
            seen.append(line)
    return seen
