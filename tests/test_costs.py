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
    load_unit_costs,
    simulate_costs,
    unit_costs_from_frame,
)
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


def one_year(year=2023, fte=1.0, jobs=0, phase=2, **extra) -> pd.DataFrame:
    return pd.DataFrame({"territory_id": ["t"], "year": [year], "ebe_fte": [fte], "new_jobs_created": [jobs],
                         "phase": [phase], **{k: [v] for k, v in extra.items()}})


def fixed_table(table, **ranges):
    """The shipped table with every range collapsed on its central value, except ``ranges``."""
    text = table.as_text()
    text["low"] = text["central"]
    text["high"] = text["central"]
    for name, (low, mid, high) in ranges.items():
        mask = text["parameter"] == name
        text.loc[mask, ["low", "central", "high"]] = [repr(float(low)), repr(float(mid)), repr(float(high))]
    return unit_costs_from_frame(text, source="fixed")


# --- arithmetic checked by hand ------------------------------------------------------------------


def test_one_fte_in_2023_at_central_values_matches_a_hand_calculation(raw):
    c = lambda name, date=None: central(raw, name, date)  # noqa: E731
    hours = c("hours_per_fte")
    smic_jan, smic_may = c("smic_hourly_gross", "2023-01-01"), c("smic_hourly_gross", "2023-05-01")
    cde_covid, cde_oct = c("cde_rate", "2020-04-01"), c("cde_rate", "2023-10-01")
    smic_2023 = (4 * smic_jan + 8 * smic_may) / 12
    wages = smic_2023 * hours * (1 + c("wage_premium_over_smic"))
    employer_rate = c("employer_contribution_rate_at_smic")
    ebe = wages * (1 + employer_rate + c("supervision_operating_ratio") - c("turnover_ratio"))
    # CDE: 102% on the January SMIC for 4 months, on the May SMIC for 5, then 95% from October
    cde = hours * (4 * cde_covid * smic_jan + 5 * cde_covid * smic_may + 3 * cde_oct * smic_may) / 12
    department = c("department_share_of_state") * cde
    other = c("other_public_share_of_gap") * max(ebe - cde - department, 0)
    grant = 1 * c("startup_grant_per_job", "2023-01-01") / 2.0  # one job, two FTE-years
    gross = cde + department + other + grant
    rsa_2023 = (3 * c("rsa_base_monthly", "2022-07-01") + 9 * c("rsa_base_monthly", "2023-04-01")) / 12
    offsets_per_person = (
        12 * c("rsa_share_of_hires") * c("rsa_household_factor") * rsa_2023
        + 12 * c("ass_share_of_hires") * c("ass_monthly")
        + 12 * c("are_share_of_hires") * c("are_monthly")
        + 12 * c("housing_aid_decrease_monthly")
        - 12 * c("prime_activite_increase_monthly")
        + (c("employee_contribution_rate") + employer_rate) * wages
        + c("other_tax_revenue")
    )
    share = (1 - c("deadweight_phase_2")) * (1 - c("displacement")) * c("attribution")
    net = gross - share * offsets_per_person

    result = simulate_costs(one_year(fte=2.0, jobs=1), n_draws=1000)
    case = result.central_case().iloc[0]
    assert case["state_cde"] == pytest.approx(cde, rel=1e-12)
    assert case["state_cde"] == pytest.approx(20864.116, abs=0.01)
    assert case["startup_grant"] == pytest.approx(3100.0)
    assert case["gross_public_cost"] == pytest.approx(gross, rel=1e-12)
    assert case["offsets_per_person"] == pytest.approx(offsets_per_person, rel=1e-12)
    assert case["additional_share"] == pytest.approx(share, rel=1e-12)
    assert case["net_cost"] == pytest.approx(net, rel=1e-12)
    assert result.to_frame()["net_cost_central"].iloc[0] == pytest.approx(net, rel=1e-12)


