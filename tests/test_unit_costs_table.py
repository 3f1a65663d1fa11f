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
    unit_costs_from_frame,
)
from tzeval.costs.catalogue import DATED_PARAMETERS, STATUSES

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
    assert set(table.frame["status"]) <= set(STATUSES)


def test_every_parameter_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for name, spec in CATALOGUE.items():
        assert f"`{name}`" in text, name
        assert spec.unit in text, spec.unit


def test_sources_cite_public_texts_not_working_notes(table):
    """A source names a publication, a legal text or an assumption, never an approximation from notes."""
    for word in ("approx", "domain.md", "brief"):
        cited = table.frame.loc[table.frame["source"].str.lower().str.contains(word, regex=False)]
        assert cited.empty, f"{word!r} in the source of rows {cited['row'].tolist()}"


def test_every_calibrated_row_names_its_target(table):
    calibrated = table.frame[table.frame["status"] == "calibrated"]
    assert "returns_not_itemised" in set(calibrated["parameter"]), "the calibrated line is labelled as such"
    for row in calibrated.itertuples():
        assert "target" in row.source.lower(), (row.row, row.parameter)


def test_legal_rates_match_the_verified_values(table):
    def series(parameter, bound="central"):
        return table.dated_rows(parameter).set_index("valid_from")[bound]

    def status(parameter, valid_from):
        rows = table.dated_rows(parameter).set_index("valid_from")
        return rows.loc[pd.Timestamp(valid_from), "status"]

    smic = {"2017-01-01": 9.76, "2018-01-01": 9.88, "2019-01-01": 10.03, "2020-01-01": 10.15, "2021-01-01": 10.25,
            "2021-10-01": 10.48, "2022-01-01": 10.57, "2022-05-01": 10.85, "2022-08-01": 11.07, "2023-01-01": 11.27,
            "2023-05-01": 11.52, "2024-01-01": 11.65, "2024-11-01": 11.88, "2025-01-01": 11.88}
    assert series("smic_hourly_gross").to_dict() == {pd.Timestamp(k): v for k, v in smic.items()}
    assert all(status("smic_hourly_gross", k) == "verified" for k in smic if k < "2025")
    cde = series("cde_rate")
    for valid_from, rate in (("2017-01-01", 1.01), ("2018-01-01", 0.95), ("2020-04-01", 1.02), ("2023-10-01", 0.95)):
        assert cde[pd.Timestamp(valid_from)] == rate, valid_from
        assert status("cde_rate", valid_from) == "verified"
    months = pd.date_range("2023-01-01", "2023-12-01", freq="MS")
    rates = cde.to_numpy()[table.rows_in_force("cde_rate", months)]
    assert list(rates) == [1.02] * 9 + [0.95] * 3
    # 95% of the May 2023 SMIC is the EUR 10.94 an hour of the October 2023 arrêté
    assert round(0.95 * 11.52, 2) == 10.94
    rsa = series("rsa_base_monthly")
    for valid_from, amount in (("2023-04-01", 607.75), ("2024-04-01", 635.71), ("2025-04-01", 646.52)):
        assert rsa[pd.Timestamp(valid_from)] == amount and status("rsa_base_monthly", valid_from) == "verified"
    ass = series("ass_daily")
    for valid_from, amount in (("2024-04-01", 19.01), ("2025-04-01", 19.33)):
        assert ass[pd.Timestamp(valid_from)] == amount and status("ass_daily", valid_from) == "verified"
    assert table.triple("employee_contribution_rate")[1] == 0.208
    assert table.triple("hours_per_fte").tolist() == [1820.0] * 3
    # employer contributions left at the SMIC: 1-6% since the October 2019 extension of the réduction générale
    employer = table.dated_rows("employer_contribution_rate_at_smic")
    since = employer[employer["valid_from"] >= pd.Timestamp("2019-10-01")]
    assert since["valid_from"].iloc[0] == pd.Timestamp("2019-10-01")
    assert (since["low"] == 0.01).all() and (since["high"] == 0.06).all()
    assert (employer.loc[employer["valid_from"] < pd.Timestamp("2019-10-01"), "low"] > 0.01).all()
    # start-up grant: 30% of the gross annual SMIC per net additional FTE from 1 July 2021 (décret n° 2021-863)
    grant = table.dated_rows("startup_grant_share_of_annual_smic")
    after = grant["valid_from"] >= pd.Timestamp("2021-07-01")
    assert grant.loc[after, "valid_from"].iloc[0] == pd.Timestamp("2021-07-01")
    assert (grant.loc[after, ["low", "central", "high"]] == 0.30).all().all()
    assert (grant.loc[~after, "central"] == 0).all()
    # département: 15% of the State CDE, compulsory under the 2020 law, from 2021
    department = table.dated_rows("department_share_of_state")
    from_2021 = department["valid_from"] >= pd.Timestamp("2021-01-01")
    assert (department.loc[from_2021, "central"] == 0.15).all()
    assert department.loc[from_2021, "valid_from"].iloc[0] == pd.Timestamp("2021-01-01")
    assert (department.loc[from_2021, "status"] == "verified").all()


