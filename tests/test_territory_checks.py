"""Pre-period checks of one territory and its trend-robust estimate.

Peer checks against statsmodels regressions and brute-force loops; size under an
exchangeable null; power against a drift; the verdict's logic; the warning codes.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from tzeval import placebo_did
from tzeval.territory_checks import WARNING_CODES, territory_checks

OFFDEMO = Path(__file__).resolve().parents[1] / "benchmarks" / "offdemo_model.py"


def panel_with(n_units=80, n_periods=96, start=72, drift=0.0, effect=0.0, seed=0, persistence=0.5):
    """Units with AR(1) noise of different scales; unit u00 drifts by ``drift`` a period and gets ``effect``."""
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2014-01", periods=n_periods, freq="MS")
    scales = rng.uniform(0.5, 2.0, n_units)
    noise = np.zeros((n_periods, n_units))
    state = rng.normal(0, 1, n_units)
    for t in range(n_periods):
        state = persistence * state + rng.normal(0, 1, n_units)
        noise[t] = state
    common = np.cumsum(rng.normal(0, 0.3, n_periods))
    values = rng.normal(5, 1, n_units) + common[:, None] + noise * scales
    values[:, 0] += drift * np.arange(n_periods)
    values[start:, 0] += effect
    panel = pd.DataFrame(values, index=periods, columns=[f"u{i:02d}" for i in range(n_units)])
    return panel, periods[start]


def gap_of(panel: pd.DataFrame, unit: str) -> pd.Series:
    others = [c for c in panel.columns if c != unit]
    return panel[unit] - panel[others].mean(axis=1)


def detrended_did_by_regression(gap: pd.Series, start) -> tuple[float, float]:
    """Peer: OLS of the gap on a constant, a trend and one dummy per post period (statsmodels).

    The dummies free the post periods, so the trend is fitted on the pre-period alone;
    each dummy's coefficient is that period's departure from the extrapolated trend, and
    their mean is the detrended DiD. Returns (estimate, pre-period slope).
    """
    post = (gap.index >= start)
    time = np.arange(len(gap), dtype=float)
    dummies = np.eye(len(gap))[:, post]
    design = np.column_stack([np.ones(len(gap)), time, dummies])
    fit = sm.OLS(gap.to_numpy(), design).fit()
    return float(fit.params[2:].mean()), float(fit.params[1])


def test_trend_robust_estimate_and_pretrend_slope_match_statsmodels():
    panel, start = panel_with(drift=0.01, effect=-0.6, seed=1)
    checks = territory_checks(placebo_did(panel, "u00", start))
    estimate, slope = detrended_did_by_regression(gap_of(panel, "u00"), start)
    assert checks.robust_estimate == pytest.approx(estimate, abs=1e-10)
    pre = panel.index < start
    gap = gap_of(panel, "u00")[pre]
    residual_sd = math.sqrt(sm.OLS(gap.to_numpy(), sm.add_constant(np.arange(pre.sum()))).fit().mse_resid)
    assert checks.pretrend_statistic == pytest.approx(slope / residual_sd, rel=1e-9)


def test_a_linear_drift_is_removed_exactly_by_the_trend_robust_estimate():
    """Noise-free: a unit drifting linearly with an effect of -0.5 gets -0.5 back, the default does not."""
    periods = pd.date_range("2016-01", periods=60, freq="MS")
    rng = np.random.default_rng(2)
    panel = pd.DataFrame(rng.normal(0, 1, (60, 30)).cumsum(axis=0) * 0.01 + 3.0, index=periods,
                         columns=[f"u{i:02d}" for i in range(30)])
    panel["u00"] = panel.drop(columns="u00").mean(axis=1) + 0.02 * np.arange(60) + np.where(np.arange(60) >= 40,
                                                                                             -0.5, 0.0)
    result = placebo_did(panel, "u00", periods[40])
    checks = territory_checks(result)
    assert checks.robust_estimate == pytest.approx(-0.5, abs=1e-9)
    assert result.estimate > -0.5 + 0.3  # the drift leaks into the default estimate


def test_in_time_placebo_statistic_matches_a_brute_force_loop():
    panel, start = panel_with(seed=4)
    result = placebo_did(panel, "u00", start)
    checks = territory_checks(result)
    # as in the estimate, a placebo is compared with the other comparison units, never with u00
    controls = panel.drop(columns="u00")
    pre = panel.index < start
    pre_gaps = {"u00": gap_of(panel, "u00")[pre].to_numpy()}
    pre_gaps.update({unit: gap_of(controls, unit)[pre].to_numpy() for unit in controls.columns})

    def largest(gap):
        n = len(gap)
        values = []
        for cut in sorted({round(n / 3), round(n / 2), round(2 * n / 3)}):
            values.append(abs((gap[cut:].mean() - gap[:cut].mean()) / gap[:cut].std(ddof=1)))
        return max(values)

    observed = largest(pre_gaps["u00"])
    placebos = np.array([largest(pre_gaps[u]) for u in panel.columns if u != "u00"])
    assert checks.placebo_in_time_statistic == pytest.approx(observed, rel=1e-9)
    assert checks.placebo_in_time_p_value == pytest.approx((1 + (placebos >= observed).sum()) / (len(placebos) + 1))


def test_trend_robust_interval_agrees_with_its_p_value():
    panel, start = panel_with(effect=-1.5, seed=6)
    checks = territory_checks(placebo_did(panel, "u00", start))
    excludes_zero = not (checks.robust_conf_low <= 0 <= checks.robust_conf_high)
    assert excludes_zero == (checks.robust_p_value < checks.alpha)
    assert checks.robust_conf_low < checks.robust_estimate < checks.robust_conf_high


def test_checks_have_their_nominal_size_under_an_exchangeable_null():
    """Every unit's statistics share one law: each check rejects about alpha of the time."""
    rejections = {"pretrend": [], "placebo_in_time": [], "robust": []}
    for seed in range(120):
        panel, start = panel_with(n_units=40, seed=100 + seed)
        checks = territory_checks(placebo_did(panel, "u00", start))
        rejections["pretrend"].append(checks.pretrend_p_value < 0.05)
        rejections["placebo_in_time"].append(checks.placebo_in_time_p_value < 0.05)
        rejections["robust"].append(checks.robust_p_value < 0.05)
    for name, values in rejections.items():
        assert 0.0 <= np.mean(values) <= 0.12, name  # 5% +- 3.5 s.e. over 120 draws


