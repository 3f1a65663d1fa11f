"""Rambachan-Roth relative-magnitudes sensitivity analysis (Delta^RM).

Checked against closed forms: with the pre-period biases known, each post-period change of
the bias is bounded by Mbar * m, so ``l'delta_post`` ranges over
``+/- Mbar * m * sum_s |sum_{t>=s} l_t|``; with one pre- and one post-period the set is
``beta_post +/- Mbar |beta_pre|``.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from scipy import stats

from tzeval.fewclusters import event_study
from tzeval.results import ESTIMATE_COLUMNS
from tzeval.sensitivity import (
    HonestDidResult,
    SensitivityInputError,
    honest_did,
    honest_did_from,
)
from tzeval.sensitivity.relative_magnitudes import (
    largest_pre_change,
    post_bias_range,
    pre_difference_matrix,
)
from tzeval.sensitivity.robust_interval import union_test

DATA = Path(__file__).parent / "data"
Z = stats.norm.ppf(0.975)


def test_mbar_zero_gives_the_point_estimate_and_the_usual_interval():
    betahat = np.array([0.0, 0.0, 0.3, 0.5])
    sigma = np.diag([0.01, 0.02, 0.03, 0.04])
    result = honest_did(betahat, sigma, 2, 2, Mbar=[0.0, 1.0])
    assert result.identified_low[0] == pytest.approx(0.4, abs=1e-12)
    assert result.identified_high[0] == pytest.approx(0.4, abs=1e-12)
    se = np.sqrt((0.03 + 0.04) / 4)
    assert result.std_error == pytest.approx(se)
    assert result.conf_low[0] == pytest.approx(0.4 - Z * se)
    assert result.conf_high[0] == pytest.approx(0.4 + Z * se)
    # no pre-trend at all: the identified set stays a point for any Mbar
    assert result.identified_high[1] - result.identified_low[1] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("beta_pre, beta_post", [(0.2, 1.0), (-0.35, -0.4), (0.0, 0.7)])
def test_one_pre_one_post_matches_closed_form(beta_pre, beta_post):
    mbar = np.array([0.0, 0.5, 1.0, 2.5])
    result = honest_did([beta_pre, beta_post], np.diag([0.01, 0.02]), 1, 1, Mbar=mbar)
    np.testing.assert_allclose(result.identified_low, beta_post - mbar * abs(beta_pre), atol=1e-9)
    np.testing.assert_allclose(result.identified_high, beta_post + mbar * abs(beta_pre), atol=1e-9)


def test_linear_program_matches_closed_form_for_any_weights():
    rng = np.random.default_rng(4)
    for n_post in (1, 2, 4, 6):
        l_vec = rng.normal(size=n_post)
        kappa = np.abs(np.cumsum(l_vec[::-1])[::-1]).sum()
        low, high = post_bias_range(l_vec, 0.3)
        assert high == pytest.approx(0.3 * kappa, rel=1e-9)
        assert low == pytest.approx(-0.3 * kappa, rel=1e-9)


def test_identified_set_with_several_pre_periods():
    beta_pre = np.array([0.1, -0.05, 0.02])  # changes 0.15 (largest), -0.07, 0 - 0.02
    assert largest_pre_change(beta_pre) == pytest.approx(0.15)
    np.testing.assert_allclose(pre_difference_matrix(3) @ beta_pre, [-0.15, 0.07, -0.02])
    beta_post = np.array([0.5, 0.6, 0.7])
    result = honest_did(np.r_[beta_pre, beta_post], np.eye(6) * 1e-3, 3, 3, Mbar=[0.5, 2.0])
    kappa = 1 + 2 / 3 + 1 / 3  # average over three post-periods
    for index, mbar in enumerate((0.5, 2.0)):
        half = mbar * 0.15 * kappa
        assert result.identified_low[index] == pytest.approx(0.6 - half, abs=1e-9)
        assert result.identified_high[index] == pytest.approx(0.6 + half, abs=1e-9)


@pytest.fixture(scope="module")
def mpdta_event_study():
    frame = pd.read_csv(DATA / "mpdta.csv")
    return event_study(frame, yname="lemp", tname="year", idname="countyreal",
                       gname="first.treat")


def test_bounds_widen_monotonically(mpdta_event_study):
    mbar = np.linspace(0, 3, 31)
    result = honest_did_from(mpdta_event_study, Mbar=mbar)
    for lower in (result.identified_low, result.conf_low):
        assert np.all(np.diff(lower) < 0)
    for upper in (result.identified_high, result.conf_high):
        assert np.all(np.diff(upper) > 0)
    assert np.all(result.conf_low <= result.identified_low)
    assert np.all(result.conf_high >= result.identified_high)


def test_breakdown_value_matches_closed_form():
    # one pre, one post, independent: the interval reaches 0 where
    # theta - M d = z sqrt(v_post + M^2 v_pre)
    theta, d, v_post, v_pre = 0.5, 0.1, 0.01, 0.0025
    a, b, c = d**2 - Z**2 * v_pre, -2 * theta * d, theta**2 - Z**2 * v_post
    roots = np.roots([a, b, c])
    expected = min(r.real for r in roots if r.real > 0 and theta - r.real * d > 0)
    result = honest_did([-d, theta], np.diag([v_pre, v_post]), 1, 1, Mbar=[0, 1])
    assert result.breakdown == pytest.approx(expected, rel=1e-8)
    below = honest_did([-d, theta], np.diag([v_pre, v_post]), 1, 1,
                       Mbar=[expected * (1 - 1e-6)])
    above = honest_did([-d, theta], np.diag([v_pre, v_post]), 1, 1,
                       Mbar=[expected * (1 + 1e-6)])
    assert below.conf_low[0] > 0 > above.conf_low[0]


def test_breakdown_edge_cases():
    not_significant = honest_did([0.1, 0.1], np.diag([0.01, 0.04]), 1, 1)
    assert np.isnan(not_significant.breakdown)
    assert "none" in not_significant.summary()
    certain_pre_period = honest_did([0.0, 1.0], np.diag([0.0, 0.01]), 1, 1)
    assert certain_pre_period.breakdown == np.inf


def test_intervals_cover_the_true_effect_at_the_edge_of_delta_rm():
    rng = np.random.default_rng(8)
    sigma = np.array([[0.010, 0.004, 0.002], [0.004, 0.012, 0.005], [0.002, 0.005, 0.015]])
    mbar, true_pre_change = 1.0, 0.2
    # a pre-trend of slope 0.2 continued after treatment at the largest allowed slope
    true_beta = np.array([-0.2, 0.2, 0.4])
    true_effect = 0.0
    l_vec = np.array([0.5, 0.5])
    kappa = post_bias_range(l_vec, 1.0)[1]
    assert true_beta[1:].mean() - true_effect == pytest.approx(mbar * kappa * true_pre_change)
    draws = rng.multivariate_normal(true_beta, sigma, size=4000)
    covered = 0
    for beta in draws:
        test = union_test(beta[:1], beta[1:], sigma, l_vec, pre_difference_matrix(1), kappa, 0.05)
        low, high = test.interval(mbar)
        covered += low <= true_effect <= high
    assert covered / len(draws) >= 0.94


def test_from_event_study_result_equals_direct_call(mpdta_event_study):
    es = mpdta_event_study
    direct = honest_did(es.coefficients, es.covariance, 3, 4, Mbar=[0, 1])
    via = honest_did_from(es, Mbar=[0, 1])
    pd.testing.assert_frame_equal(direct.to_frame(), via.to_frame())
    assert via.estimate == pytest.approx(es.coefficients[3:].mean())


def test_from_duck_typed_result_with_zero_reference():
    event_time = np.array([1, -1, -3, 0, -2])
    coefficients = np.array([0.4, 0.0, 0.1, 0.3, -0.1])
    covariance = np.diag([0.04, 0.0, 0.01, 0.02, 0.03])
    result = SimpleNamespace(event_time=event_time, estimate=coefficients, vcov=covariance)
    via = honest_did_from(result, Mbar=[1.0], target=[1.0, 0.0])
    direct = honest_did([0.1, -0.1, 0.3, 0.4], np.diag([0.01, 0.03, 0.02, 0.04]), 2, 2,
                        Mbar=[1.0], target=[1.0, 0.0])
    pd.testing.assert_frame_equal(direct.to_frame(), via.to_frame())


def test_from_result_rejects_unusable_layouts():
    base = dict(estimate=np.zeros(4), vcov=np.eye(4))
    with pytest.raises(SensitivityInputError, match="without gaps"):
        honest_did_from(SimpleNamespace(event_time=[-3, 0, 1, 2], **base))
    with pytest.raises(SensitivityInputError, match="event time -1 has an estimated"):
        honest_did_from(SimpleNamespace(event_time=[-2, -1, 0, 1], **base))
    with pytest.raises(SensitivityInputError, match="reference event time must be -1"):
        honest_did_from(SimpleNamespace(event_time=[-3, -1, 0, 1], reference=-2, **base))
    with pytest.raises(SensitivityInputError, match="no 'event_time'"):
        honest_did_from(SimpleNamespace(**base))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(betahat=[0.1, 0.2, 0.3], num_pre_periods=1, num_post_periods=1), "expected"),
        (dict(sigma=np.array([[1.0, 0.5], [0.0, 1.0]])), "symmetric"),
        (dict(sigma=np.array([[1.0, 2.0], [2.0, 1.0]])), "positive semi-definite"),
        (dict(Mbar=[-1.0]), "Mbar"),
        (dict(num_pre_periods=0, num_post_periods=2), "at least one pre-period"),
        (dict(target="median"), "target"),
        (dict(target=[1.0, 0.0]), "one per post-period"),
        (dict(betahat=[np.nan, 0.1]), "non-finite"),
        (dict(alpha=0.0), "alpha"),
    ],
)
def test_bad_input_raises(kwargs, match):
    arguments = dict(betahat=[0.1, 0.2], sigma=np.eye(2), num_pre_periods=1, num_post_periods=1)
    arguments.update(kwargs)
    with pytest.raises(SensitivityInputError, match=match):
        honest_did(**arguments)


def test_result_conventions(mpdta_event_study):
    result = honest_did_from(mpdta_event_study)
    assert isinstance(result, HonestDidResult)
    frame = result.to_frame()
    assert list(frame.columns) == ["Mbar", *ESTIMATE_COLUMNS, "identified_low", "identified_high"]
    assert (frame["estimate"] == result.estimate).all()
    text = result.summary()
    assert "Rambachan-Roth" in text and "95% pointwise" in text and "Breakdown" in text
    assert result.interval_kind == "pointwise"
    figure = result.plot()
    assert isinstance(figure, go.Figure)
    assert list(figure.data[1].x) == list(result.mbar)


def test_from_tidy_frame_with_explicit_covariance(mpdta_event_study):
    es = mpdta_event_study
    tidy_only = SimpleNamespace(to_frame=es.to_frame)
    via = honest_did_from(tidy_only, covariance=es.covariance, Mbar=[0.5])
    pd.testing.assert_frame_equal(via.to_frame(), honest_did_from(es, Mbar=[0.5]).to_frame())
    with pytest.raises(SensitivityInputError, match="pass covariance="):
        honest_did_from(tidy_only)
