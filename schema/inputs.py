"""Every value a client sends, checked in one place before any resolver runs.

The arguments of every field an operation selects (in literals, in variables and in input
objects at any depth) are held to the rules of their kind: no NUL and no lone surrogate in
any string, a maximum length per kind of string, global IDs whose key fits the database's
keys, order numbers of the right shape, and integers within the range their column or
service can take. A value that breaks one is refused with a `BAD_USER_INPUT` error before
anything runs, so no service, query or log line ever sees it.

A string's kind comes from the name of its argument or input field (`search`, `email`,
`description`, ...), or from its coordinate (`OrderFilter.number`) where a name means two
things; anything not listed is a one-line text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cachetools import LRUCache
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
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
    SourceLocation,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_location,
    get_named_type,
    get_operation_ast,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.relay.utils import from_base64
from strawberry.types.graphql import OperationType

from schema.errors import BadUserInput
from schema.relay import MAX_KEY
from services.orders import numbers

log = logging.getLogger("tradewind.graphql")

#: The years a date or time may fall in: past them, clocks and time zones overflow.
MIN_YEAR, MAX_YEAR = 1900, 2199
#: How many steps of a refused value's path an error or a log line shows.
MAX_PATH = 20
#: How much of a refused value a log line shows.
LOGGED_CHARACTERS = 80


@dataclass(frozen=True, slots=True)
class StringKind:
    """A kind of string: its name (in errors), its maximum length, and a check of its shape."""

    name: str
    max_length: int
    #: The reason a value of the right length is refused, or None when it is fine.
    shape: Callable[[str], str | None] | None = None


def _global_id_problem(value: str) -> str | None:
    """A global ID names a row by a key that fits the key column, or is refused.

    Text that is no global ID at all (not `Type:key` in base64) is left to the field, which
    answers it as it answers an unknown ID: not found.
    """
    try:
        _type_name, key = from_base64(value)
    except Exception:
        return None
    if not (key.isascii() and key.isdigit()) or not 0 < int(key) <= MAX_KEY:
        return "INVALID_ID"
    return None


def _order_number_problem(value: str) -> str | None:
    return None if numbers.is_order_number(value) else "INVALID_ORDER_NUMBER"


def _order_number_prefix_problem(value: str) -> str | None:
    return None if numbers.is_order_number_prefix(value) else "INVALID_ORDER_NUMBER"


GLOBAL_ID = StringKind("global ID", 200, _global_id_problem)
ORDER_NUMBER = StringKind("order number", numbers.MAX_TYPED_LENGTH, _order_number_problem)
ORDER_NUMBER_PREFIX = StringKind(
    "order number", numbers.MAX_TYPED_LENGTH, _order_number_prefix_problem
)
# Values looked up in a column are no longer than the column: a longer one can match no
# row, and Tortoise refuses to even send it (a 500 before these kinds).
COUPON_CODE = StringKind("coupon code", 40)
SLUG = StringKind("slug", 140)
SIGN_IN_STATE = StringKind("sign-in state", 64)
EMAIL = StringKind("email address or phone number", 254)
SEARCH = StringKind("search term", 200)
PASSWORD = StringKind("password", 1024)
TOKEN = StringKind("token or code", 2048)
URL = StringKind("URL", 2048)
LINE = StringKind("one-line text", 1000)
TEXT = StringKind("text", 10_000)
RICH_TEXT = StringKind("long text", 100_000)
#: A value of a custom scalar (Decimal, Date, DateTime) written as a string.
SCALAR = StringKind("value", 100)

#: Kinds by argument or input-field name; any other string is a one-line text.
KIND_BY_NAME: dict[str, StringKind] = {
    "search": SEARCH,
    "email": EMAIL,
    "contactEmail": EMAIL,
    "login": EMAIL,
    "password": PASSWORD,
    "currentPassword": PASSWORD,
    "newPassword": PASSWORD,
    "after": TOKEN,
    "before": TOKEN,
    "cartToken": TOKEN,
    "refreshToken": TOKEN,
    "clientSecret": TOKEN,
    "state": SIGN_IN_STATE,
    "slug": SLUG,
    "browserKey": TOKEN,
    "idempotencyKey": TOKEN,
    "code": TOKEN,
    "couponCode": COUPON_CODE,
    "redirectUri": URL,
    "returnUrl": URL,
    "trackingUrl": URL,
    "body": TEXT,
    "message": TEXT,
    "note": TEXT,
    "reason": TEXT,
    "description": RICH_TEXT,
    "instructions": RICH_TEXT,
    "features": RICH_TEXT,
    "number": ORDER_NUMBER,
    "orderNumber": ORDER_NUMBER,
}
#: Kinds by coordinate (`Type.field` or `Type.field.argument`), where a name means two things.
KIND_BY_COORDINATE: dict[str, StringKind] = {
    "OrderFilter.number": ORDER_NUMBER_PREFIX,
    "Query.coupon.code": COUPON_CODE,
    "Query.checkCoupon.code": COUPON_CODE,
    "CartCouponInput.code": COUPON_CODE,
}

#: Inclusive ranges of integer arguments and input fields, by coordinate. The GraphQL `Int`
#: is already a 32-bit integer, which INTEGER columns hold; these are for narrower columns.
#: (Where a mutation has a typed error for a value out of range, its service keeps it.)
INT_RANGE_BY_COORDINATE: dict[str, tuple[int, int]] = {
    "ReviewFilter.rating": (1, 5),  # a SMALLINT column
}

_MESSAGES = {
    "INVALID_CHARACTERS": "must not contain NUL or unpaired surrogate characters",
    "INVALID_ID": "is not a valid ID",
    "INVALID_ORDER_NUMBER": "is not an order number (TW and 8 letters or digits)",
}


def string_kind(parent: str, name: str, scalar: str) -> StringKind:
    """The kind of a string given as `name` under `parent` (a type, or `Type.field`)."""
    if scalar == "ID":
        return GLOBAL_ID
    if scalar != "String":
        return SCALAR
    return KIND_BY_COORDINATE.get(f"{parent}.{name}") or KIND_BY_NAME.get(name, LINE)


def has_bad_characters(value: str) -> bool:
    """True when `value` holds NUL or a lone surrogate (which no database or encoder takes)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Refused(Exception):
    """A value broke its rule; carries what the client and the log are told."""

    def __init__(self, path: list[str | int], reason: str, message: str, value: Any) -> None:
        super().__init__(message)
        self.path = _shortened(path)
        self.reason = reason
        self.message = message
        self.value = value

    def error(self, nodes: list[Node] | None = None) -> BadUserInput:
        error = BadUserInput(self.message, field=[str(p) for p in self.path], reason=self.reason)
        if nodes:
            error.nodes = nodes
            error.locations = [
                location for node in nodes if (location := _location(node)) is not None
            ]
        return error


