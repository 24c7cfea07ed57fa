"""One node lookup: the objects behind global IDs, as the viewer may see them.

Each type the Node interface reaches has a `NodeSource`: the request's loader of its rows
by key, who may see a row, and the nodes built from the rows shown. `lookup` serves
`node(id:)`, `nodes(ids:)` and any field that resolves a node, one batch per type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schema.relay import MAX_KEY
from services.auth import StaffPermission

Rows = Sequence[Any]
#: Whether the viewer may see each row (same order).
Visibility = Callable[[Rows, Any], Awaitable[list[bool]]]
#: The nodes of rows the viewer may see (same order).
Builder = Callable[[Rows, Any], Awaitable[list[Any]]]


async def everyone(rows: Rows, info: Any) -> list[bool]:
    return [True for _ in rows]


def staff_with(*permissions: StaffPermission) -> Visibility:
    """Rows only staff with one of `permissions` may reach by ID."""

    async def visible(rows: Rows, info: Any) -> list[bool]:
        viewer = info.context.viewer
        allowed = any(viewer.can(permission) for permission in permissions)
        return [allowed for _ in rows]

    return visible


def each(rule: Callable[[Any, Any], bool]) -> Visibility:
    """Rows the viewer may see one by one: `rule(row, info)`."""

    async def visible(rows: Rows, info: Any) -> list[bool]:
        return [rule(row, info) for row in rows]

    return visible


def built_by(build: Callable[[Any, Any], Any]) -> Builder:
    """Nodes built one by one: `build(row, info)`."""

    async def nodes(rows: Rows, info: Any) -> list[Any]:
        return [build(row, info) for row in rows]

    return nodes


@dataclass(frozen=True, slots=True)
class NodeSource:
    """Where the Node interface finds one type's objects, and who may see them."""

    loader: str  #: the attribute of `info.context.loaders` that loads rows by key
    build: Builder
    visible: Visibility = everyone


def key_of(node_id: str) -> int | None:
    """The primary key in a global ID's node part; None when it cannot be one."""
    try:
        key = int(node_id)
    except ValueError:
        return None
    return key if 0 < key <= MAX_KEY else None


async def lookup(
    sources: Mapping[str, NodeSource], info: Any, type_name: str, node_ids: Iterable[str]
) -> list[Any]:
    """The nodes of `type_name` for `node_ids` (same order); None for one that does not
    exist, the viewer may not see, or whose type or key is not one of ours."""
    ids = list(node_ids)
    source = sources.get(type_name)
    keys = [key_of(i) for i in ids]
    if source is None:
        return [None for _ in ids]
    loader = getattr(info.context.loaders, source.loader)
    wanted = [k for k in keys if k is not None]
    loaded = dict(zip(wanted, await loader.load_many(wanted), strict=True)) if wanted else {}
    present = {k: row for k, row in loaded.items() if row is not None}
    rows = list(present.values())
    flags = await source.visible(rows, info)
    shown = [row for row, ok in zip(rows, flags, strict=True) if ok]
    built = dict(zip((id(r) for r in shown), await source.build(shown, info), strict=True))
    return [built.get(id(present[k])) if k in present else None for k in keys]
