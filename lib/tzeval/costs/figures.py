"""Plotly figures of the cost model: waterfall, distribution of the net cost, tornado."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

EURO_AXIS = "EUR per FTE-year"


def waterfall_figure(steps: pd.DataFrame, title: str) -> go.Figure:
    """Waterfall from the EBE's gross cost to the net public cost."""
    figure = go.Figure(go.Waterfall(
        x=steps["label"], y=steps["amount"], measure=steps["measure"],
        text=[f"{v:,.0f}" for v in steps["amount"]], textposition="outside",
        connector={"line": {"width": 1}},
    ))
    figure.update_layout(title=title, yaxis_title=EURO_AXIS, showlegend=False, xaxis_tickangle=-35)
    return figure


def distribution_figure(draws: np.ndarray, title: str, interval: tuple[float, float], level: float) -> go.Figure:
    """Histogram of simulated net costs, with the mean, the interval and zero (offsets = costs)."""
    figure = go.Figure(go.Histogram(x=draws, nbinsx=80, name="simulated net cost", histnorm="probability"))
    figure.add_vline(x=float(np.mean(draws)), line_width=2, annotation_text="mean")
    for bound in interval:
        figure.add_vline(x=float(bound), line_dash="dash", line_width=1)
    figure.add_vline(x=0.0, line_color="firebrick", annotation_text="offsets = costs")
    figure.update_layout(title=f"{title} ({level:.0%} interval dashed)", xaxis_title=f"Net public cost, {EURO_AXIS}",
                         yaxis_title="Share of draws", showlegend=False)
    return figure


def tornado_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of the net cost with each parameter at its low and at its high value."""
    table = table.iloc[::-1]
    central = float(table["net_cost_central"].iloc[0]) if len(table) else 0.0
    figure = go.Figure()
    for column, name in (("net_cost_at_low", "parameter at low"), ("net_cost_at_high", "parameter at high")):
        figure.add_trace(go.Bar(
            y=table["label"], x=table[column] - central, base=central, orientation="h", name=name,
            hovertemplate="%{y}: %{x:,.0f}<extra>" + name + "</extra>",
        ))
    figure.add_vline(x=central, line_width=1, annotation_text="central")
    figure.update_layout(title=title, barmode="overlay", xaxis_title=f"Net public cost, {EURO_AXIS}")
    return figure
