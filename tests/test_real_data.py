"""The files evaluators actually get: yearly and quarterly series, suppressed and rounded
counts, INSEE codes, territories made of communes or QPVs, French CSV and Excel files.

Each test starts from a valid small monthly folder (tests/conftest.py) and reshapes it
the way a published file is shaped, then checks that it loads into the same numbers or
fails with an error naming file, row and column.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import read_table, write_table
from tzeval import DataValidationError, load_dataset
from tzeval.periods import containing_period, format_period, parse_periods
from tzeval.pooled import excluded_territories, yearly_panel
from tzeval.processed import default_processed_root, open_dataset
from tzeval.territory_effects import estimation_sample, territory_effect, territory_effects

MARKERS = ["s", "nd", "n.d.", "n.s.", "secret", "<5", "< 10", "", "ND"]


def _set_metadata(folder, **keys):
    path = folder / "dataset.json"
    metadata = json.loads(path.read_text()) if path.is_file() else {}
    path.write_text(json.dumps({**metadata, **keys}))


def _end_of_period_rows(frame: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """Keep the last month of each period (the published stock) and rewrite its period."""
    months = pd.to_datetime(frame["period"], format="%Y-%m")
    last = {"yearly": [12], "quarterly": [3, 6, 9, 12]}[frequency]
    kept = frame[months.dt.month.isin(last)].copy()
    kept["period"] = [format_period(containing_period(m, frequency), frequency) for m in months[kept.index]]
    return kept.reset_index(drop=True)


def _reshape(folder, frequency: str, *, programme_too: bool = True):
    write_table(folder, "outcomes.csv", _end_of_period_rows(read_table(folder, "outcomes.csv"), frequency))
    if programme_too:
        write_table(folder, "programme.csv", _end_of_period_rows(read_table(folder, "programme.csv"), frequency))
        _set_metadata(folder, frequency=frequency)
    else:
        _set_metadata(folder, frequency=frequency, programme_frequency="monthly")
    (folder / "truth.csv").unlink()


def _violations(folder, fragment: str):
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    found = [v for v in caught.value.violations if fragment in v.rule]
    assert found, f"no violation mentioning {fragment!r} in:\n{caught.value}"
    return found


# --- declared frequency ------------------------------------------------------------------

@pytest.mark.parametrize("frequency, n_periods", [("yearly", 13), ("quarterly", 52)])
def test_yearly_and_quarterly_series_load_and_estimate(small_dataset, frequency, n_periods):
    _reshape(small_dataset, frequency)
    data = load_dataset(small_dataset)
    assert data.frequency == frequency and data.programme_frequency == frequency
    assert len(data.periods) == n_periods
    for territory_id in data.treated_ids:
        adoption = data.territories.loc[territory_id, "adoption_date"]
        first = data.territories.loc[territory_id, "first_period"]
        # the first treated period holds the habilitation month, so its end-of-period stock is after it
        assert first <= adoption < first + pd.DateOffset(months=data.months_per_period)
        result = territory_effect(data, territory_id)
        assert result.n_pre + result.n_post == n_periods
        assert result.n_post == int((data.periods >= first).sum())
        assert np.isfinite(result.estimate)


def test_yearly_first_treated_period_is_the_first_year_end_after_habilitation():
    adoption = pd.Series(pd.to_datetime(["2017-02-01", "2021-11-01", "2017-12-01"]))
    years = containing_period(adoption, "yearly").dt.year.tolist()
    assert years == [2017, 2021, 2017]
    quarters = [format_period(p, "quarterly") for p in containing_period(adoption, "quarterly")]
    assert quarters == ["2017-Q1", "2021-Q4", "2017-Q4"]


def test_quarter_texts_parse_to_their_first_day():
    parsed = parse_periods(pd.Series(["2017-Q1", "2017-Q4", "2017-Q5", "2017-03"]), "quarterly")
    assert parsed.iloc[0] == pd.Timestamp("2017-01-01") and parsed.iloc[1] == pd.Timestamp("2017-10-01")
    assert parsed.iloc[2:].isna().all()


def test_a_monthly_row_in_a_yearly_file_is_named(small_dataset):
    _reshape(small_dataset, "yearly")
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[7, "period"] = "2016-06"
    write_table(small_dataset, "outcomes.csv", outcomes)
    violation = _violations(small_dataset, "is a monthly period but the data set declares frequency 'yearly'")[0]
    assert (violation.file, violation.row, violation.column, violation.value) == ("outcomes.csv", 8, "period", "2016-06")


def test_monthly_file_declared_yearly_says_how_to_fix_it(small_dataset):
    _set_metadata(small_dataset, frequency="yearly")
    found = _violations(small_dataset, 'set "frequency" in dataset.json')
    assert found[0].file == "outcomes.csv" and found[0].column == "period" and found[0].row == 1


def test_unknown_frequency_in_dataset_json(small_dataset):
    _set_metadata(small_dataset, frequency="weekly")
    violation = _violations(small_dataset, "expected one of monthly, quarterly, yearly")[0]
    assert (violation.file, violation.column, violation.value) == ("dataset.json", "frequency", "weekly")


@pytest.mark.parametrize("rounding", [0, 2.5, "10", True])
def test_rounding_must_be_a_whole_number(small_dataset, rounding):
    _set_metadata(small_dataset, rounding=rounding)
    violation = _violations(small_dataset, "expected a whole number of at least 1")[0]
    assert violation.column == "rounding"


def test_rounding_is_kept(small_dataset):
    _set_metadata(small_dataset, rounding=10)
    assert load_dataset(small_dataset).rounding == 10


def test_yearly_series_break_is_refused_from_2025(small_dataset):
    _reshape(small_dataset, "yearly")
    outcomes = read_table(small_dataset, "outcomes.csv")
    extra = outcomes[outcomes["period"] == "2024"].assign(period="2025")
    write_table(small_dataset, "outcomes.csv", pd.concat([outcomes, extra], ignore_index=True))
    violation = _violations(small_dataset, "January 2025")[0]
    assert (violation.column, violation.value) == ("period", "2025")
    assert len(load_dataset(small_dataset, allow_series_break=True).periods) == 14


def test_pooled_panel_on_yearly_data_uses_year_end_cohorts(small_dataset):
    _reshape(small_dataset, "yearly")
    data = load_dataset(small_dataset)
    panel = yearly_panel(data)
    assert sorted(panel["year"].unique()) == list(range(2012, 2025))
    cohorts = panel.drop_duplicates("territory_id").set_index("territory_id")["cohort"]
    for territory_id in data.treated_ids:
        assert cohorts[territory_id] == data.territories.loc[territory_id, "adoption_date"].year


# --- suppressed and rounded counts ---------------------------------------------------------

@pytest.mark.parametrize("marker", MARKERS)
def test_suppression_markers_are_read_as_suppressed(small_dataset, marker):
    data = load_dataset(small_dataset)
    comparison = data.comparison_ids[3]
    outcomes = read_table(small_dataset, "outcomes.csv")
    row = outcomes.index[(outcomes["territory_id"] == comparison) & (outcomes["period"] == "2015-06")][0]
    outcomes.loc[row, "long_term_jobseekers"] = marker
    write_table(small_dataset, "outcomes.csv", outcomes)
    data = load_dataset(small_dataset)
    assert data.suppressed[["territory_id", "column"]].values.tolist() == [[comparison, "long_term_jobseekers"]]
    assert data.suppressed["period"].iloc[0] == pd.Timestamp("2015-06-01")
    cell = data.outcomes[(data.outcomes["territory_id"] == comparison)
                         & (data.outcomes["period"] == pd.Timestamp("2015-06-01"))]
    assert cell["suppressed"].item() and np.isnan(cell["long_term_rate"].item())
    # a comparison territory with a suppressed cell leaves the pool, for every treated territory
    sample = estimation_sample(data, data.treated_ids[0])
    assert sample.excluded_controls == [comparison]
    assert comparison not in sample.controls and len(sample.controls) == len(data.comparison_ids) - 1


def test_a_treated_territory_with_a_suppressed_period_is_estimated_on_the_periods_it_has(small_dataset):
    data = load_dataset(small_dataset)
    treated = data.treated_ids[1]
    outcomes = read_table(small_dataset, "outcomes.csv")
    rows = outcomes.index[(outcomes["territory_id"] == treated) & outcomes["period"].isin(["2013-03", "2014-07"])]
    outcomes.loc[rows, "long_term_jobseekers"] = "secret"
    write_table(small_dataset, "outcomes.csv", outcomes)
    data = load_dataset(small_dataset)
    sample = estimation_sample(data, treated)
    assert sample.dropped_periods == [pd.Timestamp("2013-03-01"), pd.Timestamp("2014-07-01")]
    assert sample.excluded_controls == []
    result = territory_effect(data, treated)
    assert result.n_pre + result.n_post == len(data.periods) - 2
    table = territory_effects(data).set_index("territory_id")
    assert table.loc[treated, "status"] == "ok"
    assert table.loc[treated, "n_periods_dropped"] == 2
    assert (table["n_controls"] == len(data.comparison_ids)).all()


def test_a_suppressed_cell_keeps_the_territory_out_of_the_pooled_panel(small_dataset):
    data = load_dataset(small_dataset)
    comparison = data.comparison_ids[0]
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[outcomes["territory_id"] == comparison, "long_term_jobseekers"] = (
        outcomes.loc[outcomes["territory_id"] == comparison, "long_term_jobseekers"].where(
            outcomes["period"] != "2016-01", "n.s."))
    write_table(small_dataset, "outcomes.csv", outcomes)
    data = load_dataset(small_dataset)
    assert excluded_territories(data) == [comparison]
    assert comparison not in set(yearly_panel(data)["territory_id"])


@pytest.mark.parametrize("column", ["territory_id", "period"])
def test_a_suppression_marker_where_it_cannot_be(small_dataset, column):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[4, column] = "nd"
    write_table(small_dataset, "outcomes.csv", outcomes)
    violation = _violations(small_dataset, "a suppression marker is not allowed in this column")[0]
    assert (violation.file, violation.row, violation.column, violation.value) == ("outcomes.csv", 5, column, "nd")


def test_a_suppression_marker_in_programme_counts_is_an_error(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    programme.loc[2, "ebe_headcount"] = "s"
    write_table(small_dataset, "programme.csv", programme)
    violation = _violations(small_dataset, "a suppressed value is not allowed")[0]
    assert (violation.file, violation.row, violation.column) == ("programme.csv", 3, "ebe_headcount")


# --- French files -------------------------------------------------------------------------

def test_french_csv_with_semicolons_spaces_and_decimal_commas(small_dataset):
    expected = load_dataset(small_dataset)
    outcomes = read_table(small_dataset, "outcomes.csv")
    big = outcomes["population_15_64"].astype(int) >= 1000
    separators = np.where(np.arange(len(outcomes)) % 2 == 0, "\u202f", " ")  # narrow and plain spaces
    spaced = [f"{int(n):,}".replace(",", sep) for n, sep in zip(outcomes["population_15_64"], separators)]
    outcomes.loc[big, "population_15_64"] = pd.Series(spaced, index=outcomes.index)[big]
    outcomes.to_csv(small_dataset / "outcomes.csv", sep=";", index=False)
    programme = read_table(small_dataset, "programme.csv")
    programme["ebe_fte"] = programme["ebe_fte"].str.replace(".", ",", regex=False)
    programme.to_csv(small_dataset / "programme.csv", sep=";", index=False, encoding="utf-8-sig")
    data = load_dataset(small_dataset)
    pd.testing.assert_frame_equal(data.outcomes, expected.outcomes)
    pd.testing.assert_frame_equal(data.programme, expected.programme)


def test_latin1_territories_file(small_dataset):
    territories = read_table(small_dataset, "territories.csv")
    territories.loc[0, "name"] = "Évreux-la-Forêt"
    territories.to_csv(small_dataset / "territories.csv", index=False, sep=";", encoding="latin-1")
    data = load_dataset(small_dataset)
    assert data.territories["name"].iloc[0] == "Évreux-la-Forêt"


def test_excel_workbook_with_one_sheet_per_year(small_dataset):
    pytest.importorskip("openpyxl")
    expected = load_dataset(small_dataset)
    outcomes = read_table(small_dataset, "outcomes.csv")
    with pd.ExcelWriter(small_dataset / "outcomes.xlsx", engine="openpyxl") as writer:
        for year, rows in outcomes.groupby(outcomes["period"].str[:4]):
            numeric = rows.astype({c: int for c in ["long_term_jobseekers", "jobseekers_abc", "population_15_64"]})
            numeric.to_excel(writer, sheet_name=year, index=False)
    (small_dataset / "outcomes.csv").unlink()
    data = load_dataset(small_dataset)
    pd.testing.assert_frame_equal(data.outcomes, expected.outcomes)


def test_excel_sheets_with_different_columns_are_refused(small_dataset):
    pytest.importorskip("openpyxl")
    outcomes = read_table(small_dataset, "outcomes.csv")
    with pd.ExcelWriter(small_dataset / "outcomes.xlsx", engine="openpyxl") as writer:
        outcomes.iloc[:10].to_excel(writer, sheet_name="2012", index=False)
        outcomes.iloc[10:20].rename(columns={"jobseekers_abc": "demandeurs_abc"}).to_excel(
            writer, sheet_name="2013", index=False)
    (small_dataset / "outcomes.csv").unlink()
    with pytest.raises(DataValidationError) as caught:
        load_dataset(small_dataset)
    message = str(caught.value)
    assert "outcomes.xlsx" in message and "'2012'" in message and "'2013'" in message


def test_an_error_in_a_workbook_names_its_sheet_and_row(small_dataset):
    pytest.importorskip("openpyxl")
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[outcomes.index[outcomes["period"].str.startswith("2013")][2], "jobseekers_abc"] = "beaucoup"
    with pd.ExcelWriter(small_dataset / "outcomes.xlsx", engine="openpyxl") as writer:
        for year, rows in outcomes.groupby(outcomes["period"].str[:4]):
            rows.to_excel(writer, sheet_name=year, index=False)
    (small_dataset / "outcomes.csv").unlink()
    violation = _violations(small_dataset, "expected a whole number of people")[0]
    assert (violation.file, violation.row, violation.column, violation.value) == (
        "outcomes.xlsx, sheet '2013'", 3, "jobseekers_abc", "beaucoup")


# --- census-year populations -----------------------------------------------------------------

def test_populations_between_census_years_are_interpolated(small_dataset):
    _reshape(small_dataset, "yearly")
    outcomes = read_table(small_dataset, "outcomes.csv")
    territory = outcomes["territory_id"].iloc[0]
    mine = outcomes["territory_id"] == territory
    outcomes.loc[mine & ~outcomes["period"].isin(["2013", "2019"]), "population_15_64"] = ""
    outcomes.loc[mine & (outcomes["period"] == "2013"), "population_15_64"] = "1000"
    outcomes.loc[mine & (outcomes["period"] == "2019"), "population_15_64"] = "1600,5"
    write_table(small_dataset, "outcomes.csv", outcomes)
    data = load_dataset(small_dataset)
    rows = data.outcomes[data.outcomes["territory_id"] == territory]
    rows = rows.set_index(rows["period"].dt.year)
    assert rows.loc[2012, "population_15_64"] == 1000  # nearest known value at the edge
    assert rows.loc[2024, "population_15_64"] == 1600.5
    days = (pd.Timestamp("2016-01-01") - pd.Timestamp("2013-01-01")).days / (
        pd.Timestamp("2019-01-01") - pd.Timestamp("2013-01-01")).days
    assert rows.loc[2016, "population_15_64"] == pytest.approx(1000 + 600.5 * days)
    assert rows["population_interpolated"].sum() == 11
    assert not rows.loc[[2013, 2019], "population_interpolated"].any()


def test_a_territory_without_any_population_is_named(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    territory = outcomes["territory_id"].iloc[-1]
    outcomes.loc[outcomes["territory_id"] == territory, "population_15_64"] = ""
    write_table(small_dataset, "outcomes.csv", outcomes)
    violation = _violations(small_dataset, "has no population_15_64 in any period")[0]
    assert violation.file == "outcomes.csv" and violation.column == "population_15_64"
    assert territory in violation.rule


# --- programme data -------------------------------------------------------------------------------

def test_december_only_programme_rows_get_a_clear_error(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    write_table(small_dataset, "programme.csv", programme[programme["period"].str.endswith("-12")])
    violation = _violations(small_dataset, "not consecutive")[0]
    assert violation.file == "programme.csv" and violation.column == "period"
    assert '"programme_frequency": "yearly"' in violation.rule


def test_yearly_programme_with_monthly_outcomes(small_dataset):
    programme = _end_of_period_rows(read_table(small_dataset, "programme.csv"), "yearly")
    write_table(small_dataset, "programme.csv", programme)
    _set_metadata(small_dataset, programme_frequency="yearly")
    data = load_dataset(small_dataset)
    assert data.frequency == "monthly" and data.programme_frequency == "yearly"
    assert (data.programme["period"].dt.month == 1).all()
    assert len(data.programme) == len(programme)


def test_a_treated_territory_without_programme_rows_loads(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    dropped = programme["territory_id"].iloc[0]
    write_table(small_dataset, "programme.csv", programme[programme["territory_id"] != dropped])
    data = load_dataset(small_dataset)
    assert dropped in data.treated_ids and data.programme_for(dropped).empty


# --- territories made of units ----------------------------------------------------------------------

def _split_into_units(folder, territory_id: str, *, extra_members: list[dict] | None = None):
    """Replace one territory's outcome rows by two units (60% / 40% of each count) in members.csv."""
    outcomes = read_table(folder, "outcomes.csv")
    mine = outcomes[outcomes["territory_id"] == territory_id]
    units = []
    for code, part in (("59350", 0.6), ("QP059001", 0.4)):
        unit = mine.drop(columns="territory_id").copy()
        for column in ("long_term_jobseekers", "jobseekers_abc", "population_15_64"):
            unit[column] = (unit[column].astype(int) * part).round().astype(int).astype(str)
        unit.insert(0, "unit_code", code)
        units.append(unit)
    units = pd.concat(units, ignore_index=True)
    write_table(folder, "units_outcomes.csv", units)
    write_table(folder, "outcomes.csv", outcomes[outcomes["territory_id"] != territory_id])
    members = [{"territory_id": territory_id, "unit_code": "59350", "unit_kind": "commune", "share": "",
                "valid_from": "", "valid_to": ""},
               {"territory_id": territory_id, "unit_code": "QP059001", "unit_kind": "qpv", "share": "1",
                "valid_from": "", "valid_to": ""}]
    write_table(folder, "members.csv", pd.DataFrame(members + (extra_members or [])))
    return units


