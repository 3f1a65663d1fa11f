"""Report text blocks displayed by the notebooks: titles, banner, findings, method.

All wording comes from :mod:`tzeval.i18n`; names from the data are HTML-escaped here,
so a territory called ``<script>`` shows as text.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd
from IPython.display import HTML

from ..costs.benchmark import COMITE_AVOIDED, COMITE_NET
from ..dataset import Dataset
from ..findings import findings_list_html
from ..i18n import (
    DEFAULT_LANGUAGE,
    format_interval,
    format_month,
    format_number,
    format_p_statement,
    format_p_value,
    format_percent,
    text,
)
from ..placebo_did import PlaceboDidResult
from ..territory_checks import TerritoryChecks, territory_checks
from ..territory_effects import effect_in_people



def _html(markup: str) -> HTML:
    return HTML(markup)


def banner(data: Dataset, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The synthetic-data banner and the series-break warning, as they apply."""
    parts = []
    if data.is_synthetic:
        parts.append(f'<div class="tzeval-banner tzeval-demo" role="note"><strong>{escape(text("demo_banner", lang))}</strong></div>')
    if data.outcomes["after_series_break"].any():
        parts.append(f'<div class="tzeval-banner tzeval-warning" role="note">{escape(text("series_break_warning", lang))}</div>')
    return _html("\n".join(parts))


