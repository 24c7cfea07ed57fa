"""The vendored browser files are exactly those `make vendor` recorded, each with its licence."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "web" / "vendor"


def manifest() -> list[dict]:
    return json.loads((VENDOR / "vendor.json").read_text())["packages"]


def test_every_vendored_file_matches_its_recorded_checksum():
    packages = manifest()
    assert [p["name"] for p in packages] == ["uplot"]
    for package in packages:
        assert package["integrity"].startswith("sha512-")
        assert package["tarball"].startswith("https://registry.npmjs.org/")
        assert package["version"] in package["tarball"]
        assert package["files"]
        for name, digest in package["files"].items():
            data = (VENDOR / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, name


def test_every_package_carries_its_licence():
    for package in manifest():
        assert package["licence"]
        licence = VENDOR / package["licence_file"]
        assert licence.is_file()
        assert package["licence_file"] in package["files"]
        assert "Permission is hereby granted" in licence.read_text()


def test_nothing_unrecorded_lies_in_the_vendor_folder():
    recorded = {name for p in manifest() for name in p["files"]} | {"vendor.json"}
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert present == recorded