def test_members_are_summed_into_their_territory(small_dataset):
    expected = load_dataset(small_dataset)
    territory = expected.treated_ids[0]
    units = _split_into_units(small_dataset, territory)
    data = load_dataset(small_dataset)
    built = data.outcomes[data.outcomes["territory_id"] == territory].reset_index(drop=True)
    sums = units.astype({"long_term_jobseekers": int}).groupby("period")["long_term_jobseekers"].sum()
    assert built["long_term_jobseekers"].tolist() == sums.astype(float).tolist()
    original = expected.outcomes[expected.outcomes["territory_id"] == territory]["long_term_jobseekers"]
    assert np.abs(built["long_term_jobseekers"].to_numpy() - original.to_numpy()).max() <= 1
    assert np.isfinite(territory_effect(data, territory).estimate)


def test_a_suppressed_member_suppresses_its_territory_unless_its_share_is_zero(small_dataset):
    territory = load_dataset(small_dataset).treated_ids[0]
    units = _split_into_units(small_dataset, territory)
    units.loc[(units["unit_code"] == "QP059001") & (units["period"] == "2014-05"), "long_term_jobseekers"] = "<5"
    write_table(small_dataset, "units_outcomes.csv", units)
    data = load_dataset(small_dataset)
    suppressed = data.suppressed[data.suppressed["territory_id"] == territory]
    assert suppressed["period"].tolist() == [pd.Timestamp("2014-05-01")]
    assert suppressed["file"].tolist() == ["units_outcomes.csv"]
    members = read_table(small_dataset, "members.csv")
    members.loc[members["unit_code"] == "QP059001", "share"] = "0"
    write_table(small_dataset, "members.csv", members)
    data = load_dataset(small_dataset)
    assert data.suppressed[data.suppressed["territory_id"] == territory].empty


