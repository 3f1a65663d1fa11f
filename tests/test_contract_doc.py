"""data/raw/README.md documents every file, column and dataset.json key of the contract."""

from __future__ import annotations

import re

import pytest

from tzeval.contract import FILES, METADATA_KEYS
from tzeval.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")


def _section(filename: str) -> str:
    """The README text from the first heading naming ``filename`` to the next heading of that level."""
    match = re.search(rf"^(#+) [^\n]*`{re.escape(filename)}`", README, flags=re.MULTILINE)
    assert match, f"no heading names {filename}"
    level = len(match.group(1))
    rest = README[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.filename)
def test_every_column_is_in_its_file_section(spec):
    section = _section(spec.filename)
    missing = [column.name for column in spec.columns if f"| `{column.name}` |" not in section
               and f"`{column.name}`" not in section]
    assert not missing, f"{spec.filename}: columns not documented in data/raw/README.md: {missing}"


def test_every_dataset_json_key_is_documented():
    missing = [key for key in METADATA_KEYS if f"| `{key}` |" not in README]
    assert not missing, f"dataset.json keys not documented: {missing}"


def test_every_suppression_marker_is_documented():
    from tzeval.reading import SUPPRESSION_MARKERS

    missing = [marker for marker in SUPPRESSION_MARKERS if marker and f"`{marker}`" not in README]
    assert not missing
