"""Plotly figures for the reports; every label comes from the message catalogue."""

from __future__ import annotations

import datetime as dt
import warnings
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .i18n import DEFAULT_LANGUAGE, format_number, format_percent, text
from .periods import check_frequency

TREATED_COLOUR = "#1f4e79"
COUNTERFACTUAL_COLOUR = "#c55a11"
PLACEBO_COLOUR = "rgba(110, 110, 110, 0.55)"
BAND_COLOUR = "rgba(31, 78, 121, 0.15)"
TRUTH_COLOUR = "#2e7d32"
#: The placebo gaps are drawn as these quantile bands (low, high, legend key, fill), widest
#: first: 250 lines of 156 periods weighed 800 KB in a report and read as a grey smudge.
PLACEBO_BANDS = (
    (0.05, 0.95, "label_placebo_band_outer", "rgba(140, 140, 140, 0.22)"),
    (0.25, 0.75, "label_placebo_band_inner", "rgba(140, 140, 140, 0.38)"),
)
#: A few placebo lines drawn over the bands, so the reader sees how a single one wanders.
N_EXAMPLE_PLACEBOS = 5
#: Histograms are counted here and drawn as bars: the raw draws (10,000 for the costs)
#: would otherwise be written into the page for plotly.js to count.
MAX_HISTOGRAM_BINS = 80
_NICE_BIN_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def _date_strings(values) -> list | None:
    """``values`` as "2012-01-01" strings when they are dates, else None.

    plotly writes datetime64 arrays as "2012-01-01T00:00:00.000000" and timestamps as
    "2012-01-01T00:00:00"; plotly.js reads the short form as the same instant. A missing
    date (a gap between lines) stays a gap.
    """
    if values is None or isinstance(values, str):
        return None
    if isinstance(values, np.ndarray) and values.dtype.kind != "M" and values.dtype != object:
        return None  # numbers or text: nothing to shorten, and no need to look at every value
    try:
        items = list(values)
    except TypeError:
        return None
    out, dates = [], 0
    for value in items:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out.append(None)
            continue
        if not isinstance(value, dt.date | np.datetime64):  # pd.Timestamp is a datetime, so a date
            return None
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            out.append(None)
            continue
        dates += 1
        out.append(stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat())
    return out if dates else None


def _short_dates(fig: go.Figure) -> None:
    """Write every date of ``fig`` (traces, shapes, annotations) in its short form.

    Long dates made up most of a report page's weight (one per point of every line).
    """
    for trace in fig.data:
        for name in ("x", "y"):
            short = _date_strings(getattr(trace, name, None))
            if short is not None:
                trace[name] = short
    for shape in fig.layout.shapes:
        for name in ("x0", "x1"):
            short = _date_strings([shape[name]])
            if short is not None:
                shape[name] = short[0]
    for annotation in fig.layout.annotations:
        short = _date_strings([annotation.x])
        if short is not None:
            annotation.x = short[0]


def _layout(fig: go.Figure, title: str, y_title: str, lang: str, height: int = 420) -> go.Figure:
    """Title, axis title and look shared by the report figures; also shortens their dates."""
    _short_dates(fig)
    fig.update_layout(
        title=escape(title),
        yaxis_title=escape(y_title),
        template="plotly_white",
        height=height,
        margin=dict(l=60, r=20, t=60, b=50),
        legend=dict(orientation="h", yanchor="bottom", y=-0.3, x=0),
        separators=", " if lang == "fr" else ".,",
        hovermode="x unified",
    )
    return fig


def _period_axis(fig: go.Figure, frequency: str | None, lang: str) -> None:
    """Name the time axis in the data's unit and label its ticks as the data name periods.

    A yearly point sits on 1 January (periods are held by their first day): without a
    year-only format its hover would read "Jan 1, 2017" for a 31 December figure.
    """
    if frequency is None:
        return
    fig.update_xaxes(title=escape(text(f"axis_period_{check_frequency(frequency)}", lang)))
    if frequency == "yearly":
        fig.update_xaxes(tickformat="%Y", hoverformat="%Y", dtick="M12")
    elif frequency == "quarterly":
        quarter = text("tick_format_quarterly", lang)
        fig.update_xaxes(tickformat=quarter, hoverformat=quarter)


