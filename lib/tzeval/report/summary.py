"""Blocks of the all-territories summary: overview counts, labels, the truth check."""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML

from ..dataset import Dataset
from ..i18n import DEFAULT_LANGUAGE, format_number, format_percent, text


def overview(data: Dataset, effects: pd.DataFrame, alpha: float, lang: str = DEFAULT_LANGUAGE) -> HTML:
    """How many territories were evaluated, and how many show a clear fall or rise."""
    ok = effects[effects["status"] == "ok"]
    clear = ok["p_value"] < alpha
    paragraphs = [
        text("summary_intro", lang, n=len(effects), kind=text("interval_kind_permutation", lang),
             level=format_percent(1 - alpha, lang)),
        text("summary_counts", lang, negative=int((clear & (ok["estimate"] < 0)).sum()),
             positive=int((clear & (ok["estimate"] > 0)).sum()), unclear=int((~clear).sum())),
    ]
    failed = effects[effects["status"] != "ok"]
    if not failed.empty:
        names = ", ".join(data.territory(t)["name"] for t in failed["territory_id"])
        paragraphs.append(text("summary_failed", lang, n=len(failed), names=names))
    return HTML("".join(f"<p>{escape(p)}</p>" for p in paragraphs))


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
