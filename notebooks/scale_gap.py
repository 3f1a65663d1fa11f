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
# # Does it reach the scale of the need?
#
# An evaluation usually asks one question: *does it work?* It compares what happened
# with what would have happened without the programme (the other notebooks do that).
# A second question matters as much to a funder: *does it reach the scale of the need?*
# A programme can work very well for 50 people in a place where 5,000 need it. Its impact
# is real, and the problem stays almost untouched. The organisers call this goal
# "traitement effectif et massif": effective, and also massive.
#
# This notebook answers the second question in three steps:
#
# 1. **Inside each habilitated territory.** How many of the people durably deprived of
#    employment has the EBE hired? This is the *exhaustivité* the law aims at. How long
#    until it hires them all, at its recent pace?
# 2. **Across the habilitated territories.** How many EBE employees are there, against
#    the long-term job seekers of those same territories?
# 3. **Across programmes.** How do TZCLD, ADIE microcredit, 3e internships and a
#    bagagerie for homeless people compare on reach against need and on cost per
#    outcome?
#
# Cells tagged `lesson`, like this one, explain the steps and are left out of the
# funder's report. The methods live in `lib/tzeval/coverage.py` and
# `lib/tzeval/scale_gap.py`.
#
# **Run it yourself.** `papermill notebooks/scale_gap.ipynb out.ipynb -p lang en`, or
# point `data_dir` at your own data folder and `public_dir` at your own programme table.

# %% tags=["parameters"]
data_dir = None  # folder holding the contract files; None uses the embedded demo data
public_dir = None  # folder holding programmes.csv; None uses data/raw/public
lang = "fr"  # report language: "fr" or "en"
alpha = 0.05  # 1 - level of the interval on the hiring pace
seed = 20170101  # seed of the bootstrap of recent hires
allow_series_break = False  # accept periods from 2025-01 on (see data/raw/README.md)
processed_dir = None  # folder for the Parquet cache of the data; None uses the default place
unit_costs = None  # unit-cost table of the territory and summary reports; not used here

# %%
from IPython.display import display

import tzeval
from tzeval import coverage, scale_gap
from tzeval.display import show
from tzeval.report import blocks

data = tzeval.open_dataset(data_dir, allow_series_break=allow_series_break, processed_root=processed_dir)
display(blocks.banner(data, lang))
coverage.title_html(lang)

# %% [markdown] tags=["lesson"]
# ## 1. Coverage inside each territory
#
# Three counts describe the need in a territory, and they do not agree:
#
# - **Potential beneficiaries** are the people durably deprived of employment that the
#   local employment committee identified. This is the broadest count, and the hardest
#   to pin down.
# - **Volunteers** are the people who came forward for a job in the EBE.
# - **Hires** are everyone the EBE has hired since it opened. **Headcount** is the
#   people employed there now.
#
# Two coverage ratios follow. *Hires / volunteers* asks whether the EBE keeps up with the
# people who come forward. When it stays close to 100%, the waiting list is short. The
# bottleneck is then finding and mobilising people, not creating jobs. *Hires / potential
# beneficiaries* asks how much of the whole need has been reached.
#
# That ratio can exceed 100%, for two reasons. Hires count people who have since left.
# They may also include people who were not in the initial count, because the count
# was an estimate or because people moved in. So cumulative hires give an upper
# reading of coverage. *Headcount / potential* (people in post now) gives the lower
# reading. The chart shows all three ratios for every territory.

# %%
result = coverage.territory_coverage(data, alpha=alpha, seed=seed)
display(blocks.heading("cov_heading_territories", lang))
display(result.findings_html(lang))
show(result.plot("coverage", lang))

# %% [markdown] tags=["lesson"]
# ## 2. How long until everyone is hired?
#
# A projection needs a pace. We take the **mean monthly net hires over the last 12
# months** (the change in cumulative hires). Older months describe a start-up phase
# that no longer applies. The time left is the gap to the need divided by that pace.
#
# A projection without its uncertainty invites over-reading, so the pace gets an
# interval. Monthly hires are lumpy: an EBE opens a new activity and hires six people
# at once, then nobody for three months. We **bootstrap** the twelve monthly figures.
# We draw twelve of them at random, with replacement, many times, and read the range
# of their means. The interval on the months is the gap divided by the ends of the pace
# interval. (Fitting a line through cumulative hires would give a narrower interval, but
# a falsely precise one: the monthly deviations of a cumulative count follow each
# other, and a least-squares interval assumes they do not. `method="regression"` keeps it
# for comparison.)
#
# Four cases would break a naive division, so each one gets its own label instead of a
# silent blank or infinity:
#
# - **Already covered**: the time left is zero, and no pace is needed.
# - **No net hire** over the last year: at this pace the need is never reached.
# - **Open-ended**: the pace is positive, but its interval includes zero. The earliest
#   date is known; the latest is not.
# - **Too little data**: fewer than 3 months of data.
#
# The dashed line marks the end of the experiment (December 2026). A territory whose
# interval lies well beyond it will not reach *exhaustivité* within the experiment
# unless its pace changes.

