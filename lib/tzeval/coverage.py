"""Coverage of need ("exhaustivité"): does the programme reach the people it is for?

Per territory, :func:`territory_coverage` lines up potential beneficiaries, volunteers,
cumulative hires, EBE headcount and waiting list month by month, computes the coverage
ratios ``hires / volunteers`` and ``hires / potential beneficiaries``, and projects the
months left until hires reach the potential beneficiaries at the recent hiring pace.

Nationally, :func:`national_coverage` sets EBE employees against the long-term job
seekers (registered 12 months or more) of the territories habilitated at each date.

The projection
--------------
The recent pace is the mean monthly increment of cumulative hires over the last
``window`` months (12 by default). Its interval comes, by default, from a percentile
bootstrap of those monthly increments (``method="bootstrap"``): increments are drawn with
replacement, their mean recomputed ``n_boot`` times. ``method="regression"`` instead fits
cumulative hires on time over the same months (OLS slope with a Student-t interval);
cumulative counts have autocorrelated residuals, so that interval is too narrow and is
offered only for comparison.

Months to full coverage = (potential beneficiaries - hires) / pace. Its interval is the
remaining gap divided by the pace interval's bounds (a monotone transformation, so the
coverage level carries over). The cases a division would hide are explicit in the
``status`` column, never left as an unexplained NaN or infinity:

- ``covered``: hires already reach the potential beneficiaries; months are 0;
- ``projected``: the pace and its whole interval are positive;
- ``open_ended``: the pace is positive but its interval reaches zero, so the upper
  bound of the months is unbounded (``months_high`` is ``inf``);
- ``no_progress``: no hire over the window (or a falling count); at this pace full
  coverage is never reached (``months`` is ``inf``);
- ``too_few_months``: fewer than ``min_months`` monthly increments to estimate a pace
  (months are NaN);
- ``no_need_figure``: no positive count of potential beneficiaries (months are NaN).

Hires count everyone ever hired, including people who since left, and may include people
who were not among the beneficiaries counted at the start; ``hires / potential`` can
therefore exceed 1 and is an upper reading of coverage. ``headcount / potential`` (people
in post now) is the lower reading; both are reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import i18n
from .i18n import DEFAULT_LANGUAGE, format_month, format_number, format_percent, text
from .findings import FindingsText
from .i18n_coverage import MESSAGES_COVERAGE
from .plots import BAND_COLOUR, COUNTERFACTUAL_COLOUR, TREATED_COLOUR, TRUTH_COLOUR, _layout

i18n.MESSAGES.update(MESSAGES_COVERAGE)

PACE_METHODS = ("bootstrap", "regression")
DEFAULT_WINDOW = 12
DEFAULT_MIN_MONTHS = 3
DEFAULT_N_BOOT = 2000
DEFAULT_HORIZON = "2026-12"
"""The experiment now runs to the end of 2026 (see the domain brief); projections are read against it."""

STATUS_COVERED = "covered"
STATUS_PROJECTED = "projected"
STATUS_OPEN_ENDED = "open_ended"
STATUS_NO_PROGRESS = "no_progress"
STATUS_TOO_FEW_MONTHS = "too_few_months"
STATUS_NO_NEED = "no_need_figure"
STATUSES = (STATUS_COVERED, STATUS_PROJECTED, STATUS_OPEN_ENDED, STATUS_NO_PROGRESS,
            STATUS_TOO_FEW_MONTHS, STATUS_NO_NEED)

SERIES_COLUMNS = ["territory_id", "period", "potential_beneficiaries", "volunteers", "cumulative_hires",
                  "ebe_headcount", "ebe_fte", "waiting_list", "hires_per_volunteer", "hires_per_potential",
                  "headcount_per_potential"]
MONTHS_DISPLAY_CAP = 240
"""Months drawn beyond this (20 years) are shown at the cap with an arrow marker."""


class CoverageInputError(ValueError):
    """Arguments or tables the coverage computation cannot use."""


@dataclass(frozen=True)
class PaceProjection:
    """The projection for one territory (see the module docstring for ``status``)."""

    status: str
    hires: float
    potential: float
    remaining: float
    n_months: int
    pace: float
    pace_low: float
    pace_high: float
    months: float
    months_low: float
    months_high: float


def _pace_bootstrap(increments: np.ndarray, alpha: float, n_boot: int, rng: np.random.Generator) -> tuple[float, float, float]:
    pace = float(increments.mean())
    draws = rng.choice(increments, size=(n_boot, increments.size), replace=True).mean(axis=1)
    low, high = np.quantile(draws, [alpha / 2, 1 - alpha / 2])
    return pace, float(low), float(high)


def _pace_regression(cumulative: np.ndarray, alpha: float) -> tuple[float, float, float]:
    from scipy import stats

    t = np.arange(cumulative.size, dtype=float)
    t_centred = t - t.mean()
    sxx = float((t_centred ** 2).sum())
    slope = float((t_centred * (cumulative - cumulative.mean())).sum() / sxx)
    residuals = cumulative - cumulative.mean() - slope * t_centred
    dof = cumulative.size - 2
    se = math.sqrt(float((residuals ** 2).sum()) / dof / sxx) if dof > 0 else math.inf
    half = float(stats.t.ppf(1 - alpha / 2, dof)) * se if dof > 0 else math.inf
    return slope, slope - half, slope + half


def project_coverage(
    cumulative_hires,
    potential_beneficiaries: float | None,
    *,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
    method: str = "bootstrap",
    n_boot: int = DEFAULT_N_BOOT,
    min_months: int = DEFAULT_MIN_MONTHS,
    seed: int | np.random.Generator | None = 0,
) -> PaceProjection:
    """Months until cumulative hires reach ``potential_beneficiaries`` at the recent pace.

    Parameters
    ----------
    cumulative_hires : sequence of numbers
        Monthly cumulative hires, oldest first, one value per consecutive month.
    potential_beneficiaries : number or None
        The need; None, NaN or zero gives ``status="no_need_figure"``.
    window : int
        Number of most recent monthly increments the pace is estimated on (fewer if the
        series is shorter).
    alpha : float
        One minus the interval's level.
    method : {"bootstrap", "regression"}
        Bootstrap of monthly increments (default) or OLS slope of cumulative hires on time.
    min_months : int
        Fewest monthly increments accepted for a pace.
    """
    if method not in PACE_METHODS:
        raise CoverageInputError(f"method {method!r} is not available; choose one of: {', '.join(PACE_METHODS)}")
    if not 0 < alpha < 1:
        raise CoverageInputError(f"alpha must lie strictly between 0 and 1 (got {alpha})")
    if window < 1 or min_months < 1:
        raise CoverageInputError("window and min_months must be at least 1")
    hires = np.asarray(pd.to_numeric(pd.Series(list(cumulative_hires)), errors="coerce"), dtype=float)
    if hires.size == 0 or np.isnan(hires).any():
        raise CoverageInputError("cumulative_hires must be a non-empty series of numbers without gaps")
    last = float(hires[-1])
    potential = float("nan") if potential_beneficiaries is None or pd.isna(potential_beneficiaries) else float(potential_beneficiaries)
    nan = float("nan")
    recent = hires[-(window + 1):]
    n_months = recent.size - 1
    if not potential > 0:
        return PaceProjection(STATUS_NO_NEED, last, potential, nan, n_months, nan, nan, nan, nan, nan, nan)
    remaining = potential - last
    if remaining <= 0:
        return PaceProjection(STATUS_COVERED, last, potential, 0.0, n_months, nan, nan, nan, 0.0, 0.0, 0.0)
    if n_months < min_months:
        return PaceProjection(STATUS_TOO_FEW_MONTHS, last, potential, remaining, n_months, nan, nan, nan, nan, nan, nan)
    if method == "bootstrap":
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        pace, pace_low, pace_high = _pace_bootstrap(np.diff(recent), alpha, n_boot, rng)
    else:
        pace, pace_low, pace_high = _pace_regression(recent, alpha)

    def months_at(rate: float) -> float:
        return remaining / rate if rate > 0 else math.inf

    if pace <= 0:
        return PaceProjection(STATUS_NO_PROGRESS, last, potential, remaining, n_months, pace, pace_low, pace_high,
                              math.inf, months_at(pace_high), math.inf)
    status = STATUS_PROJECTED if pace_low > 0 else STATUS_OPEN_ENDED
    return PaceProjection(status, last, potential, remaining, n_months, pace, pace_low, pace_high,
                          months_at(pace), months_at(pace_high), months_at(pace_low))


def coverage_series(programme: pd.DataFrame, potential: pd.Series) -> pd.DataFrame:
    """Monthly counts and coverage ratios per territory.

    ``programme`` has the columns of ``Dataset.programme``; ``potential`` maps
    territory_id to potential beneficiaries (constant over time in the data contract,
    so repeated on every month). A ratio whose denominator is zero is NaN.
    """
    frame = programme.copy()
    frame["potential_beneficiaries"] = frame["territory_id"].map(potential).astype(float)
    for column in ("volunteers", "cumulative_hires", "ebe_headcount", "ebe_fte", "waiting_list"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)

    def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
        return numerator / denominator.where(denominator > 0)

    frame["hires_per_volunteer"] = ratio(frame["cumulative_hires"], frame["volunteers"])
    frame["hires_per_potential"] = ratio(frame["cumulative_hires"], frame["potential_beneficiaries"])
    frame["headcount_per_potential"] = ratio(frame["ebe_headcount"], frame["potential_beneficiaries"])
    return frame[SERIES_COLUMNS].sort_values(["territory_id", "period"]).reset_index(drop=True)


def _months_later(period: pd.Timestamp, months: float) -> pd.Timestamp:
    if not np.isfinite(months):
        return pd.NaT
    return period + pd.DateOffset(months=int(math.ceil(months - 1e-9)))


@dataclass(frozen=True, eq=False, repr=False)
class CoverageResult(FindingsText):
    """Coverage of need per territory, with the projected months to full coverage.

    Attributes
    ----------
    series : DataFrame
        One row per territory and month (see :func:`coverage_series`).
    projections : DataFrame
        One row per territory (see :meth:`to_frame`).
    names : Series
        Display names by territory_id.
    alpha, window, method, horizon
        Settings of the projection.
    """

    series: pd.DataFrame
    projections: pd.DataFrame
    names: pd.Series
    alpha: float
    window: int
    method: str
    horizon: pd.Timestamp

    @property
    def confidence_level(self) -> float:
        return 1.0 - self.alpha

    def to_frame(self, kind: str = "projection") -> pd.DataFrame:
        """A tidy table.

        ``kind="projection"`` (default): one row per territory with ``territory_id,
        name, period`` (the last month), ``potential_beneficiaries, volunteers,
        cumulative_hires, ebe_headcount, waiting_list``, the ratios
        ``hires_per_volunteer, hires_per_potential, headcount_per_potential``,
        ``remaining`` (potential minus hires), ``n_months`` (increments used),
        ``pace, pace_low, pace_high`` (hires per month), ``months, months_low,
        months_high`` (months to full coverage), ``coverage_month`` (with ``_low`` and
        ``_high``; NaT when not finite), ``within_horizon`` (True/False, NA when not
        projected), ``status``, ``method``.
        ``kind="series"``: the monthly series of every territory.
        """
        if kind == "projection":
            return self.projections.copy()
        if kind == "series":
            return self.series.copy()
        raise CoverageInputError(f"kind {kind!r} is not available; choose 'projection' or 'series'")

    def status_counts(self) -> pd.Series:
        """Number of territories in each status, every status listed (zero if none)."""
        return self.projections["status"].value_counts().reindex(list(STATUSES), fill_value=0)

    def findings(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        """Plain-language findings, every sentence from the catalogue."""
        frame = self.projections
        counts = self.status_counts()
        with_need = frame[frame["status"] != STATUS_NO_NEED]
        items = [text(
            "cov_finding_ratios", lang, n=len(frame), month=format_month(frame["period"].max(), lang),
            median_potential=format_percent(float(with_need["hires_per_potential"].median()), lang),
            median_volunteers=format_percent(float(frame["hires_per_volunteer"].median()), lang),
            median_headcount=format_percent(float(with_need["headcount_per_potential"].median()), lang),
        )]
        items.append(text(
            "cov_finding_status", lang, covered=int(counts[STATUS_COVERED]),
            projected=int(counts[STATUS_PROJECTED] + counts[STATUS_OPEN_ENDED]),
            no_progress=int(counts[STATUS_NO_PROGRESS]),
            unknown=int(counts[STATUS_TOO_FEW_MONTHS] + counts[STATUS_NO_NEED]),
        ))
        projected = frame[frame["status"].isin([STATUS_PROJECTED, STATUS_OPEN_ENDED])]
        if len(projected):
            within = int(projected["within_horizon"].fillna(False).astype(bool).sum())
            items.append(text(
                "cov_finding_months", lang, median=format_number(float(projected["months"].median()), lang, 0),
                within=within + int(counts[STATUS_COVERED]), n=len(frame),
                horizon=format_month(self.horizon, lang), open_ended=int(counts[STATUS_OPEN_ENDED]),
            ))
        items.append(text(
            "cov_method_bootstrap" if self.method == "bootstrap" else "cov_method_regression", lang,
            window=self.window, level=format_percent(self.confidence_level, lang),
        ))
        return items

    def territory_sentence(self, territory_id: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """One territory's coverage and projection in a sentence."""
        row = self.projections.set_index("territory_id").loc[territory_id]
        values = dict(
            name=self.names.get(territory_id, territory_id), month=format_month(row["period"], lang),
            hires=format_number(row["cumulative_hires"], lang, 0),
            potential=format_number(row["potential_beneficiaries"], lang, 0),
            share=format_percent(float(row["hires_per_potential"]), lang),
        )
        status = row["status"]
        if status == STATUS_COVERED:
            return text("cov_territory_covered", lang, **values)
        if status == STATUS_NO_NEED:
            return text("cov_territory_no_need", lang, name=values["name"])
        if status == STATUS_TOO_FEW_MONTHS:
            return text("cov_territory_too_few", lang, **values, n_months=int(row["n_months"]))
        if status == STATUS_NO_PROGRESS:
            return text("cov_territory_no_progress", lang, **values, n_months=int(row["n_months"]))
        pace = dict(pace=format_number(row["pace"], lang, 1), pace_low=format_number(row["pace_low"], lang, 1),
                    pace_high=format_number(row["pace_high"], lang, 1), months=format_number(row["months"], lang, 0),
                    months_low=format_number(row["months_low"], lang, 0),
                    level=format_percent(self.confidence_level, lang))
        if status == STATUS_OPEN_ENDED:
            return text("cov_territory_open_ended", lang, **values, **pace)
        return text("cov_territory_projected", lang, **values, **pace,
                    months_high=format_number(row["months_high"], lang, 0))

    def example_territory(self) -> str:
        """A territory to show in detail: the one with the median coverage among those
        with a projection (the first territory if none has one)."""
        frame = self.projections[self.projections["status"].isin([STATUS_PROJECTED, STATUS_OPEN_ENDED])]
        if frame.empty:
            return str(self.projections["territory_id"].iloc[0])
        ordered = frame.sort_values(["hires_per_potential", "territory_id"])
        return str(ordered["territory_id"].iloc[(len(ordered) - 1) // 2])

    def plot(self, kind: str = "coverage", lang: str = DEFAULT_LANGUAGE, territory_id: str | None = None) -> go.Figure:
        """``kind="coverage"``: both coverage ratios per territory, sorted;
        ``"months"``: months to full coverage with intervals and statuses;
        ``"series"``: one territory's monthly counts (``territory_id`` required)."""
        if kind == "coverage":
            return _coverage_figure(self, lang)
        if kind == "months":
            return _months_figure(self, lang)
        if kind == "series":
            if territory_id is None:
                raise CoverageInputError("kind='series' needs a territory_id")
            return _series_figure(self, territory_id, lang)
        raise CoverageInputError(f"kind {kind!r} is not available; choose 'coverage', 'months' or 'series'")


def coverage_from_frames(
    territories: pd.DataFrame,
    programme: pd.DataFrame,
    *,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
    method: str = "bootstrap",
    n_boot: int = DEFAULT_N_BOOT,
    min_months: int = DEFAULT_MIN_MONTHS,
    seed: int | None = 20170101,
    horizon: str | pd.Timestamp = DEFAULT_HORIZON,
) -> CoverageResult:
    """Coverage from plain tables (what :func:`territory_coverage` does with a Dataset).

    ``territories`` is indexed by territory_id with ``potential_beneficiaries`` (and
    optionally ``name``); ``programme`` has ``territory_id, period`` and the monthly
    counts ``ebe_headcount, ebe_fte, cumulative_hires, volunteers, waiting_list``. Every
    territory with programme rows gets a projection row.
    """
    missing = [c for c in ("territory_id", "period", "ebe_headcount", "ebe_fte", "cumulative_hires",
                           "volunteers", "waiting_list") if c not in programme.columns]
    if missing or "potential_beneficiaries" not in territories.columns:
        raise CoverageInputError(f"missing columns: {', '.join(missing or ['potential_beneficiaries'])}")
    horizon = pd.Timestamp(horizon)
    series = coverage_series(programme, territories["potential_beneficiaries"])
    names = territories["name"] if "name" in territories.columns else pd.Series(territories.index, index=territories.index)
    rng = np.random.default_rng(seed)
    rows = []
    for territory_id, months in series.groupby("territory_id", sort=True):
        months = months.sort_values("period")
        expected = pd.date_range(months["period"].iloc[0], months["period"].iloc[-1], freq="MS")
        if len(expected) != len(months):
            raise CoverageInputError(f"territory {territory_id!r}: programme months are not consecutive")
        last = months.iloc[-1]
        projection = project_coverage(months["cumulative_hires"].to_numpy(), last["potential_beneficiaries"],
                                      window=window, alpha=alpha, method=method, n_boot=n_boot,
                                      min_months=min_months, seed=rng)
        period = last["period"]
        coverage_month = _months_later(period, projection.months)
        within = pd.NA
        if projection.status == STATUS_COVERED:
            within = True
        elif projection.status in (STATUS_PROJECTED, STATUS_OPEN_ENDED):
            within = bool(coverage_month <= horizon)
        elif projection.status == STATUS_NO_PROGRESS:
            within = False
        rows.append({
            "territory_id": territory_id, "name": names.get(territory_id, territory_id), "period": period,
            "potential_beneficiaries": last["potential_beneficiaries"], "volunteers": last["volunteers"],
            "cumulative_hires": last["cumulative_hires"], "ebe_headcount": last["ebe_headcount"],
            "waiting_list": last["waiting_list"], "hires_per_volunteer": last["hires_per_volunteer"],
            "hires_per_potential": last["hires_per_potential"],
            "headcount_per_potential": last["headcount_per_potential"], "remaining": projection.remaining,
            "n_months": projection.n_months, "pace": projection.pace, "pace_low": projection.pace_low,
            "pace_high": projection.pace_high, "months": projection.months, "months_low": projection.months_low,
            "months_high": projection.months_high, "coverage_month": coverage_month,
            "coverage_month_low": _months_later(period, projection.months_low),
            "coverage_month_high": _months_later(period, projection.months_high),
            "within_horizon": within, "status": projection.status, "method": method,
        })
    projections = pd.DataFrame(rows)
    if not projections.empty:
        projections["within_horizon"] = projections["within_horizon"].astype("boolean")
    return CoverageResult(series, projections, names, alpha, window, method, horizon)


def territory_coverage(data, *, territory_ids: list[str] | None = None, **options) -> CoverageResult:
    """Coverage of need for the treated territories of a :class:`tzeval.Dataset`.

    ``options`` are those of :func:`coverage_from_frames` (``window, alpha, method,
    n_boot, min_months, seed, horizon``).
    """
    territories = data.territories
    programme = data.programme
    if territory_ids is not None:
        for territory_id in territory_ids:
            data.territory(territory_id)
        programme = programme[programme["territory_id"].isin(territory_ids)]
    return coverage_from_frames(territories, programme, **options)


# --- National scale ---------------------------------------------------------------------

NATIONAL_COLUMNS = ["period", "n_habilitated", "n_reporting", "ebe_headcount", "ebe_fte", "cumulative_hires",
                    "potential_beneficiaries", "long_term_jobseekers", "employees_per_long_term_jobseeker",
                    "employees_per_potential"]


@dataclass(frozen=True, eq=False, repr=False)
class NationalCoverageResult(FindingsText):
    """EBE employees against the long-term job seekers of habilitated territories."""

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per month from the first habilitation: ``period, n_habilitated``
        (territories habilitated by that month), ``n_reporting`` (with a programme row),
        summed ``ebe_headcount, ebe_fte, cumulative_hires, potential_beneficiaries,
        long_term_jobseekers`` over the habilitated territories, and the ratios
        ``employees_per_long_term_jobseeker`` and ``employees_per_potential``."""
        return self.frame.copy()

    def findings(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        last = self.frame.iloc[-1]
        return [
            text("cov_national_finding", lang, month=format_month(last["period"], lang),
                 n=int(last["n_habilitated"]), employees=format_number(float(last["ebe_headcount"]), lang, 0),
                 jobseekers=format_number(float(last["long_term_jobseekers"]), lang, 0),
                 share=format_percent(float(last["employees_per_long_term_jobseeker"]), lang),
                 potential=format_number(float(last["potential_beneficiaries"]), lang, 0),
                 share_potential=format_percent(float(last["employees_per_potential"]), lang)),
            text("cov_national_caveat", lang),
        ]

    def plot(self, lang: str = DEFAULT_LANGUAGE) -> go.Figure:
        frame = self.frame
        fig = make_subplots(specs=[[{"secondary_y": True}]])
        for column, key, colour, dash in (
            ("long_term_jobseekers", "cov_series_long_term", COUNTERFACTUAL_COLOUR, "solid"),
            ("potential_beneficiaries", "series_potential", TRUTH_COLOUR, "longdash"),
            ("ebe_headcount", "series_headcount", TREATED_COLOUR, "solid"),
        ):
            fig.add_trace(go.Scatter(x=frame["period"], y=frame[column], name=escape(text(key, lang)),
                                     line=dict(color=colour, dash=dash, width=2.5)), secondary_y=False)
        fig.add_trace(go.Scatter(x=frame["period"], y=frame["employees_per_long_term_jobseeker"],
                                 name=escape(text("cov_series_ratio_national", lang)),
                                 line=dict(color="#7f7f7f", dash="dot", width=2)), secondary_y=True)
        _layout(fig, text("cov_title_national", lang), text("axis_people", lang), lang)
        fig.update_yaxes(title_text=escape(text("cov_axis_ratio", lang)), tickformat=".0%", secondary_y=True,
                         rangemode="tozero")
        fig.update_yaxes(rangemode="tozero", secondary_y=False)
        return fig


def national_coverage(data) -> NationalCoverageResult:
    """EBE employees against long-term job seekers in the territories habilitated at each month."""
    return national_from_frames(data.territories, data.programme, data.outcomes)


def national_from_frames(territories: pd.DataFrame, programme: pd.DataFrame, outcomes: pd.DataFrame) -> NationalCoverageResult:
    """:func:`national_coverage` on plain tables (``territories`` indexed by territory_id
    with ``adoption_date`` and ``potential_beneficiaries``)."""
    adoption = territories["adoption_date"].dropna()
    if adoption.empty:
        raise CoverageInputError("no habilitated territory (every adoption_date is empty)")
    periods = pd.DatetimeIndex(sorted(outcomes["period"].unique()))
    periods = periods[periods >= adoption.min()]
    habilitated = pd.DataFrame({"period": periods}).merge(
        adoption.rename("adoption_date").rename_axis("territory_id").reset_index(), how="cross")
    habilitated = habilitated[habilitated["adoption_date"] <= habilitated["period"]]
    habilitated["potential_beneficiaries"] = habilitated["territory_id"].map(
        territories["potential_beneficiaries"]).astype(float)
    jobseekers = outcomes[["territory_id", "period", "long_term_jobseekers"]]
    habilitated = habilitated.merge(jobseekers, on=["territory_id", "period"], how="left")
    counts = programme[["territory_id", "period", "ebe_headcount", "ebe_fte", "cumulative_hires"]]
    habilitated = habilitated.merge(counts, on=["territory_id", "period"], how="left")
    for column in ("long_term_jobseekers", "ebe_headcount", "ebe_fte", "cumulative_hires"):
        habilitated[column] = pd.to_numeric(habilitated[column], errors="coerce").astype(float)
    grouped = habilitated.groupby("period")
    frame = pd.DataFrame({
        "n_habilitated": grouped["territory_id"].nunique(),
        "n_reporting": grouped["ebe_headcount"].count(),
        "ebe_headcount": grouped["ebe_headcount"].sum(),
        "ebe_fte": grouped["ebe_fte"].sum(),
        "cumulative_hires": grouped["cumulative_hires"].sum(),
        "potential_beneficiaries": grouped["potential_beneficiaries"].sum(),
        "long_term_jobseekers": grouped["long_term_jobseekers"].sum(),
    }).reset_index()
    frame["employees_per_long_term_jobseeker"] = frame["ebe_headcount"] / frame["long_term_jobseekers"].where(
        frame["long_term_jobseekers"] > 0)
    frame["employees_per_potential"] = frame["ebe_headcount"] / frame["potential_beneficiaries"].where(
        frame["potential_beneficiaries"] > 0)
    return NationalCoverageResult(frame[NATIONAL_COLUMNS])


# --- Figures and HTML --------------------------------------------------------------------

def title_html(lang: str = DEFAULT_LANGUAGE):
    """The report title, from the catalogue."""
    from IPython.display import HTML

    return HTML(f'<h1 class="tzeval-title">{escape(text("cov_report_title", lang))}</h1>')


def sentence_html(sentence: str):
    """One catalogue sentence as an escaped paragraph."""
    from IPython.display import HTML

    return HTML(f"<p>{escape(sentence)}</p>")




def _labels(result: CoverageResult, frame: pd.DataFrame) -> list[str]:
    return [escape(str(result.names.get(t, t))) for t in frame["territory_id"]]


def _legend_on_top(fig: go.Figure) -> None:
    """Title at the very top, legend just above the plot area: clear of each other on tall figures."""
    fig.update_layout(hovermode="closest", legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h"),
                      title=dict(y=1.0, yref="container", yanchor="top", pad=dict(t=18)),
                      margin=dict(l=200, r=20, t=120, b=50))


def _row_height(n_rows: int) -> int:
    """Figure height that leaves room for one readable label per territory."""
    return max(420, 17 * n_rows + 160)


def _coverage_figure(result: CoverageResult, lang: str) -> go.Figure:
    frame = result.projections.sort_values("hires_per_potential", na_position="first")
    labels = _labels(result, frame)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=frame["hires_per_volunteer"], y=labels, mode="markers",
                             marker=dict(color="#7f7f7f", symbol="diamond-open", size=7),
                             name=escape(text("cov_series_hires_per_volunteer", lang))))
    fig.add_trace(go.Scatter(x=frame["headcount_per_potential"], y=labels, mode="markers",
                             marker=dict(color=COUNTERFACTUAL_COLOUR, symbol="circle-open", size=7),
                             name=escape(text("cov_series_headcount_per_potential", lang))))
    fig.add_trace(go.Scatter(x=frame["hires_per_potential"], y=labels, mode="markers",
                             marker=dict(color=TREATED_COLOUR, size=8),
                             name=escape(text("cov_series_hires_per_potential", lang))))
    fig.add_vline(x=1, line_dash="dash", line_color=TRUTH_COLOUR)
    month = format_month(result.projections["period"].max(), lang)
    _layout(fig, text("cov_title_coverage", lang, month=month), "", lang, height=_row_height(len(frame)))
    fig.update_yaxes(tickmode="linear", tickfont=dict(size=10), automargin=True)
    fig.update_xaxes(title=escape(text("cov_axis_coverage", lang)), tickformat=".0%", rangemode="tozero")
    _legend_on_top(fig)
    return fig


def _months_figure(result: CoverageResult, lang: str) -> go.Figure:
    frame = result.projections.copy()
    cap = float(MONTHS_DISPLAY_CAP)
    order = {STATUS_COVERED: 0, STATUS_PROJECTED: 1, STATUS_OPEN_ENDED: 1, STATUS_NO_PROGRESS: 2}
    frame["_order"] = frame["status"].map(order)
    frame = frame.dropna(subset=["_order"]).assign(_sort=lambda f: f["months"].clip(upper=cap * 2))
    frame = frame.sort_values(["_order", "_sort"], ascending=False)
    fig = go.Figure()
    projected = frame[frame["status"].isin([STATUS_PROJECTED, STATUS_OPEN_ENDED])]
    if len(projected):
        x = projected["months"].clip(upper=cap)
        high = projected["months_high"].clip(upper=cap)
        low = projected["months_low"].clip(upper=cap)
        beyond = projected["months"] > cap
        fig.add_trace(go.Scatter(
            x=x, y=_labels(result, projected), mode="markers",
            marker=dict(color=TREATED_COLOUR, size=8, symbol=np.where(beyond, "triangle-right", "circle")),
            error_x=dict(type="data", symmetric=False, array=high - x, arrayminus=x - low, color="rgba(31,78,121,0.6)"),
            name=escape(text("cov_series_months", lang, level=format_percent(result.confidence_level, lang))),
        ))
    covered = frame[frame["status"] == STATUS_COVERED]
    if len(covered):
        fig.add_trace(go.Scatter(x=np.zeros(len(covered)), y=_labels(result, covered), mode="markers",
                                 marker=dict(color=TRUTH_COLOUR, size=9, symbol="star"),
                                 name=escape(text("cov_status_covered", lang))))
    stalled = frame[frame["status"] == STATUS_NO_PROGRESS]
    if len(stalled):
        fig.add_trace(go.Scatter(x=np.full(len(stalled), cap), y=_labels(result, stalled), mode="markers",
                                 marker=dict(color=COUNTERFACTUAL_COLOUR, size=9, symbol="x"),
                                 name=escape(text("cov_status_no_progress", lang))))
    last = result.projections["period"].max()
    horizon_months = (result.horizon.year - last.year) * 12 + result.horizon.month - last.month
    if horizon_months > 0:
        fig.add_vline(x=horizon_months, line_dash="dash", line_color="#555")
        fig.add_annotation(x=horizon_months, y=1, yref="paper", showarrow=False, xanchor="left", yanchor="bottom",
                           text=escape(text("cov_label_horizon", lang, horizon=format_month(result.horizon, lang))),
                           font=dict(size=11, color="#555"))
    _layout(fig, text("cov_title_months", lang), "", lang, height=_row_height(len(frame)))
    fig.update_yaxes(tickmode="linear", tickfont=dict(size=10), automargin=True)
    fig.update_xaxes(title=escape(text("cov_axis_months", lang, cap=int(cap))), range=[-5, cap * 1.03])
    _legend_on_top(fig)
    return fig


def _series_figure(result: CoverageResult, territory_id: str, lang: str) -> go.Figure:
    months = result.series[result.series["territory_id"] == territory_id]
    if months.empty:
        raise CoverageInputError(f"territory {territory_id!r} has no programme rows")
    row = result.projections.set_index("territory_id").loc[territory_id]
    projected = row["status"] in (STATUS_PROJECTED, STATUS_OPEN_ENDED) and np.isfinite(row["months"])
    fig = go.Figure()
    # The need is drawn over the projection too, so the projected line visibly meets it.
    need_x = list(months["period"]) + ([row["coverage_month"]] if projected else [])
    need_y = list(months["potential_beneficiaries"]) + ([row["potential_beneficiaries"]] if projected else [])
    fig.add_trace(go.Scatter(x=need_x, y=need_y, name=escape(text("series_potential", lang)),
                             line=dict(color=TRUTH_COLOUR, dash="longdash", width=2)))
    for column, key, colour, dash in (
        ("volunteers", "cov_series_volunteers", "#5b9bd5", "dot"),
        ("cumulative_hires", "series_hires", "#7f7f7f", "dash"),
        ("ebe_headcount", "series_headcount", TREATED_COLOUR, "solid"),
        ("waiting_list", "series_waiting", COUNTERFACTUAL_COLOUR, "solid"),
    ):
        fig.add_trace(go.Scatter(x=months["period"], y=months[column], name=escape(text(key, lang)),
                                 line=dict(color=colour, dash=dash, width=2)))
    if projected:
        start = row["period"]
        end = row["coverage_month"]
        fig.add_trace(go.Scatter(x=[start, end], y=[row["cumulative_hires"], row["potential_beneficiaries"]],
                                 mode="lines", line=dict(color="#7f7f7f", dash="dot", width=1.5),
                                 name=escape(text("cov_series_projection", lang))))
        if pd.notna(row["coverage_month_low"]) and pd.notna(row["coverage_month_high"]):
            fig.add_vrect(x0=row["coverage_month_low"], x1=row["coverage_month_high"], fillcolor=BAND_COLOUR,
                          line_width=0)
    name = result.names.get(territory_id, territory_id)
    return _layout(fig, text("cov_title_series", lang, name=name), text("axis_people", lang), lang)
