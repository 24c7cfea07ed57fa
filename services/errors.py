"""The shape every domain's expected failures take: a code, a message and the input path.

A domain declares its code enum and its error class, and takes `fail`/`not_found` from it:

    class CatalogError(ServiceError[CatalogErrorCode]): ...
    fail, not_found = CatalogError.fail, CatalogError.not_found

Field paths are the service's own argument names, snake_case (`("lines", "0", "variant_id")`);
the GraphQL layer spells them as the schema does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Generic, Self, TypeVar, get_args

C = TypeVar("C", bound=Enum)

NOT_NULL = "This field cannot be null; leave it out to keep its value."


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a request: `code` is a member of the domain's error-code enum."""

    code: Enum
    message: str
    field: tuple[str, ...] | None = None


class ServiceError(Exception, Generic[C]):
    """An expected failure of a service call; nothing was changed.

    Resolvers turn it into the payload's `errors`; each domain subclasses it, naming its code
    enum (`ServiceError[CatalogErrorCode]`), so callers can catch one domain's failures.
    """

    #: The domain's error-code enum, taken from the subscripted base.
    codes: ClassVar[type[Enum]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in getattr(cls, "__orig_bases__", ()):
            for arg in get_args(base):
                if isinstance(arg, type) and issubclass(arg, Enum):
                    cls.codes = arg

    def __init__(self, problems: Problem | Sequence[Problem]) -> None:
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        super().__init__("; ".join(p.message for p in self.problems))

    @classmethod
    def fail(cls, code: C, message: str, *field: str) -> Self:
        """A one-problem error of this domain, ready to raise."""
        return cls(Problem(code, message, field or None))

    @classmethod
    def not_found(cls, what: str, *field: str) -> Self:
        """A NOT_FOUND error: also what another owner's row reads as."""
        return cls(Problem(cls.codes["NOT_FOUND"], f"{what} does not exist.", field or None))


class Problems(Generic[C]):
    """Collects the problems of one request, so the caller sees all of them at once."""

    def __init__(self, error: type[ServiceError[C]]) -> None:
        self.error = error
        self.items: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, code: C, message: str, *field: str) -> None:
        self.items.append(Problem(code, message, field or None))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def add_from(self, error: ServiceError[Any]) -> None:
        """Take another domain's problems under this domain's code of the same name."""
        codes = self.error.codes
        for problem in error.problems:
            code = codes.__members__.get(problem.code.name, codes["INVALID"])
            self.items.append(Problem(code, problem.message, problem.field))

    def has(self, *field: str) -> bool:
        """Whether a problem was noted at `field` (or under it)."""
        return any(p.field and p.field[: len(field)] == field for p in self.items)

    def refuse_nulls(
        self,
        fields: Mapping[str, Any],
        nullable: Collection[str] = (),
        *,
        only: Collection[str] | None = None,
    ) -> None:
        """REQUIRED for each given field set to None that cannot be null (left out is fine).

        An update's explicit null means "clear it"; a field that cannot be cleared refuses it
        rather than storing a default or the text "None". `only` limits the check to those.
        """
        for key, value in fields.items():
            if value is None and key not in nullable and (only is None or key in only):
                self.add(self.error.codes["REQUIRED"], NOT_NULL, key)  # type: ignore[arg-type]

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error(self.items)
