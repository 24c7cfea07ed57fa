"""The GraphQL floor: what executing a document costs with nothing else to do.

graphql-core executes the document over the answer the server gave, held in memory as
plain dicts, against the server's own schema (its SDL, `schema/schema.graphql`), with the
default resolvers. No database, no ORM, no Python resolvers, no HTTP: what is left is the
execution engine walking the same fields and serializing the same scalars and enums. The
server's CPU time per request divided by this one says how much of a request is ours.

Parsing and validation are left out of both sides' comparison on purpose: the server
parses each request once and validates a document once (its validation cache), so the
floor executes an already parsed document, as the server's warm path does.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_schema, execute_sync, parse

SDL = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


@cache
def floor_schema() -> GraphQLSchema:
    """The server's schema rebuilt from its SDL: same types, no resolvers."""
    return build_schema(SDL.read_text(encoding="utf-8"))


def cpu_ms_per_execution(
    query: str, variables: Mapping[str, Any] | None, data: Mapping[str, Any], *, runs: int = 200
) -> float:
    """CPU milliseconds graphql-core takes to execute `query` over `data` (its answer).

    Fails when the execution differs from `data`: the floor must do the same work.
    """
    schema, document = floor_schema(), parse(query)
    first = execute_sync(schema, document, root_value=data, variable_values=dict(variables or {}))
    if first.errors or first.data != data:
        raise ValueError(f"the floor's answer differs from the server's: {first.errors}")
    started = time.process_time()
    for _ in range(runs):
        execute_sync(schema, document, root_value=data, variable_values=dict(variables or {}))
    return (time.process_time() - started) / runs * 1000
