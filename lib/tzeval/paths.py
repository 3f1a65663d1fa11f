"""Where things live, and the one gate a territory id passes before touching a path."""

from __future__ import annotations

import re
from pathlib import Path

SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")

#: The repository root when tzeval is installed in editable mode from a checkout.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_DATA_DIR = PROJECT_ROOT / "data" / "raw" / "demo"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"


class UnsafeIdentifierError(ValueError):
    """A territory id that is not a slug and so may not be used in a file name."""


def is_slug(value: object) -> bool:
    """Return True if ``value`` is a string made only of ``a-z``, ``0-9`` and ``-``."""
    return isinstance(value, str) and bool(SLUG_PATTERN.fullmatch(value))


def territory_file(directory: Path, territory_id: str, suffix: str) -> Path:
    """Return ``directory/<territory_id><suffix>``, refusing any id that is not a slug.

    The check is the only route from data to a file name, so an id such as ``../x``
    never reaches the file system.
    """
    if not is_slug(territory_id):
        raise UnsafeIdentifierError(
            f"territory id {territory_id!r} is not a slug (only a-z, 0-9 and '-' are allowed)"
        )
    directory = Path(directory).resolve()
    path = (directory / f"{territory_id}{suffix}").resolve()
    if path.parent != directory:  # defence in depth; a slug cannot escape
        raise UnsafeIdentifierError(f"territory id {territory_id!r} escapes {directory}")
    return path
