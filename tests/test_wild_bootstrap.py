"""Wild cluster bootstrap-t: exactness of the fast algorithm, size with few clusters, speed.

The fast version reduces each draw to per-cluster sums; it is checked against a naive
loop that rebuilds the bootstrap sample and re-runs OLS with explicit dummies per draw.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy import stats

from tzeval.fewclusters import (
    FewClustersWarning,
    RegressionInputError,
    bootstrap_t_statistics,
    event_study,
    twfe_did,
    wild_cluster_bootstrap,
)
from tzeval.fewclusters.bootstrap_weights import WEBB_POINTS
from tzeval.results import ESTIMATE_COLUMNS

DATA = Path(__file__).parent / "data"
MPDTA = dict(yname="lemp", tname="year", idname="countyreal", gname="first.treat")
SMALL = dict(yname="y", tname="t", idname="id", gname="g", cluster="cl")


def small_panel(seed: int = 3) -> pd.DataFrame:
    """6 clusters of 3 units over 6 periods: two early, two late, two never-treated clusters."""
    rng = np.random.default_rng(seed)
    cluster = np.repeat(np.arange(6), 3)
    cohort = np.array([3, 3, 5, 5, 0, 0])[cluster]
    n_units, n_periods = len(cluster), 6
    y = (rng.normal(size=(n_units, 1)) + rng.normal(size=(6, n_periods))[cluster]
         + rng.normal(size=(n_units, n_periods)) * (1 + cluster[:, None] / 3))
    return pd.DataFrame({
        "y": y.ravel(),
        "t": np.tile(np.arange(1, n_periods + 1), n_units),
        "id": np.repeat(np.arange(n_units), n_periods),
        "g": np.repeat(cohort, n_periods),
        "cl": np.repeat(cluster, n_periods),
    })


def naive_bootstrap_t(frame, result, term, sign_rows, null, impose_null):
    """Bootstrap t by brute force: explicit dummies, fresh OLS and CR1 for every draw."""
    index = result.terms.index(term)
    cohort = frame["g"].to_numpy()
    relative = np.where(cohort > 0, frame["t"] - cohort, np.nan)
    low, high = result.event_time.min(), result.event_time.max()
    binned = np.clip(relative, low, high)
    regressors = np.column_stack([(binned == e).astype(float) for e in result.event_time])
    dummies = np.column_stack([
        np.ones(len(frame)),
        pd.get_dummies(frame["id"], drop_first=True, dtype=float).to_numpy(),
        pd.get_dummies(frame["t"], drop_first=True, dtype=float).to_numpy(),
    ])
    design = np.column_stack([regressors, dummies])
    y = frame["y"].to_numpy()
    clusters = frame["cl"].to_numpy()
    n, k = design.shape
    n_clusters = len(np.unique(clusters))
    factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k)

    def ols(outcome):
        coef = np.linalg.lstsq(design, outcome, rcond=None)[0]
        residual = outcome - design @ coef
        bread = np.linalg.inv(design.T @ design)
        scores = np.array([design[clusters == c].T @ residual[clusters == c]
                           for c in range(n_clusters)])
        covariance = factor * bread @ scores.T @ scores @ bread
        return coef, residual, np.sqrt(covariance[index, index])

    coef, residual, _ = ols(y)
    if impose_null:
        others = np.delete(design, index, axis=1)
        shifted = y - null * design[:, index]
        other_coef = np.linalg.lstsq(others, shifted, rcond=None)[0]
        base_residual = shifted - others @ other_coef
        fitted, centre = y - base_residual, null
    else:
        base_residual, fitted, centre = residual, y - residual, coef[index]
    statistics = []
    for signs in sign_rows:
        draw_coef, _, draw_se = ols(fitted + base_residual * signs[clusters])
        statistics.append((draw_coef[index] - centre) / draw_se)
    return np.array(statistics)


@pytest.fixture(scope="module")
def small():
    frame = small_panel()
    return frame, event_study(frame, **SMALL, leads=2, lags=1)


@pytest.mark.parametrize("impose_null, null", [(True, 0.0), (True, 0.7), (False, 0.0)])
def test_full_enumeration_equals_naive_loop(small, impose_null, null):
    frame, result = small
    assert result.n_clusters == 6
    with pytest.warns(FewClustersWarning, match="Webb"):
        boot = result.wild_bootstrap(0, B=999, impose_null=impose_null, null=null)
    assert boot.enumerated and boot.n_draws == 64
    signs = 1 - 2 * ((np.arange(64)[:, None] >> np.arange(6)) & 1)
    naive = naive_bootstrap_t(frame, result, "event_time=0", signs, null, impose_null)
    np.testing.assert_allclose(np.sort(boot.t_star), np.sort(naive), rtol=1e-9, atol=1e-9)
    naive_t = (result.coefficients[1] - null) / result.std_errors[1]
    assert boot.t_stat == pytest.approx(naive_t, rel=1e-12)
    expected_p = np.mean(np.abs(naive) >= np.abs(naive_t) * (1 - 1e-9))
    assert boot.p_value == pytest.approx(expected_p, abs=1e-12)
    if impose_null:
        # the identity sign vector reproduces the observed statistic
        assert np.isclose(naive, naive_t).any()


def test_webb_weights_equal_naive_loop_draw_by_draw(small):
    frame, result = small
    rng = np.random.default_rng(11)
    weights = WEBB_POINTS[rng.integers(0, 6, size=(40, 6))]
    for term in ("event_time=-2", "event_time=1"):
        fast = bootstrap_t_statistics(result, term, weights, null=0.2)
        naive = naive_bootstrap_t(frame, result, term, weights, 0.2, True)
        np.testing.assert_allclose(fast, naive, rtol=1e-9, atol=1e-9)


def simulated_null_panel(rng, sizes=(2, 3, 3, 4, 5, 6, 8, 10, 14, 20), n_periods=8):
    """Ten clusters of unequal size and variance, AR(1) cluster shocks, no treatment effect."""
    sizes = np.asarray(sizes)
    n_clusters = len(sizes)
    cluster = np.repeat(np.arange(n_clusters), sizes)
    scale = rng.uniform(0.5, 2.0, n_clusters)
    shocks = np.zeros((n_clusters, n_periods))
    shocks[:, 0] = rng.normal(size=n_clusters)
    for t in range(1, n_periods):
        shocks[:, t] = 0.6 * shocks[:, t - 1] + rng.normal(size=n_clusters)
    y = (rng.normal(size=(len(cluster), 1)) + 0.1 * np.arange(n_periods)
         + (shocks * scale[:, None])[cluster]
         + 0.5 * scale[cluster][:, None] * rng.normal(size=(len(cluster), n_periods)))
    treated = np.isin(cluster, rng.permutation(n_clusters)[:4])
    return pd.DataFrame({
        "y": y.ravel(),
        "t": np.tile(np.arange(n_periods), len(cluster)),
        "id": np.repeat(np.arange(len(cluster)), n_periods),
        "g": np.repeat(np.where(treated, 5, 0), n_periods),
        "cl": np.repeat(cluster, n_periods),
    })


def test_restricted_bootstrap_has_correct_size_with_ten_clusters():
    rng = np.random.default_rng(2024)
    n_sims = 300
    bootstrap_rejects = normal_rejects = 0
    for sim in range(n_sims):
        result = twfe_did(simulated_null_panel(rng), **SMALL)
        boot = result.wild_bootstrap("post_treated", B=399, weights="webb", seed=sim)
        bootstrap_rejects += boot.p_value <= 0.05
        normal_rejects += abs(result.t_values[0]) > stats.norm.ppf(0.975)
    bootstrap_rate, normal_rate = bootstrap_rejects / n_sims, normal_rejects / n_sims
    assert 0.02 <= bootstrap_rate <= 0.09
    assert normal_rate > 0.09
    assert normal_rate > bootstrap_rate + 0.03


@pytest.fixture(scope="module")
def mpdta_did():
    return twfe_did(pd.read_csv(DATA / "mpdta.csv"), **MPDTA)


def test_bootstrap_agrees_with_asymptotics_with_500_clusters(mpdta_did):
    fit = mpdta_did.fit
    boot = mpdta_did.wild_bootstrap("post_treated", B=9999, impose_null=False, seed=5)
    # the bootstrap t is invariant to the CR1 factor, which counts the 500 absorbed unit
    # effects in K; with that factor undone the percentile-t quantile is close to normal
    half_width = (boot.conf_high - boot.conf_low) / 2
    quantile = half_width / boot.std_error
    assert quantile * np.sqrt(fit.small_sample_factor) == pytest.approx(1.96, rel=0.04)
    assert np.std(boot.t_star) * np.sqrt(fit.small_sample_factor) == pytest.approx(1, rel=0.03)


@pytest.mark.parametrize("weights", ["rademacher", "webb"])
@pytest.mark.parametrize("impose_null", [True, False])
def test_p_value_interval_and_inversion_are_coherent(mpdta_did, weights, impose_null):
    boot = wild_cluster_bootstrap(mpdta_did, "post_treated", B=1999, weights=weights,
                                  impose_null=impose_null, seed=9)
    assert 0 <= boot.p_value <= 1
    assert boot.conf_low < boot.estimate < boot.conf_high
    assert not boot.enumerated and boot.n_draws == 1999
    width = boot.conf_high - boot.conf_low
    for bound, side in ((boot.conf_low, -1), (boot.conf_high, 1)):
        inside = wild_cluster_bootstrap(mpdta_did, "post_treated", B=1999, weights=weights,
                                        impose_null=impose_null, seed=9,
                                        null=bound - side * 1e-6 * width)
        outside = wild_cluster_bootstrap(mpdta_did, "post_treated", B=1999, weights=weights,
                                         impose_null=impose_null, seed=9,
                                         null=bound + side * 1e-6 * width)
        assert inside.p_value > 0.05 >= outside.p_value
    frame = boot.to_frame()
    assert list(frame.columns) == ["term", *ESTIMATE_COLUMNS]
    assert "WCR" in boot.summary() if impose_null else "WCU" in boot.summary()
    assert "95% pointwise" in boot.summary()
    assert isinstance(boot.plot(), go.Figure)


def test_seed_reproducibility_and_null_effect(mpdta_did):
    first = mpdta_did.wild_bootstrap("post_treated", B=999, seed=42)
    again = mpdta_did.wild_bootstrap("post_treated", B=999, seed=42)
    np.testing.assert_array_equal(first.t_star, again.t_star)
    at_estimate = mpdta_did.wild_bootstrap("post_treated", B=999, seed=42,
                                           null=first.estimate)
    assert at_estimate.p_value == 1.0


def test_very_few_clusters_give_unbounded_interval_and_warnings():
    frame = small_panel()
    frame = frame[frame["cl"] < 4].assign(g=lambda f: np.where(f["cl"] < 2, 3, 0))
    result = twfe_did(frame, **SMALL)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        boot = result.wild_bootstrap("post_treated", B=999)
    messages = " ".join(str(w.message) for w in caught)
    assert "Webb" in messages and "unbounded" in messages
    # 2^4 sign vectors, mirrored in pairs: the smallest attainable p-value is 2/16
    assert boot.enumerated and boot.n_draws == 16
    assert boot.p_value >= 2 / 16
    assert np.isinf(boot.conf_low) and np.isinf(boot.conf_high)


def test_bad_arguments_raise(mpdta_did):
    with pytest.raises(RegressionInputError, match="weights"):
        mpdta_did.wild_bootstrap("post_treated", weights="mammen")
    with pytest.raises(RegressionInputError, match="no coefficient named"):
        mpdta_did.wild_bootstrap("event_time=0")
    with pytest.raises(RegressionInputError, match="B must be"):
        mpdta_did.wild_bootstrap("post_treated", B=0)
    with pytest.raises(RegressionInputError, match="one per cluster"):
        bootstrap_t_statistics(mpdta_did, "post_treated", np.ones((3, 4)))


def test_speed_of_99999_draws_with_500_clusters():
    result = event_study(pd.read_csv(DATA / "mpdta.csv"), **MPDTA)
    result.wild_bootstrap(0, B=99, seed=0)
    timings = []
    for seed in range(3):
        start = time.perf_counter()
        boot = result.wild_bootstrap(0, B=99_999, seed=seed)
        timings.append(time.perf_counter() - start)
    assert boot.n_draws == 99_999
    # about 0.5 s on a loaded 2-core machine; the bound only catches an O(B G^2) regression
    assert min(timings) < 3.0


def test_single_treated_cluster_is_flagged():
    frame = pd.read_csv(DATA / "mpdta.csv").assign(state=lambda f: f["countyreal"] // 1000)
    result = event_study(frame, **MPDTA, leads=3, lags=3, cluster="state")
    # the 2004 cohort, alone at event time 2, lies in a single state
    assert result.fit.identifying_clusters(4) == (1, result.n_clusters - 1)
    with pytest.warns(FewClustersWarning, match="non-zero in 1 cluster"):
        restricted = result.wild_bootstrap(2, B=999, weights="webb", seed=3)
    with pytest.warns(FewClustersWarning, match="non-zero in 1 cluster"):
        unrestricted = result.wild_bootstrap(2, B=999, weights="webb", seed=3,
                                             impose_null=False)
    # the textbook failure: WCR cannot reject, WCU rejects at any level, despite |t| = 5
    assert abs(restricted.t_stat) > 4
    assert restricted.p_value > 0.2 and unrestricted.p_value < 0.01
    assert "unreliable" in restricted.summary()
