"""The cost model under uncertainty: arithmetic, Monte Carlo, sensitivity, inputs and figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy.stats import norm

from tzeval import costs, demo
from tzeval.costs import (
    DEFAULT_UNIT_COSTS,
    CostInputError,
    MissingRateError,
    SelectionError,
    UnitCostTableError,
    load_unit_costs,
    simulate_costs,
    unit_costs_from_frame,
)
from tzeval.costs.result import RESULTS_COLUMNS
from tzeval.results import ESTIMATE_COLUMNS


@pytest.fixture(scope="module")
def table():
    return load_unit_costs()


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(DEFAULT_UNIT_COSTS)


def central(raw: pd.DataFrame, parameter: str, valid_from: str | None = None) -> float:
    rows = raw[raw["parameter"] == parameter]
    if valid_from is not None:
        rows = rows[rows["valid_from"] == valid_from]
    [value] = rows["central"].tolist()
    return float(value)


def one_year(year=2023, fte=1.0, year_end=None, phase=2, territory="t", **extra) -> pd.DataFrame:
    """One territory-year; the year-end FTE defaults to the FTE (an opening year: all of it is net additional)."""
    return pd.DataFrame({"territory_id": [territory], "year": [year], "ebe_fte": [fte],
                         "year_end_fte": [fte if year_end is None else year_end], "phase": [phase],
                         **{k: [v] for k, v in extra.items()}})


def years(year_end: dict[int, float], phase=2, territory="t", fte=None) -> pd.DataFrame:
    """Several years of one territory, from the year-end FTE of each (FTE-years equal to it unless given)."""
    return pd.concat([one_year(year, (fte or year_end)[year], value, phase, territory)
                      for year, value in year_end.items()], ignore_index=True)


def fixed_table(table, **ranges):
    """The shipped table with every range collapsed on its central value, except ``ranges``."""
    text = table.as_text()
    text["low"] = text["central"]
    text["high"] = text["central"]
    for name, (low, mid, high) in ranges.items():
        mask = text["parameter"] == name
        text.loc[mask, ["low", "central", "high"]] = [repr(float(low)), repr(float(mid)), repr(float(high))]
    return unit_costs_from_frame(text, source="fixed")


def without_rows(table, parameter: str, keep) -> costs.UnitCostTable:
    """The table as text without the rows of ``parameter`` whose valid_from fails ``keep``, as 'my_costs.csv'."""
    text = table.as_text()
    drop = (text["parameter"] == parameter) & ~text["valid_from"].map(keep)
    assert drop.any()
    return unit_costs_from_frame(text[~drop].reset_index(drop=True), source="my_costs.csv")


# --- arithmetic checked by hand ------------------------------------------------------------------


def test_one_territory_year_in_2023_at_central_values_matches_a_hand_calculation(raw):
    c = lambda name, date=None: central(raw, name, date)  # noqa: E731
    hours = c("hours_per_fte")
    smic_jan, smic_may = c("smic_hourly_gross", "2023-01-01"), c("smic_hourly_gross", "2023-05-01")
    # the 2022 row (102%, the Covid rate kept to 30 September 2023) is in force until the October row (95%)
    cde_covid, cde_oct = c("cde_rate", "2022-01-01"), c("cde_rate", "2023-10-01")
    assert (cde_covid, cde_oct) == (1.02, 0.95)
    smic_2023 = (4 * smic_jan + 8 * smic_may) / 12
    wages = smic_2023 * hours * (1 + c("wage_premium_over_smic"))
    employer_rate = c("employer_contribution_rate_at_smic", "2023-01-01")
    ebe = wages * (1 + employer_rate + c("supervision_operating_ratio") - c("turnover_ratio"))
    # CDE month by month: 102% on the January SMIC for 4 months, on the May SMIC for 5, then 95% from October
    cde = hours * (4 * cde_covid * smic_jan + 5 * cde_covid * smic_may + 3 * cde_oct * smic_may) / 12
    department = c("department_share_of_state", "2023-01-01") * cde
    other = c("other_public_share_of_gap") * max(ebe - cde - department, 0)
    gross = cde + department + other  # the running cost: no start-up grant in it
    # 2 FTE-years, 2.5 employees on average (part-time work), 1 net additional FTE at 31 December
    fte, headcount, net_additional = 2.0, 2.5, 1.0
    people = headcount / fte
    rsa_2023 = (3 * c("rsa_base_monthly", "2022-07-01") + 9 * c("rsa_base_monthly", "2023-04-01")) / 12
    per_person = (
        12 * c("rsa_share_of_hires") * c("rsa_household_factor") * rsa_2023
        + 12 * c("ass_share_of_hires") * c("ass_daily", "2023-01-01") * 365 / 12
        + 12 * c("are_share_of_hires") * c("are_monthly")
        + 12 * c("housing_aid_decrease_monthly")
        - 12 * c("prime_activite_increase_monthly")
        + c("other_tax_revenue")
    )
    per_fte = (c("employee_contribution_rate") + employer_rate) * wages + c("returns_not_itemised")
    offsets_gross = per_fte + people * per_person
    share = (1 - c("deadweight_phase_2")) * (1 - c("displacement")) * (1 - c("drop_off")) ** 0  # tenure 0
    offsets = share * offsets_gross
    net = gross - offsets
    grant = c("startup_grant_share_of_annual_smic", "2023-01-01") * smic_2023 * hours * net_additional / fte

    result = simulate_costs(one_year(fte=fte, year_end=net_additional, ebe_headcount=headcount), n_draws=1000)
    case = result.central_case().iloc[0]
    assert case["state_cde"] == pytest.approx(cde, rel=1e-12)
    assert case["state_cde"] == pytest.approx(20864.116, abs=0.01)
    assert case["department"] == pytest.approx(department, rel=1e-12)
    assert case["other_public"] == pytest.approx(other, rel=1e-12)
    assert case["gross_public_cost"] == pytest.approx(gross, rel=1e-12)
    assert case["people_per_fte"] == pytest.approx(1.25)
    assert case["offsets_gross"] == pytest.approx(offsets_gross, rel=1e-12)
    assert case["additional_share"] == pytest.approx(share, rel=1e-12)
    assert case["offsets"] == pytest.approx(offsets, rel=1e-12)
    assert case["net_cost"] == pytest.approx(net, rel=1e-12)
    # start-up grant: 30% of the year's average gross SMIC x 1,820 hours per net additional FTE, over 2 FTE-years
    assert grant == pytest.approx(0.30 * smic_2023 * 1820 * 1.0 / 2.0)
    assert case["startup_grant"] == pytest.approx(grant, rel=1e-12)
    assert case["startup_grant"] == pytest.approx(3122.21, abs=0.01)
    assert case["net_cost_with_startup_grant"] == pytest.approx(net + grant, rel=1e-12)
    frame = result.to_frame().iloc[0]
    assert frame["net_additional_fte"] == 1.0
    assert frame["net_cost_central"] == pytest.approx(net, rel=1e-12)
    # the legal rates are known exactly, so the grant does not vary over the draws
    assert frame["startup_grant_per_fte"] == pytest.approx(grant, rel=1e-12)
    assert frame["gross_cost_per_fte"] == pytest.approx(frame[["state_cde", "department", "other_public"]].sum())


def test_partial_year_averages_rates_over_active_months(raw):
    c = lambda name, date=None: central(raw, name, date)  # noqa: E731
    # active only October-December 2023: CDE at 95% of the May SMIC
    case = simulate_costs(one_year(start_month=10, end_month=12), n_draws=1000).central_case().iloc[0]
    assert case["state_cde"] == pytest.approx(c("hours_per_fte") * 0.95 * 11.52)
    assert case["wages"] == pytest.approx(11.52 * c("hours_per_fte") * (1 + c("wage_premium_over_smic")))
    assert case["startup_grant"] == pytest.approx(0.30 * 11.52 * c("hours_per_fte"))
    # the RSA of the active months only: the April 2023 amount
    assert case["rsa"] == pytest.approx(case["people_per_fte"] * 12 * c("rsa_share_of_hires")
                                        * c("rsa_household_factor") * c("rsa_base_monthly", "2023-04-01"))


def test_drop_off_follows_the_tenure_of_each_cohort_of_hires(raw):
    d = central(raw, "drop_off")
    counterfactual = (1 - central(raw, "deadweight_phase_2")) * (1 - central(raw, "displacement"))
    # opened in 2022 with 2 FTE at year end; 1 more FTE in 2023: in 2023, 2 FTE have 1 year of tenure, 1 has 0
    result = simulate_costs(years({2022: 2.0, 2023: 3.0}), n_draws=1000)
    assert result.setup.inputs["net_additional_fte"].tolist() == [2.0, 1.0]
    case = result.central_case().set_index("year")["additional_share"]
    assert case[2022] == pytest.approx(counterfactual)
    assert case[2023] == pytest.approx(counterfactual * (2 * (1 - d) ** 1 + 1 * (1 - d) ** 0) / 3, rel=1e-12)

    # opened in 2017 with 4 FTE, one more hire in 2024: that hire has tenure 0 (factor 1), not the
    # territory's 7 years; only the 2017 cohort has 7 years of tenure
    opened_2017 = {year: 4.0 for year in range(2017, 2024)} | {2024: 5.0}
    result = simulate_costs(years(opened_2017, phase=1), n_draws=1000)
    inputs = result.setup.inputs
    last = int(np.flatnonzero(inputs["year"] == 2024)[0])
    weights = result.setup.context.tenure_weights[:, last]
    assert weights[0] == pytest.approx(1 / 5) and weights[7] == pytest.approx(4 / 5)
    assert weights[1:7] == pytest.approx(np.zeros(6))
    counterfactual_1 = (1 - central(raw, "deadweight_phase_1")) * (1 - central(raw, "displacement"))
    share_2024 = result.central_case()["additional_share"].iloc[last]
    assert share_2024 == pytest.approx(counterfactual_1 * (4 * (1 - d) ** 7 + 1 * (1 - d) ** 0) / 5, rel=1e-12)
    assert share_2024 > counterfactual_1 * (1 - d) ** 7
    # a territory whose only year in the table is 2024 is taken as opened in 2024: all its staff have tenure 0
    alone = simulate_costs(one_year(year=2024, phase=1, fte=5.0), n_draws=1000).central_case().iloc[0]
    assert alone["additional_share"] == pytest.approx(counterfactual_1)


def test_exits_shrink_every_earlier_cohort_in_proportion(raw):
    d = central(raw, "drop_off")
    counterfactual = (1 - central(raw, "deadweight_phase_2")) * (1 - central(raw, "displacement"))
    # year end: 2 (2022), 3 (2023), 2 (2024: a third of each cohort leaves), 4 (2025: 2 new hires)
    result = simulate_costs(years({2022: 2.0, 2023: 3.0, 2024: 2.0, 2025: 4.0}), n_draws=1000)
    assert result.setup.inputs["net_additional_fte"].tolist() == [2.0, 1.0, 0.0, 2.0]
    share = result.central_case().set_index("year")["additional_share"]
    assert share[2024] == pytest.approx(counterfactual * (4 / 3 * (1 - d) ** 2 + 2 / 3 * (1 - d)) / 2, rel=1e-12)
    assert share[2025] == pytest.approx(
        counterfactual * (4 / 3 * (1 - d) ** 3 + 2 / 3 * (1 - d) ** 2 + 2 * (1 - d) ** 0) / 4, rel=1e-12)
    # no net additional FTE in 2024, so no start-up grant that year
    assert result.central_case().set_index("year")["startup_grant"][2024] == 0.0


def test_contested_costs_only_count_when_asked(raw):
    off = simulate_costs(one_year(), n_draws=1000).central_case().iloc[0]
    on = simulate_costs(one_year(), n_draws=1000, include_contested=True).central_case().iloc[0]
    extra = central(raw, "health_costs_avoided") + central(raw, "social_support_costs_avoided")
    # without a headcount, the people per FTE come from the fte_per_employee parameter
    people = 1 / central(raw, "fte_per_employee")
    assert off["people_per_fte"] == pytest.approx(people)
    assert on["offsets_gross"] - off["offsets_gross"] == pytest.approx(extra * people)
    assert off["net_cost"] - on["net_cost"] == pytest.approx(extra * people * off["additional_share"])


# --- the published evidence on deadweight -------------------------------------------------------


def test_phase_one_deadweight_of_one_half_against_one_fifth_in_phase_two():
    one = simulate_costs(one_year(year=2019, phase=1), n_draws=1000).central_case().iloc[0]
    two = simulate_costs(one_year(year=2019, phase=2), n_draws=1000).central_case().iloc[0]
    assert one["additional_share"] / two["additional_share"] == pytest.approx(0.5 / 0.8)
    assert one["offsets_gross"] == pytest.approx(two["offsets_gross"])
    assert one["net_cost"] > two["net_cost"]


# --- Monte Carlo --------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "expected"), [("triangular", (1 + 2 + 6) / 3), ("pert", (1 + 4 * 2 + 6) / 6)])
def test_draws_have_the_closed_form_mean(shape, expected):
    u = np.random.default_rng(1).random(400_000)
    draws = costs.quantile(1.0, 2.0, 6.0, u, shape)
    assert draws.min() >= 1.0 and draws.max() <= 6.0
    assert draws.mean() == pytest.approx(expected, abs=0.01)
    assert costs.expected_value(1.0, 2.0, 6.0, shape) == pytest.approx(expected)
    # the mode is where the density peaks
    histogram, edges = np.histogram(draws, bins=50)
    assert edges[np.argmax(histogram)] == pytest.approx(2.0, abs=0.15)


@pytest.mark.parametrize("shape", ["triangular", "pert"])
def test_monte_carlo_mean_converges_to_the_closed_form_of_a_linear_function(table, shape):
    low, mode, high = 0.0, 1000.0, 5000.0
    fixed = fixed_table(table, other_tax_revenue=(low, mode, high))
    n = 40_000
    result = simulate_costs(one_year(), fixed, n_draws=n, seed=3, shape=shape)
    case = result.central_case().iloc[0]
    # other tax revenue is per person: it enters the offsets times the people per FTE
    slope = case["additional_share"] * case["people_per_fte"]
    # net cost is linear in the one drawn parameter, so its mean moves with the parameter's mean
    expected = case["net_cost"] - slope * (costs.expected_value(low, mode, high, shape) - mode)
    mean = result.to_frame()["net_cost_per_fte"].iloc[0]
    assert abs(mean - expected) < 4 * result.net_cost_draws.std() / np.sqrt(n)
    if shape == "triangular":
        spread = slope * np.sqrt((low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18)
        assert result.net_cost_draws.std() == pytest.approx(spread, rel=0.03)
    with pytest.raises(ValueError, match="unknown distribution shape"):
        simulate_costs(one_year(), fixed, n_draws=1000, shape="uniform")


def test_probability_offsets_cover_costs_matches_the_normal_closed_form(table):
    fixed = fixed_table(table, other_tax_revenue=(20_000, 20_000, 20_000), displacement=(0, 0, 0),
                        drop_off=(0, 0, 0))
    probe = simulate_costs(one_year(), fixed, n_draws=1000).central_case().iloc[0]
    threshold = 1 - probe["gross_public_cost"] / probe["offsets_gross"]
    mean, se = threshold - 0.01, 0.03
    n = 100_000
    result = simulate_costs(one_year(deadweight_estimate=mean, deadweight_se=se), fixed, n_draws=n, seed=11)
    expected = norm.cdf((threshold - mean) / se)
    observed = result.to_frame()["prob_offsets_cover_costs"].iloc[0]
    assert abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / n)
    # and the break-even deadweight is that threshold
    frame = result.to_frame()
    assert frame["breakeven_deadweight"].iloc[0] == pytest.approx(threshold, abs=1e-9)
    assert frame["deadweight_source"].iloc[0] == "territory estimate"
    assert frame["deadweight"].iloc[0] == pytest.approx(mean)


def test_intervals_ratios_and_cost_per_exit_are_consistent():
    # a headcount fixes the people per FTE (1.25), so additional people = additional share x 1.25 in every draw
    frame = simulate_costs(one_year(fte=2.0, ebe_headcount=2.5), n_draws=5000, seed=5).to_frame().iloc[0]
    assert frame["net_cost_per_fte_low"] < frame["net_cost_per_fte"] < frame["net_cost_per_fte_high"]
    assert frame["avoided_cost_per_fte_low"] < frame["avoided_cost_per_fte"] < frame["avoided_cost_per_fte_high"]
    assert frame["offset_ratio_low"] < frame["offset_ratio"] < frame["offset_ratio_high"]
    assert frame["offset_ratio"] == pytest.approx(frame["avoided_cost_per_fte"] / frame["gross_cost_per_fte"],
                                                  rel=0.02)
    assert frame["net_cost_per_fte"] == pytest.approx(frame["gross_cost_per_fte"] - frame["avoided_cost_per_fte"])
    assert frame["people_per_fte"] == 1.25
    assert frame["cost_per_additional_exit"] == pytest.approx(
        frame["net_cost_per_fte"] / (frame["additional_share"] * frame["people_per_fte"]))
    assert frame["cost_per_additional_exit_low"] < frame["cost_per_additional_exit"] < \
        frame["cost_per_additional_exit_high"]
    # the start-up grant is outside the gross public cost and the net cost, on its own line
    assert frame["gross_cost_per_fte"] == pytest.approx(frame[["state_cde", "department", "other_public"]].sum())
    assert frame["startup_grant_per_fte"] > 0
    assert frame["net_cost_with_startup_grant"] == pytest.approx(
        frame["net_cost_per_fte"] + frame["startup_grant_per_fte"])
    assert frame["net_cost_total"] == pytest.approx(frame["net_cost_per_fte"] * 2.0)
    assert frame["prob_offsets_cover_costs"] == 0.0


def test_same_seed_same_result_and_supplied_draws_are_resampled():
    first = simulate_costs(one_year(), n_draws=2000, seed=9).to_frame()
    again = simulate_costs(one_year(), n_draws=2000, seed=9).to_frame()
    pd.testing.assert_frame_equal(first, again)
    drawn = simulate_costs(one_year(), n_draws=2000, deadweight_draws={"t": np.array([0.9, 0.9])})
    # deadweight 0.9 and displacement 0.05 (central), tenure 0: no drop-off, no attribution
    assert drawn.central_case()["additional_share"].iloc[0] == pytest.approx(0.1 * 0.95)
    assert drawn.to_frame()["additional_share"].iloc[0] < 0.1
    assert drawn.to_frame()["deadweight_source"].iloc[0] == "territory draws"
    with pytest.raises(CostInputError, match="between 0 and 1"):
        simulate_costs(one_year(), n_draws=2000, deadweight_draws={"t": np.array([1.5])})
    with pytest.raises(CostInputError, match="not in the inputs"):
        simulate_costs(one_year(), n_draws=2000, deadweight_draws={"elsewhere": np.array([0.5])})


# --- rates and deflators the table must hold for the years asked ---------------------------------


def test_a_year_beyond_the_table_is_refused():
    with pytest.raises(MissingRateError, match=r"'smic_hourly_gross'.*2026"):
        simulate_costs(one_year(year=2026), n_draws=1000)


def test_a_year_without_a_deflator_is_an_error_naming_table_parameter_and_year(table):
    reduced = without_rows(table, "price_index", lambda date: date != "2023-01-01")
    with pytest.raises(UnitCostTableError) as error:
        simulate_costs(one_year(year=2023), reduced, n_draws=1000)
    [violation] = error.value.violations
    assert violation.file == "my_costs.csv"
    # the missing row has no row number: the violation names the parameter and year it lacks
    assert violation.row is None and violation.column == "valid_from"
    assert violation.value == "price_index 2023"
    assert "no deflator for 2023" in violation.rule and "'price_index' row dated 2023-01-01" in violation.rule
    message = str(error.value)
    assert "my_costs.csv" in message and "price_index" in message and "2023" in message
    # the other years still run: the deflator is never carried over from a neighbouring year
    assert simulate_costs(one_year(year=2024), reduced, n_draws=1000).to_frame()["euros_of"].iloc[0] == 2024
    with pytest.raises(UnitCostTableError, match="no deflator for 2023"):
        reduced.price_index([2022, 2023, 2024])


def test_a_year_without_a_start_up_grant_share_is_an_error_naming_parameter_and_year(table):
    # a dated rate is known to the end of the year of its last row: without the 2024 and 2025 rows, 2023 is the end
    reduced = without_rows(table, "startup_grant_share_of_annual_smic", lambda date: date < "2024-01-01")
    with pytest.raises(MissingRateError) as error:
        simulate_costs(one_year(year=2024), reduced, n_draws=1000)
    assert error.value.source == "my_costs.csv"
    assert (error.value.parameter, error.value.year, error.value.month) == (
        "startup_grant_share_of_annual_smic", 2024, 1)
    message = str(error.value)
    assert "my_costs.csv" in message and "'startup_grant_share_of_annual_smic'" in message
    assert "no rate in force in 2024" in message and "2017-01 to 2023-12" in message
    assert simulate_costs(one_year(year=2023), reduced, n_draws=1000).central_case()["startup_grant"].iloc[0] > 0


# --- constant euros and the results table ---------------------------------------------------------


def test_multi_year_figures_are_deflated_to_one_years_euros(table):
    inputs = pd.concat([one_year(year=2023, fte=2.0), one_year(year=2024, fte=3.0, year_end=3.0),
                        one_year(year=2024, fte=1.0, phase=1, territory="p")], ignore_index=True)
    result = simulate_costs(inputs, n_draws=2000, seed=4)
    frame = result.to_frame()
    index = table.price_index([2023, 2024])
    assert index == {2023: 117.5, 2024: 119.8}
    deflator = np.where(frame["year"] == 2023, index[2024] / index[2023], 1.0)
    pooled = result.aggregate().iloc[0]
    assert pooled["euros_of"] == 2024
    expected = (frame["net_cost_per_fte"] * deflator * frame["ebe_fte"]).sum() / frame["ebe_fte"].sum()
    assert pooled["net_cost_per_fte"] == pytest.approx(expected, rel=1e-10)
    assert pooled["net_cost_total"] == pytest.approx((frame["net_cost_per_fte"] * deflator * frame["ebe_fte"]).sum(),
                                                     rel=1e-10)
    in_2023 = result.aggregate(euros_of=2023).iloc[0]
    assert in_2023["net_cost_per_fte"] == pytest.approx(pooled["net_cost_per_fte"] * index[2023] / index[2024])
    # a single year stays in its own euros
    by_year = result.aggregate("year").set_index("year")
    assert by_year.loc[2023, "euros_of"] == 2023
    assert by_year.loc[2023, "net_cost_per_fte"] == pytest.approx(frame["net_cost_per_fte"].iloc[0])
    assert result.aggregate("phase", phase=2)["fte_years"].tolist() == [5.0]
    with pytest.raises(SelectionError, match="phase 3"):
        result.aggregate(phase=3)

    table_rows = result.results_table()
    assert list(table_rows.columns) == list(RESULTS_COLUMNS)
    territories = table_rows[table_rows["territory_id"] != "national"]
    national = table_rows[table_rows["territory_id"] == "national"].set_index(["year", "phase"])
    assert len(territories) == 3
    assert set(national.index) == {(2023, "all"), (2024, "all"), (2023, 2), (2024, 1), (2024, 2)}
    assert national.loc[(2024, "all"), "fte_years"] == 4.0
    assert national.loc[(2024, 2), "net_cost_per_fte"] == pytest.approx(frame["net_cost_per_fte"].iloc[1])
    assert national.loc[(2024, "all"), "deadweight_source"] == (
        "published evidence, phase 1; published evidence, phase 2")
    assert (table_rows["euros_of"] == table_rows["year"]).all()


# --- sensitivity, break-even, waterfall ---------------------------------------------------------


def test_tornado_moves_one_parameter_at_a_time():
    result = simulate_costs(one_year(), n_draws=1000)
    tornado = result.tornado()
    central_net = result.central_case()["net_cost"].iloc[0]
    assert np.allclose(tornado["net_cost_central"], central_net)
    assert "hours_per_fte" not in set(tornado["parameter"])  # known exactly: no bar
    assert "price_index" not in set(tornado["parameter"])  # a deflator, not a cost
    assert "health_costs_avoided" not in set(tornado["parameter"])  # contested, off
    assert "fte_per_employee" in set(tornado["parameter"])  # no headcount in the data: the parameter applies
    assert tornado["swing"].is_monotonic_decreasing
    row = tornado.set_index("parameter").loc["turnover_ratio"]
    wages = result.central_case()["wages"].iloc[0]
    share = result.setup.scalar_bounds["other_public_share_of_gap"][1]
    # more turnover lowers the uncovered cost, of which other public funders pay their share
    assert row["net_cost_at_low"] - row["net_cost_at_high"] == pytest.approx((0.25 - 0.08) * wages * share)
    deadweight = tornado.set_index("parameter").loc["deadweight"]
    assert deadweight["net_cost_at_low"] < central_net < deadweight["net_cost_at_high"]
    with_contested = simulate_costs(one_year(), n_draws=1000, include_contested=True).tornado()
    assert "health_costs_avoided" in set(with_contested["parameter"])
    with_headcount = simulate_costs(one_year(ebe_headcount=1.2), n_draws=1000).tornado()
    assert "fte_per_employee" not in set(with_headcount["parameter"])


def test_break_even_of_an_amount_zeroes_the_net_cost():
    result = simulate_costs(one_year(), n_draws=1000)
    frame = result.break_even("other_tax_revenue")
    value = frame["break_even"].iloc[0]
    assert frame["reachable"].iloc[0]
    case = result.central_case().iloc[0]
    people = case["people_per_fte"]
    assert value == pytest.approx(case["other_tax"] / people + case["net_cost"] / (case["additional_share"] * people),
                                  rel=1e-6)
    assert not result.break_even("deadweight")["reachable"].iloc[0]
    stacked = result.break_evens()
    assert set(stacked["parameter"]) == {"deadweight", "turnover_ratio", "supervision_operating_ratio",
                                         "rsa_share_of_hires", "other_tax_revenue"}
    assert stacked.loc[stacked["parameter"] == "other_tax_revenue", "break_even"].iloc[0] == pytest.approx(value)
    assert np.isnan(result.to_frame()["breakeven_deadweight"].iloc[0])
    with pytest.raises(ValueError, match="break-even"):
        result.break_even("smic_hourly_gross")


def test_break_even_drop_off_is_found_for_each_territory_year_by_its_tenure(table, raw):
    # offsets far above the cost at tenure 0; with constant staff from 2021, 2022 is tenure 1 and 2023 tenure 2
    rich = table.with_values("other_tax_revenue", 20_000, 20_000, 20_000)
    result = simulate_costs(years({2021: 5.0, 2022: 5.0, 2023: 5.0}), rich, n_draws=1000)
    case = result.central_case().set_index("year")
    counterfactual = (1 - central(raw, "deadweight_phase_2")) * (1 - central(raw, "displacement"))
    # net cost is zero when (1 - d) ** tenure = gross / (counterfactual x offsets_gross)
    needed = case["gross_public_cost"] / (counterfactual * case["offsets_gross"])
    frame = result.break_even("drop_off").set_index("year")
    assert not frame.loc[2021, "reachable"]  # tenure 0: drop-off does not move it
    assert frame.loc[2022, "break_even"] == pytest.approx(1 - needed[2022], rel=1e-9)
    assert frame.loc[2023, "break_even"] == pytest.approx(1 - np.sqrt(needed[2023]), rel=1e-9)


def test_waterfall_steps_add_up_to_the_net_cost_then_the_start_up_grant():
    result = simulate_costs(one_year(fte=10.0, year_end=12.0), n_draws=1000, include_contested=True)
    steps = result.waterfall()
    case = result.central_case().iloc[0]
    assert steps["step"].tolist()[-3:] == ["net_cost", "startup_grant", "net_cost_with_startup_grant"]
    relative = steps["measure"] == "relative"
    totals = steps[~relative].set_index("step")["amount"]
    upto_net = steps.iloc[: steps.index[steps["step"] == "net_cost"][0]]
    assert upto_net.loc[upto_net["measure"] == "relative", "amount"].sum() == pytest.approx(totals["net_cost"])
    assert totals["net_cost"] == pytest.approx(case["net_cost"])
    assert steps.loc[relative, "amount"].sum() == pytest.approx(totals["net_cost_with_startup_grant"])
    assert totals["net_cost_with_startup_grant"] == pytest.approx(case["net_cost_with_startup_grant"])
    grant = steps.set_index("step").loc["startup_grant", "amount"]
    assert grant == pytest.approx(case["startup_grant"]) and grant > 0
    upto_gross = steps.iloc[: steps.index[steps["step"] == "gross_public_cost"][0]]
    assert upto_gross.loc[upto_gross["measure"] == "relative", "amount"].sum() == pytest.approx(
        case["gross_public_cost"])
    assert {"health", "returns_not_itemised", "additionality_adjustment"} <= set(steps["step"])


def test_figures_are_plotly_figures_of_the_right_kind():
    result = simulate_costs(pd.concat([one_year(), one_year(year=2024)]), n_draws=1000)
    assert isinstance(result.plot(), go.Figure)
    assert result.plot_waterfall(year=2023).data[0].type == "waterfall"
    assert result.plot_distribution("t", 2024).data[0].type == "histogram"
    assert {trace.type for trace in result.plot_tornado().data} == {"bar"}
    with pytest.raises(SelectionError, match="elsewhere"):
        result.plot_waterfall("elsewhere")


def test_summary_and_tidy_frame_follow_the_conventions():
    result = simulate_costs(pd.concat([one_year(), one_year(year=2024, phase=2)]), n_draws=1000)
    text = result.summary()
    assert "1,000 draws" in text and "triangular" in text and "95%" in text and "excluded (contested)" in text
    assert "Start-up grant on top" in text and "calibrated" in text and "euros of 2024" in text
    tidy = result.to_tidy()
    assert list(tidy.columns) == ["territory_id", "year", "measure", *ESTIMATE_COLUMNS]
    assert set(tidy["measure"]) == {"net_cost_per_fte", "avoided_cost_per_fte", "offset_ratio",
                                    "cost_per_additional_exit"}
    net = tidy[tidy["measure"] == "net_cost_per_fte"]
    assert (net["conf_low"] < net["estimate"]).all() and (net["std_error"] > 0).all()
    by_year = result.aggregate("year")
    assert list(by_year["year"]) == [2023, 2024]


# --- inputs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "column", "rule"),
    [
        ({"ebe_fte": -1.0}, "ebe_fte", "must be > 0"),
        ({"ebe_fte": 0.0}, "ebe_fte", "must be > 0"),
        ({"year_end_fte": -1.0}, "year_end_fte", ">= 0"),
        ({"year_end_fte": ""}, "year_end_fte", "a value is required"),
        ({"phase": 3}, "phase", "expected 1"),
        ({"year": "soon"}, "year", "expected a number"),
        ({"start_month": 13}, "start_month", "1 to 12"),
        ({"start_month": 6, "end_month": 3}, "end_month", "end_month must be >= start_month"),
        ({"ebe_headcount": 0.5}, "ebe_headcount", "FTE per employee share (ebe_fte / ebe_headcount) cannot be above 1"),
        ({"ebe_headcount": 0.0}, "ebe_headcount", "> 0"),
        ({"deadweight_estimate": 1.2, "deadweight_se": 0.1}, "deadweight_estimate", "between 0 and 1"),
        ({"deadweight_estimate": 0.2}, "deadweight_estimate", "needs its standard error"),
        ({"deadweight_estimate": 0.2, "deadweight_se": -0.1}, "deadweight_se", "cannot be negative"),
    ],
)
def test_bad_inputs_name_row_column_and_rule(change, column, rule):
    inputs = pd.concat([one_year(), one_year(year=2024)], ignore_index=True).astype(object)
    for name, value in change.items():
        inputs.loc[1, name] = value
    with pytest.raises(CostInputError) as error:
        simulate_costs(inputs, n_draws=1000)
    assert isinstance(error.value, ValueError)
    [violation] = [v for v in error.value.violations if v.column == column]
    assert violation.file == "cost inputs"
    assert violation.row == 2 and rule in violation.rule
    assert f"cost inputs, row 2 (line 3), column '{column}'" in str(error.value)


def test_empty_optional_cells_take_their_defaults():
    inputs = pd.concat([one_year(year=2022, year_end=2.0, start_month=3, end_month=12, ebe_headcount=np.nan),
                        one_year(start_month=np.nan, end_month=np.nan, ebe_headcount=1.5)])
    checked = costs.check_cost_inputs(inputs)
    assert checked["start_month"].tolist() == [3, 1]
    assert checked["end_month"].tolist() == [12, 12]
    assert np.isnan(checked["ebe_headcount"].iloc[0]) and checked["ebe_headcount"].iloc[1] == 1.5
    assert checked["deadweight_estimate"].isna().all() and checked["deadweight_se"].isna().all()


def test_net_additional_fte_is_the_rise_of_the_year_end_fte_over_the_previous_year():
    rows = [("a", 2023, 5.0), ("a", 2021, 2.0), ("b", 2022, 4.0), ("a", 2022, 4.0), ("a", 2025, 3.0)]
    inputs = pd.concat([one_year(year=year, year_end=end, territory=territory) for territory, year, end in rows],
                       ignore_index=True)
    checked = costs.check_cost_inputs(inputs)
    # a: opening year 2021 (all 2 FTE), +2, +1, then a fall (0, not negative); 2024 is missing: no change counted
    # b: its first year in the table is its opening year
    assert checked["net_additional_fte"].tolist() == [1.0, 2.0, 4.0, 2.0, 0.0]
    assert checked["territory_id"].tolist() == ["a", "a", "b", "a", "a"]


def test_duplicate_and_missing_columns_in_inputs():
    with pytest.raises(CostInputError, match="duplicate"):
        simulate_costs(pd.concat([one_year(), one_year()]), n_draws=1000)
    with pytest.raises(CostInputError, match="'phase'.*required column is missing"):
        simulate_costs(one_year().drop(columns="phase"), n_draws=1000)
    with pytest.raises(CostInputError, match="'year_end_fte'.*required column is missing"):
        simulate_costs(one_year().drop(columns="year_end_fte"), n_draws=1000)
    with pytest.raises(ValueError, match="n_draws"):
        simulate_costs(one_year(), n_draws=10)


def test_inputs_from_a_monthly_programme_table():
    months = pd.date_range("2021-11-01", "2022-12-01", freq="MS")
    headcount = [0, 2] + [4] * 5 + [3] + [4] * 5 + [5]
    fte = [0.0, 1.5] + [3.0] * 5 + [2.0] + [3.0] * 5 + [4.0]
    programme = pd.DataFrame({"territory_id": "a", "period": months, "ebe_headcount": headcount, "ebe_fte": fte})
    pioneer = pd.DataFrame({"territory_id": "p", "period": ["2017-01", "2017-02"], "ebe_headcount": [1, 1],
                            "ebe_fte": [1.0, 1.0]})
    programme = pd.concat([programme, pioneer], ignore_index=True)
    territories = pd.DataFrame({"territory_id": ["a", "p"], "adoption_date": ["2021-11", "2017-01"]})
    impacts = pd.DataFrame({"territory_id": ["a"], "deadweight_estimate": [0.3], "deadweight_se": [0.1]})
    inputs = costs.cost_inputs_from_programme(programme, territories, impacts).set_index(["territory_id", "year"])
    first, second, pioneer_year = inputs.loc[("a", 2021)], inputs.loc[("a", 2022)], inputs.loc[("p", 2017)]
    assert first["ebe_fte"] == pytest.approx(1.5 / 12)
    assert first["ebe_headcount"] == pytest.approx(2 / 12)
    assert (first["start_month"], first["end_month"], first["year_end_fte"], first["net_additional_fte"]) == (
        12, 12, 1.5, 1.5)
    assert second["ebe_fte"] == pytest.approx(3.0)
    assert second["ebe_headcount"] == pytest.approx(4.0)  # 48 person-months: 4 people per FTE-year of 3
    # the refill after June's departure earns no second grant: year end 4.0 against 1.5 a year earlier
    assert (second["year_end_fte"], second["net_additional_fte"]) == (4.0, 2.5)
    assert second["phase"] == 2
    assert second["deadweight_estimate"] == 0.3
    assert (pioneer_year["phase"], pioneer_year["end_month"], pioneer_year["year_end_fte"]) == (1, 2, 1.0)
    assert np.isnan(pioneer_year["deadweight_estimate"])
    # a Dataset indexes its territories by id; the result is the same
    indexed = costs.cost_inputs_from_programme(programme, territories.set_index("territory_id"), impacts)
    pd.testing.assert_frame_equal(indexed.set_index(["territory_id", "year"]), inputs)
    with pytest.raises(CostInputError, match=r"row 2 \(line 3\), column 'period'"):
        costs.cost_inputs_from_programme(programme.assign(period=["2021-11", "soon"] + ["2022-01"] * 14),
                                         territories)
    # FTE recorded without a headcount leaves the people per FTE to the fte_per_employee parameter
    missing = programme.assign(ebe_headcount=np.where(programme["territory_id"] == "p", 0, programme["ebe_headcount"]))
    assert np.isnan(costs.cost_inputs_from_programme(missing, territories).set_index("territory_id").loc[
        "p", "ebe_headcount"])


def test_demo_programme_gives_every_staffed_territory_and_year():
    data = demo.generate()
    inputs = costs.cost_inputs_from_programme(data.programme, data.territories)
    staffed = data.programme[data.programme["ebe_fte"] > 0]
    assert set(inputs["territory_id"]) == set(staffed["territory_id"])
    assert inputs["ebe_fte"].sum() == pytest.approx(staffed["ebe_fte"].sum() / 12)
    assert set(inputs["phase"]) == {1, 2}
    assert (inputs.loc[inputs["phase"] == 1, "year"].min(), inputs["year"].max()) == (2017, 2024)
    assert (inputs["net_additional_fte"] >= 0).all()
    known = inputs["ebe_headcount"].notna()
    assert known.any() and (inputs.loc[known, "ebe_headcount"] >= inputs.loc[known, "ebe_fte"]).all()


def test_deadweight_from_a_jobseeker_effect():
    assert costs.deadweight_from_jobseeker_effect(-30.0, 6.0, 40.0) == pytest.approx((0.25, 0.15))
    assert costs.deadweight_from_jobseeker_effect(5.0, 1.0, 40.0)[0] == 1.0
    with pytest.raises(ValueError, match="ebe_headcount"):
        costs.deadweight_from_jobseeker_effect(-3.0, 1.0, 0.0)
