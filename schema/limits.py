"""The size, depth and aliases of a query document, measured once per fragment.

Strawberry's `QueryDepthLimiter` and `MaxAliasesLimiter` walk a named fragment again at
every spread of it, so fragments that each spread the next one twice cost 2^n steps: a
few hundred bytes held the event loop for seconds. Here each fragment is measured once
and its measure reused at every spread, so the work is linear in the document. A document
that selects too many fields once its fragments are expanded, nests too deep or uses too
many aliases is refused before graphql-core's own rules run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


@dataclass(frozen=True, slots=True)
class Shape:
    """What a selection asks for once every fragment spread in it is expanded."""

    #: Fields selected, counting a fragment's fields once per spread of it.
    fields: int = 0
    #: The longest chain of fields with selections (introspection fields do not count).
    depth: int = 0
    #: Aliased fields, counting a fragment's once per spread of it.
    aliases: int = 0


_EMPTY = Shape()


class _Measure:
    """Measures selection sets, each named fragment once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.shapes: dict[str, Shape] = {}

    def fragment(self, name: str) -> Shape:
        if (known := self.shapes.get(name)) is not None:
            return known
        definition = self.fragments.get(name)
        # An unknown fragment, or one that spreads itself (a cycle), adds nothing here:
        # graphql-core's rules refuse both documents.
        self.shapes[name] = _EMPTY
        if definition is None:
            return _EMPTY
        shape = self.selection_set(definition.selection_set)
        self.shapes[name] = shape
        return shape

    def selection_set(self, selection_set: SelectionSetNode) -> Shape:
        fields = depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = (
                    self.selection_set(selection.selection_set)
                    if selection.selection_set
                    else _EMPTY
                )
                fields += 1 + inner.fields
                aliases += inner.aliases + (1 if selection.alias else 0)
                if selection.selection_set and not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
                continue
            if isinstance(selection, InlineFragmentNode):
                inner = self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
            else:  # pragma: no cover - graphql-core has no other kind of selection
                continue
            fields += inner.fields
            aliases += inner.aliases
            depth = max(depth, inner.depth)
        return Shape(fields, depth, aliases)


class _Repeats:
    """The most times one response name is selected in one selection set, fragments
    expanded: graphql-core compares such fields pair by pair, so their number bounds its
    quadratic work. Each fragment's names are counted once; run it on a document whose
    expanded size is within bounds, and the counting is bounded by that size."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.names: dict[str, Counter[str]] = {}
        self.most = 0

    def fragment(self, name: str) -> Counter[str]:
        if (known := self.names.get(name)) is not None:
            return known
        self.names[name] = Counter()  # a cycle counts nothing more (and is refused)
        definition = self.fragments.get(name)
        if definition is None:
            return self.names[name]
        names = self.names[name] = self.selection_set(definition.selection_set, nested=True)
        return names

    def selection_set(
        self, selection_set: SelectionSetNode, *, nested: bool = False
    ) -> Counter[str]:
        """The names this selection set selects; `nested` when it is merged into another."""
        names: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names[(selection.alias or selection.name).value] += 1
                if selection.selection_set:
                    self.selection_set(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                names.update(self.selection_set(selection.selection_set, nested=True))
            elif isinstance(selection, FragmentSpreadNode):
                names.update(self.fragment(selection.name.value))
        if not nested and names:
            self.most = max(self.most, max(names.values()))
        return names


def most_repeated(document: DocumentNode) -> int:
    """The most times one name is selected in one selection set, fragments expanded."""
    repeats = _Repeats(
        {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
    )
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            repeats.selection_set(definition.selection_set)
    return repeats.most


def operation_shapes(document: DocumentNode) -> Iterator[tuple[OperationDefinitionNode, Shape]]:
    """Each operation of `document` with its shape; linear in the document's size."""
    measure = _Measure(document)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            yield definition, measure.selection_set(definition.selection_set)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """The most a document may ask for (the `MAX_QUERY_*` settings)."""

    max_fields: int
    max_depth: int
    max_aliases: int
    max_repeats: int

    def problems(self, document: DocumentNode) -> list[GraphQLError]:
        """Why `document` is refused; empty when it is within every limit."""
        errors: list[GraphQLError] = []
        total_aliases = 0
        try:
            shapes = list(operation_shapes(document))
        except RecursionError:
            return [GraphQLError("The document nests too deeply.")]
        for operation, shape in shapes:
            name = operation.name.value if operation.name else "anonymous"
            if shape.fields > self.max_fields:
                errors.append(
                    GraphQLError(
                        f"'{name}' selects {shape.fields} fields once its fragments are "
                        f"expanded; at most {self.max_fields} are allowed.",
                        operation,
                    )
                )
            if shape.depth > self.max_depth:
                errors.append(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {self.max_depth}",
                        operation,
                    )
                )
            total_aliases += shape.aliases
        if total_aliases > self.max_aliases:
            errors.append(
                GraphQLError(f"{total_aliases} aliases found. Allowed: {self.max_aliases}")
            )
        if errors:
            return errors
        # Only now, with the expanded size bounded, is counting names bounded too.
        if (repeats := most_repeated(document)) > self.max_repeats:
            errors.append(
                GraphQLError(
                    f"A selection selects the same field {repeats} times once its fragments "
                    f"are expanded; at most {self.max_repeats} are allowed."
                )
            )
        return errors


def _validator(limits: QueryLimits, maxsize: int) -> Callable[..., list[GraphQLError]]:
    @lru_cache(maxsize=maxsize)
    def validate(
        schema: GraphQLSchema,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        # The limits first: graphql-core's rules only ever see a document of bounded size.
        return limits.problems(document) or validate_document(schema, document, rules)

    return validate


class ValidateWithinLimits(SchemaExtension):
    """Validates each document once (cached): the query limits, then graphql-core's rules.

    Build it with `validation(limits)`, whose cache every request shares.
    """

    def __init__(self, validate: Callable[..., list[GraphQLError]]) -> None:
        super().__init__()
        self.validate = validate

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = self.validate(
            context.schema._schema, context.graphql_document, tuple(context.validation_rules)
        )
        yield


def validation(limits: QueryLimits, *, cache_size: int = 512) -> Callable[[], Any]:
    """A factory of `ValidateWithinLimits` extensions sharing one validation cache."""
    validate = _validator(limits, cache_size)
    return lambda: ValidateWithinLimits(validate)
