"""Light report pages (issue 13): placebo bands, short dates, binned histograms, shared CSS.

The unit tests build figures and pages from small hand-made inputs; those marked slow read
the demo territory report built once per session (``demo_reports``).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from html import escape
from types import SimpleNamespace

import nbformat
import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from conftest import require_browser
from tzeval import plots
from tzeval.i18n import text
from tzeval.report import render

PAGE_LIMIT_BYTES = 400_000
LONG_DATE = "T00:00:00.000000"
#: series, gap, effect, pre-trend, EBE, coverage series, cost waterfall, cost distribution, tornado
TERRITORY_FIGURES = 9
_ITEM_SIZES = {"f8": 8, "f4": 4, "i4": 4, "u4": 4, "i2": 2, "u2": 2, "i1": 1, "u1": 1}


def page_figures(html: str) -> list[tuple[list, dict]]:
    """Every ``Plotly.newPlot(id, data, layout, config)`` call of a page, as (data, layout)."""
    decoder = json.JSONDecoder()
    figures = []
    for match in re.finditer(r"Plotly\.newPlot\(", html):
        rest = html[match.end():]
        values = []
        for _ in range(3):  # the div's id, the traces, the layout
            rest = rest.lstrip().removeprefix(",").lstrip()
            value, end = decoder.raw_decode(rest)
            values.append(value)
            rest = rest[end:]
        figures.append((values[1], values[2]))
    return figures


def n_values(array) -> int:
    """How many values a trace array holds, written as a list or as plotly's base64 typed array."""
    if isinstance(array, dict):
        return len(base64.b64decode(array["bdata"])) // _ITEM_SIZES[array["dtype"]]
    return len(array)


def values_of(array) -> np.ndarray:
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array, dtype=float)


def title_of(layout: dict) -> str:
    return (layout.get("title") or {}).get("text", "")


# -- placebo bands -------------------------------------------------------------------------------


def hand_made_result(n_placebos: int = 21) -> SimpleNamespace:
    """Three monthly periods; at each, the placebo gaps are 0, 1, ..., n-1 in a shuffled order."""
    index = pd.date_range("2016-12-01", periods=3, freq="MS")
    rng = np.random.default_rng(3)
    values = np.vstack([rng.permutation(n_placebos) for _ in index]).astype(float)
    placebo = pd.DataFrame(values, index=index, columns=[f"p{i}" for i in range(n_placebos)])
    gaps = pd.DataFrame({"effect": [0.5, -1.0, 2.0]}, index=index)
    return SimpleNamespace(placebo_gaps=placebo, gaps=gaps, treatment_start=index[1])


def test_placebo_quantiles_on_a_hand_made_panel():
    placebo = hand_made_result().placebo_gaps
    quantiles = plots.placebo_quantiles(placebo)
    assert list(quantiles.columns) == [0.05, 0.25, 0.75, 0.95]
    # 21 values 0..20: the q-quantile is 20 q (linear interpolation)
    for q in quantiles.columns:
        assert quantiles[q].tolist() == pytest.approx([20 * q] * 3)
    # a hidden gap leaves its period's quantiles; a period with every gap hidden has none
    placebo.iloc[0, placebo.iloc[0].to_numpy().argmax()] = np.nan  # drop the 20: 0..19 remain
    placebo.iloc[2, :] = np.nan
    quantiles = plots.placebo_quantiles(placebo, [0.5, 1.0])
    assert quantiles.loc[placebo.index[0]].tolist() == [9.5, 19.0]
    assert quantiles.loc[placebo.index[1]].tolist() == [10.0, 20.0]
    assert quantiles.loc[placebo.index[2]].isna().all()


