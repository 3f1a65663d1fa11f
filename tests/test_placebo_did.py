"""The per-territory DiD estimator and its permutation inference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from tzeval import EstimationError, placebo_did


def synthetic_panel(n_units=60, n_periods=48, start=30, effect=0.0, seed=0, heteroskedastic=True):
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2015-01", periods=n_periods, freq="MS")
    scales = rng.uniform(0.5, 2.0, n_units) if heteroskedastic else np.ones(n_units)
    common = np.cumsum(rng.normal(0, 0.3, n_periods))
    levels = rng.normal(5, 1, n_units)
    noise = rng.normal(0, 1, (n_periods, n_units)) * scales
    panel = pd.DataFrame(levels + common[:, None] + noise, index=periods,
                         columns=[f"u{i:02d}" for i in range(n_units)])
    panel.iloc[start:, 0] += effect
    return panel, periods[start]


def test_point_estimate_equals_two_way_fixed_effects_regression():
    """Peer check: with one treated unit, DiD of means is the TWFE coefficient (statsmodels)."""
    panel, start = synthetic_panel(n_units=25, n_periods=30, start=20, effect=0.7, seed=3)
    result = placebo_did(panel, "u00", start)
    long = panel.stack().rename("y").reset_index()
    long.columns = ["period", "unit", "y"]
    long["treated_post"] = ((long["unit"] == "u00") & (long["period"] >= start)).astype(float)
    fit = smf.ols("y ~ treated_post + C(unit) + C(period)", data=long).fit()
    assert result.estimate == pytest.approx(fit.params["treated_post"], abs=1e-10)


def brute_force_permutation(panel, treated, start):
    """Reference loop: studentised DiD of the treated unit and of each control in turn.

    Returns the equal-tailed permutation p-value, the placebo statistics and the observed
    statistic.
    """
    pre, post = panel.index < start, panel.index >= start

    def studentised(unit, others):
        gap = panel[unit] - panel[others].mean(axis=1)
        return (gap[post].mean() - gap[pre].mean()) / gap[pre].std(ddof=1)

    controls = [c for c in panel.columns if c != treated]
    observed = studentised(treated, controls)
    placebos = np.array([studentised(c, [o for o in controls if o != c]) for c in controls])
    upper = (1 + (placebos >= observed).sum()) / (len(placebos) + 1)
    lower = (1 + (placebos <= observed).sum()) / (len(placebos) + 1)
    return min(1, 2 * min(upper, lower)), placebos, observed


def test_p_value_matches_brute_force_permutation():
    panel, start = synthetic_panel(effect=0.8, seed=5)
    result = placebo_did(panel, "u00", start)
    p_value, placebos, observed = brute_force_permutation(panel, "u00", start)
    assert result.p_value == pytest.approx(p_value)
    np.testing.assert_allclose(np.sort(result.placebo_estimates.to_numpy()),
                               np.sort(placebos * (result.estimate / observed)), rtol=1e-10)


@pytest.mark.parametrize("seed", range(8))
def test_interval_and_p_value_agree(seed):
    """Zero lies outside the interval exactly when the test rejects at alpha."""
    panel, start = synthetic_panel(effect=[0.0, 0.4, 0.8, 1.5][seed % 4], seed=seed)
    result = placebo_did(panel, "u00", start, alpha=0.1)
    rejects = result.p_value <= result.alpha
    excludes_zero = not (result.conf_low <= 0 <= result.conf_high)
    assert rejects == excludes_zero
    assert result.conf_low <= result.estimate <= result.conf_high


def test_adding_an_effect_shifts_estimate_and_interval_exactly():
    panel, start = synthetic_panel(seed=11)
    base = placebo_did(panel, "u00", start)
    shifted_panel = panel.copy()
    shifted_panel.loc[shifted_panel.index >= start, "u00"] += 2.5
    shifted = placebo_did(shifted_panel, "u00", start)
    assert shifted.estimate == pytest.approx(base.estimate + 2.5)
    assert shifted.conf_low == pytest.approx(base.conf_low + 2.5)
    assert shifted.conf_high == pytest.approx(base.conf_high + 2.5)


def test_noise_free_panel_recovers_the_effect_exactly():
    periods = pd.date_range("2016-01", periods=24, freq="MS")
    trend = np.linspace(0, 3, 24)
    rng = np.random.default_rng(1)
    columns = {f"c{i}": 4 + i * 0.1 + trend + 0.01 * rng.normal(size=24) for i in range(60)}
    treated = 6 + trend + 0.01 * rng.normal(size=24)
    treated[12:] -= 0.9
    panel = pd.DataFrame({"t": treated, **columns}, index=periods)
    result = placebo_did(panel, "t", periods[12])
    assert result.estimate == pytest.approx(-0.9, abs=0.02)
    assert result.conf_high < 0
    assert result.interval_kind == "permutation"


def test_too_few_placebos_give_an_unbounded_interval():
    panel, start = synthetic_panel(n_units=12, seed=2)
    result = placebo_did(panel, "u00", start, alpha=0.05)
    assert math.isinf(result.conf_low) and math.isinf(result.conf_high)
    assert result.p_value >= 2 / 12


def test_to_frame_and_summary_follow_conventions():
    panel, start = synthetic_panel(seed=4, effect=1.0)
    result = placebo_did(panel, "u00", start)
    frame = result.to_frame()
    assert list(frame.columns[:7]) == ["unit", "method", "estimate", "std_error", "conf_low", "conf_high", "p_value"]
    assert "permutation interval" in result.summary()
    assert result.plot().data, "the plot has traces"


def test_subset_of_placebos_depends_on_seed_only():
    panel, start = synthetic_panel(seed=9)
    a = placebo_did(panel, "u00", start, max_placebos=30, seed=1)
    b = placebo_did(panel, "u00", start, max_placebos=30, seed=1)
    c = placebo_did(panel, "u00", start, max_placebos=30, seed=2)
    assert a.placebo_estimates.index.tolist() == b.placebo_estimates.index.tolist()
    assert a.placebo_estimates.index.tolist() != c.placebo_estimates.index.tolist()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p, s: (p, "nowhere", s), "not in the panel"),
        (lambda p, s: (p, "u00", p.index[1]), "pre-period month"),
        (lambda p, s: (p, "u00", p.index[-1] + pd.offsets.MonthBegin(1)), "no period on or after"),
        (lambda p, s: (p.assign(u05=p["u05"].where(p.index != p.index[3])), "u00", s), "missing outcome for u05"),
    ],
)
def test_bad_input_gets_a_clear_error(mutate, message):
    panel, start = synthetic_panel(seed=1)
    panel, unit, when = mutate(panel, start)
    with pytest.raises(EstimationError, match=message):
        placebo_did(panel, unit, when)
