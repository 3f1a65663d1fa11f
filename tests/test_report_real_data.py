"""Reports on the data evaluators bring: yearly and quarterly series, hidden cells, rounded
counts, interpolated populations, small comparison pools, territories without programme rows."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from conftest import read_table, write_small_dataset, write_table
from tzeval import load_dataset, territory_effect
from tzeval.i18n import (
    MESSAGES,
    format_duration,
    format_period_label,
    format_period_list,
    format_period_when,
    plural_form,
    text,
    text_count,
)
from tzeval.report import blocks, summary
from tzeval.territory_checks import territory_checks

END_OF_PERIOD_MONTHS = {"yearly": ("12",), "quarterly": ("03", "06", "09", "12")}


def published_dataset(folder: Path, frequency: str = "monthly", *, n_comparison: int = 40, rounding: int | None = None,
                      hidden: tuple[tuple[int, str, str], ...] = (), hidden_comparison: tuple[tuple[int, str], ...] = (),
                      without_programme: tuple[int, ...] = (), no_population: tuple[tuple[int, str], ...] = ()) -> Path:
    """A small data folder shaped like a published download.

    Monthly demo counts are cut down to the end-of-period stocks of ``frequency`` (December
    for yearly, the last month of each quarter for quarterly), as INSEE and DARES publish
    them. ``hidden`` lists (treated index, period text, column) cells written as "s";
    ``hidden_comparison`` (comparison index, period text) long-term counts hidden;
    ``without_programme`` treated territories whose programme rows are removed;
    ``no_population`` (treated index, period text) populations left blank.
    """
    folder = write_small_dataset(folder, n_comparison=n_comparison)
    outcomes = read_table(folder, "outcomes.csv")
    programme = read_table(folder, "programme.csv")
    if frequency != "monthly":
        outcomes, programme = (_end_of_period(table, frequency) for table in (outcomes, programme))
    territories = read_table(folder, "territories.csv")
    treated = territories.loc[territories["treated"] == "1", "territory_id"].tolist()
    comparison = territories.loc[territories["treated"] == "0", "territory_id"].tolist()

    def cell(territory_id: str, period: str):
        selected = (outcomes["territory_id"] == territory_id) & (outcomes["period"] == period)
        assert selected.sum() == 1, (territory_id, period)
        return selected

    for index, period, column in hidden:
        outcomes.loc[cell(treated[index], period), column] = "s"
    for index, period in hidden_comparison:
        outcomes.loc[cell(comparison[index], period), "long_term_jobseekers"] = "s"
    for index, period in no_population:
        outcomes.loc[cell(treated[index], period), "population_15_64"] = ""
    programme = programme[~programme["territory_id"].isin([treated[i] for i in without_programme])]
    write_table(folder, "outcomes.csv", outcomes)
    write_table(folder, "programme.csv", programme)
    metadata = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    metadata.pop("periods", None)
    metadata["frequency"] = frequency
    if rounding is not None:
        metadata["rounding"] = rounding
    (folder / "dataset.json").write_text(json.dumps(metadata), encoding="utf-8")
    return folder


def _end_of_period(table: pd.DataFrame, frequency: str) -> pd.DataFrame:
    month = table["period"].str[5:7]
    kept = table[month.isin(END_OF_PERIOD_MONTHS[frequency])].copy()
    if frequency == "yearly":
        kept["period"] = kept["period"].str[:4]
    else:
        quarter = (kept["period"].str[5:7].astype(int) - 1) // 3 + 1
        kept["period"] = kept["period"].str[:4] + "-Q" + quarter.astype(str)
    return kept


def plain(html) -> str:
    """Text of an HTML block, tags removed and entities decoded, to compare with catalogue sentences."""
    markup = html.data if hasattr(html, "data") else html
    # ASCII whitespace only: the narrow no-break space of « 95 % » must survive
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture(scope="module")
def yearly(tmp_path_factory):
    """Yearly stocks, rounded to 10; the second treated territory has its 2014 count hidden,
    one comparison territory its 2020 count; the third treated territory has no programme rows."""
    folder = published_dataset(tmp_path_factory.mktemp("yearly") / "data", "yearly", rounding=10,
                               hidden=((1, "2014", "long_term_jobseekers"),), hidden_comparison=((0, "2020"),),
                               without_programme=(2,))
    return load_dataset(folder)


@pytest.fixture(scope="module")
def monthly_hidden(tmp_path_factory):
    """Monthly counts with hidden cells and three months without a population for the second treated territory."""
    folder = published_dataset(
        tmp_path_factory.mktemp("monthly-hidden") / "data",
        hidden=((1, "2015-03", "long_term_jobseekers"), (1, "2016-01", "jobseekers_abc")),
        hidden_comparison=((0, "2019-06"),),
        no_population=((1, "2013-01"), (1, "2013-02"), (1, "2013-03")),
    )
    return load_dataset(folder)


# -- the catalogue's helpers ---------------------------------------------------------------


@pytest.mark.parametrize(("n", "frequency", "lang", "expected"), [
    (1, "yearly", "fr", "1 an"), (2, "yearly", "fr", "2 ans"), (8, "yearly", "fr", "8 ans"),
    (0, "yearly", "fr", "0 an"), (1, "quarterly", "fr", "1 trimestre"), (32, "quarterly", "fr", "32 trimestres"),
    (1, "monthly", "fr", "1 mois"), (96, "monthly", "fr", "96 mois"),
    (1, "yearly", "en", "1 year"), (8, "yearly", "en", "8 years"), (0, "yearly", "en", "0 years"),
    (1, "quarterly", "en", "1 quarter"), (32, "quarterly", "en", "32 quarters"),
    (1, "monthly", "en", "1 month"), (96, "monthly", "en", "96 months"),
    (1200, "monthly", "fr", "1\u202f200 mois"),
])
def test_durations_are_in_the_data_unit_with_the_right_plural(n, frequency, lang, expected):
    assert format_duration(n, frequency, lang) == expected


def test_plural_rules_differ_between_french_and_english():
    # French keeps the singular below two, English only for exactly one
    assert [plural_form(n, "fr") for n in (0, 1, 1.5, 2)] == ["one", "one", "one", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 1.5, 2)] == ["other", "one", "other", "other"]
    # the form follows the number as printed: 1.4 shown as "1" is singular in English
    assert text_count("count_employees", 1.4, "en") == "1 employee"
    assert text_count("count_employees", 1, "fr") == "1 salarié"
    assert text_count("count_employees", 12, "fr") == "12 salariés"


def test_a_frequency_the_data_layer_does_not_know_is_refused():
    from tzeval.periods import FrequencyError

    with pytest.raises(FrequencyError):
        format_duration(3, "weekly", "fr")


@pytest.mark.parametrize(("period", "frequency", "lang", "expected"), [
    ("2017-03-01", "monthly", "fr", "mars 2017"), ("2017-03-01", "monthly", "en", "March 2017"),
    ("2017-01-01", "quarterly", "fr", "1er trimestre 2017"), ("2017-10-01", "quarterly", "fr", "4e trimestre 2017"),
    ("2017-04-01", "quarterly", "en", "Q2 2017"), ("2017-01-01", "yearly", "fr", "2017"),
    ("2017-01-01", "yearly", "en", "2017"),
])
def test_period_labels(period, frequency, lang, expected):
    assert format_period_label(pd.Timestamp(period), frequency, lang) == expected


def test_end_of_period_figures_are_dated_at_the_end_of_the_period():
    assert format_period_when(pd.Timestamp("2024-01-01"), "yearly", "fr") == "fin 2024"
    assert format_period_when(pd.Timestamp("2024-01-01"), "yearly", "en") == "at the end of 2024"
    assert format_period_when(pd.Timestamp("2024-10-01"), "quarterly", "fr") == "à la fin du 4e trimestre 2024"
    assert format_period_when(pd.Timestamp("2024-12-01"), "monthly", "fr") == "en décembre 2024"


def test_period_lists_join_consecutive_periods():
    years = pd.to_datetime(["2013", "2014", "2015", "2018"])
    assert format_period_list(years, "yearly", "fr") == "2013–2015, 2018"
    quarters = pd.to_datetime(["2013-01-01", "2013-04-01", "2014-01-01"])
    assert format_period_list(quarters, "quarterly", "en") == "Q1 2013 – Q2 2013, Q1 2014"
    assert format_period_list(pd.to_datetime(["2015-03-01"]), "monthly", "fr") == "mars 2015"


def test_the_cost_per_exit_is_its_own_sentence():
    """The cost paragraph never carries the per-exit figure, so it can be left out alone."""
    for lang in ("fr", "en"):
        assert "{per_exit}" not in MESSAGES["costs_text"][lang]
        assert "{per_exit}" in MESSAGES["costs_per_exit"][lang]


def test_second_opinion_names_the_periods_it_weights():
    from tzeval.i18n import text

    for frequency, word in (("monthly", "les mois"), ("quarterly", "les trimestres"), ("yearly", "les années")):
        periods = text(f"robustness_periods_{frequency}", "fr")
        assert periods == word
        assert word in text("robustness_line", "fr", estimate="+0,1", periods=periods, level="95 %", low="0", high="1")


# -- the territory report on yearly, rounded data -------------------------------------------


def test_findings_and_method_speak_in_years(yearly):
    territory_id = yearly.treated_ids[0]  # the 2017 pioneer: data 2012-2024
    result = territory_effect(yearly, territory_id)
    assert (result.n_pre, result.n_post) == (5, 8)
    findings = plain(blocks.findings(yearly, result, "fr"))
    assert "Depuis l'habilitation (8 ans)" in findings and "mois" not in findings
    assert "salariés" in findings and " fin 2024, pour " in findings
    method = plain(blocks.method_note(yearly, result, "fr"))
    assert "Fenêtre : 5 ans avant, 8 ans après." in method
    assert ("Les données sont annuelles (chiffres au 31 décembre) : la première année comptée après l'habilitation "
            "est celle qui la contient") in method
    assert "(ici, habilitation en janvier 2017, première année comptée : 2017)" in method
    assert ("Les effectifs publiés sont arrondis à la dizaine (10) : un écart de quelques personnes n'est pas "
            "mesurable.") in method
    # one comparison territory has a hidden 2020 count: 39 of the 40 remain
    assert "la moyenne de 39 territoires de comparaison jamais habilités" in method
    english = plain(blocks.method_note(yearly, result, "en"))
    assert "Window: 5 years before, 8 years after." in english and "rounded to the nearest ten" in english
    assert "Since habilitation (8 years)" in plain(blocks.findings(yearly, result, "en"))


def test_a_territory_habilitated_late_in_the_year_counts_that_year(yearly):
    territory_id = yearly.treated_ids[2]
    adoption = yearly.territory(territory_id)["adoption_date"]
    assert adoption.month > 1, "the demo's phase-two territories start in the autumn"
    method = plain(blocks.method_note(yearly, territory_effect(yearly, territory_id), "fr"))
    assert f"première année comptée : {adoption.year})" in method


def test_monthly_data_keep_months_and_say_nothing_of_rounding(small_dataset_template):
    data = load_dataset(small_dataset_template)
    result = territory_effect(data, data.treated_ids[0])
    method = plain(blocks.method_note(data, result, "fr"))
    assert f"Fenêtre : {result.n_pre} mois avant, {result.n_post} mois après." in method
    assert "arrondis" not in method and "Les données sont" not in method
    assert f"Depuis l'habilitation ({result.n_post} mois)" in plain(blocks.findings(data, result, "fr"))


def test_quarterly_data_speak_in_quarters(tmp_path):
    data = load_dataset(published_dataset(tmp_path / "data", "quarterly"))
    territory_id = data.treated_ids[0]
    result = territory_effect(data, territory_id)
    method = plain(blocks.method_note(data, result, "fr"))
    assert f"Fenêtre : {result.n_pre} trimestres avant, {result.n_post} trimestres après." in method
    assert "première" not in method and "premier trimestre compté : 1er trimestre 2017)" in method
    assert f"Since habilitation ({result.n_post} quarters)" in plain(blocks.findings(data, result, "en"))
    assert "à la fin du 4e trimestre 2024" in plain(blocks.findings(data, result, "fr"))


def test_time_axes_name_the_data_unit(yearly, tmp_path):
    from tzeval import plots

    result = territory_effect(yearly, yearly.treated_ids[0])
    figure = plots.series_figure(result, "fr", yearly.frequency)
    assert figure.layout.xaxis.title.text == "Année" and figure.layout.xaxis.hoverformat == "%Y"
    assert plots.effect_gap_figure(result, "en", "quarterly").layout.xaxis.tickformat == "Q%q %Y"
    assert plots.pretrend_figure(territory_checks(result), "fr", "quarterly").layout.xaxis.tickformat == "T%q %Y"
    assert plots.series_figure(result, "fr").layout.xaxis.title.text is None, "no frequency, no change"


# -- data quality ------------------------------------------------------------------------------


def test_data_quality_lists_hidden_cells_dropped_periods_left_out_comparisons_and_interpolation(monthly_hidden):
    territory_id = monthly_hidden.treated_ids[1]
    block = blocks.data_quality(monthly_hidden, territory_id, "fr")
    assert block is not None
    content = plain(block)
    assert "Les fichiers publiés masquent 2 valeurs de ce territoire (secret statistique) :" in content
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", unescape(block.data))
    assert rows == [("Demandeurs d'emploi (catégories A, B, C)", "janvier 2016", "outcomes.csv"),
                    ("Chômeurs de longue durée (catégories A, B, C)", "mars 2015", "outcomes.csv")]
    assert text("dq_suppressed_why", "fr") in content
    # only the hidden long-term count costs the estimate a period; the hidden ABC count does not
    assert "1 période est retirée de l'estimation de ce territoire (mars 2015) : son taux est inconnu" in content
    assert "1 territoire de comparaison est écarté de la comparaison, parce qu'une de ses valeurs est masquée" in content
    assert ("La population de 15 à 64 ans de ce territoire n'est pas publiée pour 3 périodes "
            "(janvier 2013 – mars 2013) : elle y est estimée en ligne droite") in content
    english = plain(blocks.data_quality(monthly_hidden, territory_id, "en"))
    assert "The published files hide 2 values of this territory" in english
    assert "1 comparison territory is left out of the comparison, because one of its values is hidden" in english


def test_data_quality_of_another_territory_shows_only_what_concerns_it(monthly_hidden):
    content = plain(blocks.data_quality(monthly_hidden, monthly_hidden.treated_ids[0], "fr"))
    assert "1 territoire de comparaison est écarté" in content
    assert "masquent" not in content and "retirée" not in content and "population" not in content


def test_no_data_quality_section_when_nothing_is_hidden_or_estimated(small_dataset_template):
    data = load_dataset(small_dataset_template)
    assert blocks.data_quality(data, data.treated_ids[0], "fr") is None
    assert summary.data_quality(data, "fr") is None


def test_summary_counts_hidden_values_and_lists_those_of_habilitated_territories(monthly_hidden):
    content = plain(summary.data_quality(monthly_hidden, "fr"))
    assert "Les fichiers publiés masquent 3 valeurs (secret statistique), dans 2 territoires." in content
    name = monthly_hidden.territory(monthly_hidden.treated_ids[1])["name"]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      unescape(summary.data_quality(monthly_hidden, "fr").data))
    assert rows == [(name, "Demandeurs d'emploi (catégories A, B, C)", "janvier 2016", "outcomes.csv"),
                    (name, "Chômeurs de longue durée (catégories A, B, C)", "mars 2015", "outcomes.csv")]
    assert "in 2 territories" in plain(summary.data_quality(monthly_hidden, "en"))


def test_summary_data_quality_agrees_in_the_singular(yearly):
    # one hidden value per territory; the comparison one is not listed, being no habilitated territory's
    content = plain(summary.data_quality(yearly, "fr"))
    assert "masquent 2 valeurs (secret statistique), dans 2 territoires" in content
    assert content.count("outcomes.csv") == 1 and "2014" in content


def test_summary_overview_agrees_with_one_territory(small_dataset_template):
    from tzeval import territory_effects

    data = load_dataset(small_dataset_template)
    effects = territory_effects(data).iloc[:1]
    french, english = plain(summary.overview(data, effects, 0.05, "fr")), plain(summary.overview(data, effects, 0.05, "en"))
    assert french.startswith("1 territoire habilité évalué.") and "1 territoires" not in french
    assert english.startswith("1 habilitated territory evaluated.")
    failed = effects.assign(status="failed: no pre-period")
    assert "Estimation impossible pour 1 territoire : " in plain(summary.overview(data, failed, 0.05, "fr"))


# -- a comparison pool too small for the level ---------------------------------------------------


@pytest.fixture(scope="module")
def few_controls(tmp_path_factory):
    return load_dataset(published_dataset(tmp_path_factory.mktemp("few") / "data", n_comparison=20))


def test_too_few_comparison_territories_are_named_as_the_reason(few_controls):
    result = territory_effect(few_controls, few_controls.treated_ids[0])
    assert "unbounded_interval" in territory_checks(result).warnings
    assert ("Avec 20 territoires de comparaison, l'intervalle ne peut pas être borné au niveau de confiance de "
            "95\u202f% : il en faut au moins 39.") in plain(blocks.findings(few_controls, result, "fr"))
    assert ("With 20 comparison territories, the interval cannot be bounded at the 95% confidence level: at least 39 "
            "are needed.") in plain(blocks.findings(few_controls, result, "en"))


def test_hidden_values_that_shrink_the_pool_are_said_in_the_same_sentence(tmp_path):
    data = load_dataset(published_dataset(tmp_path / "data", n_comparison=20, hidden_comparison=((0, "2019-06"),)))
    result = territory_effect(data, data.treated_ids[0])
    assert ("Avec 19 territoires de comparaison (1 autre écarté à cause d'une valeur masquée), l'intervalle ne peut "
            "pas être borné") in plain(blocks.findings(data, result, "fr"))


def test_no_cost_per_exit_when_the_interval_is_unbounded(few_controls, small_dataset_template):
    from tzeval.territory_costs import territory_costs

    unbounded = territory_effect(few_controls, few_controls.treated_ids[0])
    costs = territory_costs(few_controls, unbounded, n_draws=1000)
    withheld = plain(blocks.cost_findings(costs, None, "fr", result=unbounded))
    assert "Chaque personne sortie du chômage de longue durée" not in withheld
    assert text("costs_per_exit_withheld", "fr") in withheld and "coût public net" in withheld
    assert "per person taken out" in plain(blocks.cost_findings(costs, None, "en", result=unbounded))
    data = load_dataset(small_dataset_template)
    bounded = territory_effect(data, data.treated_ids[0])
    shown = plain(blocks.cost_findings(territory_costs(data, bounded, n_draws=1000), None, "fr", result=bounded))
    assert "Chaque personne sortie du chômage de longue durée grâce au programme coûte environ" in shown


# -- a habilitated territory without programme rows ----------------------------------------------


def test_a_territory_without_programme_rows_gets_a_report_saying_so(yearly):
    from tzeval import plots
    from tzeval.territory_costs import territory_costs

    territory_id = yearly.treated_ids[2]
    programme = yearly.programme_for(territory_id)
    assert programme.empty
    result = territory_effect(yearly, territory_id)
    assert text("finding_no_programme", "fr") in plain(blocks.findings(yearly, result, "fr"))
    costs = territory_costs(yearly, result)
    assert costs is None
    assert plain(blocks.cost_findings(costs, None, "fr", result=result, programme=programme)) == (
        "Aucune donnée d'effectif de l'entreprise à but d'emploi n'a été fournie pour ce territoire : son coût pour "
        "les finances publiques ne peut pas être calculé.")
    assert "No EBE headcount data were provided" in plain(
        blocks.cost_findings(costs, None, "en", result=result, programme=programme))
    # without the programme rows to look at, the older sentence (an EBE employing no one) stays
    assert plain(blocks.cost_findings(None, None, "fr")) == text("costs_none", "fr")
    figure = plots.ebe_figure(programme, 80, "fr", yearly.programme_frequency)
    assert [a.text for a in figure.layout.annotations] == [text("finding_no_programme", "fr").replace("'", "&#x27;")]


# -- the whole notebook --------------------------------------------------------------------------


@pytest.mark.slow
def test_territory_notebook_on_yearly_data_with_a_hidden_cell_and_no_programme_rows(tmp_path):
    import nbformat
    import papermill

    from tzeval.paths import NOTEBOOKS_DIR
    from tzeval.report.render import notebook_to_html

    folder = published_dataset(tmp_path / "data", "yearly", rounding=10, hidden=((2, "2014", "long_term_jobseekers"),),
                               without_programme=(2,))
    data = load_dataset(folder)
    territory_id = data.treated_ids[2]
    executed = tmp_path / "territory.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "territory_report.ipynb"), str(executed), cwd=str(NOTEBOOKS_DIR), kernel_name="python3",
        parameters={"data_dir": str(folder), "territory_id": territory_id, "processed_dir": str(tmp_path / "cache")},
        progress_bar=False, log_output=False,
    )
    assert (tmp_path / "cache").is_dir(), "the Parquet cache goes where processed_dir says"
    html = notebook_to_html(nbformat.read(executed, as_version=4), title="t", lang="fr", plotly_href=None)
    assert html.count("Plotly.newPlot(") == 4, "series, gap, effect, pre-trend; no EBE, coverage or cost chart"
    content = plain(html)
    assert re.search(r"Depuis l'habilitation \(\d+ ans\)", content)
    assert re.search(r"Fenêtre : \d+ ans avant, \d+ ans après\.", content)
    assert not re.search(r"\d+ mois (avant|après)|habilitation \(\d+ mois\)", content)
    for key in ("finding_no_programme", "ebe_no_programme", "costs_no_programme"):
        assert text(key, "fr") in content, key
    assert "Qualité des données" in content and "1 période est retirée de l'estimation de ce territoire (2014)" in content
    assert "Les effectifs publiés sont arrondis à la dizaine (10)" in content


def test_pooled_overview_names_the_yearly_cohort_rule_and_who_was_left_out(yearly):
    from tzeval import pooled_effects

    pooled = pooled_effects(yearly)
    content = plain(summary.pooled_overview(yearly, pooled, pooled.aggregate("dynamic"), "fr"))
    assert ("chaque cohorte de territoires (première fin d'année après leur habilitation) est comparée à 39 "
            "territoires de comparaison jamais habilités") in content
    assert content.count("Laissés de côté parce qu'une de leurs valeurs est masquée") == 1
    assert ": 1 territoire habilité et 1 territoire de comparaison." in content
    english = plain(summary.pooled_overview(yearly, pooled, pooled.aggregate("dynamic"), "en"))
    assert ": 1 habilitated territory and 1 comparison territory." in english


def test_pooled_overview_of_monthly_data_keeps_the_half_year_rule(small_dataset_template):
    from tzeval import pooled_effects

    data = load_dataset(small_dataset_template)
    pooled = pooled_effects(data)
    content = plain(summary.pooled_overview(data, pooled, pooled.aggregate("dynamic"), "fr"))
    assert "(année de leur premier semestre habilité) est comparée à 40 territoires de comparaison" in content
    assert "Laissés de côté" not in content
