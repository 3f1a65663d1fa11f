"""The cross-programme scale-gap table: validation, coverage, costs, and adding a programme by rows."""

from __future__ import annotations

import csv
import shutil
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tzeval import scale_gap
from tzeval.scale_gap import COLUMNS, PUBLIC_DIR, ProgrammeTableError, load_programmes, programmes_from_frame

SHIPPED = PUBLIC_DIR / "programmes.csv"


def _rows() -> list[dict]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(folder: Path, rows: list[dict]) -> Path:
    path = folder / "programmes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(programme, metric, value="", unit="", year="2024", low="", high="", source="Test source", as_of="2025-01",
         note="") -> dict:
    return dict(programme=programme, metric=metric, value=value, low=low, high=high, unit=unit, year=year,
                source=source, as_of=as_of, note=note)


def _row_number(rows: list[dict], programme: str, metric: str) -> int:
    """Data row number (1 = line 2) of the first row matching programme and metric."""
    return next(i for i, r in enumerate(rows, start=1) if r["programme"] == programme and r["metric"] == metric)


# --- The shipped table -----------------------------------------------------------------------

def test_shipped_table_has_a_source_and_a_date_on_every_row():
    table = load_programmes()
    assert (table.frame["source"] != "").all() and (table.frame["as_of"] != "").all()
    assert {"TZCLD", "ADIE (microcredit)", "3e internships", "La Bagagerie mains libres"} <= set(table.programmes)


def test_shipped_comparison_by_hand():
    result = scale_gap.compare_programmes()
    frame = result.to_frame().set_index("programme")
    tzcld = frame.loc["TZCLD"]
    assert tzcld["reach"] == 3290 and tzcld["reach_year"] == 2024  # latest year with both reach and proxy
    assert tzcld["need"] == 2_260_900 and tzcld["need_kind"] == "proxy"  # DELD count, not the TZCLD need
    assert tzcld["coverage"] == pytest.approx(3290 / 2_260_900)
    adie = frame.loc["ADIE (microcredit)"]
    assert adie["coverage"] == pytest.approx(0.2) and adie["coverage_bound"] == "at_most"
    assert np.isnan(adie["coverage_low"]) and adie["coverage_high"] == pytest.approx(0.2)
    assert frame.loc["3e internships", "coverage"] == pytest.approx(0.1)
    assert frame.loc["3e internships", "status"] == "coverage_only"
    assert frame.loc["La Bagagerie mains libres", "status"] == "no_coverage_no_cost"
    costs = result.to_frame("costs")
    net = costs[(costs["programme"] == "TZCLD") & costs["unit"].str.contains("net")].iloc[0]
    assert (net["low"], net["value"], net["high"]) == (11300, 12500, 13700)
    benchmark = costs[costs["kind"] == "benchmark"]
    assert list(benchmark["programme"]) == ["ADIE (microcredit)"] and benchmark["value"].iloc[0] == 10000
    assert len(result.to_frame("qualitative").query("programme == 'La Bagagerie mains libres'")) == 4


def test_programmes_without_cost_are_shown_apart_not_dropped():
    result = scale_gap.compare_programmes()
    figure = result.plot()
    side_panel = [trace.name for trace in figure.data if trace.xaxis == "x2"]
    assert any("3e internships" in name for name in side_panel)
    notes = " ".join(annotation.text for annotation in figure.layout.annotations)
    assert "La Bagagerie mains libres" in notes
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    assert "Couverture" in figure.layout.title.text and "Coverage" in result.plot("en").layout.title.text
    assert "TZCLD : 0,15\u202f% (ordre de grandeur)" in notes
    assert "TZCLD: 0.15% (order of magnitude)" in " ".join(a.text for a in result.plot("en").layout.annotations)
    assert "qualitatif" in result.summary() and "20" in result.summary("en")


# --- TZCLD: the DELD count is an order of magnitude, not the need; the reach is 4,051 ---------

DELD_LABEL = {
    "fr": "2\u202f260\u202f900 demandeurs d'emploi de longue durée inscrits (DELD, catégories A, B, C, inscrits depuis "
          "12 mois ou plus, France métropolitaine, moyenne du 4e trimestre 2024)",
    "en": "2,260,900 registered long-term job seekers (DELD, categories A, B, C, registered 12 months or more, "
          "mainland France, Q4 2024 average)",
}
DELD_CAVEAT = {
    "fr": ("ordre de grandeur du besoin", "catégories B et C comptent des personnes qui travaillent une partie du mois",
           "ne sont pas inscrites à France Travail n'y figurent pas",
           "se compte territoire par territoire et n'a pas de total national"),
    "en": ("order of magnitude of the TZCLD need", "Categories B and C include people who work part of the month",
           "not registered at France Travail are missing", "counted territory by territory and has no national total"),
}
TZCLD_REACH = {"fr": "4\u202f051 salariés dans 92 EBE, mi-2025", "en": "4,051 employees in 92 EBEs, mid-2025"}


