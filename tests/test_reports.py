"""End to end: notebooks through papermill to HTML reports, failures and escaping."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import PREVIOUS_REPORT, XSS_NAME
from tzeval.i18n import format_interval, format_number
from tzeval.report.render import PLOTLY_ASSET
from tzeval.territory_checks import WARNING_CODES
from tzeval.territory_effects import EFFECT_COLUMNS

pytestmark = pytest.mark.slow


def test_territory_report_has_rendered_figures_banner_and_no_code(demo_reports):
    summary, territory_id = demo_reports
    assert [o.name for o in summary.failed] == []
    html = (summary.out_dir / "territories" / f"{territory_id}.html").read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") >= 8, "series, gap, effect, pre-trend, EBE, waterfall, distribution, tornado"
    assert "Les tendances étaient-elles parallèles avant l'habilitation ?" in html
    assert "Estimation robuste à une tendance propre au territoire" in html
    assert f'src="../assets/{PLOTLY_ASSET}"' in html
    assert "Données de démonstration" in html and '<html lang="fr">' in html
    assert "L'essentiel" in html and "intervalle de permutation" in html
    assert "Vérification par une seconde méthode" in html and "Différences de différences synthétiques" in html
    assert "Ce que coûte le programme aux finances publiques" in html
    # the official reference sits beside the model's figure, and the calibrated share is flagged
    assert f"entre {format_number(11_300, 'fr', 0)} et {format_number(13_700, 'fr', 0)} € par ETP et par an" in html
    assert "calibrés pour retrouver le total publié par le comité scientifique" in html
    assert "relève de la première phase" in html, "the first demo territory is a 2017 pioneer"
    essentials = html[html.index("L'essentiel"):html.index("Le chômage de longue durée, avec et sans le programme")]
    assert "Coût pour les finances publiques en 2024" in essentials, "the net cost is in the first screen"
    assert "Le programme couvre-t-il le besoin ?" in html
    assert "import tzeval" not in html and "territory_effect(" not in html, "no code in a funder's report"
    assert "a lesson in difference-in-differences" not in html, "lesson cells are left out"
    assert not re.search(r"<script[^>]+src=\"https?://", html), "no CDN"
    asset = summary.out_dir / "assets" / PLOTLY_ASSET
    assert asset.stat().st_size > 1_000_000 and b"plotly" in asset.read_bytes()[:2000].lower()


def test_summary_index_and_effects_table(demo_reports):
    summary, territory_id = demo_reports
    out = summary.out_dir
    summary_html = (out / "summary.html").read_text(encoding="utf-8")
    assert summary_html.count("Plotly.newPlot(") >= 4 and "Données de démonstration" in summary_html
    assert "Effet moyen par cohorte" in summary_html and "fois ce maximum" in summary_html
    assert "Coût pour les finances publiques, tous territoires" in summary_html
    assert "Comité scientifique 2025 (phase 2)" in summary_html and format_interval(11_300, 13_700, "fr", 0) in summary_html
    costs = pd.read_csv(out / "results" / "cost_offsets.csv")
    national = costs[(costs["territory_id"] == "national") & (costs["phase"] == "2")].set_index("year")
    assert 12_900 <= national.loc[2023, "avoided_cost_per_fte"] <= 15_300, "the comité's phase 2 range"
    assert 11_300 <= national.loc[2023, "net_cost_per_fte"] <= 13_700
    territory_rows = costs[costs["territory_id"] != "national"]
    assert territory_rows["territory_id"].nunique() >= 80 and (costs["euros_of"] == costs["year"]).all()
    assert costs.drop(columns=["cost_per_additional_exit_low", "cost_per_additional_exit_high"]).notna().all().all()
    assert "Couverture du besoin, territoire par territoire" in summary_html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="summary.html"' in index
    assert f'href="territories/{territory_id}.html"' in index
    assert "Données de démonstration" in index and "Plotly.newPlot(" in index
    effects = pd.read_csv(out / "results" / "territory_effects.csv")
    assert list(effects.columns) == EFFECT_COLUMNS
    assert len(effects) == 85 and (effects["status"] == "ok").all()
    assert (effects["method"] == "placebo_did").all() and (effects["alpha"] == 0.05).all()
    assert effects["std_error"].notna().all()
    assert effects["pretrend_p_value"].between(0, 1).all() and effects["robust_conf_low"].notna().all()
    assert set(effects["verdict"]) <= {"significant", "significant_but_trends_rejected",
                                       "significant_not_trend_robust", "not_significant"}
    codes = effects["warnings"].fillna("").str.split(";").explode()
    assert set(codes[codes != ""]) <= set(WARNING_CODES)
    assert (effects["conf_low"] <= effects["estimate"]).all() and (effects["estimate"] <= effects["conf_high"]).all()
    assert summary.closing_line().startswith("3 reports written, 0 failed")
    assert 'href="scale_gap.html"' in index
    scale_gap = (out / "scale_gap.html").read_text(encoding="utf-8")
    assert scale_gap.count("Plotly.newPlot(") >= 4 and "Données de démonstration" in scale_gap


def test_failing_territory_keeps_its_previous_report_and_others_complete(hostile_reports):
    completed, out, xss_id, failing_id = hostile_reports
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert re.search(r"^4 reports written, 1 failed", completed.stdout, re.M), completed.stdout
    assert f"failed: {failing_id} (previous report kept): EstimationError" in completed.stderr
    assert (out / "territories" / f"{failing_id}.html").read_text() == PREVIOUS_REPORT
    assert (out / "territories" / f"{xss_id}.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Rapports en échec" in index and "la version précédente est conservée" in index
    effects = pd.read_csv(out / "results" / "territory_effects.csv").set_index("territory_id")
    assert effects.loc[failing_id, "status"].startswith("failed:") and pd.isna(effects.loc[failing_id, "estimate"])


def test_names_from_the_data_are_escaped(hostile_reports):
    _, out, xss_id, _ = hostile_reports
    for page in (out / "territories" / f"{xss_id}.html", out / "index.html", out / "summary.html",
                 out / "scale_gap.html"):
        html = page.read_text(encoding="utf-8")
        assert XSS_NAME not in html, f"raw script tag in {page.name}"
        if page.name != "scale_gap.html":  # that page names territories only inside chart data
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"name missing from {page.name}"


def test_unsafe_or_unknown_territory_is_refused_before_anything_runs(tmp_path):
    import subprocess
    import sys

    for bad, message in (("../x", "not a territory id"), ("nowhere", "no treated territory with id 'nowhere'")):
        completed = subprocess.run(
            [sys.executable, "-m", "tzeval", "reports", "--territory", bad, "--out", str(tmp_path), "--quiet"],
            capture_output=True, text=True,
        )
        assert completed.returncode == 2
        assert message in completed.stderr and "Traceback" not in completed.stderr
    assert not (tmp_path / "territories").exists()
    assert not any((tmp_path.parent / "x").glob("*.html"))


def test_english_self_contained_report(tmp_path):
    from tzeval.paths import DEMO_DATA_DIR
    from tzeval.report.runner import build_reports

    territory_id = pd.read_csv(DEMO_DATA_DIR / "territories.csv", dtype=str).query("treated == '1'")["territory_id"].iloc[12]
    summary = build_reports(DEMO_DATA_DIR, tmp_path, territory_ids=[territory_id], lang="en",
                            self_contained=True, progress=False)
    assert not summary.failed
    html = (tmp_path / "territories" / f"{territory_id}.html").read_text(encoding="utf-8")
    assert "Key findings" in html and "Demonstration data" in html and 'lang="en"' in html
    assert "src=" not in re.findall(r"<script[^>]*>", html)[0], "plotly.js is inlined"
    assert not (tmp_path / "assets").exists()


# The kernel start and kernel death retries, and which errors are not retried: tests/test_render_many.py.
