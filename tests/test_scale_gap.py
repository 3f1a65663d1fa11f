"""The cross-programme scale-gap table: validation, coverage, costs, and adding a programme by rows."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tzeval import scale_gap
from tzeval.scale_gap import COLUMNS, PUBLIC_DIR, ProgrammeTableError, load_programmes, programmes_from_frame

SHIPPED = PUBLIC_DIR / "programmes.csv"


def _rows() -> list[dict]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(folder: Path, rows: list[dict]) -> Path:
    path = folder / "programmes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(programme, metric, value="", unit="", year="2024", low="", high="", source="Test source", as_of="2025-01",
         note="") -> dict:
    return dict(programme=programme, metric=metric, value=value, low=low, high=high, unit=unit, year=year,
                source=source, as_of=as_of, note=note)


def _row_number(rows: list[dict], programme: str, metric: str) -> int:
    """Data row number (1 = line 2) of the first row matching programme and metric."""
    return next(i for i, r in enumerate(rows, start=1) if r["programme"] == programme and r["metric"] == metric)


# --- The shipped table -----------------------------------------------------------------------

def test_shipped_table_has_a_source_and_a_date_on_every_row():
    table = load_programmes()
    assert (table.frame["source"] != "").all() and (table.frame["as_of"] != "").all()
    assert {"TZCLD", "ADIE (microcredit)", "3e internships", "La Bagagerie mains libres"} <= set(table.programmes)


def test_shipped_comparison_by_hand():
    result = scale_gap.compare_programmes()
    frame = result.to_frame().set_index("programme")
    tzcld = frame.loc["TZCLD"]
    assert tzcld["reach"] == 3290 and tzcld["reach_year"] == 2024  # latest year with both reach and need
    assert tzcld["coverage"] == pytest.approx(3290 / 2_260_900)
    adie = frame.loc["ADIE (microcredit)"]
    assert adie["coverage"] == pytest.approx(0.2) and adie["coverage_bound"] == "at_most"
    assert np.isnan(adie["coverage_low"]) and adie["coverage_high"] == pytest.approx(0.2)
    assert frame.loc["3e internships", "coverage"] == pytest.approx(0.1)
    assert frame.loc["3e internships", "status"] == "coverage_only"
    assert frame.loc["La Bagagerie mains libres", "status"] == "no_coverage_no_cost"
    costs = result.to_frame("costs")
    net = costs[(costs["programme"] == "TZCLD") & costs["unit"].str.contains("net")].iloc[0]
    assert (net["low"], net["value"], net["high"]) == (11300, 12500, 13700)
    benchmark = costs[costs["kind"] == "benchmark"]
    assert list(benchmark["programme"]) == ["ADIE (microcredit)"] and benchmark["value"].iloc[0] == 10000
    assert len(result.to_frame("qualitative").query("programme == 'La Bagagerie mains libres'")) == 4


def test_programmes_without_cost_are_shown_apart_not_dropped():
    result = scale_gap.compare_programmes()
    figure = result.plot()
    side_panel = [trace.name for trace in figure.data if trace.xaxis == "x2"]
    assert any("3e internships" in name for name in side_panel)
    notes = " ".join(annotation.text for annotation in figure.layout.annotations)
    assert "La Bagagerie mains libres" in notes
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    assert "Couverture" in figure.layout.title.text and "Coverage" in result.plot("en").layout.title.text
    assert "qualitatif" in result.summary() and "20" in result.summary("en")


# --- Validation errors name file, row and column ---------------------------------------------

def test_a_row_without_source_is_refused_naming_file_row_and_column(tmp_path):
    rows = _rows()
    number = _row_number(rows, "ADIE (microcredit)", "need")
    rows[number - 1]["source"] = ""
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    assert f"programmes.csv, row {number} (line {number + 1}), column 'source'" in str(error.value)
    assert error.value.to_frame()[["row", "column"]].values.tolist() == [[number, "source"]]


@pytest.mark.parametrize(
    ("value", "rule"),
    [("20 000", "without thousands separators"), ("20,000", "without thousands separators"),
     ("about 20000", "expected a number"), ("-5", "cannot be negative"), ("", "needs a value")],
)
def test_a_bad_number_is_refused_naming_file_row_and_column(tmp_path, value, rule):
    rows = _rows()
    number = _row_number(rows, "ADIE (microcredit)", "reach")
    rows[number - 1]["value"] = value
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    message = str(error.value)
    assert f"programmes.csv, row {number} (line {number + 1}), column 'value'" in message
    assert rule in message


def test_unknown_metric_missing_date_and_bad_ranges_are_refused(tmp_path):
    rows = [
        _row("P", "reach", "10", "people"),
        _row("P", "coverage", "0.5", "share"),
        _row("P", "need", "100", "people", as_of=""),
        _row("Q", "reach", "10", "people", low="12"),
        _row("Q", "need", "100", "households"),
        _row("Q", "cost_per_outcome", "500", "euros per job"),
        _row("R", "qualitative_activity", "3", note=""),
        _row("R", "reach", "10", "people", year="24"),
        _row("R", "reach", "10", "people", year="24", source="again"),
        _row("S", "need", "0", "people"),
    ]
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    found = {(v.row, v.column) for v in error.value.violations}
    assert (2, "metric") in found  # unknown metric
    assert (3, "as_of") in found  # no date
    assert (4, "low") in found  # low above value
    assert (5, "unit") in found  # need not in the reach unit
    assert (6, "unit") in found  # cost unit not EUR/...
    assert {(7, "value"), (7, "note")} <= found  # qualitative row with a value and no note
    assert (8, "year") in found
    assert (10, "value") in found  # zero need
    assert "unknown metric" in str(error.value)


def test_duplicate_figures_and_missing_columns_are_refused(tmp_path):
    rows = [_row("P", "reach", "10", "people"), _row("P", "reach", "12", "people")]
    with pytest.raises(ProgrammeTableError, match=r"row 2 .*duplicate figure; first seen on row 1"):
        load_programmes(_write(tmp_path, rows))
    frame = pd.DataFrame([_row("P", "reach", "10", "people")]).drop(columns="source")
    with pytest.raises(ProgrammeTableError, match="column 'source': required column is missing"):
        programmes_from_frame(frame)


# --- Adding a programme is adding rows -------------------------------------------------------

def test_adding_rows_adds_a_programme_to_the_comparison(tmp_path):
    rows = _rows() + [
        _row("Garage solidaire", "reach", "50", "people/year"),
        _row("Garage solidaire", "need", "200", "people/year"),
        _row("Garage solidaire", "cost_per_outcome", "1500", "EUR/person back in work", low="1000", high="2500"),
        _row("Auto-école sociale", "reach", "30", "learners/year", year="2023"),
        _row("Auto-école sociale", "need", "120", "learners/year", year="2023"),
    ]
    result = scale_gap.compare_programmes(_write(tmp_path, rows).parent)  # a folder works as well as a file
    frame = result.to_frame().set_index("programme")
    assert frame.loc["Garage solidaire", "coverage"] == pytest.approx(0.25)
    assert frame.loc["Auto-école sociale", "status"] == "coverage_only"
    figure = result.plot()
    names = [trace.name for trace in figure.data]
    assert any(name.startswith("Garage solidaire: EUR/person back in work") for name in names)
    assert any("Auto-école sociale" in name for name in (t.name for t in figure.data if t.xaxis == "x2"))
    assert "Garage solidaire" in result.summary("en")
    before = scale_gap.compare_programmes()
    assert "Garage solidaire" not in before.to_frame()["programme"].tolist()


def test_spending_with_a_reach_of_the_same_year_gives_a_derived_cost():
    frame = pd.DataFrame([
        _row("P", "reach", "100", "people", year="2023"),
        _row("P", "reach", "200", "people", year="2024"),
        _row("P", "need", "1000", "people", year="2023"),
        _row("P", "spending", "500000", "EUR/year", year="2024"),
    ])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    row = result.to_frame().iloc[0]
    assert row["reach_year"] == 2023 and row["coverage"] == pytest.approx(0.1)  # latest year with both
    cost = result.to_frame("costs").iloc[0]
    assert bool(cost["derived"]) and cost["value"] == pytest.approx(2500) and cost["year"] == 2024
    assert cost["unit"].startswith("EUR/people")


def test_reach_and_need_of_different_years_are_flagged():
    frame = pd.DataFrame([_row("P", "reach", "10", "people", year="2024"),
                          _row("P", "need", "100", "people", year="2022")])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    assert not result.to_frame()["same_year"].iloc[0]
    assert "2022" in result.summary("en")


def test_shipped_file_is_not_modified_by_loading(tmp_path):
    before = SHIPPED.read_bytes()
    shutil.copy(SHIPPED, tmp_path / "copy.csv")
    load_programmes(tmp_path / "copy.csv")
    load_programmes()
    assert SHIPPED.read_bytes() == before


def test_every_metric_has_a_label_in_both_languages():
    from tzeval.i18n import text

    for name, metric in scale_gap.METRICS.items():
        key = f"sg_metric_{name}" if metric.numeric else f"sg_dimension_{name}"
        assert text(key, "fr") and text(key, "en")
