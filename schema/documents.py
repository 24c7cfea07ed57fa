"""GraphQL documents parsed once per text, and never past the token limit.

The HTTP endpoint parses a request's document first (to refuse a mutation sent with GET and
to key the response cache); strawberry's execution then finds the same document here
instead of parsing the text again. Parsing stops at `MAX_QUERY_TOKENS` tokens, so its cost
is bounded whatever the size of the text.
"""

from __future__ import annotations

from collections.abc import Iterator

from cachetools import LRUCache
from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension

#: Texts of recently parsed documents kept, counted in characters (with a floor per entry).
CACHE_CHARACTERS = 16 * 1024 * 1024
_ENTRY_FLOOR = 4096

_documents: LRUCache[tuple[str, int], DocumentNode] = LRUCache(
    maxsize=CACHE_CHARACTERS, getsizeof=lambda document: _size(document)
)


def _size(document: DocumentNode) -> int:
    source = document.loc.source.body if document.loc else ""
    return max(len(source), _ENTRY_FLOOR)


def parse_document(query: str, *, max_tokens: int) -> DocumentNode:
    """The document `query` holds; raises `GraphQLError` on a syntax error or past `max_tokens`."""
    key = (query, max_tokens)
    document = _documents.get(key)
    if document is None:
        document = parse(query, max_tokens=max_tokens)
        if _size(document) <= CACHE_CHARACTERS // 8:
            _documents[key] = document
    return document


class LimitedParser(SchemaExtension):
    """Hands strawberry the document `parse_document` made (or makes) for the query text."""

    def __init__(self, *, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = parse_document(context.query, max_tokens=self.max_tokens)
        yield
