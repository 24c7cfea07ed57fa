"""Input validation by declared pydantic models, failing as the domain's `ServiceError`.

A domain declares what an input holds as a model (constraints, validators); `validate` runs
it and turns each failure into a `Problem` at the field's snake_case path. A validator refuses
a value with `refuse("INVALID_SLUG", "...")`: the kind names the domain's code of that name,
and the message is the one the client reads. Pydantic's own kinds map through `KINDS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from services.errors import Problem, Problems, ServiceError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

#: The domain code each of pydantic's own failure kinds stands for (first one the domain
#: has), when a model leaves a check to pydantic rather than to a validator of ours.
KINDS: dict[str, tuple[str, ...]] = {
    "missing": ("REQUIRED",),
    "none_required": ("INVALID",),
    "string_too_short": ("REQUIRED", "INVALID"),
    "string_too_long": ("TOO_LONG", "INVALID"),
    "too_long": ("TOO_LONG", "INVALID"),
    "too_short": ("REQUIRED", "INVALID"),
}


class Input(BaseModel):
    """The base of an input model: strict about unknown keys, never coercing silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def refuse(kind: str, message: str) -> NoReturn:
    """Refuse a value from inside a validator: `kind` names the domain's error code."""
    raise PydanticCustomError(kind, message)


def _code(error: type[ServiceError[Any]], kind: str) -> Any:
    codes = error.codes
    if kind in codes.__members__:
        return codes[kind]
    for name in KINDS.get(kind, ()):
        if name in codes.__members__:
            return codes[name]
    return codes["INVALID"]


def _problem(error: type[ServiceError[Any]], detail: ErrorDetails, path: Sequence[str]) -> Problem:
    field = (*path, *(str(part) for part in detail["loc"]))
    return Problem(_code(error, detail["type"]), detail["msg"], field or None)


def validate(
    model: type[M] | TypeAdapter[T],
    data: Any,
    problems: Problems[Any],
    *path: str,
    context: Mapping[str, Any] | None = None,
) -> M | T | None:
    """`data` as `model` (or as an adapter's type), or None with each failure noted in
    `problems` under `path`."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data, context=dict(context or {}))
        return model.model_validate(dict(data), context=dict(context or {}))
    except ValidationError as exc:
        problems.extend(_problem(problems.error, detail, path) for detail in exc.errors())
        return None


def validated(
    model: type[M],
    data: Mapping[str, Any],
    error: type[ServiceError[Any]],
    *path: str,
    context: Mapping[str, Any] | None = None,
) -> M:
    """`data` as `model`; raises `error` with every problem found."""
    problems = Problems(error)
    result = validate(model, data, problems, *path, context=context)
    problems.raise_if_any()
    assert isinstance(result, model)
    return result
