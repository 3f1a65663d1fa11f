"""Analyse once: a disposable on-disk store of analysis results, keyed by what they depend on.

Rebuilding the reports after a change of wording or of a template should not re-run the
estimates: the synthetic DiD alone costs seconds per territory, times 85 territories. A
result is therefore stored, as a pickle, under a key made of everything that can change
it:

- the **data**: :func:`tzeval.processed.raw_fingerprint`, the hash of every raw file of
  the data folder (and the series-break flag and the tzeval version);
- the **parameters**: the analysis' name and arguments (territory, alpha, seed, the
  content hash of the unit-cost table...);
- the **code**: :func:`code_fingerprint`, the hash of every library module that computes
  numbers. The presentation modules (``report/``, ``i18n*.py``, ``_cost_messages.py``,
  ``plots.py``, ``display.py``, ``findings.py``) are left out, so that rewording a
  report reuses the results while changing an estimator recomputes them;
- the **environment**: the Python, NumPy, pandas and SciPy versions, since they compute
  the numbers too and a pickle need not load across their versions.

An entry that is missing, unreadable or written under another key is recomputed, never
an error; an entry that cannot be written (a read-only folder) only costs the saving. The
folder can be deleted at any time. Only open a store you wrote yourself: loading a pickle
runs code.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import scipy

from . import atomic
from .costs import DEFAULT_UNIT_COSTS, CostResult
from .coverage import CoverageResult, territory_coverage
from .dataset import Dataset
from .paths import is_safe_id
from .placebo_did import PlaceboDidResult
from .processed import default_processed_root, raw_fingerprint
from .robustness import sdid_check
from .sdid import SyntheticDiDResult
from .territory_checks import TerritoryChecks, territory_checks
from .territory_costs import own_deadweight, territory_costs
from .territory_effects import territory_effect

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent
ANALYSIS_SUBDIR = "analysis"
"""The store sits beside the Parquet copy of the data: ``<processed root>/analysis``."""

PRESENTATION_PATTERNS: tuple[str, ...] = (
    "report/*",
    "i18n*.py",
    "_cost_messages.py",
    "plots.py",
    "display.py",
    "findings.py",
)
"""Paths (relative to the package, POSIX) of the modules that only word or draw results.

