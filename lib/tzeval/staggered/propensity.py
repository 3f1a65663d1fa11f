"""Logit propensity scores fitted by Newton-Raphson, with explicit failure modes."""

from __future__ import annotations

import warnings

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
    check_invertible(design.T @ design, f"{what}: propensity-score design (X'X)")
    prob = expit(design @ coef)
    for _ in range(max_iter):
        curvature = prob * (1.0 - prob)
        hessian = (design * curvature[:, None]).T @ design
        try:
            check_invertible(hessian, f"{what}: propensity-score design (X'WX)")
        except SingularDesignError:
            # the design was fine at the start, so the weights collapsed: the classes are
            # separated and the MLE diverges; return the current fit for the overlap check
            return prob
        step = np.linalg.solve(hessian, design.T @ (response - prob))
        coef = coef + step
        prob = expit(design @ coef)
        if np.max(np.abs(step)) < tol * (1.0 + np.max(np.abs(coef))):
            return prob
    warnings.warn(
        f"{what}: the propensity-score logit did not converge in {max_iter} iterations",
        stacklevel=4,
    )
    return prob


def fit_calibrated(
    design: np.ndarray, treated: np.ndarray, what: str, max_iter: int = 100, tol: float = 1e-10
) -> np.ndarray:
    """Propensity score by inverse probability tilting (Graham, Pinto & Egel 2012).

    Chooses the logit index ``X @ gamma`` so that the controls reweighted by the odds
    ``exp(X @ gamma)`` reproduce the covariate totals of the treated exactly: it minimises
    the convex loss ``mean((1 - D) * exp(X @ gamma) - D * X @ gamma)``. This is the first
    step of Sant'Anna & Zhao's improved doubly robust estimator (DRDID
    ``drdid_imp_panel``), started, like it, from the maximum-likelihood logit.

    Returns
    -------
    ndarray
        ``(n,)`` fitted probabilities ``expit(X @ gamma)``.
    """
    response = treated.astype(float)
    logit_prob = fit_logit(design, treated, what, max_iter=max_iter, tol=tol)
    clipped = np.clip(logit_prob, 1e-12, 1 - 1e-12)
    coef = np.linalg.lstsq(design, np.log(clipped / (1 - clipped)), rcond=None)[0]
    for _ in range(max_iter):
        odds = np.exp(np.minimum(design @ coef, 700.0))
        control_odds = (1.0 - response) * odds
        gradient = design.T @ (control_odds - response)
        hessian = (design * control_odds[:, None]).T @ design
        check_invertible(hessian, f"{what}: calibrated propensity-score design")
        step = np.linalg.solve(hessian, gradient)
        # damped Newton: halve the step until the convex loss decreases
        loss = np.sum(control_odds) - response @ (design @ coef)
        scale = 1.0
        while scale > 1e-8:
            trial = coef - scale * step
            trial_index = design @ trial
            trial_odds = np.exp(np.minimum(trial_index, 700.0))
            trial_loss = np.sum((1.0 - response) * trial_odds) - response @ trial_index
            if trial_loss <= loss + 1e-12 * abs(loss):
                break
            scale /= 2.0
        coef = coef - scale * step
        if np.max(np.abs(scale * step)) < tol * (1.0 + np.max(np.abs(coef))):
            return expit(design @ coef)
    warnings.warn(
        f"{what}: the calibrated propensity score did not converge in {max_iter} iterations",
        stacklevel=4,
    )
    return expit(design @ coef)
