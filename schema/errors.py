"""Errors: the payload `errors` shape, and the GraphQL errors clients are meant to see.

Expected failures of a mutation are payload errors (`UserError`); missing authentication
or permission and bad query arguments are GraphQL errors with `extensions.code`; anything
else is a bug, masked and logged with the request id.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.utils.str_converters import to_camel_case

from services.errors import Problem, ServiceError


class UserFacingError(GraphQLError):
    """A GraphQL error whose message is meant for the client; never masked."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Unauthenticated(UserFacingError):
    code = "UNAUTHENTICATED"


class Forbidden(UserFacingError):
    code = "FORBIDDEN"


class BadUserInput(UserFacingError):
    code = "BAD_USER_INPUT"

    @classmethod
    def from_service_error(cls, exc: ServiceError) -> BadUserInput:
        return cls(
            str(exc),
            problems=[
                {"code": p.code.name, "message": p.message, "field": field_path(p) or []}
                for p in exc.problems
            ],
        )


@strawberry.interface(description="An expected failure of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field at fault, if one is."
    )
    message: str


def field_path(problem: Problem) -> list[str] | None:
    """The problem's input path as the schema spells it: services name fields in snake_case
    (`("lines", "0", "variant_id")`), the schema in camelCase (`["lines", "0", "variantId"]`).

    Strawberry's own converter, so a path names exactly the input field the schema shows;
    a segment already camelCase, or an index, is left as it is.
    """
    return [to_camel_case(segment) for segment in problem.field] if problem.field else None
