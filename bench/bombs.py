"""Time to refuse hostile documents, in-process: `python -m bench.bombs`.

Each document goes through the server's own schema (`domains.build_schema`) as a request
would, with no database: every one of them must be refused before anything runs.
"""

from __future__ import annotations

import asyncio
import logging
import string
import time

from domains import build_schema
from settings import Settings


def _name(i: int) -> str:
    letters = string.ascii_letters
    return (
        letters[i] if i < len(letters) else letters[i // len(letters)] + letters[i % len(letters)]
    )


def fragment_bomb(
    levels: int, *, root: str = "{...a}", on: str = "Query", leaf: str = "__typename"
) -> str:
    """Fragments on `on` that each spread the next one twice: 2^levels paths in a few bytes.

    `root` spreads the first fragment, `a`; the last one selects `leaf`.
    """
    parts = [root]
    for i in range(levels):
        name, following = _name(i), _name(i + 1)
        parts.append(f"fragment {name} on {on}{{...{following} ...{following}}}")
    parts.append(f"fragment {_name(levels)} on {on}{{{leaf}}}")
    return "\n".join(parts)


def sized_bomb(max_bytes: int) -> str:
    """The deepest fragment bomb that fits in `max_bytes`."""
    levels = 1
    while len(fragment_bomb(levels + 1).encode()) <= max_bytes:
        levels += 1
    return fragment_bomb(levels)


DOCUMENTS = {
    "fragment bomb, 808 bytes": sized_bomb(808),
    "fragment bomb, 2 KB": sized_bomb(2048),
    "fragment bomb, 30 levels": fragment_bomb(30),
    "one field 999 times": "{ " + "__typename " * 999 + "}",
    "300 fragments of one field": "{ ...f } fragment f on Query { "
    + " ".join(f"...g{i}" for i in range(300))
    + " } "
    + " ".join(f"fragment g{i} on Query {{ brands {{ totalCount }} }}" for i in range(300)),
}


async def main() -> None:
    logging.disable(logging.CRITICAL)
    schema = build_schema(Settings())
    for name, document in DOCUMENTS.items():
        started = time.perf_counter()
        result = await schema.execute(document)
        took = time.perf_counter() - started
        refused = result.data is None and bool(result.errors)
        message = result.errors[0].message[:70] if result.errors else ""
        print(f"{name:28} {len(document.encode()):6} bytes {took * 1000:8.1f} ms  {message}")
        assert refused, f"{name} was not refused"


if __name__ == "__main__":
    asyncio.run(main())
