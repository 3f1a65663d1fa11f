"""Showing plotly figures so that they render both in JupyterLab and in HTML reports.

Since plotly 6, a figure displayed in a notebook carries only the plotly JSON mime type,
which JupyterLab draws but nbconvert's HTML export drops, so the chart vanishes from the
report. :func:`show` emits both: the JSON for JupyterLab and an HTML ``div`` that draws
the figure with the ``Plotly`` library loaded once by the report page (no CDN).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_CONFIG = {"displaylogo": False, "responsive": True}


class ReportFigure:
    """A plotly figure with a rich display for both JupyterLab and nbconvert."""

    def __init__(self, figure: go.Figure):
        self.figure = figure

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        html = pio.to_html(self.figure, include_plotlyjs=False, full_html=False, config=FIGURE_CONFIG)
        return {
            PLOTLY_MIME: json.loads(pio.to_json(self.figure, validate=False)) | {"config": FIGURE_CONFIG},
            "text/html": f'<div class="tzeval-figure">{html}</div>',
            "text/plain": f"<figure: {self.figure.layout.title.text or 'plotly'}>",
        }


def show(figure: go.Figure) -> ReportFigure:
    """Wrap ``figure`` for display; make it the last expression of a cell."""
    return ReportFigure(figure)