Matched with :func:`fnmatch.fnmatch`, whose ``*`` crosses ``/``: ``report/*`` is the whole
report package, its templates and static files included. A pattern without ``/`` names a
top-level module only, so ``staggered/plots.py`` still counts as code: leaving out too
little only costs a recomputation, leaving out too much would serve stale numbers."""

SUFFIX = ".pickle"


def is_presentation(relative: str) -> bool:
    """True when the package file ``relative`` (POSIX path) cannot change a number."""
    return any(fnmatch(relative, pattern) for pattern in PRESENTATION_PATTERNS)


def code_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The package's Python modules that compute numbers, sorted by relative path."""
    files = []
    for path in package_dir.rglob("*.py"):
        relative = path.relative_to(package_dir).as_posix()
        if "__pycache__" not in path.parts and not is_presentation(relative):
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(package_dir).as_posix())


def code_fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 of the names and contents of :func:`code_files`.

    Names count as well as contents, so that moving or deleting a module changes the
    fingerprint too. Not cached: hashing the package takes milliseconds, and a caller who
    edits the library in a running kernel must not get the old fingerprint.
    """
    digest = hashlib.sha256()
    for path in code_files(package_dir):
        content = path.read_bytes()
        relative = path.relative_to(package_dir).as_posix().encode()
        digest.update(len(relative).to_bytes(8, "big") + relative + len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def environment_fingerprint() -> dict[str, str]:
    """The versions of what computes the numbers besides tzeval itself."""
    return {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__,
            "scipy": scipy.__version__}


def file_hash(path: Path | str | None) -> str | None:
    """SHA-256 of a file's bytes, or None when there is no such file."""
    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _json_default(value: object) -> object:
    # numpy scalars and paths are ordinary arguments; anything else has no stable text
    # form (a repr may hold a memory address), so it must not silently become a key.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot use a {type(value).__name__} in an analysis key: pass numbers, strings or paths")


def canonical_key(key: dict) -> str:
    """The key as canonical JSON text: equal keys give equal text, whatever their order."""
    return json.dumps(key, sort_keys=True, default=_json_default, separators=(",", ":"), allow_nan=True)


class AnalysisStore:
    """Analysis results on disk under ``root``, one pickle per name and key.

    Parameters
    ----------
    root : path
        The store's folder, created on the first write.
    code : str, optional
        The code fingerprint; by default :func:`code_fingerprint` of this package,
        computed once when the store is created.

    Examples
    --------
    ::

        store = AnalysisStore(processed_root / "analysis")
        key = {"data": raw_fingerprint(data.data_dir, False), "territory_id": "T1", "alpha": 0.05, "seed": 1}
        result = store.get_or_compute("territory_effect", key,
                                      lambda: territory_effect(data, "T1", alpha=0.05, seed=1))
    """

    def __init__(self, root: Path | str, *, code: str | None = None) -> None:
        self.root = Path(root)
        self.code = code if code is not None else code_fingerprint()
        self.environment = environment_fingerprint()

    def full_key(self, name: str, key: dict) -> dict:
        """``key`` completed with the analysis name, the code and the environment."""
        return {"name": name, "key": key, "code": self.code, "environment": self.environment}

    def path_for(self, name: str, key: dict) -> Path:
        """Where the entry of ``name`` under ``key`` lives: ``<root>/<name>/<sha256 of the key>.pickle``."""
        if not is_safe_id(name):
            raise ValueError(f"analysis name {name!r} may not name a folder (letters, digits, '_' and '-' only)")
        digest = hashlib.sha256(canonical_key(self.full_key(name, key)).encode()).hexdigest()
        return self.root / name / f"{digest}{SUFFIX}"

    def get_or_compute(self, name: str, key: dict, compute: Callable[[], T]) -> T:
        """The stored result of ``name`` under ``key``, or ``compute()``, stored for next time.

        Parameters
        ----------
        name : str
            The analysis (letters, digits, ``_`` and ``-``); one sub-folder each.
        key : dict
            Everything besides the code and the environment that the result depends on:
            JSON-like values (numbers, strings, None, lists, dicts), numpy scalars or paths.
        compute : callable
            Called without arguments when no valid entry exists. An exception it raises
            propagates and nothing is stored.

        Returns
        -------
        The result, either read back or just computed.
        """
        full_key = self.full_key(name, key)
        path = self.path_for(name, key)
        found, value = self._read(path, canonical_key(full_key))
        if found:
            return value
        value = compute()
        entry = {"key": canonical_key(full_key), "value": value}
        try:
            atomic.write_with(path, lambda tmp: tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)))
        except OSError:
            pass  # a read-only folder still gives results, only without reuse
        return value

    @staticmethod
    def _read(path: Path, expected_key: str) -> tuple[bool, Any]:
        """(True, value) for a readable entry written under ``expected_key``, else (False, None)."""
        try:
            entry = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - missing, truncated, garbled, or of classes since moved: recompute
            return False, None
        if not isinstance(entry, dict) or entry.get("key") != expected_key:
            return False, None
        return True, entry.get("value")

    def entries(self) -> Iterable[Path]:
        """Every stored entry, sorted."""
        return sorted(self.root.glob(f"*/*{SUFFIX}")) if self.root.is_dir() else []


def default_store_root(data_dir: Path | str, processed_root: Path | str | None = None) -> Path:
    """``<processed root>/analysis``, the processed root as :func:`tzeval.open_dataset` chooses it."""
    base = Path(processed_root) if processed_root is not None else default_processed_root(Path(data_dir))
    return base / ANALYSIS_SUBDIR


