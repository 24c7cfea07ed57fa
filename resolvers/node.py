"""`node(id:)` and `nodes(ids:)`: fetch any object by its global ID."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Iterable
from typing import cast

import strawberry
from strawberry import relay

from schema.context import Info
from schema.errors import BadUserInput


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null if it is not to be seen.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        try:
            return await id.resolve_node(info, required=False)
        except (KeyError, ValueError):
            return None

    @strawberry.field(description="Objects by global ID, in the order asked, at most 100.")
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        if len(ids) > 100:
            raise BadUserInput("Ask for at most 100 nodes at once.", field="ids")
        found: dict[tuple[str, str], relay.Node | None] = {}
        by_type: dict[str, list[relay.GlobalID]] = defaultdict(list)
        for node_id in ids:
            by_type[node_id.type_name].append(node_id)
        for type_name, group in by_type.items():
            try:
                node_type = group[0].resolve_type(info)
            except (KeyError, ValueError):
                continue
            # One batch per type, through the type's loaders.
            rows = await cast(
                Awaitable[Iterable[relay.Node | None]],
                node_type.resolve_nodes(
                    info=info, node_ids=[g.node_id for g in group], required=False
                ),
            )
            for g, row in zip(group, rows, strict=True):
                found[(type_name, g.node_id)] = row
        return [found.get((i.type_name, i.node_id)) for i in ids]