def test_a_perimeter_change_through_valid_from_and_valid_to(small_dataset):
    territory = load_dataset(small_dataset).treated_ids[0]
    units = _split_into_units(small_dataset, territory)
    members = read_table(small_dataset, "members.csv")
    members.loc[members["unit_code"] == "QP059001", "valid_to"] = "2019-12"
    write_table(small_dataset, "members.csv", members)
    data = load_dataset(small_dataset)
    built = data.outcomes[data.outcomes["territory_id"] == territory].set_index("period")["long_term_jobseekers"]
    commune = units[units["unit_code"] == "59350"].set_index("period")["long_term_jobseekers"].astype(float)
    both = units.astype({"long_term_jobseekers": float}).groupby("period")["long_term_jobseekers"].sum()
    assert built[pd.Timestamp("2019-12-01")] == both["2019-12"]
    assert built[pd.Timestamp("2020-01-01")] == commune["2020-01"]


def test_a_member_unit_absent_from_units_outcomes(small_dataset):
    territory = load_dataset(small_dataset).treated_ids[0]
    _split_into_units(small_dataset, territory, extra_members=[
        {"territory_id": territory, "unit_code": "2A004", "unit_kind": "commune", "share": "",
         "valid_from": "", "valid_to": ""}])
    violation = _violations(small_dataset, "unknown unit: not in units_outcomes.csv")[0]
    assert (violation.file, violation.row, violation.column, violation.value) == ("members.csv", 3, "unit_code", "2A004")


