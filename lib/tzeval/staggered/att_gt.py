"""Callaway & Sant'Anna (2021) group-time average treatment effects, ATT(g, t)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..results import EstimateResult, format_table, tidy_frame
from .bootstrap import MultiplierBootstrap
from .cells import BASE_PERIODS, CONTROL_GROUPS, GroupTimeCell, plan_cells
from .errors import StaggeredInputError
from .inference import SE_TYPES, Inference, infer
from .panel import (
    NEVER_TREATED,
    BalancedPanel,
    build_panel,
    integral_if_possible,
    parse_covariates,
)
from .plots import cohort_panels_figure
from .pretest import PreTrendTest, wald_pretest
from .two_by_two import ESTIMATORS, difference_in_means

METHOD_NAMES = {
    "dr": "doubly robust (Sant'Anna & Zhao 2020, locally efficient, as R did/DRDID drdid_panel)",
    "ipw": "normalised inverse probability weighting (Abadie 2005)",
    "reg": "outcome regression (Heckman, Ichimura & Todd 1997)",
    "dr_improved": "improved doubly robust (Sant'Anna & Zhao 2020, DRDID drdid_imp_panel)",
}
INTERVALS = ("pointwise", "simultaneous")


@dataclass(frozen=True)
class StaggeredDesign:
    """The options att_gt ran with, kept for summaries and aggregations."""

    yname: str
    tname: str
    idname: str
    gname: str
    covariates: tuple[str, ...]
    control_group: str
    est_method: str
    anticipation: float
    base_period: str


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


class GroupTimeATT(EstimateResult):
    """Group-time average treatment effects with their influence functions.

    ``to_frame()`` gives one row per (group, time) cell with pointwise intervals;
    ``to_frame("simultaneous")`` the simultaneous (sup-t) band instead. The table's
    ``attrs["interval_kind"]`` records which.

    Attributes
    ----------
    groups, times : ndarray
        Cohort (first treated period) and period of each cell.
    post : ndarray of bool
        ``time >= group``.
    estimate : ndarray
    influence : ndarray
        ``(n_units, n_cells)`` influence functions (units in ``unit_ids`` order).
    inference : Inference
        Standard errors, critical values and p-values.
    pretest : PreTrendTest
        Wald test that all pre-treatment ATT(g, t) are zero.
    design : StaggeredDesign
    bootstrap : MultiplierBootstrap
    unit_ids, unit_cohorts, periods : ndarray
    dropped_units : ndarray
        Units removed because treated from the first period on.
    """

    interval_kind = "pointwise"

    def __init__(
        self,
        cells: Sequence[GroupTimeCell],
        estimate: np.ndarray,
        influence: np.ndarray,
        inference: Inference,
        pretest: PreTrendTest,
        design: StaggeredDesign,
        bootstrap: MultiplierBootstrap,
        panel: BalancedPanel,
        alpha: float,
    ):
        self.groups = np.array([cell.group for cell in cells])
        self.times = np.array([cell.time for cell in cells])
        self.post = np.array([cell.post for cell in cells])
        self.base_times = panel.periods[[cell.base for cell in cells]]
        self.estimate = estimate
        self.influence = influence
        self.inference = inference
        self.pretest = pretest
        self.design = design
        self.bootstrap = bootstrap
        self.unit_ids = panel.unit_ids
        self.unit_cohorts = panel.cohorts
        self.periods = panel.periods
        self.dropped_units = panel.dropped_units
        self.alpha = alpha

    @property
    def n_units(self) -> int:
        return self.influence.shape[0]

    @property
    def std_error(self) -> np.ndarray:
        return self.inference.std_error

    def to_frame(self, interval: str = "pointwise") -> pd.DataFrame:
        """Tidy table: group, time, estimate, std_error, conf_low, conf_high, p_value.

        Parameters
        ----------
        interval : {"pointwise", "simultaneous"}
            Which interval fills ``conf_low`` / ``conf_high``.
        """
        low, high = self._interval(interval)
        frame = tidy_frame(
            {"group": integral_if_possible(self.groups), "time": integral_if_possible(self.times)},
            self.estimate,
            self.inference.std_error,
            low,
            high,
            self.inference.p_value,
        )
        frame.attrs["interval_kind"] = interval
        frame.attrs["confidence_level"] = self.confidence_level
        return frame

    def _interval(self, interval: str) -> tuple[np.ndarray, np.ndarray]:
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {INTERVALS}, got {interval!r}")
        if interval == "simultaneous" and not self.inference.has_simultaneous:
            raise ValueError("no simultaneous band: att_gt ran without bootstrap (n_boot=0)")
        return self.inference.interval(interval)

    def aggregate(
        self,
        kind: str = "group",
        min_e: float = -np.inf,
        max_e: float = np.inf,
        balance_e: float | None = None,
    ):
        """Aggregate the ATT(g, t) as R ``did::aggte``.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group", "calendar"}
            Overall average of post-treatment cells weighted by cohort size; event-study
            by time since treatment; by cohort; by calendar period.
        min_e, max_e : float
            Event times kept (``"dynamic"`` only).
        balance_e : float, optional
            Keep only cohorts observed for ``balance_e`` periods after treatment
            (``"dynamic"`` only).

        Returns
        -------
        AggregatedATT
        """
        from .aggregate import aggregate_group_time

        return aggregate_group_time(self, kind, min_e=min_e, max_e=max_e, balance_e=balance_e)

    def _settings_lines(self) -> list[str]:
        design = self.design
        control = "never-treated units" if design.control_group == "nevertreated" else (
            "never-treated and not-yet-treated units"
        )
        covariates = ", ".join(design.covariates) if design.covariates else "none"
        return [
            f"Estimation: {METHOD_NAMES[design.est_method]}; covariates: {covariates}",
            f"Comparison group: {control}; base period: {design.base_period}; "
            f"anticipation: {design.anticipation:g} period(s)",
            f"Units: {self.n_units} ({len(np.unique(self.groups))} treated cohorts, "
            f"{int(np.sum(self.unit_cohorts == NEVER_TREATED))} never treated); "
            f"periods: {len(self.periods)}",
        ]

    def _interval_lines(self) -> list[str]:
        inference, level = self.inference, self.confidence_level
        lines = [
            f"Standard errors: {inference.se_type}"
            + (
                f" (multiplier bootstrap, {self.bootstrap.n_boot} {self.bootstrap.weights} "
                "draws clustered by unit)"
                if inference.se_type == "bootstrap"
                else " (influence functions)"
            ),
            f"conf_low/conf_high: pointwise {level:.0%} intervals "
            f"(critical value {inference.pointwise_critical_value:.3f})",
        ]
        if inference.has_simultaneous:
            lines.append(
                f"Simultaneous {level:.0%} band (to_frame('simultaneous')): sup-t multiplier "
                f"bootstrap critical value {inference.simultaneous_critical_value:.3f}"
            )
        return lines

    def summary(self) -> str:
        pointwise = self.to_frame("pointwise")
        table = pointwise.drop(columns="p_value")
        table = table.rename(columns={"conf_low": "pw_low", "conf_high": "pw_high"})
        if self.inference.has_simultaneous:
            low, high = self.inference.interval("simultaneous")
            table["band_low"], table["band_high"] = low, high
        pretest = self.pretest
        pretest_line = (
            f"P-value for pre-test of parallel trends (Wald, {pretest.df} pre-treatment cells): "
            f"{pretest.p_value:.5f} (statistic {pretest.statistic:.3f})"
            if np.isfinite(pretest.p_value)
            else f"Pre-test of parallel trends not available: {pretest.note}"
        )
        lines = [
            "Group-time average treatment effects, ATT(g, t) (Callaway & Sant'Anna 2021)",
            *self._settings_lines(),
            "",
            format_table(table),
            "",
            *self._interval_lines(),
            pretest_line,
        ]
        if len(self.dropped_units):
            lines.append(
                f"Dropped {len(self.dropped_units)} units treated from the first period on."
            )
        return "\n".join(lines)

    def plot(self):
        """One panel per cohort: ATT(g, t) with pointwise intervals and simultaneous band."""
        band = self.inference.interval("simultaneous") if self.inference.has_simultaneous else None
        return cohort_panels_figure(
            self.groups,
            self.times,
            self.estimate,
            self.inference.interval("pointwise"),
            band,
            self.post,
            self.confidence_level,
            title="Group-time average treatment effects ATT(g, t)",
        )


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
    inference = infer(estimate, influence, bootstrap, se_type, alpha)
    groups = np.array([cell.group for cell in cells])
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
