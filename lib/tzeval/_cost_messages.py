"""Report text for the cost section: parameter and waterfall-step labels, findings."""

COST_MESSAGES: dict[str, dict[str, str]] = {
    "cost_param_are_monthly": {
        "fr": "Montant de l'ARE",
        "en": "ARE amount",
    },
    "cost_param_are_share_of_hires": {
        "fr": "Part des embauchés indemnisés (ARE)",
        "en": "Share of hires on ARE",
    },
    "cost_param_ass_share_of_hires": {
        "fr": "Part des embauchés à l'ASS",
        "en": "Share of hires on ASS",
    },
    "cost_param_cde_rate": {
        "fr": "Taux de la contribution de l'État (CDE)",
        "en": "State CDE rate",
    },
    "cost_param_deadweight": {
        "fr": "Effet d'aubaine (embauchés qui auraient travaillé sans l'EBE)",
        "en": "Deadweight (hires who would have worked anyway)",
    },
    "cost_param_deadweight_phase_1": {
        "fr": "Effet d'aubaine, phase 1",
        "en": "Deadweight, phase 1",
    },
    "cost_param_deadweight_phase_2": {
        "fr": "Effet d'aubaine, phase 2",
        "en": "Deadweight, phase 2",
    },
    "cost_param_department_share_of_state": {
        "fr": "Part du département",
        "en": "Département share of the CDE",
    },
    "cost_param_displacement": {
        "fr": "Effet de déplacement",
        "en": "Displacement",
    },
    "cost_param_drop_off": {
        "fr": "Érosion par année d'ancienneté",
        "en": "Drop-off per year of tenure",
    },
    "cost_param_employee_contribution_rate": {
        "fr": "Cotisations salariales et CSG",
        "en": "Employee contributions and CSG",
    },
    "cost_param_employer_contribution_rate_at_smic": {
        "fr": "Cotisations patronales au SMIC",
        "en": "Employer contributions at the SMIC",
    },
    "cost_param_health_costs_avoided": {
        "fr": "Dépenses de santé évitées (contesté)",
        "en": "Health costs avoided",
    },
    "cost_param_hours_per_fte": {
        "fr": "Heures par ETP et par an",
        "en": "Hours per FTE-year",
    },
    "cost_param_housing_aid_decrease_monthly": {
        "fr": "Baisse des aides au logement",
        "en": "Housing aid decrease",
    },
    "cost_param_other_public_share_of_gap": {
        "fr": "Part des autres financeurs publics",
        "en": "Other public funders' share of the gap",
    },
    "cost_param_other_tax_revenue": {
        "fr": "Autres recettes fiscales",
        "en": "Other tax revenue",
    },
    "cost_param_prime_activite_increase_monthly": {
        "fr": "Hausse de la prime d'activité",
        "en": "Prime d'activité increase",
    },
    "cost_param_rsa_base_monthly": {
        "fr": "RSA, montant pour une personne seule",
        "en": "RSA, single-person amount",
    },
    "cost_param_rsa_household_factor": {
        "fr": "RSA versé rapporté au montant de base",
        "en": "RSA paid relative to single amount",
    },
    "cost_param_rsa_share_of_hires": {
        "fr": "Part des embauchés au RSA",
        "en": "Share of hires on RSA",
    },
    "cost_param_smic_hourly_gross": {
        "fr": "SMIC horaire brut",
        "en": "SMIC, gross hourly",
    },
    "cost_param_social_support_costs_avoided": {
        "fr": "Accompagnement social évité (contesté)",
        "en": "Social support costs avoided",
    },
    "cost_param_supervision_operating_ratio": {
        "fr": "Encadrement et fonctionnement",
        "en": "Supervision and operating costs",
    },
    "cost_param_turnover_ratio": {
        "fr": "Chiffre d'affaires de l'EBE",
        "en": "EBE own turnover",
    },
    "cost_param_wage_premium_over_smic": {
        "fr": "Salaire au-dessus du SMIC",
        "en": "Wage above the SMIC",
    },
    "cost_step_wages": {
        "fr": "Salaires",
        "en": "Wages",
    },
    "cost_step_employer_contributions": {
        "fr": "Cotisations patronales",
        "en": "Employer contributions",
    },
    "cost_step_supervision_operating": {
        "fr": "Encadrement et fonctionnement",
        "en": "Supervision and operating",
    },
    "cost_step_turnover": {
        "fr": "Chiffre d'affaires de l'EBE",
        "en": "EBE own turnover",
    },
    "cost_step_ebe_gross_cost": {
        "fr": "Coût brut de l'EBE",
        "en": "EBE gross cost",
    },
    "cost_step_startup_grant": {
        "fr": "Dotation d'amorçage",
        "en": "Start-up grant",
    },
    "cost_step_non_public_funding": {
        "fr": "Financement non public",
        "en": "Not publicly funded",
    },
    "cost_step_gross_public_cost": {
        "fr": "Coût public brut",
        "en": "Gross public cost",
    },
    "cost_step_rsa": {
        "fr": "RSA non versé",
        "en": "RSA no longer paid",
    },
    "cost_step_ass": {
        "fr": "ASS non versée",
        "en": "ASS no longer paid",
    },
    "cost_step_unemployment_insurance": {
        "fr": "Allocations chômage non versées",
        "en": "Unemployment insurance no longer paid",
    },
    "cost_step_housing_aid": {
        "fr": "Aides au logement économisées",
        "en": "Housing aid saved",
    },
    "cost_step_prime_activite": {
        "fr": "Prime d'activité supplémentaire",
        "en": "Extra prime d'activité",
    },
    "cost_step_employee_contributions": {
        "fr": "Cotisations salariales et CSG",
        "en": "Employee contributions and CSG",
    },
    "cost_step_employer_contributions_revenue": {
        "fr": "Cotisations patronales perçues",
        "en": "Employer contributions received",
    },
    "cost_step_other_tax": {
        "fr": "Autres recettes fiscales",
        "en": "Other tax revenue",
    },
    "cost_step_health": {
        "fr": "Dépenses de santé évitées",
        "en": "Health costs avoided",
    },
    "cost_step_social_support": {
        "fr": "Accompagnement social évité",
        "en": "Social support avoided",
    },
    "cost_step_additionality_adjustment": {
        "fr": "Aubaine, déplacement, érosion",
        "en": "Deadweight, displacement, drop-off",
    },
    "cost_step_net_cost": {
        "fr": "Coût public net",
        "en": "Net public cost",
    },
    "heading_costs": {
        "fr": "Ce que coûte le programme aux finances publiques",
        "en": "What the programme costs the public purse",
    },
    "costs_text": {
        "fr": "En {year}, pour {fte} emplois équivalents temps plein (ETP), le coût public brut est d'environ {gross} € par ETP et par an. Les économies et recettes publiques qu'apportent ces emplois, une fois retirés ceux qui auraient travaillé sans l'EBE, sont estimées à {avoided} € : le coût public net est de {net} € par ETP et par an (intervalle à {level} : {interval}). Elles couvrent {ratio} du coût brut ; la probabilité qu'elles le couvrent entièrement est de {prob}.",
        "en": "In {year}, for {fte} full-time-equivalent jobs (FTE), the gross public cost is about €{gross} per FTE per year. The public savings and revenue these jobs bring, once those who would have worked without the EBE are taken out, are estimated at €{avoided}: the net public cost is €{net} per FTE per year ({level} interval: {interval}). They cover {ratio} of the gross cost; the probability that they cover all of it is {prob}.",
    },
    "costs_per_exit": {
        "fr": "Chaque personne sortie du chômage de longue durée grâce au programme coûte environ {per_exit} € par an.",
        "en": "Each person taken out of long-term unemployment by the programme costs about €{per_exit} a year.",
    },
    "costs_deadweight_own": {
        "fr": "L'effet d'aubaine retenu est celui qu'implique l'effet estimé de ce territoire : {deadweight}, avec son incertitude (un chiffre qui surestime l'aubaine ; les évaluations publiées donnent environ un cinquième en phase 2).",
        "en": "The deadweight used is the one this territory's estimated effect implies: {deadweight}, with its uncertainty (a figure that overstates the deadweight; the published evaluations give about a fifth in phase 2).",
    },
    "costs_deadweight_published": {
        "fr": "L'effet d'aubaine retenu est celui des évaluations publiées : {deadweight} des embauchés auraient travaillé sans l'EBE (environ la moitié en phase 1, un cinquième en phase 2).",
        "en": "The deadweight used is the published evaluations': {deadweight} of hires would have worked without the EBE (about half in phase 1, a fifth in phase 2).",
    },
    "costs_method": {
        "fr": "Simulation de Monte-Carlo ({draws} tirages) sur tous les paramètres du modèle, chacun avec une valeur basse, centrale et haute et sa source datée. Les dépenses évitées contestées (santé, accompagnement social) ne sont pas comptées.",
        "en": "Monte Carlo simulation ({draws} draws) over every parameter of the model, each with a low, central and high value and a dated source. Contested avoided costs (health, social support) are not counted.",
    },
    "costs_none": {
        "fr": "Pas de coût calculable : l'EBE n'emploie encore personne dans les données.",
        "en": "No cost can be computed: the EBE employs no one yet in the data.",
    },
    "title_cost_waterfall": {
        "fr": "Du coût brut au coût public net, par ETP ({year}, valeurs centrales)",
        "en": "From gross cost to net public cost, per FTE ({year}, central values)",
    },
    "title_cost_distribution": {
        "fr": "Coût public net par ETP : distribution simulée ({year})",
        "en": "Net public cost per FTE: simulated distribution ({year})",
    },
    "title_cost_tornado": {
        "fr": "Paramètres qui pèsent le plus sur le coût net ({year})",
        "en": "Parameters that weigh most on the net cost ({year})",
    },
    "axis_euros_per_fte": {
        "fr": "€ par ETP et par an",
        "en": "€ per FTE per year",
    },
    "axis_share_of_draws": {
        "fr": "Part des tirages",
        "en": "Share of draws",
    },
    "label_offsets_cover": {
        "fr": "Économies = coûts",
        "en": "Savings = costs",
    },
    "label_mean": {
        "fr": "Moyenne",
        "en": "Mean",
    },
    "label_parameter_low": {
        "fr": "Paramètre à sa valeur basse",
        "en": "Parameter at its low value",
    },
    "label_parameter_high": {
        "fr": "Paramètre à sa valeur haute",
        "en": "Parameter at its high value",
    },
    "heading_robustness": {
        "fr": "Vérification par une seconde méthode",
        "en": "Check with a second method",
    },
    "robustness_line": {
        "fr": "Différences de différences synthétiques (Arkhangelsky et al., 2021), qui pondèrent les territoires témoins et {periods} pour reproduire la trajectoire de ce territoire : {estimate} point (intervalle à {level}, tiré des territoires témoins et rapporté au bruit propre de ce territoire : de {low} à {high}).",
        "en": "Synthetic difference-in-differences (Arkhangelsky et al., 2021), which weights comparison territories and {periods} to reproduce this territory's path: {estimate} points ({level} interval, drawn from the comparison territories and scaled to this territory's own noise: {low} to {high}).",
    },
    "robustness_line_no_interval": {
        "fr": "Différences de différences synthétiques (Arkhangelsky et al., 2021), qui pondèrent les territoires témoins et {periods} pour reproduire la trajectoire de ce territoire : {estimate} point. Pas d'intervalle ni de comparaison ici : les fluctuations de ce territoire sont plus fortes (ou plus faibles) que celles de tous les territoires témoins, dont cet intervalle est tiré.",
        "en": "Synthetic difference-in-differences (Arkhangelsky et al., 2021), which weights comparison territories and {periods} to reproduce this territory's path: {estimate} points. No interval or comparison here: this territory's fluctuations are stronger (or weaker) than every comparison territory's, from which this interval is drawn.",
    },
    "robustness_periods_monthly": {"fr": "les mois", "en": "months"},
    "robustness_periods_quarterly": {"fr": "les trimestres", "en": "quarters"},
    "robustness_periods_yearly": {"fr": "les années", "en": "years"},
    "robustness_agree": {
        "fr": "Les deux méthodes concordent : chaque estimation se trouve dans l'intervalle de l'autre.",
        "en": "The two methods agree: each estimate lies inside the other's interval.",
    },
    "robustness_disagree": {
        "fr": "Les deux méthodes divergent : l'écart de tendance avant l'habilitation compte. Préférez la seconde estimation si le territoire suivait mal les territoires de comparaison, et lisez les deux avec prudence.",
        "en": "The two methods disagree: differing trends before habilitation matter. Prefer the second estimate if the territory tracked the comparison territories poorly, and read both with care.",
    },
    "heading_national_costs": {
        "fr": "Coût pour les finances publiques, tous territoires",
        "en": "Cost to the public purse, all territories",
    },
    "national_costs_text": {
        "fr": "Par année, en euros de l'année, moyenne pondérée par les emplois (ETP) de tous les territoires, puis des seuls territoires de la phase 2, comparables au comité scientifique (dernière ligne). L'effet d'aubaine est celui des évaluations publiées. Intervalles à {level} issus de {draws} tirages de Monte-Carlo. Dans les économies et recettes, environ {calibrated} € par ETP sont calibrés sur le total du comité plutôt que détaillés.",
        "en": "By year, in euros of the year, weighted by jobs (FTE) across all territories, then phase 2 territories only, comparable with the comité scientifique (last row). Deadweight is the published evaluations'. {level} intervals from {draws} Monte Carlo draws. Of savings and revenue, about €{calibrated} per FTE are calibrated to the comité's total rather than itemised.",
    },
    "col_year": {
        "fr": "Année",
        "en": "Year",
    },
    "col_fte_years": {
        "fr": "ETP",
        "en": "FTE",
    },
    "col_gross_cost": {
        "fr": "Coût public brut / ETP (€)",
        "en": "Gross public cost / FTE (€)",
    },
    "col_offsets": {
        "fr": "Économies et recettes / ETP (€)",
        "en": "Savings and revenue / FTE (€)",
    },
    "col_net_cost": {
        "fr": "Coût public net / ETP (€)",
        "en": "Net public cost / FTE (€)",
    },
    "col_offset_ratio": {
        "fr": "Part couverte",
        "en": "Share offset",
    },
    "col_prob_cover": {
        "fr": "Probabilité de couverture totale",
        "en": "Probability fully offset",
    },
    "col_net_total": {
        "fr": "Coût net total (M€)",
        "en": "Total net cost (€m)",
    },
    "cost_param_ass_daily": {
        "fr": "Montant journalier de l'ASS",
        "en": "ASS daily amount",
    },
    "cost_param_price_index": {
        "fr": "Indice des prix à la consommation",
        "en": "Consumer price index",
    },
    "cost_param_startup_grant_share_of_annual_smic": {
        "fr": "Dotation d'amorçage (part du SMIC annuel)",
        "en": "Start-up grant (share of the annual SMIC)",
    },
    "cost_param_fte_per_employee": {
        "fr": "ETP par salarié (temps partiel)",
        "en": "FTE per employee (part-time)",
    },
    "cost_param_returns_not_itemised": {
        "fr": "Recettes non détaillées (calibrées sur le comité)",
        "en": "Returns not itemised (calibrated to the comité)",
    },
    "cost_step_returns_not_itemised": {
        "fr": "Recettes non détaillées (calibrées)",
        "en": "Returns not itemised (calibrated)",
    },
    "cost_step_net_cost_with_startup_grant": {
        "fr": "Coût net avec dotation",
        "en": "Net cost with start-up grant",
    },
    "costs_benchmark": {
        "fr": "Référence officielle : pour la phase 2, le comité scientifique (rapport de septembre 2025) estime les économies et recettes entre {avoided_low} et {avoided_high} € et le coût net entre {net_low} et {net_high} € par ETP et par an, hors dotation d'amorçage.",
        "en": "Official reference: for phase 2, the comité scientifique (September 2025 report) puts savings and revenue at €{avoided_low} to €{avoided_high} and the net cost at €{net_low} to €{net_high} per FTE per year, start-up grant excluded.",
    },
    "costs_benchmark_phase_1": {
        "fr": "Ce territoire relève de la première phase (loi de 2016) : la référence ci-dessus porte sur la deuxième. En phase 1, environ la moitié des salariés auraient travaillé sans l'EBE, contre un cinquième en phase 2 : les économies y sont plus faibles et le coût net plus élevé, sans que cela dise quoi que ce soit de sa gestion.",
        "en": "This territory belongs to the first phase (2016 law): the reference above is for the second. In phase 1 about half of employees would have worked without the EBE, against a fifth in phase 2: savings are lower and the net cost higher there, which says nothing of how it is run.",
    },
    "finding_cost": {
        "fr": "Coût pour les finances publiques en {year} : environ {net} € net par emploi équivalent temps plein et par an (référence officielle pour la phase 2 : {low} à {high} €), détaillé plus bas.",
        "en": "Cost to the public purse in {year}: about €{net} net per full-time-equivalent job per year (official reference for phase 2: €{low} to €{high}), detailed below.",
    },
    "costs_startup_grant": {
        "fr": "La dotation d'amorçage s'y ajoute, hors coût net comme chez le comité : {per_job} € par ETP supplémentaire au 31 décembre, soit {total} € en {year} pour {added} ETP créés.",
        "en": "The start-up grant comes on top, outside the net cost as in the comité's figures: €{per_job} per additional FTE at 31 December, or €{total} in {year} for {added} FTE created.",
    },
    "costs_calibrated": {
        "fr": "Attention : sur ces {avoided} €, environ {calibrated} € ne sont pas détaillés ligne par ligne. Ils sont calibrés pour retrouver le total publié par le comité scientifique, dont le détail n'était pas disponible ; cette part ne peut pas être vérifiée ici.",
        "en": "Caution: of these €{avoided}, about €{calibrated} are not itemised line by line. They are calibrated to reproduce the total published by the comité scientifique, whose detail was not available; this part cannot be checked here.",
    },
    "costs_deadweight_check": {
        "fr": "À titre de vérification, la baisse estimée des demandeurs d'emploi de longue durée de ce territoire impliquerait un effet d'aubaine de {deadweight}. Ce chiffre tend à surestimer l'aubaine : les embauchés qui n'étaient pas inscrits comme demandeurs de longue durée, ou qui restent inscrits en catégorie B ou C à temps partiel, ne peuvent pas faire baisser ce nombre.",
        "en": "As a check, this territory's estimated fall in long-term job seekers would imply a deadweight of {deadweight}. That figure tends to overstate it: hires who were not registered as long-term job seekers, or who stay registered in category B or C while working part-time, cannot lower that count.",
    },
    "national_costs_total": {
        "fr": "De {first} à {last}, le coût public net total est d'environ {total} M€ (en euros de {euros_of}), auxquels s'ajoutent {grants} M€ de dotations d'amorçage.",
        "en": "From {first} to {last}, the total net public cost is about €{total}m (in {euros_of} euros), plus €{grants}m of start-up grants.",
    },
    "col_scope": {
        "fr": "Territoires",
        "en": "Territories",
    },
    "scope_all": {
        "fr": "Tous",
        "en": "All",
    },
    "scope_phase_2": {
        "fr": "Phase 2",
        "en": "Phase 2",
    },
    "scope_comite": {
        "fr": "Comité scientifique 2025 (phase 2)",
        "en": "Comité scientifique 2025 (phase 2)",
    },
    "col_startup_grant": {
        "fr": "Dotation d'amorçage / ETP (€)",
        "en": "Start-up grant / FTE (€)",
    },
}
