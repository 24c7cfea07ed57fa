"""The members domain's payload error, shared by the profiles and loyalty mutations."""

from __future__ import annotations

import strawberry

from schema.errors import UserError, field_path
from services.members.errors import MemberError, MemberErrorCode

MemberErrorCodeEnum = strawberry.enum(MemberErrorCode, name="MemberErrorCode")


@strawberry.type(name="MemberError")
class MemberErrorType(UserError):
    code: MemberErrorCodeEnum  # type: ignore[valid-type]


def member_errors(exc: MemberError) -> list[MemberErrorType]:
    return [
        MemberErrorType(field=field_path(p), message=p.message, code=p.code) for p in exc.problems
    ]


@strawberry.type
class MemberPayload:
    errors: list[MemberErrorType] = strawberry.field(default_factory=list)