def test_example_placebos_run_from_calm_to_restless():
    index = pd.date_range("2012-01-01", periods=4, freq="MS")
    wave = np.array([1.0, -1.0, 1.0, -1.0])
    # placebo j swings by j; listed in a shuffled order so that position and size differ
    order = np.random.default_rng(4).permutation(250)
    placebo = pd.DataFrame({f"p{j}": j * wave for j in order}, index=index)
    examples = plots.example_placebos(placebo)
    # sizes 0..249: the 10th, 30th, 50th, 70th and 90th centiles, rounded to a placebo
    assert list(examples.columns) == ["p25", "p75", "p124", "p174", "p224"]
    assert list(plots.example_placebos(placebo.iloc[:, :3]).columns) == list(placebo.columns[:3])
    placebo["p124"] = np.nan  # hidden throughout: no size, never an example
    assert "p124" not in plots.example_placebos(placebo).columns


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gap_figure_draws_bands_a_few_examples_and_the_gap(lang):
    result = hand_made_result(250)
    figure = plots.effect_gap_figure(result, lang)
    bands = [trace for trace in figure.data if trace.fill == "tonexty"]
    assert [trace.name for trace in bands] == [escape(text("label_placebo_band_outer", lang)),
                                              escape(text("label_placebo_band_inner", lang))]
    quantiles = plots.placebo_quantiles(result.placebo_gaps)
    for upper, (low, high, _, _) in zip(bands, plots.PLACEBO_BANDS, strict=True):
        lower = figure.data[next(i for i, trace in enumerate(figure.data) if trace is upper) - 1]  # its lower edge
        assert list(lower.y) == pytest.approx(quantiles[low].tolist())
        assert list(upper.y) == pytest.approx(quantiles[high].tolist())
    examples = next(trace for trace in figure.data if trace.name == escape(text("label_placebo_examples", lang)))
    assert len(examples.x) == 5 * (3 + 1), "five lines of three periods, separated by gaps"
    assert figure.data[-1].name == escape(text("series_gap", lang))
    assert len(figure.data) == 6, "two bands (two edges each), the examples, the gap: not 250 lines"
    page = pio.to_json(figure, validate=False)
    assert LONG_DATE not in page and "T00:00:00" not in page
    assert '"2016-12-01"' in page and '"x0":"2017-01-01"' in page, "points and the habilitation line"


def test_short_dates_keep_gaps_and_leave_numbers_alone():
    assert plots._date_strings(pd.date_range("2012-01-01", periods=2, freq="MS")) == ["2012-01-01", "2012-02-01"]
    assert plots._date_strings([pd.Timestamp("2012-01-01"), None, np.datetime64("NaT")]) == ["2012-01-01", None, None]
    assert plots._date_strings([pd.Timestamp("2012-01-01 06:30")]) == ["2012-01-01T06:30:00"]
    assert plots._date_strings(np.array([1.0, 2.0])) is None
    assert plots._date_strings(["a", "b"]) is None


def test_figures_built_elsewhere_get_short_dates_through_the_shared_layout():
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=pd.date_range("2012-01-01", periods=3, freq="MS"), y=[1.0, 2.0, 3.0]))
    figure.add_vrect(x0=pd.Timestamp("2012-01-01"), x1=pd.Timestamp("2012-02-01"))
    page = pio.to_json(plots._layout(figure, "t", "y", "fr"), validate=False)
    assert "T00:00" not in page and '["2012-01-01","2012-02-01","2012-03-01"]' in page


# -- binned histograms ---------------------------------------------------------------------------


def test_histogram_bins_count_every_finite_value_in_round_bins():
    values = np.random.default_rng(0).normal(18_000, 1_500, 10_000)
    counts, edges = plots.histogram_bins(np.append(values, [np.nan, np.inf]), 80)
    assert counts.sum() == 10_000 and len(edges) == len(counts) + 1
    assert edges[0] <= values.min() and edges[-1] >= values.max()
    width = np.diff(edges)[0]
    assert np.allclose(np.diff(edges), width) and len(counts) <= 82
    assert width / 10 ** np.floor(np.log10(width)) in (1, 2, 2.5, 5), "a round width"
    assert np.allclose(edges / width, np.round(edges / width)), "edges on multiples of the width"
    counts, edges = plots.histogram_bins([3.0, 3.0])
    assert counts.tolist() == [2] and edges[0] <= 3 <= edges[-1]
    counts, edges = plots.histogram_bins([np.nan])
    assert counts.size == 0


