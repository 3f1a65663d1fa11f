"""The result of :func:`tzeval.synth.synthetic_control`: tables, summary and figure."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..results import EstimateResult, format_table, tidy_frame
from .conformal import ConformalIntervals
from .dataprep import format_period
from .errors import SyntheticControlInputError
from .placebo import placebo_p_value

METHOD_LABEL = "synthetic control (Abadie, Diamond & Hainmueller 2010)"


@dataclass(repr=False)
class SyntheticControlResult(EstimateResult):
    """A synthetic control with placebo-in-space and conformal inference.

    Attributes
    ----------
    treated_unit, treatment_time, outcome
        What was estimated.
    weights : Series
        Donor weights (index: donor), summing to one.
    v_weights : Series
        Predictor weights (index: predictor label), summing to one.
    v_identified : bool
        False when the predictor weights play no role (no predictors, or the treated
        unit's predictors are matched exactly, so that every V gives the same weights).
    gaps : DataFrame
        ``period, treated, synthetic, gap`` for every period.
    att : float
        Mean post-treatment gap.
    pre_rmspe, post_rmspe : float
        Root mean squared gap before and from the treatment on.
    fit_rmspe : float
        Root mean squared gap over the fit periods (the V search's loss).
    balance : DataFrame
        ``predictor, treated, synthetic, donor_mean, v_weight`` (unscaled predictors).
    placebos : DataFrame or None
        ``unit, pre_rmspe, post_rmspe, rmspe_ratio, kept`` per placebo unit.
    placebo_gaps : DataFrame or None
        Placebo gaps by period (rows) and unit (columns).
    p_value : float or None
        Placebo-in-space p-value of the post/pre RMSPE ratio (``None`` without placebos).
    rmspe_ratio : float
        The treated unit's post/pre RMSPE ratio.
    conformal : ConformalIntervals or None
        Conformal intervals (``None`` when not requested).
    timings : dict
        Seconds spent fitting, in placebos and in conformal inference.
    """

    treated_unit: object
    treatment_time: object
    outcome: str
    weights: pd.Series
    v_weights: pd.Series
    v_identified: bool
    gaps: pd.DataFrame
    att: float
    pre_rmspe: float
    post_rmspe: float
    fit_rmspe: float
    balance: pd.DataFrame
    placebos: pd.DataFrame | None
    placebo_gaps: pd.DataFrame | None
    p_value: float | None
    rmspe_ratio: float
    conformal: ConformalIntervals | None
    alpha: float = 0.05
    drop_placebos_mspe_ratio: float | None = None
    timings: dict = field(default_factory=dict)
    interval_kind: str = "conformal"

    def placebo_test(self, mspe_ratio: float | None = None) -> float:
        """Recompute the placebo p-value leaving out placebos with a poor pre-treatment fit.

        Parameters
        ----------
        mspe_ratio : float, optional
            Keep placebos whose pre-treatment MSPE is at most this multiple of the treated
            unit's (Abadie et al. use 20, 5 and 2); ``None`` keeps all.
        """
        if self.placebos is None:
            raise SyntheticControlInputError(
                "No placebos were run; call synthetic_control(..., placebo=True)."
            )
        p_value, _ = placebo_p_value(self.rmspe_ratio, self.pre_rmspe, self.placebos, mspe_ratio)
        return p_value

    def _post(self) -> pd.DataFrame:
        return self.gaps.loc[self.gaps["period"] >= self.treatment_time]

    def to_frame(self) -> pd.DataFrame:
        """One row per post-treatment period, then the average effect.

        ``estimate`` is the gap (treated minus synthetic); ``conf_low``/``conf_high`` are
        conformal intervals and ``p_value`` the conformal p-value of a zero effect (per
        period; for the average row, of a zero constant effect). ``std_error`` is not
        estimated. The placebo p-value of the RMSPE ratio is :attr:`p_value`.
        """
        post = self._post()
        n_post = len(post)
        periods = list(post["period"]) + [None]
        keys = {"term": ["period"] * n_post + ["average"], "period": pd.Series(periods).to_numpy()}
        estimates = np.append(post["gap"].to_numpy(), self.att)
        if self.conformal is None:
            return tidy_frame(keys, estimates)
        c = self.conformal
        return tidy_frame(
            keys,
            estimates,
            conf_low=np.append(c.conf_low, c.average_low),
            conf_high=np.append(c.conf_high, c.average_high),
            p_value=np.append(c.p_value, c.average_p_value),
        )

    def summary(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        weights = self.weights[self.weights > 5e-4].sort_values(ascending=False)
        lines = [
            f"Method: {METHOD_LABEL}",
            f"Treated unit: {self.treated_unit!r}; treatment from {format_period(self.treatment_time)}; "
            f"outcome '{self.outcome}'.",
            f"Pre-treatment RMSPE {self.pre_rmspe:.4f} (fit periods {self.fit_rmspe:.4f}); "
            f"post-treatment RMSPE {self.post_rmspe:.4f}; ratio {self.rmspe_ratio:.3f}.",
            f"Average effect over post-treatment periods (ATT): {self.att:.4f}.",
            "",
            "Donor weights (above 0.0005):",
            format_table(weights.rename("weight").rename_axis("donor").reset_index()),
            "",
        ]
        if len(self.v_weights):
            note = "" if self.v_identified else (
                " (not identified: the predictors are matched exactly, any V gives these weights)"
            )
            lines += ["Predictor balance and weights V" + note + ":", format_table(self.balance), ""]
        if self.p_value is not None:
            kept = int(self.placebos["kept"].sum())
            rule = (
                "all placebos"
                if self.drop_placebos_mspe_ratio is None
                else f"placebos with pre-MSPE <= {self.drop_placebos_mspe_ratio:g} x the treated unit's"
            )
            lines.append(
                f"Placebo-in-space permutation test (post/pre RMSPE ratio, {rule}, "
                f"{kept} placebos): p = {self.p_value:.4f}."
            )
        if self.conformal is not None:
            c = self.conformal
            lines += [
                f"Intervals: conformal (Chernozhukov, Wuthrich & Zhu 2021), {level} level, "
                f"{c.settings.permutation.replace('_', '-')} permutations; per period and for a "
                "constant average effect. p_value: conformal test of a zero effect.",
                f"Conformal test of no effect in any post-treatment period: p = {c.joint_p_value:.4f}.",
            ]
            for what, smallest in (
                ("per-period", c.smallest_p_value_period),
                ("average-effect", c.smallest_p_value_average),
            ):
                if smallest > self.alpha:
                    lines.append(
                        f"The {what} intervals are unbounded: the smallest attainable p-value, "
                        f"{smallest:.4f}, exceeds alpha = {self.alpha:g} (too few periods)."
                    )
            if np.isnan(np.append(c.conf_low, c.average_low)).any():
                lines.append("NaN bounds mark empty confidence sets (every effect rejected).")
        else:
            lines.append("Intervals: conformal inference not run (conf_low/conf_high empty).")
        table = self.to_frame()
        table["period"] = [
            "" if term == "average" else format_period(period)
            for term, period in zip(table["term"], table["period"])
        ]
        lines += ["", format_table(table)]
        return "\n".join(lines)

    def plot(self) -> go.Figure:
        """Treated and synthetic paths (left); gaps with placebo gaps in grey (right)."""
        figure = make_subplots(
            rows=1, cols=2, subplot_titles=("Treated and synthetic", "Gap (treated - synthetic)")
        )
        periods = self.gaps["period"]
        figure.add_trace(
            go.Scatter(x=periods, y=self.gaps["treated"], name=str(self.treated_unit),
                       line={"color": "black"}),
            row=1, col=1,
        )
        figure.add_trace(
            go.Scatter(x=periods, y=self.gaps["synthetic"], name="synthetic",
                       line={"color": "black", "dash": "dash"}),
            row=1, col=1,
        )
        if self.placebo_gaps is not None:
            kept = self.placebos.loc[self.placebos["kept"], "unit"]
            for number, unit in enumerate(kept):
                figure.add_trace(
                    go.Scatter(x=self.placebo_gaps.index, y=self.placebo_gaps[unit],
                               name="placebos", legendgroup="placebos", showlegend=number == 0,
                               line={"color": "lightgrey", "width": 1}, hovertext=str(unit)),
                    row=1, col=2,
                )
        if self.conformal is not None:
            post = self._post()["period"]
            figure.add_trace(
                go.Scatter(
                    x=list(post) + list(post[::-1]),
                    y=list(self.conformal.conf_high) + list(self.conformal.conf_low[::-1]),
                    fill="toself", fillcolor="rgba(70,130,180,0.25)", line={"width": 0},
                    name=f"{100 * self.confidence_level:g}% conformal interval",
                ),
                row=1, col=2,
            )
        figure.add_trace(
            go.Scatter(x=periods, y=self.gaps["gap"], name="gap", line={"color": "black", "width": 3}),
            row=1, col=2,
        )
        for column in (1, 2):
            figure.add_vline(
                x=self.treatment_time, line_dash="dot", line_color="grey", row=1, col=column
            )
        figure.add_hline(y=0, line_color="grey", line_width=1, row=1, col=2)
        figure.update_layout(title=f"{METHOD_LABEL}: {self.treated_unit}, {self.outcome}")
        return figure
