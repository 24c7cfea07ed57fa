"""The members domain's payload error, shared by the profiles and loyalty mutations."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from services.members.errors import MemberErrorCode

MemberErrorCodeEnum = strawberry.enum(MemberErrorCode, name="MemberErrorCode")


@strawberry.type(name="MemberError")
class MemberErrorType(UserError):
    code: MemberErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type
class MemberPayload:
    errors: list[MemberErrorType] = strawberry.field(default_factory=list)
