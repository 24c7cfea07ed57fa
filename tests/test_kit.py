"""The GraphQL kit: service errors to payloads, global IDs decoded with their checks."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.relay.utils import to_base64

from schema.errors import BadUserInput, UserError
from schema.kit import (
    KitErrorCode,
    UnmappedErrorCode,
    argument_pk,
    errors_for,
    input_pk,
    mutation,
)
from schema.relay import MAX_KEY, encode_id
from services.errors import Problem, ServiceError


class GadgetErrorCode(Enum):
    NOT_FOUND = "not_found"
    TOO_BIG = "too_big"


class OtherErrorCode(Enum):
    TOO_BIG = "other_too_big"
    MELTED = "melted"


GadgetErrorCodeEnum = strawberry.enum(GadgetErrorCode, name="GadgetErrorCode")


@strawberry.type(name="GadgetError")
class GadgetErrorType(UserError):
    code: GadgetErrorCodeEnum  # type: ignore[valid-type]
    hint: str | None = None

    @classmethod
    def extra_fields(cls, exc: ServiceError, info: object) -> dict[str, object]:
        return {"hint": getattr(exc, "hint", None)}


@strawberry.type
class GadgetPayload:
    size: int | None = None
    errors: list[GadgetErrorType] = strawberry.field(default_factory=list)


class GadgetError(ServiceError):
    hint = "smaller"


def test_several_problems_become_payload_errors_mapped_by_code_name():
    exc = GadgetError(
        [
            Problem(GadgetErrorCode.TOO_BIG, "Too big.", ("size",)),
            # Another enum's member of the same name maps too: codes go by name.
            Problem(OtherErrorCode.TOO_BIG, "Still too big.", ("parts", "0", "size")),
            Problem(KitErrorCode.NOT_FOUND, "The gadget does not exist."),
        ]
    )
    errors = errors_for(GadgetPayload, exc)
    assert [(e.code, e.message, e.field, e.hint) for e in errors] == [
        (GadgetErrorCode.TOO_BIG, "Too big.", ["size"], "smaller"),
        (GadgetErrorCode.TOO_BIG, "Still too big.", ["parts", "0", "size"], "smaller"),
        (GadgetErrorCode.NOT_FOUND, "The gadget does not exist.", None, "smaller"),
    ]


def test_a_code_the_payload_enum_lacks_is_a_bug():
    exc: ServiceError[Any] = ServiceError(Problem(OtherErrorCode.MELTED, "Melted."))
    with pytest.raises(UnmappedErrorCode):
        errors_for(GadgetPayload, exc)


@pytest.mark.parametrize(
    "value",
    [
        encode_id("Widget", 5),  # another type
        encode_id("Gadget", 0),
        encode_id("Gadget", -3),
        encode_id("Gadget", MAX_KEY + 1),  # past the key column
        strawberry.ID(to_base64("Gadget", "x7")),
        "not base64 at all",
        "",
    ],
)
def test_a_bad_global_id_reads_as_not_found_at_the_input_field(value):
    with pytest.raises(ServiceError) as caught:
        input_pk(value, "Gadget", "parts", "0", "gadgetId", what="The gadget")
    [problem] = caught.value.problems
    assert problem == Problem(
        KitErrorCode.NOT_FOUND, "The gadget does not exist.", ("parts", "0", "gadgetId")
    )
    with pytest.raises(BadUserInput) as bad:
        argument_pk(value, "Gadget", "gadgetId")
    assert bad.value.message == "Not a Gadget ID."
    assert bad.value.extensions == {"code": "BAD_USER_INPUT", "field": "gadgetId"}


def test_a_good_global_id_gives_its_key():
    assert input_pk(encode_id("Gadget", MAX_KEY), "Gadget", "id") == MAX_KEY
    assert argument_pk(encode_id("Gadget", 1), "Gadget", "id") == 1


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Mutation:
    @mutation(description="Sizes a gadget.")
    async def size_gadget(self, id: strawberry.ID, size: int) -> GadgetPayload:
        pk = input_pk(id, "Gadget", "id", what="The gadget")
        if size > 10:
            raise GadgetError(
                [
                    Problem(GadgetErrorCode.TOO_BIG, "Too big.", ("size",)),
                    Problem(GadgetErrorCode.TOO_BIG, "Far too big.", ("size",)),
                ]
            )
        if size < 0:
            raise ServiceError(Problem(OtherErrorCode.MELTED, "Melted."))
        return GadgetPayload(size=pk * size)

    @mutation()
    def sync_gadget(self, size: int) -> GadgetPayload:
        raise GadgetError(Problem(GadgetErrorCode.TOO_BIG, "Too big.", ("size",)))


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)
SIZE = """mutation($id: ID!, $size: Int!) {
  sizeGadget(id: $id, size: $size) { size errors { code message field hint } }
}"""


async def test_a_mutation_returns_its_payload_with_the_service_errors():
    ok = await SCHEMA.execute(SIZE, {"id": encode_id("Gadget", 2), "size": 3})
    assert ok.data == {"sizeGadget": {"size": 6, "errors": []}}
    big = await SCHEMA.execute(SIZE, {"id": encode_id("Gadget", 2), "size": 11})
    error = {"code": "TOO_BIG", "field": ["size"], "hint": "smaller"}
    assert big.errors is None
    assert big.data == {
        "sizeGadget": {
            "size": None,
            "errors": [{**error, "message": "Too big."}, {**error, "message": "Far too big."}],
        }
    }
    missing = await SCHEMA.execute(SIZE, {"id": encode_id("Widget", 2), "size": 1})
    assert missing.data == {
        "sizeGadget": {
            "size": None,
            "errors": [
                {
                    "code": "NOT_FOUND",
                    "message": "The gadget does not exist.",
                    "field": ["id"],
                    "hint": None,
                }
            ],
        }
    }
    sync = await SCHEMA.execute("mutation { syncGadget(size: 1) { errors { code } } }")
    assert sync.data == {"syncGadget": {"errors": [{"code": "TOO_BIG"}]}}


async def test_an_unmapped_code_is_raised_not_turned_into_a_payload():
    result = await SCHEMA.execute(SIZE, {"id": encode_id("Gadget", 2), "size": -1})
    assert result.data is None
    assert result.errors is not None
    assert isinstance(result.errors[0].original_error, UnmappedErrorCode)


class _Rows:
    """A loader of rows by key, as the request's loaders answer."""

    def __init__(self, rows: dict[int, object]) -> None:
        self.rows = rows
        self.asked: list[list[int]] = []

    async def load_many(self, keys: list[int]) -> list[object | None]:
        self.asked.append(keys)
        return [self.rows.get(k) for k in keys]


