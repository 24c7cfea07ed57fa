"""The GraphQL kit: what every domain's root fields use, imported from here.

- `mutation` / `field_with_errors`: service errors become the payload's `errors`.
- `input_pk` / `argument_pk`: global IDs decoded with type and range checks.
- `connection` / `page_or_error`: connections from a service's page.
- `node_lookup`: the objects behind global IDs of one type, as the viewer may see them.
"""

from schema.kit.connections import connection, page_or_error
from schema.kit.ids import IdErrorCode, argument_pk, input_pk, pk_or_none
from schema.kit.payloads import UnmappedErrorCode, errors_for, field_with_errors, mutation

__all__ = [
    "IdErrorCode",
    "UnmappedErrorCode",
    "argument_pk",
    "connection",
    "errors_for",
    "field_with_errors",
    "input_pk",
    "mutation",
    "page_or_error",
    "pk_or_none",
]
