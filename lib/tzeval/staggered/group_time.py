"""The result of :func:`~tzeval.staggered.att_gt`: group-time effects and their uncertainty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..results import EstimateResult, format_table, tidy_frame
from .bootstrap import MultiplierBootstrap
from .cells import GroupTimeCell
from .inference import Inference
from .panel import NEVER_TREATED, BalancedPanel, integral_if_possible
from .plots import cohort_panels_figure
from .pretest import PreTrendTest

METHOD_NAMES = {
    "dr": "doubly robust (Sant'Anna & Zhao 2020, locally efficient, as R did/DRDID drdid_panel)",
    "ipw": "normalised inverse probability weighting (Abadie 2005)",
    "reg": "outcome regression (Heckman, Ichimura & Todd 1997)",
    "dr_improved": "improved doubly robust (Sant'Anna & Zhao 2020, DRDID drdid_imp_panel)",
}
INTERVALS = ("pointwise", "simultaneous")


def dispersion_attrs(result) -> dict:
    """The sample-ATT dispersion choice of ``result`` for ``to_frame().attrs`` (empty for
    the population ATT)."""
    if getattr(result, "estimand", "population") != "sample":
        return {}
    return {name: getattr(result, name, None) for name in
            ("dispersion", "dispersion_ratio", "dispersion_bound", "dispersion_scale")}


def dispersion_line(result) -> str:
    """One sentence: was the imputed treated noise widened, by how much, and why."""
    attrs = dispersion_attrs(result)
    ratio, bound, scale = attrs["dispersion_ratio"], attrs["dispersion_bound"], attrs["dispersion_scale"]
    measured = (
        f"pre-treatment dispersion ratio of the treated units {ratio:.2f}, 95% upper bound {bound:.2f}"
        if ratio is not None and np.isfinite(ratio)
        else "no pre-treatment cell to measure the treated units' dispersion"
    )
    if attrs["dispersion"] == "adaptive":
        if scale > 1:
            return (f"Imputed treated noise widened: variance multiplied by {scale:.2f}, the upper "
                    f"bound of their pre-treatment dispersion ratio (dispersion='adaptive'; {measured})")
        return (f"Imputed treated noise not widened: the upper bound of their pre-treatment "
                f"dispersion ratio is at most 1 (dispersion='adaptive'; {measured})")
    return f"Imputed treated noise assumed as dispersed as the comparisons' (dispersion='assume_equal'; {measured})"


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
        ``(n_units, n_cells)`` influence functions (units in ``unit_ids`` order); with
        ``estimand="sample"``, pseudo influence functions whose rows are not units (see
        :mod:`tzeval.staggered.sample_inference`).
    estimand : {"population", "sample"}
        What the intervals are for: the population ATT as in R ``did`` (default), or the
        average effect in these treated units (:meth:`with_sample_inference`).
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
        self.estimand = "population"

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    def with_sample_inference(self, noise_variance=None, dispersion: str = "assume_equal") -> GroupTimeATT:
        """The same effects with intervals for the average effect in these treated units.

        The default intervals, as R ``did``'s, are for the population ATT: they count the
        spread of the treated units' own effects as uncertainty. Given the treated units,
        only the noise of their outcomes matters; it is imputed from the never-treated
        units' outcome changes (Conley & Taber 2011). Needs ``control_group="nevertreated"``
        and no covariates. Aggregations of the returned result weight cohorts by their
        observed sizes, without a term for estimating the weights. Check the imputation
        with :meth:`noise_dispersion_check`.

        Parameters
        ----------
        noise_variance : Series or array, optional
            Relative noise variance of each unit (by unit id, or in ``unit_ids`` order),
            e.g. ``1 / population`` for a rate: cohorts of larger units then get less
            imputed noise (Ferman & Pinto 2019). Default: every unit alike.
        dispersion : {"assume_equal", "adaptive"}
            ``"assume_equal"`` (default here, the published Conley-Taber imputation):
            the treated units' noise follows the comparison units' law. ``"adaptive"``
            (the default of :func:`tzeval.pooled_effects`): their imputed noise is
            multiplied by ``max(1, U)``, ``U`` a 95% upper confidence bound of their
            pre-treatment dispersion ratio, so the intervals widen when the treated units
            look noisier before treatment, and are never narrower than with
            ``"assume_equal"``. See :mod:`tzeval.staggered.sample_inference`.

        Returns
        -------
        GroupTimeATT
            Same estimates; ``estimand == "sample"``; new intervals, band and pre-test;
            ``dispersion``, ``dispersion_ratio`` (``R``), ``dispersion_bound`` (``U``)
            and ``dispersion_scale`` (the factor applied) record the choice.
        """
        from .sample_inference import with_sample_inference

        return with_sample_inference(self, noise_variance, dispersion=dispersion)

    def noise_dispersion_check(self, noise_variance=None) -> pd.DataFrame:
        """Per cohort, treated units' pre-treatment noise over the imputed noise.

        See :func:`tzeval.staggered.sample_inference.noise_dispersion_check`; a result of
        :meth:`with_sample_inference` uses its own ``noise_variance``.
        """
        from .sample_inference import noise_dispersion_check

        return noise_dispersion_check(self, noise_variance)

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
        frame.attrs["estimand"] = self.estimand
        frame.attrs.update(dispersion_attrs(self))
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
            f"pw_low/pw_high: pointwise {level:.0%} intervals (to_frame()'s conf_low/conf_high, "
            f"critical value {inference.pointwise_critical_value:.3f})",
        ]
        if self.estimand == "sample":
            lines.append(
                "Intervals for the average effect in these treated units (sample ATT): their "
                "noise imputed from the never-treated units (with_sample_inference)"
            )
            lines.append(dispersion_line(self))
        else:
            lines.append("Intervals for the population ATT (as R did)")
        if inference.has_simultaneous:
            lines.append(
                f"band_low/band_high: simultaneous {level:.0%} band (to_frame('simultaneous')), "
                f"sup-t multiplier bootstrap critical value "
                f"{inference.simultaneous_critical_value:.3f}"
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
