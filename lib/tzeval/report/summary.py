"""Blocks of the all-territories summary: overview counts, labels, the truth check."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
from IPython.display import HTML

from ..dataset import Dataset
from ..i18n import (DEFAULT_LANGUAGE, format_interval, format_number, format_p_statement, format_p_value,
                    format_percent, text, text_count)
from ..pooled import excluded_territories
from .blocks import suppressed_table


def overview(data: Dataset, effects: pd.DataFrame, alpha: float, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """How many territories were evaluated, and how many show a clear fall or rise."""
    ok = effects[effects["status"] == "ok"]
    # a gap is called clear only when it survives the pre-period checks and the trend-robust estimate
    clear = ok["verdict"] == "significant"
    fragile = (ok["p_value"] < alpha) & ~clear
    paragraphs = [
        text("summary_intro", lang, evaluated=text_count("count_evaluated", len(effects), lang),
             kind=text("interval_kind_permutation", lang), level=format_percent(1 - alpha, lang)),
        # only the first count carries the verb, so only it needs agreeing with
        text("summary_counts", lang,
             negative=text_count("count_territories_show", int((clear & (ok["estimate"] < 0)).sum()), lang),
             positive=format_number(int((clear & (ok["estimate"] > 0)).sum()), lang, 0),
             unclear=format_number(int((~clear & ~fragile).sum()), lang, 0)),
    ]
    if fragile.any():
        paragraphs.append(text_count("summary_counts_fragile", int(fragile.sum()), lang))
    failed = effects[effects["status"] != "ok"]
    if not failed.empty:
        names = ", ".join(data.territory(t)["name"] for t in failed["territory_id"])
        paragraphs.append(text_count("summary_failed", len(failed), lang, names=names))
    return HTML("".join(f"<p>{escape(p)}</p>" for p in paragraphs))


def data_quality(data: Dataset, lang: str = DEFAULT_LANGUAGE) -> HTML | None:
    """How many published values are hidden, in how many territories, and those of habilitated territories.

    Returns None when no value is hidden, so that the summary shows no empty section.
    """
    hidden = data.suppressed
    if hidden.empty:
        return None
    parts = [text("summary_suppressed", lang, values=text_count("count_values", len(hidden), lang),
                  territories=text_count("count_territories", hidden["territory_id"].nunique(), lang))]
    html = "".join(f"<p>{escape(part)}</p>" for part in parts)
    treated = hidden[hidden["territory_id"].isin(data.treated_ids)]
    if not treated.empty:
        html += f"<p>{escape(text('summary_suppressed_treated', lang))}</p>"
        html += suppressed_table(treated, data.frequency, lang, names=data.territories["name"])
    return HTML(html)


def labelled(data: Dataset, effects: pd.DataFrame) -> pd.DataFrame:
    """``effects`` indexed by territory_id with a display ``label`` (name and adoption month)."""
    frame = effects.set_index("territory_id")
    names = data.territories.loc[frame.index, "name"]
    adopted = data.territories.loc[frame.index, "adoption_date"].dt.strftime("%Y-%m")
    return frame.assign(label=names + " (" + adopted + ")")


def truth_for(data: Dataset, effects: pd.DataFrame) -> pd.Series:
    """The known true effect of each territory of ``effects`` (synthetic data only)."""
    return data.truth.set_index("territory_id").loc[effects["territory_id"], "true_effect"].set_axis(
        effects["territory_id"]
    )


def truth_check(data: Dataset, effects: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """Share of intervals containing the true effect, and the estimate-truth correlation."""
    ok = effects[effects["status"] == "ok"].set_index("territory_id")
    truth = data.truth.set_index("territory_id").loc[ok.index, "true_effect"]
    covered = int(((ok["conf_low"] <= truth) & (truth <= ok["conf_high"])).sum())
    return HTML("<p>" + escape(text(
        "truth_check", lang, covered=covered, n=len(ok), share=format_percent(covered / max(len(ok), 1), lang),
        corr=format_number(float(ok["estimate"].corr(truth)), lang, 2),
    )) + "</p>")


def pooled_overview(data: Dataset, pooled, dynamic, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The pooled event study in a few paragraphs: the effect, what its interval is for,
    the pre-test, and how to read the figure.

    Parameters
    ----------
    pooled : GroupTimeATT
        :func:`tzeval.pooled_effects` (its estimand, pre-test and noise check).
    dynamic : AggregatedATT
        Its ``aggregate("dynamic")``.
    """
    overall = dynamic.overall
    level = format_percent(1 - dynamic.alpha, lang)
    excluded = set(excluded_territories(data))
    controls = [t for t in data.comparison_ids if t not in excluded]
    cohort_rule = text("pooled_cohort_yearly" if data.frequency == "yearly" else "pooled_cohort_averaged", lang)
    intro = text("pooled_intro", lang, cohort_rule=cohort_rule,
                 controls=text_count("count_controls", len(controls), lang),
                 estimate=format_number(overall.estimate, lang, 2, signed=True), level=level,
                 low=format_number(overall.conf_low, lang, 2, signed=True),
                 high=format_number(overall.conf_high, lang, 2, signed=True))
    n_treated = int(np.sum(np.asarray(pooled.unit_cohorts) != 0))
    if pooled.estimand == "sample":
        ratio = getattr(pooled, "dispersion_ratio", None)
        if ratio is None:  # a sample result made before the dispersion choice existed
            check = pooled.noise_dispersion_check()
            ratio = np.average(check["dispersion_ratio"], weights=check["n_units"] * check["n_pre_cells"])
        key = "pooled_estimand_sample_adaptive" if getattr(pooled, "dispersion", None) == "adaptive" else (
            "pooled_estimand_sample")
        estimand = text(key, lang, n_treated=n_treated, ratio=format_number(ratio, lang, 2))
        # Next to the interval: was it widened because the habilitated territories look noisier?
        scale, bound = getattr(pooled, "dispersion_scale", 1.0), getattr(pooled, "dispersion_bound", np.nan)
        if scale > 1:
            intro += " " + text("pooled_dispersion_widened", lang, ratio=format_number(ratio, lang, 2),
                                factor=format_number(scale, lang, 2))
        elif getattr(pooled, "dispersion", None) == "adaptive":
            intro += " " + text("pooled_dispersion_not_widened", lang, bound=format_number(bound, lang, 2))
        elif getattr(pooled, "dispersion", None) == "assume_equal":
            intro += " " + text("pooled_dispersion_assumed", lang, bound=format_number(bound, lang, 2))
    else:
        estimand = text("pooled_estimand_population", lang, n_treated=n_treated)
    paragraphs = [intro, estimand]
    if excluded:
        paragraphs.append(text(
            "pooled_excluded", lang,
            treated=text_count("count_habilitated", len(excluded & set(data.treated_ids)), lang),
            controls=text_count("count_controls", len(excluded & set(data.comparison_ids)), lang)))
    if np.isfinite(pooled.pretest.p_value):
        paragraphs.append(text("pooled_pretest", lang, n_cells=pooled.pretest.df,
                               p_statement=format_p_statement(pooled.pretest.p_value, lang)))
    paragraphs.append(text("pooled_reading", lang, level=level))
    return HTML("".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs))


