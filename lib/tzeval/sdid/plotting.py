"""Figures of a synthetic DiD result, in the spirit of ``synthdid_plot``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

if TYPE_CHECKING:
    from .result import SyntheticDiDResult

TREATED_COLOUR = "#b2182b"
CONTROL_COLOUR = "#2166ac"
WEIGHT_COLOUR = "rgba(120, 120, 120, 0.45)"


def trajectories_figure(result: SyntheticDiDResult) -> go.Figure:
    """Treated mean and synthetic control over time; time weights as bars below."""
    paths = result.trajectories
    periods = paths["period"]
    shifted = result.method != "sc"
    counterfactual = "synthetic_control_shifted" if shifted else "synthetic_control"
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=periods, y=paths["treated"], mode="lines+markers", name="treated",
                   line={"color": TREATED_COLOUR})
    )
    figure.add_trace(
        go.Scatter(
            x=periods, y=paths[counterfactual], mode="lines+markers",
            name="synthetic control" + (" (shifted by the weighted pre-period gap)" if shifted else ""),
            line={"color": CONTROL_COLOUR, "dash": "dash"},
        )
    )
    weights = result.time_weights
    if weights.sum() > 0:
        figure.add_trace(
            go.Bar(x=weights.index, y=weights.to_numpy(), name="time weight (lambda)",
                   marker={"color": WEIGHT_COLOUR}, yaxis="y2")
        )
    figure.add_vline(x=result.treatment_start, line={"dash": "dot", "color": "black"})
    figure.update_layout(
        title=f"{result.method_name.capitalize()}: estimate {result.estimate:.3f} "
        f"({100 * result.confidence_level:g}% pointwise CI {result.conf_low:.3f} to {result.conf_high:.3f})",
        xaxis_title="period",
        yaxis_title=result.outcome,
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 4], "showgrid": False,
                "title": "time weight", "tickvals": [0, 0.5, 1]},
        legend={"orientation": "h", "y": -0.2},
        bargap=0.3,
    )
    return figure


def effects_figure(result: SyntheticDiDResult) -> go.Figure:
    """Per-period effects with pointwise intervals; pre-periods show the fit errors."""
    effects = result.period_effects()
    figure = go.Figure()
    for post, name, colour in ((False, "pre-treatment fit error", CONTROL_COLOUR),
                               (True, "effect", TREATED_COLOUR)):
        part = effects[effects["post"] == post]
        figure.add_trace(
            go.Scatter(
                x=part["period"], y=part["estimate"], mode="markers", name=name,
                marker={"color": colour},
                error_y={"type": "data", "symmetric": False,
                         "array": part["conf_high"] - part["estimate"],
                         "arrayminus": part["estimate"] - part["conf_low"]},
            )
        )
    figure.add_hline(y=0.0, line={"color": "grey"})
    figure.add_hline(y=result.estimate, line={"dash": "dash", "color": TREATED_COLOUR},
                     annotation_text="average effect")
    figure.add_vline(x=result.treatment_start, line={"dash": "dot", "color": "black"})
    figure.update_layout(
        title=f"Per-period effects, {100 * result.confidence_level:g}% pointwise intervals "
        f"({result.se_method} standard errors)",
        xaxis_title="period",
        yaxis_title=f"effect on {result.outcome}",
    )
    return figure
