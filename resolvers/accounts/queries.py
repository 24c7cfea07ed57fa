"""Accounts queries: who is signed in, and who works in the shop."""

from __future__ import annotations

import strawberry

from models.accounts import Role, User
from schema.accounts.types import UserType
from schema.context import Info
from schema.permissions import AdminOnly


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in user; null for an anonymous caller.")
    async def me(self, info: Info) -> UserType | None:
        user_id = info.context.viewer.user_id
        if user_id is None:
            return None
        user = await info.context.loaders.user.load(user_id)
        return UserType.build(user) if user else None

    @strawberry.field(
        permission_classes=[AdminOnly], description="Everyone with staff or admin access."
    )
    async def staff_members(self) -> list[UserType]:
        rows = await User.filter(role__in=[Role.STAFF, Role.ADMIN], deleted_at=None).order_by("id")
        return [UserType.build(row) for row in rows]