def _adoption_line(fig: go.Figure, start: pd.Timestamp, lang: str) -> None:
    fig.add_vline(x=start, line_dash="dash", line_color="#555")
    fig.add_annotation(x=start, y=1, yref="paper", text=escape(text("series_adoption", lang)),
                       showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color="#555"))


def series_figure(result, lang: str = DEFAULT_LANGUAGE, frequency: str | None = None) -> go.Figure:
    """The territory's rate against the rate estimated without the programme.

    ``frequency`` (the data's, e.g. ``data.frequency``) names the time axis and its ticks;
    None leaves plotly's date axis as it is.
    """
    gaps = result.gaps
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=gaps.index, y=gaps["counterfactual"], name=escape(text("series_counterfactual", lang)),
                             line=dict(color=COUNTERFACTUAL_COLOUR, dash="dot", width=2)))
    fig.add_trace(go.Scatter(x=gaps.index, y=gaps["treated"], name=escape(text("series_treated", lang)),
                             line=dict(color=TREATED_COLOUR, width=2.5)))
    _adoption_line(fig, result.treatment_start, lang)
    _period_axis(fig, frequency, lang)
    return _layout(fig, text("title_series", lang), text("axis_rate", lang), lang)


def placebo_quantiles(placebo_gaps: pd.DataFrame, quantiles=None) -> pd.DataFrame:
    """The placebo gaps' quantiles at each period, one column per quantile.

    Parameters
    ----------
    placebo_gaps : DataFrame
        One row per period, one column per placebo territory (``result.placebo_gaps``).
    quantiles : sequence of float, optional
        Defaults to the bounds of :data:`PLACEBO_BANDS`.

    Returns
    -------
    DataFrame
        Indexed like ``placebo_gaps``, columns the quantiles; a hidden (NaN) gap is left
        out of its period, and a period where every gap is hidden gives NaN.
    """
    if quantiles is None:
        quantiles = sorted({q for low, high, _, _ in PLACEBO_BANDS for q in (low, high)})
    quantiles = list(quantiles)
    values = placebo_gaps.to_numpy(dtype=float)
    if values.size == 0:
        return pd.DataFrame(np.nan, index=placebo_gaps.index, columns=quantiles)
    with warnings.catch_warnings():
        # a period where every placebo is hidden has no quantile: NaN, drawn as a gap
        warnings.simplefilter("ignore", RuntimeWarning)
        table = np.nanquantile(values, quantiles, axis=1).T
    return pd.DataFrame(table, index=placebo_gaps.index, columns=quantiles)


def example_placebos(placebo_gaps: pd.DataFrame, n: int = N_EXAMPLE_PLACEBOS) -> pd.DataFrame:
    """``n`` placebos from calm to restless: those at the 10th to 90th centile of their gaps' size.

    A placebo's size is the root mean square of its gaps. Picking by size, not by position
    in the table, shows the typical range of paths rather than whichever territories come
    first; the same ones are picked on every run.
    """
    if placebo_gaps.shape[1] <= n:
        return placebo_gaps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a placebo hidden throughout has no size
        size = np.sqrt(np.nanmean(placebo_gaps.to_numpy(dtype=float) ** 2, axis=0))
    order = np.argsort(np.nan_to_num(size, nan=np.inf), kind="stable")  # sizeless placebos last, never picked first
    ranks = np.round(np.linspace(0.1, 0.9, n) * (placebo_gaps.shape[1] - 1)).astype(int)
    return placebo_gaps.iloc[:, order[ranks]]