class _Info:
    def __init__(self, loader: _Rows) -> None:
        self.context = type("Ctx", (), {"loaders": type("L", (), {"gadget": loader})()})()


async def test_the_node_lookup_loads_once_hides_what_the_viewer_may_not_see_and_keeps_order():
    from schema.kit.nodes import NodeSource, built_by, each, lookup

    loader = _Rows({1: "one", 2: "secret", 3: "three"})
    sources = {
        "Gadget": NodeSource(
            "gadget",
            built_by(lambda row, info: row.upper()),
            each(lambda row, info: row != "secret"),
        )
    }
    info = _Info(loader)
    found = await lookup(sources, info, "Gadget", ["3", "2", "1", "9", "abc", "0", str(2**31), "3"])
    assert found == ["THREE", None, "ONE", None, None, None, None, "THREE"]
    assert len(loader.asked) == 1  # one batch; keys that cannot be rows never reach it
    assert await lookup(sources, info, "Widget", ["1"]) == [None]


def test_every_type_of_the_node_interface_has_a_node_source():
    from graphql import GraphQLObjectType

    from schema.nodes import NODE_SOURCES
    from server import build_schema

    graphql_schema = build_schema()._schema
    node_types = {
        name
        for name, type_ in graphql_schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and any(i.name == "Node" for i in type_.interfaces)
    }
    assert node_types == set(NODE_SOURCES)
