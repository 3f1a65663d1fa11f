# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["lesson"]
# # One territory's impact: a lesson in difference-in-differences
#
# This notebook produces the report a funder reads for one territory of the
# *Territoires zéro chômeur de longue durée* experiment. It is also a lesson: the cells
# tagged `lesson` (like this one) explain each step and are left out of the funder's
# report. The code stays short because the methods live in the `tzeval` library; open
# `lib/tzeval/placebo_did.py` to read how the estimate is built.
#
# **The question.** Did long-term unemployment fall more in this territory, after it
# was habilitated and its *entreprise à but d'emploi* (EBE) started hiring, than it
# would have without the programme?
#
# **Run it yourself.** Change the parameters in the next cell, or from a terminal:
# `papermill notebooks/territory_report.ipynb out.ipynb -p territory_id <id> -p lang en`.

# %% tags=["parameters"]
territory_id = None  # a territory_id of territories.csv; None takes the first treated one
data_dir = None  # folder holding the contract files; None uses the embedded demo data
alpha = 0.05  # 1 - confidence level of the interval
seed = 20170101  # only used when a random subset of placebos is drawn
lang = "fr"  # report language: "fr" or "en"
allow_series_break = False  # accept periods from 2025-01 on (see data/raw/README.md)
processed_dir = None  # folder for the Parquet cache of the data; None uses the default place
unit_costs = None  # path of your own unit-cost table; None uses data/raw/unit_costs.csv
public_dir = None  # folder holding programmes.csv (used by the scale-gap notebook; passed to all)

# %% [markdown] tags=["lesson"]
# ## 1. Load the data, checked against the contract
#
# `open_dataset` validates the raw files (see `data/raw/README.md`) and stops with a
# list of every problem (file, row, column, rule) if the data break the contract. It
# keeps a Parquet copy (in `processed_dir` when given), so later runs skip the checks
# until the raw files change. Synthetic data get a banner on every page.
#
# Published data come monthly, quarterly or yearly (`dataset.json` says which). The
# report counts in the data's unit ("8 ans", "32 trimestres") and names periods the same
# way; with yearly figures at 31 December, the first year after habilitation is the one
# that contains it.

# %%
from IPython.display import display

import tzeval
from tzeval import analysis_store, plots
from tzeval.display import show
from tzeval.report import blocks

data = tzeval.open_dataset(data_dir, allow_series_break=allow_series_break, processed_root=processed_dir)
territory_id = territory_id or data.treated_ids[0]
display(blocks.banner(data, lang))
blocks.territory_title(data, territory_id, lang)

# %% [markdown] tags=["lesson"]
# ## 2. Estimate the effect
#
# The outcome is the number of people registered at France Travail in categories A, B
# and C for a year or more, per 100 inhabitants aged 15 to 64. The estimate is a
# **difference-in-differences**: how much more (or less) this territory's rate changed
# after habilitation than the average of the territories that were never habilitated.
#
# With a single treated territory, there is no way to estimate a standard error from the
# treated side. The interval therefore comes from **placebos**: the same calculation is
# repeated for every comparison territory, as if it had been habilitated on the same
# date. Their spread shows what chance alone produces. Each placebo is scaled by its own
# pre-period noise, because small territories have noisier rates than large ones. The
# confidence interval holds every effect that this test does not reject. It is a
# *permutation* interval, not a normal approximation.
#
# **Analyse once.** `territory_analysis` runs every calculation of this report in one go:
# the estimate here (`analysis.result`, from `tzeval.territory_effect`), and the checks,
# second opinion, coverage and costs of the sections below, each named where its section
# uses it. It keeps each result on disk, in an `analysis` folder beside the Parquet copy of
# the data, keyed by what it depends on: the raw data files, the parameters (territory,
# `alpha`, `seed`, the unit-cost table) and the library code that computes numbers. Run
# the notebook again, or change only the report's wording, and the results are read back
# instead of recomputed; change the data, a parameter or an estimator, and they are
# computed afresh. Deleting that folder is always safe.

