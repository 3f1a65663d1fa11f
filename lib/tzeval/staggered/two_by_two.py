"""Panel 2x2 difference-in-differences estimators of the ATT and their influence functions.

Each estimator takes the outcome change ``delta_y`` of the units in one comparison (the
cohort and its controls), the treated indicator and the design matrix (intercept first),
and returns the ATT and its influence function over those units, normalised as in
Sant'Anna & Zhao (2020) and the R package DRDID (``reg_did_panel``,
``std_ipw_did_panel``, ``drdid_panel``): the variance of the estimate is
``mean(psi ** 2) / n``. Unit weights are all one.
"""

from __future__ import annotations

import numpy as np

from .errors import OverlapError
from .propensity import check_invertible, fit_calibrated, fit_logit

PSCORE_CEILING = 1.0 - 1e-6
TRIM_LEVEL = 0.995
OVERLAP_LIMIT = 0.999


def _outcome_regression(delta_y: np.ndarray, treated: np.ndarray, design: np.ndarray, what: str):
    """OLS of ``delta_y`` on ``design`` among controls: fitted values and ``(X'X/n)^-1``."""
    control = ~treated
    design_c = design[control]
    gram = design_c.T @ design_c / len(delta_y)
    check_invertible(gram, f"{what}: outcome-regression design among controls (X'X)")
    coef = np.linalg.solve(gram, design_c.T @ delta_y[control] / len(delta_y))
    return design @ coef, np.linalg.inv(gram)


def _propensity(treated: np.ndarray, design: np.ndarray, what: str, fit=fit_logit):
    """Clipped propensity score and the trimming indicator of DRDID."""
    pscore = fit(design, treated, what)
    if pscore.max() >= OVERLAP_LIMIT:
        raise OverlapError(
            f"{what}: overlap fails, a propensity score reaches {pscore.max():.4f} (>= "
            f"{OVERLAP_LIMIT}); some treated units have no comparable controls. Drop or "
            "coarsen covariates, or use est_method='reg'."
        )
    pscore = np.minimum(pscore, PSCORE_CEILING)
    keep = treated | (pscore < TRIM_LEVEL)
    return pscore, keep.astype(float)


def regression_did(delta_y: np.ndarray, treated: np.ndarray, design: np.ndarray, what: str):
    """Outcome-regression DiD (Heckman, Ichimura & Todd 1997).

    Returns
    -------
    att : float
    influence : ndarray
    """
    n = len(delta_y)
    d = treated.astype(float)
    fitted, gram_inv = _outcome_regression(delta_y, treated, design, what)
    share_treated = d.mean()
    eta_treat = np.sum(d * delta_y) / d.sum()
    eta_cont = np.sum(d * fitted) / d.sum()
    inf_treat = d * (delta_y - eta_treat) / share_treated
    # estimation effect of the regression coefficients on the treated mean prediction
    moment = design.T @ d / n
    ols_effect = (1.0 - d) * (delta_y - fitted) * (design @ (gram_inv @ moment))
    inf_control = (d * (fitted - eta_cont) + ols_effect) / share_treated
    return eta_treat - eta_cont, inf_treat - inf_control


def ipw_did(delta_y: np.ndarray, treated: np.ndarray, design: np.ndarray, what: str):
    """Normalised (Hajek) inverse-probability-weighted DiD (Abadie 2005).

    Returns
    -------
    att : float
    influence : ndarray
    """
    n = len(delta_y)
    d = treated.astype(float)
    pscore, keep = _propensity(treated, design, what)
    w_treat = keep * d
    w_cont = keep * pscore * (1.0 - d) / (1.0 - pscore)
    eta_treat = np.sum(w_treat * delta_y) / w_treat.sum()
    eta_cont = np.sum(w_cont * delta_y) / w_cont.sum()

    hessian = (design * (pscore * (1.0 - pscore))[:, None]).T @ design / n
    check_invertible(hessian, f"{what}: propensity-score design (X'WX)")
    moment = design.T @ (w_cont * (delta_y - eta_cont)) / n
    pscore_effect = (d - pscore) * (design @ np.linalg.solve(hessian, moment))

    inf_treat = w_treat * (delta_y - eta_treat) / w_treat.mean()
    inf_control = (w_cont * (delta_y - eta_cont) + pscore_effect) / w_cont.mean()
    return eta_treat - eta_cont, inf_treat - inf_control


