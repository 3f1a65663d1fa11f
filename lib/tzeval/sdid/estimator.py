"""``synthetic_did``: synthetic difference-in-differences and its two relatives."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..did_names import accepts_did_names
from ..results import tidy_frame
from .effects import average_effect, period_effects
from .errors import SyntheticDiDError
from .panel import BlockPanel, block_panel_from_long
from .result import SyntheticDiDResult, normal_interval
from .samples import observed_sample
from .variance import (
    check_jackknife_weights,
    check_se_method,
    default_se_method,
    replicate_effects,
    replication_std_error,
)
from .weights import METHODS, SOLVERS, SampleWeights, fit_weights, regularisation

ITERATION_COLUMNS = ["weights", "fits", "count", "median_iterations", "max_iterations", "not_converged", "max_iter"]


@accepts_did_names
def synthetic_did(
    data: pd.DataFrame,
    unit: str,
    time: str,
    outcome: str,
    treated: str,
    method: str = "sdid",
    se_method: str | None = None,
    n_reps: int = 200,
    alpha: float = 0.05,
    seed: int | np.random.Generator | None = None,
    solver: str = "synthdid",
) -> SyntheticDiDResult:
    """Synthetic difference-in-differences (Arkhangelsky et al. 2021) on a block design.

    Computes what R ``synthdid`` computes: ``synthdid_estimate`` (``method="sdid"``),
    ``sc_estimate`` (``"sc"``) or ``did_estimate`` (``"did"``) with their default
    regularisation and Frank–Wolfe solver, and the standard errors of its ``vcov``.

    Parameters
    ----------
    data
        Long panel: one row per unit and period, balanced, no missing outcome.
    unit, time, outcome
        Columns of the unit identifier, the period (any orderable values) and the
        numeric outcome. R ``did``'s ``idname``, ``tname`` and ``yname`` are accepted
        as keyword synonyms.
    treated
        Column of 0/1 (or bool) marking treated unit-periods. Treated units must all
        start in the same period, after at least one untreated period, and stay treated.
    method
        ``"sdid"`` (unit and time weights), ``"sc"`` (synthetic control: unit weights
        without intercept, no time weights) or ``"did"`` (uniform weights).
    se_method
        ``"placebo"``, ``"placebo_studentised"``, ``"bootstrap"`` or ``"jackknife"``.
        Default: ``"placebo"`` with one treated unit, ``"bootstrap"`` with several.
        Bootstrap and jackknife need several treated units; placebo needs more controls
        than treated units. ``"placebo_studentised"`` (one treated unit; not in R
        ``synthdid``) rescales each placebo effect from its pseudo-treated unit's
        pre-period noise to the treated unit's (:mod:`tzeval.sdid.variance`).
    n_reps
        Placebo or bootstrap replications (ignored by the jackknife).
    alpha
        The interval has level ``1 - alpha``.
    seed
        Seed or generator for the placebo and bootstrap draws.
    solver
        How the weights are solved for, in the fit and in every replication.
        ``"synthdid"``: R ``synthdid``'s Frank–Wolfe, stopping rule and 10,000-iteration
        cap, which reproduces R's numbers, also where R stops at the cap without meeting
        its rule (its Prop 99 estimate is its 10,000th iterate). ``"converged"``: pairwise
        Frank–Wolfe until the objective is certified within ``(1e-5 sigma)^2`` of its
        minimum (``sigma`` the noise level), usually in a few hundred iterations: the
        weights are the minimiser's, not the cap's, and a fit costs a fraction of
        ``synthdid``'s where the latter runs to its cap. ``result.solver_iterations`` says
        how each stopped.

    Returns
    -------
    SyntheticDiDResult
        Estimate, standard error, pointwise normal interval, weights, trajectories and
        per-period effects.

    Raises
    ------
    SyntheticDiDError
        (a ``ValueError``) for data that are not a balanced block design, or options that
        do not apply; the message names the column, unit or period at fault.

    Examples
    --------
    >>> smoking = pd.read_csv("tests/data/smoking.csv")
    >>> smoking["treated"] = (smoking.state == "California") & (smoking.year >= 1989)
    >>> fit = synthetic_did(smoking, "state", "year", "cigsale", "treated", seed=1)
    >>> round(fit.estimate, 2)
    -15.6
    """
    if method not in METHODS:
        raise SyntheticDiDError(f"method must be one of {METHODS}, got {method!r}")
    if solver not in SOLVERS:
        raise SyntheticDiDError(f"solver must be one of {SOLVERS}, got {solver!r}")
    _check_options(n_reps, alpha)
    panel = block_panel_from_long(data, unit, time, outcome, treated)
    se_method = default_se_method(panel) if se_method is None else se_method
    check_se_method(panel, se_method)
    tuning = regularisation(panel, method)
    sample = observed_sample(panel)
    weights = fit_weights(panel, method, tuning, sample, solver=solver)
    effects = period_effects(panel, sample, weights)[0]
    estimate = float(average_effect(effects[None, :], panel.n_pre)[0])

    if se_method == "jackknife":
        check_jackknife_weights(panel, weights)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    replicates, replicate_weights = replicate_effects(
        panel, method, tuning, weights, se_method, n_reps, rng, solver
    )
    replicate_estimates = average_effect(replicates, panel.n_pre)
    std_error = float(replication_std_error(replicate_estimates[:, None], se_method)[0])
    conf_low, conf_high, p_value = normal_interval(estimate, std_error, alpha)

    return SyntheticDiDResult(
        method=method,
        outcome=outcome,
        estimate=estimate,
        std_error=std_error,
        conf_low=float(conf_low),
        conf_high=float(conf_high),
        p_value=float(p_value),
        alpha=alpha,
        se_method=se_method,
        n_reps=replicates.shape[0],
        unit_weights=pd.Series(weights.omega[0], index=panel.control_units, name="omega"),
        time_weights=pd.Series(weights.lam[0], index=panel.pre_periods, name="lambda"),
        treated_units=panel.treated_units,
        treatment_start=panel.treatment_start,
        trajectories=_trajectories(panel, weights),
        effects_by_period=_effects_table(panel, effects, replicates, se_method, alpha),
        replicate_estimates=replicate_estimates,
        noise_level=tuning.noise_level,
        zeta_omega=tuning.zeta_omega,
        zeta_lambda=tuning.zeta_lambda,
        solver=solver,
        solver_iterations=_solver_iterations(weights, replicate_weights),
    )


def _check_options(n_reps, alpha) -> None:
    if isinstance(n_reps, bool) or not isinstance(n_reps, numbers.Integral) or n_reps < 2:
        raise SyntheticDiDError(f"n_reps must be an integer of at least 2, got {n_reps!r}")
    if not (isinstance(alpha, numbers.Real) and 0.0 < alpha < 1.0):
        raise SyntheticDiDError(f"alpha must be strictly between 0 and 1, got {alpha!r}")


def _solver_iterations(observed: SampleWeights, replicated: SampleWeights | None) -> pd.DataFrame:
    """One row per weight problem (``omega``, ``lambda``) and group of fits (the observed
    fit, the replications) that the solver ran on."""
    rows = []
    for fits, weights in (("observed", observed), ("replications", replicated)):
        if weights is None:
            continue
        for name, convergence in (("omega", weights.omega_convergence), ("lambda", weights.lambda_convergence)):
            if convergence is None:
                continue
            rows.append(
                {
                    "weights": name,
                    "fits": fits,
                    "count": convergence.iterations.size,
                    "median_iterations": float(np.median(convergence.iterations)),
                    "max_iterations": int(convergence.iterations.max()),
                    "not_converged": int(np.count_nonzero(~convergence.converged)),
                    "max_iter": convergence.max_iter,
                }
            )
    return pd.DataFrame(rows, columns=ITERATION_COLUMNS)


def _trajectories(panel: BlockPanel, weights: SampleWeights) -> pd.DataFrame:
    treated = panel.outcomes[panel.n_control :].mean(axis=0)
    synthetic = weights.omega[0] @ panel.outcomes[: panel.n_control]
    pre_gap = (treated - synthetic)[: panel.n_pre] @ weights.lam[0]
    return pd.DataFrame(
        {
            "period": panel.periods,
            "treated": treated,
            "synthetic_control": synthetic,
            "synthetic_control_shifted": synthetic + pre_gap,
        }
    )


def _effects_table(
    panel: BlockPanel, effects: np.ndarray, replicates: np.ndarray, se_method: str, alpha: float
) -> pd.DataFrame:
    std_error = replication_std_error(replicates, se_method)
    conf_low, conf_high, p_value = normal_interval(effects, std_error, alpha)
    post = np.arange(panel.n_periods) >= panel.n_pre
    return tidy_frame(
        {"period": np.asarray(panel.periods), "post": post},
        effects, std_error, conf_low, conf_high, p_value,
    )
