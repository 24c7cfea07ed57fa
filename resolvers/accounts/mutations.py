"""Accounts mutations: each calls one service and maps the result."""

from __future__ import annotations

import strawberry


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Placeholder, replaced by the accounts mutations.")
    async def noop(self) -> bool:
        return True
