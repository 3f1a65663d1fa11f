"""The one message catalogue for report text: French by default, English on request.

Every sentence a funder reads comes from :data:`MESSAGES` through :func:`text`; a test
checks that each key has both languages with the same placeholders.
"""

from __future__ import annotations

import math

from ._cost_messages import COST_MESSAGES
from .i18n_coverage import MESSAGES_COVERAGE

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

MESSAGES: dict[str, dict[str, str]] = {
    "demo_banner": {
        "fr": "Données de démonstration : ces chiffres sont synthétiques et ne décrivent aucun territoire réel.",
        "en": "Demonstration data (Données de démonstration): these figures are synthetic and describe no real territory.",
    },
    "series_break_warning": {
        "fr": "Les données incluent des mois à partir de janvier 2025 : les inscriptions à France Travail changent alors de définition (inscription automatique des allocataires du RSA). La comparaison avec les territoires témoins neutralise un saut commun à tous, pas un saut propre à ce territoire.",
        "en": "The data include months from January 2025 on, when France Travail registration changes definition (automatic registration of RSA recipients). The comparison with other territories removes a jump common to all, not one specific to this territory.",
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
        "fr": "Depuis l'habilitation ({months} mois), le taux de chômeurs de longue durée a évolué de {estimate} point pour 100 habitants de 15 à 64 ans par rapport aux territoires de comparaison, soit environ {people} personnes {change} inscrites depuis au moins un an.",
        "en": "Since habilitation ({months} months), the long-term job-seeker rate has moved by {estimate} points per 100 inhabitants aged 15-64 relative to comparison territories: about {people} {change} people registered for a year or more.",
    },
    "change_fewer": {"fr": "de moins", "en": "fewer"},
    "change_more": {"fr": "de plus", "en": "more"},
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
        "fr": "L'entreprise à but d'emploi comptait {headcount} salariés ({fte} équivalents temps plein) en {month}, pour {potential} personnes privées durablement d'emploi identifiées localement.",
        "en": "The EBE had {headcount} employees ({fte} full-time equivalents) in {month}, against {potential} people durably deprived of employment identified locally.",
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
    "finding_unbounded": {
        "fr": "Avec {n} territoires de comparaison seulement, l'intervalle ne peut pas être borné à ce niveau de confiance : il en faudrait au moins {needed}.",
        "en": "With only {n} comparison territories, the interval cannot be bounded at this confidence level: at least {needed} are needed.",
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
        "fr": "Différence de différences : l'évolution du taux du territoire avant et après l'habilitation est comparée à celle de la moyenne des {n_controls} territoires jamais habilités. L'intervalle est un intervalle de permutation (placebos dans l'espace) : on refait le même calcul pour chaque territoire de comparaison, comme s'il avait été habilité à la même date, en tenant compte de la taille de chacun ; l'intervalle regroupe les effets que cette distribution du hasard ne permet pas d'écarter. Fenêtre : {pre} mois avant, {post} mois après.",
        "en": "Difference-in-differences: the territory's rate before and after habilitation is compared with the average of the {n_controls} never-habilitated territories. The interval is a permutation (placebo-in-space) interval: the same calculation is repeated for each comparison territory as if it had been habilitated on the same date, allowing for each one's size; the interval holds the effects this chance distribution cannot rule out. Window: {pre} months before, {post} months after.",
    },
    "interval_kind_permutation": {"fr": "intervalle de permutation", "en": "permutation interval"},
    "axis_rate": {
        "fr": "Chômeurs de longue durée pour 100 habitants de 15-64 ans",
        "en": "Long-term job seekers per 100 inhabitants aged 15-64",
    },
    "axis_effect": {"fr": "Écart (points)", "en": "Gap (points)"},
    "axis_month": {"fr": "Mois", "en": "Month"},
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
    "label_true_effect": {"fr": "Vrai effet (données synthétiques)", "en": "True effect (synthetic data)"},
    "summary_title": {"fr": "Territoires zéro chômeur : synthèse", "en": "Zero long-term unemployment territories: summary"},
    "summary_intro": {
        "fr": "{n} territoires habilités évalués. Effet estimé sur le taux de chômeurs de longue durée, en points pour 100 habitants de 15 à 64 ans, en moyenne depuis l'habilitation, avec son {kind} à {level}.",
        "en": "{n} habilitated territories evaluated. Estimated effect on the long-term job-seeker rate, in points per 100 inhabitants aged 15-64, averaged since habilitation, with its {level} {kind}.",
    },
    "summary_counts": {
        "fr": "{negative} territoires montrent une baisse nette, {positive} une hausse nette, {unclear} un écart qu'on ne peut distinguer de zéro.",
        "en": "{negative} territories show a clear fall, {positive} a clear rise, and {unclear} a gap that cannot be told apart from zero.",
    },
    "summary_counts_fragile": {
        "fr": "Pour {fragile} autres territoires, l'écart serait net si leurs tendances étaient parallèles à celles des témoins, mais il ne résiste pas aux vérifications de tendance (vérifications d'avant l'habilitation ou estimation robuste à une tendance propre) : il n'est pas compté comme net.",
        "en": "For {fragile} other territories the gap would be clear if their trends were parallel to the comparisons', but it does not survive the trend checks (pre-habilitation checks or the estimate robust to a trend of their own): it is not counted as clear.",
    },
    "summary_failed": {
        "fr": "Estimation impossible pour {n} territoire(s) : {names}.",
        "en": "No estimate for {n} territory(ies): {names}.",
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
        "fr": "Estimation de Callaway et Sant'Anna sur les taux annuels : chaque cohorte de territoires (année de leur premier semestre habilité) est comparée aux {n_controls} territoires jamais habilités. Effet moyen sur toutes les années depuis l'habilitation : {estimate} point (intervalle ponctuel à {level} : de {low} à {high}).",
        "en": "Callaway and Sant'Anna estimation on yearly rates: each cohort of territories (the year of their first habilitated half-year) is compared with the {n_controls} never-habilitated territories. Average effect over all years since habilitation: {estimate} points ({level} pointwise interval: from {low} to {high}).",
    },
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
