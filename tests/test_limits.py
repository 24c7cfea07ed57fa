"""Validation costs time linear in the document: fragment bombs are refused at once."""

from __future__ import annotations

from bench.bombs import fragment_bomb
from schema.limits import QueryLimits
from tests.factories import make_brand


def _refused_for_size(body: dict) -> str:
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "once its fragments are expanded" in error["message"]
    message: str = error["message"]
    return message


async def test_a_small_fragment_bomb_is_refused_for_its_expanded_size(client, settings):
    # 2^14 brand lists from 600 bytes: answered in full before the expanded size was bounded.
    await make_brand(name="Kaze")
    body = await client.request(fragment_bomb(14, leaf="brands { nodes { name } }"))
    message = _refused_for_size(body)
    assert f"selects {2**14 * 3} fields" in message
    assert f"at most {settings.max_query_fields}" in message


async def test_a_two_kilobyte_fragment_bomb_is_refused(client):
    # 63 levels: strawberry's limiters walked 2^63 paths here, which never finished.
    document = fragment_bomb(63)
    assert len(document.encode()) <= 2048
    message = _refused_for_size(await client.request(document))
    assert f"selects {2**63} fields" in message


async def test_a_bomb_is_refused_by_argument_too(client):
    # The same bomb inside one field's selection, spread through an object type.
    bomb = fragment_bomb(40, root="{ brands { nodes { ...a } } }", on="Brand", leaf="name")
    _refused_for_size(await client.request(bomb))


async def test_depth_is_measured_through_fragments(client, settings):
    depth = settings.max_query_depth + 1
    parts = ["{ categories { nodes { ...f0 } } }"]
    for i in range(depth):
        parts.append(f"fragment f{i} on Category {{ children {{ ...f{i + 1} }} }}")
    parts.append(f"fragment f{depth} on Category {{ name }}")
    body = await client.request("\n".join(parts))
    assert body["data"] is None
    [error] = body["errors"]
    assert "exceeds maximum operation depth" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_aliases_count_once_per_spread_of_their_fragment(client, settings):
    half = settings.max_aliases // 2 + 1
    aliases = " ".join(f"b{i}: __typename" for i in range(half))
    body = await client.request(
        f"{{ ...f ...g }} fragment f on Query {{ {aliases} }} fragment g on Query {{ ...f }}"
    )
    assert body["data"] is None
    assert (
        body["errors"][0]["message"] == f"{2 * half} aliases found. Allowed: {settings.max_aliases}"
    )


async def test_one_field_selected_too_often_is_refused(client, settings):
    # graphql-core compares same-named fields pair by pair: 500 of them took 2 s to validate.
    repeats = settings.max_field_repeats + 1
    body = await client.request("{ " + "brands { totalCount } " * repeats + "}")
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert f"selects the same field {repeats} times" in error["message"]


async def test_fields_repeated_through_fragments_count_too(client, settings):
    repeats = settings.max_field_repeats + 1
    spreads = " ".join(f"...g{i}" for i in range(repeats))
    fragments = " ".join(f"fragment g{i} on Brand {{ name slug }}" for i in range(repeats))
    body = await client.request(f"{{ brands {{ nodes {{ {spreads} }} }} }} {fragments}")
    assert body["data"] is None
    assert f"selects the same field {repeats} times" in body["errors"][0]["message"]


async def test_an_unknown_fragment_is_a_validation_error_not_a_bug(client):
    # strawberry's depth limiter looked the fragment up unguarded (a KeyError, masked as a bug).
    body = await client.request("{ brands { nodes { name } } ...Nope }")
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Unknown fragment 'Nope'" in error["message"]


async def test_fragments_that_spread_each_other_are_refused(client):
    body = await client.request(
        "{ ...a } fragment a on Query { __typename ...b } fragment b on Query { ...a }"
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Cannot spread fragment" in body["errors"][0]["message"]


async def test_documents_within_the_limits_are_answered(client):
    await make_brand(name="Kaze")
    body = await client.request(
        "{ ...a } fragment a on Query { ...b ...b } "
        "fragment b on Query { brands { nodes { name } } }"
    )
    assert body.get("errors") is None
    assert body["data"] == {"brands": {"nodes": [{"name": "Kaze"}]}}


def test_the_measure_is_linear_in_the_fragments():
    from graphql import parse

    limits = QueryLimits(max_fields=10**6, max_depth=10**6, max_aliases=10**6, max_repeats=10**6)
    # 200 levels would be 2^200 paths; measured once per fragment it is immediate.
    [error] = QueryLimits(max_fields=1000, max_depth=12, max_aliases=30, max_repeats=30).problems(
        parse(fragment_bomb(200))
    )
    assert f"selects {2**200} fields" in error.message
    assert limits.problems(parse(fragment_bomb(8))) == []