def test_cost_histogram_holds_bars_not_draws():
    draws = np.random.default_rng(1).normal(18_000, 1_500, 10_000)
    figure = plots.cost_distribution_figure(draws, (15_500, 21_000), 2024, "fr")
    assert [trace.type for trace in figure.data] == ["bar"]
    bars = figure.data[0]
    assert 20 <= len(bars.x) <= 100
    assert sum(bars.y) == pytest.approx(1.0), "shares of the draws, as histnorm='probability' drew"
    counts, _ = plots.histogram_bins(draws)
    assert list(bars.y) == pytest.approx((counts / counts.sum()).tolist())
    assert figure.layout.bargap == 0
    assert (figure.layout.shapes[0].x0, figure.layout.shapes[0].x1) == (15_500, 21_000), "the interval is shaded"
    labels = {annotation.text for annotation in figure.layout.annotations}
    assert {escape(text("label_mean", "fr")), escape(text("label_offsets_cover", "fr"))} <= labels
    assert len(pio.to_json(figure, validate=False)) < 20_000


def test_placebo_effect_histogram_is_binned_too():
    estimates = pd.Series(np.random.default_rng(2).normal(0, 0.2, 250))
    result = SimpleNamespace(placebo_estimates=estimates, conf_low=-0.3, conf_high=0.3, estimate=-0.1,
                             confidence_level=0.95)
    figure = plots.effect_interval_figure(result, "fr")
    assert figure.data[0].type == "bar" and sum(figure.data[0].y) == 250 and len(figure.data[0].x) <= 42


# -- the page: shared stylesheet, fallback notice, one exporter ----------------------------------


