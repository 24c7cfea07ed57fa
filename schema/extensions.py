"""Schema extensions: error masking with request ids, and the limits every query is held to."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    SchemaExtension,
)
from strawberry.schema.exceptions import CannotGetOperationTypeError

from loaders import Loaders
from schema.cost import query_cost
from schema.documents import LimitedParser
from schema.inputs import check_inputs
from schema.limits import QueryLimits, validation
from services.auth import viewer_and_expiry
from settings import Settings

log = logging.getLogger("tradewind.graphql")


#: What a client's document or request did wrong, as Strawberry raises it before execution
#: (an operation name the document lacks, an empty query): never a bug.
CLIENT_MISTAKES = (GraphQLError, CannotGetOperationTypeError, MissingQueryError)


def is_unexpected(error: GraphQLError) -> bool:
    """True for bugs: errors raised by our code that are not meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, CLIENT_MISTAKES)


class MaskUnexpectedErrors(MaskErrors):
    """Keeps client-facing errors; replaces the rest with a request id and logs them."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        log.error(
            "graphql.unexpected_error request_id=%s path=%s",
            request_id,
            error.path,
            exc_info=error.original_error,
        )
        return GraphQLError(
            message=f"Internal server error (request id {request_id}).",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def tag_request_errors(errors: list[GraphQLError]) -> None:
    """Give syntax, validation and query-limit errors the code clients branch on."""
    for error in errors:
        original = error.original_error
        if not error.extensions and (original is None or isinstance(original, CLIENT_MISTAKES)):
            error.extensions = {"code": "GRAPHQL_VALIDATION_FAILED"}


class RecheckSocketViewer(SchemaExtension):
    """Before each operation on a WebSocket, read its viewer again and give it fresh loaders.

    A socket's context is built once, at `connection_init`, and graphql-transport-ws runs
    queries and mutations over it too: without this, a signed-out, disabled or demoted
    account would keep the rights it connected with for as long as the socket stays open.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(getattr(context, "request", None), WebSocket):
            context.viewer, context.viewer_expires_at = await viewer_and_expiry(
                context.socket_token, context.settings
            )
            context.loaders = Loaders()
        yield


def schema_extensions(settings: Settings) -> list[type[SchemaExtension] | Callable[[], Any]]:
    """The extensions of the schema, in the order they run."""
    limits = QueryLimits(
        max_fields=settings.max_query_fields,
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_repeats=settings.max_field_repeats,
    )
    extensions: list[type[SchemaExtension] | Callable[[], Any]] = [
        MaskUnexpectedErrors,
        RecheckSocketViewer,
        lambda: LimitedParser(max_tokens=settings.max_query_tokens),
        # Size, depth and aliases (linear in the document), then graphql-core's rules.
        validation(limits),
        query_cost(settings),
        # Values the client sent (IDs, order numbers, strings), once the cost is known.
        check_inputs(),
    ]
    if not settings.debug:
        extensions.append(DisableIntrospection)
    return extensions
