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
    MESSAGES,
    format_duration,
    format_interval,
    format_month,
    format_number,
    format_p_statement,
    format_p_value,
    format_percent,
    format_period_label,
    format_period_list,
    format_period_when,
    text,
    text_count,
)
from ..placebo_did import PlaceboDidResult, min_placebos_for_bounded_interval
from ..territory_checks import TerritoryChecks, territory_checks
from ..territory_effects import effect_in_people, estimation_sample


def _html(markup: str) -> HTML:
    return HTML(markup)


def _p(sentence: str) -> str:
    return f"<p>{escape(sentence)}</p>"


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
        text("finding_effect", lang, duration=format_duration(result.n_post, data.frequency, lang),
             estimate=format_number(result.estimate, lang, 2, signed=True),
             people=text_count("people_fewer" if falls else "people_more", abs(people), lang)),
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
        items.append(_unbounded_reason(data, result, checks, lang))
    programme = data.programme_for(result.unit)
    if programme.empty:
        items.append(text("finding_no_programme", lang))
    else:
        last = programme.iloc[-1]
        potential = data.territory(result.unit)["potential_beneficiaries"]
        items.append(text("finding_ebe", lang, employees=text_count("count_employees", float(last["ebe_headcount"]), lang),
                          fte=text_count("count_fte", float(last["ebe_fte"]), lang),
                          when=format_period_when(last["period"], data.programme_frequency, lang),
                          potential=text_count("count_potential", float(potential), lang)))
    if costs is not None:
        year = latest_cost_year(costs)
        row = costs.aggregate("year").set_index("year").loc[year]
        items.append(text("finding_cost", lang, year=year, net=format_number(float(row["net_cost_per_fte"]), lang, 0),
                          low=format_number(COMITE_NET.low, lang, 0), high=format_number(COMITE_NET.high, lang, 0)))
    return findings_list_html(items)


def _unbounded_reason(data: Dataset, result: PlaceboDidResult, checks: TerritoryChecks, lang: str) -> str:
    """Why the interval has no bounds: most often a comparison pool too small for the level."""
    level = format_percent(result.confidence_level, lang)
    needed = format_number(min_placebos_for_bounded_interval(result.alpha), lang, 0)
    sample = estimation_sample(data, result.unit)
    if not sample.too_few_controls(result.alpha):
        # enough comparison territories, but the calculation drew fewer placebos (max_placebos)
        return text("finding_unbounded", lang, level=level, needed=needed,
                    placebos=text_count("count_controls", checks.n_placebos, lang))
    controls = text_count("count_controls", len(sample.controls), lang)
    if sample.excluded_controls:
        # hidden values are the reason the pool is short: say so where the verdict is read
        return text("finding_too_few_controls_excluded", lang, controls=controls, level=level, needed=needed,
                    excluded=text_count("count_left_out", len(sample.excluded_controls), lang))
    return text("finding_too_few_controls", lang, controls=controls, level=level, needed=needed)


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
    return _html("".join(_p(part) for part in parts))


def method_note(data: Dataset, result: PlaceboDidResult, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """How the estimate and its interval were built, in plain words.

    The window is counted in the data's unit (« 5 ans avant, 8 ans après »). For
    quarterly or yearly data a sentence gives the first-treated-period rule with this
    territory's dates; for rounded counts (``dataset.json`` ``rounding``) a sentence says
    that a gap of a few people cannot be measured.
    """
    sample = estimation_sample(data, result.unit)
    parts = [text("method_text", lang, controls=text_count("count_controls", len(sample.controls), lang),
                  pre=format_duration(result.n_pre, data.frequency, lang),
                  post=format_duration(result.n_post, data.frequency, lang))]
    if data.frequency != "monthly":
        territory = data.territory(result.unit)
        parts.append(text(f"method_frequency_{data.frequency}", lang,
                          adoption=format_month(territory["adoption_date"], lang),
                          first=format_period_label(territory["first_period"], data.frequency, lang)))
    if data.rounding is not None:
        parts.append(text("method_rounding", lang, precision=_rounding_precision(int(data.rounding), lang)))
    return _html("".join(_p(part) for part in parts))


def _rounding_precision(base: int, lang: str) -> str:
    if base in (10, 100, 1000):
        return text(f"rounding_{base}", lang)
    return text("rounding_other", lang, base=format_number(base, lang, 0))


def data_quality(data: Dataset, territory_id: str, lang: str = DEFAULT_LANGUAGE) -> HTML | None:
    """What the published data hide or estimate for one territory, and how the report deals with it.

    Lists the territory's own suppressed cells (period, figure, file), its periods left
    out of the estimate, the comparison territories left out of its pool because of a
    suppressed cell (:func:`tzeval.territory_effects.estimation_sample`) and the periods
    whose population was interpolated, each with one sentence saying why.

    Returns
    -------
    HTML or None
        None when there is nothing to say, so that the report shows no empty section.
    """
    frequency = data.frequency
    parts = []
    own = data.suppressed[data.suppressed["territory_id"] == territory_id]
    if not own.empty:
        parts.append(_p(text_count("dq_suppressed", len(own), lang)))
        parts.append(suppressed_table(own, frequency, lang, with_territory=False))
        parts.append(_p(text("dq_suppressed_why", lang)))
    sample = estimation_sample(data, territory_id)
    if sample.dropped_periods:
        periods = format_period_list(sample.dropped_periods, frequency, lang)
        parts.append(_p(text_count("dq_dropped", len(sample.dropped_periods), lang, periods=periods)))
    if sample.excluded_controls:
        parts.append(_p(text_count("dq_excluded", len(sample.excluded_controls), lang)))
    outcomes = data.outcomes
    interpolated = outcomes.loc[(outcomes["territory_id"] == territory_id) & outcomes["population_interpolated"], "period"]
    if not interpolated.empty:
        periods = format_period_list(interpolated, frequency, lang)
        parts.append(_p(text_count("dq_interpolated", len(interpolated), lang, periods=periods)))
    return _html("".join(parts)) if parts else None


def suppressed_table(cells: pd.DataFrame, frequency: str, lang: str = DEFAULT_LANGUAGE, *,
                     names: pd.Series | None = None, with_territory: bool = True) -> str:
    """Suppressed cells (rows of :attr:`Dataset.suppressed`) as an escaped HTML table.

    One row per territory, figure and file, its periods listed compactly (« 2013–2015,
    2018 »), so that a territory hidden for years takes one line, not one per period.
    ``names`` maps territory ids to the names shown when ``with_territory``.
    """
    keys = (["col_territory"] if with_territory else []) + ["col_data", "col_periods", "col_file"]
    header = "".join(f"<th>{escape(text(key, lang))}</th>" for key in keys)
    rows = []
    for (territory_id, column, file), group in cells.groupby(["territory_id", "column", "file"], sort=True):
        label_key = f"data_column_{column}"
        cells_shown = [text(label_key, lang) if label_key in MESSAGES else column,
                       format_period_list(group["period"], frequency, lang), file]
        if with_territory:
            cells_shown.insert(0, names.get(territory_id, territory_id) if names is not None else territory_id)
        rows.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells_shown) + "</tr>")
    return f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


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