def figure_notebook() -> nbformat.NotebookNode:
    """A notebook whose one output is a figure as tzeval.display.show renders it."""
    from tzeval.display import show

    bundle = show(plots.series_figure(SimpleNamespace(
        gaps=pd.DataFrame({"treated": [1.0, 2.0], "counterfactual": [1.5, 1.5]},
                          index=pd.date_range("2016-12-01", periods=2, freq="MS")),
        treatment_start=pd.Timestamp("2017-01-01"),
    )))._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell("show(figure)", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": bundle["text/html"]})])
    return nbformat.v4.new_notebook(cells=[cell])


def test_a_page_links_the_shared_stylesheet_beside_plotly():
    html = render.notebook_to_html(figure_notebook(), title="t", lang="fr", plotly_href="../assets/plotly.min.js")
    assert '<link href="../assets/report.css" rel="stylesheet"/>' in html
    assert "<style" not in html, "neither JupyterLab's nor pygments' CSS is inlined"
    assert "--jp-" not in html and "MathJax" not in html and "require.js" not in html
    assert len(html.encode()) < 30_000
    assert render.stylesheet_href("assets/plotly.min.js") == "assets/report.css"


def test_a_self_contained_page_inlines_the_stylesheet():
    html = render.notebook_to_html(figure_notebook(), title="t", lang="en", plotly_href=None)
    assert "<link" not in html and render.stylesheet().strip() in html
    assert '<html lang="en">' in html and "Plotly.newPlot(" in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_page_carries_the_notice_for_a_missing_plotly(lang):
    html = render.notebook_to_html(figure_notebook(), title="t", lang=lang, plotly_href="../assets/plotly.min.js")
    script = html[html.rindex("<script"):]
    assert "if (!window.Plotly)" in script and ".plotly-graph-div" in script
    assert json.dumps(text("chart_missing_plotly", lang)) in script
    assert html.index("Plotly.newPlot(") < html.rindex("if (!window.Plotly)"), "it runs after the charts' scripts"


def test_the_exporter_is_built_once_per_language():
    render.notebook_to_html(figure_notebook(), title="t", lang="fr", plotly_href=None)
    assert render._exporter("fr") is render._exporter("fr")
    assert render._exporter("en") is not render._exporter("fr")
    assert render._exporter("en").language_code == "en"


def test_the_assets_folder_gets_the_stylesheet(tmp_path):
    render.write_plotly_asset(tmp_path)
    assert (tmp_path / "assets" / render.STYLESHEET_ASSET).read_text(encoding="utf-8") == render.stylesheet()
    (tmp_path / "assets" / render.STYLESHEET_ASSET).write_text("stale", encoding="utf-8")
    render.write_plotly_asset(tmp_path)
    assert (tmp_path / "assets" / render.STYLESHEET_ASSET).read_text(encoding="utf-8") == render.stylesheet()


# -- the demo territory's pages ------------------------------------------------------------------


@pytest.mark.slow
def test_territory_page_is_light_with_all_its_figures(demo_reports):
    summary, territory_id = demo_reports
    page = summary.out_dir / "territories" / f"{territory_id}.html"
    html = page.read_text(encoding="utf-8")
    assert page.stat().st_size < PAGE_LIMIT_BYTES, f"{page.stat().st_size} bytes"
    assert LONG_DATE not in html
    assert '<link href="../assets/report.css" rel="stylesheet"/>' in html and "--jp-" not in html
    assert (summary.out_dir / "assets" / "report.css").read_text(encoding="utf-8") == render.stylesheet()
    figures = page_figures(html)
    assert len(figures) == TERRITORY_FIGURES
    titles = [title_of(layout) for _, layout in figures]
    cost = figures[titles.index(text("title_cost_distribution", "fr", year=2024))][0]
    assert [trace["type"] for trace in cost] == ["bar"], "bars, not a histogram of the draws"
    assert n_values(cost[0]["x"]) <= 100 and values_of(cost[0]["y"]).sum() == pytest.approx(1.0)
    gap = figures[titles.index(text("title_gap", "fr"))][0]
    assert len(gap) == 6 and sum(n_values(trace["x"]) for trace in gap) < 20 * 156


@pytest.mark.slow
def test_other_pages_share_the_stylesheet_and_write_short_dates(demo_reports):
    summary, _ = demo_reports
    for name, href in (("summary.html", "assets/report.css"), ("scale_gap.html", "assets/report.css"),
                       ("index.html", "assets/report.css")):
        html = (summary.out_dir / name).read_text(encoding="utf-8")
        assert f'href="{href}"' in html and "<style" not in html, name
        assert LONG_DATE not in html and "T00:00:00" not in html, name
        assert "if (!window.Plotly)" in html, name


@pytest.mark.slow
@pytest.mark.browser
def test_a_page_opened_without_its_assets_says_why_its_charts_are_missing(demo_reports, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (chromium and chromedriver):
        message = "Chromium and chromedriver are not installed"
        if require_browser():
            pytest.fail(message + "; REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    summary, territory_id = demo_reports
    alone = tmp_path / f"{territory_id}.html"
    shutil.copy(summary.out_dir / "territories" / alone.name, alone)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.get(alone.resolve().as_uri())
        notices = driver.execute_script(
            "return Array.from(document.querySelectorAll('.tzeval-chart-missing'), e => e.textContent)")
        heights = driver.execute_script(
            "return Array.from(document.querySelectorAll('.tzeval-chart-missing'), e => e.getBoundingClientRect().height)")
    finally:
        driver.quit()
    assert notices == [text("chart_missing_plotly", "fr")] * TERRITORY_FIGURES
    assert all(0 < height < 100 for height in heights), "a line of text, not a chart's empty space"