# %% tags=["remove-from-report"]
analysis = analysis_store.territory_analysis(
    data, territory_id, alpha=alpha, seed=seed, unit_costs=unit_costs,
    processed_root=processed_dir, allow_series_break=allow_series_break,
)
result = analysis.result  # tzeval.territory_effect(data, territory_id, alpha=alpha, seed=seed)
checks = analysis.checks  # tzeval.territory_checks.territory_checks(result)
costs = analysis.costs  # tzeval.territory_costs.territory_costs(data, result, seed=seed, unit_costs=unit_costs)
print(result.summary())
print(checks.summary())

# %%
display(blocks.heading("heading_findings", lang))
blocks.findings(data, result, lang, checks, costs)

# %% [markdown] tags=["lesson"]
# ## 3. Look at the comparison
#
# The dotted line is the *counterfactual*: the comparison territories' average, shifted
# to this territory's pre-habilitation level. Before habilitation both lines should move
# together; if they do not, the comparison is doubtful and the findings say so.

# %%
display(blocks.heading("heading_series", lang))
show(plots.series_figure(result, lang, data.frequency))

# %% [markdown] tags=["lesson"]
# The gap between the two lines, drawn over the gaps of the placebo territories (grey).
# A real effect shows as a blue line leaving the grey band after habilitation.

# %%
show(plots.effect_gap_figure(result, lang, data.frequency))

# %% [markdown] tags=["lesson"]
# The estimate against the distribution of placebo effects. The shaded band is the
# confidence interval. On demo data, the true effect is known and drawn in green.

# %%
display(blocks.heading("heading_effect", lang))
true_effect = None
if data.truth is not None:
    true_effect = float(data.truth.set_index("territory_id").loc[territory_id, "true_effect"])
show(plots.effect_interval_figure(result, lang, true_effect=true_effect))

# %% [markdown] tags=["lesson"]
# ### Were trends parallel before habilitation?
#
# The whole estimate rests on one assumption: without the programme, this territory
# would have followed the comparison average. After habilitation that cannot be seen.
# Before it, it can be tested, because the programme had no effect yet:
#
# - **pre-trend**: does the gap drift in a straight line before habilitation?
# - **in-time placebos**: pretend the territory was habilitated earlier (a third, a half,
#   two thirds of the way through the earlier period) and estimate an "effect" there,
#   where there can be none.
#
# Each statistic is computed the same way for every comparison territory, so the
# territory's rank among them is a p-value with a known size, whatever the territory's
# size. Passing these tests does not prove the assumption; failing them is a strong sign
# against it. The **trend-robust estimate** removes each territory's own pre-habilitation
# trend before comparing: it stays valid under a linear drift, at the price of a wider
# interval. A gap is called clear in the findings only when it survives both.

# %%
display(blocks.heading("heading_checks", lang))
display(blocks.checks_block(checks, lang))
show(plots.pretrend_figure(checks, lang, data.frequency))

# %% [markdown] tags=["lesson"]
# ### A second opinion
#
# The difference-in-differences assumes that, without the programme, this territory
# would have moved like the *average* comparison territory. Synthetic
# difference-in-differences (Arkhangelsky et al. 2021) relaxes that: it weights the
# comparison territories, and the periods before habilitation, so that the weighted
# comparison reproduces this territory's own path. Its standard error comes from placebo
# replications, each rescaled from its comparison territory's noise to this territory's
# (a small territory is noisier than most comparisons), so its interval is a normal
# approximation of that studentised spread. When both methods agree, the finding does not
# hinge on parallel trends; when they disagree, trust neither blindly, and look at the
# trend checks above.

# %%
check = analysis.check  # tzeval.robustness.sdid_check(data, territory_id, alpha=alpha, seed=seed)
display(blocks.heading("heading_robustness", lang))
blocks.robustness_line(result, check, lang, frequency=data.frequency)

# %% [markdown] tags=["lesson"]
# ## 4. The EBE's growth
#
# Headcounts explain the size of any effect: an EBE of 40 people cannot move the
# long-term unemployment of a territory of 20,000 inhabitants by much. A territory may
# come without programme rows; the report then says so instead of drawing empty axes.