def test_partial_year_averages_rates_over_active_months_and_drop_off_compounds(raw):
    c = lambda name, date=None: central(raw, name, date)  # noqa: E731
    # active only October-December 2023: CDE at 95% of the May SMIC
    case = simulate_costs(one_year(start_month=10, end_month=12, years_since_start=3), n_draws=1000
                          ).central_case().iloc[0]
    assert case["state_cde"] == pytest.approx(c("hours_per_fte") * 0.95 * 11.52)
    assert case["wages"] == pytest.approx(11.52 * c("hours_per_fte") * (1 + c("wage_premium_over_smic")))
    expected_share = ((1 - c("deadweight_phase_2")) * (1 - c("displacement")) * c("attribution")
                      * (1 - c("drop_off")) ** 3)
    assert case["additional_share"] == pytest.approx(expected_share)


def test_contested_costs_only_count_when_asked(raw):
    off = simulate_costs(one_year(), n_draws=1000).central_case().iloc[0]
    on = simulate_costs(one_year(), n_draws=1000, include_contested=True).central_case().iloc[0]
    extra = central(raw, "health_costs_avoided") + central(raw, "social_support_costs_avoided")
    assert on["offsets_per_person"] - off["offsets_per_person"] == pytest.approx(extra)
    assert off["net_cost"] - on["net_cost"] == pytest.approx(extra * off["additional_share"])


# --- the published anchors --------------------------------------------------------------------


@pytest.mark.parametrize("year", [2023, 2024])
def test_phase_two_central_case_lands_near_the_published_figures(year):
    case = simulate_costs(one_year(year=year), n_draws=1000).central_case().iloc[0]
    gross = case["gross_public_cost"]
    # comité scientifique 2025 implies ~26,600; IGAS-IGF 2019 ~26,000; Cour des comptes ~28,000 (2023)
    assert 23_000 <= gross <= 30_000
    # comité: EUR 12,900-15,300 avoided costs and extra revenue per hire (before deadweight)
    assert 10_000 <= case["offsets_per_person"] <= 17_000
    # comité: net cost EUR 11,300-13,700, i.e. 40-50% of the gross cost
    comparable_net = gross - case["offsets_per_person"]
    assert 10_000 <= comparable_net <= 16_500
    assert 0.35 <= comparable_net / gross <= 0.65
    # netting out deadweight and the other SROI factors raises the net cost, but not to the gross
    assert comparable_net < case["net_cost"] < gross
    assert 12_000 <= case["net_cost"] <= 21_000


def test_phase_one_deadweight_of_one_half_roughly_halves_the_offsets():
    one = simulate_costs(one_year(year=2019, phase=1), n_draws=1000).central_case().iloc[0]
    two = simulate_costs(one_year(year=2019, phase=2), n_draws=1000).central_case().iloc[0]
    assert one["additional_share"] / two["additional_share"] == pytest.approx(0.5 / 0.8)
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
    share = case["additional_share"]
    # net cost is linear in the one drawn parameter, so its mean moves with the parameter's mean
    expected = case["net_cost"] - share * (costs.expected_value(low, mode, high, shape) - mode)
    mean = result.to_frame()["net_cost_per_fte"].iloc[0]
    assert abs(mean - expected) < 4 * result.net_cost_draws.std() / np.sqrt(n)
    if shape == "triangular":
        spread = share * np.sqrt((low**2 + mode**2 + high**2 - low * mode - low * high - mode * high) / 18)
        assert result.net_cost_draws.std() == pytest.approx(spread, rel=0.03)
    with pytest.raises(ValueError, match="unknown distribution shape"):
        simulate_costs(one_year(), fixed, n_draws=1000, shape="uniform")


def test_probability_offsets_cover_costs_matches_the_normal_closed_form(table):
    fixed = fixed_table(table, other_tax_revenue=(20_000, 20_000, 20_000), displacement=(0, 0, 0),
                        attribution=(1, 1, 1), drop_off=(0, 0, 0))
    probe = simulate_costs(one_year(), fixed, n_draws=1000).central_case().iloc[0]
    threshold = 1 - probe["gross_public_cost"] / probe["offsets_per_person"]
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


