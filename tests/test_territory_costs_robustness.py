"""The territory report's cost section and its second-method check."""

from __future__ import annotations

import numpy as np
import pytest

from tzeval import open_dataset, territory_effect
from tzeval.costs import load_unit_costs
from tzeval.robustness import methods_agree, sdid_check
from tzeval.territory_costs import national_costs, net_cost_draws, own_deadweight, territory_costs


@pytest.fixture(scope="module")
def pioneer():
    data = open_dataset()
    territory_id = data.treated_ids[3]
    return data, territory_effect(data, territory_id)


@pytest.fixture(scope="module")
def table():
    return load_unit_costs()


def published_deadweight(table, phase: int) -> float:
    return table.triple(f"deadweight_phase_{phase}")[1]


def test_own_deadweight_is_one_minus_the_share_of_jobs_that_reduced_the_count(pioneer):
    data, result = pioneer
    deadweight, se = own_deadweight(data, result)
    post = data.outcomes[(data.outcomes["territory_id"] == result.unit)
                         & (data.outcomes["period"] >= result.treatment_start)]
    people = result.estimate * post["population_15_64"].astype(float).mean() / 100
    programme = data.programme_for(result.unit).set_index("period")["ebe_headcount"].astype(float)
    headcount = programme.reindex(post["period"]).fillna(0).mean()
    assert deadweight == pytest.approx(min(max(1 + people / headcount, 0), 1))
    assert se == pytest.approx(result.std_error * post["population_15_64"].astype(float).mean() / 100 / headcount)
    assert 0 <= deadweight < 0.6, "this pioneer's effect is large, so most of its jobs are additional"


def test_territory_costs_use_the_published_deadweight_by_default(pioneer, table):
    data, result = pioneer
    costs = territory_costs(data, result, n_draws=2000)
    frame = costs.to_frame()
    assert set(frame["territory_id"]) == {result.unit}
    [phase] = frame["phase"].unique()
    assert (frame["deadweight_source"] == f"published evidence, phase {phase}").all()
    assert np.allclose(frame["deadweight"], published_deadweight(table, phase))
    assert costs.setup.inputs["deadweight_estimate"].isna().all()
    draws, (low, high) = net_cost_draws(costs, int(frame["year"].max()))
    assert draws.shape == (2000,)
    assert low < np.mean(draws) < high
    assert 5_000 < np.mean(draws) < 40_000, "net public cost per FTE-year of the order published (11-28 k EUR)"


def test_territory_costs_can_use_the_territorys_own_deadweight(pioneer, table):
    data, result = pioneer
    own, se = own_deadweight(data, result)
    costs = territory_costs(data, result, deadweight="territory", n_draws=2000)
    frame = costs.to_frame()
    assert (frame["deadweight_source"] == "territory estimate").all()
    assert np.allclose(frame["deadweight"], own)
    assert np.allclose(costs.setup.inputs["deadweight_se"], se)
    # only the deadweight differs from the default run: the gross offsets stay, the additional share scales
    default = territory_costs(data, result, n_draws=2000).central_case()
    central = costs.central_case()
    [phase] = central["phase"].unique()
    assert np.allclose(central["offsets_gross"], default["offsets_gross"])
    assert np.allclose(central["additional_share"] / default["additional_share"],
                       (1 - own) / (1 - published_deadweight(table, phase)))
    with pytest.raises(ValueError, match="deadweight must be one of 'published', 'territory'"):
        territory_costs(data, result, deadweight="own")


def test_sdid_second_opinion_and_agreement_rule(pioneer):
    data, result = pioneer
    check = sdid_check(data, result.unit, n_reps=30, seed=1)
    row = check.to_frame().iloc[0]
    truth = data.truth.set_index("territory_id").loc[result.unit, "true_effect"]
    assert abs(row["estimate"] - truth) < 0.3
    assert methods_agree(result.estimate, result.conf_low, result.conf_high, check) == bool(
        result.conf_low <= row["estimate"] <= result.conf_high and row["conf_low"] <= result.estimate <= row["conf_high"])
    assert not methods_agree(result.estimate + 10, result.conf_low + 10, result.conf_high + 10, check)