def effect_gap_figure(result, lang: str = DEFAULT_LANGUAGE, frequency: str | None = None) -> go.Figure:
    """The territory's gap to its counterfactual, drawn over the placebo gaps (``frequency`` as in :func:`series_figure`).

    The placebos are drawn as the bands :data:`PLACEBO_BANDS` of their gaps at each period,
    with a few example lines (:func:`example_placebos`) over them.
    """
    placebo = result.placebo_gaps
    fig = go.Figure()
    if placebo.shape[1]:
        x = _date_strings(placebo.index) or list(placebo.index)
        quantiles = placebo_quantiles(placebo)
        for low, high, key, colour in PLACEBO_BANDS:
            # the lower edge is drawn invisibly so that the upper one can fill down to it
            fig.add_trace(go.Scatter(x=x, y=quantiles[low].to_numpy(), mode="lines", line=dict(width=0),
                                     hoverinfo="skip", showlegend=False, legendgroup=key))
            fig.add_trace(go.Scatter(x=x, y=quantiles[high].to_numpy(), mode="lines", line=dict(width=0),
                                     fill="tonexty", fillcolor=colour, hoverinfo="skip", legendgroup=key,
                                     name=escape(text(key, lang))))
        examples = example_placebos(placebo)
        # one trace with gaps (None) between the lines: one legend entry for all of them
        example_x = (x + [None]) * examples.shape[1]
        example_y = np.vstack([examples.to_numpy(dtype=float), np.full((1, examples.shape[1]), np.nan)]).T.ravel()
        fig.add_trace(go.Scatter(x=example_x, y=example_y, mode="lines", line=dict(color=PLACEBO_COLOUR, width=1),
                                 name=escape(text("label_placebo_examples", lang)), hoverinfo="skip",
                                 connectgaps=False))
    fig.add_trace(go.Scatter(x=result.gaps.index, y=result.gaps["effect"], name=escape(text("series_gap", lang)),
                             line=dict(color=TREATED_COLOUR, width=2.5)))
    fig.add_hline(y=0, line_color="#333", line_width=1)
    _adoption_line(fig, result.treatment_start, lang)
    _period_axis(fig, frequency, lang)
    return _layout(fig, text("title_gap", lang), text("axis_effect", lang), lang)


def pretrend_figure(checks, lang: str = DEFAULT_LANGUAGE, frequency: str | None = None) -> go.Figure:
    """The territory's gap with its pre-period linear trend extended: what the trend-robust estimate removes.

    ``frequency`` as in :func:`series_figure`.
    """
    gaps = checks.gaps
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=gaps.index, y=gaps["gap"], name=escape(text("series_gap", lang)),
                             line=dict(color=TREATED_COLOUR, width=2)))
    fig.add_trace(go.Scatter(x=gaps.index, y=gaps["trend"], name=escape(text("series_pre_trend", lang)),
                             line=dict(color=COUNTERFACTUAL_COLOUR, width=2, dash="dash")))
    fig.add_hline(y=0, line_color="#333", line_width=1)
    post = gaps.index[gaps["post"].to_numpy(dtype=bool)]
    if len(post):
        _adoption_line(fig, post[0], lang)
    _period_axis(fig, frequency, lang)
    return _layout(fig, text("title_pretrend", lang), text("axis_effect", lang), lang, height=340)


def histogram_bins(values, max_bins: int = MAX_HISTOGRAM_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Count ``values`` in at most about ``max_bins`` bins of a round width.

    The width is 1, 2, 2.5 or 5 times a power of ten, as plotly.js picks its own, so the
    bars read as before and their edges are round numbers.

    Returns
    -------
    counts : ndarray of int
        One count per bin; non-finite values are left out.
    edges : ndarray of float
        ``len(counts) + 1`` bin edges.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return np.zeros(0, dtype=int), np.zeros(1)
    low, high = float(finite.min()), float(finite.max())
    spread = high - low
    if spread == 0:
        spread = abs(low) or 1.0  # one value: a single bin around it
    raw = spread / max_bins
    magnitude = 10.0 ** np.floor(np.log10(raw))
    width = next(step * magnitude for step in _NICE_BIN_STEPS if step * magnitude >= raw * (1 - 1e-9))
    start = np.floor(low / width) * width
    n_bins = max(1, int(np.ceil((high - start) / width - 1e-9)))
    edges = start + width * np.arange(n_bins + 1)
    edges[-1] = max(edges[-1], high)  # a rounding error must not leave the maximum out
    counts, _ = np.histogram(finite, bins=edges)
    return counts, edges


def _histogram_bars(values, max_bins: int, share: bool, colour: str, name: str | None = None) -> go.Bar:
    """A bar per bin of :func:`histogram_bins`, touching like a histogram's (with ``bargap=0``)."""
    counts, edges = histogram_bins(values, max_bins)
    heights = counts / counts.sum() if share and counts.sum() else counts
    return go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=heights, width=np.diff(edges), marker_color=colour,
                  marker_line_width=0, name=name)


