"""Rambachan-Roth relative-magnitudes sensitivity analysis of an event study."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..results import EstimateResult, format_table, tidy_frame
from .errors import SensitivityInputError
from .hybrid_interval import METHODS as GRID_METHODS
from .hybrid_interval import HybridIntervals
from .robust_interval import union_test
from .relative_magnitudes import (
    identified_set,
    largest_pre_change,
    post_bias_range,
    pre_difference_matrix,
)

DEFAULT_MBAR = (0.0, 0.5, 1.0, 1.5, 2.0)
SYMMETRY_TOLERANCE = 1e-8
METHODS = (*GRID_METHODS, "conservative")
DEFAULT_METHOD = "C-LF"
METHOD_DESCRIPTIONS = {
    "C-LF": "inverting Andrews-Roth-Pakes conditional-least-favourable hybrid tests "
            "(first-stage size alpha/10), as the R package HonestDiD does by default",
    "conditional": "inverting Andrews-Roth-Pakes conditional tests (HonestDiD's "
                   "'Conditional')",
    "conservative": "inverting a conservative intersection-union test; valid under "
                    "Delta^RM but wider than the conditional/hybrid intervals",
}


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
        Robust confidence intervals, one per Mbar, from ``method``.
    method : {"C-LF", "conditional", "conservative"}
        How the intervals were computed (see :func:`honest_did`).
    grid_step : ndarray
        For the grid methods, the spacing of the theta grid at each Mbar: the interval
        bounds are accurate to one step. NaN for "conservative" (exact bounds).
    grid_points : int or None
        Number of theta grid values per Mbar (None for "conservative").
    breakdown : float
        The Mbar at which the robust interval first reaches zero: it excludes zero for
        every smaller Mbar (NaN if it includes zero already at Mbar = 0). For the grid
        methods, found by bisection to 1e-4 on the test of zero itself.
    max_pre_change : float
        Largest estimated consecutive change of the pre-period coefficients.
    critical_value : float
        Normal critical value z_{1-alpha/2} (of the conservative test and of the
        conventional interval at Mbar = 0).
    l_vec : ndarray
        Weights of the target on the post-period coefficients.
    """

    interval_kind = "pointwise"
    title = "Rambachan-Roth sensitivity analysis, relative magnitudes (Delta^RM)"

    def __init__(self, *, mbar, estimate, std_error, identified, intervals, breakdown,
                 max_pre_change, critical_value, l_vec, alpha, num_pre_periods,
                 num_post_periods, original_interval, method="conservative",
                 grid_step=None, grid_points=None):
        self.method = method
        self.grid_points = grid_points
        self.mbar = np.asarray(mbar, dtype=float)
        self.grid_step = (np.full(len(self.mbar), np.nan) if grid_step is None
                          else np.asarray(grid_step, dtype=float))
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
        if self.grid_points is None:
            resolution = "exact bounds"
        else:
            resolution = (f"bounds on a grid of {self.grid_points} values per Mbar, accurate "
                          f"to one grid step (at most {np.nanmax(self.grid_step):.3g})")
        lines = [
            f"{self.title}; method: {self.method}",
            f"Target l'tau_post with l = {np.round(self.l_vec, 4).tolist()} over "
            f"{self.num_post_periods} post-period(s); {self.num_pre_periods} pre-period "
            "coefficient(s), reference period normalised to 0.",
            "Post-period changes of the bias at most Mbar x the largest pre-period change "
            f"(estimated {self.max_pre_change:.4g}).",
            f"Intervals: {self.confidence_level:.0%} pointwise (per Mbar) confidence "
            f"intervals by {METHOD_DESCRIPTIONS[self.method]}; {resolution}.",
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
        figure.update_layout(title=f"{self.title} ({self.method})", xaxis_title="Mbar",
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
    method: str = DEFAULT_METHOD,
    grid_points: int = 1000,
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
    method : {"C-LF", "conditional", "conservative"}
        ``"C-LF"`` (default): Andrews-Roth-Pakes conditional-least-favourable hybrid,
        the default of the R package HonestDiD for Delta^RM; ``"conditional"``: the plain
        ARP conditional test (HonestDiD's "Conditional"); ``"conservative"``: the
        earlier intersection-union test, exact bounds but wider intervals.
    grid_points : int
        Theta grid size per Mbar for "C-LF" and "conditional" (HonestDiD's default 1000).

    Returns
    -------
    HonestDidResult
        Per Mbar: the identified set (two linear programs with scipy's HiGHS at the
        estimated coefficients) and a robust confidence interval; the breakdown value.

    Notes
    -----
    "C-LF" and "conditional" follow Rambachan & Roth (2023) and HonestDiD's
    ``computeConditionalCS_DeltaRM``: Delta^RM(Mbar) is a union over the location of
    the largest pre-period change and its sign of polyhedra; for each, the ARP test of
    ``l'tau_post = theta`` (the rest of ``tau_post`` a nuisance) is inverted over a grid
    of theta from the identified set's bounds widened by 20 standard errors, and theta
    is in the confidence set if any piece accepts it
    (:mod:`tzeval.sensitivity.hybrid_interval`). Differences from HonestDiD: the least
    favourable critical value uses 10,000 simulated draws (HonestDiD: 1000, so its
    intervals move by about a grid step from one seed to another) and the linear
    programs are solved through their dual vertices rather than one solver call per
    grid value. At Mbar = 0 these intervals are slightly wider than the conventional one
    (the hybrid spends alpha/10 on its first stage).

    "conservative" inverts a test of "theta is in the identified set" that tests each
    piece with the normal critical value on both of its inequalities and rejects only
    if all pieces are rejected (:mod:`tzeval.sensitivity.robust_interval`); valid for
    every data-generating process in Delta^RM, the conventional interval at Mbar = 0.
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
    if method not in METHODS:
        raise SensitivityInputError(f"method must be one of {METHODS}, got {method!r}")
    if not isinstance(grid_points, (int, np.integer)) or grid_points < 2:
        raise SensitivityInputError(f"grid_points must be an integer >= 2, got {grid_points!r}")
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
    if method == "conservative":
        intervals, breakdown = [test.interval(m) for m in mbar], test.breakdown()
        steps = points = None
    else:
        grid = HybridIntervals(betahat, sigma, num_pre_periods, l_vec, alpha, method,
                               grid_points)
        bounds = np.array([grid.interval(m) for m in mbar], dtype=float).reshape(-1, 3)
        intervals, steps, points = bounds[:, :2], bounds[:, 2], grid_points
        breakdown = grid.breakdown()
    return HonestDidResult(
        mbar=mbar, estimate=test.target, std_error=test.target_se, identified=identified,
        intervals=intervals, breakdown=breakdown, method=method, grid_step=steps,
        grid_points=points,
        max_pre_change=largest_pre_change(beta_pre), critical_value=test.critical_value,
        l_vec=l_vec, alpha=alpha, num_pre_periods=num_pre_periods,
        num_post_periods=num_post_periods, original_interval=test.interval(0.0),
    )
