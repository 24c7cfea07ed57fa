"""Service errors to payload errors, once for every mutation.

A field made with `mutation(...)` (or `field_with_errors(...)`) runs its resolver; a
`ServiceError` it raises becomes the returned payload's `errors`, each problem's code
mapped by name into the payload's own error-code enum. A code that enum lacks is a bug:
logged, and raised on to be masked. A field made with `query(...)` answers a
`ServiceError` with a GraphQL input error instead (a bad argument of a query).

A payload whose other fields depend on the failure (a recorded refund, the currency asked
for) builds itself with a classmethod `from_service_error(exc, info, arguments)`, which
may be async, and uses `errors_for` for its errors.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from enum import Enum
from functools import cache
from typing import Any

import strawberry
from strawberry.extensions.field_extension import (
    AsyncExtensionResolver,
    FieldExtension,
    SyncExtensionResolver,
)
from strawberry.types.base import (
    StrawberryContainer,
    get_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

from schema.errors import BadUserInput, field_path
from services.errors import ServiceError

log = logging.getLogger("tradewind.graphql")


class UnmappedErrorCode(Exception):
    """A service raised a code the payload's error enum lacks: a bug, never shown."""


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, StrawberryContainer):
        type_ = type_.of_type
    return type_


def _field_type(cls: type, name: str) -> Any:
    definition = get_object_definition(cls, strict=True)
    for field in definition.fields:
        if field.python_name == name:
            return field.type
    raise TypeError(f"{cls.__name__} has no `{name}` field")


@cache
def error_type_of(payload_cls: type) -> tuple[type, type[Enum]]:
    """The error type a payload's `errors` field lists, and the enum of its `code`."""
    error_type = _unwrap(_field_type(payload_cls, "errors"))
    code_type = _unwrap(_field_type(error_type, "code"))
    enum = code_type.wrapped_cls if isinstance(code_type, StrawberryEnumDefinition) else code_type
    if not (isinstance(enum, type) and issubclass(enum, Enum)):
        raise TypeError(f"{error_type.__name__}.code is not an enum")
    return error_type, enum


def errors_for(payload_cls: type, exc: ServiceError, info: Any = None, **fields: Any) -> list[Any]:
    """The `errors` of `payload_cls` for `exc`: one per problem, codes mapped by name.

    The error type may add fields of its own from the exception through a classmethod
    `extra_fields(exc, info) -> dict` (a retry delay, the order a cart became); `fields`
    given here win over those.
    """
    error_type, codes = error_type_of(payload_cls)
    extra: Callable[[ServiceError, Any], dict[str, Any]] | None = getattr(
        error_type, "extra_fields", None
    )
    fields = {**(extra(exc, info) if extra is not None else {}), **fields}
    errors = []
    for problem in exc.problems:
        try:
            code = codes[problem.code.name]
        except KeyError:
            log.error(
                "graphql.unmapped_error_code",
                extra={"code": problem.code.name, "payload": payload_cls.__name__},
            )
            raise UnmappedErrorCode(
                f"{payload_cls.__name__} has no error code {problem.code.name}"
            ) from exc
        errors.append(
            error_type(code=code, message=problem.message, field=field_path(problem), **fields)
        )
    return errors


class ServiceErrorsToPayload(FieldExtension):
    """Returns the field's payload type built with `errors=` when a `ServiceError` is raised."""

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def _payload(self, exc: ServiceError, info: Any, arguments: dict[str, Any]) -> Any:
        payload_cls = _unwrap(self.field.type)
        build = getattr(payload_cls, "from_service_error", None)
        if build is not None:
            return build(exc, info, arguments)
        return payload_cls(errors=errors_for(payload_cls, exc, info))

    def resolve(self, next_: SyncExtensionResolver, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except ServiceError as exc:
            return self._payload(exc, info, kwargs)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except ServiceError as exc:
            payload = self._payload(exc, info, kwargs)
            return await payload if inspect.isawaitable(payload) else payload


class ServiceErrorsToBadInput(FieldExtension):
    """Answers a `ServiceError` with a GraphQL BAD_USER_INPUT error listing its problems."""

    def resolve(self, next_: SyncExtensionResolver, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except ServiceError as exc:
            raise BadUserInput.from_service_error(exc) from None

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except ServiceError as exc:
            raise BadUserInput.from_service_error(exc) from None


def _field_with(make: Callable[..., Any], handler: type[FieldExtension]) -> Callable[..., Any]:
    """A field maker like `make` (`strawberry.field` or `.mutation`) whose fields each also
    run a `handler` of their own (it keeps its field), after any extensions given."""

    def field(
        *,
        permission_classes: Sequence[type[strawberry.BasePermission]] | None = None,
        description: str | None = None,
        extensions: Sequence[FieldExtension] = (),
        **options: Any,
    ) -> Any:
        return make(
            permission_classes=list(permission_classes or []),
            description=description,
            extensions=[*extensions, handler()],
            **options,
        )

    return field


#: `strawberry.mutation` whose service errors become the payload's `errors`.
mutation = _field_with(strawberry.mutation, ServiceErrorsToPayload)
#: `strawberry.field` for a query answering with a payload: errors as in `mutation`.
field_with_errors = _field_with(strawberry.field, ServiceErrorsToPayload)
#: `strawberry.field` whose service errors are GraphQL input errors (bad arguments).
query = _field_with(strawberry.field, ServiceErrorsToBadInput)
