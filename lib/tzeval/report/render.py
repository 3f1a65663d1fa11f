"""Exporting an executed notebook to a code-free HTML report."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat
import plotly
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from .. import atomic

TEMPLATES_DIR = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "report.css"
#: Cells tagged so are the lesson for students; funders do not see them.
LESSON_TAGS = frozenset({"lesson", "remove-from-report"})
PLOTLY_ASSET = f"plotly-{plotly.__version__}.min.js"


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package (no download)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def write_plotly_asset(out_dir: Path) -> Path:
    """Write plotly.js once into ``out_dir/assets`` for reports to share."""
    target = Path(out_dir) / "assets" / PLOTLY_ASSET
    if not target.is_file() or target.stat().st_size != len(plotly_js().encode()):
        atomic.write_text(target, plotly_js())
    return target


def plotly_script_tag(asset_href: str | None) -> str:
    """A script tag loading plotly.js from ``asset_href``, or inline when None."""
    if asset_href is None:
        return f'<script type="text/javascript">{plotly_js()}</script>'
    return f'<script type="text/javascript" src="{asset_href}"></script>'


def _without_stderr(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop warnings printed to stderr: they are for the analyst's log, not the funder."""
    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                output for output in cell.get("outputs", [])
                if not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
    return notebook


def notebook_to_html(
    notebook: nbformat.NotebookNode, *, title: str, lang: str, plotly_href: str | None
) -> str:
    """Render an executed notebook as HTML without code, prompts or lesson cells.

    Parameters
    ----------
    plotly_href : str or None
        Relative URL of the shared plotly.js asset; None inlines the library so the
        file stands alone.
    """
    exporter = HTMLExporter(
        template_name="tzeval",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # nbconvert fills the page's lang attribute from this trait, not from resources.
        language_code=lang,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(LESSON_TAGS), enabled=True), enabled=True
    )
    resources = {
        "metadata": {"name": title},
        "tzeval_plotly_script": plotly_script_tag(plotly_href),
        "tzeval_css": STYLESHEET.read_text(encoding="utf-8"),
    }
    body, _ = exporter.from_notebook_node(_without_stderr(notebook), resources=resources)
    return body
