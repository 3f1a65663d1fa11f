"""The workbook's defaults and where its files live, defined once.

The shipped inputs (the demo data sets, ``unit_costs.csv``, ``public/programmes.csv``)
and the report notebooks are found, in this order:

1. under ``$TZEVAL_HOME`` when it is set (a checkout or a copy of one);
2. in the checkout this package was installed from in editable mode (``pip install -e .``);
3. under ``<sys.prefix>/share/tzeval``, where a normal (non-editable) ``pip install``
   puts them (``[tool.setuptools.data-files]`` in ``pyproject.toml``).

Outputs never go into an installed workbook: reports default to ``./reports`` outside a
checkout, and the Parquet cache to the user's cache folder (:mod:`tzeval.processed`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_SEED = 20170101
"""Seed of every random step unless the caller gives one: the first habilitations (January 2017)."""
DEFAULT_ALPHA = 0.05
DEFAULT_LANGUAGE = "fr"

HOME_VARIABLE = "TZEVAL_HOME"
_MARKER = Path("data") / "raw" / "unit_costs.csv"


def _checkout_root() -> Path:
    return Path(__file__).resolve().parents[2]


def workbook_root() -> Path:
    """The folder holding ``data/raw`` and ``notebooks`` (see the module docstring for the order)."""
    if os.environ.get(HOME_VARIABLE):
        return Path(os.environ[HOME_VARIABLE]).expanduser().resolve()
    checkout = _checkout_root()
    if (checkout / _MARKER).is_file():
        return checkout
    return Path(sys.prefix) / "share" / "tzeval"


def is_checkout(root: Path) -> bool:
    """True when ``root`` is a source checkout (it has the project's pyproject.toml), not an installed copy."""
    return (root / "pyproject.toml").is_file()


PROJECT_ROOT = workbook_root()
