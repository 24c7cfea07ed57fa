import re
import unicodedata

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# The index text as services.catalog.search_text builds it at this migration (migrations
# stand alone: a later change of the rules reindexes with `cli.py reindex-search`).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def _normalize(text):
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACES.sub(" ", _CONTROL.sub(" ", folded)).strip()


def _lines(values):
    seen = []
    for value in values:
        line = _normalize(value)
        if line and line not in seen:
            seen.append(line)
    return seen


def _document(names, codes, descriptions):
    head = "".join(f"\n{line}" for line in _lines(names))
    head += "".join(f"\n\t{line}" for line in _lines(codes))
    return head, head + "".join(f"\n{line}" for line in _lines(descriptions))


def _words(text):
    return {w for w in _WORD.findall(text) if 4 <= len(w) <= 32 and not _UNSPACED.search(w)}


#: SQLite: a full-text table over the index's `document` (trigram tokenizer, SQLite 3.34 or
#: later), kept in step with the index table by its triggers (FTS5 "external content").
SQLITE = [
    "CREATE VIRTUAL TABLE catalog_product_search_fts USING fts5(document, "
    "content='catalog_product_search', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER catalog_product_search_ai AFTER INSERT ON catalog_product_search BEGIN "
    "INSERT INTO catalog_product_search_fts(rowid, document) VALUES (new.id, new.document); END",
    "CREATE TRIGGER catalog_product_search_ad AFTER DELETE ON catalog_product_search BEGIN "
    "INSERT INTO catalog_product_search_fts(catalog_product_search_fts, rowid, document) "
    "VALUES ('delete', old.id, old.document); END",
    "CREATE TRIGGER catalog_product_search_au AFTER UPDATE ON catalog_product_search BEGIN "
    "INSERT INTO catalog_product_search_fts(catalog_product_search_fts, rowid, document) "
    "VALUES ('delete', old.id, old.document); "
    "INSERT INTO catalog_product_search_fts(rowid, document) VALUES (new.id, new.document); END",
]
#: The storefront's listing: products shoppers may see, by listing time (read backwards for
#: newest first), holding every column the visibility test and the facet counts read, so
#: both the first page and the facets are served from the index alone. Partial, hence
#: outside the models.
_LISTED = "CREATE INDEX catalog_product_listed_active ON catalog_product"
_FACET_COLUMNS = (
    "brand_id, category_id, origin_country, product_type, usage, price_min, "
    "publish_at, unpublish_at, early_access_until"
)
#: SQLite has no INCLUDE: the columns are keys after the order.
SQLITE.append(f"{_LISTED} (listed_at, id, {_FACET_COLUMNS}) WHERE status = 'active'")
#: PostgreSQL: a trigram index serving LIKE '%term%' over `document`, and the listing.
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX catalog_product_search_document_trgm ON catalog_product_search "
    "USING gin (document gin_trgm_ops)",
    f"{_LISTED} (listed_at, id) INCLUDE ({_FACET_COLUMNS}) WHERE status = 'active'",
]


class RunSQLOn(ops.RunSQL):
    """Statements for one database only (each backend indexes the text its own way), each
    sent whole: a trigger's body holds semicolons."""

    def __init__(self, dialect, sql):
        super().__init__(sql, reverse_sql=[])
        self.dialect = dialect

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is None or state_editor.client.capabilities.dialect != self.dialect:
            return
        for statement in self.sql:
            await state_editor.client.execute_query(statement)


async def index_products(apps, state_editor):
    """Index the products a shop already has, a thousand at a time."""
    client = state_editor.client
    mark = "?" if client.capabilities.dialect == "sqlite" else "$1"
    last = 0
    while True:
        products = await client.execute_query_dict(
            "SELECT p.id, p.name, p.description, p.model, b.name AS brand FROM catalog_product p "
            f"LEFT JOIN catalog_brand b ON b.id = p.brand_id WHERE p.id > {mark} "
            "ORDER BY p.id LIMIT 1000",
            [last],
        )
        if not products:
            return
        last = products[-1]["id"]
        first = products[0]["id"]
        between = f"product_id BETWEEN {int(first)} AND {int(last)}"
        translations = await client.execute_query_dict(
            "SELECT product_id, name, description FROM catalog_product_translation "
            f"WHERE {between} ORDER BY locale, id"
        )
        skus = await client.execute_query_dict(
            f"SELECT product_id, sku FROM catalog_product_variant WHERE {between} "
            "ORDER BY position, id"
        )
        words = set()
        for p in products:
            mine = [t for t in translations if t["product_id"] == p["id"]]
            names, document = _document(
                [p["name"], *(t["name"] for t in mine)],
                [p["brand"], p["model"], *(v["sku"] for v in skus if v["product_id"] == p["id"])],
                [p["description"], *(t["description"] for t in mine)],
            )
            words |= _words(document)
            marks = "?, ?, ?" if mark == "?" else "$1, $2, $3"
            await client.execute_query(
                "INSERT INTO catalog_product_search (product_id, names, document) "
                f"VALUES ({marks})",
                [p["id"], names, document],
            )
        for word in sorted(words):
            marks = "?, ?, ?" if mark == "?" else "$1, $2, $3"
            await client.execute_query(
                "INSERT INTO catalog_search_word (word, initial, length) "
                f"VALUES ({marks}) ON CONFLICT DO NOTHING",
                [word, word[0], len(word)],
            )


class Migration(migrations.Migration):
    dependencies = [("models", "0026_payment_methods")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProductSearch",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "product",
                    fields.OneToOneField(
                        "models.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="search_text",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("names", fields.TextField(unique=False)),
                ("document", fields.TextField(unique=False)),
            ],
            options={
                "table": "catalog_product_search",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A product's searchable text, normalised (NFKC, case-folded), one row per product.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "word",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32),
                ),
                ("initial", fields.CharField(description="The first letter.", max_length=1)),
                ("length", fields.SmallIntField()),
            ],
            options={
                "table": "catalog_search_word",
                "app": "models",
                "indexes": [Index(fields=["initial", "length"])],
                "pk_attr": "word",
                "table_description": "A word some product's text holds: the vocabulary typos are corrected against.",
            },
            bases=["Model"],
        ),
        # A page of products reads its variants and images by product; a brand's page
        # lists its products by listing time.
        ops.AddIndex(model_name="Product", index=Index(fields=["brand_id", "listed_at", "id"])),
        ops.AddIndex(
            model_name="ProductImage", index=Index(fields=["product_id", "position", "id"])
        ),
        ops.AddIndex(
            model_name="ProductVariant", index=Index(fields=["product_id", "position", "id"])
        ),
        RunSQLOn("sqlite", SQLITE),
        RunSQLOn("postgres", POSTGRES),
        ops.RunPython(index_products, reverse_code=ops.RunPython.noop),
    ]