# %%
display(blocks.heading("cov_heading_months", lang))
show(result.plot("months", lang))

# %% [markdown] tags=["lesson"]
# One territory in detail: the one with the median coverage. The dotted line extends
# cumulative hires at the recent pace until they meet the need. The shaded band is the
# interval on that date. Compare the volunteer curve with the need line: the gap
# between them is people identified who have not (yet) come forward.

# %%
example = result.example_territory()
display(blocks.heading("cov_heading_example", lang))
display(coverage.sentence_html(result.territory_sentence(example, lang)))
show(result.plot("series", lang, territory_id=example))

# %% [markdown] tags=["lesson"]
# ## 3. The habilitated territories together
#
# Summed over the territories habilitated at each date: EBE employees, against the
# people registered at France Travail for a year or more in those same territories. The
# ratio (right axis) is a measure of scale, not an effect. The populations overlap only
# in part. Some employees were never registered; many registered people are not
# volunteers. And hiring someone usually takes them off the long-term register, so the
# denominator shrinks as the programme grows. On the demo data the ratio falls in
# late 2021 and 2022: dozens of new territories join with their whole need at once, while their
# EBEs have hardly started hiring.

# %%
national = coverage.national_coverage(data)
display(blocks.heading("cov_heading_national", lang))
display(national.findings_html(lang))
show(national.plot(lang))

# %% [markdown] tags=["lesson"]
# ## 4. Other programmes: reach against need, and cost per outcome
#
# The same question, asked of other social innovations from public figures. Every
# figure sits in `data/raw/public/programmes.csv` with a source and a date; the README
# next to it lists the metrics. To add a programme, add rows; no code changes.
#
# How to read the chart:
#
# - **Vertical axis: coverage** = reach / need, on a log scale. 100% is the dashed line.
#   A need given as "at least" makes coverage an upper bound ("at most"). A need with no
#   count of its own is stood in for by another count (`need_proxy`), and the point is
#   labelled an **order of magnitude**.
# - **Horizontal axis: cost per outcome**, on a log scale. The outcomes differ (an FTE-year
#   of permanent work, a business created), so the horizontal positions are **not** a
#   ranking. A low cost for a light outcome is not better value than a higher cost for a
#   heavier one. The chart shows orders of magnitude side by side.
# - TZCLD appears twice: a **gross** public cost per FTE and a **net** one, after the
#   benefits saved and the taxes and contributions gained. The gap between the two is
#   the heart of the TZCLD debate.
# - A hollow marker is a **benchmark** quoted next to a programme, not its own cost.
# - A programme with no published cost per outcome goes in the **side panel**. A
#   programme with neither coverage nor cost (the bagagerie) is named under the chart.
#   Its record below is **qualitative**, because that is honestly what is known. A
#   number of lockers is use, not impact, and a cost per outcome would need an outcome
#   that was measured.
#
# TZCLD's need, the people durably deprived of employment, is counted territory by
# territory and has no national total. The page therefore sets TZCLD's reach against
# the registered long-term job seekers (DELD: categories A, B, C, registered 12 months
# or more, mainland France, 2,260,900 on average in Q4 2024). That is an order of
# magnitude, not the need: categories B and C include people who work part of the
# month, and people durably without work who are not registered are missing. The
# findings print that caveat next to the number, from the message catalogue. Against
# that count, TZCLD's reach is tiny: about 0.15% at end 2024 (3,290 employees), still
# under 0.2% with the 4,051 employees in 92 EBEs of mid-2025. That is a statement
# about scale, not a failure: an experiment is small on purpose. It also shows the
# size of the jump that generalisation would require.

# %%
gap = scale_gap.compare_programmes(public_dir)
display(blocks.heading("sg_heading", lang))
display(blocks.paragraph("sg_intro", lang))
display(gap.findings_html(lang))
show(gap.plot(lang))

# %%
display(blocks.heading("sg_heading_qualitative", lang))
gap.qualitative_html(lang)

# %%
display(blocks.heading("sg_heading_sources", lang))
gap.sources_html(lang)

# %% [markdown] tags=["lesson"]
# ## What to take away
#
# - Coverage needs a denominator, and the choice of denominator is a judgement:
#   volunteers, people identified, or people registered. Report more than one.
# - A projection is only as good as its pace. Report its interval, and name the cases
#   where the arithmetic breaks down (already covered, no progress) instead of printing
#   a blank.
# - Costs per outcome compare only outcomes of the same kind. Put them side by side
#   for orders of magnitude, never to rank programmes.
# - Some impact is qualitative. Record it in a structured way, and do not invent a
#   number for it.
