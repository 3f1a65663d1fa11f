"""The reports' index page: the summary, every territory with its status, a forest plot."""

from __future__ import annotations

import datetime as dt
import os

import jinja2
import plotly.io as pio

from .. import atomic
from .._version import __version__
from ..dataset import Dataset
from ..i18n import format_date, format_interval, format_month, format_number, format_p_value, text
from ..plots import forest_figure
from .render import PLOTLY_ASSET, STYLESHEET_ASSET, chart_fallback_script, plotly_script_tag, stylesheet_tag
from .summary import labelled

INDEX_KEYS = ("index_title", "demo_banner", "index_summary_link", "index_scale_gap_link", "index_failed", "index_territories",
              "col_territory", "col_adoption", "col_estimate", "col_interval", "col_p_value", "col_status")

INDEX_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ t.index_title }}</title>
{{ plotly_script | safe }}
{{ css | safe }}
</head>
<body class="jp-Notebook">
<main>
{% if synthetic %}<div class="tzeval-banner tzeval-demo" role="note"><strong>{{ t.demo_banner }}</strong></div>{% endif %}
<h1 class="tzeval-title">{{ t.index_title }}</h1>
<p><a href="summary.html">{{ t.index_summary_link }}</a>{% if not summary_ok %} ({{ summary_status }}){% endif %}</p>
<p><a href="scale_gap.html">{{ t.index_scale_gap_link }}</a>{% if not scale_gap_ok %} ({{ scale_gap_status }}){% endif %}</p>
<div class="tzeval-figure">{{ forest | safe }}</div>
{% if failed %}
<h2>{{ t.index_failed }}</h2>
<ul class="tzeval-failures">
{% for row in failed %}<li><strong>{{ row.name }}</strong>: {{ row.status }}. <code>{{ row.error }}</code></li>
{% endfor %}</ul>
{% endif %}
<h2>{{ t.index_territories }}</h2>
<table class="tzeval-table">
<thead><tr><th>{{ t.col_territory }}</th><th>{{ t.col_adoption }}</th><th>{{ t.col_estimate }}</th><th>{{ t.col_interval }}</th><th>{{ t.col_p_value }}</th><th>{{ t.col_status }}</th></tr></thead>
<tbody>
{% for row in rows %}<tr>
<td>{% if row.href %}<a href="{{ row.href }}">{{ row.name }}</a>{% else %}{{ row.name }}{% endif %}</td>
<td>{{ row.adoption }}</td><td>{{ row.estimate }}</td><td>{{ row.interval }}</td><td>{{ row.p_value }}</td><td>{{ row.status }}</td>
</tr>
{% endfor %}</tbody>
</table>
<p class="tzeval-subtitle">{{ generated }}</p>
</main>
{{ chart_fallback | safe }}
</body>
</html>
""")


def write_index(data: Dataset, summary, *, lang: str, self_contained: bool = False) -> None:
    """Write ``index.html`` in the output folder, linking every report that exists."""
    out_dir = summary.out_dir
    t = {key: text(key, lang) for key in INDEX_KEYS}
    effects = summary.effects.set_index("territory_id")
    outcomes = {o.name: o for o in summary.outcomes}
    rows, failed = [], []
    for territory_id in data.treated_ids:
        territory = data.territory(territory_id)
        outcome = outcomes.get(territory_id)
        html_path = out_dir / "territories" / f"{territory_id}.html"
        status = _status(outcome, html_path, lang)
        effect = effects.loc[territory_id]
        rows.append({
            "name": territory["name"],
            "href": os.path.relpath(html_path, out_dir) if html_path.is_file() else None,
            "adoption": format_month(territory["adoption_date"], lang),
            "estimate": format_number(effect["estimate"], lang, 2, signed=True),
            "interval": format_interval(effect["conf_low"], effect["conf_high"], lang),
            "p_value": format_p_value(effect["p_value"], lang) if effect["status"] == "ok" else "–",
            "status": status,
        })
        if outcome is not None and not outcome.ok:
            failed.append({"name": territory["name"], "status": status, "error": outcome.error})
    page_status = {}
    for name in ("scale_gap", "summary"):
        outcome = outcomes.get(name)
        page = out_dir / f"{name}.html"
        page_status[name] = (outcome is None or outcome.ok, _status(outcome, page, lang) if outcome else "")
        if outcome is not None and not outcome.ok:
            failed.insert(0, {"name": page.name, "status": page_status[name][1], "error": outcome.error})
    figure = forest_figure(labelled(data, summary.effects), lang)
    html = INDEX_TEMPLATE.render(
        lang=lang, t=t, synthetic=data.is_synthetic, rows=rows, failed=failed,
        summary_ok=page_status["summary"][0], summary_status=page_status["summary"][1],
        scale_gap_ok=page_status["scale_gap"][0], scale_gap_status=page_status["scale_gap"][1],
        forest=pio.to_html(figure, include_plotlyjs=False, full_html=False, config={"displaylogo": False}),
        plotly_script=plotly_script_tag(None if self_contained else f"assets/{PLOTLY_ASSET}"),
        css=stylesheet_tag(None if self_contained else f"assets/{STYLESHEET_ASSET}"),
        chart_fallback=chart_fallback_script(lang),
        generated=text("index_generated", lang, date=format_date(dt.date.today(), lang), version=__version__),
    )
    atomic.write_text(out_dir / "index.html", html)


def _status(outcome, html_path, lang: str) -> str:
    if outcome is None or outcome.ok:
        return text("status_ok", lang) if html_path.is_file() else ""
    return text("status_failed_kept" if html_path.is_file() else "status_failed_none", lang)


