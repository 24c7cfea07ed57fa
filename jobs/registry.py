"""Task handlers by name: what a job row's `task` runs.

`@registry.task("orders.send_email")` registers an async function called with the row's
`kwargs`. A handler must be idempotent: it may run again after a crash between its effect
and the job being marked done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Task:
    name: str
    handler: Handler
    #: Runs before the job is dead; None: the `jobs_max_attempts` setting.
    max_attempts: int | None = None


_tasks: dict[str, Task] = {}


class UnknownTask(LookupError):
    pass


def register(name: str, handler: Handler, *, max_attempts: int | None = None) -> Task:
    """Register `handler` under `name`; a second registration under a name replaces it."""
    entry = Task(name, handler, max_attempts)
    _tasks[name] = entry
    return entry


def unregister(name: str) -> None:
    _tasks.pop(name, None)


def task(name: str, *, max_attempts: int | None = None) -> Callable[[Handler], Handler]:
    """Decorator form of `register`."""

    def decorate(handler: Handler) -> Handler:
        register(name, handler, max_attempts=max_attempts)
        return handler

    return decorate


def get(name: str) -> Task:
    try:
        return _tasks[name]
    except KeyError:
        raise UnknownTask(f"no task is registered as {name!r}") from None


def names() -> list[str]:
    return sorted(_tasks)


def call(entry: Task, kwargs: dict[str, Any]) -> Awaitable[object]:
    return entry.handler(**kwargs)