def test_intervals_ratios_and_cost_per_exit_are_consistent():
    frame = simulate_costs(one_year(), n_draws=5000, seed=5).to_frame().iloc[0]
    assert frame["net_cost_per_fte_low"] < frame["net_cost_per_fte"] < frame["net_cost_per_fte_high"]
    assert frame["offset_ratio_low"] < frame["offset_ratio"] < frame["offset_ratio_high"]
    assert frame["offset_ratio"] == pytest.approx(frame["offsets"] / frame["gross_public_cost"], rel=0.02)
    assert frame["cost_per_additional_exit"] == pytest.approx(
        frame["net_cost_per_fte"] / frame["additional_share"])
    assert frame["cost_per_additional_exit_low"] < frame["cost_per_additional_exit"] < \
        frame["cost_per_additional_exit_high"]
    assert frame["gross_public_cost"] == pytest.approx(
        frame[["state_cde", "department", "other_public", "startup_grant"]].sum())
    assert frame["prob_offsets_cover_costs"] == 0.0


def test_same_seed_same_result_and_supplied_draws_are_resampled():
    first = simulate_costs(one_year(), n_draws=2000, seed=9).to_frame()
    again = simulate_costs(one_year(), n_draws=2000, seed=9).to_frame()
    pd.testing.assert_frame_equal(first, again)
    drawn = simulate_costs(one_year(), n_draws=2000, deadweight_draws={"t": np.array([0.9, 0.9])})
    assert drawn.central_case()["additional_share"].iloc[0] == pytest.approx(0.1 * 0.95 * 0.95)
    assert drawn.to_frame()["additional_share"].iloc[0] < 0.1
    assert drawn.to_frame()["deadweight_source"].iloc[0] == "territory draws"
    with pytest.raises(CostInputError, match="between 0 and 1"):
        simulate_costs(one_year(), n_draws=2000, deadweight_draws={"t": np.array([1.5])})
    with pytest.raises(CostInputError, match="not in the inputs"):
        simulate_costs(one_year(), n_draws=2000, deadweight_draws={"elsewhere": np.array([0.5])})


def test_a_year_beyond_the_table_is_refused():
    with pytest.raises(MissingRateError, match=r"'smic_hourly_gross'.*2026"):
        simulate_costs(one_year(year=2026), n_draws=1000)


# --- sensitivity, break-even, waterfall ---------------------------------------------------------


def test_tornado_moves_one_parameter_at_a_time():
    result = simulate_costs(one_year(), n_draws=1000)
    tornado = result.tornado()
    central_net = result.central_case()["net_cost"].iloc[0]
    assert np.allclose(tornado["net_cost_central"], central_net)
    assert "hours_per_fte" not in set(tornado["parameter"])  # known exactly: no bar
    assert "health_costs_avoided" not in set(tornado["parameter"])  # contested, off
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


def test_break_even_of_an_amount_zeroes_the_net_cost():
    result = simulate_costs(one_year(), n_draws=1000)
    frame = result.break_even("other_tax_revenue")
    value = frame["break_even"].iloc[0]
    assert frame["reachable"].iloc[0]
    case = result.central_case().iloc[0]
    assert value == pytest.approx(case["other_tax"] + case["net_cost"] / case["additional_share"], rel=1e-6)
    assert not result.break_even("deadweight")["reachable"].iloc[0]
    stacked = result.break_evens()
    assert set(stacked["parameter"]) == {"deadweight", "turnover_ratio", "supervision_operating_ratio",
                                         "rsa_share_of_hires", "other_tax_revenue"}
    assert stacked.loc[stacked["parameter"] == "other_tax_revenue", "break_even"].iloc[0] == pytest.approx(value)
    assert np.isnan(result.to_frame()["breakeven_deadweight"].iloc[0])
    with pytest.raises(ValueError, match="break-even"):
        result.break_even("smic_hourly_gross")