def test_shares_of_one_unit_above_one(small_dataset):
    data = load_dataset(small_dataset)
    territory, other = data.treated_ids[0], data.treated_ids[1]
    outcomes = read_table(small_dataset, "outcomes.csv")
    _split_into_units(small_dataset, territory, extra_members=[
        {"territory_id": other, "unit_code": "59350", "unit_kind": "commune", "share": "0,5",
         "valid_from": "2018-01", "valid_to": ""}])
    write_table(small_dataset, "outcomes.csv",
                outcomes[~outcomes["territory_id"].isin([territory, other])])
    violation = _violations(small_dataset, "the shares of unit '59350' add up to 1.5 at 2018-01")[0]
    assert (violation.file, violation.column) == ("members.csv", "share")


def test_a_territory_both_in_outcomes_and_members(small_dataset):
    territory = load_dataset(small_dataset).treated_ids[0]
    outcomes = read_table(small_dataset, "outcomes.csv")
    _split_into_units(small_dataset, territory)
    write_table(small_dataset, "outcomes.csv", outcomes)
    violation = _violations(small_dataset, "also built from members.csv")[0]
    assert (violation.file, violation.column, violation.value) == ("outcomes.csv", "territory_id", territory)


# --- where the processed copy goes -------------------------------------------------------------------

