"""Query cost, as Shopify's GraphQL APIs count it, and the leaky bucket each client spends.

Every field has a cost: a scalar or an enum 0, an object 1, an interface or a union the
most its possible types' selections cost. A connection costs 2 plus its page size (`first`
or `last`, else the default page of 20) times the cost of one node's selection; its edge
objects cost nothing of their own. A list with a size argument (`first`, `last`, `limit`,
`ids`) costs its size times one element; any other list costs as one element. Each root
field of a mutation costs 10 plus its payload's selection.

The requested cost is computed from the parsed document with its variables, before
anything runs, measuring each fragment once per type it applies to. The actual cost counts
what was returned: the nodes a connection really had, nothing for a null object. A query
whose requested cost is over `MAX_QUERY_COST` is refused (`MAX_COST_EXCEEDED`); otherwise
the requested cost is taken from the client's bucket, or the query is refused with
`THROTTLED` and `retryAfter`; once it has run, the difference is given back. Every answer
carries `extensions.cost`.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_abstract_type,
    is_leaf_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from schema.errors import UserFacingError
from schema.kit.memo import AnchoredMemo, variables_key
from services import throttle
from services.pagination import DEFAULT_PAGE_SIZE
from settings import Settings

log = logging.getLogger("tradewind.graphql")

#: The base cost of each root field of a mutation.
MUTATION_COST = 10
#: The base cost of a connection, before its nodes.
CONNECTION_COST = 2
#: Arguments that say how many elements a list field answers.
SIZE_ARGUMENTS = ("first", "last", "limit", "ids")

#: Requested costs of recent operations: storefronts send the same few documents (parsed
#: once) with the same variables again and again.
_requested: AnchoredMemo[int] = AnchoredMemo(512)


def _is_connection(type_: GraphQLNamedType) -> bool:
    return (
        isinstance(type_, GraphQLObjectType)
        and type_.name.endswith("Connection")
        and "pageInfo" in type_.fields
    )


def _is_edge(type_: GraphQLNamedType) -> bool:
    return (
        isinstance(type_, GraphQLObjectType)
        and type_.name.endswith("Edge")
        and "node" in type_.fields
        and "cursor" in type_.fields
    )


def _is_list(field: GraphQLField) -> bool:
    type_ = field.type
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Document:
    """A document's operation and fragments, with the schema and the request's variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        max_size: int,
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.max_size = max_size
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            raise ValueError("The document has no such operation.")
        self.operation: OperationDefinitionNode = operation
        root = schema.get_root_type(operation.operation)
        if root is None:
            raise ValueError("The schema has no root type for this operation.")
        self.root: GraphQLObjectType = root
        # A variable left out takes its default from the operation, as execution does.
        self.variables = {
            **{
                definition.variable.name.value: value_from_ast_untyped(definition.default_value)
                for definition in operation.variable_definitions or ()
                if definition.default_value is not None
            },
            **self.variables,
        }

    def field_definition(
        self, parent: GraphQLCompositeType, node: FieldNode
    ) -> GraphQLField | None:
        name = node.name.value
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return parent.fields.get(name)
        return None

    def applies(self, condition: NamedTypeNode | None, type_: GraphQLObjectType) -> bool:
        """Whether a fragment with this type condition applies to objects of `type_`."""
        if condition is None or condition.name.value == type_.name:
            return True
        named = self.schema.get_type(condition.name.value)
        return is_abstract_type(named) and self.schema.is_sub_type(named, type_)

    def size(self, node: FieldNode) -> int | None:
        """The elements a list field asks for, from its size argument, if it has one."""
        sizes: list[int] = []
        for argument in node.arguments or ():
            if argument.name.value not in SIZE_ARGUMENTS:
                continue
            value: Any = argument.value
            if isinstance(value, VariableNode):
                value = self.variables.get(value.name.value)
            elif isinstance(value, IntValueNode):
                value = int(value.value)
            elif isinstance(value, ListValueNode):
                value = value.values
            if isinstance(value, list | tuple):
                sizes.append(len(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                sizes.append(max(0, value))
        # A larger page is refused by the field itself: it never answers more.
        return min(max(sizes), self.max_size) if sizes else None

    def root_fields(self, selection_set: SelectionSetNode) -> Iterator[FieldNode]:
        """The root fields an operation selects, through any fragments."""
        seen: set[str] = set()

        def walk(selections: SelectionSetNode) -> Iterator[FieldNode]:
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    yield selection
                elif isinstance(selection, InlineFragmentNode):
                    yield from walk(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name not in seen and name in self.fragments:
                        seen.add(name)
                        yield from walk(self.fragments[name].selection_set)

        return walk(selection_set)


class _Requested(_Document):
    """The requested cost: the most the operation can cost, from the document alone."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.memo: dict[tuple[str, str, int | None], int] = {}

    def total(self) -> int:
        cost = self.selections(self.root, self.operation.selection_set, None)
        if self.operation.operation is OperationType.MUTATION:
            for node in self.root_fields(self.operation.selection_set):
                definition = self.root.fields.get(node.name.value)
                leaf = definition is None or is_leaf_type(get_named_type(definition.type))
                cost += MUTATION_COST - (0 if leaf else 1)
        return cost

    def selection_set(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode, page: int | None
    ) -> int:
        if isinstance(parent, GraphQLObjectType):
            return self.selections(parent, selection_set, page)
        if is_abstract_type(parent):
            return max(
                (
                    self.selections(possible, selection_set, page)
                    for possible in self.schema.get_possible_types(parent)
                ),
                default=0,
            )
        return 0

    def selections(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode, page: int | None
    ) -> int:
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self.field(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                if self.applies(selection.type_condition, parent):
                    cost += self.selections(parent, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                cost += self.fragment(selection.name.value, parent, page)
        return cost

    def fragment(self, name: str, parent: GraphQLObjectType, page: int | None) -> int:
        key = (name, parent.name, page)
        if (known := self.memo.get(key)) is not None:
            return known
        definition = self.fragments.get(name)
        # Set before the walk: a fragment that spreads itself (refused by validation
        # anyway) adds nothing instead of recursing for ever.
        self.memo[key] = 0
        if definition is None or not self.applies(definition.type_condition, parent):
            return 0
        cost = self.selections(parent, definition.selection_set, page)
        self.memo[key] = cost
        return cost

    def field(self, parent: GraphQLObjectType, node: FieldNode, page: int | None) -> int:
        definition = self.field_definition(parent, node)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if is_leaf_type(named) or node.selection_set is None:
            return 0
        if _is_connection(named):
            size = self.size(node)
            nodes = DEFAULT_PAGE_SIZE if size is None else size
            return CONNECTION_COST + self.selection_set(named, node.selection_set, nodes)
        count = 1
        if _is_list(definition):
            # Inside a connection, its `edges` and `nodes` lists hold a page of elements.
            size = self.size(node)
            count = size if size is not None else page if page is not None else 1
        own = 0 if _is_edge(named) else 1
        return count * (own + self.selection_set(named, node.selection_set, None))


@dataclass(slots=True)
class _Field:
    """A field of an answer that costs something, and how to count it."""

    key: str
    type: GraphQLNamedType
    selection_set: SelectionSetNode
    #: A list whose every element counts (a page, or a list with a size argument).
    sized: bool
    #: What one value costs before its own fields: 2 for a connection, 0 for an edge.
    base: int
    #: Its own costed fields, once planned.
    fields: list[_Field] | None = None


class _Actual(_Document):
    """The actual cost: what the answer's data really held."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.plans: dict[tuple[str, int], tuple[SelectionSetNode, list[_Field]]] = {}

    def total(self, data: Mapping[str, Any] | None) -> int:
        if not data:
            return 0
        cost = self.object(self.plan(self.root, self.operation.selection_set), data)
        if self.operation.operation is OperationType.MUTATION:
            for node in self.root_fields(self.operation.selection_set):
                key = node.alias.value if node.alias else node.name.value
                value = data.get(key)
                cost += MUTATION_COST - (1 if isinstance(value, Mapping) else 0)
        return cost

    def collect(
        self,
        parent: GraphQLCompositeType,
        selection_set: SelectionSetNode,
        into: dict[str, list[tuple[GraphQLCompositeType, FieldNode]]],
        seen: set[str],
    ) -> None:
        """Group the fields selected by response key, each with the type it was selected on."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append((parent, selection))
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                if definition is None or selection.name.value in seen:
                    continue
                seen = seen | {selection.name.value}
                condition, inner = definition.type_condition, definition.selection_set
            else:  # pragma: no cover
                continue
            on = self.schema.get_type(condition.name.value) if condition else parent
            self.collect(on if on is not None else parent, inner, into, seen)  # type: ignore[arg-type]

    def plan(self, parent: GraphQLCompositeType, selection_set: SelectionSetNode) -> list[_Field]:
        """The costed (non-leaf) fields of a selection set, worked out once per request."""
        cache_key = (parent.name, id(selection_set))
        if (known := self.plans.get(cache_key)) is not None:
            return known[1]
        fields: dict[str, list[tuple[GraphQLCompositeType, FieldNode]]] = {}
        self.collect(parent, selection_set, fields, set())
        planned: list[_Field] = []
        for key, selected in fields.items():
            on, node = selected[0]
            definition = self.field_definition(on, node)
            if definition is None:
                continue
            named = get_named_type(definition.type)
            if is_leaf_type(named):
                continue
            merged = SelectionSetNode(
                selections=tuple(
                    selection
                    for _, field_node in selected
                    if field_node.selection_set
                    for selection in field_node.selection_set.selections
                )
            )
            planned.append(
                _Field(
                    key=key,
                    type=named,
                    selection_set=merged,
                    sized=self.size(node) is not None or node.name.value in ("edges", "nodes"),
                    base=CONNECTION_COST if _is_connection(named) else 0 if _is_edge(named) else 1,
                )
            )
        # The selection set is kept with its plan, so its id is not reused meanwhile.
        self.plans[cache_key] = (selection_set, planned)
        return planned

    def object(self, fields: list[_Field], value: Mapping[str, Any]) -> int:
        cost = 0
        for field in fields:
            found = value.get(field.key)
            if found is not None:
                cost += self.value(field, found)
        return cost

    def value(self, field: _Field, value: Any) -> int:
        if isinstance(value, list):
            costs = [self.value(field, item) for item in value if item is not None]
            # An unsized list was requested as one element: its dearest element is the
            # most it is charged, so the actual cost never exceeds the requested one.
            return sum(costs) if field.sized else max(costs, default=0)
        if not isinstance(value, dict):  # graphql-core answers objects as dicts
            return 0
        if field.fields is None:
            field.fields = self.plan(field.type, field.selection_set)  # type: ignore[arg-type]
        return field.base + self.object(field.fields, value)


def requested_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    *,
    max_size: int,
) -> int:
    """The most the operation can cost: what is taken from the bucket before it runs.

    Sizes over `max_size` (the largest page a list answers) count as `max_size`.
    """
    keyed = variables_key(variables)
    if keyed is None:
        return _Requested(schema, document, operation_name, variables, max_size).total()
    return _requested.get(
        (schema, document),
        (operation_name, keyed, max_size),
        lambda: _Requested(schema, document, operation_name, variables, max_size).total(),
    )


def actual_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    data: Mapping[str, Any] | None,
    *,
    max_size: int,
) -> int:
    """What the operation cost, counted over the data it answered."""
    return _Actual(schema, document, operation_name, variables, max_size).total(data)


class MaxCostExceeded(UserFacingError):
    code = "MAX_COST_EXCEEDED"


class ThrottledError(UserFacingError):
    code = "THROTTLED"


def client_key(context: Any) -> str:
    """Whose bucket a request spends: the account's when signed in, else the address's."""
    viewer = getattr(context, "viewer", None)
    if viewer is not None and viewer.user_id is not None:
        return f"user:{viewer.user_id}"
    return f"address:{getattr(context, 'client_address', 'unknown')}"


def _request_id(context: Any) -> str:
    return str(getattr(context, "request_id", "-"))


def _bug(context: Any, exc: Exception) -> GraphQLError:
    request_id = _request_id(context)
    log.error("cost.failed request_id=%s", request_id, exc_info=exc)
    return GraphQLError(
        f"Internal server error (request id {request_id}).",
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class QueryCost(SchemaExtension):
    """Costs each operation, spends the client's bucket, and reports `extensions.cost`."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.requested: int | None = None
        self.actual: int | None = None
        self.status: throttle.BucketStatus | None = None

    def _bucket(self) -> dict[str, Any]:
        return {
            "maximum": self.settings.query_cost_bucket_size,
            "rate": self.settings.query_cost_restore_rate,
        }

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        schema = execution.schema._schema
        document = execution.graphql_document
        assert document is not None
        key = client_key(execution.context)
        try:
            requested = requested_cost(
                schema,
                document,
                execution.operation_name,
                execution.variables,
                max_size=self.settings.max_page_size,
            )
        except Exception as exc:
            # Raised from here, an exception would reach the client unmasked.
            raise _bug(execution.context, exc) from None
        self.requested = requested
        limit = self.settings.max_query_cost
        if requested > limit:
            raise MaxCostExceeded(
                f"This query would cost {requested} points; at most {limit} are allowed. "
                "Ask for fewer objects (smaller pages, fewer nested lists).",
                requestedQueryCost=requested,
                maximumCost=limit,
            )
        try:
            self.status = await throttle.current().take(key, requested, **self._bucket())
        except throttle.Throttled as exc:
            self.status = exc.status
            raise ThrottledError(str(exc), retryAfter=exc.retry_after) from None
        yield
        result = execution.result
        if execution.operation_type is OperationType.SUBSCRIPTION or not isinstance(
            result, ExecutionResult
        ):
            # A subscription is charged once, when it starts.
            self.actual = requested
            return
        try:
            actual = min(
                requested,
                actual_cost(
                    schema,
                    document,
                    execution.operation_name,
                    execution.variables,
                    result.data,
                    max_size=self.settings.max_page_size,
                ),
            )
        except Exception:
            # The operation has run (and may have written): its answer stands, at the
            # requested cost.
            log.exception("cost.actual_failed request_id=%s", _request_id(execution.context))
            actual = requested
        self.actual = actual
        if actual < requested:
            self.status = await throttle.current().give_back(
                key, requested - actual, **self._bucket()
            )

    async def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        status = self.status
        if status is None:
            status = await throttle.current().peek(client_key(context), **self._bucket())
        cost = _report(self.requested, self.actual, status)
        if hasattr(context, "cost"):
            context.cost = cost
        return {"cost": cost}


def _report(
    requested: int | None, actual: int | None, status: throttle.BucketStatus
) -> dict[str, Any]:
    return {
        "requestedQueryCost": requested,
        "actualQueryCost": actual,
        "throttleStatus": {
            "maximumAvailable": status.maximum,
            "currentlyAvailable": math.floor(status.available),
            "restoreRate": _number(status.restore_rate),
        },
    }


async def report_reused(result: Any, context: Any, settings: Settings) -> Any:
    """A reused (cached) answer with this client's own `extensions.cost`.

    Nothing ran for this client, so nothing is taken from its bucket: the answer costs 0.
    """
    if context.cost is not None:  # this request ran the operation itself
        return result
    previous = (result.extensions or {}).get("cost") or {}
    status = await throttle.current().peek(
        client_key(context),
        maximum=settings.query_cost_bucket_size,
        rate=settings.query_cost_restore_rate,
    )
    cost = _report(previous.get("requestedQueryCost"), 0, status)
    return dataclasses.replace(result, extensions={**(result.extensions or {}), "cost": cost})


def query_cost(settings: Settings) -> Any:
    """A factory of `QueryCost` extensions for `settings`."""
    return lambda: QueryCost(settings)


__all__ = [
    "MaxCostExceeded",
    "QueryCost",
    "ThrottledError",
    "actual_cost",
    "client_key",
    "query_cost",
    "report_reused",
    "requested_cost",
]