def cohort_table(group, cohort_sizes: pd.Series, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """Effect by cohort with its pointwise interval and the number of territories."""
    header = "".join(f"<th>{escape(text(key, lang))}</th>" for key in
                     ("col_cohort", "col_territories", "col_estimate", "col_interval", "col_p_value"))
    rows = []
    for row in group.to_frame().itertuples():
        cells = [int(row.group), int(cohort_sizes.get(row.group, 0)), format_number(row.estimate, lang, 2, signed=True),
                 format_interval(row.conf_low, row.conf_high, lang),
                 format_p_value(row.p_value, lang)]
        rows.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>")
    return HTML(f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def sensitivity_overview(sensitivity, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """The breakdown value in a sentence a funder can read."""
    import math

    if math.isnan(sensitivity.breakdown):
        return HTML(f"<p>{escape(text('sensitivity_text_none', lang))}</p>")
    return HTML("<p>" + escape(text(
        "sensitivity_text", lang, largest=format_number(sensitivity.max_pre_change, lang, 2),
        breakdown=format_number(sensitivity.breakdown, lang, 2),
    )) + "</p>")


def national_cost_table(costs, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """Net public cost per FTE by year, all territories then phase 2, with the comité's figures as the last row."""
    from ..costs.benchmark import COMITE_AVOIDED, COMITE_NET, COMITE_PUBLISHED_NET_SHARE

    keys = ("col_year", "col_scope", "col_fte_years", "col_gross_cost", "col_offsets", "col_net_cost",
            "col_offset_ratio", "col_startup_grant", "col_net_total")
    header = "".join(f"<th>{escape(text(key, lang))}</th>" for key in keys)
    number = lambda value: format_number(float(value), lang, 0)  # noqa: E731
    scopes = [("scope_all", costs.aggregate("year"))]
    if (costs.frame["phase"] == 2).any():
        scopes.append(("scope_phase_2", costs.aggregate("year", phase=2)))
    rows = []
    for scope, table in scopes:
        for row in table.itertuples():
            cells = [int(row.year), text(scope, lang), number(row.fte_years), number(row.gross_cost_per_fte),
                     f"{number(row.avoided_cost_per_fte)} "
                     f"{format_interval(row.avoided_cost_per_fte_low, row.avoided_cost_per_fte_high, lang, 0)}",
                     f"{number(row.net_cost_per_fte)} "
                     f"{format_interval(row.net_cost_per_fte_low, row.net_cost_per_fte_high, lang, 0)}",
                     format_percent(row.offset_ratio, lang), number(row.startup_grant_per_fte),
                     format_number(row.net_cost_total / 1e6, lang, 1)]
            rows.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>")
    reference = ["2023", text("scope_comite", lang), "–",
                 f"≈ {number((COMITE_AVOIDED.middle + COMITE_NET.middle))}",
                 format_interval(COMITE_AVOIDED.low, COMITE_AVOIDED.high, lang, 0),
                 format_interval(COMITE_NET.low, COMITE_NET.high, lang, 0),
                 f"{format_percent(1 - COMITE_PUBLISHED_NET_SHARE.high, lang)}–{format_percent(1 - COMITE_PUBLISHED_NET_SHARE.low, lang)}",
                 "–", "–"]
    rows.append('<tr class="tzeval-reference">' + "".join(f"<td>{escape(cell)}</td>" for cell in reference) + "</tr>")
    calibrated = costs.calibrated_avoided_cost()
    intro = text("national_costs_text", lang, level=format_percent(costs.level, lang),
                 draws=format_number(float(costs.n_draws), lang, 0), calibrated=number(calibrated))
    overall = costs.aggregate().iloc[0]
    grants = float(costs.frame["startup_grant_per_fte"] @ (costs.frame["ebe_fte"] * costs.deflators()))
    total = text("national_costs_total", lang, first=int(costs.frame["year"].min()), last=int(costs.frame["year"].max()),
                 total=format_number(overall["net_cost_total"] / 1e6, lang, 1), euros_of=int(overall["euros_of"]),
                 grants=format_number(grants / 1e6, lang, 1))
    return HTML(f"<p>{escape(intro)}</p>"
                f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
                f"<p>{escape(total)}</p>")
