"""Where things live, and the one gate a territory id passes before touching a path."""

from __future__ import annotations

import re
from pathlib import Path

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
"""Letters, digits, '_' and '-': INSEE codes (``QP059001``, ``59350``, ``2A004``) and slugs
pass; '.', '/' and '\\' never do, so no id can name a parent folder or a sub-folder."""

from .config import PROJECT_ROOT, is_checkout

DEMO_DATA_DIR = PROJECT_ROOT / "data" / "raw" / "demo"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: Reports go into the checkout's reports/ folder, or ./reports next to an installed workbook.
REPORTS_DIR = PROJECT_ROOT / "reports" if is_checkout(PROJECT_ROOT) else Path.cwd() / "reports"


class UnsafeIdentifierError(ValueError):
    """A territory id that may not be used in a file name."""


def is_safe_id(value: object) -> bool:
    """Return True if ``value`` is a string made only of letters, digits, ``_`` and ``-``."""
    return isinstance(value, str) and bool(ID_PATTERN.fullmatch(value))


def territory_file(directory: Path, territory_id: str, suffix: str) -> Path:
    """Return ``directory/<territory_id><suffix>``, refusing any id outside :data:`ID_PATTERN`.

    The check is the only route from data to a file name, so an id such as ``../x``
    never reaches the file system.
    """
    if not is_safe_id(territory_id):
        raise UnsafeIdentifierError(
            f"territory id {territory_id!r} may not name a file (only letters, digits, '_' and '-' are allowed)"
        )
    directory = Path(directory).resolve()
    path = (directory / f"{territory_id}{suffix}").resolve()
    if path.parent != directory:  # defence in depth; a safe id cannot escape
        raise UnsafeIdentifierError(f"territory id {territory_id!r} escapes {directory}")
    return path
