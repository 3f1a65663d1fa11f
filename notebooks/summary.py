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
# # All territories at a glance
#
# This notebook puts every habilitated territory's estimate side by side. Each estimate
# is the same per-territory difference-in-differences as in `territory_report.ipynb`,
# with its permutation interval. Reading many intervals at once calls for care: at the
# 95% level, about one territory in twenty shows a "clear" effect by chance alone.

# %% tags=["parameters"]
data_dir = None  # folder holding the contract files; None uses the embedded demo data
alpha = 0.05  # 1 - confidence level of the intervals
seed = 20170101  # only used when a random subset of placebos is drawn
lang = "fr"  # report language: "fr" or "en"
allow_series_break = False  # accept periods from 2025-01 on (see data/raw/README.md)
processed_dir = None  # folder for the Parquet cache of the data; None uses the default place
unit_costs = None  # path of your own unit-cost table; None uses data/raw/unit_costs.csv
public_dir = None  # folder holding programmes.csv (used by the scale-gap notebook; passed to all)

# %%
from IPython.display import display

import tzeval
from tzeval import plots
from tzeval.display import show
from tzeval.report import blocks, summary

data = tzeval.open_dataset(data_dir, allow_series_break=allow_series_break, processed_root=processed_dir)
display(blocks.banner(data, lang))
blocks.summary_title(lang)

# %% [markdown] tags=["lesson"]
# `territory_effects` estimates every treated territory. A territory whose estimate
# cannot be computed keeps its row, with the reason in `status`.

# %%
effects = tzeval.territory_effects(data, alpha=alpha, seed=seed)
summary.overview(data, effects, alpha, lang)

# %% [markdown] tags=["lesson"]
# The forest plot: one line per territory, sorted by estimate. Intervals that cross zero
# are territories where no effect can be told apart from chance.

# %%
display(blocks.heading("heading_forest", lang))
show(plots.forest_figure(summary.labelled(data, effects), lang))

# %% [markdown] tags=["lesson"]
# ## The pooled effect across territories
#
# Territory-by-territory estimates are noisy. Pooling them answers a different question:
# on average, what did habilitation do? Territories were habilitated at different dates
# (staggered adoption), and a plain two-way fixed-effects regression would then compare
# late adopters with early ones already treated, which biases it. The Callaway &
# Sant'Anna estimator (`tzeval.att_gt`) instead estimates one effect per cohort and year,
# each against the never-habilitated territories only, then averages them by years since
# habilitation (the *event study*) or by cohort.
#
# We work on yearly rates, so that the event study reads in years. Two kinds of interval
# are drawn: *pointwise* intervals (each year on its own) and a *simultaneous* band from
# the multiplier bootstrap, which covers the whole curve at once. Before habilitation the
# curve should hover around zero; the Wald pre-test (`pooled.pretest`) tests exactly that.
#
# What should the interval be for? R's `did` answers for a *population* of territories
# like these, of which ours would be a sample: the spread of the territories' own effects
# then counts as uncertainty, and with only ten pioneers it is estimated from ten numbers.
# A funder asks about *these* territories. `pooled_effects` therefore reports intervals for
# the average effect in the habilitated territories at hand (`estimand="sample"`): their
# year-to-year noise is estimated on the 250 comparison territories, scaled by population
# (a rate computed on fewer inhabitants varies more), and the report checks that, before
# habilitation, the habilitated territories were no noisier than that.
# In simulation (`benchmarks/CALIBRATION.md`) these intervals cover the true average
# effect 95% of the time; the population intervals cover it almost always, being too wide
# for this question, and their pre-test rejects far too often.

# %%
pooled = tzeval.pooled_effects(data, alpha=alpha, seed=seed)
dynamic = pooled.aggregate("dynamic")
display(blocks.heading("heading_pooled", lang))
display(summary.pooled_overview(data, pooled, dynamic, lang))
show(plots.event_study_figure(dynamic.to_frame(), dynamic.to_frame("simultaneous"), lang))

# %% [markdown] tags=["lesson"]
# How much should we trust the parallel-trends assumption behind these numbers? The
# Rambachan & Roth (2023) *relative magnitudes* analysis asks how large a violation after
# habilitation would have to be, as a multiple `Mbar` of the largest year-on-year violation
# seen before it, to make the effect indistinguishable from zero. That multiple is the
# *breakdown value*: above 1, the conclusion survives violations larger than any seen
# before habilitation. The intervals are the paper's conditional-least-favourable hybrid
# ("C-LF", the default of the R package HonestDiD), checked against R's published values.

# %%
sensitivity = tzeval.pooled_sensitivity(data, alpha=alpha)
display(blocks.heading("heading_sensitivity", lang))
display(summary.sensitivity_overview(sensitivity, lang))
show(plots.sensitivity_figure(sensitivity.to_frame(), lang))

# %% [markdown] tags=["lesson"]
# The same effects averaged by cohort. The 2017 pioneers have had the most time to grow
# their EBEs, so their average effect is the largest.

# %%
display(blocks.heading("heading_cohorts", lang))
cohort_sizes = tzeval.yearly_panel(data).drop_duplicates("unit")["cohort"].value_counts()
summary.cohort_table(pooled.aggregate("group"), cohort_sizes, lang)

# %% [markdown] tags=["lesson"]
# ## Coverage of need
#
# How far each EBE has gone in hiring the people durably deprived of employment
# identified in its territory, and the projected time to cover them all at the recent
# pace (`notebooks/scale_gap.ipynb` puts this against other programmes).

# %%
coverage_all = tzeval.coverage.territory_coverage(data, alpha=alpha, seed=seed)
display(blocks.heading("heading_coverage_all", lang))
display(coverage_all.findings_html(lang))
show(coverage_all.plot("coverage", lang))

# %% [markdown] tags=["lesson"]
# ## What the programme costs, nationally
#
# The cost model (`tzeval.costs`) turns EBE jobs into public money: the gross public cost
# per full-time equivalent, what comes back through benefits no longer paid and
# contributions collected once the deadweight (the share who would have worked anyway,
# from the official evaluations) is taken out, and the difference, the net cost. The table
# pools all territories, then phase 2 territories alone, whose figures are comparable with
# the comité scientifique's (its row closes the table). Each year is in its own euros; the
# total over all years is deflated to the latest year's euros. The same figures, with
# every territory-year, are written to `results/cost_offsets.csv`.

# %%
national = tzeval.territory_costs.national_costs(data, seed=seed, unit_costs=unit_costs)
display(blocks.heading("heading_national_costs", lang))
summary.national_cost_table(national, lang)

# %% [markdown] tags=["lesson"]
# On synthetic data the true effects are known, which lets us check the method: most
# intervals should contain the truth, and estimates should line up with it.

# %%
if data.truth is not None:
    display(blocks.heading("heading_truth", lang))
    display(summary.truth_check(data, effects, lang))
    display(show(plots.forest_figure(summary.labelled(data, effects), lang, truth=summary.truth_for(data, effects))))

# %%
display(blocks.heading("heading_table", lang))
blocks.results_table(data, effects, lang)

# %% [markdown] tags=["lesson"]
# Published counts are hidden where they are small (statistical confidentiality). Each
# territory's estimate leaves out its own hidden periods and the comparison territories
# hidden in them; each territory report lists what that took out. Here: how many values
# are hidden overall, and those of habilitated territories. The section is left out when
# nothing is hidden.

# %%
quality = summary.data_quality(data, lang)
if quality is not None:
    display(blocks.heading("heading_data_quality", lang))
    display(quality)