def test_contested_offsets_are_flagged(table):
    assert table.is_contested("health_costs_avoided")
    assert table.is_contested("social_support_costs_avoided")
    assert not table.is_contested("rsa_share_of_hires")


def test_dated_rates_cover_2017_to_2025_and_not_beyond(table):
    months = pd.date_range("2017-01-01", "2025-12-01", freq="MS")
    after = pd.date_range("2026-01-01", "2026-03-01", freq="MS")
    assert "price_index" in DATED_PARAMETERS
    for name in DATED_PARAMETERS:
        assert len(table.rows_in_force(name, months)) == len(months)
        with pytest.raises(MissingRateError) as error:
            table.rows_in_force(name, after)
        message = str(error.value)
        assert f"'{name}'" in message and "2026" in message and "unit_costs.csv" in message
    # the deflator: one row per year, dated 1 January, never carried over to a year without one
    prices = table.dated_rows("price_index")
    assert (prices["valid_from"].dt.strftime("%m-%d") == "01-01").all()
    assert prices["valid_from"].dt.year.is_unique
    assert set(range(2017, 2026)) <= set(prices["valid_from"].dt.year)
    assert prices["valid_from"].dt.year.max() == 2025
    index = table.price_index(range(2017, 2026))
    assert list(index) == list(range(2017, 2026)) and all(np.diff(list(index.values())) > 0)
    with pytest.raises(UnitCostTableError) as error:
        table.price_index([2025, 2026])
    [violation] = error.value.violations
    assert violation.file == "unit_costs.csv" and violation.column == "valid_from"
    assert violation.value == "price_index 2026" and "no deflator for 2026" in violation.rule


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
        ("ass_daily", "2024-04-01", "high", "18", "high must be >= central"),
        ("other_tax_revenue", "", "low", "-5", "no negative values"),
        ("are_monthly", "", "unit", "EUR/year", "must be expressed in EUR/month"),
        ("turnover_ratio", "", "source", "", "needs a source"),
        ("displacement", "", "high", "1.5", "at most 1"),
        ("smic_hourly_gross", "2023-01-01", "central", "abc", "expected a number"),
        ("hours_per_fte", "", "valid_from", "2020-01-01", "leave valid_from empty"),
        ("rsa_household_factor", "", "as_of", "last year", "YYYY-MM"),
        ("drop_off", "", "contested", "maybe", "expected 1 or 0"),
        ("fte_per_employee", "", "high", "1.2", "'fte_per_employee' is at most 1"),
        ("fte_per_employee", "", "low", "0", "'fte_per_employee' must be > 0"),
        ("wage_premium_over_smic", "", "status", "guessed", "expected one of: verified, published, assumption, "
         "calibrated"),
        ("returns_not_itemised", "", "source", "Calibrated on the comité scientifique 2025",
         "must name the published aggregate it targets"),
        ("price_index", "2023-01-01", "valid_from", "2023-07-01", "date each row YYYY-01-01"),
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
    bad.loc[row_of(raw_text, "displacement") - 1, "parameter"] = "dispalcement"
    bad = pd.concat([bad, bad.iloc[[0]]], ignore_index=True)
    with pytest.raises(UnitCostTableError) as error:
        load_unit_costs(write(bad, tmp_path))
    rules = {(v.column, v.value): v.rule for v in error.value.violations}
    assert "unknown parameter" in rules[("parameter", "dispalcement")]
    assert "missing from the table" in rules[("parameter", "displacement")]
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


def test_a_table_given_as_a_filtered_frame_is_checked_by_position(table):
    """A what-if table built by dropping rows keeps pandas' old index: rows still count from 1."""
    text = table.as_text()
    kept = text[~((text["parameter"] == "price_index") & (text["valid_from"] == "2025-01-01"))]
    filtered = unit_costs_from_frame(kept, source="what-if")
    assert len(filtered.frame) == len(text) - 1
    with pytest.raises(UnitCostTableError) as error:
        filtered.price_index([2024, 2025])
    [violation] = error.value.violations
    assert violation.column == "valid_from" and "2025" in str(violation.value) and "no deflator for 2025" in violation.rule