# %%
display(blocks.heading("heading_ebe", lang))
programme = data.programme_for(territory_id)
if programme.empty:
    display(blocks.paragraph("ebe_no_programme", lang))
else:
    potential = data.territory(territory_id)["potential_beneficiaries"]
    display(show(plots.ebe_figure(programme, potential, lang, data.programme_frequency)))

# %% [markdown] tags=["lesson"]
# ### Does it reach the need?
#
# "Exhaustivité": how many of the people durably deprived of employment identified
# locally the EBE has hired, and, at the hiring pace of the last twelve months, how long
# until it has hired them all. The pace's interval comes from a bootstrap of the recent
# hires; a pace near zero gives an open-ended projection, said as such. Without
# programme rows there is nothing to project: the sentence says so and no chart is drawn.

# %%
# tzeval.coverage.territory_coverage(data, territory_ids=[territory_id], alpha=alpha, seed=seed)
territory_coverage = analysis.coverage
display(blocks.heading("heading_coverage", lang))
display(tzeval.coverage.sentence_html(territory_coverage.territory_sentence(territory_id, lang)))
if not programme.empty:
    display(show(territory_coverage.plot("series", lang, territory_id=territory_id)))

# %%
display(blocks.heading("heading_method", lang))
blocks.method_note(data, result, lang)

# %% [markdown] tags=["lesson"]
# ### What the published data hide
#
# Published counts are hidden when they are small (statistical confidentiality). A
# hidden count is never guessed: the territory's period without a rate leaves its
# estimate, and a comparison territory hidden in one of its periods leaves its comparison
# pool, so that the comparison average covers the same territories throughout. Populations
# published only for census years are interpolated. This section appears only when one
# of these applies to the territory.

# %%
quality = blocks.data_quality(data, territory_id, lang)
if quality is not None:
    display(blocks.heading("heading_data_quality", lang))
    display(quality)

# %% [markdown] tags=["lesson"]
# ## 5. What it costs the public purse
#
# An EBE job costs a wage, contributions and supervision, partly covered by the EBE's own
# turnover. Public money pays the rest (the State's CDE, the département, other funders):
# that is the *gross public cost*. In return, the public purse stops paying some benefits
# (RSA, ASS, unemployment insurance, housing aid) and collects contributions and taxes,
# but pays more prime d'activité. Wage-based lines count per full-time equivalent (FTE),
# benefit lines per person, so part-time work matters.
#
# Those offsets are a *gross* change, from out of work to work. Only the people who would
# not have worked anyway count: the *deadweight*, the counterfactual employment rate the
# official evaluations measured (about half in phase 1, a fifth in phase 2), is applied
# once. What remains is the *avoided cost*, comparable with the comité scientifique's
# €12,900–15,300 per FTE; the gross cost minus it is the *net cost*. The start-up grant,
# paid per FTE created, comes on top, outside the net cost, as in the comité's figures.
#
# Every parameter comes from `data/raw/unit_costs.csv` (or your own table, the
# `unit_costs` parameter) with a low, central and high value, a dated source and a status
# (verified, published, assumption or calibrated); the Monte Carlo draws them all,
# 10,000 times (the Washington State Institute for Public Policy approach). One line is calibrated to the comité's total rather than itemised:
# `notebooks/cost_reconciliation.ipynb` shows why, line by line. The waterfall shows
# central values, the histogram the whole distribution, the tornado which parameters
# matter most. The deadweight this territory's own estimate implies is printed as a
# check; pass `deadweight="territory"` to `territory_costs` to use it instead.

# %%
deadweight = analysis.deadweight  # tzeval.territory_costs.own_deadweight(data, result)
display(blocks.heading("heading_costs", lang))
blocks.cost_findings(costs, deadweight, lang, result=result, programme=programme)

# %%
if costs is not None:
    year = blocks.latest_cost_year(costs)
    display(show(plots.cost_waterfall_figure(costs.waterfall(territory_id, year), year, lang)))
    draws, interval = tzeval.territory_costs.net_cost_draws(costs, year)
    display(show(plots.cost_distribution_figure(draws, interval, year, lang)))
    display(show(plots.cost_tornado_figure(costs.tornado(territory_id, year), year, lang)))
