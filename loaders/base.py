"""Loader shapes every domain reuses: rows by id, rows grouped by a foreign key, and a
member's newest rows and row count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from aiodataloader import DataLoader
from tortoise.functions import Count
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
    #: Further conditions every row loaded meets (field lookups, as `filter()` takes them).
    where: ClassVar[dict[str, Any]] = {}

    async def batch_load_fn(self, keys: list[Any]) -> list[list[M]]:
        groups: dict[Any, list[M]] = defaultdict(list)
        rows = self.model.filter(**{f"{self.key_field}__in": keys}, **self.where)
        if self.columns:
            rows = rows.only(self.key_field, *self.columns)
        for row in await rows:
            groups[getattr(row, self.key_field)].append(row)
        return [groups.get(key, []) for key in keys]


class NewestByUserIdLoader(DataLoader[tuple[int, int], list[M]], Generic[M]):
    """The newest rows of each member, keyed by (user id, how many).

    One statement for any number of members: each member's rows are numbered newest
    first (by `sort_field`, then id) in a window, and the first few of each kept. Only ids
    go into the SQL, as integers, so it reads the same on SQLite and PostgreSQL.
    """

    model: type[M]
    #: A column named as its field, ordered descending, then the id.
    sort_field: str = "created_at"
    #: Relations fetched with the rows.
    related: tuple[str, ...] = ()

    async def batch_load_fn(self, keys: list[tuple[int, int]]) -> list[list[M]]:
        wanted: dict[int, int] = defaultdict(int)
        for user_id, size in keys:
            wanted[int(user_id)] = max(wanted[int(user_id)], int(size))
        most = max(wanted.values(), default=0)
        if most == 0:
            return [[] for _ in keys]
        table = self.model._meta.db_table
        users = ", ".join(str(u) for u in wanted)
        sql = (
            f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id "
            f"ORDER BY {self.sort_field} DESC, id DESC) AS position FROM {table} "
            f"WHERE user_id IN ({users})) AS ranked WHERE position <= {int(most)}"
        )
        ids = [row["id"] for row in await self.model._meta.db.execute_query_dict(sql)]
        groups: dict[int, list[M]] = defaultdict(list)
        rows = self.model.filter(id__in=ids).order_by(f"-{self.sort_field}", "-id")
        if self.related:
            rows = rows.select_related(*self.related)
        for row in await rows:
            groups[getattr(row, "user_id", None) or 0].append(row)
        return [groups.get(int(user_id), [])[:size] for user_id, size in keys]


class CountByUserIdLoader(DataLoader[int, int], Generic[M]):
    """How many rows each member has, in one grouped statement."""

    model: type[M]

    async def batch_load_fn(self, keys: list[int]) -> list[int]:
        rows = (
            await self.model.filter(user_id__in=keys)
            .group_by("user_id")
            .annotate(n=Count("id"))
            .values("user_id", "n")
        )
        counts = {row["user_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]
