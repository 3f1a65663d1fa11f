"""Plotly figures of effects with pointwise intervals and simultaneous bands."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

PRE_COLOUR = "#1f77b4"
POST_COLOUR = "#d62728"


def add_effect_traces(
    figure: go.Figure,
    x: np.ndarray,
    estimate: np.ndarray,
    pointwise: tuple[np.ndarray, np.ndarray],
    simultaneous: tuple[np.ndarray, np.ndarray] | None,
    post: np.ndarray,
    level: float,
    row: int | None = None,
    show_legend: bool = True,
) -> None:
    """Point estimates with pointwise error bars and, behind them, the simultaneous band."""
    where = {} if row is None else {"row": row, "col": 1}
    phases = [(False, PRE_COLOUR, "pre-treatment"), (True, POST_COLOUR, "post-treatment")]
    for is_post, colour, label in phases:
        mask = post == is_post
        if not mask.any():
            continue
        if simultaneous is not None:
            figure.add_trace(
                go.Scatter(
                    x=x[mask],
                    y=estimate[mask],
                    mode="markers",
                    marker={"color": colour, "size": 1, "opacity": 0},
                    error_y={
                        "type": "data",
                        "symmetric": False,
                        "array": simultaneous[1][mask] - estimate[mask],
                        "arrayminus": estimate[mask] - simultaneous[0][mask],
                        "color": colour,
                        "thickness": 6,
                        "width": 0,
                    },
                    opacity=0.3,
                    name=f"{label}: {level:.0%} simultaneous band",
                    legendgroup=f"{label}-band",
                    showlegend=show_legend,
                ),
                **where,
            )
        figure.add_trace(
            go.Scatter(
                x=x[mask],
                y=estimate[mask],
                mode="markers",
                marker={"color": colour, "size": 8},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": pointwise[1][mask] - estimate[mask],
                    "arrayminus": estimate[mask] - pointwise[0][mask],
                    "color": colour,
                    "thickness": 1.5,
                    "width": 4,
                },
                name=f"{label}: estimate, {level:.0%} pointwise interval",
                legendgroup=label,
                showlegend=show_legend,
            ),
            **where,
        )
    figure.add_hline(y=0, line={"color": "grey", "dash": "dot"}, **where)


def effect_figure(
    x: np.ndarray,
    estimate: np.ndarray,
    pointwise: tuple[np.ndarray, np.ndarray],
    simultaneous: tuple[np.ndarray, np.ndarray] | None,
    post: np.ndarray,
    level: float,
    x_title: str,
    title: str,
) -> go.Figure:
    """One panel of effects against ``x`` (event time, cohort or period)."""
    figure = go.Figure()
    add_effect_traces(figure, x, estimate, pointwise, simultaneous, post, level)
    figure.update_layout(
        title=title, xaxis_title=x_title, yaxis_title="ATT", template="plotly_white"
    )
    return figure


def cohort_panels_figure(
    groups: np.ndarray,
    times: np.ndarray,
    estimate: np.ndarray,
    pointwise: tuple[np.ndarray, np.ndarray],
    simultaneous: tuple[np.ndarray, np.ndarray] | None,
    post: np.ndarray,
    level: float,
    title: str,
) -> go.Figure:
    """One panel per cohort of ATT(g, t) against t, as R ``did``'s ``ggdid``."""
    cohorts = np.unique(groups)
    figure = make_subplots(
        rows=len(cohorts),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[f"cohort {g:g}" for g in cohorts],
        vertical_spacing=min(0.08, 0.3 / max(len(cohorts), 1)),
    )
    for row, cohort in enumerate(cohorts, start=1):
        mask = groups == cohort
        band = None if simultaneous is None else (simultaneous[0][mask], simultaneous[1][mask])
        add_effect_traces(
            figure,
            times[mask],
            estimate[mask],
            (pointwise[0][mask], pointwise[1][mask]),
            band,
            post[mask],
            level,
            row=row,
            show_legend=row == 1,
        )
    figure.update_layout(title=title, template="plotly_white", height=max(300, 220 * len(cohorts)))
    return figure