def doubly_robust_did(delta_y: np.ndarray, treated: np.ndarray, design: np.ndarray, what: str):
    """Locally efficient doubly robust DiD of Sant'Anna & Zhao (2020), panel data.

    Logit propensity score by maximum likelihood and OLS outcome regression among the
    controls: the estimator R ``did`` runs for ``est_method = "dr"`` (DRDID's
    ``drdid_panel``), including the estimation effects of both nuisance models in the
    influence function.

    Returns
    -------
    att : float
    influence : ndarray
    """
    n = len(delta_y)
    d = treated.astype(float)
    pscore, keep = _propensity(treated, design, what)
    fitted, gram_inv = _outcome_regression(delta_y, treated, design, what)
    residual = delta_y - fitted

    w_treat = keep * d
    w_cont = keep * pscore * (1.0 - d) / (1.0 - pscore)
    eta_treat = np.sum(w_treat * residual) / w_treat.sum()
    eta_cont = np.sum(w_cont * residual) / w_cont.sum()

    ols_residual = (1.0 - d) * residual
    treat_ols_effect = ols_residual * (design @ (gram_inv @ (design.T @ w_treat / n)))
    inf_treat = (w_treat * (residual - eta_treat) - treat_ols_effect) / w_treat.mean()

    hessian = (design * (pscore * (1.0 - pscore))[:, None]).T @ design / n
    check_invertible(hessian, f"{what}: propensity-score design (X'WX)")
    pscore_moment = design.T @ (w_cont * (residual - eta_cont)) / n
    pscore_effect = (d - pscore) * (design @ np.linalg.solve(hessian, pscore_moment))
    cont_ols_effect = ols_residual * (design @ (gram_inv @ (design.T @ w_cont / n)))
    inf_control = (
        w_cont * (residual - eta_cont) + pscore_effect - cont_ols_effect
    ) / w_cont.mean()
    return eta_treat - eta_cont, inf_treat - inf_control


def improved_doubly_robust_did(
    delta_y: np.ndarray, treated: np.ndarray, design: np.ndarray, what: str
):
    """Improved doubly robust DiD of Sant'Anna & Zhao (2020), panel data (DRDID
    ``drdid_imp_panel``).

    The propensity score is fitted by inverse probability tilting and the outcome model
    by least squares weighted by the fitted odds among the controls. Their first-order
    conditions make the estimation effects of both nuisance models vanish, so the
    influence function is the leading term alone, whichever model is misspecified.

    Returns
    -------
    att : float
    influence : ndarray
    """
    d = treated.astype(float)
    pscore, keep = _propensity(treated, design, what, fit=fit_calibrated)
    odds = pscore / (1.0 - pscore)
    control = ~treated
    weighted = design[control] * odds[control, None]
    gram = weighted.T @ design[control]
    check_invertible(gram, f"{what}: odds-weighted outcome regression among controls")
    coef = np.linalg.solve(gram, weighted.T @ delta_y[control])
    residual = delta_y - design @ coef
    w_treat = keep * d
    w_cont = keep * odds * (1.0 - d)
    summand = (w_treat - w_cont) * residual
    att = summand.mean() / w_treat.mean()
    return att, (summand - w_treat * att) / w_treat.mean()


ESTIMATORS = {
    "reg": regression_did,
    "ipw": ipw_did,
    "dr": doubly_robust_did,
    "dr_improved": improved_doubly_robust_did,
}


def difference_in_means(delta_y: np.ndarray, treated: np.ndarray):
    """Unconditional DiD: what all three estimators reduce to with an intercept only.

    Returns
    -------
    att : float
    influence : ndarray
    """
    n = len(delta_y)
    n_treated = treated.sum()
    mean_treated = delta_y[treated].mean()
    mean_control = delta_y[~treated].mean()
    influence = np.where(
        treated,
        n * (delta_y - mean_treated) / n_treated,
        -n * (delta_y - mean_control) / (n - n_treated),
    )
    return mean_treated - mean_control, influence
