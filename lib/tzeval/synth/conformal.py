"""Conformal inference for synthetic controls (Chernozhukov, Wuthrich & Zhu 2021).

To test a hypothesised effect path, subtract it from the treated unit's post-treatment
outcomes, re-estimate the synthetic control on *all* periods (the "constrained"
estimator: outcome-only weights on the simplex, no intercept) and compute its residuals.
Under the null and with exchangeable (moving-block: stationary and weakly dependent)
residuals, the residuals of the post-treatment window are no larger than those of any
other window, so the p-value is the share of permutations whose post-window statistic is
at least the observed one. Confidence sets collect the hypotheses that are not rejected.

* Per period ``t``: the data are the pre-treatment periods plus ``t`` alone, the statistic
  is ``|u_t|``, and the interval is the set of effects ``theta_t`` with ``p > alpha``.
* Average effect: the null is a constant effect ``theta`` in every post period, the
  statistic is ``|mean of the post-window residuals|``; the interval is the set of
  constant effects not rejected, which is an interval for the average effect when the
  effect is constant and a set of plausible constant paths otherwise.
* No effect at all (joint test): ``theta_t = 0`` for every post period, statistic
  ``sum |u_t|`` over the post window (the paper's ``q = 1``).

Permutations are either the ``T`` cyclic shifts of time ("moving_block", the paper's
default, exact p-values in multiples of ``1/T``) or ``n_permutations`` random
permutations ("iid", which also counts the identity). When the smallest attainable
p-value exceeds ``alpha`` (for instance ``1/T > alpha`` with moving blocks) no effect can
be rejected and the interval is the whole real line.

Grid: for each interval the hypotheses are first scanned on ``grid_size`` equally spaced
points centred on the point estimate, spanning plus or minus
``max(4 |estimate|, 8 sigma)`` where ``sigma`` is the pre-treatment RMSPE of the
constrained fit; the span doubles (up to 8 times) until the accepted points sit strictly
inside it, and both ends are then refined by bisection to ``1e-5`` of the span. The
reported interval runs from the smallest to the largest accepted effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import SyntheticControlInputError
from .simplex import simplex_least_squares

PERMUTATIONS = ("moving_block", "iid")
MAX_WIDENINGS = 8
BISECTION_STEPS = 30


@dataclass(frozen=True)
class ConformalSettings:
    """Choices of the conformal procedure (see the module docstring)."""

    permutation: str = "moving_block"
    n_permutations: int = 1000
    grid_size: int = 51
    seed: int = 0

    def __post_init__(self):
        if self.permutation not in PERMUTATIONS:
            raise SyntheticControlInputError(
                f"conformal_permutation must be one of {PERMUTATIONS}, got {self.permutation!r}."
            )
        if self.grid_size < 5:
            raise SyntheticControlInputError(
                f"conformal_grid_size must be at least 5, got {self.grid_size}."
            )
        if self.n_permutations < 19:
            raise SyntheticControlInputError(
                f"conformal_n_permutations must be at least 19, got {self.n_permutations}."
            )


@dataclass(frozen=True)
class ConformalIntervals:
    """Per-period and average-effect intervals, with the p-values of "no effect".

    Attributes
    ----------
    conf_low, conf_high, p_value : ndarray, shape (n_post,)
        Per post-treatment period.
    average_low, average_high, average_p_value : float
        Constant-effect interval and p-value of a zero constant effect.
    joint_p_value : float
        p-value of "no effect in any post-treatment period".
    settings : ConformalSettings
    smallest_p_value_period, smallest_p_value_average : float
        The smallest p-value each test can produce (``1/T`` with moving blocks); when it
        exceeds ``alpha`` the interval is the whole real line.
    """

    conf_low: np.ndarray
    conf_high: np.ndarray
    p_value: np.ndarray
    average_low: float
    average_high: float
    average_p_value: float
    joint_p_value: float
    settings: ConformalSettings
    smallest_p_value_period: float
    smallest_p_value_average: float


class _NullResiduals:
    """Residuals of the constrained synthetic control under a hypothesised effect.

    The treated series is ordered with the post-treatment periods last; successive
    hypotheses warm-start the simplex solver from the previous weights.
    """

    def __init__(self, treated: np.ndarray, donors: np.ndarray, n_post: int):
        self.treated = treated
        self.donors = donors
        self.n_post = n_post
        self.last: np.ndarray | None = None

    def __call__(self, effect) -> np.ndarray:
        adjusted = self.treated.copy()
        adjusted[-self.n_post :] -= effect
        solution = simplex_least_squares(self.donors, adjusted, start=self.last)
        self.last = solution.weights
        return adjusted - self.donors @ solution.weights


class _PermutationTest:
    """p-value of a post-window statistic against its permutation distribution."""

    def __init__(self, n_periods: int, n_post: int, settings: ConformalSettings):
        self.n_periods = n_periods
        self.n_post = n_post
        self.moving_block = settings.permutation == "moving_block"
        if not self.moving_block:
            rng = np.random.default_rng(settings.seed)
            shuffles = rng.random((settings.n_permutations, n_periods)).argsort(axis=1)
            self.windows = shuffles[:, -n_post:]

    @property
    def smallest_p_value(self) -> float:
        """No hypothesis can get a lower p-value; above alpha, nothing is ever rejected."""
        if self.moving_block:
            return 1.0 / self.n_periods
        # Permutations that put the post-treatment periods back in the window always tie.
        post = np.arange(self.n_periods - self.n_post, self.n_periods)
        same = np.all(np.sort(self.windows, axis=1) == post, axis=1).sum()
        return (1.0 + same) / (1 + self.windows.shape[0])

    def p_value(self, residuals: np.ndarray, statistic: str) -> float:
        values = np.abs(residuals) if statistic == "absolute" else residuals
        if self.moving_block:
            wrapped = np.concatenate((values, values[: self.n_post - 1]))
            totals = np.concatenate(([0.0], np.cumsum(wrapped)))
            sums = totals[self.n_post :] - totals[: -self.n_post]
            observed = sums[self.n_periods - self.n_post]
            sums, observed = np.abs(sums), abs(observed)
            return float(np.mean(sums >= observed * (1 - 1e-9) - 1e-12))
        sums = np.abs(values[self.windows].sum(axis=1))
        observed = abs(values[-self.n_post :].sum())
        exceed = np.sum(sums >= observed * (1 - 1e-9) - 1e-12)
        return float((1 + exceed) / (1 + sums.shape[0]))


def _invert(
    p_value_of: Callable[[float], float],
    center: float,
    half_width: float,
    alpha: float,
    grid_size: int,
) -> tuple[float, float]:
    """Smallest and largest effect with ``p > alpha``, by grid scan then bisection."""
    accepted_points = None
    for _ in range(MAX_WIDENINGS + 1):
        grid = center + np.linspace(-half_width, half_width, grid_size)
        accepted = np.array([p_value_of(value) > alpha for value in grid])
        if accepted.any() and not (accepted[0] or accepted[-1]):
            accepted_points = np.flatnonzero(accepted)
            break
        if not accepted.any():
            # Nothing accepted: the accepted set, if any, is narrower than the spacing.
            half_width /= 4.0
        else:
            half_width *= 2.0
    if accepted_points is None:
        if not accepted.any():
            return np.nan, np.nan
        # Still accepted at an edge of the widest grid: the set is unbounded that way.
        inside = np.flatnonzero(accepted)
        return (
            -np.inf if accepted[0] else float(grid[inside[0]]),
            np.inf if accepted[-1] else float(grid[inside[-1]]),
        )
    resolution = 1e-5 * half_width

    def boundary(rejected: float, inside: float) -> float:
        for _ in range(BISECTION_STEPS):
            if abs(inside - rejected) <= resolution:
                break
            middle = 0.5 * (rejected + inside)
            if p_value_of(middle) > alpha:
                inside = middle
            else:
                rejected = middle
        return inside

    first, last = accepted_points[0], accepted_points[-1]
    return boundary(grid[first - 1], grid[first]), boundary(grid[last + 1], grid[last])


def _scale(treated: np.ndarray, donors: np.ndarray) -> float:
    """Pre-treatment RMSPE of the constrained fit, or a fallback when the fit is exact."""
    weights = simplex_least_squares(donors, treated).weights
    sigma = float(np.sqrt(np.mean((treated - donors @ weights) ** 2)))
    return sigma if sigma > 0 else max(1e-6 * float(np.abs(treated).max()), 1e-12)


def conformal_intervals(
    treated: np.ndarray,
    donors: np.ndarray,
    pre: np.ndarray,
    estimates: np.ndarray,
    alpha: float,
    settings: ConformalSettings,
) -> ConformalIntervals:
    """Conformal intervals for each post period and for a constant effect.

    Parameters
    ----------
    treated : ndarray, shape (n_periods,)
        The treated unit's outcome, in time order.
    donors : ndarray, shape (n_periods, n_donors)
    pre : ndarray of bool, shape (n_periods,)
        Pre-treatment periods (they must all precede the post-treatment ones).
    estimates : ndarray, shape (n_post,)
        Point estimates of the per-period effects, used to centre the grids.
    alpha : float
    settings : ConformalSettings
    """
    pre_treated, pre_donors = treated[pre], donors[pre]
    post_treated, post_donors = treated[~pre], donors[~pre]
    n_pre, n_post = pre_treated.shape[0], post_treated.shape[0]
    sigma = _scale(pre_treated, pre_donors)

    single = _PermutationTest(n_pre + 1, 1, settings)
    low, high, p_zero = (np.empty(n_post) for _ in range(3))
    for period in range(n_post):
        residuals_of = _NullResiduals(
            np.append(pre_treated, post_treated[period]),
            np.vstack([pre_donors, post_donors[period]]),
            1,
        )

        def p_value_of(effect: float) -> float:
            return single.p_value(residuals_of(effect), "absolute")

        p_zero[period] = p_value_of(0.0)
        center = float(estimates[period])
        low[period], high[period] = (
            _invert(p_value_of, center, max(4 * abs(center), 8 * sigma), alpha, settings.grid_size)
            if single.smallest_p_value <= alpha
            else (-np.inf, np.inf)
        )

    everything = _NullResiduals(
        np.concatenate([pre_treated, post_treated]), np.vstack([pre_donors, post_donors]), n_post
    )
    window = _PermutationTest(n_pre + n_post, n_post, settings)
    joint_p = window.p_value(everything(0.0), "absolute")

    def average_p_value_of(effect: float) -> float:
        return window.p_value(everything(effect), "signed")

    average_p = average_p_value_of(0.0)
    center = float(np.mean(estimates))
    half_width = max(4 * abs(center), 8 * sigma)
    average_low, average_high = (
        _invert(average_p_value_of, center, half_width, alpha, settings.grid_size)
        if window.smallest_p_value <= alpha
        else (-np.inf, np.inf)
    )
    return ConformalIntervals(
        conf_low=low,
        conf_high=high,
        p_value=p_zero,
        average_low=float(average_low),
        average_high=float(average_high),
        average_p_value=float(average_p),
        joint_p_value=float(joint_p),
        settings=settings,
        smallest_p_value_period=single.smallest_p_value,
        smallest_p_value_average=window.smallest_p_value,
    )
