"""The one message catalogue for report text: French by default, English on request.

Every sentence a funder reads comes from :data:`MESSAGES` through :func:`text`; a test
checks that each key has both languages with the same placeholders.
"""

from __future__ import annotations

import math

import pandas as pd

from ._cost_messages import COST_MESSAGES
from .i18n_coverage import MESSAGES_COVERAGE
from .periods import MONTHS_PER_PERIOD, check_frequency

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

MESSAGES: dict[str, dict[str, str]] = {
    "demo_banner": {
        "fr": "Données de démonstration : ces chiffres sont synthétiques et ne décrivent aucun territoire réel.",
        "en": "Demonstration data (Données de démonstration): these figures are synthetic and describe no real territory.",
    },
    "series_break_warning": {
        "fr": "Les données vont au-delà de décembre 2024 : en janvier 2025, les inscriptions à France Travail changent de définition (inscription automatique des allocataires du RSA). La comparaison avec les territoires témoins neutralise un saut commun à tous, pas un saut propre à ce territoire.",
        "en": "The data go beyond December 2024: in January 2025, France Travail registration changes definition (automatic registration of RSA recipients). The comparison with other territories removes a jump common to all, not one specific to this territory.",
    },
    "territory_title": {
        "fr": "Territoire zéro chômeur : {name}",
        "en": "Zero long-term unemployment territory: {name}",
    },
    "territory_subtitle": {
        "fr": "{setting}, département {department}, {population} habitants. Habilité en {adoption}.",
        "en": "{setting}, département {department}, population {population}. Habilitated in {adoption}.",
    },
    "setting_urban": {"fr": "Territoire urbain", "en": "Urban territory"},
    "setting_rural": {"fr": "Territoire rural", "en": "Rural territory"},
    "heading_findings": {"fr": "L'essentiel", "en": "Key findings"},
    "heading_series": {
        "fr": "Le chômage de longue durée, avec et sans le programme",
        "en": "Long-term unemployment, with and without the programme",
    },
    "heading_effect": {"fr": "L'effet estimé et sa marge d'incertitude", "en": "The estimated effect and its uncertainty"},
    "heading_ebe": {"fr": "La montée en charge de l'entreprise à but d'emploi", "en": "How the EBE grew"},
    "heading_method": {"fr": "Méthode", "en": "Method"},
    "heading_coverage": {"fr": "Le programme couvre-t-il le besoin ?", "en": "Does the programme cover the need?"},
    "heading_coverage_all": {"fr": "Couverture du besoin, territoire par territoire", "en": "Coverage of need, territory by territory"},
    "index_scale_gap_link": {
        "fr": "À l'échelle du besoin ? Comparaison de plusieurs programmes",
        "en": "At the scale of the need? A comparison of programmes",
    },
    "finding_effect": {
        "fr": "Depuis l'habilitation ({duration}), le taux de chômeurs de longue durée a évolué de {estimate} point pour 100 habitants de 15 à 64 ans par rapport aux territoires de comparaison, soit environ {people}.",
        "en": "Since habilitation ({duration}), the long-term job-seeker rate has moved by {estimate} points per 100 inhabitants aged 15-64 relative to comparison territories: about {people}.",
    },
    # the noun and its participle agree with the count: « 1 personne de moins inscrite »
    "people_fewer_one": {
        "fr": "{n} personne de moins inscrite depuis au moins un an",
        "en": "{n} fewer person registered for a year or more",
    },
    "people_fewer_other": {
        "fr": "{n} personnes de moins inscrites depuis au moins un an",
        "en": "{n} fewer people registered for a year or more",
    },
    "people_more_one": {
        "fr": "{n} personne de plus inscrite depuis au moins un an",
        "en": "{n} more person registered for a year or more",
    },
    "people_more_other": {
        "fr": "{n} personnes de plus inscrites depuis au moins un an",
        "en": "{n} more people registered for a year or more",
    },
    "finding_interval": {
        "fr": "Marge d'incertitude à {level} : de {low} à {high} point.",
        "en": "{level} confidence interval: from {low} to {high} points.",
    },
    "finding_significant": {
        "fr": "Cette {movement} est nette : le hasard seul produirait rarement un écart de cette taille ({p}).",
        "en": "This {movement} is clear: chance alone would rarely produce a gap of this size ({p}).",
    },
    "movement_fall": {"fr": "baisse", "en": "fall"},
    "movement_rise": {"fr": "hausse", "en": "rise"},
    "finding_not_significant": {
        "fr": "On ne peut pas distinguer cet écart de zéro : des territoires sans programme connaissent des écarts de cette taille ({p}).",
        "en": "This gap cannot be told apart from zero: territories without the programme show gaps of this size ({p}).",
    },
    "finding_ebe": {
        "fr": "L'entreprise à but d'emploi comptait {employees} ({fte}) {when}, pour {potential} localement.",
        "en": "The EBE had {employees} ({fte}) {when}, against {potential} locally.",
    },
    "count_employees_one": {"fr": "{n} salarié", "en": "{n} employee"},
    "count_employees_other": {"fr": "{n} salariés", "en": "{n} employees"},
    "count_fte_one": {"fr": "{n} équivalent temps plein", "en": "{n} full-time equivalent"},
    "count_fte_other": {"fr": "{n} équivalents temps plein", "en": "{n} full-time equivalents"},
    "count_potential_one": {
        "fr": "{n} personne privée durablement d'emploi identifiée",
        "en": "{n} person durably deprived of employment identified",
    },
    "count_potential_other": {
        "fr": "{n} personnes privées durablement d'emploi identifiées",
        "en": "{n} people durably deprived of employment identified",
    },
    "finding_no_programme": {
        "fr": "Aucune donnée d'effectif de l'entreprise à but d'emploi n'a été fournie pour ce territoire.",
        "en": "No EBE headcount data were provided for this territory.",
    },
    "finding_fit_poor": {
        "fr": "Attention : avant l'habilitation, l'écart de ce territoire aux territoires de comparaison s'éloignait de sa moyenne plus que son propre bruit ne l'explique (davantage que pour {share} des territoires témoins) : une tendance ou des fluctuations lentes propres au territoire peuvent fausser l'estimation.",
        "en": "Caution: before habilitation, this territory's gap to the comparison territories strayed from its mean more than its own noise explains (more than for {share} of comparison territories): a trend or slow swings of its own can bias the estimate.",
    },
    "finding_persistence": {
        "fr": "Attention : les fluctuations de ce territoire sont {direction} persistantes que celles des territoires témoins ; l'intervalle suppose qu'elles se ressemblent.",
        "en": "Caution: this territory's fluctuations are {direction} persistent than the comparison territories'; the interval assumes they are alike.",
    },
    "persistence_more": {"fr": "plus", "en": "more"},
    "persistence_less": {"fr": "moins", "en": "less"},
    "finding_too_few_controls": {
        "fr": "Avec {controls}, l'intervalle ne peut pas être borné au niveau de confiance de {level} : il en faut au moins {needed}.",
        "en": "With {controls}, the interval cannot be bounded at the {level} confidence level: at least {needed} are needed.",
    },
    "finding_too_few_controls_excluded": {
        "fr": "Avec {controls} ({excluded} à cause d'une valeur masquée), l'intervalle ne peut pas être borné au niveau de confiance de {level} : il en faut au moins {needed}.",
        "en": "With {controls} ({excluded} because of a hidden value), the interval cannot be bounded at the {level} confidence level: at least {needed} are needed.",
    },
    "count_controls_one": {"fr": "{n} territoire de comparaison", "en": "{n} comparison territory"},
    "count_controls_other": {"fr": "{n} territoires de comparaison", "en": "{n} comparison territories"},
    "count_left_out_one": {"fr": "{n} autre écarté", "en": "{n} other left out"},
    "count_left_out_other": {"fr": "{n} autres écartés", "en": "{n} others left out"},
    "finding_unbounded": {
        "fr": "L'intervalle ne peut pas être borné au niveau de confiance de {level} : le calcul n'a porté que sur {placebos}, il en faut au moins {needed}.",
        "en": "The interval cannot be bounded at the {level} confidence level: the calculation used only {placebos}, and at least {needed} are needed.",
    },
    "verdict_trends_rejected": {
        "fr": "L'écart paraît significatif ({p}), mais les vérifications sur la période d'avant l'habilitation rejettent l'hypothèse de tendances parallèles : il n'est donc pas présenté comme une {movement} significative. En retirant à chaque territoire sa propre tendance, l'effet estimé est de {estimate} point (intervalle de permutation à {level} : {interval}).",
        "en": "The gap looks significant ({p}), but the checks on the period before habilitation reject parallel trends: it is therefore not presented as a significant {movement}. Removing each territory's own trend, the estimated effect is {estimate} points ({level} permutation interval: {interval}).",
    },
    "verdict_not_trend_robust": {
        "fr": "L'écart est net si l'on suppose que, sans le programme, ce territoire aurait suivi la même tendance que les témoins ({p}). Mais en lui laissant sa propre tendance d'avant l'habilitation, l'effet estimé est de {estimate} point (intervalle de permutation à {level} : {interval}), qu'on ne peut distinguer de zéro. Les vérifications ne détectent pas de tendance propre, sans pouvoir l'exclure : l'écart n'est donc pas présenté comme une {movement} nette.",
        "en": "The gap is clear if one assumes that, without the programme, this territory would have followed the comparisons' trend ({p}). But allowing it its own pre-habilitation trend, the estimated effect is {estimate} points ({level} permutation interval: {interval}), which cannot be told apart from zero. The checks detect no trend of its own, but cannot rule one out: the gap is therefore not presented as a clear {movement}.",
    },
    "finding_trends_rejected": {
        "fr": "Avant l'habilitation, ce territoire s'écartait déjà des territoires de comparaison (tests de tendance) : l'estimation robuste à une tendance propre, plus sûre ici, est de {estimate} point (intervalle de permutation à {level} : {interval}).",
        "en": "Before habilitation this territory was already drifting from the comparison territories (trend tests): the estimate robust to a trend of its own, safer here, is {estimate} points ({level} permutation interval: {interval}).",
    },
    "heading_checks": {
        "fr": "Les tendances étaient-elles parallèles avant l'habilitation ?",
        "en": "Were trends parallel before habilitation?",
    },
    "checks_text": {
        "fr": "L'estimation suppose que, sans le programme, ce territoire aurait suivi la moyenne des territoires de comparaison. Cela ne se vérifie pas après l'habilitation, mais peut se tester avant, chaque test étant comparé aux {n} territoires témoins traités de la même façon : tendance propre du territoire ({pretrend}) ; fausses dates d'habilitation placées dans la période d'avant ({in_time}).",
        "en": "The estimate assumes that, without the programme, this territory would have followed the comparison average. That cannot be checked after habilitation, but it can be tested before, each test ranked against the {n} comparison territories treated the same way: the territory's own trend ({pretrend}); fake habilitation dates inside the earlier period ({in_time}).",
    },
    "checks_pass": {
        "fr": "Ces tests ne rejettent pas l'hypothèse, sans pouvoir la prouver : elle reste une hypothèse, que l'estimation robuste ci-dessous n'exige pas.",
        "en": "These tests do not reject the assumption, but cannot prove it: it remains an assumption, which the robust estimate below does not need.",
    },
    "checks_fail": {
        "fr": "Au moins un test rejette l'hypothèse au seuil de {alpha} : l'estimation principale est à lire avec prudence, l'estimation robuste ci-dessous est plus sûre.",
        "en": "At least one test rejects the assumption at the {alpha} level: read the main estimate with care; the robust estimate below is safer.",
    },
    "checks_robust": {
        "fr": "Estimation robuste à une tendance propre au territoire (chaque écart corrigé de sa tendance d'avant l'habilitation, prolongée) : {estimate} point, intervalle de permutation à {level} : {interval}. Plus large, elle reste valable si le territoire s'écartait déjà linéairement des témoins.",
        "en": "Estimate robust to a trend of the territory's own (each gap corrected for its pre-habilitation trend, extended): {estimate} points, {level} permutation interval: {interval}. Wider, it stays valid if the territory was already drifting linearly from the comparisons.",
    },
    "series_pre_trend": {"fr": "Tendance d'avant l'habilitation, prolongée", "en": "Pre-habilitation trend, extended"},
    "title_pretrend": {
        "fr": "Écart du territoire aux témoins et sa tendance d'avant l'habilitation",
        "en": "The territory's gap to the comparisons and its pre-habilitation trend",
    },
    "method_text": {
        "fr": "Différence de différences : l'évolution du taux du territoire avant et après l'habilitation est comparée à celle de la moyenne de {controls} jamais habilités. L'intervalle est un intervalle de permutation (placebos dans l'espace) : on refait le même calcul pour chaque territoire de comparaison, comme s'il avait été habilité à la même date, en tenant compte de la taille de chacun ; l'intervalle regroupe les effets que cette distribution du hasard ne permet pas d'écarter. Fenêtre : {pre} avant, {post} après.",
        "en": "Difference-in-differences: the territory's rate before and after habilitation is compared with the average of {controls} never habilitated. The interval is a permutation (placebo-in-space) interval: the same calculation is repeated for each comparison territory as if it had been habilitated on the same date, allowing for each one's size; the interval holds the effects this chance distribution cannot rule out. Window: {pre} before, {post} after.",
    },
    "method_frequency_quarterly": {
        "fr": "Les données sont trimestrielles (chiffres en fin de trimestre) : le premier trimestre compté après l'habilitation est celui qui la contient, car son chiffre de fin de trimestre est le premier observé après l'habilitation (ici, habilitation en {adoption}, premier trimestre compté : {first}).",
        "en": "The data are quarterly (figures at the end of each quarter): the first quarter counted after habilitation is the one that contains it, because its end-of-quarter figure is the first one observed after habilitation (here, habilitation in {adoption}, first quarter counted: {first}).",
    },
    "method_frequency_yearly": {
        "fr": "Les données sont annuelles (chiffres au 31 décembre) : la première année comptée après l'habilitation est celle qui la contient, car son chiffre de fin d'année est le premier observé après l'habilitation (ici, habilitation en {adoption}, première année comptée : {first}).",
        "en": "The data are yearly (figures at 31 December): the first year counted after habilitation is the one that contains it, because its year-end figure is the first one observed after habilitation (here, habilitation in {adoption}, first year counted: {first}).",
    },
    "method_rounding": {
        "fr": "Les effectifs publiés sont arrondis {precision} : un écart de quelques personnes n'est pas mesurable.",
        "en": "The published counts are rounded {precision}: a gap of a few people cannot be measured.",
    },
    "rounding_10": {"fr": "à la dizaine (10)", "en": "to the nearest ten"},
    "rounding_100": {"fr": "à la centaine (100)", "en": "to the nearest hundred"},
    "rounding_1000": {"fr": "au millier (1 000)", "en": "to the nearest thousand"},
    "rounding_other": {"fr": "à {base} près", "en": "to the nearest {base}"},
    "interval_kind_permutation": {"fr": "intervalle de permutation", "en": "permutation interval"},
    "axis_rate": {
        "fr": "Chômeurs de longue durée pour 100 habitants de 15-64 ans",
        "en": "Long-term job seekers per 100 inhabitants aged 15-64",
    },
    "axis_effect": {"fr": "Écart (points)", "en": "Gap (points)"},
    "axis_period_monthly": {"fr": "Mois", "en": "Month"},
    "axis_period_quarterly": {"fr": "Trimestre", "en": "Quarter"},
    "axis_period_yearly": {"fr": "Année", "en": "Year"},
    # plotly date formats for quarterly ticks: « T1 2017 » in French, "Q1 2017" in English
    "tick_format_quarterly": {"fr": "T%q %Y", "en": "Q%q %Y"},
    "axis_people": {"fr": "Personnes", "en": "People"},
    "series_treated": {"fr": "Ce territoire", "en": "This territory"},
    "series_counterfactual": {"fr": "Sans le programme (estimé)", "en": "Without the programme (estimated)"},
    "series_placebos": {"fr": "Territoires de comparaison (placebos)", "en": "Comparison territories (placebos)"},
    "series_gap": {"fr": "Écart de ce territoire", "en": "This territory's gap"},
    "series_adoption": {"fr": "Habilitation", "en": "Habilitation"},
    "series_headcount": {"fr": "Salariés", "en": "Employees"},
    "series_fte": {"fr": "Équivalents temps plein", "en": "Full-time equivalents"},
    "series_hires": {"fr": "Embauches cumulées", "en": "Cumulative hires"},
    "series_waiting": {"fr": "Liste d'attente", "en": "Waiting list"},
    "series_potential": {"fr": "Personnes privées d'emploi identifiées", "en": "People durably jobless identified"},
    "title_series": {"fr": "Taux observé et taux sans programme", "en": "Observed rate and rate without the programme"},
    "title_gap": {
        "fr": "Écart au contrefactuel, comparé aux placebos",
        "en": "Gap to the counterfactual, against placebos",
    },
    "title_effect": {"fr": "Effet moyen estimé et intervalle", "en": "Average estimated effect and interval"},
    "title_ebe": {"fr": "Effectifs de l'entreprise à but d'emploi", "en": "EBE headcount"},
    "label_estimate": {"fr": "Estimation", "en": "Estimate"},
    "label_placebo_distribution": {"fr": "Effets placebo", "en": "Placebo effects"},
    # the bands of the placebo gaps (plots.PLACEBO_BANDS): a change of quantile changes these words
    "label_placebo_band_outer": {"fr": "9 placebos sur 10", "en": "9 in 10 placebos"},
    "label_placebo_band_inner": {"fr": "1 placebo sur 2", "en": "1 in 2 placebos"},
    "label_placebo_examples": {"fr": "Exemples de placebos", "en": "Example placebos"},
    # written by the page's script where a chart would be, when plotly.js did not load
    "chart_missing_plotly": {
        "fr": "Graphique non affiché : la bibliothèque plotly.js est introuvable. Ouvrez cette page depuis le dossier complet des rapports, avec son dossier assets.",
        "en": "Chart not shown: the plotly.js library was not found. Open this page from the complete reports folder, with its assets folder.",
    },
    "label_true_effect": {"fr": "Vrai effet (données synthétiques)", "en": "True effect (synthetic data)"},
    "summary_title": {"fr": "Territoires zéro chômeur : synthèse", "en": "Zero long-term unemployment territories: summary"},
    "summary_intro": {
        "fr": "{evaluated}. Effet estimé sur le taux de chômeurs de longue durée, en points pour 100 habitants de 15 à 64 ans, en moyenne depuis l'habilitation, avec son {kind} à {level}.",
        "en": "{evaluated}. Estimated effect on the long-term job-seeker rate, in points per 100 inhabitants aged 15-64, averaged since habilitation, with its {level} {kind}.",
    },
    "count_evaluated_one": {"fr": "{n} territoire habilité évalué", "en": "{n} habilitated territory evaluated"},
    "count_evaluated_other": {"fr": "{n} territoires habilités évalués", "en": "{n} habilitated territories evaluated"},
    "summary_counts": {
        "fr": "{negative} une baisse nette, {positive} une hausse nette, {unclear} un écart qu'on ne peut distinguer de zéro.",
        "en": "{negative} a clear fall, {positive} a clear rise, and {unclear} a gap that cannot be told apart from zero.",
    },
    "count_territories_show_one": {"fr": "{n} territoire montre", "en": "{n} territory shows"},
    "count_territories_show_other": {"fr": "{n} territoires montrent", "en": "{n} territories show"},
    "summary_counts_fragile_one": {
        "fr": "Pour {n} autre territoire, l'écart serait net si ses tendances étaient parallèles à celles des témoins, mais il ne résiste pas aux vérifications de tendance (vérifications d'avant l'habilitation ou estimation robuste à une tendance propre) : il n'est pas compté comme net.",
        "en": "For {n} other territory the gap would be clear if its trends were parallel to the comparisons', but it does not survive the trend checks (pre-habilitation checks or the estimate robust to a trend of its own): it is not counted as clear.",
    },
    "summary_counts_fragile_other": {
        "fr": "Pour {n} autres territoires, l'écart serait net si leurs tendances étaient parallèles à celles des témoins, mais il ne résiste pas aux vérifications de tendance (vérifications d'avant l'habilitation ou estimation robuste à une tendance propre) : il n'est pas compté comme net.",
        "en": "For {n} other territories the gap would be clear if their trends were parallel to the comparisons', but it does not survive the trend checks (pre-habilitation checks or the estimate robust to a trend of their own): it is not counted as clear.",
    },
    "summary_failed_one": {
        "fr": "Estimation impossible pour {n} territoire : {names}.",
        "en": "No estimate for {n} territory: {names}.",
    },
    "summary_failed_other": {
        "fr": "Estimation impossible pour {n} territoires : {names}.",
        "en": "No estimate for {n} territories: {names}.",
    },
    "heading_forest": {"fr": "Effets par territoire", "en": "Effects by territory"},
    "heading_table": {"fr": "Tableau des résultats", "en": "Results table"},
    "heading_truth": {
        "fr": "Vérification : estimations et vrais effets (données synthétiques)",
        "en": "Check: estimates against true effects (synthetic data)",
    },
    "truth_check": {
        "fr": "Sur ces données synthétiques, le vrai effet est connu : {covered} intervalles sur {n} le contiennent ({share}), et la corrélation entre estimations et vrais effets est de {corr}.",
        "en": "On these synthetic data the true effect is known: {covered} of {n} intervals contain it ({share}), and estimates correlate with the true effects at {corr}.",
    },
    "heading_pooled": {
        "fr": "Effet moyen de tous les territoires, année par année",
        "en": "Average effect across territories, year by year",
    },
    "pooled_intro": {
        "fr": "Estimation de Callaway et Sant'Anna sur les taux annuels : chaque cohorte de territoires ({cohort_rule}) est comparée à {controls} jamais habilités. Effet moyen sur toutes les années depuis l'habilitation : {estimate} point (intervalle ponctuel à {level} : de {low} à {high}).",
        "en": "Callaway and Sant'Anna estimation on yearly rates: each cohort of territories ({cohort_rule}) is compared with {controls} never habilitated. Average effect over all years since habilitation: {estimate} points ({level} pointwise interval: from {low} to {high}).",
    },
    # monthly and quarterly rates are averaged by calendar year; yearly ones are 31 December stocks
    "pooled_cohort_averaged": {"fr": "année de leur premier semestre habilité", "en": "the year of their first habilitated half-year"},
    "pooled_cohort_yearly": {
        "fr": "première fin d'année après leur habilitation",
        "en": "the first year-end after their habilitation",
    },
    "pooled_excluded": {
        "fr": "Laissés de côté parce qu'une de leurs valeurs est masquée (la méthode a besoin de chaque année de chaque territoire) : {treated} et {controls}.",
        "en": "Left out because one of their values is hidden (the method needs every year of every territory): {treated} and {controls}.",
    },
    "count_habilitated_one": {"fr": "{n} territoire habilité", "en": "{n} habilitated territory"},
    "count_habilitated_other": {"fr": "{n} territoires habilités", "en": "{n} habilitated territories"},
    "pooled_estimand_sample": {
        "fr": "Les intervalles portent sur l'effet moyen dans ces {n_treated} territoires habilités. Leurs variations aléatoires d'une année sur l'autre sont estimées sur les territoires de comparaison, à population égale ; avant l'habilitation, celles des territoires habilités en ont eu {ratio} fois la variance (une valeur proche de 1 valide ce choix, une valeur nettement supérieure rendrait les intervalles trop étroits).",
        "en": "The intervals are for the average effect in these {n_treated} habilitated territories. Their random year-to-year variation is estimated on the comparison territories, for equal population; before habilitation, that of the habilitated territories had {ratio} times its variance (a value close to 1 supports this choice; one well above 1 would make the intervals too narrow).",
    },
    "pooled_estimand_population": {
        "fr": "Les intervalles portent sur l'effet moyen dans une population de territoires semblables, dont ces {n_treated} territoires seraient un échantillon : ils comptent la dispersion des effets d'un territoire à l'autre comme une incertitude.",
        "en": "The intervals are for the average effect in a population of similar territories of which these {n_treated} are a sample: they count the spread of effects from one territory to another as uncertainty.",
    },
    "pooled_estimand_sample_adaptive": {
        "fr": "Les intervalles portent sur l'effet moyen dans ces {n_treated} territoires habilités. Leurs variations aléatoires d'une année sur l'autre sont estimées sur les territoires de comparaison, à population égale ; avant l'habilitation, celles des territoires habilités en ont eu {ratio} fois la variance (une valeur proche de 1 valide ce choix ; quand ce rapport peut dépasser 1, compte tenu de son imprécision, les intervalles sont élargis d'autant, jamais rétrécis).",
        "en": "The intervals are for the average effect in these {n_treated} habilitated territories. Their random year-to-year variation is estimated on the comparison territories, for equal population; before habilitation, that of the habilitated territories had {ratio} times its variance (a value close to 1 supports this choice; when the ratio may exceed 1, given its imprecision, the intervals are widened accordingly, never narrowed).",
    },
    "pooled_dispersion_widened": {
        "fr": "Cet intervalle a été élargi par précaution : avant l'habilitation, les territoires habilités ont varié d'une année sur l'autre {ratio} fois autant (en variance) que les territoires de comparaison de même population, et peut-être jusqu'à {factor} fois compte tenu de l'imprécision de cette mesure (borne haute à 95 %) ; la variance de leurs variations aléatoires, estimée sur les territoires de comparaison, est donc multipliée par {factor}.",
        "en": "This interval was widened as a precaution: before habilitation, the habilitated territories varied from one year to the next {ratio} times as much (in variance) as comparison territories of the same population, and possibly up to {factor} times given the imprecision of that measure (95% upper bound); the variance of their random variation, estimated on the comparison territories, is therefore multiplied by {factor}.",
    },
    "pooled_dispersion_not_widened": {
        "fr": "Cet intervalle n'a pas été élargi : avant l'habilitation, les territoires habilités ne variaient pas plus d'une année sur l'autre que les territoires de comparaison de même population (borne haute à 95 % du rapport de leurs variances : {bound}, pas au-dessus de 1).",
        "en": "This interval was not widened: before habilitation, the habilitated territories did not vary more from one year to the next than comparison territories of the same population (95% upper bound of the ratio of their variances: {bound}, not above 1).",
    },
    "pooled_dispersion_assumed": {
        "fr": "Cet intervalle n'a pas été élargi, par choix : il suppose que les territoires habilités varient d'une année sur l'autre comme les territoires de comparaison de même population (borne haute à 95 % du rapport de leurs variances avant l'habilitation : {bound}).",
        "en": "This interval was not widened, by choice: it assumes that the habilitated territories vary from one year to the next like comparison territories of the same population (95% upper bound of the ratio of their variances before habilitation: {bound}).",
    },
    "pooled_pretest": {
        "fr": "Test de Wald que tous les effets avant habilitation sont nuls ({n_cells} couples cohorte-année) : {p_statement}.",
        "en": "Wald test that every effect before habilitation is zero ({n_cells} cohort-year cells): {p_statement}.",
    },
    "pooled_reading": {
        "fr": "Avant l'habilitation (années négatives), les effets devraient être proches de zéro : c'est le test visuel de la comparaison. La bande claire est simultanée : elle contient toute la courbe des vrais effets avec une probabilité de {level}. Les années les plus éloignées ne reposent que sur les territoires pionniers de 2017.",
        "en": "Before habilitation (negative years) the effects should be close to zero: this is the visual check of the comparison. The light band is simultaneous: it contains the whole curve of true effects with probability {level}. The most distant years rest on the 2017 pioneer territories alone.",
    },
    "heading_sensitivity": {
        "fr": "Et si les tendances n'étaient pas parallèles ?",
        "en": "What if trends were not parallel?",
    },
    "sensitivity_text": {
        "fr": "L'estimation suppose qu'en l'absence du programme, les territoires habilités auraient évolué comme les autres. Avant l'habilitation, l'écart d'une année sur l'autre n'a pas dépassé {largest} point. La conclusion « le programme réduit le chômage de longue durée » tient tant que, après l'habilitation, cet écart de tendance reste inférieur à {breakdown} fois ce maximum (méthode de Rambachan et Roth, intervalles hybrides conditionnels, comme le package R HonestDiD).",
        "en": "The estimate assumes that without the programme habilitated territories would have moved like the others. Before habilitation the year-on-year gap never exceeded {largest} points. The conclusion that the programme reduces long-term unemployment holds as long as, after habilitation, this trend gap stays below {breakdown} times that maximum (Rambachan and Roth's method, conditional hybrid intervals as in the R package HonestDiD).",
    },
    "sensitivity_text_none": {
        "fr": "L'estimation suppose qu'en l'absence du programme, les territoires habilités auraient évolué comme les autres. Même sous cette hypothèse, l'effet moyen ne se distingue pas de zéro ; aucune marge de robustesse ne peut donc être donnée.",
        "en": "The estimate assumes that without the programme habilitated territories would have moved like the others. Even under that assumption the average effect cannot be told apart from zero, so there is no robustness margin to report.",
    },
    "title_sensitivity": {
        "fr": "Intervalle robuste selon l'écart de tendance admis",
        "en": "Robust interval by the trend violation allowed",
    },
    "axis_mbar": {
        "fr": "Écart de tendance admis après l'habilitation (multiple du maximum observé avant)",
        "en": "Trend violation allowed after habilitation (multiple of the largest before)",
    },
    "label_robust_interval": {"fr": "Intervalle robuste", "en": "Robust interval"},
    "label_identified_set": {"fr": "Ensemble identifié", "en": "Identified set"},
    "heading_cohorts": {"fr": "Effet moyen par cohorte", "en": "Average effect by cohort"},
    "col_cohort": {"fr": "Cohorte", "en": "Cohort"},
    "col_territories": {"fr": "Territoires", "en": "Territories"},
    "title_event_study": {
        "fr": "Effet moyen selon le nombre d'années depuis l'habilitation",
        "en": "Average effect by years since habilitation",
    },
    "axis_years_since": {"fr": "Années depuis l'habilitation", "en": "Years since habilitation"},
    "label_pointwise_interval": {"fr": "Estimation et intervalle ponctuel", "en": "Estimate and pointwise interval"},
    "label_simultaneous_band": {"fr": "Bande simultanée", "en": "Simultaneous band"},
    "heading_data_quality": {"fr": "Qualité des données", "en": "Data quality"},
    "dq_suppressed_one": {
        "fr": "Les fichiers publiés masquent {n} valeur de ce territoire (secret statistique) :",
        "en": "The published files hide {n} value of this territory (statistical confidentiality):",
    },
    "dq_suppressed_other": {
        "fr": "Les fichiers publiés masquent {n} valeurs de ce territoire (secret statistique) :",
        "en": "The published files hide {n} values of this territory (statistical confidentiality):",
    },
    "dq_suppressed_why": {
        "fr": "Une valeur masquée n'est ni devinée ni remplacée : quand il s'agit du nombre de chômeurs de longue durée, le taux de la période est inconnu et la période est retirée de l'estimation.",
        "en": "A hidden value is neither guessed nor filled in: when it is the number of long-term job seekers, the period's rate is unknown and the period is left out of the estimate.",
    },
    "dq_dropped_one": {
        "fr": "{n} période est retirée de l'estimation de ce territoire ({periods}) : son taux est inconnu, et l'estimation s'appuie sur les autres périodes plutôt que sur une valeur inventée.",
        "en": "{n} period is left out of this territory's estimate ({periods}): its rate is unknown, and the estimate rests on the other periods rather than on an invented value.",
    },
    "dq_dropped_other": {
        "fr": "{n} périodes sont retirées de l'estimation de ce territoire ({periods}) : leur taux est inconnu, et l'estimation s'appuie sur les autres périodes plutôt que sur des valeurs inventées.",
        "en": "{n} periods are left out of this territory's estimate ({periods}): their rate is unknown, and the estimate rests on the other periods rather than on invented values.",
    },
    "dq_excluded_one": {
        "fr": "{n} territoire de comparaison est écarté de la comparaison, parce qu'une de ses valeurs est masquée sur la période étudiée : la moyenne de comparaison doit porter sur les mêmes territoires à chaque période, sinon elle bougerait pour des raisons étrangères au programme.",
        "en": "{n} comparison territory is left out of the comparison, because one of its values is hidden in the period studied: the comparison average must cover the same territories in every period, or it would move for reasons that have nothing to do with the programme.",
    },
    "dq_excluded_other": {
        "fr": "{n} territoires de comparaison sont écartés de la comparaison, parce qu'une de leurs valeurs est masquée sur la période étudiée : la moyenne de comparaison doit porter sur les mêmes territoires à chaque période, sinon elle bougerait pour des raisons étrangères au programme.",
        "en": "{n} comparison territories are left out of the comparison, because one of their values is hidden in the period studied: the comparison average must cover the same territories in every period, or it would move for reasons that have nothing to do with the programme.",
    },
    "dq_interpolated_one": {
        "fr": "La population de 15 à 64 ans de ce territoire n'est pas publiée pour {n} période ({periods}) : elle y est estimée en ligne droite entre les valeurs connues les plus proches (ou égale à la plus proche en début et en fin de série), car le taux a besoin d'une population à chaque période et celle-ci change lentement.",
        "en": "This territory's population aged 15-64 is not published for {n} period ({periods}): it is estimated on a straight line between the nearest known values (or set to the nearest one at the start and end of the series), because the rate needs a population in every period and it changes slowly.",
    },
    "dq_interpolated_other": {
        "fr": "La population de 15 à 64 ans de ce territoire n'est pas publiée pour {n} périodes ({periods}) : elle y est estimée en ligne droite entre les valeurs connues les plus proches (ou égale à la plus proche en début et en fin de série), car le taux a besoin d'une population à chaque période et celle-ci change lentement.",
        "en": "This territory's population aged 15-64 is not published for {n} periods ({periods}): it is estimated on a straight line between the nearest known values (or set to the nearest one at the start and end of the series), because the rate needs a population in every period and it changes slowly.",
    },
    "summary_suppressed": {
        "fr": "Les fichiers publiés masquent {values} (secret statistique), dans {territories}. Chaque estimation retire les périodes masquées du territoire estimé et écarte de sa comparaison les territoires témoins dont une valeur est masquée sur la même période.",
        "en": "The published files hide {values} (statistical confidentiality), in {territories}. Each estimate leaves out the estimated territory's hidden periods and drops from its comparison the comparison territories with a hidden value in the same period.",
    },
    "summary_suppressed_treated": {
        "fr": "Valeurs masquées des territoires habilités :",
        "en": "Hidden values of habilitated territories:",
    },
    "count_values_one": {"fr": "{n} valeur", "en": "{n} value"},
    "count_values_other": {"fr": "{n} valeurs", "en": "{n} values"},
    "count_territories_one": {"fr": "{n} territoire", "en": "{n} territory"},
    "count_territories_other": {"fr": "{n} territoires", "en": "{n} territories"},
    "data_column_long_term_jobseekers": {
        "fr": "Chômeurs de longue durée (catégories A, B, C)",
        "en": "Long-term job seekers (categories A, B, C)",
    },
    "data_column_jobseekers_abc": {"fr": "Demandeurs d'emploi (catégories A, B, C)", "en": "Job seekers (categories A, B, C)"},
    "data_column_population_15_64": {"fr": "Population de 15 à 64 ans", "en": "Population aged 15-64"},
    "ebe_no_programme": {
        "fr": "Aucune donnée d'effectif de l'entreprise à but d'emploi n'a été fournie pour ce territoire : sa montée en charge ne peut pas être montrée.",
        "en": "No EBE headcount data were provided for this territory, so its growth cannot be shown.",
    },
    "costs_no_programme": {
        "fr": "Aucune donnée d'effectif de l'entreprise à but d'emploi n'a été fournie pour ce territoire : son coût pour les finances publiques ne peut pas être calculé.",
        "en": "No EBE headcount data were provided for this territory, so its cost to the public purse cannot be computed.",
    },
    "costs_per_exit_withheld": {
        "fr": "Le coût par personne sortie du chômage de longue durée grâce au programme n'est pas donné : l'effet du programme sur ce territoire n'a pas pu être encadré (voir l'essentiel).",
        "en": "The cost per person taken out of long-term unemployment by the programme is not given: the programme's effect on this territory could not be bounded (see the key findings).",
    },
    "col_period": {"fr": "Période", "en": "Period"},
    "col_periods": {"fr": "Périodes", "en": "Periods"},
    "col_data": {"fr": "Donnée", "en": "Figure"},
    "col_file": {"fr": "Fichier", "en": "File"},
    "duration_monthly_one": {"fr": "{n} mois", "en": "{n} month"},
    "duration_monthly_other": {"fr": "{n} mois", "en": "{n} months"},
    "duration_quarterly_one": {"fr": "{n} trimestre", "en": "{n} quarter"},
    "duration_quarterly_other": {"fr": "{n} trimestres", "en": "{n} quarters"},
    "duration_yearly_one": {"fr": "{n} an", "en": "{n} year"},
    "duration_yearly_other": {"fr": "{n} ans", "en": "{n} years"},
    "period_quarter_first": {"fr": "1er trimestre {year}", "en": "Q1 {year}"},
    "period_quarter": {"fr": "{quarter}e trimestre {year}", "en": "Q{quarter} {year}"},
    # the figures are end-of-period stocks: a year's headcount is the one at its end
    "period_when_monthly": {"fr": "en {label}", "en": "in {label}"},
    "period_when_quarterly": {"fr": "à la fin du {label}", "en": "at the end of {label}"},
    "period_when_yearly": {"fr": "fin {label}", "en": "at the end of {label}"},
    "col_territory": {"fr": "Territoire", "en": "Territory"},
    "col_adoption": {"fr": "Habilitation", "en": "Habilitation"},
    "col_estimate": {"fr": "Effet (points)", "en": "Effect (points)"},
    "col_interval": {"fr": "Intervalle", "en": "Interval"},
    "col_p_value": {"fr": "p", "en": "p"},
    "col_status": {"fr": "État", "en": "Status"},
    "col_headcount": {"fr": "Salariés EBE", "en": "EBE employees"},
    "index_title": {"fr": "Rapports d'évaluation : Territoires zéro chômeur", "en": "Evaluation reports: zero long-term unemployment territories"},
    "index_summary_link": {"fr": "Synthèse de tous les territoires", "en": "Summary of all territories"},
    "index_territories": {"fr": "Rapports par territoire", "en": "Reports by territory"},
    "index_failed": {"fr": "Rapports en échec", "en": "Failed reports"},
    "index_generated": {"fr": "Produit le {date} par tzeval {version}.", "en": "Produced on {date} by tzeval {version}."},
    "status_ok": {"fr": "à jour", "en": "up to date"},
    "status_estimated": {"fr": "estimé", "en": "estimated"},
    "status_failed_kept": {"fr": "échec ; la version précédente est conservée", "en": "failed; the previous version is kept"},
    "status_failed_none": {"fr": "échec ; aucun rapport", "en": "failed; no report"},
}
# Cost-model labels and text (keyed by parameter and waterfall step), then coverage and
# scale-gap text: kept in their own files, served from this one catalogue.
MESSAGES.update(COST_MESSAGES)
MESSAGES.update(MESSAGES_COVERAGE)


