"""Accounts loaders."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader
from models.accounts import User


class UserByIdLoader(ByIdLoader[User]):
    model = User


class AccountsLoaders:
    """The accounts loaders of a request, each built on first use."""

    @cached_property
    def user(self) -> UserByIdLoader:
        return UserByIdLoader()
