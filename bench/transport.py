"""What an oversized request costs the server: time to refuse it, and the memory it takes.

    .venv/bin/python -m bench.transport [--keep]

Starts the server as a user would (`cli.py serve`, one process, a fresh SQLite database in a
temporary folder), then, one at a time:

1. a 2.2 MB anonymous query (`{ __typename __typename ... }`), and one just under the body
   limit: the seconds until the answer arrives, and the longest `/healthz` answer sent
   meanwhile (how long the event loop was blocked);
2. a 64 MiB chunked JSON body (no Content-Length; its variables hold a list of short
   strings), sent in 64 KiB chunks as fast as the server takes them: the answer's status,
   and the server's peak resident memory (VmHWM) before and after.

The figures, before and after, are recorded in `bench/README.md`.

Prints the figures; nothing is asserted (the suite tests behaviour, not speed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


async def timed_query(base: str, query: str) -> dict[str, object]:
    """Send `query`, pinging /healthz meanwhile; the answer's status and the timings."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        longest_ping = 0.0
        done = asyncio.Event()

        async def ping() -> None:
            nonlocal longest_ping
            while not done.is_set():
                started = time.perf_counter()
                await http.get("/healthz")
                longest_ping = max(longest_ping, time.perf_counter() - started)
                await asyncio.sleep(0.01)

        pinger = asyncio.create_task(ping())
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": query})
        elapsed = time.perf_counter() - started
        done.set()
        await pinger
    return {
        "bytes": len(query),
        "status": response.status_code,
        "seconds": round(elapsed, 3),
        "longest_healthz_seconds": round(longest_ping, 3),
        "answer": response.text[:120],
    }


def chunked_body(port: int, total: int, chunk: int = 64 * 1024) -> dict[str, object]:
    """Stream `total` bytes as a chunked JSON body; what the server answered and took."""
    sent = 0
    status = "no answer"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        # Valid JSON: a list of short strings in the variables, as a careless client sends.
        head = b'{"query":"{ __typename }","variables":{"v":['
        item = b'"abcdefgh",'
        tail = b'"x"]}}'

        def frame(data: bytes) -> bytes:
            return b"%x\r\n%s\r\n" % (len(data), data)

        piece = frame(item * (chunk // len(item)))
        sock.settimeout(30)
        try:
            sock.sendall(frame(head))
            while sent < total:
                sock.sendall(piece)
                sent += chunk
            sock.sendall(frame(tail) + b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed the connection
        with contextlib.suppress(OSError):
            status = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return {"body_bytes": total, "bytes_sent": sent, "status": status}


async def measure(base: str, port: int, pid: int, limit: int) -> dict[str, object]:
    figures: dict[str, object] = {}
    figures["big_query"] = await timed_query(base, "{ " + "__typename " * 200_000 + "}")
    under_limit = "{ " + "__typename " * ((limit - 64) // 11) + "}"
    figures["query_under_body_limit"] = await timed_query(base, under_limit)
    before = memory_kib(pid, "VmHWM")
    result = await asyncio.to_thread(chunked_body, port, 64 * 1024 * 1024)
    await asyncio.sleep(0.5)
    figures["chunked_64_mib"] = {
        **result,
        "peak_rss_mib_before": round(before / 1024, 1),
        "peak_rss_mib_after": round(memory_kib(pid, "VmHWM") / 1024, 1),
    }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and log")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tradewind-bench-transport-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{folder / 'bench.sqlite3'}",
        "MEDIA_DIR": str(folder / "media"),
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "DEBUG": "0",
        "LISTING_SWEEP_INTERVAL": "0",
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    subprocess.run([python, "cli.py", "migrate"], cwd=ROOT, env=env, check=True)
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [python, "cli.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            time.sleep(0.1)
        sys.path.insert(0, str(ROOT))
        from settings import Settings

        limit = getattr(Settings(), "max_request_bytes", 1024 * 1024)
        figures = asyncio.run(measure(base, port, server.pid, limit))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
