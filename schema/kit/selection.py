"""What a query asks for below the field being resolved, read from the document.

A list resolver uses it to fetch, in one batch for the whole page, the relations its nodes
will show, and to skip those no one asked for; and to key the views it may reuse
(`schema.view_cache`) by the selection they answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    ValueNode,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

from schema.context import Info
from schema.kit.memo import AnchoredMemo, variables_key


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


#: Whether a view may be reused for a field: (its parent type, its name, its definition).
FieldRule = Callable[[GraphQLNamedType, str, GraphQLField], bool]


#: Selection keys of recent requests, by the field's nodes in its (parsed once) document.
_keys: AnchoredMemo[Any] = AnchoredMemo(1024)


class _Unkeyable(Exception):
    """The selection holds something a view key cannot stand for."""


def selection_key(info: Info, paths: Iterable[tuple[str, ...]], rule: FieldRule) -> Any:
    """A hashable key of the selection below the current field at one of `paths`, or None.

    Two requests whose keys are equal ask for the same fields, with the same arguments
    (variables resolved), aliases, fragments and `@include`/`@skip` outcomes, so the same
    object completes to the same answer for both. None when no path is selected, when more
    than one is or when a field on a path comes under two response names (the objects would
    be completed twice, differently), when any directive but `@include`/`@skip` appears
    below (`@defer` delivers in parts), or when `rule` refuses a field below.
    """
    raw = info._raw_info
    # Strawberry hands resolvers the coerced values; graphql-core's own info wraps them.
    variables: Any = raw.variable_values
    variables = getattr(variables, "coerced", variables)
    paths = tuple(paths)
    keyed = variables_key(variables)
    if keyed is None:
        return _selection_key(raw, paths, rule, variables)
    return _keys.get(
        (*raw.field_nodes, raw.return_type),
        (paths, rule, keyed),
        lambda: _selection_key(raw, paths, rule, variables),
    )


def _selection_key(
    raw: GraphQLResolveInfo,
    paths: tuple[tuple[str, ...], ...],
    rule: FieldRule,
    variables: dict[str, Any],
) -> Any:
    found: list[tuple[list[SelectionSetNode], GraphQLObjectType]] = []
    for path in paths:
        level: list[SelectionSetNode | None] = [node.selection_set for node in raw.field_nodes]
        parent = get_named_type(raw.return_type)
        for name in path:
            fields = [f for f in _fields(level, raw.fragments) if f.name.value == name]
            names = {(f.alias or f.name).value for f in fields}
            if len(names) > 1 or any(f.directives for f in fields):
                return None
            if not fields:
                break
            assert isinstance(parent, GraphQLObjectType)
            parent = get_named_type(parent.fields[name].type)
            level = [f.selection_set for f in fields]
        else:
            if isinstance(parent, GraphQLObjectType):
                found.append(([s for s in level if s is not None], parent))
    if len(found) != 1:
        return None
    selection_sets, node_type = found[0]
    try:
        return _key(selection_sets, node_type, raw.fragments, variables, rule)
    except _Unkeyable:
        return None


def _key(
    selection_sets: Iterable[SelectionSetNode],
    parent: GraphQLObjectType,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    rule: FieldRule,
) -> tuple[Any, ...]:
    parts: list[Any] = []
    for selection_set in selection_sets:
        for selection in selection_set.selections:
            directives = _directives(selection.directives, variables)
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    parts.append(("t", selection.alias and selection.alias.value, directives))
                    continue
                field = parent.fields[name]
                if not rule(parent, name, field):
                    raise _Unkeyable
                below: tuple[Any, ...] = ()
                if selection.selection_set is not None:
                    child = get_named_type(field.type)
                    if not isinstance(child, GraphQLObjectType):  # an interface or a union
                        raise _Unkeyable
                    below = _key([selection.selection_set], child, fragments, variables, rule)
                elif not is_leaf_type(get_named_type(field.type)):
                    raise _Unkeyable
                arguments = tuple(
                    (a.name.value, _value(a.value, variables)) for a in selection.arguments or ()
                )
                alias = selection.alias and selection.alias.value
                parts.append(("f", alias, name, arguments, directives, below))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition and selection.type_condition.name.value
                below = _key([selection.selection_set], parent, fragments, variables, rule)
                parts.append(("i", condition, directives, below))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                below = _key([fragment.selection_set], parent, fragments, variables, rule)
                parts.append(("s", fragment.type_condition.name.value, directives, below))
    return tuple(parts)


def _directives(
    directives: Iterable[DirectiveNode] | None, variables: dict[str, Any]
) -> tuple[Any, ...]:
    """`@include` and `@skip` with their outcome; any other directive is unkeyable."""
    outcome = []
    for directive in directives or ():
        name = directive.name.value
        if name not in ("include", "skip"):
            raise _Unkeyable
        outcome.append((name, *(_value(a.value, variables) for a in directive.arguments or ())))
    return tuple(outcome)


def _value(node: ValueNode, variables: dict[str, Any]) -> bytes:
    """An argument's value, variables resolved, as bytes that compare as the values do."""
    value = value_from_ast_untyped(node, variables)
    try:
        return orjson.dumps(value, default=repr, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer past 64 bits, a non-text key
        raise _Unkeyable from None