def test_outside_data_are_cached_outside_the_workbook(small_dataset, tmp_path, monkeypatch):
    from tzeval.paths import PROJECT_ROOT

    monkeypatch.delenv("TZEVAL_PROCESSED_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = default_processed_root(small_dataset)
    assert root == tmp_path / "cache" / "tzeval" / "processed"
    assert not root.resolve().is_relative_to(PROJECT_ROOT)
    open_dataset(small_dataset)
    assert any(root.iterdir())
    monkeypatch.setenv("TZEVAL_PROCESSED_DIR", str(tmp_path / "elsewhere"))
    assert default_processed_root(small_dataset) == tmp_path / "elsewhere"


def test_the_cache_keeps_frequency_and_suppressed_cells(small_dataset, tmp_path):
    _reshape(small_dataset, "yearly")
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[3, "long_term_jobseekers"] = "s"
    write_table(small_dataset, "outcomes.csv", outcomes)
    first = open_dataset(small_dataset, processed_root=tmp_path / "processed")
    again = open_dataset(small_dataset, processed_root=tmp_path / "processed")
    assert again.frequency == "yearly" and len(again.suppressed) == 1
    pd.testing.assert_frame_equal(again.outcomes, first.outcomes)
    pd.testing.assert_frame_equal(again.territories, first.territories, check_freq=False)


def test_yearly_values_copied_into_every_month_are_refused(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    december = outcomes[outcomes["period"].str.endswith("-12")].assign(year=lambda f: f["period"].str[:4])
    by_year = december.set_index(["territory_id", "year"])
    keys = list(zip(outcomes["territory_id"], outcomes["period"].str[:4]))
    for column in ("long_term_jobseekers", "jobseekers_abc"):
        outcomes[column] = by_year[column].reindex(keys).to_numpy()
    write_table(small_dataset, "outcomes.csv", outcomes)
    violation = _violations(small_dataset, "look like yearly figures copied into every month")[0]
    assert violation.file == "outcomes.csv" and violation.column == "period"
    assert '"frequency": "yearly"' in violation.rule


def test_genuine_monthly_data_are_not_taken_for_copied_yearly_figures(small_dataset):
    outcomes = read_table(small_dataset, "outcomes.csv")
    territory = outcomes["territory_id"].iloc[0]
    # one territory flat within years is not enough to refuse the file
    first = outcomes[outcomes["territory_id"] == territory].groupby(outcomes["period"].str[:4])[
        "long_term_jobseekers"].transform("first")
    outcomes.loc[first.index, "long_term_jobseekers"] = first
    write_table(small_dataset, "outcomes.csv", outcomes)
    assert load_dataset(small_dataset).frequency == "monthly"
