"""Every value a client sends, checked in one place before any resolver runs.

The arguments of every field an operation selects (in literals, in variables and in input
objects at any depth) are held to the rules of their kind: no NUL and no lone surrogate in
any string, a maximum length per kind of string, global IDs whose key fits the database's
keys, order numbers of the right shape, and integers within the range their column or
service can take (the rules are in `schema.input_rules`). A value that breaks one is
refused with a `BAD_USER_INPUT` error before anything runs, so no service, query or log
line ever sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Node,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from schema.errors import BadUserInput
from schema.input_rules import Refused, check_characters, check_scalar, check_variable, dotted

log = logging.getLogger("tradewind.graphql")

#: How much of a refused value a log line shows.
LOGGED_CHARACTERS = 80


class _WithNode(Exception):
    """A refusal of a literal, with the node that located it in the document."""

    def __init__(self, refused: Refused, node: Node) -> None:
        self.refused = refused
        self.node = node


@dataclass(frozen=True, slots=True)
class VariableUse:
    """A variable in an argument: checked against the place's type on every request."""

    variable: str
    type: GraphQLInputType
    parent: str
    name: str
    path: tuple[str | int, ...]
    node: VariableNode


@dataclass(frozen=True, slots=True)
class Plan:
    """What a document leaves to check per request, or the error its literals already earn."""

    refused: _WithNode | None
    uses: tuple[VariableUse, ...]
    defaults: dict[str, ValueNode]


def _literal(
    node: ValueNode,
    type_: GraphQLInputType,
    parent: str,
    name: str,
    path: list[str | int],
    uses: list[VariableUse],
) -> None:
    """A literal value against its type; variables inside it are noted for later."""
    if isinstance(node, VariableNode):
        uses.append(VariableUse(node.name.value, type_, parent, name, tuple(path), node))
        return
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(node, NullValueNode):
        return
    try:
        if isinstance(type_, GraphQLList):
            items = node.values if isinstance(node, ListValueNode) else (node,)
            for index, item in enumerate(items):
                _literal(item, type_.of_type, parent, name, [*path, index], uses)
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(node, ObjectValueNode):
            for field_node in node.fields:
                field_name = field_node.name.value
                field = type_.fields.get(field_name)
                if field is not None:
                    _literal(
                        field_node.value,
                        field.type,
                        type_.name,
                        field_name,
                        [*path, field_name],
                        uses,
                    )
        elif isinstance(type_, GraphQLScalarType):
            check_scalar(_scalar_of(node), type_.name, parent, name, path)
    except Refused as refused:
        raise _WithNode(refused, node) from None


def _scalar_of(node: ValueNode) -> Any:
    if isinstance(node, StringValueNode):
        return node.value
    if isinstance(node, IntValueNode):
        try:
            return int(node.value)
        except ValueError:
            return None
    return None


def _arguments(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
) -> Iterator[tuple[str, ArgumentNode, GraphQLInputType]]:
    """(`Type.field`, argument node, argument type) of every field the operation selects.

    Each fragment is walked once, however often it is spread: the walk is linear in the
    document, whatever its fragments expand to.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    seen: set[str] = set()
    root = schema.get_root_type(operation.operation)
    pending: list[tuple[SelectionSetNode, Any]] = [(operation.selection_set, root)]
    while pending:
        selection_set, parent = pending.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                    continue
                field = parent.fields.get(selection.name.value)
                if field is None:
                    continue
                coordinate = f"{parent.name}.{selection.name.value}"
                for argument in selection.arguments or ():
                    definition = field.args.get(argument.name.value)
                    if definition is not None:
                        yield coordinate, argument, definition.type
                if selection.selection_set is not None:
                    pending.append((selection.selection_set, get_named_type(field.type)))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = schema.get_type(condition.name.value) if condition else parent
                pending.append((selection.selection_set, inner))
            elif isinstance(selection, FragmentSpreadNode):
                fragment_name = selection.name.value
                fragment = fragments.get(fragment_name)
                if fragment is None or fragment_name in seen:
                    continue
                seen.add(fragment_name)
                pending.append(
                    (fragment.selection_set, schema.get_type(fragment.type_condition.name.value))
                )


def plan_for(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> Plan:
    """Check the document's literals once and list the variables left to check per request."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return Plan(None, (), {})
    uses: list[VariableUse] = []
    try:
        for coordinate, argument, type_ in _arguments(schema, document, operation):
            name = argument.name.value
            _literal(argument.value, type_, coordinate, name, [name], uses)
    except _WithNode as refused:
        return Plan(refused, (), {})
    defaults: dict[str, ValueNode] = {
        definition.variable.name.value: definition.default_value
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    return Plan(None, tuple(uses), defaults)


def refusal(
    plan: Plan, variables: dict[str, Any] | None, operation_name: Any
) -> BadUserInput | None:
    """The error a request earns with these variables, or None when every value is fine."""
    if plan.refused is not None:
        _log(plan.refused.refused)
        return plan.refused.refused.error([plan.refused.node])
    variables = variables or {}
    try:
        check_characters(variables, [])
        if isinstance(operation_name, str):
            check_characters(operation_name, ["operationName"])
    except Refused as refused:
        _log(refused)
        return refused.error()
    for use in plan.uses:
        if use.variable in variables:
            value = variables[use.variable]
            try:
                check_variable(value, use.type, use.parent, use.name, list(use.path))
            except Refused as refused:
                _log(refused)
                return refused.error([use.node])
        elif use.variable in plan.defaults:
            try:
                _literal(
                    plan.defaults[use.variable], use.type, use.parent, use.name, list(use.path), []
                )
            except _WithNode as refused:
                _log(refused.refused)
                return refused.refused.error([refused.node])
    return None


def preview(value: Any) -> str:
    """A value as a log line may show it: escaped, and cut short."""
    text = repr(value)
    if len(text) <= LOGGED_CHARACTERS:
        return text
    return f"{text[:LOGGED_CHARACTERS]}... ({len(text)} characters)"


def _log(refused: Refused) -> None:
    log.info(
        "graphql.input_refused field=%s reason=%s value=%s",
        dotted(refused.path),
        refused.reason,
        preview(refused.value),
    )


class CheckInputs(SchemaExtension):
    """Refuses an operation whose arguments break their rules, before it runs."""

    def __init__(self, plans: LRUCache[tuple[str, str | None], Plan]) -> None:
        self.plans = plans

    async def on_execute(self) -> Any:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            key = (context.query or "", context.operation_name)
            plan = self.plans.get(key)
            if plan is None:
                plan = plan_for(context.schema._schema, document, context.operation_name)
                self.plans[key] = plan
            error = refusal(plan, context.variables, context.operation_name)
            if error is not None:
                if context.operation_type is OperationType.SUBSCRIPTION:
                    raise error
                # Queries and mutations are skipped: Strawberry runs nothing when the
                # result is already set.
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


def check_inputs() -> Callable[[], CheckInputs]:
    """The extension factory, with one cache of documents' plans for the schema."""
    plans: LRUCache[tuple[str, str | None], Plan] = LRUCache(maxsize=512)
    return lambda: CheckInputs(plans)
