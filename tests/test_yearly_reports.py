"""The yearly example (data/raw/demo-yearly) builds end to end and reads in years.

It has the shapes evaluators download: yearly stocks at 31 December rounded to 10,
suppressed cells, INSEE codes, two territories built from member units, census-year
populations and a French programme.csv.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from tzeval import load_dataset
from tzeval.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow
YEARLY = PROJECT_ROOT / "data" / "raw" / "demo-yearly"


def _text(path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_every_report_is_written(yearly_reports):
    data = load_dataset(YEARLY)
    assert yearly_reports.failed == [] and yearly_reports.cost_error is None
    written = {outcome.name for outcome in yearly_reports.written}
    assert written == {"summary", "scale_gap", *data.treated_ids}
    out = yearly_reports.out_dir
    for territory_id in data.treated_ids:
        assert (out / "territories" / f"{territory_id}.html").is_file()
    index = _text(out / "index.html")
    for name in data.territories.loc[data.treated_ids, "name"]:
        assert name in index


def test_results_table_counts_what_suppression_took_out(yearly_reports):
    data = load_dataset(YEARLY)
    effects = pd.read_csv(yearly_reports.out_dir / "results" / "territory_effects.csv",
                          dtype={"territory_id": str}).set_index("territory_id")
    assert (effects["status"] == "ok").all()
    excluded = {t for t in data.suppressed["territory_id"] if t in data.comparison_ids}
    assert (effects["n_controls_excluded"] == len(excluded)).all()
    assert (effects["n_controls"] == len(data.comparison_ids) - len(excluded)).all()
    treated_hidden = data.suppressed[data.suppressed["territory_id"].isin(data.treated_ids)]
    for territory_id, rows in treated_hidden.groupby("territory_id"):
        assert effects.loc[territory_id, "n_periods_dropped"] == len(rows)


def test_territory_report_speaks_in_years_and_shows_data_quality(yearly_reports):
    data = load_dataset(YEARLY)
    hidden = data.suppressed.loc[data.suppressed["territory_id"].isin(data.treated_ids), "territory_id"].iloc[0]
    page = _text(yearly_reports.out_dir / "territories" / f"{hidden}.html")
    assert re.search(r"Depuis l'habilitation \(\d+ ans?\)", page)
    assert "mois)" not in page.split("L'essentiel")[1].split("Le chômage de longue durée")[0]
    assert "Qualité des données" in page and "units_outcomes.csv" in page
    assert "arrondis à la dizaine" in page
    assert "Les données sont annuelles" in page


def test_summary_lists_hidden_values_and_the_yearly_cohort_rule(yearly_reports):
    page = _text(yearly_reports.out_dir / "summary.html")
    assert "première fin d'année après leur habilitation" in page
    assert "masquée" in page
