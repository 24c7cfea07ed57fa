"""The GraphQL kit: what every domain's root fields use, imported from here.

- `mutation` / `field_with_errors`: service errors become the payload's `errors`.
- `query`: service errors of a query become GraphQL input errors.
- `input_pk` / `argument_pk`: global IDs decoded with type and range checks; `refused`
  turns a parser's refusal of a client value into a problem at its input field.
- `connection` / `page_or_error`: connections from a service's page; `or_none`: an
  answer that is None when the service refuses; `attempt`: the answer or the refusal.
- `read_uploads` / `read_named_uploads`: uploaded files read and closed; `rate_limited`:
  a client over a limit.
- `node_lookup`: the objects behind global IDs of one type, as the viewer may see them.
"""

from schema.kit.answers import Attempt, attempt, or_none, page_or_error
from schema.kit.connections import connection
from schema.kit.inputs import KitErrorCode, argument_pk, input_pk, pk_or_none, refused
from schema.kit.limits import RateLimitedError, rate_limited
from schema.kit.payloads import (
    UnmappedErrorCode,
    errors_for,
    field_with_errors,
    mutation,
    query,
)
from schema.kit.uploads import read_named_uploads, read_uploads

__all__ = [
    "Attempt",
    "KitErrorCode",
    "RateLimitedError",
    "UnmappedErrorCode",
    "argument_pk",
    "attempt",
    "connection",
    "errors_for",
    "field_with_errors",
    "input_pk",
    "mutation",
    "or_none",
    "page_or_error",
    "pk_or_none",
    "query",
    "rate_limited",
    "read_named_uploads",
    "read_uploads",
    "refused",
]
