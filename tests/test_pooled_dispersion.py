"""The adaptive sample-ATT imputation: treated noise widened by the pre-treatment dispersion bound."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tzeval import att_gt, open_dataset, pooled_effects, pooled_sensitivity
from tzeval.staggered.sample_inference import dispersion_bound

from test_sample_inference import simulate_panel

SPEC = dict(yname="y", tname="t", idname="id", gname="g", est_method="reg")


def fit(seed, treated_noise, cohorts=((5, 30), (7, 40)), n_boot=0):
    data, _ = simulate_panel(np.random.default_rng(seed), cohorts=cohorts, treated_noise=treated_noise,
                             effects=False)
    return data, att_gt(data, **SPEC, n_boot=n_boot, seed=seed)


def covariance(result):
    psi = result.influence
    return psi.T @ psi / psi.shape[0] ** 2


def control_covariance(population):
    never = population.influence[np.asarray(population.unit_cohorts) == 0]
    return never.T @ never / population.n_units**2


def test_scale_is_exactly_one_when_the_bound_is_below_one():
    _, population = fit(11, treated_noise=0.6)
    adaptive = population.with_sample_inference(dispersion="adaptive")
    equal = population.with_sample_inference(dispersion="assume_equal")
    assert adaptive.dispersion_bound < 1
    assert adaptive.dispersion_scale == 1.0 and equal.dispersion_scale == 1.0
    np.testing.assert_array_equal(adaptive.influence, equal.influence)
    np.testing.assert_array_equal(adaptive.inference.std_error, equal.inference.std_error)
    assert "not widened" in adaptive.summary()


def test_scale_is_the_bound_above_one_and_scales_the_treated_covariance_exactly():
    _, population = fit(12, treated_noise=2.0)
    adaptive = population.with_sample_inference(dispersion="adaptive")
    equal = population.with_sample_inference()  # the method's default is the published imputation
    assert equal.dispersion == "assume_equal" and adaptive.dispersion == "adaptive"
    assert adaptive.dispersion_scale == adaptive.dispersion_bound > 1
    # assume_equal still measures the ratio and its bound, identically.
    assert equal.dispersion_ratio == adaptive.dispersion_ratio
    assert equal.dispersion_bound == adaptive.dispersion_bound
    control = control_covariance(population)
    np.testing.assert_allclose(covariance(adaptive) - control,
                               adaptive.dispersion_scale * (covariance(equal) - control), rtol=1e-9, atol=1e-14)
    np.testing.assert_array_equal(adaptive.estimate, population.estimate)


def test_ratio_is_the_size_weighted_mean_of_unbiased_variance_ratios():
    """Computed here from the raw outcome changes, independently of the influence functions."""
    data, population = fit(13, treated_noise=1.5)
    ratio, bound = dispersion_bound(population)
    wide = data.pivot(index="id", columns="t", values="y")
    cohort = data.groupby("id")["g"].first()
    never = wide[cohort == 0]
    numerator = total = 0.0
    for g in (5, 7):
        members = wide[cohort == g]
        for t in range(2, g):  # pre-treatment cells, varying base period t - 1
            own = (members[t] - members[t - 1]).var(ddof=1)
            imputed = (never[t] - never[t - 1]).var(ddof=1)
            numerator += len(members) * own / imputed
            total += len(members)
    assert ratio == pytest.approx(numerator / total, rel=1e-10)
    assert bound > ratio
    # Deterministic: the same data give the same bound.
    assert dispersion_bound(population) == (ratio, bound)
    # A sample result measures on its population result.
    assert dispersion_bound(population.with_sample_inference(dispersion="adaptive")) == (ratio, bound)


def test_twice_noisier_treated_units_get_a_bound_well_above_one_and_wider_intervals():
    _, population = fit(14, treated_noise=2.0, n_boot=199)
    adaptive = population.with_sample_inference(dispersion="adaptive")
    equal = population.with_sample_inference(dispersion="assume_equal")
    assert 3.0 < adaptive.dispersion_ratio < 5.5  # variance four times the comparisons'
    assert adaptive.dispersion_bound > 3.0
    assert np.all(adaptive.inference.std_error_analytical > equal.inference.std_error_analytical)
    for kind in ("simple", "dynamic"):
        wide, narrow = adaptive.aggregate(kind).overall, equal.aggregate(kind).overall
        assert wide.estimate == narrow.estimate
        assert wide.conf_high - wide.conf_low > 1.4 * (narrow.conf_high - narrow.conf_low)
    band = adaptive.aggregate("dynamic").to_frame("simultaneous")
    band_equal = equal.aggregate("dynamic").to_frame("simultaneous")
    assert ((band["conf_high"] - band["conf_low"]) > (band_equal["conf_high"] - band_equal["conf_low"])).all()
    # Reported: summary lines and table attributes of the result and of its aggregations.
    frame = adaptive.aggregate("dynamic").to_frame()
    assert frame.attrs["dispersion"] == "adaptive"
    assert frame.attrs["dispersion_scale"] == adaptive.dispersion_scale
    assert frame.attrs["dispersion_bound"] == adaptive.dispersion_bound
    assert "widened" in adaptive.summary() and "widened" in adaptive.aggregate("simple").summary()
    assert f"{adaptive.dispersion_scale:.2f}" in adaptive.aggregate("dynamic").summary()
    assert equal.to_frame().attrs["dispersion"] == "assume_equal"
    assert "dispersion" not in population.to_frame().attrs


def test_bound_covers_the_true_ratio_about_95_percent_of_the_time():
    """60 panels with treated noise 1.5 times the comparisons' (true variance ratio 2.25).

    A point estimate would cover about half the time; the bound must reach 2.25 in at least
    85% of the draws (Monte Carlo s.e. of a 95% rate over 60 draws: 0.028), and not in all
    of them by a wide margin (its mean must stay below 1.5 times the truth).
    """
    rng = np.random.default_rng(99)
    covered, bounds = [], []
    for _ in range(60):
        data, _ = simulate_panel(rng, cohorts=((5, 30), (7, 40)), treated_noise=1.5, effects=False)
        _, bound = dispersion_bound(att_gt(data, **SPEC, n_boot=0))
        covered.append(bound >= 2.25)
        bounds.append(bound)
    assert np.mean(covered) >= 0.85
    assert np.mean(bounds) < 1.5 * 2.25


def test_bad_dispersion_values_are_refused():
    _, population = fit(15, treated_noise=1.0)
    for bad in ("equal", "Adaptive", None, 1.5):
        with pytest.raises(ValueError, match="dispersion must be one of"):
            population.with_sample_inference(dispersion=bad)
    data = open_dataset()
    with pytest.raises(ValueError, match="dispersion must be one of"):
        pooled_effects(data, dispersion="bootstrap")
    with pytest.raises(ValueError, match="dispersion must be one of"):
        pooled_sensitivity(data, dispersion="none")


def test_pooled_effects_defaults_to_adaptive():
    data = open_dataset()
    adaptive = pooled_effects(data, n_boot=0)
    equal = pooled_effects(data, n_boot=0, dispersion="assume_equal")
    assert adaptive.dispersion == "adaptive" and equal.dispersion == "assume_equal"
    assert adaptive.dispersion_scale == max(1.0, adaptive.dispersion_bound)
    np.testing.assert_array_equal(adaptive.estimate, equal.estimate)
    assert np.all(adaptive.inference.std_error >= equal.inference.std_error - 1e-15)
    pd.testing.assert_frame_equal(adaptive.noise_dispersion_check(), equal.noise_dispersion_check())


def test_pooled_overview_says_whether_the_interval_was_widened():
    import copy

    from tzeval.report.summary import pooled_overview

    data = open_dataset()
    adaptive = pooled_effects(data, n_boot=0)
    assert adaptive.dispersion_scale > 1  # the demo's bound is about 1.12
    factor = f"{adaptive.dispersion_scale:.2f}"
    for lang, word in (("fr", "élargi par précaution"), ("en", "widened as a precaution")):
        html = pooled_overview(data, adaptive, adaptive.aggregate("dynamic"), lang).data
        assert word in html and (factor.replace(".", ",") if lang == "fr" else factor) in html
    not_widened = copy.copy(adaptive)
    not_widened.dispersion_scale, not_widened.dispersion_bound = 1.0, 0.87
    html = pooled_overview(data, not_widened, adaptive.aggregate("dynamic"), "en").data
    assert "was not widened" in html and "0.87" in html and "as a precaution" not in html
    equal = pooled_effects(data, n_boot=0, dispersion="assume_equal")
    html = pooled_overview(data, equal, equal.aggregate("dynamic"), "en").data
    assert "not widened, by choice" in html
    population = pooled_effects(data, n_boot=0, estimand="population")
    assert "widened" not in pooled_overview(data, population, population.aggregate("dynamic"), "en").data
