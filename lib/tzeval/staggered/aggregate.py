"""Aggregations of ATT(g, t) into summary effects, as R ``did::aggte``.

Weights proportional to cohort sizes are estimated, so the aggregated influence functions
include the effect of estimating them (except for the sample ATT, whose cohort sizes are
known: see :mod:`tzeval.staggered.sample_inference`) (Callaway & Sant'Anna 2021, appendix). For a set of
cells ``K`` with cohort shares ``p_k`` summing to ``S`` and aggregate ``theta``, that term
is ``(sum_{k in K, g_k = G_i} att_k - theta * #{k in K : g_k = G_i}) / S`` for unit ``i``
of cohort ``G_i``: the derivative of the weighted mean with respect to the empirical
cohort shares, written per unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..results import EstimateResult, format_table, tidy_frame
from .errors import StaggeredInputError
from .group_time import dispersion_attrs, dispersion_line
from .inference import Inference, infer
from .panel import integral_if_possible
from .plots import effect_figure

AGGREGATIONS = ("simple", "dynamic", "group", "calendar")
KEY_COLUMNS = {"dynamic": "event_time", "group": "group", "calendar": "time"}
TITLES = {
    "simple": "Overall ATT: post-treatment ATT(g, t) weighted by cohort size",
    "dynamic": "Event study: ATT by time since treatment (dynamic aggregation)",
    "group": "ATT by cohort (group aggregation)",
    "calendar": "ATT by calendar period (calendar aggregation)",
}
X_TITLES = {
    "dynamic": "event time (periods since treatment)",
    "group": "cohort (first treated period)",
    "calendar": "period",
}
OVERALL_NAMES = {
    "simple": "weighted average of all post-treatment ATT(g, t)",
    "dynamic": "average of the event-time effects for event times >= 0",
    "group": "cohort effects averaged with cohort-size weights",
    "calendar": "average of the calendar-period effects",
}


@dataclass(frozen=True)
class OverallEffect:
    """One summary effect with its pointwise interval."""

    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    p_value: float
    interval_kind: str = "pointwise"


@dataclass(frozen=True)
class _Cohorts:
    """Cohort coding shared by the aggregations."""

    unit_code: np.ndarray  # cohort index of each unit; never treated -> n_cohorts
    cell_code: np.ndarray  # cohort index of each ATT(g, t) cell
    share: np.ndarray  # P(G = g) among all units, per cohort
    values: np.ndarray
    fixed_weights: bool  # sample ATT: cohort sizes are known, not estimated

    @property
    def n_cohorts(self) -> int:
        return len(self.values)


def _cohorts(result) -> _Cohorts:
    values = np.unique(result.groups)
    unit_code = np.full(len(result.unit_cohorts), len(values))
    for code, cohort in enumerate(values):
        unit_code[result.unit_cohorts == cohort] = code
    share = np.bincount(unit_code, minlength=len(values) + 1)[: len(values)] / len(unit_code)
    fixed = getattr(result, "estimand", "population") == "sample"
    return _Cohorts(unit_code, np.searchsorted(values, result.groups), share, values, fixed)


def share_weighted_average(
    estimate: np.ndarray, influence: np.ndarray, codes: np.ndarray, cohorts: _Cohorts
) -> tuple[float, np.ndarray]:
    """Average of ``estimate`` weighted by cohort shares, and its influence function.

    Parameters
    ----------
    estimate : ndarray
        ``(m,)`` effects to combine.
    influence : ndarray
        ``(n_units, m)`` their influence functions.
    codes : ndarray
        Cohort index of each effect.
    """
    shares = cohorts.share[codes]
    total = shares.sum()
    theta = float(shares @ estimate / total)
    psi = influence @ (shares / total)
    if cohorts.fixed_weights:
        return theta, psi
    size = cohorts.n_cohorts + 1
    att_sum = np.bincount(codes, weights=estimate, minlength=size)
    count = np.bincount(codes, minlength=size)
    psi = psi + (att_sum[cohorts.unit_code] - theta * count[cohorts.unit_code]) / total
    return theta, psi


def _dynamic(result, cohorts, min_e, max_e, balance_e):
    event = result.times - result.groups
    include = np.ones(len(event), dtype=bool)
    keys = np.unique(event)
    if balance_e is not None:
        include = result.times.max() - result.groups >= balance_e
        span = result.times.max() - result.times.min()
        keys = keys[(keys <= balance_e) & (keys >= balance_e - span)]
    keys = keys[(keys >= min_e) & (keys <= max_e)]
    keys = np.array([e for e in keys if np.any((event == e) & include)])
    if len(keys) == 0:
        raise StaggeredInputError(
            f"no event time left with min_e={min_e}, max_e={max_e}, balance_e={balance_e}"
        )
    estimates, influences = [], []
    for e in keys:
        cells = np.flatnonzero((event == e) & include)
        theta, psi = share_weighted_average(
            result.estimate[cells], result.influence[:, cells], cohorts.cell_code[cells], cohorts
        )
        estimates.append(theta)
        influences.append(psi)
    estimates, influences = np.array(estimates), np.column_stack(influences)
    post = keys >= 0
    if not post.any():
        raise StaggeredInputError("no event time >= 0 to average into the overall effect")
    overall = float(estimates[post].mean())
    return keys, estimates, influences, overall, influences[:, post].mean(axis=1), post


def _group(result, cohorts):
    estimates, influences = [], []
    for code in range(cohorts.n_cohorts):
        cells = np.flatnonzero((cohorts.cell_code == code) & result.post)
        estimates.append(result.estimate[cells].mean())
        influences.append(result.influence[:, cells].mean(axis=1))
    estimates, influences = np.array(estimates), np.column_stack(influences)
    overall, overall_psi = share_weighted_average(
        estimates, influences, np.arange(cohorts.n_cohorts), cohorts
    )
    all_post = np.ones(len(estimates), dtype=bool)
    return cohorts.values, estimates, influences, overall, overall_psi, all_post


def _calendar(result, cohorts):
    keys = np.unique(result.times[result.times >= result.groups.min()])
    estimates, influences = [], []
    for period in keys:
        cells = np.flatnonzero((result.times == period) & (result.groups <= result.times))
        theta, psi = share_weighted_average(
            result.estimate[cells], result.influence[:, cells], cohorts.cell_code[cells], cohorts
        )
        estimates.append(theta)
        influences.append(psi)
    estimates, influences = np.array(estimates), np.column_stack(influences)
    overall, overall_psi = float(estimates.mean()), influences.mean(axis=1)
    return keys, estimates, influences, overall, overall_psi, np.ones(len(keys), dtype=bool)


def aggregate_group_time(result, kind: str, min_e=-np.inf, max_e=np.inf, balance_e=None):
    """Aggregate a :class:`~tzeval.staggered.GroupTimeATT`; see its ``aggregate`` method."""
    if kind not in AGGREGATIONS:
        raise StaggeredInputError(f"kind must be one of {AGGREGATIONS}, got {kind!r}")
    if kind != "dynamic" and (balance_e is not None or np.isfinite(min_e) or np.isfinite(max_e)):
        raise StaggeredInputError("min_e, max_e and balance_e apply to kind='dynamic' only")
    cohorts = _cohorts(result)
    settings = (result.bootstrap, result.inference.se_type, result.alpha)
    if kind == "simple":
        cells = np.flatnonzero(result.post)
        overall, overall_psi = share_weighted_average(
            result.estimate[cells], result.influence[:, cells], cohorts.cell_code[cells], cohorts
        )
        keys = table_inference = table_psi = post = None
    else:
        if kind == "dynamic":
            parts = _dynamic(result, cohorts, min_e, max_e, balance_e)
        elif kind == "group":
            parts = _group(result, cohorts)
        else:
            parts = _calendar(result, cohorts)
        keys, estimates, table_psi, overall, overall_psi, post = parts
        table_inference = infer(estimates, table_psi, *settings)
    overall_inference = infer(np.array([overall]), overall_psi[:, None], *settings)
    return AggregatedATT(
        kind, keys, table_inference, table_psi, post, overall_inference, overall_psi, result
    )


class AggregatedATT(EstimateResult):
    """An aggregation of group-time effects: a table (except ``"simple"``) and ``overall``.

    ``to_frame()`` gives the per-key table (``event_time``, ``group`` or ``time``) with
    pointwise intervals, ``to_frame("simultaneous")`` with the sup-t band; for
    ``"simple"`` it is the single overall row. ``overall`` always carries a pointwise
    interval.
    """

    interval_kind = "pointwise"

    def __init__(
        self, kind, keys, inference, influence, post, overall_inference, overall_influence, source
    ):
        self.kind = kind
        self.keys = keys
        self.inference: Inference | None = inference
        self.influence = influence
        self.post = post
        self.overall_inference: Inference = overall_inference
        self.overall_influence = overall_influence
        self.design = source.design
        self.bootstrap = source.bootstrap
        self.alpha = source.alpha
        self.estimand = getattr(source, "estimand", "population")
        for name, value in dispersion_attrs(source).items():
            setattr(self, name, value)
        low, high = overall_inference.interval("pointwise")
        self.overall = OverallEffect(
            float(overall_inference.estimate[0]),
            float(overall_inference.std_error[0]),
            float(low[0]),
            float(high[0]),
            float(overall_inference.p_value[0]),
        )

    @property
    def key_column(self) -> str | None:
        return KEY_COLUMNS.get(self.kind)

    def to_frame(self, interval: str = "pointwise") -> pd.DataFrame:
        """Tidy table: key column, then estimate, std_error, conf_low, conf_high, p_value.

        Parameters
        ----------
        interval : {"pointwise", "simultaneous"}
        """
        if interval not in ("pointwise", "simultaneous"):
            raise ValueError(f"interval must be 'pointwise' or 'simultaneous', got {interval!r}")
        if self.inference is None:
            if interval != "pointwise":
                raise ValueError("the simple aggregation has a single pointwise interval")
            o = self.overall
            frame = tidy_frame({}, o.estimate, o.std_error, o.conf_low, o.conf_high, o.p_value)
        else:
            if interval == "simultaneous" and not self.inference.has_simultaneous:
                raise ValueError("no simultaneous band: att_gt ran without bootstrap (n_boot=0)")
            low, high = self.inference.interval(interval)
            frame = tidy_frame(
                {self.key_column: integral_if_possible(self.keys)},
                self.inference.estimate,
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

    def summary(self) -> str:
        level = self.confidence_level
        o = self.overall
        se_type = self.overall_inference.se_type
        lines = [
            TITLES[self.kind],
            f"Callaway & Sant'Anna (2021) aggregation of ATT(g, t); est_method "
            f"{self.design.est_method}, control group {self.design.control_group}",
            f"Overall ({OVERALL_NAMES[self.kind]}): {o.estimate:.4f} (SE {o.std_error:.4f}), "
            f"pointwise {level:.0%} interval [{o.conf_low:.4f}, {o.conf_high:.4f}], "
            f"p = {o.p_value:.4f}",
        ]
        if self.inference is not None:
            table = self.to_frame("pointwise").drop(columns="p_value")
            table = table.rename(columns={"conf_low": "pw_low", "conf_high": "pw_high"})
            if self.inference.has_simultaneous:
                table["band_low"], table["band_high"] = self.inference.interval("simultaneous")
            lines += ["", format_table(table), ""]
            lines.append(
                f"pw_low/pw_high: pointwise {level:.0%} intervals (critical value "
                f"{self.inference.pointwise_critical_value:.3f})"
            )
            if self.inference.has_simultaneous:
                lines.append(
                    f"band_low/band_high: simultaneous {level:.0%} band, sup-t multiplier "
                    f"bootstrap critical value {self.inference.simultaneous_critical_value:.3f}"
                )
        if se_type == "bootstrap":
            source = (
                f"multiplier bootstrap, {self.bootstrap.n_boot} {self.bootstrap.weights} draws "
                "clustered by unit"
            )
        else:
            source = "influence functions"
        if self.estimand == "sample":
            target = (
                "intervals for the average effect in these treated units, given them; their "
                "noise imputed from the never-treated units; cohort sizes taken as known"
            )
        else:
            target = (
                "intervals for the population ATT; the influence functions include the "
                "estimation of the cohort-size weights"
            )
        lines.append(f"Standard errors: {se_type} ({source}); {target}")
        if self.estimand == "sample":
            lines.append(dispersion_line(self))
        return "\n".join(lines)

    def plot(self):
        """Effects with pointwise intervals and the simultaneous band (event-study plot for
        ``"dynamic"``)."""
        if self.inference is None:
            o = self.overall
            return effect_figure(
                np.array(["overall"]),
                np.array([o.estimate]),
                (np.array([o.conf_low]), np.array([o.conf_high])),
                None,
                np.array([True]),
                self.confidence_level,
                "",
                TITLES["simple"],
            )
        band = self.inference.interval("simultaneous") if self.inference.has_simultaneous else None
        return effect_figure(
            np.asarray(self.keys),
            self.inference.estimate,
            self.inference.interval("pointwise"),
            band,
            np.asarray(self.post),
            self.confidence_level,
            X_TITLES[self.kind],
            TITLES[self.kind],
        )
