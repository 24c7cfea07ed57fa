"""What a query asks for below the field being resolved, read from the document.

A list resolver uses it to fetch, in one batch for the whole page, the relations its nodes
will show, and to skip those no one asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from schema.context import Info


def _fields(
    selection_sets: Iterable[SelectionSetNode | None],
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> Iterator[FieldNode]:
    """The fields of the selection sets, through fragments and inline fragments.

    `@skip` and `@include` are not evaluated: a field they may leave out counts as asked
    for, so at worst a relation is fetched and not shown.
    """
    for selection_set in selection_sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from _fields([selection.selection_set], fragments, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:  # validation refuses cycles
                    yield from _fields([fragment.selection_set], fragments, seen | {name})


def selected(info: Info, *path: str) -> frozenset[str]:
    """Names of the fields asked for at `path` below the current field.

    `selected(info, "edges", "node")` in a connection resolver gives the node's fields.
    """
    raw = info._raw_info
    fragments = raw.fragments
    level: list[SelectionSetNode | None] = [node.selection_set for node in raw.field_nodes]
    for name in path:
        level = [f.selection_set for f in _fields(level, fragments) if f.name.value == name]
    return frozenset(f.name.value for f in _fields(level, fragments))
