"""Refreshes the third-party browser files the console serves (`make vendor`).

Each package is pinned here by name and version. Its tarball comes from the npm registry,
is checked against the `integrity` (SHA-512) the registry's metadata gives for that
version, and only the listed files, with the licence, are extracted into
`web/vendor/<name>/`. `web/vendor/vendor.json` records what was taken: name, version,
licence, tarball address, integrity and the SHA-256 of every file, which the tests check
without the network.

Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "web" / "vendor"
MANIFEST = VENDOR / "vendor.json"
TIMEOUT = 60


@dataclass(frozen=True)
class Pinned:
    name: str
    version: str
    #: Paths inside the package (the tarball's `package/` folder).
    files: tuple[str, ...]
    licence_file: str = "LICENSE"


PACKAGES = (
    Pinned(
        name="uplot",
        version="1.6.32",
        files=("dist/uPlot.esm.js", "dist/uPlot.min.css"),
    ),
)


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        return bytes(answer.read())


def check_integrity(data: bytes, integrity: str) -> None:
    """Raises ValueError unless `data` matches the registry's `sha512-<base64>` integrity."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise ValueError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise ValueError(f"integrity mismatch: registry says {expected}, tarball is {actual}")


def vendor(package: Pinned) -> dict[str, object]:
    """Downloads, checks and extracts one package; returns its manifest entry."""
    meta = json.loads(fetch(f"{REGISTRY}/{package.name}/{package.version}"))
    dist = meta["dist"]
    tarball = fetch(dist["tarball"])
    check_integrity(tarball, dist["integrity"])
    target = VENDOR / package.name
    target.mkdir(parents=True, exist_ok=True)
    wanted = [*package.files, package.licence_file]
    digests: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for inner in wanted:
            member = archive.getmember(f"package/{inner}")
            extracted = archive.extractfile(member)
            if extracted is None:
                raise ValueError(f"{package.name}: {inner} is not a file")
            data = extracted.read()
            name = Path(inner).name
            (target / name).write_bytes(data)
            digests[f"{package.name}/{name}"] = hashlib.sha256(data).hexdigest()
    return {
        "name": package.name,
        "version": package.version,
        "licence": meta.get("license", ""),
        "licence_file": f"{package.name}/{Path(package.licence_file).name}",
        "tarball": dist["tarball"],
        "integrity": dist["integrity"],
        "files": digests,
    }


def main() -> int:
    entries = [vendor(package) for package in PACKAGES]
    MANIFEST.write_text(json.dumps({"packages": entries}, indent=2) + "\n")
    for entry in entries:
        print(f"{entry['name']} {entry['version']}: {len(entry['files'])} files", file=sys.stderr)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
