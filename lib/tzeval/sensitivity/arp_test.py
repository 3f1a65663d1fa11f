"""Andrews-Roth-Pakes conditional and conditional-least-favourable hybrid tests.

The null ``H0: theta`` says ``E[y] - slope * theta - X nu <= 0`` for some nuisance ``nu``.
The statistic is the value of the linear program

    eta(theta) = min_{nu, e} e   s.t.   y - slope theta - X nu <= e * sd,

equal by duality to ``max_v v'(y - slope theta)`` over the vertices ``v`` of
``{lam >= 0, sd'lam = 1, X'lam = 0}``. With the vertices known (see
:mod:`tzeval.sensitivity.rm_moments`) the programs for a whole grid of ``theta`` are a
matrix product, not one call of a solver per point.

Conditional test (Andrews, Roth & Pakes 2023): given the optimal vertex ``g`` and the statistic
``S = Y - c g'Y`` with ``c = Sigma g / g'Sigma g``, ``g'Y`` is normal truncated to
``[v_lo, v_up]``, the values for which ``g`` stays optimal:
``g'Y >= v'Y`` for every vertex ``v``, i.e. ``t (1 - v'c) >= v'S``. Reject when
``eta / sigma_g`` exceeds ``max(0, q)``, ``q`` the ``1 - alpha`` quantile of the
truncated normal. Conditional-least-favourable hybrid: first reject if ``eta`` exceeds the least
favourable critical value ``c_LF`` (the ``1 - kappa`` quantile of ``eta`` when every
moment has mean zero), else run the conditional test at level
``(alpha - kappa) / (1 - kappa)`` that also conditions on ``eta <= c_LF``.
"""

from __future__ import annotations

import numpy as np

from .truncated_normal import truncated_normal_quantile

DEGENERATE_VARIANCE = 1e-10  # HonestDiD: below this sd, reject iff eta > 0
TIE_TOLERANCE = 1e-10


def least_favourable_cv(vertices: np.ndarray, covariance: np.ndarray, kappa: float,
                        normal_draws: np.ndarray) -> float:
    """The ``1 - kappa`` quantile of ``max_v v'xi`` for ``xi ~ N(0, covariance)``.

    ``normal_draws`` are standard normal draws, one row per draw and one column per
    moment, reused across calls so that the critical value moves smoothly with the
    moments (common random numbers).
    """
    values, vectors = np.linalg.eigh(covariance)
    # covariance = R R' with R = vectors sqrt(values): v'xi = (R'v)'z for standard normal z.
    loadings = vertices @ (vectors * np.sqrt(np.clip(values, 0, None)))
    maxima = (normal_draws @ loadings.T).max(axis=1)
    return float(np.quantile(maxima, 1 - kappa))


def arp_accepts(y: np.ndarray, slope: np.ndarray, covariance: np.ndarray,
                vertices: np.ndarray, theta: np.ndarray, alpha: float,
                lf_cv: float | None = None, kappa: float = 0.0,
                truncate_at_lf: bool = True) -> np.ndarray:
    """Which values in ``theta`` the conditional (or hybrid) test accepts.

    Parameters
    ----------
    y, slope, covariance, vertices
        Moments ``y - slope * theta``, their covariance and the dual vertices.
    theta : ndarray (G,)
        Values of the parameter to test.
    alpha : float
        Size of the test.
    lf_cv : float, optional
        Least favourable critical value: given, the test is the C-LF hybrid with
        first-stage size ``kappa``; ``None`` gives the plain conditional test.
    truncate_at_lf : bool
        Whether the second stage also conditions on ``eta <= lf_cv``. HonestDiD does so
        with nuisance parameters and not without, and is followed here.

    Returns
    -------
    ndarray of bool (G,)
    """
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    vertex_y, vertex_slope = vertices @ y, vertices @ slope
    values = vertex_y[:, None] - vertex_slope[:, None] * theta[None, :]  # v'Y(theta)
    best = values.argmax(axis=0)
    columns = np.arange(len(theta))
    eta = values[best, columns]
    # c'v for every pair of vertices: how each vertex moves with the optimal one.
    cross = vertices @ covariance @ vertices.T
    variance = np.diag(cross)
    sd_best = np.sqrt(np.clip(variance[best], 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        loading = cross[:, best] / variance[best]  # v'c_g, shape (V, G)
        residual = values - loading * eta  # v'S
        denominator = 1 - loading
        bound = residual / denominator
    lower = np.where(denominator > TIE_TOLERANCE, bound, -np.inf).max(axis=0)
    upper = np.where(denominator < -TIE_TOLERANCE, bound, np.inf).min(axis=0)
    size = alpha
    rejected_first = np.zeros(len(theta), dtype=bool)
    if lf_cv is not None:
        size = (alpha - kappa) / (1 - kappa)
        rejected_first = eta > lf_cv
        if truncate_at_lf:
            upper = np.minimum(upper, lf_cv)
    degenerate = sd_best < DEGENERATE_VARIANCE
    safe_sd = np.where(degenerate, 1.0, sd_best)
    stat, z_low, z_up = eta / safe_sd, lower / safe_sd, upper / safe_sd
    inside = (z_low <= stat) & (stat <= z_up)
    critical = np.maximum(0.0, truncated_normal_quantile(1 - size, z_low,
                                                         np.maximum(z_up, z_low)))
    # Outside its own truncation interval the statistic cannot be tested; HonestDiD then
    # does not reject, and neither does this.
    reject = inside & (stat > critical)
    reject = np.where(degenerate, eta > 0, reject)
    return ~(reject | rejected_first)
