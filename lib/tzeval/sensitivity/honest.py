"""Rambachan-Roth relative-magnitudes sensitivity analysis of an event study."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..results import EstimateResult, format_table, tidy_frame
from .errors import SensitivityInputError
from .robust_interval import union_test
from .relative_magnitudes import (
    identified_set,
    largest_pre_change,
    post_bias_range,
    pre_difference_matrix,
)

DEFAULT_MBAR = (0.0, 0.5, 1.0, 1.5, 2.0)
SYMMETRY_TOLERANCE = 1e-8


class HonestDidResult(EstimateResult):
    """Identified sets and robust confidence intervals for a range of Mbar.

    Attributes
    ----------
    mbar : ndarray
        The Mbar values, increasing.
    estimate, std_error : float
        Point estimate ``l'beta_post`` under parallel trends and its standard error.
    identified_low, identified_high : ndarray
        Identified-set bounds at the estimated coefficients, one per Mbar.
    conf_low, conf_high : ndarray
        Robust confidence intervals (conservative test inversion), one per Mbar.
    breakdown : float
        The Mbar at which the robust interval first reaches zero: it excludes zero for
        every smaller Mbar (NaN if it includes zero already at Mbar = 0).
    max_pre_change : float
        Largest estimated consecutive change of the pre-period coefficients.
    critical_value : float
        Normal critical value z_{1-alpha/2} of the test.
    l_vec : ndarray
        Weights of the target on the post-period coefficients.
    """

    interval_kind = "pointwise"
    method = "Rambachan-Roth sensitivity analysis, relative magnitudes (Delta^RM)"

    def __init__(self, *, mbar, estimate, std_error, identified, intervals, breakdown,
                 max_pre_change, critical_value, l_vec, alpha, num_pre_periods,
                 num_post_periods, original_interval):
        self.mbar = np.asarray(mbar, dtype=float)
        self.estimate = float(estimate)
        self.std_error = float(std_error)
        self.identified_low, self.identified_high = np.asarray(identified, dtype=float).T
        self.conf_low, self.conf_high = np.asarray(intervals, dtype=float).T
        self.breakdown = float(breakdown)
        self.max_pre_change = float(max_pre_change)
        self.critical_value = float(critical_value)
        self.l_vec = np.asarray(l_vec, dtype=float)
        self.alpha = alpha
        self.num_pre_periods = num_pre_periods
        self.num_post_periods = num_post_periods
        self.original_interval = original_interval

    def to_frame(self) -> pd.DataFrame:
        """One row per Mbar: robust interval in conf_low/conf_high, identified set appended."""
        frame = tidy_frame(
            {"Mbar": self.mbar}, np.full(len(self.mbar), self.estimate), self.std_error,
            self.conf_low, self.conf_high, None,
        )
        frame["identified_low"] = self.identified_low
        frame["identified_high"] = self.identified_high
        return frame

    def summary(self) -> str:
        if np.isnan(self.breakdown):
            breakdown = "none: the interval includes 0 even under exact parallel trends"
        else:
            breakdown = f"{self.breakdown:.4g} (the robust interval excludes 0 for Mbar below it)"
        lines = [
            self.method,
            f"Target l'tau_post with l = {np.round(self.l_vec, 4).tolist()} over "
            f"{self.num_post_periods} post-period(s); {self.num_pre_periods} pre-period "
            "coefficient(s), reference period normalised to 0.",
            "Post-period changes of the bias at most Mbar x the largest pre-period change "
            f"(estimated {self.max_pre_change:.4g}).",
            f"Intervals: {self.confidence_level:.0%} pointwise (per Mbar) confidence "
            "intervals by inverting a conservative intersection-union test (normal critical "
            f"value {self.critical_value:.3f}); valid under Delta^RM but wider than "
            "Rambachan-Roth's conditional/hybrid intervals; the usual interval at Mbar = 0.",
            f"Breakdown value of Mbar: {breakdown}.",
        ]
        return "\n".join([*lines, "", format_table(self.to_frame())])

    def plot(self) -> go.Figure:
        step = np.diff(self.mbar).min() if len(self.mbar) > 1 else 0.5
        original_x = self.mbar.min() - step
        figure = go.Figure()
        low, high = self.original_interval
        figure.add_trace(go.Scatter(
            x=[original_x], y=[self.estimate], mode="markers", name="Original (parallel trends)",
            error_y=dict(type="data", symmetric=False, array=[high - self.estimate],
                         arrayminus=[self.estimate - low]),
        ))
        middle = (self.conf_low + self.conf_high) / 2
        figure.add_trace(go.Scatter(
            x=self.mbar, y=middle, mode="markers", marker=dict(size=1),
            name=f"{self.confidence_level:.0%} robust CI",
            error_y=dict(type="data", symmetric=False, array=self.conf_high - middle,
                         arrayminus=middle - self.conf_low),
        ))
        for index, mbar in enumerate(self.mbar):
            figure.add_trace(go.Scatter(
                x=[mbar, mbar], y=[self.identified_low[index], self.identified_high[index]],
                mode="lines", line=dict(width=6, color="rgba(100,100,100,0.5)"),
                name="identified set", legendgroup="identified", showlegend=index == 0,
            ))
        figure.add_hline(y=0, line_dash="dot")
        figure.update_layout(title=self.method, xaxis_title="Mbar",
                             yaxis_title="effect (l'tau_post)")
        return figure


def _as_vector(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise SensitivityInputError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise SensitivityInputError(f"{name} has missing or non-finite values")
    return array


def _check_covariance(sigma, size: int) -> np.ndarray:
    sigma = np.asarray(sigma, dtype=float)
    if sigma.shape != (size, size):
        raise SensitivityInputError(
            f"sigma must be {size} x {size} (one row per coefficient), got shape {sigma.shape}"
        )
    if not np.isfinite(sigma).all():
        raise SensitivityInputError("sigma has missing or non-finite values")
    scale = max(np.abs(sigma).max(), 1e-300)
    if np.abs(sigma - sigma.T).max() > SYMMETRY_TOLERANCE * scale:
        raise SensitivityInputError("sigma must be symmetric")
    if np.linalg.eigvalsh((sigma + sigma.T) / 2).min() < -SYMMETRY_TOLERANCE * scale:
        raise SensitivityInputError("sigma must be positive semi-definite")
    return (sigma + sigma.T) / 2


def _target_weights(target, num_post_periods: int) -> np.ndarray:
    if isinstance(target, str):
        if target != "average":
            raise SensitivityInputError(
                f"target must be 'average' or a vector of {num_post_periods} weights, "
                f"got {target!r}"
            )
        return np.full(num_post_periods, 1.0 / num_post_periods)
    l_vec = _as_vector(target, "target (l_vec)")
    if len(l_vec) != num_post_periods:
        raise SensitivityInputError(
            f"target l_vec has {len(l_vec)} weights, expected one per post-period "
            f"({num_post_periods})"
        )
    return l_vec


def honest_did(
    betahat: Sequence[float] | np.ndarray,
    sigma: np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    Mbar: Sequence[float] = DEFAULT_MBAR,
    alpha: float = 0.05,
    target="average",
) -> HonestDidResult:
    """Sensitivity of an event-study effect to violations of parallel trends (Delta^RM).

    Rambachan & Roth (2023), relative magnitudes: post-period violations of parallel
    trends change from one period to the next by at most ``Mbar`` times the largest
    change between consecutive pre-periods.

    Parameters
    ----------
    betahat : array-like
        Event-study coefficients ordered by event time: ``num_pre_periods`` pre-period
        coefficients (ending at event time -2; the reference -1 is omitted), then
        ``num_post_periods`` post-period coefficients (event time 0 on).
    sigma : ndarray
        Their covariance matrix.
    num_pre_periods, num_post_periods : int
    Mbar : sequence of float
        Values of Mbar (>= 0) to report.
    alpha : float
        1 - confidence level.
    target : "average" or array-like
        ``"average"`` for the mean of the post-period effects, or the weights ``l_vec``.

    Returns
    -------
    HonestDidResult
        Per Mbar: the identified set (two linear programs with scipy's HiGHS at the
        estimated coefficients) and a robust confidence interval; the breakdown value.

    Notes
    -----
    The confidence intervals are not Rambachan & Roth's conditional/hybrid (C-LF)
    intervals of the R package HonestDiD. They invert a conservative test of "theta is
    in the identified set": the set is a union over which pre-period change is largest
    (and its sign) of sets cut by two linear inequalities; each is tested with the
    normal critical value on both inequalities, and theta is rejected only if all are
    (see :mod:`tzeval.sensitivity.robust_interval`). They are valid for every
    data-generating process in Delta^RM and wider than HonestDiD's; at Mbar = 0 the
    identified set is the point estimate and the interval the conventional one.
    """
    if not isinstance(num_pre_periods, (int, np.integer)) or num_pre_periods < 1:
        raise SensitivityInputError(
            "relative magnitudes need at least one pre-period coefficient besides the "
            f"reference period; num_pre_periods = {num_pre_periods!r}"
        )
    if not isinstance(num_post_periods, (int, np.integer)) or num_post_periods < 1:
        raise SensitivityInputError(f"num_post_periods must be >= 1, got {num_post_periods!r}")
    if not 0 < alpha < 1:
        raise SensitivityInputError(f"alpha must be in (0, 1), got {alpha}")
    betahat = _as_vector(betahat, "betahat")
    size = num_pre_periods + num_post_periods
    if len(betahat) != size:
        raise SensitivityInputError(
            f"betahat has {len(betahat)} coefficients, expected num_pre_periods + "
            f"num_post_periods = {size}"
        )
    sigma = _check_covariance(sigma, size)
    mbar = np.sort(_as_vector(np.atleast_1d(Mbar), "Mbar"))
    if (mbar < 0).any():
        raise SensitivityInputError(f"Mbar values must be >= 0, got {mbar.tolist()}")
    l_vec = _target_weights(target, num_post_periods)

    beta_pre, beta_post = betahat[:num_pre_periods], betahat[num_pre_periods:]
    differences = pre_difference_matrix(num_pre_periods)
    kappa = post_bias_range(l_vec, 1.0)[1]
    test = union_test(beta_pre, beta_post, sigma, l_vec, differences, kappa, alpha)
    identified = [identified_set(beta_pre, beta_post, l_vec, m) for m in mbar]
    intervals = [test.interval(m) for m in mbar]
    return HonestDidResult(
        mbar=mbar, estimate=test.target, std_error=test.target_se, identified=identified,
        intervals=intervals, breakdown=test.breakdown(),
        max_pre_change=largest_pre_change(beta_pre), critical_value=test.critical_value,
        l_vec=l_vec, alpha=alpha, num_pre_periods=num_pre_periods,
        num_post_periods=num_post_periods, original_interval=test.interval(0.0),
    )