class UnknownLanguageError(ValueError):
    """A language other than those the catalogue holds."""


def check_language(lang: str) -> str:
    """Return ``lang`` if the catalogue has it, else raise a clear error."""
    if lang not in LANGUAGES:
        raise UnknownLanguageError(f"language {lang!r} is not available; choose one of: {', '.join(LANGUAGES)}")
    return lang


def text(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """Return message ``key`` in ``lang``, with ``values`` filled in."""
    check_language(lang)
    return MESSAGES[key][lang].format(**values)


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2, signed: bool = False) -> str:
    """Format a number the way a reader of ``lang`` expects.

    French uses a decimal comma, a narrow no-break space between thousands and the
    typographic minus sign; English uses a point and commas.
    """
    check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        minus = "\u2212" if lang == "fr" else "-"
        return f"{minus}∞" if value < 0 else "+∞"
    rounded = round(value, decimals)
    formatted = f"{abs(rounded):,.{decimals}f}"
    if lang == "fr":
        formatted = formatted.replace(",", "\u202f").replace(".", ",")
    sign = ""
    if rounded < 0:
        sign = "\u2212" if lang == "fr" else "-"
    elif signed and rounded > 0:
        sign = "+"
    return f"{sign}{formatted}"


def format_interval(low: float, high: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """An interval as « [−0,49 ; 0,12] » (French) or "[-0.49 ; 0.12]"."""
    return f"[{format_number(low, lang, decimals)} ; {format_number(high, lang, decimals)}]"


def format_percent(share: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """Format a share (0.95) as a percentage (« 95 % » in French, "95%" in English)."""
    number = format_number(100 * share, lang, decimals)
    return f"{number}\u202f%" if lang == "fr" else f"{number}%"


def format_p_value(p: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a p-value with two significant decimals, or as < 0,01."""
    if p < 0.01:
        return "< " + format_number(0.01, lang, 2)
    return format_number(p, lang, 2)


def format_p_statement(p: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A p-value as a short statement: « p = 0,24 » or « p < 0,01 »."""
    value = format_p_value(p, lang)
    return f"p {value}" if value.startswith("<") else f"p = {value}"


MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def format_date(day, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a day as « 2 décembre 2026 » or "2 December 2026"."""
    check_language(lang)
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def format_month(timestamp, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a month as « mars 2017 » or "March 2017"."""
    check_language(lang)
    return f"{MONTHS[lang][timestamp.month - 1]} {timestamp.year}"


def plural_form(n: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """``"one"`` or ``"other"``: which form of a noun goes with ``n``.

    French takes the singular below 2 (« 0 an », « 1,5 an »), English only for exactly
    one ("0 years", "1 year"). ``n`` is compared as displayed, so pass it rounded.
    """
    check_language(lang)
    if lang == "fr":
        return "one" if abs(n) < 2 else "other"
    return "one" if n == 1 else "other"


def text_count(key: str, n: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0, **values) -> str:
    """Message ``key_one`` or ``key_other`` as ``n`` asks, with ``{n}`` filled in as a number.

    Parameters
    ----------
    key : str
        Catalogue key without its ``_one``/``_other`` suffix.
    n : float
        The count the sentence agrees with.
    decimals : int
        Decimals ``n`` is shown with; the plural follows the number as shown.
    **values
        The message's other placeholders.
    """
    shown = round(float(n), decimals)
    return text(f"{key}_{plural_form(shown, lang)}", lang, n=format_number(shown, lang, decimals), **values)


def format_duration(n_periods: int, frequency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number of periods in the data's unit: « 8 ans », « 32 trimestres », « 1 mois », "1 year".

    Parameters
    ----------
    n_periods : int
        How many periods.
    frequency : {"monthly", "quarterly", "yearly"}
        The data's frequency (:attr:`tzeval.dataset.Dataset.frequency`).
    """
    return text_count(f"duration_{check_frequency(frequency)}", n_periods, lang)


def format_period_label(timestamp, frequency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A period as a reader names it: « mars 2017 », « 1er trimestre 2017 » ("Q1 2017"), « 2017 ».

    ``timestamp`` is the period's first day, as :mod:`tzeval.periods` holds it.
    """
    frequency = check_frequency(frequency)
    timestamp = pd.Timestamp(timestamp)
    if frequency == "monthly":
        return format_month(timestamp, lang)
    if frequency == "yearly":
        check_language(lang)
        return str(timestamp.year)
    quarter = (timestamp.month - 1) // 3 + 1
    if quarter == 1:  # French writes the first as « 1er », the others « 2e », « 3e », « 4e »
        return text("period_quarter_first", lang, year=timestamp.year)
    return text("period_quarter", lang, quarter=quarter, year=timestamp.year)


def format_period_when(timestamp, frequency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """When an end-of-period figure was counted: « en mars 2017 », « à la fin du 1er trimestre 2017 », « fin 2017 »."""
    frequency = check_frequency(frequency)
    return text(f"period_when_{frequency}", lang, label=format_period_label(timestamp, frequency, lang))


def format_period_list(periods, frequency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Periods as a short list, runs of consecutive ones joined: « 2013–2015, 2018 ».

    Runs keep long lists of interpolated or hidden periods to one line.
    """
    frequency = check_frequency(frequency)
    step = MONTHS_PER_PERIOD[frequency]
    ordered = sorted({pd.Timestamp(p) for p in periods})
    runs: list[list[pd.Timestamp]] = []
    for period in ordered:
        if runs and _months_between(runs[-1][-1], period) == step:
            runs[-1].append(period)
        else:
            runs.append([period])
    separator = "–" if frequency == "yearly" else " – "
    return ", ".join(
        format_period_label(run[0], frequency, lang) if len(run) == 1 else
        f"{format_period_label(run[0], frequency, lang)}{separator}{format_period_label(run[-1], frequency, lang)}"
        for run in runs
    )


def _months_between(first: pd.Timestamp, second: pd.Timestamp) -> int:
    return (second.year - first.year) * 12 + second.month - first.month

