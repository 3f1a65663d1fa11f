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


XSS_NAME = "<script>alert(1)</script>"
PREVIOUS_REPORT = "<html><body>previous good report</body></html>"


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory):
    """Reports for one demo territory (plus summary and index), built once per session."""
    from tzeval.paths import DEMO_DATA_DIR
    from tzeval.report.runner import build_reports

    out = tmp_path_factory.mktemp("demo-reports")
    first = pd.read_csv(DEMO_DATA_DIR / "territories.csv", dtype=str).query("treated == '1'")["territory_id"].iloc[0]
    summary = build_reports(DEMO_DATA_DIR, out, territory_ids=[first], progress=False)
    return summary, first


@pytest.fixture(scope="session")
def yearly_reports(tmp_path_factory):
    """Every report of the yearly example (data/raw/demo-yearly), built once per session."""
    from tzeval.paths import PROJECT_ROOT
    from tzeval.report.runner import build_reports

    out = tmp_path_factory.mktemp("yearly-reports")
    return build_reports(PROJECT_ROOT / "data" / "raw" / "demo-yearly", out, progress=False)


@pytest.fixture(scope="session")
def hostile_reports(tmp_path_factory):
    """A run where one territory has a script for a name and another cannot be estimated.

    The failing territory has a previous report on disk, which must survive the run.
    Returns the completed ``python -m tzeval reports`` process, the output folder and the
    ids (escaped territory, failing territory).
    """
    import subprocess
    import sys

    folder = write_small_dataset(tmp_path_factory.mktemp("hostile") / "data")
    territories = read_table(folder, "territories.csv")
    treated = territories.index[territories["treated"] == "1"]
    xss_id, failing_id = territories.loc[treated[1], "territory_id"], territories.loc[treated[2], "territory_id"]
    territories.loc[treated[1], "name"] = XSS_NAME
    # Habilitated in the very first month: no pre-period, so no estimate is possible.
    territories.loc[treated[2], "adoption_date"] = "2012-01"
    write_table(folder, "territories.csv", territories)
    out = tmp_path_factory.mktemp("hostile-reports")
    (out / "territories").mkdir()
    (out / "territories" / f"{failing_id}.html").write_text(PREVIOUS_REPORT)
    completed = subprocess.run(
        [sys.executable, "-m", "tzeval", "reports", "--data-dir", str(folder), "--out", str(out), "--quiet"],
        capture_output=True, text=True, timeout=900,
    )
    return completed, out, xss_id, failing_id