def test_a_strong_drift_is_caught_and_the_gap_is_not_called_clear():
    caught, called_clear = [], []
    for seed in range(30):
        panel, start = panel_with(drift=0.06, seed=200 + seed, persistence=0.3)
        result = placebo_did(panel, "u00", start)
        checks = territory_checks(result)
        caught.append(checks.trends_rejected)
        called_clear.append(checks.verdict == "significant")
    assert np.mean(caught) > 0.8
    assert np.mean(called_clear) < 0.1


def test_verdict_and_warning_codes():
    panel, start = panel_with(effect=-3.0, seed=7)
    clear = territory_checks(placebo_did(panel, "u00", start))
    assert clear.verdict == "significant" and clear.warnings == []
    panel, start = panel_with(effect=0.0, seed=8)
    checks = territory_checks(placebo_did(panel, "u00", start))
    assert checks.verdict == "not_significant"
    small, start = panel_with(n_units=12, effect=-3.0, seed=9)
    few = territory_checks(placebo_did(small, "u00", start))
    assert {"few_controls", "unbounded_interval"} <= set(few.warnings)
    assert set(few.warnings) <= set(WARNING_CODES)
    drifting, start = panel_with(drift=0.08, seed=10, persistence=0.2)
    rejected = territory_checks(placebo_did(drifting, "u00", start))
    assert rejected.verdict == "significant_but_trends_rejected" and "pretrend" in rejected.warnings


def test_result_contract():
    panel, start = panel_with(seed=11)
    checks = territory_checks(placebo_did(panel, "u00", start))
    frame = checks.to_frame()
    assert list(frame.columns) == ["unit", "check", "estimate", "std_error", "conf_low", "conf_high", "p_value"]
    assert list(frame["check"]) == ["pretrend", "placebo_in_time", "trend_robust_effect"]
    assert "permutation" in checks.summary() and "verdict" in checks.summary()
    figure = checks.plot()
    assert len(figure.data) == 2 and figure.data[1].line.dash == "dash"
    with pytest.raises(ValueError, match="alpha"):
        territory_checks(placebo_did(panel, "u00", start), alpha=1.5)


def _offdemo():
    spec = importlib.util.spec_from_file_location("offdemo_model", OFFDEMO)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_off_demo_designs_fast_version():
    """A fast run of every off-demo design (benchmarks/CALIBRATION.md has the full one).

    Truth is zero everywhere. Bounds are the targets widened by about 3 Monte Carlo
    standard errors of 150 territories.
    """
    model = _offdemo()
    results = pd.concat([model.simulate(design, n_reps=15, seed=i) for i, design in enumerate(model.DESIGNS)])
    table = model.summarise(results).set_index("design")
    baseline = table.loc["off-demo baseline"]
    assert 0.89 <= baseline["coverage"] <= 0.995 and 0.89 <= baseline["trend-robust coverage"] <= 0.995
    for drift in ("drift 0.03 point a year", "drift 0.06 point a year"):
        assert table.loc[drift, "significant with no warning"] <= 0.06 + 0.06, drift
        assert table.loc[drift, "trend-robust coverage"] >= 0.88, drift
    for design in ("small territory (1,000 aged 15-64)", "counts rounded to 10 under 5,000",
                   "strong département shocks"):
        assert table.loc[design, "coverage"] >= 0.88, design
        assert table.loc[design, "any warning"] <= 0.25, design


def test_findings_give_the_trend_robust_estimate_when_trends_are_rejected():
    """On the committed demo data, the first pioneer's pre-period trend is rejected (p < 0.01)."""
    from tzeval import open_dataset, territory_effect
    from tzeval.report.blocks import checks_block, findings

    data = open_dataset()
    result = territory_effect(data, "brouillonne-en-plaine")
    checks = territory_checks(result)
    assert checks.trends_rejected and checks.verdict == "not_significant"
    text = findings(data, result, "en", checks).data
    assert "already drifting from the comparison territories" in text
    assert "p &lt; 0.01" in checks_block(checks, "en").data