class _WithNode(Exception):
    """A refusal of a literal, with the node that located it in the document."""

    def __init__(self, refused: Refused, node: Node) -> None:
        self.refused = refused
        self.node = node


def _location(node: Node) -> SourceLocation | None:
    loc = node.loc
    return None if loc is None or loc.source is None else get_location(loc.source, loc.start)


def _shortened(path: list[str | int]) -> list[str | int]:
    """A path as errors and logs show it: a path deep in a nested value is cut short."""
    return path if len(path) <= MAX_PATH else [*path[: MAX_PATH - 1], "..."]


def _dotted(path: list[str | int]) -> str:
    return ".".join(str(p) for p in _shortened(path))


def check_string(value: str, kind: StringKind, path: list[str | int]) -> None:
    if has_bad_characters(value):
        raise Refused(
            path,
            "INVALID_CHARACTERS",
            f"`{_dotted(path)}` {_MESSAGES['INVALID_CHARACTERS']}.",
            value,
        )
    if len(value) > kind.max_length:
        raise Refused(
            path,
            "TOO_LONG",
            f"`{_dotted(path)}` is too long: a {kind.name} has at most "
            f"{kind.max_length} characters.",
            value,
        )
    if kind.shape is not None and (reason := kind.shape(value)) is not None:
        raise Refused(path, reason, f"`{_dotted(path)}` {_MESSAGES[reason]}.", value)


