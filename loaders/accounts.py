"""Account loaders."""

from __future__ import annotations

from loaders.base import ByIdLoader
from models.accounts import User


class UserByIdLoader(ByIdLoader[User]):
    model = User
