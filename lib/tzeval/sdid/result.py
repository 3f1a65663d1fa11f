"""The result of :func:`tzeval.sdid.synthetic_did`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..results import EstimateResult, format_table, tidy_frame
from .variance import SE_DESCRIPTIONS
from .weights import METHOD_NAMES

LISTED_WEIGHTS = 8
SOLVER_DESCRIPTIONS = {
    "synthdid": "synthdid's Frank-Wolfe and stopping rule",
    "converged": "pairwise Frank-Wolfe stopped on a duality gap of (1e-5 noise level)^2",
}


def normal_interval(estimate, std_error, alpha: float):
    """Pointwise normal interval and two-sided p-value of ``estimate / std_error``."""
    estimate = np.asarray(estimate, dtype=float)
    std_error = np.asarray(std_error, dtype=float)
    z = stats.norm.ppf(1.0 - alpha / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = 2.0 * stats.norm.sf(np.abs(estimate / std_error))
    # an effect that is zero in every replication (a pre-period holding all the time
    # weight, under the fixed-weight jackknife) is zero by construction, not significant
    p_value = np.where((std_error == 0.0) & (estimate == 0.0), 1.0, p_value)
    return estimate - z * std_error, estimate + z * std_error, p_value


@dataclass(repr=False)
class SyntheticDiDResult(EstimateResult):
    """Average effect on the treated block, its weights and its per-period effects.

    Attributes
    ----------
    method
        ``"sdid"``, ``"sc"`` or ``"did"``.
    estimate, std_error, conf_low, conf_high, p_value
        The average effect over treated units and post-periods, with its standard error,
        pointwise normal interval at level ``1 - alpha`` and two-sided p-value.
    se_method
        ``"placebo"``, ``"bootstrap"`` or ``"jackknife"``.
    n_reps
        Number of replications behind the standard error (units for the jackknife).
    unit_weights
        ``omega``: weight of each control unit in the synthetic control (sums to one).
    time_weights
        ``lambda``: weight of each pre-period in the baseline (sums to one; all zero for
        ``"sc"``, which has no baseline).
    trajectories
        Per period: ``treated`` (mean of the treated units), ``synthetic_control``
        (``omega``-weighted controls) and ``synthetic_control_shifted`` (moved by the
        ``lambda``-weighted pre-treatment gap, the counterfactual the estimate uses).
    replicate_estimates
        The estimates of the replications.
    noise_level, zeta_omega, zeta_lambda
        ``synthdid``'s noise level ``sigma`` and the ridge scales derived from it.
    solver
        ``"synthdid"`` or ``"converged"``: how the weights were solved for.
    solver_iterations
        How the weight fits stopped: one row per weight problem (``weights``: ``"omega"``
        or ``"lambda"``) and group of fits (``fits``: ``"observed"`` or
        ``"replications"``), with the ``count`` of fits, their ``median_iterations`` and
        ``max_iterations``, how many stopped at the cap ``max_iter`` without meeting the
        solver's stopping rule (``not_converged``). Empty for ``"did"``, which solves
        nothing.
    """

    method: str
    outcome: str
    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    p_value: float
    alpha: float
    se_method: str
    n_reps: int
    unit_weights: pd.Series
    time_weights: pd.Series
    treated_units: pd.Index
    treatment_start: object
    trajectories: pd.DataFrame
    effects_by_period: pd.DataFrame
    replicate_estimates: np.ndarray
    noise_level: float
    zeta_omega: float
    zeta_lambda: float
    solver: str
    solver_iterations: pd.DataFrame

    interval_kind = "pointwise"

    @property
    def method_name(self) -> str:
        return METHOD_NAMES[self.method]

    @property
    def n_post(self) -> int:
        return int(self.effects_by_period["post"].sum())

    def to_frame(self) -> pd.DataFrame:
        """One row: ``method``, ``term`` ("ATT"), then the estimate columns."""
        return tidy_frame(
            {"method": [self.method], "term": ["ATT"]},
            self.estimate,
            self.std_error,
            self.conf_low,
            self.conf_high,
            self.p_value,
        )

    def period_effects(self, post_only: bool = False) -> pd.DataFrame:
        """Effect in each period with pointwise intervals from the same replications.

        Columns ``period``, ``post`` (True after treatment starts), then the estimate
        columns. Before treatment the "effects" are the fit errors of the synthetic
        control around its baseline: a check of pre-treatment fit, not an effect.
        """
        frame = self.effects_by_period
        return frame[frame["post"]].reset_index(drop=True) if post_only else frame.copy()

    def summary(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        omega = self.unit_weights
        lam = self.time_weights
        lines = [
            f"{self.method_name.capitalize()} ('{self.method}', as in R synthdid)",
            f"Outcome: {self.outcome}. Treated: {len(self.treated_units)} unit(s) from "
            f"{self.treatment_start} ({self.n_post} post-period(s)); {omega.size} control units, "
            f"{lam.size} pre-periods.",
            "",
            format_table(self.to_frame()),
            "",
            f"Standard error: {SE_DESCRIPTIONS[self.se_method]}, {self.n_reps} replications.",
            f"Interval: {level} pointwise normal interval (estimate +/- z * SE); "
            "p-value two-sided normal.",
            f"Effective controls 1/sum(omega^2) = {_effective_size(omega):.1f} of {omega.size}"
            + (
                f"; effective pre-periods 1/sum(lambda^2) = {_effective_size(lam):.1f} of {lam.size}."
                if lam.sum() > 0
                else "; no time weights (synthetic control)."
            ),
            f"Largest unit weights: {_top_weights(omega)}",
        ]
        if lam.sum() > 0:
            lines.append(f"Largest time weights: {_top_weights(lam)}")
        if not self.solver_iterations.empty:
            lines.append(self._solver_line())
        return "\n".join(lines)

    def _solver_line(self) -> str:
        table = self.solver_iterations
        total, capped = int(table["count"].sum()), int(table["not_converged"].sum())
        return (
            f"Weights: {SOLVER_DESCRIPTIONS[self.solver]}; {capped} of {total} weight fits "
            f"stopped at the {int(table['max_iter'].max()):,}-iteration cap, the others by the rule."
        )

    def plot(self, kind: str = "trajectories"):
        """A plotly figure.

        Parameters
        ----------
        kind
            ``"trajectories"``: treated and synthetic control outcomes over time, with the
            time weights as bars (as ``synthdid_plot``); ``"effects"``: per-period effects
            with their pointwise intervals.
        """
        from .plotting import effects_figure, trajectories_figure

        if kind == "trajectories":
            return trajectories_figure(self)
        if kind == "effects":
            return effects_figure(self)
        raise ValueError(f"kind must be 'trajectories' or 'effects', got {kind!r}")


def _effective_size(weights: pd.Series) -> float:
    return float(1.0 / np.square(weights.to_numpy()).sum())


def _top_weights(weights: pd.Series) -> str:
    top = weights[weights > 0].sort_values(ascending=False).head(LISTED_WEIGHTS)
    return ", ".join(f"{label} {value:.3f}" for label, value in top.items())
