"""The README's settings table is `Settings`, as `make settings-doc` writes it."""

from __future__ import annotations

import re
import shutil

import cli
from settings import ROOT, Settings

README = ROOT / "README.md"


def _documented_rows() -> list[list[str]]:
    text = README.read_text()
    _, _, rest = text.partition(cli.SETTINGS_DOC_START)
    table, end, _ = rest.partition(cli.SETTINGS_DOC_END)
    assert end, "the README has lost its settings table markers"
    rows = [line for line in table.strip().splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_the_committed_table_is_the_generated_one():
    _, _, rest = README.read_text().partition(cli.SETTINGS_DOC_START)
    table = rest.partition(cli.SETTINGS_DOC_END)[0]
    assert table == "\n" + cli.settings_table(), "run `make settings-doc` and commit README.md"


def test_every_setting_is_documented_with_a_default_and_a_meaning_and_nothing_else():
    documented: list[str] = []
    for variables, defaults, meaning in _documented_rows():
        names = re.findall(r"`([A-Z0-9_]+)`", variables)
        assert len(re.findall(r"`[^`]*`|unset", defaults)) == len(names), defaults
        assert meaning, f"{variables} has no meaning: give it a `#:` comment in settings.py"
        documented += names
    assert sorted(documented) == sorted(name.upper() for name in Settings.model_fields)
    assert len(documented) == len(set(documented))


def test_regenerating_an_up_to_date_readme_changes_nothing(tmp_path):
    copy = tmp_path / "README.md"
    shutil.copy(README, copy)
    assert cli.write_settings_doc(copy) is False
    assert copy.read_text() == README.read_text()
    # A table someone edited by hand is put back.
    copy.write_text(copy.read_text().replace("| `DEBUG` | `0` |", "| `DEBUG` | `1` |"))
    assert cli.write_settings_doc(copy) is True
    assert copy.read_text() == README.read_text()


def test_no_path_of_the_machine_is_documented():
    assert str(ROOT) not in cli.settings_table()
