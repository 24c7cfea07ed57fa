"""The shape every domain's expected failures take: a code, a message and the input path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a request: `code` is a member of the domain's error-code enum."""

    code: Enum
    message: str
    field: tuple[str, ...] | None = None


class ServiceError(Exception):
    """An expected failure of a service call; nothing was changed.

    Resolvers turn it into the payload's `errors`; each domain subclasses it so callers can
    catch one domain's failures.
    """

    def __init__(self, problems: Problem | Sequence[Problem]) -> None:
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        super().__init__("; ".join(p.message for p in self.problems))
