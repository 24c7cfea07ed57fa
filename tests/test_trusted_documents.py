"""The trusted manifest: current with web/, every document valid, and the extraction itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from schema.persisted import MANIFEST, sha256, trusted_documents
from server import build_schema
from tools.trusted_documents import Extractor, manifest, render


@pytest.fixture(scope="module")
def found():
    return Extractor().documents()


def test_the_committed_manifest_matches_the_web_sources(found):
    assert MANIFEST.read_text(encoding="utf-8") == render(manifest(found)), (
        "schema/trusted_documents.json is stale: run `make trusted-documents`"
    )


def test_no_document_is_built_at_run_time(found):
    assert [f"{f.path}:{f.line}" for f in found if f.text is None] == []


def test_every_trusted_document_is_valid_against_the_schema():
    schema = build_schema()._schema
    invalid = {
        digest[:12]: [e.message for e in errors]
        for digest, text in trusted_documents().items()
        if (errors := validate(schema, parse(text)))
    }
    assert invalid == {}


def test_the_storefront_and_console_documents_are_in_it():
    names = {
        definition.name.value
        for text in trusted_documents().values()
        for definition in parse(text).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name
    }
    # The catalog grid, the cart, checkout, the session refresh, a console screen.
    assert {"Products", "Cart", "PlaceOrder", "Refresh", "ConsoleViewer"} <= names


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_substitutions_resolve_through_constants_objects_and_imports(tmp_path):
    write(tmp_path, "fields.js", 'export const MONEY = "amount currency";\nexport const N = 5;\n')
    write(
        tmp_path,
        "screen.js",
        'import { MONEY as M, N } from "./fields.js";\n'
        "const PRICE = `price { ${M} }`;\n"
        "const DOCS = { list: `query List { products(first: ${N}) { nodes { ${PRICE} } } }` };\n"
        "export const AGAIN = DOCS.list;\n"
        'const ESCAPED = "query Q { a(s: \\"\\u00e9\\") }";\n',
    )
    texts = [f.text for f in Extractor(tmp_path).documents()]
    assert texts == [
        "query List { products(first: 5) { nodes { price { amount currency } } } }",
        'query Q { a(s: "\u00e9") }',
    ]


def test_a_document_built_from_an_argument_is_reported_dynamic(tmp_path):
    write(tmp_path, "screen.js", "const TOGGLE = (name) => `mutation T { ${name} { ok } }`;\n")
    (found,) = Extractor(tmp_path).documents()
    assert found.text is None and found.line == 1
    with pytest.raises(ValueError, match=r"screen\.js:1"):
        manifest([found])


def test_the_manifest_is_keyed_by_the_hash_clients_send():
    text = "query Providers { oauthProviders }"
    assert trusted_documents()[sha256(text)] == text