def test_no_sdid_interval_or_verdict_for_a_territory_noisier_than_every_donor(pioneer):
    """The SDID placebo s.e. assumes alike noise; outside the donors' range the report shows the estimate alone."""
    from dataclasses import replace

    from tzeval.report.blocks import robustness_line
    from tzeval.robustness import noise_within_donors

    data, result = pioneer
    check = sdid_check(data, result.unit, n_reps=30, seed=1)
    inside, noise, (low, high) = noise_within_donors(result)
    assert inside and low <= noise <= high
    shown = robustness_line(result, check, "en").data
    assert "interval" in shown and ("agree" in shown or "disagree" in shown)
    noisy_gaps = result.gaps.assign(effect=result.gaps["effect"] * 5 * high / noise)
    noisy = replace(result, gaps=noisy_gaps)
    assert not noise_within_donors(noisy)[0]
    hidden = robustness_line(noisy, check, "en").data
    assert "No interval or comparison here" in hidden and "agree" not in hidden


def test_national_costs_use_the_published_deadweight_by_default(table):
    data = open_dataset()
    national = national_costs(data, n_draws=1000)  # no territory effects needed
    frame = national.to_frame()
    assert frame["deadweight_source"].str.startswith("published evidence, phase ").all()
    for phase in (1, 2):
        rows = frame[frame["phase"] == phase]
        assert not rows.empty
        assert (rows["deadweight_source"] == f"published evidence, phase {phase}").all()
        assert np.allclose(rows["deadweight"], published_deadweight(table, phase))
    by_year = national.aggregate("year")
    assert by_year["fte_years"].sum() == pytest.approx(frame["ebe_fte"].sum())
    assert list(by_year["year"]) == sorted(frame["year"].unique())
    with pytest.raises(ValueError, match="needs the territory effects table"):
        national_costs(data, deadweight="territory")
    with pytest.raises(ValueError, match="deadweight must be one of 'published', 'territory'"):
        national_costs(data, deadweight="own")


def test_national_costs_can_use_each_territorys_deadweight():
    from tzeval import territory_effects
    from tzeval.territory_costs import deadweight_from_estimate

    data = open_dataset()
    effects = territory_effects(data)
    national = national_costs(data, effects, deadweight="territory", n_draws=2000)
    frame = national.to_frame()
    assert (frame["deadweight_source"] == "territory estimate").all()
    by_year = national.aggregate("year")
    assert by_year["fte_years"].sum() == pytest.approx(frame["ebe_fte"].sum())
    assert list(by_year["year"]) == sorted(frame["year"].unique())
    # effects given without asking for them change nothing: the published deadweight stays the default
    ignored = national_costs(data, effects, n_draws=1000).to_frame()
    assert ignored["deadweight_source"].str.startswith("published evidence").all()
    # A territory whose estimate fails falls back on the published deadweight.
    broken = effects.copy()
    broken.loc[0, ["estimate", "std_error"]] = np.nan
    assert deadweight_from_estimate(data, broken.loc[0, "territory_id"], np.nan, np.nan) is None
    fallback = national_costs(data, broken, deadweight="territory", n_draws=1000).to_frame()
    first = fallback[fallback["territory_id"] == broken.loc[0, "territory_id"]]
    assert first["deadweight_source"].str.startswith("published evidence").all()
    others = fallback[fallback["territory_id"] != broken.loc[0, "territory_id"]]
    assert (others["deadweight_source"] == "territory estimate").all()


def test_territory_whose_ebe_employs_no_one_yet_has_no_cost():
    """Demo territory habilitated in mid-2024 whose EBE has not hired by December."""
    from tzeval import cost_inputs_from_programme

    data = open_dataset()
    unstaffed = [t for t in data.treated_ids if not (data.programme_for(t)["ebe_fte"] > 0).any()]
    assert unstaffed, "the demo data keep one such territory as a test case"
    result = territory_effect(data, unstaffed[0])
    assert territory_costs(data, result) is None
    assert territory_costs(data, result, deadweight="territory") is None
    inputs = cost_inputs_from_programme(data.programme_for(unstaffed[0]), data.territories.reset_index())
    staffed = cost_inputs_from_programme(data.programme_for(data.treated_ids[3]), data.territories.reset_index())
    # the empty table has the columns of a filled one, derived net_additional_fte included
    assert inputs.empty and list(inputs.columns) == list(staffed.columns)
