"""Accounts root fields: registration, sign-in, sessions, providers and staff access."""

from resolvers.accounts.mutations import AccountsMutation
from resolvers.accounts.queries import AccountsQuery

__all__ = ["AccountsMutation", "AccountsQuery"]
