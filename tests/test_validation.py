"""Loading and validation: every bad-input case names its file, row and column."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest

from conftest import read_table, write_table
from tzeval import DataValidationError, load_dataset


def _only_violation(folder, rule_fragment: str, **load_options):
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder, **load_options)
    matching = [v for v in caught.value.violations if rule_fragment in v.rule]
    assert matching, f"no violation mentioning {rule_fragment!r} in:\n{caught.value}"
    return caught.value, matching[0]


def test_valid_small_dataset_loads(small_dataset):
    data = load_dataset(small_dataset)
    assert len(data.treated_ids) == 3
    assert data.outcomes["long_term_rate"].notna().all()
    assert data.is_synthetic


def test_duplicate_territory_period(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    duplicated = outcomes.iloc[[5]]
    write_table(small_dataset, "outcomes.csv", pd.concat([outcomes, duplicated], ignore_index=True))
    error, violation = _only_violation(small_dataset, "duplicate")
    assert violation.file == "outcomes.csv"
    assert violation.row == len(outcomes) + 1
    assert violation.column == "territory_id, period"
    assert "first seen on row 6" in violation.rule
    assert f"outcomes.csv, row {len(outcomes) + 1} (line {len(outcomes) + 2}), column 'territory_id, period'" in str(error)


def test_unknown_territory_id(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[9, "territory_id"] = "nowhere-town"
    write_table(small_dataset, "outcomes.csv", outcomes)
    error, violation = _only_violation(small_dataset, "unknown territory")
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "outcomes.csv", 10, "territory_id", "nowhere-town")
    assert "outcomes.csv, row 10 (line 11), column 'territory_id': value 'nowhere-town'" in str(error)


@pytest.mark.parametrize(
    ("value", "rule"),
    [("-4", "cannot be negative"), ("12.5", "whole number, not a fraction"), ("many", "expected a whole number")],
)
def test_bad_counts(small_dataset, value, rule):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[20, "long_term_jobseekers"] = value
    write_table(small_dataset, "outcomes.csv", outcomes)
    error, violation = _only_violation(small_dataset, rule)
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "outcomes.csv", 21, "long_term_jobseekers", value)


def test_integral_decimal_count_is_accepted(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    original = outcomes.loc[3, "population_15_64"]
    outcomes.loc[3, "population_15_64"] = f"{original}.0"
    write_table(small_dataset, "outcomes.csv", outcomes)
    data = load_dataset(small_dataset)
    key = (data.outcomes["territory_id"] == outcomes.loc[3, "territory_id"]) & (
        data.outcomes["period"] == pd.Timestamp(outcomes.loc[3, "period"]))
    assert data.outcomes.loc[key, "population_15_64"].tolist() == [int(original)]


@pytest.mark.parametrize("value", ["2017-13", "01/2017", "2017-1", "janvier 2017"])
def test_malformed_date(small_dataset, value):
    territories = read_table(small_dataset, "territories.csv")
    row = territories.index[territories["treated"] == "1"][0]
    territories.loc[row, "adoption_date"] = value
    write_table(small_dataset, "territories.csv", territories)
    error, violation = _only_violation(small_dataset, "YYYY-MM")
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "territories.csv", row + 1, "adoption_date", value)


def test_malformed_period(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[0, "period"] = "2012/01"
    write_table(small_dataset, "outcomes.csv", outcomes)
    _, violation = _only_violation(small_dataset, "YYYY-MM")
    assert (violation.file, violation.row, violation.column) == ("outcomes.csv", 1, "period")


def test_treated_without_adoption_date(small_dataset):
    territories = read_table(small_dataset, "territories.csv")
    row = territories.index[territories["treated"] == "1"][1]
    territories.loc[row, "adoption_date"] = ""
    write_table(small_dataset, "territories.csv", territories)
    _, violation = _only_violation(small_dataset, "needs its adoption month")
    assert (violation.file, violation.row, violation.column) == ("territories.csv", row + 1, "adoption_date")
    assert territories.loc[row, "territory_id"] in violation.rule


def test_comparison_with_adoption_date(small_dataset):
    territories = read_table(small_dataset, "territories.csv")
    row = territories.index[territories["treated"] == "0"][0]
    territories.loc[row, "adoption_date"] = "2019-01"
    write_table(small_dataset, "territories.csv", territories)
    _, violation = _only_violation(small_dataset, "must be empty for a comparison")
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "territories.csv", row + 1, "adoption_date", "2019-01")


@pytest.mark.parametrize("bad_id", ["../x", ".", "..", "with space", "a/b", "a\\b", "é-accent", "x.html"])
def test_territory_id_that_could_leave_the_folder_is_refused(small_dataset, bad_id):
    territories = read_table(small_dataset, "territories.csv")
    territories.loc[4, "territory_id"] = bad_id
    write_table(small_dataset, "territories.csv", territories)
    _, violation = _only_violation(small_dataset, "expected an identifier")
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "territories.csv", 5, "territory_id", bad_id)


@pytest.mark.parametrize("insee_id", ["QP059001", "59350", "2A004", "QN07501M", "zone_emploi-1"])
def test_insee_codes_are_accepted_as_ids(small_dataset, insee_id):
    old = read_table(small_dataset, "territories.csv").loc[0, "territory_id"]
    for name in ("territories.csv", "outcomes.csv", "programme.csv", "truth.csv"):
        table = read_table(small_dataset, name)
        table["territory_id"] = table["territory_id"].replace(old, insee_id)
        write_table(small_dataset, name, table)
    data = load_dataset(small_dataset)
    assert insee_id in data.treated_ids


def test_ids_equal_but_for_case_are_refused(small_dataset):
    territories = read_table(small_dataset, "territories.csv")
    outcomes = read_table(small_dataset, "outcomes.csv")
    first, second = territories.loc[3, "territory_id"], territories.loc[4, "territory_id"]
    territories.loc[3, "territory_id"] = "AbC"
    territories.loc[4, "territory_id"] = "abc"
    outcomes["territory_id"] = outcomes["territory_id"].replace({first: "AbC", second: "abc"})
    write_table(small_dataset, "territories.csv", territories)
    write_table(small_dataset, "outcomes.csv", outcomes)
    _, violation = _only_violation(small_dataset, "only by upper/lower case")
    assert (violation.row, violation.column, violation.value) == (5, "territory_id", "abc")


def test_series_break_refused_then_accepted_on_request(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    last = outcomes[outcomes["period"] == "2024-12"].copy()
    last["period"] = "2025-01"
    write_table(small_dataset, "outcomes.csv", pd.concat([outcomes, last], ignore_index=True))
    error, violation = _only_violation(small_dataset, "January 2025")
    assert (violation.file, violation.column, violation.value) == ("outcomes.csv", "period", "2025-01")
    assert violation.row == len(outcomes) + 1
    assert "allow_series_break" in violation.rule
    data = load_dataset(small_dataset, allow_series_break=True)
    assert data.outcomes["after_series_break"].sum() == len(last)


def test_missing_month_is_reported_not_dropped(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    territory = outcomes.loc[30, "territory_id"]
    write_table(small_dataset, "outcomes.csv", outcomes.drop(index=30))
    _, violation = _only_violation(small_dataset, "missing 1 month")
    assert violation.value == territory
    assert outcomes.loc[30, "period"] in violation.rule


def test_missing_file_and_missing_column(small_dataset):
    (small_dataset / "programme.csv").unlink()
    territories = read_table(small_dataset, "territories.csv").drop(columns=["setting"])
    write_table(small_dataset, "territories.csv", territories)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(small_dataset)
    messages = str(caught.value)
    assert "programme.csv: file not found" in messages
    assert "territories.csv, column 'setting': required column is missing" in messages


def test_semicolon_separated_file_reads_like_the_comma_one(small_dataset):
    expected = load_dataset(small_dataset)
    territories = read_table(small_dataset, "territories.csv")
    territories.to_csv(small_dataset / "territories.csv", index=False, sep=";")
    data = load_dataset(small_dataset)
    pd.testing.assert_frame_equal(data.territories, expected.territories)


def test_programme_rules(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    programme.loc[2, "ebe_fte"] = str(int(programme.loc[2, "ebe_headcount"]) + 5)
    programme.loc[3, "cumulative_hires"] = "0"
    programme.loc[3, "ebe_headcount"] = "4"
    first = programme.iloc[[0]].copy()
    first["period"] = "2012-01"
    write_table(small_dataset, "programme.csv", pd.concat([programme, first], ignore_index=True))
    with pytest.raises(DataValidationError) as caught:
        load_dataset(small_dataset)
    found = {(v.row, v.column): v.rule for v in caught.value.violations if v.file == "programme.csv"}
    assert "cannot exceed ebe_headcount" in found[(3, "ebe_fte")]
    assert "cannot be below ebe_headcount" in found[(4, "cumulative_hires")]
    assert "before the period that holds the territory's adoption_date" in found[(len(programme) + 1, "period")]


def test_every_violation_is_reported_at_once(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[1, "jobseekers_abc"] = "-1"
    outcomes.loc[2, "period"] = "2012-1"
    territories = read_table(small_dataset, "territories.csv")
    territories.loc[0, "population"] = "lots"
    write_table(small_dataset, "outcomes.csv", outcomes)
    write_table(small_dataset, "territories.csv", territories)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(small_dataset)
    located = {(v.file, v.row, v.column) for v in caught.value.violations}
    assert {("outcomes.csv", 2, "jobseekers_abc"), ("outcomes.csv", 3, "period"),
            ("territories.csv", 1, "population")} <= located
    assert caught.value.to_frame().shape[0] == len(caught.value.violations)


def test_raw_files_are_never_modified(small_dataset):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in small_dataset.iterdir()}
    load_dataset(small_dataset)
    from tzeval import open_dataset

    open_dataset(small_dataset, processed_root=small_dataset.parent / "processed")
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in small_dataset.iterdir()}
    assert before == after


def test_cli_validate_reports_without_traceback(small_dataset, tmp_path):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[7, "long_term_jobseekers"] = "-3"
    write_table(small_dataset, "outcomes.csv", outcomes)
    report = tmp_path / "problems.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "tzeval", "validate", "--data-dir", str(small_dataset), "--report", str(report)],
        capture_output=True, text=True,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "outcomes.csv, row 8 (line 9), column 'long_term_jobseekers': value '-3': a count cannot be negative" in completed.stderr
    assert "row" in report.read_text() and "-3" in report.read_text()


def test_cli_validate_accepts_valid_data(small_dataset):
    completed = subprocess.run([sys.executable, "-m", "tzeval", "validate", "--data-dir", str(small_dataset)],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "valid. 3 treated and 40 comparison territories" in completed.stdout
