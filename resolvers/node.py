"""`node(id:)` and `nodes(ids:)`: fetch any object by its global ID."""

from __future__ import annotations

from collections import defaultdict

import strawberry
from strawberry import relay

from schema.context import Info
from schema.errors import BadUserInput
from schema.nodes import lookup


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null if it is not to be seen.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        [found] = await lookup(info, id.type_name, [id.node_id])
        return found

    @strawberry.field(description="Objects by global ID, in the order asked, at most 100.")
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        if len(ids) > 100:
            raise BadUserInput("Ask for at most 100 nodes at once.", field="ids")
        by_type: dict[str, list[str]] = defaultdict(list)
        for node_id in ids:
            by_type[node_id.type_name].append(node_id.node_id)
        # One batch per type, through the type's loaders.
        found = {
            (type_name, node_id): node
            for type_name, node_ids in by_type.items()
            for node_id, node in zip(node_ids, await lookup(info, type_name, node_ids), strict=True)
        }
        return [found[(i.type_name, i.node_id)] for i in ids]
