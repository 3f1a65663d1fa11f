"""Callaway & Sant'Anna (2021) group-time average treatment effects, ATT(g, t)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .bootstrap import MultiplierBootstrap, cohort_blocks
from .cells import BASE_PERIODS, CONTROL_GROUPS, GroupTimeCell, plan_cells
from .errors import StaggeredInputError
from .group_time import GroupTimeATT, StaggeredDesign
from .inference import SE_TYPES, infer
from .panel import NEVER_TREATED, BalancedPanel, build_panel, parse_covariates
from .pretest import wald_pretest
from .two_by_two import ESTIMATORS, difference_in_means


def estimate_cells(
    panel: BalancedPanel, cells: Sequence[GroupTimeCell], est_method: str
) -> tuple[np.ndarray, np.ndarray]:
    """ATT and full-sample influence function of every cell.

    Each cell's influence function is computed on its cohort and controls and rescaled
    by ``n / n_cell`` (zero elsewhere), so that every column has the variance
    ``mean(psi ** 2) / n`` over all units, as in R ``did``.
    """
    n_units = panel.n_units
    estimate = np.zeros(len(cells))
    influence = np.zeros((n_units, len(cells)))
    estimator = ESTIMATORS[est_method]
    for column, cell in enumerate(cells):
        if cell.is_reference:
            continue
        treated = panel.cohorts == cell.group
        members = np.flatnonzero(treated | cell.controls)
        delta_y = panel.outcomes[members, cell.current] - panel.outcomes[members, cell.base]
        is_treated = treated[members]
        if panel.covariates is None:
            att, psi = difference_in_means(delta_y, is_treated)
        else:
            covariates = panel.covariates[min(cell.base, cell.current)][members]
            design = np.column_stack([np.ones(len(members)), covariates])
            what = f"ATT(g={cell.group:g}, t={cell.time:g})"
            att, psi = estimator(delta_y, is_treated, design, what)
        estimate[column] = att
        influence[members, column] = psi * (n_units / len(members))
    return estimate, influence


def att_gt(
    data: pd.DataFrame,
    yname: str,
    tname: str,
    idname: str,
    gname: str,
    xformla: str | Sequence[str] | None = None,
    control_group: str = "nevertreated",
    est_method: str = "dr",
    anticipation: float = 0,
    base_period: str = "varying",
    alpha: float = 0.05,
    n_boot: int = 999,
    seed: int | None = None,
    *,
    boot_weights: str = "mammen",
    se_type: str = "bootstrap",
) -> GroupTimeATT:
    """Group-time average treatment effects for staggered adoption, as R ``did::att_gt``.

    Parameters
    ----------
    data : DataFrame
        Balanced panel in long form, one row per unit and period.
    yname, tname, idname, gname : str
        Outcome, period (numeric), unit identifier and first treated period (0 for
        never-treated units) columns.
    xformla : list of str or str, optional
        Covariates (numeric columns), as a list of names or an additive formula such as
        ``"~ lpop"``. Each cell uses their values in the earlier of its two periods.
    control_group : {"nevertreated", "notyettreated"}
        Comparison units.
    est_method : {"dr", "ipw", "reg", "dr_improved"}
        Doubly robust (R ``did``'s ``"dr"``: DRDID ``drdid_panel``, logit score and OLS
        outcome model), normalised inverse probability weighting, outcome regression, or
        the improved doubly robust estimator (DRDID ``drdid_imp_panel``: calibrated
        score, odds-weighted outcome model). Without covariates all give the same
        unconditional DiD.
    anticipation : float
        Periods of anticipation: base periods end ``anticipation`` periods before
        treatment.
    base_period : {"varying", "universal"}
        Pre-treatment cells compare consecutive periods ("varying") or all use the last
        pre-treatment period ("universal", whose own cell is 0 by construction).
    alpha : float
        One minus the confidence level of intervals and band.
    n_boot : int
        Multiplier-bootstrap draws for bootstrap standard errors and the simultaneous
        band; 0 for analytical inference only (no band).
    seed : int, optional
        Seed of the bootstrap weights (recorded in ``result.bootstrap.seed``).
    boot_weights : {"mammen", "rademacher"}
        Multiplier distribution.
    se_type : {"bootstrap", "analytical"}
        Standard errors behind the intervals: bootstrap interquartile-range ones as R
        ``did`` with ``bstrap = TRUE`` (the default) or the analytical influence-function
        ones (always used when ``n_boot = 0``). Both are kept in ``result.inference``.

    Returns
    -------
    GroupTimeATT

    Raises
    ------
    StaggeredInputError
        On unusable input: missing columns or values (naming unit and period), an
        unbalanced panel, no treated or no never-treated units, a cohort without a
        pre-treatment period. ``SingularDesignError`` and ``OverlapError`` (subclasses)
        name the (g, t) cell whose covariate design fails.

    Notes
    -----
    The pre-test of parallel trends uses the cells with ``t < g - anticipation``; R
    ``did`` tests all cells with ``t < g``, which differs only when ``anticipation > 0``
    (anticipation cells may carry effects by assumption).

    Units treated in the first period or earlier are dropped with a warning, and cohorts
    starting after the last period are treated as never treated (warning), as in R
    ``did``. With no never-treated unit the function stops, even with not-yet-treated
    controls: R then silently uses the last cohort as comparison group after dropping
    the periods from its treatment on; recode that cohort to 0 and drop those periods
    explicitly to do the same.
    """
    _check_options(control_group, est_method, anticipation, base_period, alpha, se_type, n_boot)
    covariates = parse_covariates(xformla)
    panel = build_panel(data, yname, tname, idname, gname, covariates)
    if len(panel.treated_cohorts) == 0:
        raise StaggeredInputError(
            f"no treated units: {gname!r} is 0 (never treated) for every unit treated within "
            "the sample"
        )
    if not np.any(panel.cohorts == NEVER_TREATED):
        last = panel.treated_cohorts[-1]
        raise StaggeredInputError(
            f"all units are treated ({gname!r} is never 0), so there is no never-treated "
            f"comparison group (control_group={control_group!r}). To compare with the last "
            f"cohort as R did does, drop periods from {last - anticipation:g} on and recode "
            f"cohort {last:g} to 0."
        )
    cells = plan_cells(panel, control_group, anticipation, base_period)
    estimate, influence = estimate_cells(panel, cells, est_method)
    bootstrap = MultiplierBootstrap.create(n_boot, boot_weights, seed)
    groups = np.array([cell.group for cell in cells])
    inference = infer(
        estimate, influence, bootstrap, se_type, alpha, column_blocks=cohort_blocks(groups)
    )
    times = np.array([cell.time for cell in cells])
    pretest = wald_pretest(estimate, influence, pre=times < groups - anticipation)
    design = StaggeredDesign(
        yname, tname, idname, gname, covariates, control_group, est_method,
        float(anticipation), base_period,
    )
    return GroupTimeATT(
        cells, estimate, influence, inference, pretest, design, bootstrap, panel, alpha
    )


def _check_options(control_group, est_method, anticipation, base_period, alpha, se_type, n_boot):
    if control_group not in CONTROL_GROUPS:
        raise StaggeredInputError(
            f"control_group must be one of {CONTROL_GROUPS}, got {control_group!r}"
        )
    if est_method not in ESTIMATORS:
        raise StaggeredInputError(
            f"est_method must be one of {tuple(ESTIMATORS)}, got {est_method!r}"
        )
    if base_period not in BASE_PERIODS:
        raise StaggeredInputError(f"base_period must be one of {BASE_PERIODS}, got {base_period!r}")
    if not (np.isscalar(anticipation) and np.isfinite(anticipation) and anticipation >= 0):
        raise StaggeredInputError(f"anticipation must be a number >= 0, got {anticipation!r}")
    if not (0.0 < alpha < 1.0):
        raise StaggeredInputError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    if se_type not in SE_TYPES:
        raise StaggeredInputError(f"se_type must be one of {SE_TYPES}, got {se_type!r}")
