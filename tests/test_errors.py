"""The service error kit (fail, not_found, the problems collector, validation by models) and
the GraphQL layer's spelling of its snake_case field paths."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, Field

from schema.errors import BadUserInput, field_path
from services.catalog import errors as catalog_errors
from services.catalog.errors import CatalogError, CatalogErrorCode
from services.errors import Problem, Problems
from services.members.errors import MemberError, MemberErrorCode
from services.orders import errors as order_errors
from services.orders.errors import OrderError, OrderErrorCode
from services.reviews.errors import ReviewError, ReviewErrorCode
from services.stats.errors import StatsError, StatsErrorCode
from services.validation import Input, refuse, validate, validated


def test_fail_raises_the_domains_own_error_with_one_problem():
    error = order_errors.fail(OrderErrorCode.CART_EMPTY, "The cart is empty.", "cart_token")
    assert type(error) is OrderError
    assert error.problems == [
        Problem(OrderErrorCode.CART_EMPTY, "The cart is empty.", ("cart_token",))
    ]
    assert str(error) == "The cart is empty."
    assert StatsError.fail(StatsErrorCode.INVALID_RANGE, "No.").problems[0].field is None


def test_not_found_uses_the_domains_not_found_code():
    error = catalog_errors.not_found("The brand", "brand_id")
    assert type(error) is CatalogError
    assert error.problems == [
        Problem(CatalogErrorCode.NOT_FOUND, "The brand does not exist.", ("brand_id",))
    ]
    assert CatalogError.codes is CatalogErrorCode


def test_a_subclass_fails_as_itself():
    class Special(CatalogError):
        pass

    assert type(Special.fail(CatalogErrorCode.INVALID, "x")) is Special


def test_problems_collect_and_raise_together_as_the_domain_error():
    problems = Problems(MemberError)
    assert not problems
    problems.raise_if_any()  # nothing noted: nothing raised
    problems.add(MemberErrorCode.REQUIRED, "Give a name.", "full_name")
    problems.add(MemberErrorCode.INVALID, "Too long.", "lines", "0", "note")
    assert problems.has("lines")
    assert problems.has("lines", "0")
    assert not problems.has("city")
    with pytest.raises(MemberError) as raised:
        problems.raise_if_any()
    assert [p.field for p in raised.value.problems] == [("full_name",), ("lines", "0", "note")]


def test_problems_refuse_nulls_of_fields_that_cannot_be_cleared():
    problems = Problems(ReviewError)
    problems.refuse_nulls({"title": None, "body": None, "rating": 4}, nullable=("body",))
    assert [(p.code, p.field) for p in problems.items] == [(ReviewErrorCode.REQUIRED, ("title",))]
    only = Problems(ReviewError)
    only.refuse_nulls({"title": None, "body": None}, only=("body",))
    assert [p.field for p in only.items] == [("body",)]


def test_problems_take_another_domains_problems_under_the_same_code_name():
    problems = Problems(MemberError)
    problems.add_from(
        OrderError(
            [
                Problem(OrderErrorCode.INVALID_EMAIL, "Bad.", ("email",)),
                Problem(OrderErrorCode.CART_EMPTY, "Empty.", None),
            ]
        )
    )
    assert [p.code for p in problems.items] == [
        MemberErrorCode.INVALID_EMAIL,
        MemberErrorCode.INVALID,
    ]


def _no_shouting(value: str) -> str:
    if value.isupper():
        refuse("INVALID_SLUG", "Not {in capitals}.")
    return value


class _Line(Input):
    variant_id: int
    note: Annotated[str, AfterValidator(_no_shouting)] = ""


class _Order(Input):
    full_name: Annotated[str, Field(max_length=5)]
    lines: list[_Line] = []


def test_validation_maps_each_failure_to_a_code_message_and_snake_case_path():
    problems = Problems(CatalogError)
    given = {"full_name": "Too long a name", "lines": [{"variant_id": 1}, {"note": "LOUD"}]}
    assert validate(_Order, given, problems, "input") is None
    found = {p.field: (p.code, p.message) for p in problems.items}
    assert found[("input", "full_name")][0] is CatalogErrorCode.INVALID  # no TOO_LONG in catalog
    assert found[("input", "lines", "1", "variant_id")][0] is CatalogErrorCode.REQUIRED
    # A validator's own kind and message, braces and all.
    assert found[("input", "lines", "1", "note")] == (
        CatalogErrorCode.INVALID_SLUG,
        "Not {in capitals}.",
    )


def test_validation_prefers_the_domains_own_code_for_a_kind():
    with pytest.raises(ReviewError) as raised:
        validated(_Order, {"full_name": "Abcdefg"}, ReviewError)
    assert [(p.code, p.field) for p in raised.value.problems] == [
        (ReviewErrorCode.TOO_LONG, ("full_name",))
    ]
    assert validated(_Order, {"full_name": "Ab"}, ReviewError).full_name == "Ab"


@pytest.mark.parametrize(
    ("field", "path"),
    [
        (("lines", "0", "variant_id"), ["lines", "0", "variantId"]),
        (("shipping_address", "postal_code"), ["shippingAddress", "postalCode"]),
        (("unpublishAt",), ["unpublishAt"]),
        (("address_line1", "12"), ["addressLine1", "12"]),
        (None, None),
    ],
)
def test_the_graphql_layer_camel_cases_each_segment_once(field, path):
    problem = Problem(OrderErrorCode.INVALID, "x", field)
    assert field_path(problem) == path
    if path:
        assert field_path(Problem(OrderErrorCode.INVALID, "x", tuple(path))) == path


def test_bad_user_input_spells_paths_as_the_schema_does():
    error = BadUserInput.from_service_error(
        OrderError(Problem(OrderErrorCode.INVALID, "x", ("min_total",)))
    )
    assert (error.extensions or {})["problems"] == [
        {"code": "INVALID", "message": "x", "field": ["minTotal"]}
    ]
