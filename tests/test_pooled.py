"""The pooled Callaway & Sant'Anna analysis on the yearly demo panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tzeval import demo, load_dataset, open_dataset, pooled_effects, yearly_panel


@pytest.fixture(scope="module")
def data():
    return open_dataset()


def test_yearly_panel_averages_complete_years_and_codes_cohorts(data):
    panel = yearly_panel(data)
    assert panel["year"].min() == 2012 and panel["year"].max() == 2024
    assert len(panel) == 335 * 13
    one = data.treated_ids[0]
    months = data.outcomes[(data.outcomes["territory_id"] == one) & (data.outcomes["period"].dt.year == 2015)]
    row = panel[(panel["territory_id"] == one) & (panel["year"] == 2015)]
    assert row["long_term_rate"].item() == pytest.approx(months["long_term_rate"].mean())
    adoption = data.territories["adoption_date"]
    cohorts = panel.drop_duplicates("territory_id").set_index("territory_id")["cohort"]
    for territory_id in data.treated_ids:
        date = adoption[territory_id]
        assert cohorts[territory_id] == date.year + (1 if date.month > 6 else 0)
    assert (cohorts[data.comparison_ids] == 0).all()


def test_pooled_event_study_is_flat_before_and_negative_after(data):
    dynamic = pooled_effects(data, seed=1).aggregate("dynamic")
    pointwise = dynamic.to_frame()
    band = dynamic.to_frame("simultaneous")
    before = band["event_time"] < 0
    assert ((band.loc[before, "conf_low"] <= 0) & (0 <= band.loc[before, "conf_high"])).all()
    assert (pointwise.loc[pointwise["event_time"] >= 2, "conf_high"] < 0).all()
    assert (band["conf_high"] - band["conf_low"] >= pointwise["conf_high"] - pointwise["conf_low"] - 1e-12).all()


def test_pooled_effect_is_null_without_effects(tmp_path):
    folder = demo.write(demo.generate(seed=3, effect_scale=0.0), tmp_path / "null")
    overall = pooled_effects(load_dataset(folder), seed=1).aggregate("simple").overall
    assert overall.conf_low <= 0 <= overall.conf_high
    assert abs(overall.estimate) < 0.1


def test_pooled_group_effects_track_the_truth_by_cohort(data):
    group = pooled_effects(data, seed=1).aggregate("group").to_frame().set_index("group")
    pioneers = data.truth.set_index("territory_id").loc[data.treated_ids[:10], "true_effect"].mean()
    later = data.truth.set_index("territory_id").loc[data.treated_ids[10:], "true_effect"].mean()
    assert group.loc[2017, "estimate"] < group.loc[[2022, 2023, 2024], "estimate"].min()
    assert pioneers < later < 0
    assert np.isclose(group.loc[2017, "estimate"], pioneers, atol=0.2)


def test_pooled_sensitivity_breakdown_on_demo(data):
    from tzeval import pooled_sensitivity

    sensitivity = pooled_sensitivity(data)
    frame = sensitivity.to_frame()
    at_zero = frame[frame["Mbar"] == 0].iloc[0]
    assert at_zero["identified_low"] == pytest.approx(at_zero["estimate"])
    assert at_zero["conf_high"] < 0, "under exact parallel trends the demo effect is clearly negative"
    assert 0 < sensitivity.breakdown < 2
    assert (np.diff(frame["conf_high"] - frame["conf_low"]) > 0).all()


def test_pooled_intervals_are_for_the_sample_with_noise_scaled_by_population(data):
    from tzeval.pooled import rate_noise_variance

    sample = pooled_effects(data, n_boot=0)
    population = pooled_effects(data, n_boot=0, estimand="population")
    assert sample.estimand == "sample" and population.estimand == "population"
    np.testing.assert_array_equal(sample.estimate, population.estimate)
    variance = rate_noise_variance(data, yearly_panel(data))
    territory = data.treated_ids[0]
    unit = yearly_panel(data).drop_duplicates("unit").set_index("territory_id").loc[territory, "unit"]
    mean_population = data.outcomes.loc[data.outcomes["territory_id"] == territory, "population_15_64"].mean()
    assert variance[unit] == pytest.approx(1 / mean_population)
    pd.testing.assert_series_equal(sample.noise_variance, variance)
    check = sample.noise_dispersion_check()
    assert check["n_units"].sum() == len(data.treated_ids)
    assert check["dispersion_ratio"].between(0.4, 2.0).all()
    with pytest.raises(ValueError, match="estimand"):
        pooled_effects(data, estimand="superpopulation")
