"""`.ci/run` tests against the services it is given, and starts local ones only for itself.

The commands it runs (make, pg_isready, redis-cli, and the service starters) are replaced
by stand-ins on PATH that record how they were called.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from settings import ROOT

#: Each stand-in logs its name, arguments and the URLs it was given. The readiness checks
#: of the local services fail until the matching starter has run.
STAND_INS = {
    "make": "",
    "pg_ctlcluster": 'touch "$STATE/pg"',
    "redis-server": 'touch "$STATE/redis"',
    "pg_isready": 'case "$*" in *"-h 127.0.0.1"*) [ -e "$STATE/pg" ] || exit 1;; esac',
    "redis-cli": 'case "$*" in *"-h 127.0.0.1"*) [ -e "$STATE/redis" ] || exit 1;; esac',
}


def _run_ci(tmp_path: Path, **env: str) -> list[str]:
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    log = tmp_path / "calls.log"
    for name, body in STAND_INS.items():
        script = bin_dir / name
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{name} $* DATABASE_URL=${{DATABASE_URL-}} REDIS_URL=${{REDIS_URL-}}"'
            f' >> "{log}"\n{body}\nexit 0\n'
        )
        script.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    subprocess.run(
        [str(ROOT / ".ci" / "run")],
        env={**base, **env, "PATH": f"{bin_dir}:{os.environ['PATH']}", "STATE": str(state)},
        check=True,
        capture_output=True,
        timeout=60,
    )
    return log.read_text().splitlines()


@pytest.mark.skipif(not (ROOT / ".ci" / "run").exists(), reason="no CI script")
def test_given_services_are_used_and_nothing_is_started(tmp_path):
    database = "postgres://ci@db.internal:5432/postgres"
    redis = "redis://cache.internal:6379/3"
    calls = _run_ci(tmp_path, DATABASE_URL=database, REDIS_URL=redis)
    assert not [c for c in calls if c.startswith(("pg_ctlcluster", "redis-server"))]
    assert calls[-1] == f"make test DATABASE_URL={database} REDIS_URL={redis}"
    # The SQLite run comes first, without either.
    assert "make test DATABASE_URL= REDIS_URL=" in calls
    # The installed wheel is tried on its own before any test run.
    names = [c.split(" DATABASE_URL=")[0] for c in calls]
    assert names.index("make wheel-check") < names.index("make test")
    assert f"pg_isready -d {database} DATABASE_URL={database} REDIS_URL={redis}" in calls


@pytest.mark.skipif(not (ROOT / ".ci" / "run").exists(), reason="no CI script")
def test_without_urls_the_local_services_are_started_and_used(tmp_path):
    calls = _run_ci(tmp_path)
    names = [c.split()[0] for c in calls]
    assert "pg_ctlcluster" in names and "redis-server" in names
    assert calls[-1] == (
        "make test DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres "
        "REDIS_URL=redis://127.0.0.1:6379/0"
    )