@dataclass(frozen=True)
class TerritoryAnalysis:
    """Everything the territory report computes for one territory.

    Attributes
    ----------
    result : PlaceboDidResult
        :func:`tzeval.territory_effect`, the difference-in-differences estimate.
    checks : TerritoryChecks
        :func:`tzeval.territory_checks.territory_checks` of ``result``.
    costs : CostResult or None
        :func:`tzeval.territory_costs.territory_costs`, the Monte Carlo of the net public
        cost (None when the EBE employed no one).
    deadweight : (float, float) or None
        :func:`tzeval.territory_costs.own_deadweight` of ``result``.
    check : SyntheticDiDResult
        :func:`tzeval.robustness.sdid_check`, the synthetic DiD second opinion.
    coverage : CoverageResult
        :func:`tzeval.coverage.territory_coverage` of this territory.
    """

    result: PlaceboDidResult
    checks: TerritoryChecks
    costs: CostResult | None
    deadweight: tuple[float, float] | None
    check: SyntheticDiDResult
    coverage: CoverageResult


def territory_analysis(
    data: Dataset,
    territory_id: str,
    *,
    alpha: float,
    seed: int,
    unit_costs: Path | str | None = None,
    store_root: Path | str | None = None,
    processed_root: Path | str | None = None,
    allow_series_break: bool = False,
) -> TerritoryAnalysis:
    """Compute one territory's analyses through the store, each reused when nothing it depends on changed.

    Parameters
    ----------
    data : Dataset
        As read from ``data.data_dir`` (by :func:`tzeval.open_dataset`): the data part of
        the key is the hash of the raw files there, not of the tables in memory.
    territory_id : str
        A habilitated territory.
    alpha, seed
        As for :func:`tzeval.territory_effect`; the seed also drives the cost Monte Carlo,
        the synthetic DiD placebos and the coverage bootstrap.
    unit_costs : path, optional
        The unit-cost table (CSV); None uses the shipped one. Keyed by its content, not
        its name.
    store_root : path, optional
        The store's folder. By default ``<processed_root>/analysis``, see
        :func:`default_store_root`.
    processed_root : path, optional
        The folder :func:`tzeval.open_dataset` was given (the notebooks' ``processed_dir``).
    allow_series_break : bool
        As given to :func:`tzeval.open_dataset`; part of the data key.

    Returns
    -------
    TerritoryAnalysis
    """
    root = Path(store_root) if store_root is not None else default_store_root(data.data_dir, processed_root)
    store = AnalysisStore(root)
    # Each piece is keyed by its arguments plus those of the pieces it is computed from,
    # so a result never meets checks or costs derived from another one.
    base = {"data": raw_fingerprint(Path(data.data_dir), allow_series_break), "territory_id": territory_id,
            "alpha": alpha, "seed": seed}
    result = store.get_or_compute("territory_effect", base,
                                  lambda: territory_effect(data, territory_id, alpha=alpha, seed=seed))
    checks = store.get_or_compute("territory_checks", base, lambda: territory_checks(result))
    table_hash = file_hash(unit_costs if unit_costs is not None else DEFAULT_UNIT_COSTS)
    costs = store.get_or_compute("territory_costs", base | {"unit_costs": table_hash},
                                 lambda: territory_costs(data, result, seed=seed, unit_costs=unit_costs))
    deadweight = store.get_or_compute("own_deadweight", base, lambda: own_deadweight(data, result))
    check = store.get_or_compute("sdid_check", base,
                                 lambda: sdid_check(data, territory_id, alpha=alpha, seed=seed))
    coverage = store.get_or_compute(
        "territory_coverage", base,
        lambda: territory_coverage(data, territory_ids=[territory_id], alpha=alpha, seed=seed))
    return TerritoryAnalysis(result=result, checks=checks, costs=costs, deadweight=deadweight, check=check,
                             coverage=coverage)