def cost_findings(costs, deadweight_check: tuple[float, float] | None, lang: str = DEFAULT_LANGUAGE, *,
                  result: PlaceboDidResult | None = None, programme: pd.DataFrame | None = None) -> HTML:
    """The latest year's costs: gross, avoided and net per FTE, the official reference, the start-up grant.

    Parameters
    ----------
    costs : CostResult or None
        :func:`tzeval.territory_costs.territory_costs`; None when nothing can be computed.
    deadweight_check : (float, float) or None
        The deadweight the territory's own estimate implies (see
        :func:`tzeval.territory_costs.own_deadweight`), shown beside the published one.
    lang : str
    result : PlaceboDidResult, optional
        The territory's estimate. When its interval is unbounded, the cost per person
        taken out of long-term unemployment is not printed: the report could not bound
        the effect it would be a cost of.
    programme : DataFrame, optional
        The territory's programme rows; when given and empty, a missing cost is put down
        to the missing headcount data rather than to an EBE that employs no one.
    """
    if costs is None:
        return paragraph("costs_no_programme" if programme is not None and programme.empty else "costs_none", lang)
    frame = costs.to_frame()
    year = int(frame["year"].max())
    row = costs.aggregate("year").set_index("year").loc[year]
    selected = (frame["year"] == year).to_numpy()
    calibrated = costs.calibrated_avoided_cost(year)
    number = lambda value: format_number(float(value), lang, 0)  # noqa: E731
    values = dict(
        year=year, fte=number(row["fte_years"]), gross=number(row["gross_cost_per_fte"]),
        avoided=number(row["avoided_cost_per_fte"]), net=number(row["net_cost_per_fte"]),
        level=format_percent(costs.level, lang),
        interval=format_interval(row["net_cost_per_fte_low"], row["net_cost_per_fte_high"], lang, 0),
        ratio=format_percent(float(row["offset_ratio"]), lang), prob=format_percent(float(row["prob_offsets_cover_costs"]), lang),
    )
    bounded = result is None or (math.isfinite(result.conf_low) and math.isfinite(result.conf_high))
    parts = [text("costs_text", lang, **values)]
    if bounded:
        parts.append(text("costs_per_exit", lang, per_exit=number(row["cost_per_additional_exit"])))
    else:
        parts.append(text("costs_per_exit_withheld", lang))
    parts.append(text("costs_benchmark", lang, avoided_low=number(COMITE_AVOIDED.low),
                      avoided_high=number(COMITE_AVOIDED.high), net_low=number(COMITE_NET.low),
                      net_high=number(COMITE_NET.high)))
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
    return _html("".join(_p(part) for part in parts))


def latest_cost_year(costs) -> int:
    """The last year of a cost result: the one the report's figures describe."""
    return int(costs.to_frame()["year"].max())


def robustness_line(result: PlaceboDidResult, check, lang: str = DEFAULT_LANGUAGE, *,
                    frequency: str = "monthly") -> HTML:
    """The second method's estimate and whether it agrees with the report's.

    ``frequency`` names the periods the method weights (months, quarters or years). For
    a territory whose noise is outside the comparison territories' range, the second
    method's interval is not reliable: its estimate is shown without interval or verdict,
    and the report says why.
    """
    from ..robustness import methods_agree, noise_within_donors

    row = check.to_frame().iloc[0]
    estimate = format_number(float(row["estimate"]), lang, 2, signed=True)
    inside, _, _ = noise_within_donors(result)
    periods = text(f"robustness_periods_{frequency}", lang)
    if not inside:
        return _html(f"<p>{escape(text('robustness_line_no_interval', lang, estimate=estimate, periods=periods))}</p>")
    line = text("robustness_line", lang, estimate=estimate, periods=periods,
                level=format_percent(1 - check.alpha, lang), low=format_number(float(row["conf_low"]), lang, 2, signed=True),
                high=format_number(float(row["conf_high"]), lang, 2, signed=True))
    agree = methods_agree(result.estimate, result.conf_low, result.conf_high, check)
    verdict = text("robustness_agree" if agree else "robustness_disagree", lang)
    return _html(f"<p>{escape(line)}</p><p>{escape(verdict)}</p>")