def check_int(value: int, parent: str, name: str, path: list[str | int]) -> None:
    bounds = INT_RANGE_BY_COORDINATE.get(f"{parent}.{name}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise Refused(
            path,
            "OUT_OF_RANGE",
            f"`{_dotted(path)}` must be between {bounds[0]} and {bounds[1]}.",
            value,
        )


def check_moment(value: str, scalar: str, path: list[str | int]) -> None:
    """A date or time that parses must fall in the years a column and a clock can take.

    One that does not parse is left to its scalar, which refuses it.
    """
    try:
        if scalar == "Date":
            moment: date = date.fromisoformat(value)
        else:
            parsed = datetime.fromisoformat(value)
            moment = parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed
    except ValueError:
        return
    except OverflowError:
        moment = date.min
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise Refused(
            path,
            "OUT_OF_RANGE",
            f"`{_dotted(path)}` must fall between the years {MIN_YEAR} and {MAX_YEAR}.",
            value,
        )


def check_scalar(value: Any, scalar: str, parent: str, name: str, path: list[str | int]) -> None:
    """One scalar value, as parsed from JSON or a literal."""
    if isinstance(value, str):
        check_string(value, string_kind(parent, name, scalar), path)
        if scalar in ("Date", "DateTime"):
            check_moment(value, scalar, path)
    elif scalar == "ID" and not isinstance(value, bool) and isinstance(value, int):
        raise Refused(path, "INVALID_ID", f"`{_dotted(path)}` {_MESSAGES['INVALID_ID']}.", value)
    elif scalar == "Int" and isinstance(value, int) and not isinstance(value, bool):
        check_int(value, parent, name, path)


def check_variable(
    value: Any, type_: GraphQLInputType, parent: str, name: str, path: list[str | int]
) -> None:
    """A variable's JSON value against the type of the place it is used in."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            check_variable(item, type_.of_type, parent, name, [*path, index])
    elif isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, dict):
            for field_name, field in type_.fields.items():
                if field_name in value:
                    check_variable(
                        value[field_name], field.type, type_.name, field_name, [*path, field_name]
                    )
    elif isinstance(type_, GraphQLScalarType):
        check_scalar(value, type_.name, parent, name, path)


def check_characters(value: Any, path: list[str | int]) -> None:
    """Every string and key in a JSON value: no NUL, no lone surrogate.

    A loop, not a recursion, and each step keeps only its parent: a value nested deeper than
    Python's stack costs no more than a flat one of the same size.
    """
    # (value, key in its parent, the parent's entry): the path is rebuilt only on refusal.
    pending: list[tuple[Any, str | int, Any]] = [(value, "", None)]
    while pending:
        step = pending.pop()
        item = step[0]
        if isinstance(item, str):
            if has_bad_characters(item):
                where = _path_of(step, path)
                raise Refused(
                    where,
                    "INVALID_CHARACTERS",
                    f"`{_dotted(where)}` {_MESSAGES['INVALID_CHARACTERS']}.",
                    item,
                )
        elif isinstance(item, list):
            pending.extend((inner, index, step) for index, inner in enumerate(item))
        elif isinstance(item, dict):
            for key, inner in item.items():
                pending.append((key, "(key)", step))
                pending.append((inner, key, step))


def _path_of(step: tuple[Any, str | int, Any], root: list[str | int]) -> list[str | int]:
    keys: list[str | int] = []
    while step[2] is not None:
        keys.append(step[1])
        step = step[2]
    return [*root, *reversed(keys)]


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
    if isinstance(node, FloatValueNode | BooleanValueNode | EnumValueNode):
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
        _dotted(refused.path),
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
