"""Product search: the index kept current, and the SQL that matches and ranks against it.

The index is one row per product (`ProductSearch`), written by this module whenever a
product's text changes, in the transaction of the change. A table kept by the service
layer rather than triggers on the catalog tables: the document needs the product, its
translations, brand and variants normalised the same way on both databases (NFKC and
case folding, which neither database does alike), and the bulk paths (the benchmark seed)
rebuild it in batches. Each backend then indexes that one column its own way:

- SQLite: an FTS5 table with the trigram tokenizer over `document` (external content,
  kept in step with the row by three triggers on the index table itself, the pattern the
  FTS5 manual gives). A term of 3 characters or more is a trigram phrase query; a shorter
  one (two Chinese characters, "防晒") is a `LIKE` over the index table, which reads every
  row of it.
- PostgreSQL: a GIN `gin_trgm_ops` index (pg_trgm) over `document`, which serves
  `LIKE '%term%'` for terms of 3 characters or more; shorter ones read every row.

Matching is the same on both: every term is a substring of the document. A term that is
not a word of the catalog's vocabulary (`SearchWord`) also matches the vocabulary words a
typo or two away (`jaket` -> `jacket`), found among the words sharing its first letter and
about its length and measured in Python (rapidfuzz), so both backends correct alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Term, ValueWrapper
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models.catalog import (
    Brand,
    Product,
    ProductSearch,
    ProductTranslation,
    ProductVariant,
    SearchWord,
)
from services.catalog.errors import CatalogErrorCode, fail
from services.catalog.search_text import (
    MAX_SEARCH_LENGTH,
    SearchDocument,
    build_document,
    is_typo_candidate,
    max_typos,
    query_terms,
)

#: Products rewritten per round of reads.
BATCH_SIZE = 500
#: Corrections kept per misspelt term, closest first.
MAX_CORRECTIONS = 5
#: Vocabulary words compared with one misspelt term, at most.
MAX_CANDIDATES = 5000
#: The FTS5 table of SQLite (migration 0027).
FTS_TABLE = "catalog_product_search_fts"
#: Relevance of a product, highest first: the search starts one of its names; every term
#: is in its names (name in any language, brand, model, SKU); every term is in its text;
#: with typos corrected, every term is in its names; in its text.
STARTS_A_NAME, IN_NAMES, IN_TEXT, CORRECTED_IN_NAMES, CORRECTED = 4, 3, 2, 1, 0


# --- the index ---------------------------------------------------------------------


def _connection() -> BaseDBAsyncClient:
    return connections.get("default")


def _is_sqlite() -> bool:
    return bool(_connection().capabilities.dialect == "sqlite")


async def _documents(product_ids: Sequence[int]) -> dict[int, SearchDocument]:
    """The index rows of the products that exist among `product_ids`.

    On PostgreSQL the products are locked (and their brands share-locked) until the
    transaction ends, so two changes to one product write its row one after the other,
    the second reading what the first committed.
    """
    postgres = not _is_sqlite()  # SQLite runs one writing transaction at a time anyway
    if postgres:
        # In id order, so that two transactions refreshing overlapping sets never deadlock;
        # NO KEY, so that inserting a translation or variant (a key-share lock on the
        # product) never waits for it.
        await _connection().execute_query(
            "SELECT id FROM catalog_product WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
            [list(product_ids)],
        )
    products = await Product.filter(id__in=list(product_ids)).values(
        "id", "name", "description", "model", "brand_id"
    )
    if not products:
        return {}
    brand_ids = sorted({p["brand_id"] for p in products if p["brand_id"] is not None})
    if brand_ids and postgres:
        # A rename waits for this transaction, then rewrites every row of the brand's
        # products, this one included; share locks let other products go on at once.
        await _connection().execute_query(
            "SELECT id FROM catalog_brand WHERE id = ANY($1) ORDER BY id FOR SHARE", [brand_ids]
        )
    brands = dict(await Brand.filter(id__in=brand_ids).values_list("id", "name"))
    names: dict[int, list[str | None]] = defaultdict(list)
    descriptions: dict[int, list[str | None]] = defaultdict(list)
    for row in await (
        ProductTranslation.filter(product_id__in=[p["id"] for p in products])
        .order_by("locale", "id")
        .values("product_id", "name", "description")
    ):
        names[row["product_id"]].append(row["name"])
        descriptions[row["product_id"]].append(row["description"])
    skus: dict[int, list[str | None]] = defaultdict(list)
    for product_id, sku in await (
        ProductVariant.filter(product_id__in=[p["id"] for p in products])
        .order_by("position", "id")
        .values_list("product_id", "sku")
    ):
        skus[product_id].append(sku)
    return {
        p["id"]: build_document(
            names=[p["name"], *names[p["id"]]],
            codes=[brands.get(p["brand_id"]), p["model"], *skus[p["id"]]],
            descriptions=[p["description"], *descriptions[p["id"]]],
        )
        for p in products
    }


async def _add_words(documents: Iterable[SearchDocument]) -> None:
    words: set[str] = set()
    for document in documents:
        words |= document.words()
    if not words:
        return
    known = set(await SearchWord.filter(word__in=list(words)).values_list("word", flat=True))
    new = sorted(words - known)
    if new:
        await SearchWord.bulk_create(
            [SearchWord(word=w, initial=w[0], length=len(w)) for w in new],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,  # another transaction may add the same word meanwhile
        )


async def refresh(product_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these products from their text as it is now.

    Call it inside the transaction that changed the text; a product that no longer
    exists loses its row.
    """
    ids = sorted(set(product_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        documents = await _documents(batch)
        await ProductSearch.filter(product_id__in=batch).delete()
        await ProductSearch.bulk_create(
            [
                ProductSearch(product_id=pid, names=d.names, document=d.document)
                for pid, d in documents.items()
            ],
            batch_size=BATCH_SIZE,
        )
        await _add_words(documents.values())


async def lock_brand_products(brand_id: int) -> None:
    """Before a brand is renamed: lock its products (PostgreSQL), so that the rename takes
    its locks in the order every product change does (product, then brand)."""
    if not _is_sqlite():
        await _connection().execute_query(
            "SELECT id FROM catalog_product WHERE brand_id = $1 ORDER BY id FOR NO KEY UPDATE",
            [brand_id],
        )


async def refresh_brand(brand_id: int) -> None:
    """Rewrite the index rows of the brand's products (after a rename)."""
    ids = cast(list[int], await Product.filter(brand_id=brand_id).values_list("id", flat=True))
    await refresh(ids)


async def rebuild() -> int:
    """Index every product afresh (after bulk loads, or to drop unused vocabulary).

    Returns the number of products indexed.
    """
    await ProductSearch.all().delete()
    await SearchWord.all().delete()
    ids = cast(list[int], await Product.all().order_by("id").values_list("id", flat=True))
    await refresh(ids)
    return len(ids)


# --- queries -----------------------------------------------------------------------


class _Sql(Term):
    """SQL text whose `?` marks are bound to `params` as query parameters, in order.

    Only the module's own SQL text goes here; every client value is a parameter.
    """

    def __init__(self, sql: str, params: Sequence[Any] = ()) -> None:
        super().__init__()
        self.sql = sql
        self.params = list(params)

    def get_sql(self, ctx: SqlContext) -> str:
        pieces = self.sql.split("?")
        if len(pieces) != len(self.params) + 1:
            raise ValueError("One parameter per `?` mark.")
        out = [pieces[0]]
        for value, piece in zip(self.params, pieces[1:], strict=True):
            out.extend((ValueWrapper(value).get_sql(ctx), piece))
        sql = "".join(out)
        if ctx.with_alias and self.alias:
            return f'{sql} "{self.alias}"'
        return sql


def _like(text: str, *, starting: str = "") -> str:
    """A LIKE pattern for `text` anywhere (after `starting`), its wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{starting}{escaped}%"


def _fts_string(text: str) -> str:
    """`text` as one FTS5 string: a literal, whatever characters it holds."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """A search made ready to run: its terms, and for each the words it also matches."""

    terms: tuple[str, ...]
    #: Per term: the term itself first, then its typo corrections.
    alternatives: tuple[tuple[str, ...], ...]

    def ids(self) -> Term:
        """A subquery of the ids of matching products, for `id__in`."""
        where: list[str] = []
        params: list[Any] = []
        scanned = list(self.alternatives)
        if _is_sqlite():
            # FTS5's trigram index serves terms of 3 characters or more; LIKE reads the rest.
            indexed = [alts for alts in scanned if all(len(a) >= 3 for a in alts)]
            scanned = [alts for alts in scanned if alts not in indexed]
            if indexed:
                where.append(f"s.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
                params.append(
                    " AND ".join(
                        "(" + " OR ".join(_fts_string(a) for a in alts) + ")" for alts in indexed
                    )
                )
        for alts in scanned:
            where.append("(" + " OR ".join(["s.document LIKE ? ESCAPE '\\'"] * len(alts)) + ")")
            params.extend(_like(a) for a in alts)
        return _Sql(
            f"(SELECT s.product_id FROM catalog_product_search s WHERE {' AND '.join(where)})",
            params,
        )

    def relevance(self) -> Term:
        """The product's relevance (`STARTS_A_NAME` ... `CORRECTED`), for `annotate`."""
        like = "LIKE ? ESCAPE '\\'"
        params: list[Any] = [_like(" ".join(self.terms), starting="\n")]
        cases = [f"WHEN s.names {like} THEN {STARTS_A_NAME}"]
        cases.append("WHEN " + " AND ".join([f"s.names {like}"] * len(self.terms)))
        cases[-1] += f" THEN {IN_NAMES}"
        params.extend(_like(t) for t in self.terms)
        cases.append("WHEN " + " AND ".join([f"s.document {like}"] * len(self.terms)))
        cases[-1] += f" THEN {IN_TEXT}"
        params.extend(_like(t) for t in self.terms)
        if any(len(alts) > 1 for alts in self.alternatives):
            either = " AND ".join(
                "(" + " OR ".join([f"s.names {like}"] * len(alts)) + ")"
                for alts in self.alternatives
            )
            cases.append(f"WHEN {either} THEN {CORRECTED_IN_NAMES}")
            params.extend(_like(a) for alts in self.alternatives for a in alts)
        sql = (
            f"(SELECT CASE {' '.join(cases)} ELSE {CORRECTED} END "
            'FROM catalog_product_search s WHERE s.product_id = "catalog_product"."id")'
        )
        return _Sql(sql, params)


def check_search(text: str) -> None:
    """Refuse a search too long to be meant."""
    if len(text) > MAX_SEARCH_LENGTH:
        raise fail(
            CatalogErrorCode.INVALID,
            f"A search may be at most {MAX_SEARCH_LENGTH} characters.",
            "filter",
            "search",
        )


def exact_match(text: str) -> SearchMatch | None:
    """The search without typo corrections; None when it has nothing to search for."""
    check_search(text)
    terms = tuple(query_terms(text))
    if not terms:
        return None
    return SearchMatch(terms=terms, alternatives=tuple((t,) for t in terms))


async def corrections(term: str) -> list[str]:
    """Vocabulary words a typo or two from `term` (none when `term` is itself a word)."""
    if not is_typo_candidate(term) or await SearchWord.exists(word=term):
        return []
    typos = max_typos(term)
    candidates = (
        await SearchWord.filter(
            initial=term[0], length__gte=len(term) - typos, length__lte=len(term) + typos
        )
        .limit(MAX_CANDIDATES)
        .values_list("word", flat=True)
    )
    # Optimal string alignment: a swap of neighbours ("jakcet") is one typo, as people see it.
    found = extract(
        term, candidates, scorer=OSA.distance, score_cutoff=typos, limit=MAX_CORRECTIONS
    )
    return [str(word) for word, _distance, _index in sorted(found, key=lambda f: (f[1], f[0]))]


async def match(text: str) -> SearchMatch | None:
    """The search with each term's typo corrections; None when it has nothing to search for."""
    exact = exact_match(text)
    if exact is None:
        return None
    alternatives = [(t, *await corrections(t)) for t in exact.terms]
    return SearchMatch(terms=exact.terms, alternatives=tuple(alternatives))
