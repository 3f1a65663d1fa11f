"""Programme headcounts at any frequency: FTE-years, coverage paces and the national series agree.

Monthly, quarterly and yearly programme tables describe the same stocks (each row the
stock at the end of its period); these tests build the three representations of one
hiring path and check that the cost inputs and the coverage pace come out the same,
and that territories (or whole data sets) without programme rows do not break anything.
"""

from __future__ import annotations

import json
import math
import types

import numpy as np
import pandas as pd
import pytest

from conftest import read_table, write_table
from tzeval import coverage, load_dataset, territory_effect
from tzeval.costs import CostInputError, cost_inputs_from_programme, deadweight_from_jobseeker_effect
from tzeval.coverage import (
    STATUS_NO_PROGRAMME,
    STATUS_OPEN_ENDED,
    STATUS_PROJECTED,
    STATUS_TOO_FEW_MONTHS,
    STATUSES,
    coverage_from_frames,
)
from tzeval.territory_costs import deadweight_from_estimate, headcount_at_periods, national_costs, territory_costs
from tzeval.territory_effects import people_per_point


# --- Helpers ---------------------------------------------------------------------------------

def _set_metadata(folder, **keys) -> None:
    path = folder / "dataset.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata.update(keys)
    path.write_text(json.dumps(metadata, indent=2), encoding="utf-8")


