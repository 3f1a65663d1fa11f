"""Logit propensity scores fitted by Newton-Raphson, with explicit failure modes."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .errors import SingularDesignError

MACHINE_EPS = np.finfo(float).eps


def check_invertible(matrix: np.ndarray, what: str) -> None:
    """Raise :class:`SingularDesignError` when ``matrix`` is numerically singular.

    Uses the reciprocal 1-norm condition number against machine epsilon, as R's
    ``rcond(...) < .Machine$double.eps`` checks in DRDID do.
    """
    with np.errstate(all="ignore"):
        condition = np.linalg.cond(matrix, 1)
    if not np.isfinite(condition) or 1.0 / condition < MACHINE_EPS:
        raise SingularDesignError(
            f"{what} is singular: covariates are collinear or do not vary in this subsample"
        )


def fit_logit(
    design: np.ndarray, treated: np.ndarray, what: str, max_iter: int = 100, tol: float = 1e-10
) -> np.ndarray:
    """Fitted probabilities of a logit of ``treated`` on ``design`` (maximum likelihood).

    Parameters
    ----------
    design : ndarray
        ``(n, p)`` regressors, intercept included.
    treated : ndarray of bool
        Outcome of the logit.
    what : str
        Names the fit in error messages (for example the (g, t) cell).

    Returns
    -------
    ndarray
        ``(n,)`` fitted probabilities. They may be close to 0 or 1 when the classes are
        (nearly) separated; callers check overlap themselves.
    """
    response = treated.astype(float)
    coef = np.zeros(design.shape[1])
    for _ in range(max_iter):
        prob = expit(design @ coef)
        curvature = prob * (1.0 - prob)
        hessian = (design * curvature[:, None]).T @ design
        check_invertible(hessian, f"{what}: propensity-score design (X'WX)")
        step = np.linalg.solve(hessian, design.T @ (response - prob))
        coef = coef + step
        if np.max(np.abs(step)) < tol * (1.0 + np.max(np.abs(coef))):
            break
    return expit(design @ coef)
