"""Report text for coverage of need and the scale-gap comparison (to merge into the catalogue).

Keys start with ``cov_`` (per-territory and national coverage) or ``sg_`` (the
cross-programme comparison). Keys ``sg_figure_<programme>_<metric>[_<year>]_<part>`` hold
the wording of one figure of ``data/raw/public/programmes.csv`` (see
``tzeval.scale_gap.figure_key``).
"""

MESSAGES_COVERAGE: dict[str, dict[str, str]] = {
    # --- Report title and headings
    "cov_report_title": {
        "fr": "Le programme est-il à l'échelle du besoin ?",
        "en": "Does the programme reach the scale of the need?",
    },
    "cov_heading_territories": {
        "fr": "Exhaustivité par territoire",
        "en": "Coverage of need by territory",
    },
    "cov_heading_months": {
        "fr": "Combien de temps jusqu'à l'exhaustivité, au rythme actuel ?",
        "en": "How long until full coverage, at the current pace?",
    },
    "cov_heading_example": {
        "fr": "Un territoire en détail",
        "en": "One territory in detail",
    },
    "cov_heading_national": {
        "fr": "À l'échelle nationale : salariés des EBE et chômeurs de longue durée",
        "en": "Nationally: EBE employees and long-term job seekers",
    },
    "sg_heading": {
        "fr": "D'autres programmes : couverture du besoin et coût par résultat",
        "en": "Other programmes: coverage of need and cost per outcome",
    },
    "sg_heading_qualitative": {
        "fr": "Ce que les chiffres ne disent pas : le relevé qualitatif",
        "en": "What the figures do not say: the qualitative record",
    },
    "sg_heading_sources": {
        "fr": "Sources des chiffres",
        "en": "Sources of the figures",
    },
    "sg_intro": {
        "fr": "Chaque chiffre vient d'une source datée. Les coûts par résultat ne se comparent pas directement d'un programme à l'autre : un emploi en CDI, une entreprise créée et un stage ne sont pas le même résultat.",
        "en": "Every figure comes from a dated source. Costs per outcome do not compare directly across programmes: a permanent job, a business created and an internship are not the same outcome.",
    },
    # --- Per-territory findings
    "cov_finding_ratios": {
        "fr": "En {month}, sur {n} territoires habilités, la médiane des embauches cumulées rapportées aux personnes privées durablement d'emploi identifiées est de {median_potential} ({median_headcount} en ne comptant que les salariés présents), et de {median_volunteers} rapportées aux volontaires.",
        "en": "In {month}, across {n} habilitated territories, median cumulative hires are {median_potential} of the people durably jobless identified ({median_headcount} counting only employees in post), and {median_volunteers} of volunteers.",
    },
    # One clause per status, each agreeing with its own count (« 1 n'a », « 3 ont »).
    "cov_status_covered_one": {
        "fr": "{n} territoire a déjà embauché autant de personnes que le besoin identifié",
        "en": "{n} territory has already hired as many people as the need identified",
    },
    "cov_status_covered_other": {
        "fr": "{n} territoires ont déjà embauché autant de personnes que le besoin identifié",
        "en": "{n} territories have already hired as many people as the need identified",
    },
    "cov_status_projected_one": {"fr": "{n} progresse", "en": "{n} is progressing"},
    "cov_status_projected_other": {"fr": "{n} progressent", "en": "{n} are progressing"},
    "cov_status_no_progress_one": {
        "fr": "{n} n'a fait aucune embauche nette sur la période récente",
        "en": "{n} made no net hire over the recent period",
    },
    "cov_status_no_progress_other": {
        "fr": "{n} n'ont fait aucune embauche nette sur la période récente",
        "en": "{n} made no net hire over the recent period",
    },
    "cov_status_unknown_one": {
        "fr": "{n} n'a pas assez de données pour une projection",
        "en": "{n} lacks the data for a projection",
    },
    "cov_status_unknown_other": {
        "fr": "{n} n'ont pas assez de données pour une projection",
        "en": "{n} lack the data for a projection",
    },
    # A number of hires with its noun, agreeing with it (« 1 embauche », « 0,5 embauche », « 33 embauches »).
    "cov_hires_one": {"fr": "{n} embauche", "en": "{n} hire"},
    "cov_hires_other": {"fr": "{n} embauches", "en": "{n} hires"},
    "cov_list_and": {"fr": " et ", "en": ", and "},
    "cov_finding_months": {
        "fr": "Au rythme d'embauche récent, la durée médiane restant jusqu'à l'exhaustivité est de {median} mois. {within} territoires sur {n} y seraient avant {horizon}. Pour {open_ended} territoires, le rythme est si incertain que la durée n'a pas de borne haute.",
        "en": "At the recent hiring pace, the median time left to full coverage is {median} months. {within} of {n} territories would get there before {horizon}. For {open_ended} territories the pace is so uncertain that the time has no upper bound.",
    },
    "cov_method_bootstrap": {
        "fr": "Méthode : le rythme est la moyenne des embauches mensuelles des {window} derniers mois ; son intervalle à {level} vient d'un rééchantillonnage (bootstrap) de ces embauches mensuelles. La durée restante est l'écart au besoin divisé par ce rythme.",
        "en": "Method: the pace is the mean monthly hires over the last {window} months; its {level} interval comes from resampling (bootstrapping) those monthly hires. The time left is the gap to the need divided by that pace.",
    },
    "cov_method_bootstrap_periods": {
        "fr": "Méthode : les comptages sont {counts} ; le rythme mensuel est la hausse des embauches cumulées d'un comptage au suivant divisée par le nombre de mois qui les séparent, en moyenne sur les {window} derniers mois ; son intervalle à {level} vient d'un rééchantillonnage (bootstrap) de ces hausses. Avec une seule hausse, l'incertitude du rythme ne peut pas être mesurée. La durée restante est l'écart au besoin divisé par ce rythme.",
        "en": "Method: the counts are {counts}; the monthly pace is the rise in cumulative hires from one count to the next divided by the months between them, averaged over the last {window} months; its {level} interval comes from resampling (bootstrapping) those rises. With a single rise, the uncertainty of the pace cannot be measured. The time left is the gap to the need divided by that pace.",
    },
    "cov_method_regression_periods": {
        "fr": "Méthode : les comptages sont {counts} ; le rythme mensuel est la pente des embauches cumulées sur les {window} derniers mois (moindres carrés), ramenée au mois, avec un intervalle à {level} de Student ; cet intervalle est trop étroit quand les écarts se suivent, et il n'a pas de borne avec deux comptages seulement. La durée restante est l'écart au besoin divisé par ce rythme.",
        "en": "Method: the counts are {counts}; the monthly pace is the least-squares slope of cumulative hires over the last {window} months, per month, with a {level} Student interval; that interval is too narrow when deviations persist, and unbounded with only two counts. The time left is the gap to the need divided by that pace.",
    },
    "cov_counts_quarterly": {"fr": "trimestriels", "en": "quarterly"},
    "cov_counts_yearly": {"fr": "annuels (au 31 décembre)", "en": "yearly (at 31 December)"},
    "cov_finding_no_programme": {
        "fr": "Pour {n} territoires habilités, aucun effectif de l'entreprise à but d'emploi n'a été fourni : ils ne sont pas comptés dans ces chiffres.",
        "en": "For {n} habilitated territories, no headcount of the employment-oriented enterprise (EBE) was provided: they are not counted in these figures.",
    },
    "cov_finding_no_programme_all": {
        "fr": "Aucun effectif d'entreprise à but d'emploi n'a été fourni pour les {n} territoires habilités : la couverture du besoin ne peut pas être calculée.",
        "en": "No headcount of an employment-oriented enterprise (EBE) was provided for the {n} habilitated territories: coverage of the need cannot be computed.",
    },
    "cov_method_regression": {
        "fr": "Méthode : le rythme est la pente des embauches cumulées sur les {window} derniers mois (moindres carrés), avec un intervalle à {level} de Student ; cet intervalle est trop étroit quand les écarts mensuels se suivent. La durée restante est l'écart au besoin divisé par ce rythme.",
        "en": "Method: the pace is the least-squares slope of cumulative hires over the last {window} months, with a {level} Student interval; that interval is too narrow when monthly deviations persist. The time left is the gap to the need divided by that pace.",
    },
    "cov_territory_covered": {
        "fr": "{name} : en {month}, {hires} cumulées pour {potential} personnes identifiées ({share}) ; le besoin identifié est couvert.",
        "en": "{name}: in {month}, {hires} in all for {potential} people identified ({share}); the need identified is covered.",
    },
    "cov_territory_no_need": {
        "fr": "{name} : aucun nombre de personnes privées durablement d'emploi n'est fourni ; l'exhaustivité ne peut pas être calculée.",
        "en": "{name}: no count of people durably jobless is provided; coverage cannot be computed.",
    },
    "cov_territory_no_programme": {
        "fr": "{name} : aucun effectif de l'entreprise à but d'emploi n'a été fourni pour ce territoire ; la couverture du besoin ne peut pas être calculée.",
        "en": "{name}: no headcount of the employment-oriented enterprise (EBE) was provided for this territory; coverage of the need cannot be computed.",
    },
    "cov_territory_single_change": {
        "fr": "{name} : en {month}, {hires} pour {potential} personnes identifiées ({share}). Rythme sur les {n_months} derniers mois : {pace} par mois, tiré d'une seule hausse entre deux comptages, trop peu pour en mesurer l'incertitude. À ce rythme, l'exhaustivité serait atteinte dans environ {months} mois.",
        "en": "{name}: in {month}, {hires} for {potential} people identified ({share}). Pace over the last {n_months} months: {pace} a month, from a single rise between two counts, too little to measure its uncertainty. At this pace, full coverage would take about {months} months.",
    },
    "cov_territory_too_few": {
        "fr": "{name} : en {month}, {hires} pour {potential} personnes identifiées ({share}) ; {n_months} mois de données seulement, trop peu pour estimer un rythme.",
        "en": "{name}: in {month}, {hires} for {potential} people identified ({share}); only {n_months} months of data, too few to estimate a pace.",
    },
    "cov_territory_no_progress": {
        "fr": "{name} : en {month}, {hires} pour {potential} personnes identifiées ({share}) ; aucune embauche nette sur les {n_months} derniers mois : à ce rythme, l'exhaustivité ne serait jamais atteinte.",
        "en": "{name}: in {month}, {hires} for {potential} people identified ({share}); no net hire over the last {n_months} months: at this pace full coverage would never be reached.",
    },
    "cov_territory_open_ended": {
        "fr": "{name} : en {month}, {hires} pour {potential} personnes identifiées ({share}). Rythme récent : {pace} par mois (intervalle à {level} : de {pace_low} à {pace_high}). Exhaustivité dans environ {months} mois, au plus tôt dans {months_low} mois ; l'intervalle inclut un rythme nul, la durée n'a donc pas de borne haute.",
        "en": "{name}: in {month}, {hires} for {potential} people identified ({share}). Recent pace: {pace} a month ({level} interval: {pace_low} to {pace_high}). Full coverage in about {months} months, at the earliest in {months_low}; the interval includes a zero pace, so the time has no upper bound.",
    },
    "cov_territory_projected": {
        "fr": "{name} : en {month}, {hires} pour {potential} personnes identifiées ({share}). Rythme récent : {pace} par mois (intervalle à {level} : de {pace_low} à {pace_high}). Exhaustivité dans environ {months} mois (de {months_low} à {months_high} mois).",
        "en": "{name}: in {month}, {hires} for {potential} people identified ({share}). Recent pace: {pace} a month ({level} interval: {pace_low} to {pace_high}). Full coverage in about {months} months ({months_low} to {months_high} months).",
    },
    # --- National findings
    "cov_national_finding": {
        "fr": "En {month}, les {n} territoires habilités comptaient {employees} salariés en EBE pour {jobseekers} demandeurs d'emploi inscrits depuis un an ou plus, soit {share} ; et {share_potential} des {potential} personnes privées durablement d'emploi identifiées localement.",
        "en": "In {month}, the {n} habilitated territories had {employees} EBE employees against {jobseekers} job seekers registered for a year or more, that is {share}; and {share_potential} of the {potential} people durably jobless identified locally.",
    },
    "cov_national_missing": {
        "fr": "{missing} des {n} territoires habilités n'ont fourni aucun effectif : leurs salariés manquent à ce total, qui sous-estime donc la part employée.",
        "en": "{missing} of the {n} habilitated territories provided no headcount: their employees are missing from this total, which therefore understates the share employed.",
    },
    "cov_national_no_programme": {
        "fr": "Aucun effectif d'entreprise à but d'emploi n'a été fourni : la part des chômeurs de longue durée employés ne peut pas être calculée.",
        "en": "No headcount of an employment-oriented enterprise (EBE) was provided: the share of long-term job seekers employed cannot be computed.",
    },
    "cov_national_caveat": {
        "fr": "Les deux populations ne se recouvrent pas exactement : des salariés d'EBE n'étaient pas inscrits, des inscrits ne sont pas volontaires, et un salarié embauché sort souvent des inscrits de longue durée.",
        "en": "The two populations do not overlap exactly: some EBE employees were not registered, some registered people are not volunteers, and an employee once hired often leaves the long-term register.",
    },
    # --- Figures
    "cov_title_coverage": {
        "fr": "Exhaustivité par territoire en {month}",
        "en": "Coverage of need by territory in {month}",
    },
    "cov_title_coverage_no_data": {
        "fr": "Exhaustivité par territoire",
        "en": "Coverage of need by territory",
    },
    "cov_axis_coverage": {
        "fr": "Part du besoin atteinte",
        "en": "Share of the need reached",
    },
    "cov_series_hires_per_potential": {
        "fr": "Embauches cumulées / personnes identifiées",
        "en": "Cumulative hires / people identified",
    },
    "cov_series_headcount_per_potential": {
        "fr": "Salariés présents / personnes identifiées",
        "en": "Employees in post / people identified",
    },
    "cov_series_hires_per_volunteer": {
        "fr": "Embauches cumulées / volontaires",
        "en": "Cumulative hires / volunteers",
    },
    "cov_title_months": {
        "fr": "Mois restant jusqu'à l'exhaustivité au rythme récent",
        "en": "Months left to full coverage at the recent pace",
    },
    "cov_axis_months": {
        "fr": "Mois (affichage limité à {cap} mois ; au-delà, flèche)",
        "en": "Months (shown up to {cap} months; beyond, an arrow)",
    },
    "cov_series_months": {
        "fr": "Estimation et intervalle à {level}",
        "en": "Estimate and {level} interval",
    },
    "cov_status_covered": {"fr": "Besoin déjà couvert", "en": "Need already covered"},
    "cov_status_no_progress": {"fr": "Aucune embauche récente", "en": "No recent hire"},
    "cov_label_horizon": {
        "fr": "Fin de l'expérimentation ({horizon})",
        "en": "End of the experiment ({horizon})",
    },
    "cov_series_volunteers": {"fr": "Volontaires", "en": "Volunteers"},
    "cov_series_no_programme": {
        "fr": "Aucun effectif de l'entreprise à but d'emploi n'a été fourni pour ce territoire.",
        "en": "No headcount of the employment-oriented enterprise (EBE) was provided for this territory.",
    },
    "cov_series_projection": {"fr": "Projection au rythme récent", "en": "Projection at the recent pace"},
    "cov_title_series": {
        "fr": "{name} : besoin, volontaires, embauches et salariés",
        "en": "{name}: need, volunteers, hires and employees",
    },
    "cov_title_national": {
        "fr": "Territoires habilités : salariés des EBE et chômeurs de longue durée",
        "en": "Habilitated territories: EBE employees and long-term job seekers",
    },
    "cov_series_long_term": {
        "fr": "Inscrits depuis un an ou plus",
        "en": "Registered for a year or more",
    },
    "cov_series_ratio_national": {
        "fr": "Salariés / inscrits de longue durée (axe de droite)",
        "en": "Employees / long-term registered (right axis)",
    },
    "cov_axis_ratio": {"fr": "Rapport", "en": "Ratio"},
    # --- Scale gap across programmes
    "sg_finding_coverage": {
        "fr": "{programme} : {reach} pour un besoin de {need} ({unit}, {year}), soit une couverture de {share}.",
        "en": "{programme}: {reach} against a need of {need} ({unit}, {year}), a coverage of {share}.",
    },
    "sg_finding_coverage_at_most": {
        "fr": "{programme} : {reach} pour un besoin d'au moins {need} ({unit}, {year}), soit une couverture d'au plus {share}.",
        "en": "{programme}: {reach} against a need of at least {need} ({unit}, {year}), a coverage of at most {share}.",
    },
    "sg_finding_years_differ": {
        "fr": "{programme} : la portée ({reach_year}) et le besoin ({need_year}) ne datent pas de la même année.",
        "en": "{programme}: reach ({reach_year}) and need ({need_year}) do not date from the same year.",
    },
    "sg_finding_coverage_proxy": {
        "fr": "{programme} : {reach} {reach_label}, rapportés à {need} {need_label} : {share}. Ce rapport donne un ordre de grandeur, pas la part du besoin couverte. Source du second nombre : {source}.",
        "en": "{programme}: {reach} {reach_label}, against {need} {need_label}: {share}. This ratio gives an order of magnitude, not the share of the need covered. Source of the second number: {source}.",
    },
    "sg_finding_proxy_caveat": {
        "fr": "{programme} : le besoin n'a pas de décompte propre ; le chiffre de comparaison n'en donne qu'un ordre de grandeur.",
        "en": "{programme}: the need has no count of its own; the comparison figure gives only an order of magnitude of it.",
    },
    "sg_finding_years_differ_proxy": {
        "fr": "{programme} : la portée ({reach_year}) et le chiffre de comparaison ({need_year}) ne datent pas de la même année.",
        "en": "{programme}: reach ({reach_year}) and the comparison figure ({need_year}) do not date from the same year.",
    },
    "sg_finding_latest_reach": {
        "fr": "{programme} : portée la plus récente, {reach} {reach_label}. Source : {source}.",
        "en": "{programme}: latest reach, {reach} {reach_label}. Source: {source}.",
    },
    "sg_finding_no_coverage": {
        "fr": "{programme} : pas de chiffre de portée et de besoin ; la couverture n'est pas calculée.",
        "en": "{programme}: no reach and need figures; coverage is not computed.",
    },
    "sg_finding_cost": {
        "fr": "{programme} : coût par résultat de {value} {unit}{range}.",
        "en": "{programme}: cost per outcome of {value} {unit}{range}.",
    },
    "sg_finding_cost_derived": {
        "fr": "{programme} : dépense rapportée à la portée, {value} {unit}{range} (calculé).",
        "en": "{programme}: spending divided by reach, {value} {unit}{range} (derived).",
    },
    "sg_finding_benchmark": {
        "fr": "{programme} : coût de référence cité en comparaison, {value} {unit}{range} (ce n'est pas le coût du programme).",
        "en": "{programme}: benchmark cost quoted for comparison, {value} {unit}{range} (not the programme's own cost).",
    },
    "sg_finding_no_cost": {
        "fr": "{programme} : aucun coût par résultat publié ; le programme est montré à part, sans coût inventé.",
        "en": "{programme}: no published cost per outcome; the programme is shown apart, with no invented cost.",
    },
    "sg_finding_frequentation": {
        "fr": "{programme} : fréquentation de {value} ({unit}, {year}) ; une fréquentation mesure l'usage, pas la part du besoin couverte.",
        "en": "{programme}: frequentation of {value} ({unit}, {year}); frequentation measures use, not the share of the need covered.",
    },
    "sg_finding_qualitative_only": {
        "fr": "{programme} : ni couverture ni coût par résultat ne se calculent à partir des chiffres publiés ; son impact, qualitatif, est décrit dans le relevé ci-dessous plutôt que par un coût inventé.",
        "en": "{programme}: neither coverage nor cost per outcome can be computed from published figures; its impact, which is qualitative, is described in the record below rather than by an invented cost.",
    },
    "sg_range": {"fr": " (de {low} à {high})", "en": " ({low} to {high})"},
    "sg_title": {
        "fr": "Couverture du besoin et coût par résultat",
        "en": "Coverage of need and cost per outcome",
    },
    "sg_axis_coverage": {
        "fr": "Couverture du besoin (portée / besoin, échelle log)",
        "en": "Coverage of need (reach / need, log scale)",
    },
    "sg_axis_cost": {
        "fr": "Coût par résultat (euros, échelle log ; résultats différents)",
        "en": "Cost per outcome (euros, log scale; outcomes differ)",
    },
    "sg_panel_with_cost": {"fr": "Avec un coût par résultat", "en": "With a cost per outcome"},
    "sg_panel_without_cost": {"fr": "Sans coût publié", "en": "No published cost"},
    "sg_label_benchmark": {"fr": "référence", "en": "benchmark"},
    "sg_label_coverage": {"fr": "{programme} : {share}", "en": "{programme}: {share}"},
    "sg_label_at_most": {"fr": "{programme} : au plus {share}", "en": "{programme}: at most {share}"},
    "sg_point_at_most": {"fr": "au plus {share}", "en": "at most {share}"},
    "sg_label_proxy": {"fr": "{programme} : {share} (ordre de grandeur)", "en": "{programme}: {share} (order of magnitude)"},
    "sg_point_proxy": {"fr": "{share} (ordre de grandeur)", "en": "{share} (order of magnitude)"},
    "sg_label_no_cost": {"fr": "sans coût publié", "en": "no published cost"},
    "sg_note_not_plotted": {
        "fr": "Sans couverture calculable, donc hors graphique : {programmes} (voir le relevé qualitatif).",
        "en": "No computable coverage, so not plotted: {programmes} (see the qualitative record).",
    },
    "sg_col_programme": {"fr": "Programme", "en": "Programme"},
    "sg_col_dimension": {"fr": "Dimension", "en": "Dimension"},
    "sg_col_record": {"fr": "Relevé", "en": "Record"},
    "sg_col_source": {"fr": "Source (date)", "en": "Source (date)"},
    "sg_col_metric": {"fr": "Indicateur", "en": "Metric"},
    "sg_col_value": {"fr": "Valeur", "en": "Value"},
    "sg_col_year": {"fr": "Année", "en": "Year"},
    "sg_dimension_qualitative_activity": {"fr": "Activité", "en": "Activity"},
    "sg_dimension_qualitative_governance": {"fr": "Gouvernance et participation", "en": "Governance and participation"},
    "sg_dimension_qualitative_outcomes": {"fr": "Effets recherchés", "en": "Intended outcomes"},
    "sg_dimension_qualitative_evidence": {"fr": "Preuves disponibles", "en": "Available evidence"},
    "sg_metric_reach": {"fr": "Portée", "en": "Reach"},
    "sg_metric_need": {"fr": "Besoin", "en": "Need"},
    "sg_metric_need_proxy": {"fr": "Ordre de grandeur du besoin", "en": "Order of magnitude of the need"},
    "sg_metric_cost_per_outcome": {"fr": "Coût par résultat", "en": "Cost per outcome"},
    "sg_metric_benchmark_cost_per_outcome": {"fr": "Coût de référence", "en": "Benchmark cost"},
    "sg_metric_spending": {"fr": "Dépense", "en": "Spending"},
    "sg_metric_frequentation": {"fr": "Fréquentation", "en": "Frequentation"},
    "sg_metric_context": {"fr": "Contexte", "en": "Context"},
    # --- The wording of single figures of programmes.csv (tzeval.scale_gap.figure_key)
    "sg_figure_default_label": {"fr": "({unit}, {year})", "en": "({unit}, {year})"},
    "sg_figure_tzcld_reach_2024_label": {
        "fr": "salariés dans 86 entreprises à but d'emploi (EBE), fin 2024",
        "en": "employees in 86 employment-oriented enterprises (EBEs), end 2024",
    },
    "sg_figure_tzcld_reach_2025_label": {
        "fr": "salariés dans 92 EBE, mi-2025",
        "en": "employees in 92 EBEs, mid-2025",
    },
    "sg_figure_tzcld_need_proxy_2024_label": {
        "fr": "demandeurs d'emploi de longue durée inscrits (DELD, catégories A, B, C, inscrits depuis 12 mois ou plus, France métropolitaine, moyenne du 4e trimestre 2024)",
        "en": "registered long-term job seekers (DELD, categories A, B, C, registered 12 months or more, mainland France, Q4 2024 average)",
    },
    "sg_figure_tzcld_need_proxy_caveat": {
        "fr": "Ce nombre n'est qu'un ordre de grandeur du besoin de TZCLD. Les catégories B et C comptent des personnes qui travaillent une partie du mois, et les personnes durablement privées d'emploi qui ne sont pas inscrites à France Travail n'y figurent pas. Le « besoin » de TZCLD, les personnes privées durablement d'emploi, se compte territoire par territoire et n'a pas de total national.",
        "en": "This number is only an order of magnitude of the TZCLD need. Categories B and C include people who work part of the month, and people durably without work who are not registered at France Travail are missing. The TZCLD \"need\", people durably deprived of employment (personnes privées durablement d'emploi), is counted territory by territory and has no national total.",
    },
}