def effect_interval_figure(result, lang: str = DEFAULT_LANGUAGE, true_effect: float | None = None) -> go.Figure:
    """The estimate and its interval, over the effects chance alone produces (placebos)."""
    fig = go.Figure()
    fig.add_trace(_histogram_bars(result.placebo_estimates.to_numpy(), 40, share=False,
                                  colour="rgba(140,140,140,0.6)", name=escape(text("label_placebo_distribution", lang))))
    fig.add_vrect(x0=result.conf_low, x1=result.conf_high, fillcolor=BAND_COLOUR, line_width=0)
    fig.add_vline(x=result.estimate, line_color=TREATED_COLOUR, line_width=3)
    fig.add_vline(x=0, line_color="#333", line_width=1)
    level = format_percent(result.confidence_level, lang)
    fig.add_annotation(x=result.estimate, y=1, yref="paper", showarrow=False, yanchor="bottom",
                       text=escape(f"{text('label_estimate', lang)} ({level} : {text('interval_kind_permutation', lang)})"
                                   if lang == "fr" else
                                   f"{text('label_estimate', lang)} ({level} {text('interval_kind_permutation', lang)})"),
                       font=dict(color=TREATED_COLOUR))
    if true_effect is not None:
        fig.add_vline(x=true_effect, line_color=TRUTH_COLOUR, line_dash="dash", line_width=2)
        fig.add_annotation(x=true_effect, y=0.9, yref="paper", showarrow=False, xanchor="left",
                           text=escape(text("label_true_effect", lang)), font=dict(color=TRUTH_COLOUR))
    fig.update_layout(showlegend=False, hovermode=False, bargap=0)
    fig = _layout(fig, text("title_effect", lang), "", lang, height=320)
    fig.update_xaxes(title=escape(text("axis_effect", lang)))
    return fig