def test_the_deld_figure_is_a_labelled_proxy_with_its_source_not_the_need():
    rows = [r for r in _rows() if r["programme"] == "TZCLD" and r["value"] == "2260900"]
    assert [(r["metric"], r["year"], r["unit"]) for r in rows] == [("need_proxy", "2024", "people")]
    assert "France Travail / DARES, STMT" in rows[0]["source"] and "(January 2025)" in rows[0]["source"]
    assert rows[0]["as_of"] == "2025-01"
    assert not [r for r in _rows() if r["programme"] == "TZCLD" and r["metric"] == "need"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_findings_give_the_deld_label_and_the_order_of_magnitude_caveat_next_to_it(lang):
    result = scale_gap.compare_programmes()
    findings = result.findings(lang)
    position = next(i for i, item in enumerate(findings) if DELD_LABEL[lang] in item)
    assert findings[position].startswith("TZCLD")
    assert "France Travail / DARES, STMT" in findings[position]
    assert ("ordre de grandeur, pas la part du besoin couverte" if lang == "fr"
            else "order of magnitude, not the share of the need covered") in findings[position]
    caveat = findings[position + 1]  # the very next sentence on the page
    for part in DELD_CAVEAT[lang]:
        assert part in caveat
    text = "\n".join(findings)
    assert ("besoin de 2\u202f260\u202f900" if lang == "fr" else "need of 2,260,900") not in text
    sources = result.sources_html(lang).data
    assert escape(DELD_LABEL[lang]) in sources
    assert escape("Ordre de grandeur du besoin" if lang == "fr" else "Order of magnitude of the need") in sources


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tzcld_current_reach_is_4051_employees_in_92_ebes(lang):
    table = load_programmes()
    reach = table.frame.query("programme == 'TZCLD' and metric == 'reach'").sort_values("year").iloc[-1]
    assert (reach["value"], int(reach["year"])) == (4051, 2025)
    assert np.isnan(reach["low"]) and np.isnan(reach["high"])  # an exact count, not "a little over 4,000"
    assert "banquedesterritoires.fr, 23 September 2025" in reach["source"] and "92 EBEs" in reach["note"]
    result = scale_gap.compare_programmes()
    latest = [item for item in result.findings(lang) if TZCLD_REACH[lang] in item]
    assert len(latest) == 1 and latest[0].startswith("TZCLD") and "banquedesterritoires.fr" in latest[0]
    text = result.summary(lang) + result.sources_html(lang).data
    assert ("4\u202f000" if lang == "fr" else "4,000") not in text
    assert TZCLD_REACH[lang] in result.sources_html(lang).data


def test_a_year_bound_figure_label_does_not_outlive_its_figure():
    frame = pd.DataFrame([r for r in _rows() if r["programme"] == "TZCLD"])
    frame.loc[frame["metric"] == "need_proxy", "year"] = "2025"  # a new DELD figure, not yet worded
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    findings = result.findings("fr")
    assert not any("4e trimestre 2024" in item for item in findings)
    proxy = next(item for item in findings if "2\u202f260\u202f900" in item)
    assert "(people, 2025)" in proxy and "4\u202f051" in proxy  # latest year shared with the reach
    assert any("catégories B et C" in item for item in findings)  # the caveat has no year: it stays
    assert scale_gap.figure_key("TZCLD", "need_proxy", "label", 2024) == "sg_figure_tzcld_need_proxy_2024_label"


def test_a_need_proxy_is_used_only_without_a_need_and_is_checked_like_a_need(tmp_path):
    frame = pd.DataFrame([_row("P", "reach", "10", "people"), _row("P", "need", "100", "people"),
                          _row("P", "need_proxy", "1000", "people")])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    row = result.to_frame().iloc[0]
    assert row["need_kind"] == "need" and row["coverage"] == pytest.approx(0.1)
    frame = pd.DataFrame([_row("P", "reach", "10", "people"), _row("P", "need_proxy", "1000", "people")])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    assert result.to_frame()["need_kind"].iloc[0] == "proxy"
    assert "order of magnitude" in result.summary("en") and "P: the need has no count of its own" in result.summary("en")
    rows = [_row("P", "reach", "10", "people"), _row("P", "need_proxy", "0", "people"),
            _row("Q", "reach", "10", "people"), _row("Q", "need_proxy", "100", "households")]
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    assert {(v.row, v.column) for v in error.value.violations} == {(2, "value"), (4, "unit")}


# --- Validation errors name file, row and column ---------------------------------------------

def test_a_row_without_source_is_refused_naming_file_row_and_column(tmp_path):
    rows = _rows()
    number = _row_number(rows, "ADIE (microcredit)", "need")
    rows[number - 1]["source"] = ""
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    assert f"programmes.csv, row {number} (line {number + 1}), column 'source'" in str(error.value)
    assert error.value.to_frame()[["row", "column"]].values.tolist() == [[number, "source"]]


@pytest.mark.parametrize(
    ("value", "rule"),
    [("20 000", "without thousands separators"), ("20,000", "without thousands separators"),
     ("about 20000", "expected a number"), ("-5", "cannot be negative"), ("", "needs a value")],
)
def test_a_bad_number_is_refused_naming_file_row_and_column(tmp_path, value, rule):
    rows = _rows()
    number = _row_number(rows, "ADIE (microcredit)", "reach")
    rows[number - 1]["value"] = value
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    message = str(error.value)
    assert f"programmes.csv, row {number} (line {number + 1}), column 'value'" in message
    assert rule in message


def test_unknown_metric_missing_date_and_bad_ranges_are_refused(tmp_path):
    rows = [
        _row("P", "reach", "10", "people"),
        _row("P", "coverage", "0.5", "share"),
        _row("P", "need", "100", "people", as_of=""),
        _row("Q", "reach", "10", "people", low="12"),
        _row("Q", "need", "100", "households"),
        _row("Q", "cost_per_outcome", "500", "euros per job"),
        _row("R", "qualitative_activity", "3", note=""),
        _row("R", "reach", "10", "people", year="24"),
        _row("R", "reach", "10", "people", year="24", source="again"),
        _row("S", "need", "0", "people"),
    ]
    with pytest.raises(ProgrammeTableError) as error:
        load_programmes(_write(tmp_path, rows))
    found = {(v.row, v.column) for v in error.value.violations}
    assert (2, "metric") in found  # unknown metric
    assert (3, "as_of") in found  # no date
    assert (4, "low") in found  # low above value
    assert (5, "unit") in found  # need not in the reach unit
    assert (6, "unit") in found  # cost unit not EUR/...
    assert {(7, "value"), (7, "note")} <= found  # qualitative row with a value and no note
    assert (8, "year") in found
    assert (10, "value") in found  # zero need
    assert "unknown metric" in str(error.value)


def test_duplicate_figures_and_missing_columns_are_refused(tmp_path):
    rows = [_row("P", "reach", "10", "people"), _row("P", "reach", "12", "people")]
    with pytest.raises(ProgrammeTableError, match=r"row 2 .*duplicate figure; first seen on row 1"):
        load_programmes(_write(tmp_path, rows))
    frame = pd.DataFrame([_row("P", "reach", "10", "people")]).drop(columns="source")
    with pytest.raises(ProgrammeTableError, match="column 'source': required column is missing"):
        programmes_from_frame(frame)


# --- Adding a programme is adding rows -------------------------------------------------------

def test_adding_rows_adds_a_programme_to_the_comparison(tmp_path):
    rows = _rows() + [
        _row("Garage solidaire", "reach", "50", "people/year"),
        _row("Garage solidaire", "need", "200", "people/year"),
        _row("Garage solidaire", "cost_per_outcome", "1500", "EUR/person back in work", low="1000", high="2500"),
        _row("Auto-école sociale", "reach", "30", "learners/year", year="2023"),
        _row("Auto-école sociale", "need", "120", "learners/year", year="2023"),
    ]
    result = scale_gap.compare_programmes(_write(tmp_path, rows).parent)  # a folder works as well as a file
    frame = result.to_frame().set_index("programme")
    assert frame.loc["Garage solidaire", "coverage"] == pytest.approx(0.25)
    assert frame.loc["Auto-école sociale", "status"] == "coverage_only"
    figure = result.plot()
    names = [trace.name for trace in figure.data]
    assert any(name.startswith("Garage solidaire: EUR/person back in work") for name in names)
    assert any("Auto-école sociale" in name for name in (t.name for t in figure.data if t.xaxis == "x2"))
    assert "Garage solidaire" in result.summary("en")
    before = scale_gap.compare_programmes()
    assert "Garage solidaire" not in before.to_frame()["programme"].tolist()


def test_spending_with_a_reach_of_the_same_year_gives_a_derived_cost():
    frame = pd.DataFrame([
        _row("P", "reach", "100", "people", year="2023"),
        _row("P", "reach", "200", "people", year="2024"),
        _row("P", "need", "1000", "people", year="2023"),
        _row("P", "spending", "500000", "EUR/year", year="2024"),
    ])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    row = result.to_frame().iloc[0]
    assert row["reach_year"] == 2023 and row["coverage"] == pytest.approx(0.1)  # latest year with both
    cost = result.to_frame("costs").iloc[0]
    assert bool(cost["derived"]) and cost["value"] == pytest.approx(2500) and cost["year"] == 2024
    assert cost["unit"].startswith("EUR/people")


def test_reach_and_need_of_different_years_are_flagged():
    frame = pd.DataFrame([_row("P", "reach", "10", "people", year="2024"),
                          _row("P", "need", "100", "people", year="2022")])
    result = scale_gap.compare_programmes(programmes_from_frame(frame))
    assert not result.to_frame()["same_year"].iloc[0]
    assert "2022" in result.summary("en")


def test_shipped_file_is_not_modified_by_loading(tmp_path):
    before = SHIPPED.read_bytes()
    shutil.copy(SHIPPED, tmp_path / "copy.csv")
    load_programmes(tmp_path / "copy.csv")
    load_programmes()
    assert SHIPPED.read_bytes() == before


def test_every_metric_has_a_label_in_both_languages():
    from tzeval.i18n import text

    for name, metric in scale_gap.METRICS.items():
        key = f"sg_metric_{name}" if metric.numeric else f"sg_dimension_{name}"
        assert text(key, "fr") and text(key, "en")
