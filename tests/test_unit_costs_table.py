"""The shipped unit-cost table and the rules its loader enforces."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tzeval.costs import (
    CATALOGUE,
    DEFAULT_UNIT_COSTS,
    MissingRateError,
    UnitCostTableError,
    load_unit_costs,
)

README = DEFAULT_UNIT_COSTS.with_name("unit_costs.README.md")


@pytest.fixture(scope="module")
def table():
    return load_unit_costs()


@pytest.fixture
def raw_text():
    return pd.read_csv(DEFAULT_UNIT_COSTS, dtype=str, keep_default_na=False)


def write(frame: pd.DataFrame, tmp_path) -> str:
    path = tmp_path / "my_costs.csv"
    frame.to_csv(path, index=False)
    return path


def row_of(frame: pd.DataFrame, parameter: str, valid_from: str = "") -> int:
    """Data row number (from 1) of a parameter in the CSV."""
    match = (frame["parameter"] == parameter) & (frame["valid_from"] == valid_from)
    return int(np.flatnonzero(match)[0]) + 1


def test_shipped_table_loads_with_every_parameter_and_a_source(table):
    assert set(table.frame["parameter"]) == set(CATALOGUE)
    assert (table.frame["source"].str.len() > 10).all()
    assert (table.frame["low"] <= table.frame["central"]).all()
    assert (table.frame["central"] <= table.frame["high"]).all()


def test_every_parameter_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for name, spec in CATALOGUE.items():
        assert f"`{name}`" in text, name
        assert spec.unit in text, spec.unit


def test_legal_rates_match_the_domain_brief(table):
    smic = table.dated_rows("smic_hourly_gross").set_index("valid_from")["central"]
    assert smic[pd.Timestamp("2017-01-01")] == 9.76
    assert smic[pd.Timestamp("2023-05-01")] == 11.52
    assert smic[pd.Timestamp("2024-11-01")] == 11.88
    cde = table.dated_rows("cde_rate").set_index("valid_from")["central"]
    assert cde[pd.Timestamp("2017-01-01")] == 1.01
    assert cde[pd.Timestamp("2023-10-01")] == 0.95
    months = pd.date_range("2023-01-01", "2023-12-01", freq="MS")
    rates = cde.to_numpy()[table.rows_in_force("cde_rate", months)]
    assert list(rates) == [1.02] * 9 + [0.95] * 3
    # 95% of the May 2023 SMIC is the EUR 10.94 an hour quoted in the brief
    assert round(0.95 * 11.52, 2) == 10.94
    rsa = table.dated_rows("rsa_base_monthly").set_index("valid_from")["central"]
    assert rsa[pd.Timestamp("2023-04-01")] == 607.75
    assert rsa[pd.Timestamp("2024-04-01")] == 635.71
    assert table.triple("hours_per_fte").tolist() == [1820.0] * 3
    assert table.triple("department_share_of_state")[1] == 0.15


def test_contested_offsets_are_flagged(table):
    assert table.is_contested("health_costs_avoided")
    assert table.is_contested("social_support_costs_avoided")
    assert not table.is_contested("rsa_share_of_hires")


def test_dated_rates_cover_2017_to_2025_and_not_beyond(table):
    months = pd.date_range("2017-01-01", "2025-12-01", freq="MS")
    for name in ("smic_hourly_gross", "cde_rate", "rsa_base_monthly", "startup_grant_per_job"):
        assert len(table.rows_in_force(name, months)) == len(months)
    with pytest.raises(MissingRateError) as error:
        table.rows_in_force("cde_rate", pd.date_range("2026-01-01", "2026-03-01", freq="MS"))
    message = str(error.value)
    assert "'cde_rate'" in message and "2026" in message and "unit_costs.csv" in message


def test_a_year_without_a_dated_rate_is_an_error_naming_parameter_and_year(raw_text, tmp_path):
    keep = ~((raw_text["parameter"] == "rsa_base_monthly") & raw_text["valid_from"].str.startswith("2025"))
    table = load_unit_costs(write(raw_text[keep], tmp_path))
    with pytest.raises(MissingRateError) as error:
        table.rows_in_force("rsa_base_monthly", pd.date_range("2025-01-01", "2025-12-01", freq="MS"))
    assert error.value.parameter == "rsa_base_monthly" and error.value.year == 2025
    assert "my_costs.csv" in str(error.value)


@pytest.mark.parametrize(
    ("parameter", "valid_from", "column", "value", "rule"),
    [
        ("rsa_share_of_hires", "", "low", "0.9", "low must be <= central"),
        ("ass_monthly", "", "high", "500", "high must be >= central"),
        ("other_tax_revenue", "", "low", "-5", "no negative values"),
        ("are_monthly", "", "unit", "EUR/year", "must be expressed in EUR/month"),
        ("turnover_ratio", "", "source", "", "needs a source"),
        ("displacement", "", "high", "1.5", "at most 1"),
        ("smic_hourly_gross", "2023-01-01", "central", "abc", "expected a number"),
        ("hours_per_fte", "", "valid_from", "2020-01-01", "leave valid_from empty"),
        ("rsa_household_factor", "", "as_of", "last year", "YYYY-MM"),
        ("drop_off", "", "contested", "maybe", "expected 1 or 0"),
    ],
)
def test_bad_cells_are_reported_with_file_row_column_value_and_rule(
    raw_text, tmp_path, parameter, valid_from, column, value, rule
):
    row = row_of(raw_text, parameter, valid_from)
    bad = raw_text.copy()
    bad.loc[row - 1, column] = value
    with pytest.raises(UnitCostTableError) as error:
        load_unit_costs(write(bad, tmp_path))
    assert isinstance(error.value, ValueError)
    [violation] = [v for v in error.value.violations if v.column == column]
    assert violation.file == "my_costs.csv"
    assert violation.row == row
    assert rule in violation.rule
    message = str(error.value)
    assert re.search(rf"row {row} \(line {row + 1}\), column '{column}'", message)
    assert rule in message


def test_a_dated_rate_needs_a_valid_from(raw_text, tmp_path):
    row = row_of(raw_text, "cde_rate", "2018-01-01")
    bad = raw_text.copy()
    bad.loc[row - 1, "valid_from"] = ""
    with pytest.raises(UnitCostTableError, match=r"changes over time"):
        load_unit_costs(write(bad, tmp_path))


def test_unknown_missing_and_duplicated_parameters_are_errors(raw_text, tmp_path):
    bad = raw_text.copy()
    bad.loc[row_of(raw_text, "attribution") - 1, "parameter"] = "atribution"
    bad = pd.concat([bad, bad.iloc[[0]]], ignore_index=True)
    with pytest.raises(UnitCostTableError) as error:
        load_unit_costs(write(bad, tmp_path))
    rules = {(v.column, v.value): v.rule for v in error.value.violations}
    assert "unknown parameter" in rules[("parameter", "atribution")]
    assert "missing from the table" in rules[("parameter", "attribution")]
    assert any("duplicate" in v.rule and v.row == len(bad) for v in error.value.violations)


def test_missing_column_and_missing_file_are_errors(raw_text, tmp_path):
    with pytest.raises(UnitCostTableError, match=r"column 'source'.*required column is missing"):
        load_unit_costs(write(raw_text.drop(columns="source"), tmp_path))
    with pytest.raises(UnitCostTableError, match="file not found"):
        load_unit_costs(tmp_path / "absent.csv")


def test_with_values_revalidates(table):
    changed = table.with_values("turnover_ratio", 0.1, 0.2, 0.3)
    assert changed.triple("turnover_ratio").tolist() == [0.1, 0.2, 0.3]
    assert table.triple("turnover_ratio")[1] == 0.15
    with pytest.raises(UnitCostTableError, match="low must be <= central"):
        table.with_values("turnover_ratio", 0.3, 0.2, 0.4)
