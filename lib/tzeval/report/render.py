"""Exporting an executed notebook to a code-free HTML report."""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from html import escape
from pathlib import Path

import nbformat
import plotly
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.config import Config

from .. import atomic
from ..i18n import text

TEMPLATES_DIR = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "report.css"
#: Cells tagged so are the lesson for students; funders do not see them.
LESSON_TAGS = frozenset({"lesson", "remove-from-report"})
PLOTLY_ASSET = f"plotly-{plotly.__version__}.min.js"
#: The stylesheet's name in the shared assets folder, beside plotly.js.
STYLESHEET_ASSET = "report.css"


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package (no download)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The reports' stylesheet (``static/report.css``)."""
    return STYLESHEET.read_text(encoding="utf-8")


def write_plotly_asset(out_dir: Path) -> Path:
    """Write plotly.js and the stylesheet once into ``out_dir/assets`` for reports to share.

    Returns
    -------
    Path
        The plotly.js file.
    """
    assets = Path(out_dir) / "assets"
    target = assets / PLOTLY_ASSET
    if not target.is_file() or target.stat().st_size != len(plotly_js().encode()):
        atomic.write_text(target, plotly_js())
    css = assets / STYLESHEET_ASSET
    if not css.is_file() or css.read_text(encoding="utf-8") != stylesheet():
        atomic.write_text(css, stylesheet())
    return target


def plotly_script_tag(asset_href: str | None) -> str:
    """A script tag loading plotly.js from ``asset_href``, or inline when None."""
    if asset_href is None:
        return f'<script type="text/javascript">{plotly_js()}</script>'
    return f'<script type="text/javascript" src="{escape(asset_href)}"></script>'


def stylesheet_tag(css_href: str | None) -> str:
    """A link to the stylesheet at ``css_href``, or the stylesheet inline when None."""
    if css_href is None:
        return f'<style type="text/css">\n{stylesheet()}</style>'
    return f'<link rel="stylesheet" href="{escape(css_href)}">'


def stylesheet_href(plotly_href: str | None) -> str | None:
    """Where the stylesheet is for a page loading plotly.js from ``plotly_href``: the same folder.

    None (plotly.js inlined, a self-contained page) gives None: the stylesheet is inlined too.
    """
    if plotly_href is None:
        return None
    return posixpath.join(posixpath.dirname(plotly_href), STYLESHEET_ASSET)


def chart_fallback_script(lang: str) -> str:
    """A script, for the end of a page, that puts a notice in each chart when plotly.js is missing.

    A page copied without its assets folder would otherwise show blank spaces where its
    charts should be. The notice is styled inline: the stylesheet is missing too then.
    """
    # json.dumps gives a JavaScript string; "</" is escaped so the text cannot close the script
    notice = json.dumps(text("chart_missing_plotly", lang)).replace("</", "<\\/")
    return (
        "<script type=\"text/javascript\">\n"
        "if (!window.Plotly) {\n"
        "  document.querySelectorAll('.plotly-graph-div').forEach(function (chart) {\n"
        "    chart.parentNode.style.height = 'auto';\n"
        "    chart.className = 'tzeval-chart-missing';\n"
        "    chart.style.cssText = 'padding: 0.6rem 1rem; border: 1px dashed #999; color: #555; background: #f6f6f6;';\n"
        f"    chart.textContent = {notice};\n"
        "  });\n"
        "}\n"
        "</script>"
    )


def _without_stderr(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop warnings printed to stderr: they are for the analyst's log, not the funder."""
    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                output for output in cell.get("outputs", [])
                if not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
    return notebook


@lru_cache(maxsize=None)
def _exporter(lang: str) -> HTMLExporter:
    """One exporter per language and process: building one compiles the templates anew,
    two thirds of an export's time, and a worker exports many reports."""
    exporter = HTMLExporter(
        template_name="tzeval",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # nbconvert fills the page's lang attribute from this trait, not from resources.
        language_code=lang,
        # The pages have no code to highlight, and our head leaves out the pygments CSS.
        config=Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}}),
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(LESSON_TAGS), enabled=True), enabled=True
    )
    return exporter


def notebook_to_html(
    notebook: nbformat.NotebookNode, *, title: str, lang: str, plotly_href: str | None,
    css_href: str | None = None,
) -> str:
    """Render an executed notebook as HTML without code, prompts or lesson cells.

    Parameters
    ----------
    plotly_href : str or None
        Relative URL of the shared plotly.js asset; None inlines the library, and the
        stylesheet, so the file stands alone.
    css_href : str, optional
        Relative URL of the shared stylesheet; by default :data:`STYLESHEET_ASSET` in
        ``plotly_href``'s folder (see :func:`stylesheet_href`), as :func:`write_plotly_asset`
        writes it.
    """
    if css_href is None:
        css_href = stylesheet_href(plotly_href)
    resources = {
        "metadata": {"name": title},
        "tzeval_plotly_script": plotly_script_tag(plotly_href),
        "tzeval_css": stylesheet_tag(css_href),
        "tzeval_chart_fallback": chart_fallback_script(lang),
    }
    body, _ = _exporter(lang).from_notebook_node(_without_stderr(notebook), resources=resources)
    return body