def test_waterfall_steps_add_up_to_the_net_cost():
    result = simulate_costs(one_year(jobs=3, fte=10.0), n_draws=1000, include_contested=True)
    steps = result.waterfall()
    case = result.central_case().iloc[0]
    relative = steps["measure"] == "relative"
    totals = steps[~relative].set_index("step")["amount"]
    assert steps.loc[relative, "amount"].sum() == pytest.approx(totals["net_cost"])
    assert totals["net_cost"] == pytest.approx(case["net_cost"])
    upto_gross = steps.iloc[: steps.index[steps["step"] == "gross_public_cost"][0]]
    assert upto_gross.loc[upto_gross["measure"] == "relative", "amount"].sum() == pytest.approx(
        case["gross_public_cost"])
    assert "health" in set(steps["step"])


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
    tidy = result.to_tidy()
    assert list(tidy.columns) == ["territory_id", "year", "measure", *ESTIMATE_COLUMNS]
    assert set(tidy["measure"]) == {"net_cost_per_fte", "offset_ratio", "cost_per_additional_exit"}
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
        ({"phase": 3}, "phase", "expected 1"),
        ({"new_jobs_created": 1.5}, "new_jobs_created", "whole number"),
        ({"year": "soon"}, "year", "expected a number"),
        ({"start_month": 13}, "start_month", "1 to 12"),
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
    assert violation.row == 2 and rule in violation.rule
    assert f"row 2 (line 3), column '{column}'" in str(error.value)


def test_empty_optional_cells_take_their_defaults():
    inputs = pd.concat([one_year(year=2022, start_month=3, end_month=12, years_since_start=np.nan),
                        one_year(start_month=np.nan, end_month=np.nan, years_since_start=np.nan)])
    checked = costs.check_cost_inputs(inputs)
    assert checked["start_month"].tolist() == [3, 1]
    assert checked["end_month"].tolist() == [12, 12]
    assert checked["years_since_start"].tolist() == [0, 1]


def test_duplicate_and_missing_columns_in_inputs():
    with pytest.raises(CostInputError, match="duplicate"):
        simulate_costs(pd.concat([one_year(), one_year()]), n_draws=1000)
    with pytest.raises(CostInputError, match="'phase'.*required column is missing"):
        simulate_costs(one_year().drop(columns="phase"), n_draws=1000)
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
    assert (first["start_month"], first["end_month"], first["new_jobs_created"]) == (12, 12, 2)
    assert second["ebe_fte"] == pytest.approx(3.0)
    # the refill after June's departure earns no second grant: 5 jobs at most, 2 already counted
    assert second["new_jobs_created"] == 3
    assert (second["phase"], second["years_since_start"]) == (2, 1)
    assert second["deadweight_estimate"] == 0.3
    assert (pioneer_year["phase"], pioneer_year["end_month"]) == (1, 2)
    assert np.isnan(pioneer_year["deadweight_estimate"])
    # a Dataset indexes its territories by id; the result is the same
    indexed = costs.cost_inputs_from_programme(programme, territories.set_index("territory_id"), impacts)
    pd.testing.assert_frame_equal(indexed.set_index(["territory_id", "year"]), inputs)
    with pytest.raises(CostInputError, match=r"row 2 \(line 3\), column 'period'"):
        costs.cost_inputs_from_programme(programme.assign(period=["2021-11", "soon"] + ["2022-01"] * 14),
                                         territories)


def test_demo_programme_gives_every_staffed_territory_and_year():
    data = demo.generate()
    inputs = costs.cost_inputs_from_programme(data.programme, data.territories)
    staffed = data.programme[data.programme["ebe_fte"] > 0]
    assert set(inputs["territory_id"]) == set(staffed["territory_id"])
    assert inputs["ebe_fte"].sum() == pytest.approx(staffed["ebe_fte"].sum() / 12)
    assert set(inputs["phase"]) == {1, 2}
    assert (inputs.loc[inputs["phase"] == 1, "year"].min(), inputs["year"].max()) == (2017, 2024)


def test_deadweight_from_a_jobseeker_effect():
    assert costs.deadweight_from_jobseeker_effect(-30.0, 6.0, 40.0) == pytest.approx((0.25, 0.15))
    assert costs.deadweight_from_jobseeker_effect(5.0, 1.0, 40.0)[0] == 1.0
    with pytest.raises(ValueError, match="ebe_headcount"):
        costs.deadweight_from_jobseeker_effect(-3.0, 1.0, 0.0)