def ebe_figure(programme: pd.DataFrame, potential_beneficiaries: float | None, lang: str = DEFAULT_LANGUAGE,
               frequency: str | None = None) -> go.Figure:
    """EBE headcount, FTE, cumulative hires and waiting list over time.

    ``frequency`` is the programme table's (``data.programme_frequency``). With no
    programme rows the figure says that no headcount data were provided rather than
    drawing empty axes.
    """
    fig = go.Figure()
    if programme.empty:
        fig.add_annotation(text=escape(text("finding_no_programme", lang)), x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _layout(fig, text("title_ebe", lang), "", lang, height=200)
    series = [("ebe_headcount", "series_headcount", TREATED_COLOUR, "solid"),
              ("ebe_fte", "series_fte", "#5b9bd5", "dot"),
              ("cumulative_hires", "series_hires", "#7f7f7f", "dash"),
              ("waiting_list", "series_waiting", COUNTERFACTUAL_COLOUR, "solid")]
    for column, key, colour, dash in series:
        fig.add_trace(go.Scatter(x=programme["period"], y=programme[column], name=escape(text(key, lang)),
                                 line=dict(color=colour, dash=dash, width=2)))
    if potential_beneficiaries is not None and not pd.isna(potential_beneficiaries):
        fig.add_hline(y=float(potential_beneficiaries), line_dash="longdash", line_color=TRUTH_COLOUR,
                      annotation_text=escape(text("series_potential", lang)), annotation_position="top left")
    _period_axis(fig, frequency, lang)
    return _layout(fig, text("title_ebe", lang), text("axis_people", lang), lang)


def forest_figure(effects: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, truth: pd.Series | None = None) -> go.Figure:
    """Every territory's estimate with its interval, sorted by estimate.

    ``effects`` needs the columns ``label``, ``estimate``, ``conf_low``, ``conf_high``;
    ``truth``, if given, is indexed like ``effects``.
    """
    ordered = effects.dropna(subset=["estimate"]).sort_values("estimate")
    labels = [escape(str(label)) for label in ordered["label"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=ordered["estimate"], y=labels, mode="markers", marker=dict(color=TREATED_COLOUR, size=7),
        error_x=dict(type="data", symmetric=False, array=ordered["conf_high"] - ordered["estimate"],
                     arrayminus=ordered["estimate"] - ordered["conf_low"], color="rgba(31,78,121,0.6)"),
        name=escape(text("label_estimate", lang)),
    ))
    if truth is not None:
        fig.add_trace(go.Scatter(x=truth.loc[ordered.index], y=labels, mode="markers",
                                 marker=dict(color=TRUTH_COLOUR, symbol="x", size=7),
                                 name=escape(text("label_true_effect", lang))))
    fig.add_vline(x=0, line_color="#333", line_width=1)
    fig = _layout(fig, text("heading_forest", lang), "", lang, height=max(400, 16 * len(ordered) + 120))
    fig.update_xaxes(title=escape(text("axis_effect", lang)))
    fig.update_layout(hovermode="closest", legend=dict(y=1.02, yanchor="bottom", orientation="h"),
                      margin=dict(l=200, r=20, t=80, b=50))
    return fig


def event_study_figure(pointwise: pd.DataFrame, simultaneous: pd.DataFrame | None,
                       lang: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Effects by years since habilitation with pointwise intervals and, if given, the
    simultaneous band (both tables as returned by ``AggregatedATT.to_frame``)."""
    fig = go.Figure()
    x = pointwise["event_time"]
    if simultaneous is not None:
        fig.add_trace(go.Scatter(
            x=np.r_[x, x[::-1]], y=np.r_[simultaneous["conf_high"], simultaneous["conf_low"][::-1]],
            fill="toself", fillcolor=BAND_COLOUR, line=dict(width=0), hoverinfo="skip",
            name=escape(text("label_simultaneous_band", lang)),
        ))
    fig.add_trace(go.Scatter(
        x=x, y=pointwise["estimate"], mode="markers+lines", marker=dict(color=TREATED_COLOUR, size=8),
        line=dict(color=TREATED_COLOUR, width=1),
        error_y=dict(type="data", symmetric=False, array=pointwise["conf_high"] - pointwise["estimate"],
                     arrayminus=pointwise["estimate"] - pointwise["conf_low"], color="rgba(31,78,121,0.7)"),
        name=escape(text("label_pointwise_interval", lang)),
    ))
    fig.add_hline(y=0, line_color="#333", line_width=1)
    fig.add_vline(x=-0.5, line_dash="dash", line_color="#555")
    fig = _layout(fig, text("title_event_study", lang), text("axis_effect", lang), lang)
    fig.update_xaxes(title=escape(text("axis_years_since", lang)), dtick=1)
    fig.update_layout(hovermode="closest")
    return fig


def sensitivity_figure(sensitivity: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Robust intervals (and identified sets) against Mbar, from ``HonestDidResult.to_frame()``."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=sensitivity["Mbar"], y=(sensitivity["conf_low"] + sensitivity["conf_high"]) / 2, mode="markers",
        marker=dict(size=1, color=TREATED_COLOUR),
        error_y=dict(type="data", symmetric=False,
                     array=sensitivity["conf_high"] - (sensitivity["conf_low"] + sensitivity["conf_high"]) / 2,
                     arrayminus=(sensitivity["conf_low"] + sensitivity["conf_high"]) / 2 - sensitivity["conf_low"],
                     color=TREATED_COLOUR, thickness=2, width=8),
        name=escape(text("label_robust_interval", lang)),
    ))
    fig.add_trace(go.Scatter(
        x=sensitivity["Mbar"], y=sensitivity["identified_low"], mode="lines", line=dict(color=COUNTERFACTUAL_COLOUR, dash="dot"),
        name=escape(text("label_identified_set", lang)),
    ))
    fig.add_trace(go.Scatter(
        x=sensitivity["Mbar"], y=sensitivity["identified_high"], mode="lines", line=dict(color=COUNTERFACTUAL_COLOUR, dash="dot"),
        showlegend=False,
    ))
    fig.add_hline(y=0, line_color="#333", line_width=1)
    fig = _layout(fig, text("title_sensitivity", lang), text("axis_effect", lang), lang, height=380)
    fig.update_xaxes(title=escape(text("axis_mbar", lang)))
    fig.update_layout(hovermode="closest")
    return fig


def cost_waterfall_figure(steps: pd.DataFrame, year: int, lang: str = DEFAULT_LANGUAGE) -> go.Figure:
    """From the EBE's gross cost to the net public cost per FTE (``CostResult.waterfall``)."""
    labels = [escape(text(f"cost_step_{step}", lang)) for step in steps["step"]]
    fig = go.Figure(go.Waterfall(
        x=labels, y=steps["amount"], measure=steps["measure"],
        text=[format_number(v, lang, 0) for v in steps["amount"]], textposition="outside",
        connector={"line": {"width": 1, "color": "#999"}},
        increasing={"marker": {"color": COUNTERFACTUAL_COLOUR}}, decreasing={"marker": {"color": TRUTH_COLOUR}},
        totals={"marker": {"color": TREATED_COLOUR}},
    ))
    fig = _layout(fig, text("title_cost_waterfall", lang, year=year), text("axis_euros_per_fte", lang), lang, height=480)
    fig.update_layout(showlegend=False, xaxis_tickangle=-35, hovermode="closest", margin=dict(b=150))
    return fig


def cost_distribution_figure(draws: np.ndarray, interval: tuple[float, float], year: int,
                             lang: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Histogram of the simulated net public cost per FTE, with zero marked.

    The draws are counted here (:func:`histogram_bins`): the page holds the bars, not the draws.
    """
    fig = go.Figure(_histogram_bars(draws, MAX_HISTOGRAM_BINS, share=True, colour="rgba(31,78,121,0.6)"))
    fig.add_vrect(x0=interval[0], x1=interval[1], fillcolor=BAND_COLOUR, line_width=0)
    fig.add_vline(x=float(np.mean(draws)), line_color=TREATED_COLOUR, line_width=2,
                  annotation_text=escape(text("label_mean", lang)))
    fig.add_vline(x=0.0, line_color="firebrick", annotation_text=escape(text("label_offsets_cover", lang)),
                  annotation_position="top left")
    fig = _layout(fig, text("title_cost_distribution", lang, year=year), text("axis_share_of_draws", lang), lang, height=340)
    fig.update_xaxes(title=escape(text("axis_euros_per_fte", lang)))
    fig.update_layout(showlegend=False, hovermode=False, bargap=0)
    return fig


def cost_tornado_figure(table: pd.DataFrame, year: int, lang: str = DEFAULT_LANGUAGE, top: int = 10) -> go.Figure:
    """Net cost with each parameter at its low and high value (``CostResult.tornado``)."""
    table = table.nlargest(top, "swing").iloc[::-1]
    central = float(table["net_cost_central"].iloc[0]) if len(table) else 0.0
    labels = [escape(text(f"cost_param_{name}", lang)) for name in table["parameter"]]
    fig = go.Figure()
    for column, key, colour in (("net_cost_at_low", "label_parameter_low", TRUTH_COLOUR),
                                ("net_cost_at_high", "label_parameter_high", COUNTERFACTUAL_COLOUR)):
        fig.add_trace(go.Bar(y=labels, x=table[column] - central, base=central, orientation="h",
                             name=escape(text(key, lang)), marker_color=colour))
    fig.add_vline(x=central, line_width=1, line_color="#333")
    fig = _layout(fig, text("title_cost_tornado", lang, year=year), "", lang, height=460)
    fig.update_xaxes(title=escape(text("axis_euros_per_fte", lang)))
    fig.update_layout(barmode="overlay", hovermode="closest", margin=dict(l=280))
    return fig
