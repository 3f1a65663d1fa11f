"""Rambachan-Roth confidence sets under Delta^RM by inverting ARP tests over a grid.

Delta^RM(Mbar) is the union of the polyhedra Delta^RM_{s,b}(Mbar) (largest pre-period
change at ``s`` with sign ``b``); ``theta`` is accepted if the test of any piece accepts
it (Rambachan & Roth 2023; HonestDiD's ``computeConditionalCS_DeltaRM``).
As HonestDiD, the test is inverted over an evenly spaced grid of ``grid_points`` values
between the identified set's bounds (at the estimates) widened by ``20`` standard errors
of ``l'beta_post``, and the reported interval runs from the smallest to the largest
accepted grid value: endpoints are exact up to one grid step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .arp_test import arp_accepts, least_favourable_cv
from .breakdown import breakdown_value
from .relative_magnitudes import identified_set
from .rm_moments import piece_moments

METHODS = ("C-LF", "conditional")
GRID_WIDENING = 20.0  # standard errors beyond the identified set, as in HonestDiD
LF_DRAWS = 10_000  # HonestDiD uses 1000; more draws steady the first-stage cut-off
LF_SEED = 0
BREAKDOWN_TOLERANCE = 1e-4
MAX_DOUBLINGS = 40


@dataclass
class HybridIntervals:
    """Conditional or C-LF confidence intervals for ``l'tau_post`` under Delta^RM.

    Attributes
    ----------
    betahat, sigma : ndarray
        Event-study coefficients (pre then post) and their covariance.
    num_pre : int
    l_vec : ndarray
        Target weights on the post-period coefficients.
    alpha : float
    method : {"C-LF", "conditional"}
    grid_points : int
    kappa : float
        First-stage size of the hybrid, ``alpha / 10`` as in HonestDiD.
    locations : sequence of int, optional
        Pre-period changes allowed to be the largest (0 = earliest); all by default, as
        in the paper and R HonestDiD. A subset reproduces ports that loop over fewer.
    """

    betahat: np.ndarray
    sigma: np.ndarray
    num_pre: int
    l_vec: np.ndarray
    alpha: float
    method: str = "C-LF"
    grid_points: int = 1000
    kappa: float | None = None
    locations: tuple[int, ...] | None = None
    _draws: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        if self.kappa is None:
            self.kappa = self.alpha / 10
        if self.locations is None:
            self.locations = tuple(range(self.num_pre))
        # One column per tested moment: all 2 (num_pre + 1) - 1 rows with one
        # post-period, the 2 num_post post-period rows otherwise (see rm_moments).
        size = 2 * self.num_pre + 1 if len(self.l_vec) == 1 else 2 * len(self.l_vec)
        self._draws = np.random.default_rng(LF_SEED).standard_normal((LF_DRAWS, size))

    @property
    def target_se(self) -> float:
        post = self.sigma[self.num_pre:, self.num_pre:]
        return float(np.sqrt(self.l_vec @ post @ self.l_vec))

    def grid(self, mbar: float) -> np.ndarray:
        """The theta grid at ``mbar``: identified set widened by 20 standard errors."""
        low, high = identified_set(self.betahat[: self.num_pre], self.betahat[self.num_pre:],
                                   self.l_vec, mbar)
        widen = GRID_WIDENING * self.target_se
        return np.linspace(low - widen, high + widen, self.grid_points)

    def accepts(self, theta: np.ndarray, mbar: float) -> np.ndarray:
        """Whether the union of the pieces' tests accepts each value of ``theta``."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        accepted = np.zeros(len(theta), dtype=bool)
        for s in self.locations:
            for sign in (1.0, -1.0):
                if accepted.all():  # the union cannot grow: skip the remaining pieces
                    return accepted
                moments = piece_moments(self.betahat, self.sigma, self.num_pre, self.l_vec,
                                        mbar, s, sign)
                lf_cv = None
                if self.method == "C-LF":
                    lf_cv = least_favourable_cv(moments.vertices, moments.covariance,
                                                self.kappa, self._draws)
                accepted |= arp_accepts(
                    moments.y, moments.slope, moments.covariance, moments.vertices, theta,
                    self.alpha, lf_cv=lf_cv, kappa=self.kappa,
                    truncate_at_lf=len(self.l_vec) > 1,
                )
        return accepted

    def interval(self, mbar: float) -> tuple[float, float, float]:
        """Smallest and largest accepted grid value at ``mbar``, and the grid step.

        NaN bounds if no grid value is accepted; a bound at the end of the grid means
        the set may extend beyond it (as in HonestDiD).
        """
        theta = self.grid(mbar)
        accepted = np.flatnonzero(self.accepts(theta, mbar))
        step = float(theta[1] - theta[0])
        if not accepted.size:
            return np.nan, np.nan, step
        return float(theta[accepted[0]]), float(theta[accepted[-1]]), step

    def breakdown(self) -> float:
        """Smallest Mbar at which the test accepts ``theta = 0`` (NaN if it does at 0).

        Found by doubling then bisection on Mbar to ``BREAKDOWN_TOLERANCE`` (1e-4),
        testing ``theta = 0`` itself rather than the grid, so it does not inherit the
        grid's resolution. Assumes, like every breakdown value, that once accepted 0
        stays accepted for larger Mbar (the restriction only loosens). Returns inf if 0
        is still rejected at Mbar = 2^40.
        """
        return breakdown_value(lambda mbar: bool(self.accepts(np.zeros(1), mbar)[0]),
                               BREAKDOWN_TOLERANCE, MAX_DOUBLINGS)
