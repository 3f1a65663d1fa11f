"""The disposable Parquet copy of validated raw data, rebuilt whenever the raw files change.

Where the copy goes: ``processed_root`` when given (the report runner passes
``<out>/processed``); else ``$TZEVAL_PROCESSED_DIR``; else ``data/processed/`` of the
checkout for data folders inside that checkout's ``data/raw/``; else the user's cache
folder (``$XDG_CACHE_HOME/tzeval`` or ``~/.cache/tzeval``). An evaluator's own data are
therefore never copied into the workbook's folders.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from . import atomic
from ._version import __version__
from .contract import FILES, METADATA_FILENAME, TRUTH_FILENAME
from .dataset import Dataset, load_dataset
from .paths import DEMO_DATA_DIR, PROCESSED_DIR, PROJECT_ROOT

MANIFEST = "manifest.json"
TABLES = ("territories", "outcomes", "programme", "truth", "suppressed")
PROCESSED_DIR_VARIABLE = "TZEVAL_PROCESSED_DIR"


def default_processed_root(data_dir: Path) -> Path:
    """Where the Parquet copy of ``data_dir`` goes when the caller names no folder (see the module docstring)."""
    if os.environ.get(PROCESSED_DIR_VARIABLE):
        return Path(os.environ[PROCESSED_DIR_VARIABLE])
    raw_root = (PROJECT_ROOT / "data" / "raw").resolve()
    if PROCESSED_DIR.is_dir() and Path(data_dir).resolve().is_relative_to(raw_root):
        return PROCESSED_DIR
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "tzeval" / "processed"


def raw_fingerprint(data_dir: Path, allow_series_break: bool) -> dict:
    """Hashes of every raw file the dataset is built from, plus what else shapes it."""
    hashes = {}
    names = [spec.filename for spec in FILES]
    names += [str(Path(name).with_suffix(".xlsx")) for name in names] + [TRUTH_FILENAME, METADATA_FILENAME]
    for name in names:
        path = data_dir / name
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return {"files": hashes, "tzeval": __version__, "allow_series_break": allow_series_break}


def cache_dir_for(data_dir: Path, processed_root: Path) -> Path:
    """One folder per raw data folder: its name plus a short hash of its absolute path."""
    digest = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:8]
    safe_name = "".join(c if c.isalnum() or c in "-_" else "-" for c in data_dir.resolve().name) or "data"
    return processed_root / f"{safe_name}-{digest}"


def open_dataset(
    data_dir: Path | str | None = None,
    *,
    allow_series_break: bool = False,
    processed_root: Path | str | None = None,
) -> Dataset:
    """Load a data folder through its Parquet cache.

    The raw files are validated (see :func:`tzeval.load_dataset`) only when they changed
    since the cache was written; otherwise the validated tables are read back from
    Parquet. The raw folder is never written to. ``processed_root`` is where the cache
    goes; by default see :func:`default_processed_root`.
    """
    data_dir = Path(data_dir) if data_dir is not None else DEMO_DATA_DIR
    processed_root = Path(processed_root) if processed_root is not None else default_processed_root(data_dir)
    fingerprint = raw_fingerprint(data_dir, allow_series_break)
    cache = cache_dir_for(data_dir, processed_root)
    manifest_path = cache / MANIFEST
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            manifest = None
        if manifest and manifest.get("fingerprint") == fingerprint:
            return _read_cache(cache, data_dir, manifest)
    data = load_dataset(data_dir, allow_series_break=allow_series_break)
    try:
        write_cache(data, cache, fingerprint)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return data


def write_cache(data: Dataset, cache: Path, fingerprint: dict) -> None:
    """Write the dataset's tables as Parquet, then the manifest that makes them valid."""
    cache.mkdir(parents=True, exist_ok=True)
    frames = {"territories": data.territories.reset_index(), "outcomes": data.outcomes,
              "programme": data.programme, "truth": data.truth, "suppressed": data.suppressed}
    for name, frame in frames.items():
        if frame is not None:
            atomic.write_with(cache / f"{name}.parquet", lambda tmp, f=frame: f.to_parquet(tmp, index=False))
    manifest = {"fingerprint": fingerprint, "data_dir": str(data.data_dir.resolve()),
                "metadata": data.metadata, "has_truth": data.truth is not None}
    atomic.write_text(cache / MANIFEST, json.dumps(manifest, indent=2))


def _read_cache(cache: Path, data_dir: Path, manifest: dict) -> Dataset:
    territories = pd.read_parquet(cache / "territories.parquet").set_index("territory_id")
    outcomes = pd.read_parquet(cache / "outcomes.parquet")
    programme = pd.read_parquet(cache / "programme.parquet")
    truth = pd.read_parquet(cache / "truth.parquet") if manifest.get("has_truth") else None
    suppressed = pd.read_parquet(cache / "suppressed.parquet")
    return Dataset(data_dir, territories, outcomes, programme, truth, manifest.get("metadata", {}), suppressed)
