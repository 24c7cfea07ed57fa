"""Accounts queries: who is signed in."""

from __future__ import annotations

import strawberry

from schema.accounts.types import UserType
from schema.context import Info


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in user; null for an anonymous caller.")
    async def me(self, info: Info) -> UserType | None:
        user_id = info.context.viewer.user_id
        if user_id is None:
            return None
        user = await info.context.loaders.user.load(user_id)
        return UserType.build(user) if user else None