def territory_title(data: Dataset, territory_id: str, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """Report title and one-line description of the territory."""
    territory = data.territory(territory_id)
    subtitle = text(
        "territory_subtitle", lang,
        setting=text(f"setting_{territory['setting']}", lang),
        department=territory["department"],
        population=format_number(float(territory["population"]), lang, 0),
        adoption=format_month(territory["adoption_date"], lang),
    )
    return _html(
        f'<h1 class="tzeval-title">{escape(text("territory_title", lang, name=territory["name"]))}</h1>'
        f'<p class="tzeval-subtitle">{escape(subtitle)}</p>'
    )


def heading(key: str, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """A section heading from the catalogue."""
    return _html(f"<h2>{escape(text(key, lang))}</h2>")


def paragraph(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> HTML:
    """A paragraph from the catalogue; values are escaped."""
    return _html(f"<p>{escape(text(key, lang, **values))}</p>")


def findings(data: Dataset, result: PlaceboDidResult, lang: str = DEFAULT_LANGUAGE,
             checks: TerritoryChecks | None = None, costs=None) -> HTML:
    """Plain-language findings a funder reads in a minute.

    With ``checks`` (:func:`tzeval.territory_checks.territory_checks`), a significant
    effect that rests on parallel trends the pre-period checks reject is not called a
    significant fall or rise: the verdict line says so and gives the trend-robust
    estimate; the fit, persistence and unbounded-interval warnings follow. With
    ``costs`` (:func:`tzeval.territory_costs.territory_costs`), the latest year's net
    cost per FTE closes the list, beside the official reference.
    """
    checks = checks if checks is not None else territory_checks(result)
    people = effect_in_people(data, result)
    falls = result.estimate < 0
    level = format_percent(result.confidence_level, lang)
    items = [
        text("finding_effect", lang, months=result.n_post,
             estimate=format_number(result.estimate, lang, 2, signed=True),
             people=format_number(abs(people), lang, 0),
             change=text("change_fewer" if falls else "change_more", lang)),
        text("finding_interval", lang, level=level,
             low=format_number(result.conf_low, lang, 2, signed=True),
             high=format_number(result.conf_high, lang, 2, signed=True)),
    ]
    p = format_p_statement(result.p_value, lang)
    movement = text("movement_fall" if falls else "movement_rise", lang)
    if checks.verdict == "significant":
        items.append(text("finding_significant", lang, p=p, movement=movement))
    elif checks.verdict in ("significant_but_trends_rejected", "significant_not_trend_robust"):
        key = ("verdict_trends_rejected" if checks.verdict == "significant_but_trends_rejected"
               else "verdict_not_trend_robust")
        items.append(text(key, lang, p=p, movement=movement, level=level,
                          estimate=format_number(checks.robust_estimate, lang, 2, signed=True),
                          interval=format_interval(checks.robust_conf_low, checks.robust_conf_high, lang)))
    else:
        items.append(text("finding_not_significant", lang, p=p))
        if checks.trends_rejected:
            items.append(text("finding_trends_rejected", lang, level=level,
                              estimate=format_number(checks.robust_estimate, lang, 2, signed=True),
                              interval=format_interval(checks.robust_conf_low, checks.robust_conf_high, lang)))
    if "poor_fit" in checks.warnings:
        items.append(text("finding_fit_poor", lang, share=format_percent(checks.fit_share_better, lang)))
    if "persistence" in checks.warnings:
        direction = "persistence_more" if checks.persistence > checks.persistence_high else "persistence_less"
        items.append(text("finding_persistence", lang, direction=text(direction, lang)))
    if "unbounded_interval" in checks.warnings:
        items.append(text("finding_unbounded", lang, n=checks.n_placebos, needed=math.ceil(2 / result.alpha - 1)))
    programme = data.programme_for(result.unit)
    if programme.empty:
        items.append(text("finding_no_programme", lang))
    else:
        last = programme.iloc[-1]
        potential = data.territory(result.unit)["potential_beneficiaries"]
        items.append(text("finding_ebe", lang, headcount=format_number(float(last["ebe_headcount"]), lang, 0),
                          fte=format_number(float(last["ebe_fte"]), lang, 0),
                          month=format_month(last["period"], lang),
                          potential=format_number(float(potential), lang, 0)))
    if costs is not None:
        year = latest_cost_year(costs)
        row = costs.aggregate("year").set_index("year").loc[year]
        items.append(text("finding_cost", lang, year=year, net=format_number(float(row["net_cost_per_fte"]), lang, 0),
                          low=format_number(COMITE_NET.low, lang, 0), high=format_number(COMITE_NET.high, lang, 0)))
    return findings_list_html(items)


def checks_block(checks: TerritoryChecks, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The pre-period checks in plain words, what they can and cannot show, and the trend-robust estimate."""
    parts = [text("checks_text", lang, n=checks.n_placebos,
                  pretrend=format_p_statement(checks.pretrend_p_value, lang),
                  in_time=format_p_statement(checks.placebo_in_time_p_value, lang)),
             text("checks_fail", lang, alpha=format_percent(checks.alpha, lang)) if checks.trends_rejected
             else text("checks_pass", lang),
             text("checks_robust", lang, estimate=format_number(checks.robust_estimate, lang, 2, signed=True),
                  level=format_percent(checks.confidence_level, lang),
                  interval=format_interval(checks.robust_conf_low, checks.robust_conf_high, lang))]
    return _html("".join(f"<p>{escape(part)}</p>" for part in parts))


def method_note(data: Dataset, result: PlaceboDidResult, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """How the estimate and its interval were built, in plain words."""
    return paragraph("method_text", lang, n_controls=len(data.comparison_ids), pre=result.n_pre, post=result.n_post)


def results_table(data: Dataset, effects: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The summary table of every territory's estimate, escaped and localised."""
    header = "".join(f"<th>{escape(text(key, lang))}</th>" for key in
                     ("col_territory", "col_adoption", "col_estimate", "col_interval", "col_p_value", "col_status"))
    rows = []
    for row in effects.itertuples():
        territory = data.territory(row.territory_id)
        status = text("status_estimated", lang) if row.status == "ok" else row.status
        cells = [territory["name"], format_month(territory["adoption_date"], lang),
                 format_number(row.estimate, lang, 2, signed=True), format_interval(row.conf_low, row.conf_high, lang),
                 format_p_value(row.p_value, lang) if row.status == "ok" else "–", status]
        rows.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>")
    return _html(f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def summary_title(lang: str = DEFAULT_LANGUAGE) -> HTML:
    """Title of the all-territories summary."""
    return _html(f'<h1 class="tzeval-title">{escape(text("summary_title", lang))}</h1>')


def cost_findings(costs, deadweight_check: tuple[float, float] | None, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The latest year's costs: gross, avoided and net per FTE, the official reference, the start-up grant.

    ``deadweight_check`` is the deadweight the territory's own estimate implies (see
    :func:`tzeval.territory_costs.own_deadweight`), shown beside the published one.
    """
    if costs is None:
        return paragraph("costs_none", lang)
    frame = costs.to_frame()
    year = int(frame["year"].max())
    row = costs.aggregate("year").set_index("year").loc[year]
    selected = (frame["year"] == year).to_numpy()
    calibrated = costs.calibrated_avoided_cost(year)
    number = lambda value: format_number(float(value), lang, 0)  # noqa: E731
    parts = [text(
        "costs_text", lang, year=year, fte=number(row["fte_years"]), gross=number(row["gross_cost_per_fte"]),
        avoided=number(row["avoided_cost_per_fte"]), net=number(row["net_cost_per_fte"]),
        level=format_percent(costs.level, lang),
        interval=format_interval(row["net_cost_per_fte_low"], row["net_cost_per_fte_high"], lang, 0),
        ratio=format_percent(float(row["offset_ratio"]), lang), prob=format_percent(float(row["prob_offsets_cover_costs"]), lang),
        per_exit=number(row["cost_per_additional_exit"]),
    ), text("costs_benchmark", lang, avoided_low=number(COMITE_AVOIDED.low), avoided_high=number(COMITE_AVOIDED.high),
            net_low=number(COMITE_NET.low), net_high=number(COMITE_NET.high))]
    if set(frame.loc[selected, "phase"]) == {1}:
        parts.append(text("costs_benchmark_phase_1", lang))
    added = float(frame.loc[selected, "net_additional_fte"].sum())
    if row["startup_grant_per_fte"] > 0 and added > 0:
        total = float(row["startup_grant_per_fte"] * row["fte_years"])
        parts.append(text("costs_startup_grant", lang, per_job=number(total / added), total=number(total), year=year,
                          added=format_number(added, lang, 1)))
    if calibrated > 0:
        parts.append(text("costs_calibrated", lang, avoided=number(row["avoided_cost_per_fte"]),
                          calibrated=number(calibrated)))
    sources = set(frame.loc[selected, "deadweight_source"])
    if sources == {"territory estimate"}:
        parts.append(text("costs_deadweight_own", lang, deadweight=format_percent(float(row["deadweight"]), lang)))
    else:
        parts.append(text("costs_deadweight_published", lang,
                          deadweight=format_percent(float(row["deadweight"]), lang)))
        if deadweight_check is not None:
            parts.append(text("costs_deadweight_check", lang, deadweight=format_percent(deadweight_check[0], lang)))
    parts.append(text("costs_method", lang, draws=format_number(float(costs.n_draws), lang, 0)))
    return _html("".join(f"<p>{escape(part)}</p>" for part in parts))


def latest_cost_year(costs) -> int:
    """The last year of a cost result: the one the report's figures describe."""
    return int(costs.to_frame()["year"].max())


def robustness_line(result: PlaceboDidResult, check, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The second method's estimate and whether it agrees with the report's.

    For a territory whose noise is outside the comparison territories' range, the
    second method's interval is not reliable: its estimate is shown without interval or
    verdict, and the report says why.
    """
    from ..robustness import methods_agree, noise_within_donors

    row = check.to_frame().iloc[0]
    estimate = format_number(float(row["estimate"]), lang, 2, signed=True)
    inside, _, _ = noise_within_donors(result)
    if not inside:
        return _html(f"<p>{escape(text('robustness_line_no_interval', lang, estimate=estimate))}</p>")
    line = text("robustness_line", lang, estimate=estimate,
                level=format_percent(1 - check.alpha, lang), low=format_number(float(row["conf_low"]), lang, 2, signed=True),
                high=format_number(float(row["conf_high"]), lang, 2, signed=True))
    agree = methods_agree(result.estimate, result.conf_low, result.conf_high, check)
    verdict = text("robustness_agree" if agree else "robustness_disagree", lang)
    return _html(f"<p>{escape(line)}</p><p>{escape(verdict)}</p>")
