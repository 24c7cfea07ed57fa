"""Helpers shared by the accounts resolvers."""

from __future__ import annotations

from schema.context import Info
from services.accounts.sessions import ClientInfo


def client_info(info: Info) -> ClientInfo:
    """Where the request came from, as recorded with sessions and used for rate limits."""
    request = info.context.request
    return ClientInfo(
        address=info.context.client_address, user_agent=request.headers.get("user-agent", "")
    )
