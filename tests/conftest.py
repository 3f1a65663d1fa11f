"""Shared fixtures: small, valid data folders built from the demo generator."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tzeval import demo

TESTS_DIR = Path(__file__).parent
REFERENCE_DATA = TESTS_DIR / "data"


def write_small_dataset(folder: Path, *, n_treated: int = 3, n_comparison: int = 40, seed: int = 7) -> Path:
    """Write a contract-valid data folder with a few treated and comparison territories."""
    full = demo.generate(seed=seed, n_comparison=n_comparison)
    treated = full.territories[full.territories["treated"] == 1]
    # Keep both phases: the first pioneer, then phase-two territories.
    keep_treated = [treated["territory_id"].iloc[0], *treated["territory_id"].iloc[10:10 + n_treated - 1]]
    comparison = full.territories.loc[full.territories["treated"] == 0, "territory_id"].tolist()
    keep = set(keep_treated) | set(comparison)
    small = demo.DemoData(
        territories=full.territories[full.territories["territory_id"].isin(keep)].reset_index(drop=True),
        outcomes=full.outcomes[full.outcomes["territory_id"].isin(keep)].reset_index(drop=True),
        programme=full.programme[full.programme["territory_id"].isin(keep)].reset_index(drop=True),
        truth=full.truth[full.truth["territory_id"].isin(keep)].reset_index(drop=True),
        metadata=full.metadata,
    )
    return demo.write(small, folder)


@pytest.fixture(scope="session")
def small_dataset_template(tmp_path_factory) -> Path:
    return write_small_dataset(tmp_path_factory.mktemp("small-template"))


@pytest.fixture
def small_dataset(small_dataset_template, tmp_path) -> Path:
    """A fresh, writable copy of the small data folder for one test to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(small_dataset_template, target)
    return target


def read_table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def write_table(folder: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / name, index=False, lineterminator="\n")


def require_browser() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"
