"""Loader shapes every domain reuses: rows by id, and rows grouped by a foreign key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


class ByIdLoader(DataLoader[int, M | None], Generic[M]):
    model: type[M]

    async def batch_load_fn(self, keys: list[int]) -> list[M | None]:
        rows = {row.pk: row for row in await self.model.filter(id__in=keys)}
        return [rows.get(key) for key in keys]

    def prime_all(self, rows: Iterable[M]) -> None:
        """Seed the cache with rows already fetched, so that no query repeats them."""
        for row in rows:
            self.prime(row.pk, row)


class ManyByLoader(DataLoader[Any, list[M]], Generic[M]):
    """Rows grouped by a foreign key, in the model's default order."""

    model: type[M]
    key_field: str
    #: The columns the API shows, when fewer than all: skipping timestamps saves parsing
    #: hundreds of them per product list.
    columns: tuple[str, ...] = ()

    async def batch_load_fn(self, keys: list[Any]) -> list[list[M]]:
        groups: dict[Any, list[M]] = defaultdict(list)
        rows = self.model.filter(**{f"{self.key_field}__in": keys})
        if self.columns:
            rows = rows.only(self.key_field, *self.columns)
        for row in await rows:
            groups[getattr(row, self.key_field)].append(row)
        return [groups.get(key, []) for key in keys]