def _coarser(monthly: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """The stocks of a monthly programme table (text periods) read at quarter or year ends."""
    month = monthly["period"].str.slice(5, 7).astype(int)
    year = monthly["period"].str.slice(0, 4)
    if frequency == "quarterly":
        keep = month % 3 == 0
        period = year + "-Q" + ((month - 1) // 3 + 1).astype(str)
    else:
        keep = month == 12
        period = year
    return monthly.assign(period=period)[keep].reset_index(drop=True)


def _programme_at(folder, frequency: str) -> None:
    """Rewrite a monthly data folder's programme table at ``frequency``."""
    write_table(folder, "programme.csv", _coarser(read_table(folder, "programme.csv"), frequency))
    _set_metadata(folder, programme_frequency=frequency)


# --- FTE-years -------------------------------------------------------------------------------

def test_yearly_stocks_give_fte_years_by_the_trapezoid_rule():
    programme = pd.DataFrame({
        "territory_id": ["a"] * 3 + ["b"] * 3,
        "period": ["2019", "2020", "2021", "2018", "2019", "2020"],
        "ebe_headcount": [120, 120, 120, 0, 80, 120],
        "ebe_fte": [102.0, 102.0, 102.0, 0.0, 60.0, 100.0],
    })
    territories = pd.DataFrame({"territory_id": ["a", "b"], "adoption_date": ["2019-03", "2018-07"]})
    inputs = cost_inputs_from_programme(programme, territories, frequency="yearly").set_index(["territory_id", "year"])
    # a: habilitated in March 2019, 102 FTE at each year-end. 2019: the stock rises from 0 on
    # 1 March to 102 on 31 December, 10 months at a mean of 51; then 102 all year.
    a = inputs.loc["a"]
    assert list(a["ebe_fte"]) == pytest.approx([10 / 12 * 51, 102.0, 102.0])
    assert list(a["ebe_headcount"]) == pytest.approx([10 / 12 * 60, 120.0, 120.0])
    assert list(a["year_end_fte"]) == [102.0, 102.0, 102.0]
    assert list(a["start_month"]) == [3, 1, 1] and list(a["end_month"]) == [12, 12, 12]
    assert list(a["net_additional_fte"]) == [102.0, 0.0, 0.0]
    # Read as monthly rows, the same three stocks would give 102 / 12 = 8.5 FTE-years a year.
    assert a.loc[2020, "ebe_fte"] != pytest.approx(102 / 12)
    # b: no one at the end of 2018 (that year is left out), 60 at the end of 2019, 100 a year later
    b = inputs.loc["b"]
    assert list(b.index) == [2019, 2020]
    assert list(b["ebe_fte"]) == pytest.approx([30.0, 80.0])
    assert list(b["phase"]) == [1, 1]
    # Without territories the stock starts from 0 on 1 January of the first row's year.
    alone = cost_inputs_from_programme(programme[programme["territory_id"] == "a"], frequency="yearly")
    assert list(alone["ebe_fte"]) == pytest.approx([51.0, 102.0, 102.0])
    assert list(alone["start_month"]) == [1, 1, 1]


def test_yearly_rows_must_follow_each_other_and_monthly_text_says_which_frequency():
    programme = pd.DataFrame({"territory_id": "a", "period": ["2019", "2021"], "ebe_headcount": [5, 5],
                              "ebe_fte": [4.0, 4.0]})
    with pytest.raises(CostInputError, match=r"row 2 \(line 3\), column 'period'.*2019 is followed by 2021"):
        cost_inputs_from_programme(programme, frequency="yearly")
    with pytest.raises(CostInputError, match="this is a yearly period: pass frequency='yearly'"):
        cost_inputs_from_programme(programme, frequency="monthly")
    doubled = programme.assign(period=["2019", "2019"])
    with pytest.raises(CostInputError, match=r"row 2 \(line 3\).*duplicate \(territory_id, period\)"):
        cost_inputs_from_programme(doubled, frequency="yearly")


def test_monthly_fte_years_match_a_hand_calculation():
    # Habilitated November 2021: 1 FTE at the end of November, 2 in December; in 2022
    # 3 FTE every month but June (1.5). Each month's stock stands for that month.
    months = pd.date_range("2021-11-01", "2022-12-01", freq="MS")
    fte = [1.0, 2.0] + [3.0] * 5 + [1.5] + [3.0] * 6
    programme = pd.DataFrame({"territory_id": "m", "period": months, "ebe_headcount": [f + 1 for f in fte],
                              "ebe_fte": fte})
    inputs = cost_inputs_from_programme(programme, frequency="monthly").set_index("year")
    assert inputs.loc[2021, "ebe_fte"] == pytest.approx(3.0 / 12)  # (1 + 2) / 12
    assert inputs.loc[2022, "ebe_fte"] == pytest.approx(34.5 / 12)  # (11 x 3 + 1.5) / 12
    assert inputs.loc[2022, "ebe_headcount"] == pytest.approx(46.5 / 12)
    assert (inputs.loc[2021, "start_month"], inputs.loc[2021, "end_month"]) == (11, 12)
    assert list(inputs["year_end_fte"]) == [2.0, 3.0]
    # the default frequency is monthly
    pd.testing.assert_frame_equal(cost_inputs_from_programme(programme).set_index("year"), inputs)


def test_quarterly_rows_equal_monthly_rows_constant_within_quarters():
    quarters = pd.date_range("2020-01-01", "2022-10-01", freq="QS")
    fte = [1.0, 2.0, 2.0, 4.0, 5.0, 5.0, 3.0, 6.0, 6.0, 6.0, 7.5, 8.0]
    headcount = [f + 2 for f in fte]
    quarterly = pd.DataFrame({"territory_id": "q", "period": quarters, "ebe_headcount": headcount, "ebe_fte": fte})
    monthly = pd.DataFrame({
        "territory_id": "q", "period": pd.date_range("2020-01-01", "2022-12-01", freq="MS"),
        "ebe_headcount": np.repeat(headcount, 3), "ebe_fte": np.repeat(fte, 3),
    })
    territories = pd.DataFrame({"territory_id": ["q"], "adoption_date": ["2020-01"]})
    by_quarter = cost_inputs_from_programme(quarterly, territories, frequency="quarterly")
    by_month = cost_inputs_from_programme(monthly, territories, frequency="monthly")
    pd.testing.assert_frame_equal(by_quarter, by_month)
    assert list(by_quarter["ebe_fte"]) == pytest.approx([9 * 3 / 12, 19 * 3 / 12, 27.5 * 3 / 12])
    # quarter texts are read too
    texts = quarterly.assign(period=[f"{p.year}-Q{(p.month - 1) // 3 + 1}" for p in quarters])
    pd.testing.assert_frame_equal(cost_inputs_from_programme(texts, territories, frequency="quarterly"), by_quarter)


def test_a_yearly_data_folder_gives_yearly_fte_years(small_dataset):
    territories = read_table(small_dataset, "territories.csv")
    pioneer = territories.loc[territories["treated"] == "1", "territory_id"].iloc[0]
    assert territories.set_index("territory_id").loc[pioneer, "adoption_date"] == "2017-01"
    years = [str(y) for y in range(2017, 2025)]
    programme = pd.DataFrame({
        "territory_id": pioneer, "period": years, "ebe_headcount": 120, "ebe_fte": 102,
        "cumulative_hires": [130 + 10 * i for i in range(len(years))], "volunteers": 200, "waiting_list": 10,
    })
    write_table(small_dataset, "programme.csv", programme)
    _set_metadata(small_dataset, programme_frequency="yearly")
    data = load_dataset(small_dataset)
    assert data.programme_frequency == "yearly" and data.frequency == "monthly"
    assert data.programme["period"].iloc[0] == pd.Timestamp("2017-01-01")
    inputs = cost_inputs_from_programme(data.programme, data.territories,
                                        frequency=data.programme_frequency).set_index("year")
    assert inputs.loc[2017, "ebe_fte"] == pytest.approx(51.0)  # from 0 in January 2017 to 102
    assert list(inputs.loc[2018:, "ebe_fte"]) == pytest.approx([102.0] * 7)
    costs = national_costs(data, n_draws=1000)
    frame = costs.to_frame()
    assert set(frame["territory_id"]) == {pioneer}
    assert frame["ebe_fte"].sum() == pytest.approx(51 + 7 * 102)


# --- Deadweight: outcome and programme periods at different frequencies ------------------------

def test_headcount_at_the_end_of_each_outcome_period():
    yearly = pd.DataFrame({"period": pd.to_datetime(["2019-01-01", "2020-01-01"]), "ebe_headcount": [10, 20]})
    months = pd.date_range("2018-12-01", "2021-01-01", freq="MS")
    headcount = headcount_at_periods(yearly, months, "monthly", "yearly")
    # a month reads the stock of the year that holds its end; before the first count, no one;
    # after the last one, the last stock is carried forward
    assert headcount.loc["2018-12-01"] == 0
    assert (headcount.loc["2019-01-01":"2019-12-01"] == 10).all()
    assert (headcount.loc["2020-01-01":"2020-12-01"] == 20).all()
    assert headcount.loc["2021-01-01"] == 20
    monthly = pd.DataFrame({"period": pd.date_range("2020-01-01", "2020-12-01", freq="MS"),
                            "ebe_headcount": np.arange(1, 13)})
    quarters = pd.date_range("2020-01-01", "2020-10-01", freq="QS")
    assert list(headcount_at_periods(monthly, quarters, "quarterly", "monthly")) == [3, 6, 9, 12]


def test_deadweight_uses_the_first_treated_period_of_yearly_outcomes(small_dataset):
    # Yearly outcomes (stocks at 31 December), monthly programme counts.
    outcomes = read_table(small_dataset, "outcomes.csv")
    december = outcomes[outcomes["period"].str.endswith("-12")]
    write_table(small_dataset, "outcomes.csv", december.assign(period=december["period"].str.slice(0, 4)))
    _set_metadata(small_dataset, frequency="yearly", programme_frequency="monthly")
    data = load_dataset(small_dataset)
    territory_id = data.treated_ids[1]
    assert data.territory(territory_id)["adoption_date"] == pd.Timestamp("2021-11-01")
    assert data.territory(territory_id)["first_period"] == pd.Timestamp("2021-01-01")
    programme = data.programme_for(territory_id).set_index("period")["ebe_headcount"].astype(float)
    # the 2021 stock counts (first treated year): December 2021 to December 2024
    expected_headcount = programme.loc[pd.to_datetime(["2021-12-01", "2022-12-01", "2023-12-01",
                                                       "2024-12-01"])].mean()
    people = people_per_point(data, territory_id)
    expected = deadweight_from_jobseeker_effect(-0.5 * people, 0.2 * people, expected_headcount)
    assert deadweight_from_estimate(data, territory_id, -0.5, 0.2) == pytest.approx(expected)


# --- Coverage --------------------------------------------------------------------------------

def _linear_path(frequency: str) -> pd.DataFrame:
    """Five hires a month from January 2019 to December 2022, counted at ``frequency``."""
    months = pd.date_range("2019-01-01", "2022-12-01", freq="MS")
    hires = 5 * np.arange(1, len(months) + 1)
    step = {"monthly": 1, "quarterly": 3, "yearly": 12}[frequency]
    keep = slice(step - 1, None, step)  # the last month of each period holds its end-of-period stock
    periods = months[keep] - pd.DateOffset(months=step - 1)
    return pd.DataFrame({"territory_id": "lin", "period": periods, "ebe_headcount": hires[keep] // 2,
                         "ebe_fte": hires[keep] / 2.5, "cumulative_hires": hires[keep],
                         "volunteers": hires[keep] + 20, "waiting_list": 20})


@pytest.fixture
def need():
    return pd.DataFrame({"name": ["Linéaire"], "potential_beneficiaries": [600.0]},
                        index=pd.Index(["lin"], name="territory_id"))


@pytest.mark.parametrize("method", ["bootstrap", "regression"])
def test_a_linear_hiring_path_gives_one_monthly_pace_at_every_frequency(need, method):
    rows = {}
    for frequency in ("monthly", "quarterly", "yearly"):
        result = coverage_from_frames(need, _linear_path(frequency), frequency=frequency, method=method)
        rows[frequency] = result.to_frame().iloc[0]
    for frequency, row in rows.items():
        # 240 hired by December 2022, 360 left at 5 a month: 72 months, December 2028
        assert row["pace"] == pytest.approx(5.0), frequency
        assert row["months"] == pytest.approx(72.0), frequency
        assert row["n_months"] == 12, frequency
        assert row["period"] == pd.Timestamp("2022-12-01"), frequency
        assert row["coverage_month"] == pd.Timestamp("2028-12-01"), frequency
    # a single yearly rise tells nothing of the pace's uncertainty: unbounded, said as such
    yearly = rows["yearly"]
    assert yearly["status"] == STATUS_OPEN_ENDED
    assert (yearly["pace_low"], yearly["pace_high"]) == (-math.inf, math.inf)
    assert rows["quarterly"]["status"] == STATUS_PROJECTED
    result = coverage_from_frames(need, _linear_path("yearly"), frequency="yearly", method=method)
    assert "seule hausse" in result.territory_sentence("lin")
    assert "single rise" in result.territory_sentence("lin", "en")
    assert "annuels" in result.summary() and "12 months" in result.summary("en")


def test_a_yearly_series_needs_two_year_ends_for_a_projection(need):
    path = _linear_path("yearly")
    one = coverage_from_frames(need, path.tail(1), frequency="yearly").to_frame().iloc[0]
    assert one["status"] == STATUS_TOO_FEW_MONTHS and one["n_months"] == 0
    two = coverage_from_frames(need, path.tail(2), frequency="yearly").to_frame().iloc[0]
    assert two["status"] == STATUS_OPEN_ENDED and two["n_months"] == 12 and two["pace"] == pytest.approx(5.0)
    # with a window of three years, the pace has an interval from three yearly rises
    wide = coverage_from_frames(need, path, frequency="yearly", window=36).to_frame().iloc[0]
    assert wide["n_months"] == 36 and np.isfinite(wide["pace_low"]) and wide["pace"] == pytest.approx(5.0)


def test_the_same_counts_at_three_frequencies_give_the_same_pace(small_dataset, tmp_path):
    import shutil

    results = {}
    for frequency in ("monthly", "quarterly", "yearly"):
        folder = tmp_path / frequency
        shutil.copytree(small_dataset, folder)
        if frequency != "monthly":
            _programme_at(folder, frequency)
        data = load_dataset(folder)
        assert data.programme_frequency == frequency
        results[frequency] = coverage.territory_coverage(data).to_frame().set_index("territory_id")
    monthly = results["monthly"]
    assert (monthly["status"] == STATUS_PROJECTED).any(), "some demo EBEs are still hiring"
    for frequency in ("quarterly", "yearly"):
        other = results[frequency]
        # the mean monthly rise over the last 12 months is the 12-month rise over 12,
        # however the months are grouped
        np.testing.assert_allclose(other["pace"], monthly["pace"], rtol=1e-12)
        np.testing.assert_allclose(other["months"], monthly["months"], rtol=1e-12)
        assert (other["coverage_month"] == monthly["coverage_month"]).all()
        assert (other["period"] == pd.Timestamp("2024-12-01")).all()
        assert (other["hires_per_potential"] == monthly["hires_per_potential"]).all()


# --- Territories and data sets without programme rows -----------------------------------------

def test_a_territory_without_programme_rows_is_said_so(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    data = load_dataset(small_dataset)
    silent = data.treated_ids[2]
    write_table(small_dataset, "programme.csv", programme[programme["territory_id"] != silent])
    data = load_dataset(small_dataset)
    assert data.programme_for(silent).empty

    result = coverage.territory_coverage(data)
    frame = result.to_frame().set_index("territory_id")
    assert set(frame.index) == set(data.treated_ids)
    row = frame.loc[silent]
    assert row["status"] == STATUS_NO_PROGRAMME and pd.isna(row["period"]) and np.isnan(row["cumulative_hires"])
    assert row["potential_beneficiaries"] == data.territory(silent)["potential_beneficiaries"]
    assert STATUS_NO_PROGRAMME in STATUSES and result.status_counts()[STATUS_NO_PROGRAMME] == 1
    french = result.territory_sentence(silent)
    english = result.territory_sentence(silent, "en")
    assert "aucun effectif de l'entreprise à but d'emploi n'a été fourni pour ce territoire" in french
    assert "no headcount" in english and "was provided for this territory" in english
    assert any("1 territoires habilités, aucun effectif" in item for item in result.findings())
    figure = result.plot("series", territory_id=silent, lang="en")
    assert not figure.data and "No headcount" in figure.layout.annotations[0].text
    assert result.plot("coverage").data and result.plot("months").data
    # asked for alone, it still gets its row
    alone = coverage.territory_coverage(data, territory_ids=[silent]).to_frame()
    assert list(alone["status"]) == [STATUS_NO_PROGRAMME]

    national = coverage.national_coverage(data).to_frame()
    last = national.iloc[-1]
    assert last["n_habilitated"] == 3 and last["n_reporting"] == 2
    reported = data.programme[data.programme["period"] == data.programme["period"].max()]
    assert last["ebe_headcount"] == reported["ebe_headcount"].sum()
    assert "1 des 3 territoires habilités n'ont fourni aucun effectif" in coverage.national_coverage(data).summary()

    assert deadweight_from_estimate(data, silent, -1.0, 0.5) is None
    costs = national_costs(data, n_draws=1000).to_frame()
    assert silent not in set(costs["territory_id"]) and len(set(costs["territory_id"])) == 2
    assert territory_costs(data, types.SimpleNamespace(unit=silent)) is None


def test_an_empty_programme_table_breaks_nothing(small_dataset):
    programme = read_table(small_dataset, "programme.csv")
    write_table(small_dataset, "programme.csv", programme.iloc[:0])
    data = load_dataset(small_dataset)
    assert data.programme.empty

    result = coverage.territory_coverage(data)
    frame = result.to_frame()
    assert len(frame) == 3 and (frame["status"] == STATUS_NO_PROGRAMME).all()
    assert result.findings() == [
        "Aucun effectif d'entreprise à but d'emploi n'a été fourni pour les 3 territoires habilités : "
        "la couverture du besoin ne peut pas être calculée."]
    for kind in ("coverage", "months"):
        assert result.plot(kind).layout.title.text
    national = coverage.national_coverage(data)
    table = national.to_frame()
    assert (table["n_reporting"] == 0).all() and table["ebe_headcount"].isna().all()
    assert table["long_term_jobseekers"].notna().all()
    assert "No headcount" in national.summary("en")
    assert national.plot().layout.annotations

    # no FTE-year at all: nothing to simulate, as for a territory whose EBE has hired no one
    assert cost_inputs_from_programme(data.programme, data.territories, frequency=data.programme_frequency).empty
    assert national_costs(data, n_draws=1000) is None
    assert territory_costs(data, types.SimpleNamespace(unit=data.treated_ids[0])) is None


# --- The evaluator's own unit costs ----------------------------------------------------------

def test_territory_costs_use_the_unit_cost_table_given(small_dataset, tmp_path):
    from tzeval.costs.unit_costs import DEFAULT_UNIT_COSTS

    table = pd.read_csv(DEFAULT_UNIT_COSTS, dtype=str, keep_default_na=False)
    premium = table["parameter"] == "wage_premium_over_smic"
    assert table.loc[premium, "central"].tolist() == ["0.03"]
    table.loc[premium, "central"] = "0.07"  # within its low 0 and high 0.08
    path = tmp_path / "unit_costs.csv"
    table.to_csv(path, index=False, lineterminator="\n")

    data = load_dataset(small_dataset)
    result = territory_effect(data, data.treated_ids[0])
    shipped = territory_costs(data, result, n_draws=1000)
    own = territory_costs(data, result, n_draws=1000, unit_costs=path)
    as_text = territory_costs(data, result, n_draws=1000, unit_costs=str(path))
    shipped_gross = shipped.central_case()["gross_public_cost"]
    own_gross = own.central_case()["gross_public_cost"]
    assert (own_gross > shipped_gross + 100).all()
    pd.testing.assert_frame_equal(as_text.frame, own.frame)
    national = national_costs(data, n_draws=1000, unit_costs=path).central_case()
    pioneer = national["territory_id"] == data.treated_ids[0]
    np.testing.assert_allclose(national.loc[pioneer, "gross_public_cost"], own_gross)
