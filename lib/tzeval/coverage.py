"""Coverage of need ("exhaustivité"): does the programme reach the people it is for?

Per territory, :func:`territory_coverage` lines up potential beneficiaries, volunteers,
cumulative hires, EBE headcount and waiting list at each programme period (monthly,
quarterly or yearly counts, each the stock at the end of its period), computes the
coverage ratios ``hires / volunteers`` and ``hires / potential beneficiaries``, and
projects the months left until hires reach the potential beneficiaries at the recent
hiring pace.

Nationally, :func:`national_coverage` sets EBE employees against the long-term job
seekers (registered 12 months or more) of the territories habilitated at each date.

The projection
--------------
The recent pace is in hires per month whatever the programme frequency: each increment
of cumulative hires between two consecutive counts is divided by the months between them
(1, 3 or 12). The pace is the mean of those monthly rates over the last ``window`` months
(12 by default), that is over the last ``window // months_per_period`` increments and at
least one: 12 monthly, 4 quarterly or 1 yearly increment. Its interval comes, by default,
from a percentile bootstrap of those increments (``method="bootstrap"``): increments are
drawn with replacement, their mean recomputed ``n_boot`` times. ``method="regression"``
instead fits cumulative hires on time over the same counts (OLS slope with a Student-t
interval); cumulative counts have autocorrelated residuals, so that interval is too
narrow and is offered only for comparison. A single increment has no spread to measure:
its interval is unbounded on both sides (``pace_low`` is ``-inf``, ``pace_high`` ``inf``)
and the status is ``open_ended``. With yearly counts the default window holds one
increment; pass ``window=24`` or more to get an interval from several years.

``min_months`` (3 by default) is counted in months of data: a pace needs increments
spanning at least ``min_months`` months, so 3 monthly increments, or 1 quarterly or
yearly increment. A territory with two year-ends after habilitation therefore gets a
projection.

Months to full coverage = (potential beneficiaries - hires) / pace, counted from the
month of the last count (the last month of the last programme period). Its interval is the
remaining gap divided by the pace interval's bounds (a monotone transformation, so the
coverage level carries over). The cases a division would hide are explicit in the
``status`` column, never left as an unexplained NaN or infinity:

- ``covered``: hires already reach the potential beneficiaries; months are 0;
- ``projected``: the pace and its whole interval are positive;
- ``open_ended``: the pace is positive but its interval reaches zero, so the upper
  bound of the months is unbounded (``months_high`` is ``inf``);
- ``no_progress``: no hire over the window (or a falling count); at this pace full
  coverage is never reached (``months`` is ``inf``);
- ``too_few_months``: increments spanning fewer than ``min_months`` months to estimate
  a pace (months are NaN);
- ``no_need_figure``: no positive count of potential beneficiaries (months are NaN);
- ``no_programme_data``: a habilitated territory with no programme row at all (no
  headcount was provided); nothing is computed for it and its counts are NaN.

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
from .config import DEFAULT_SEED
from .i18n import DEFAULT_LANGUAGE, format_month, format_number, format_percent, text
from .findings import FindingsText
from .i18n_coverage import MESSAGES_COVERAGE
from .periods import MONTHS_PER_PERIOD, Frequency, check_frequency, containing_period, period_range
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
STATUS_NO_PROGRAMME = "no_programme_data"
STATUSES = (STATUS_COVERED, STATUS_PROJECTED, STATUS_OPEN_ENDED, STATUS_NO_PROGRESS,
            STATUS_TOO_FEW_MONTHS, STATUS_NO_NEED, STATUS_NO_PROGRAMME)

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
    if increments.size < 2:
        # one increment has no spread to resample: its uncertainty is unknown, not zero
        return pace, -math.inf, math.inf
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


def window_periods(window: int, months_per_period: int) -> int:
    """Number of increments a ``window`` of months holds at a frequency: ``window // months_per_period``, at least 1."""
    return max(1, int(window) // int(months_per_period))


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
    months_per_period: int = 1,
) -> PaceProjection:
    """Months until cumulative hires reach ``potential_beneficiaries`` at the recent pace.

    Parameters
    ----------
    cumulative_hires : sequence of numbers
        Cumulative hires at consecutive counts, oldest first, one value per period.
    potential_beneficiaries : number or None
        The need; None, NaN or zero gives ``status="no_need_figure"``.
    window : int
        Months of most recent increments the pace is estimated on: the last
        ``window // months_per_period`` increments, at least one (fewer if the series is
        shorter).
    alpha : float
        One minus the interval's level.
    method : {"bootstrap", "regression"}
        Bootstrap of the increments (default) or OLS slope of cumulative hires on time.
    min_months : int
        Fewest months of data accepted for a pace: the increments used must span at
        least this many months.
    months_per_period : int
        Months between two counts: 1 (monthly), 3 (quarterly) or 12 (yearly). The pace,
        its interval and the months to full coverage are per month whatever it is.

    Returns
    -------
    PaceProjection
        ``n_months`` is the number of months the increments used span.
    """
    if method not in PACE_METHODS:
        raise CoverageInputError(f"method {method!r} is not available; choose one of: {', '.join(PACE_METHODS)}")
    if not 0 < alpha < 1:
        raise CoverageInputError(f"alpha must lie strictly between 0 and 1 (got {alpha})")
    if window < 1 or min_months < 1:
        raise CoverageInputError("window and min_months must be at least 1")
    if months_per_period not in MONTHS_PER_PERIOD.values():
        raise CoverageInputError(f"months_per_period must be one of 1, 3 or 12 (got {months_per_period!r})")
    hires = np.asarray(pd.to_numeric(pd.Series(list(cumulative_hires)), errors="coerce"), dtype=float)
    if hires.size == 0 or np.isnan(hires).any():
        raise CoverageInputError("cumulative_hires must be a non-empty series of numbers without gaps")
    last = float(hires[-1])
    potential = float("nan") if potential_beneficiaries is None or pd.isna(potential_beneficiaries) else float(potential_beneficiaries)
    nan = float("nan")
    recent = hires[-(window_periods(window, months_per_period) + 1):]
    n_months = (recent.size - 1) * months_per_period
    if not potential > 0:
        return PaceProjection(STATUS_NO_NEED, last, potential, nan, n_months, nan, nan, nan, nan, nan, nan)
    remaining = potential - last
    if remaining <= 0:
        return PaceProjection(STATUS_COVERED, last, potential, 0.0, n_months, nan, nan, nan, 0.0, 0.0, 0.0)
    if n_months < min_months:
        return PaceProjection(STATUS_TOO_FEW_MONTHS, last, potential, remaining, n_months, nan, nan, nan, nan, nan, nan)
    if method == "bootstrap":
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        pace, pace_low, pace_high = _pace_bootstrap(np.diff(recent) / months_per_period, alpha, n_boot, rng)
    else:
        pace, pace_low, pace_high = (rate / months_per_period for rate in _pace_regression(recent, alpha))

    def months_at(rate: float) -> float:
        return remaining / rate if rate > 0 else math.inf

    if pace <= 0:
        return PaceProjection(STATUS_NO_PROGRESS, last, potential, remaining, n_months, pace, pace_low, pace_high,
                              math.inf, months_at(pace_high), math.inf)
    status = STATUS_PROJECTED if pace_low > 0 else STATUS_OPEN_ENDED
    return PaceProjection(status, last, potential, remaining, n_months, pace, pace_low, pace_high,
                          months_at(pace), months_at(pace_high), months_at(pace_low))


def coverage_series(programme: pd.DataFrame, potential: pd.Series) -> pd.DataFrame:
    """Counts and coverage ratios per territory and programme period.

    ``programme`` has the columns of ``Dataset.programme`` (one row per territory and
    period, at any frequency); ``potential`` maps territory_id to potential
    beneficiaries (constant over time in the data contract, so repeated on every
    period). A ratio whose denominator is zero is NaN.
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
    if pd.isna(period) or not np.isfinite(months):
        return pd.NaT
    return period + pd.DateOffset(months=int(math.ceil(months - 1e-9)))


def _count_month(periods, frequency: Frequency):
    """The month a count was taken in: the last month of its period (a stock at the period's end)."""
    return periods + pd.DateOffset(months=MONTHS_PER_PERIOD[frequency] - 1)


@dataclass(frozen=True, eq=False, repr=False)
class CoverageResult(FindingsText):
    """Coverage of need per territory, with the projected months to full coverage.

    Attributes
    ----------
    series : DataFrame
        One row per territory and programme period (see :func:`coverage_series`).
    projections : DataFrame
        One row per territory (see :meth:`to_frame`).
    names : Series
        Display names by territory_id.
    alpha, window, method, horizon
        Settings of the projection (``window`` in months).
    frequency : {"monthly", "quarterly", "yearly"}
        How the programme counts are spaced.
    """

    series: pd.DataFrame
    projections: pd.DataFrame
    names: pd.Series
    alpha: float
    window: int
    method: str
    horizon: pd.Timestamp
    frequency: Frequency = "monthly"

    @property
    def confidence_level(self) -> float:
        return 1.0 - self.alpha

    def to_frame(self, kind: str = "projection") -> pd.DataFrame:
        """A tidy table.

        ``kind="projection"`` (default): one row per territory with ``territory_id,
        name, period`` (the month of the last count: the last month of the last
        programme period; NaT without programme data), ``potential_beneficiaries, volunteers,
        cumulative_hires, ebe_headcount, waiting_list``, the ratios
        ``hires_per_volunteer, hires_per_potential, headcount_per_potential``,
        ``remaining`` (potential minus hires), ``n_months`` (months spanned by the increments used),
        ``pace, pace_low, pace_high`` (hires per month), ``months, months_low,
        months_high`` (months to full coverage), ``coverage_month`` (with ``_low`` and
        ``_high``; NaT when not finite), ``within_horizon`` (True/False, NA when not
        projected), ``status``, ``method``.
        ``kind="series"``: the series of every territory, one row per programme period.
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
        counts = self.status_counts()
        frame = self.projections[self.projections["status"] != STATUS_NO_PROGRAMME]
        missing = int(counts[STATUS_NO_PROGRAMME])
        if frame.empty:
            return [text("cov_finding_no_programme_all", lang, n=missing)] if missing else []
        with_need = frame[frame["status"] != STATUS_NO_NEED]
        items = [text(
            "cov_finding_ratios", lang, n=len(frame), month=format_month(frame["period"].max(), lang),
            median_potential=format_percent(float(with_need["hires_per_potential"].median()), lang),
            median_volunteers=format_percent(float(frame["hires_per_volunteer"].median()), lang),
            median_headcount=format_percent(float(with_need["headcount_per_potential"].median()), lang),
        )]
        if missing:
            items.append(text("cov_finding_no_programme", lang, n=missing))
        clauses = [i18n.text_count(f"cov_status_{kind}", count, lang) for kind, count in (
            ("covered", counts[STATUS_COVERED]),
            ("projected", counts[STATUS_PROJECTED] + counts[STATUS_OPEN_ENDED]),
            ("no_progress", counts[STATUS_NO_PROGRESS]),
            ("unknown", counts[STATUS_TOO_FEW_MONTHS] + counts[STATUS_NO_NEED] + counts[STATUS_NO_PROGRAMME]),
        ) if count > 0]
        if clauses:
            last = clauses.pop()
            items.append(((", ".join(clauses) + text("cov_list_and", lang) + last) if clauses else last) + ".")
        projected = frame[frame["status"].isin([STATUS_PROJECTED, STATUS_OPEN_ENDED])]
        if len(projected):
            within = int(projected["within_horizon"].fillna(False).astype(bool).sum())
            items.append(text(
                "cov_finding_months", lang, median=format_number(float(projected["months"].median()), lang, 0),
                within=within + int(counts[STATUS_COVERED]), n=len(self.projections),
                horizon=format_month(self.horizon, lang), open_ended=int(counts[STATUS_OPEN_ENDED]),
            ))
        months_per_period = MONTHS_PER_PERIOD[self.frequency]
        settings = dict(window=window_periods(self.window, months_per_period) * months_per_period,
                        level=format_percent(self.confidence_level, lang))
        method = "cov_method_bootstrap" if self.method == "bootstrap" else "cov_method_regression"
        if months_per_period == 1:
            items.append(text(method, lang, **settings))
        else:
            items.append(text(f"{method}_periods", lang, **settings,
                              counts=text(f"cov_counts_{self.frequency}", lang)))
        return items

    def territory_sentence(self, territory_id: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """One territory's coverage and projection in a sentence."""
        row = self.projections.set_index("territory_id").loc[territory_id]
        name = self.names.get(territory_id, territory_id)
        if row["status"] == STATUS_NO_PROGRAMME:
            return text("cov_territory_no_programme", lang, name=name)
        values = dict(
            name=name, month=format_month(row["period"], lang),
            hires=i18n.text_count("cov_hires", float(row["cumulative_hires"]), lang),
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
        pace = dict(pace=i18n.text_count("cov_hires", float(row["pace"]), lang, decimals=1), pace_low=format_number(row["pace_low"], lang, 1),
                    pace_high=format_number(row["pace_high"], lang, 1), months=format_number(row["months"], lang, 0),
                    months_low=format_number(row["months_low"], lang, 0),
                    level=format_percent(self.confidence_level, lang))
        if status == STATUS_OPEN_ENDED and not np.isfinite(row["pace_low"]):
            return text("cov_territory_single_change", lang, **values, pace=pace["pace"], months=pace["months"],
                        n_months=int(row["n_months"]))
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
        ``"series"``: one territory's counts over time (``territory_id`` required; a
        territory without programme data gets an empty figure that says so)."""
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
    seed: int | None = DEFAULT_SEED,
    horizon: str | pd.Timestamp = DEFAULT_HORIZON,
    frequency: Frequency = "monthly",
    territory_ids: list[str] | None = None,
) -> CoverageResult:
    """Coverage from plain tables (what :func:`territory_coverage` does with a Dataset).

    Parameters
    ----------
    territories : DataFrame
        Indexed by territory_id with ``potential_beneficiaries`` (and optionally ``name``).
    programme : DataFrame
        ``territory_id, period`` (first day of each period) and the counts
        ``ebe_headcount, ebe_fte, cumulative_hires, volunteers, waiting_list``, each the
        stock at the end of its period; a territory's periods follow each other at
        ``frequency``.
    window, alpha, method, n_boot, min_months, seed
        As in :func:`project_coverage` (``window`` and ``min_months`` in months).
    horizon : str or Timestamp
        The month projections are read against.
    frequency : {"monthly", "quarterly", "yearly"}
        How the programme periods are spaced.
    territory_ids : list of str, optional
        The territories to report, each with a row even without programme rows
        (status ``no_programme_data``). By default, every territory with programme rows.

    Raises
    ------
    CoverageInputError
        A missing column, or a territory whose periods skip one at ``frequency`` (a
        validated Dataset never has one).
    """
    check_frequency(frequency)
    missing = [c for c in ("territory_id", "period", "ebe_headcount", "ebe_fte", "cumulative_hires",
                           "volunteers", "waiting_list") if c not in programme.columns]
    if missing or "potential_beneficiaries" not in territories.columns:
        raise CoverageInputError(f"missing columns: {', '.join(missing or ['potential_beneficiaries'])}")
    horizon = pd.Timestamp(horizon)
    months_per_period = MONTHS_PER_PERIOD[frequency]
    programme = programme.assign(period=pd.to_datetime(programme["period"]))
    series = coverage_series(programme, territories["potential_beneficiaries"])
    names = territories["name"] if "name" in territories.columns else pd.Series(territories.index, index=territories.index)
    reported = sorted(set(series["territory_id"]) if territory_ids is None else set(territory_ids))
    by_territory = dict(tuple(series.groupby("territory_id", sort=True)))
    rng = np.random.default_rng(seed)
    rows = []
    for territory_id in reported:
        counts = by_territory.get(territory_id)
        if counts is None:
            rows.append(_no_programme_row(territory_id, names, territories, method))
            continue
        counts = counts.sort_values("period")
        expected = period_range(counts["period"].iloc[0], counts["period"].iloc[-1], frequency)
        if len(expected) != len(counts) or not (expected == pd.DatetimeIndex(counts["period"])).all():
            raise CoverageInputError(f"territory {territory_id!r}: programme periods are not consecutive at the "
                                     f"{frequency} frequency")
        last = counts.iloc[-1]
        projection = project_coverage(counts["cumulative_hires"].to_numpy(), last["potential_beneficiaries"],
                                      window=window, alpha=alpha, method=method, n_boot=n_boot,
                                      min_months=min_months, seed=rng, months_per_period=months_per_period)
        period = _count_month(last["period"], frequency)
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
    projections = pd.DataFrame(rows, columns=PROJECTION_COLUMNS)
    if not projections.empty:
        projections["within_horizon"] = projections["within_horizon"].astype("boolean")
    for column in ("period", "coverage_month", "coverage_month_low", "coverage_month_high"):
        projections[column] = pd.to_datetime(projections[column])
    return CoverageResult(series, projections, names, alpha, window, method, horizon, frequency)


PROJECTION_COLUMNS = ["territory_id", "name", "period", "potential_beneficiaries", "volunteers", "cumulative_hires",
                      "ebe_headcount", "waiting_list", "hires_per_volunteer", "hires_per_potential",
                      "headcount_per_potential", "remaining", "n_months", "pace", "pace_low", "pace_high", "months",
                      "months_low", "months_high", "coverage_month", "coverage_month_low", "coverage_month_high",
                      "within_horizon", "status", "method"]


def _no_programme_row(territory_id: str, names: pd.Series, territories: pd.DataFrame, method: str) -> dict:
    """The projection row of a territory that sent no headcount: only its need is known."""
    nan = float("nan")
    row = dict.fromkeys(PROJECTION_COLUMNS, nan)
    potential = territories["potential_beneficiaries"].get(territory_id, nan)
    row.update({
        "territory_id": territory_id, "name": names.get(territory_id, territory_id), "period": pd.NaT,
        "potential_beneficiaries": float(potential) if pd.notna(potential) else nan, "n_months": 0,
        "coverage_month": pd.NaT, "coverage_month_low": pd.NaT, "coverage_month_high": pd.NaT,
        "within_horizon": pd.NA, "status": STATUS_NO_PROGRAMME, "method": method,
    })
    return row


def territory_coverage(data, *, territory_ids: list[str] | None = None, **options) -> CoverageResult:
    """Coverage of need for the treated territories of a :class:`tzeval.Dataset`.

    Every habilitated territory asked for (all by default) gets a row, at the data's
    ``programme_frequency``; one without programme rows gets the status
    ``no_programme_data``. ``options`` are those of :func:`coverage_from_frames`
    (``window, alpha, method, n_boot, min_months, seed, horizon``).
    """
    treated = list(data.treated_ids)
    if territory_ids is not None:
        for territory_id in territory_ids:
            data.territory(territory_id)
        # comparison territories have no programme and no need to cover: left out as before
        treated = [t for t in territory_ids if t in set(treated)]
    programme = data.programme[data.programme["territory_id"].isin(treated)]
    return coverage_from_frames(data.territories, programme, frequency=data.programme_frequency,
                                territory_ids=treated, **options)


# --- National scale ---------------------------------------------------------------------

NATIONAL_COLUMNS = ["period", "n_habilitated", "n_reporting", "ebe_headcount", "ebe_fte", "cumulative_hires",
                    "potential_beneficiaries", "long_term_jobseekers", "employees_per_long_term_jobseeker",
                    "employees_per_potential"]


@dataclass(frozen=True, eq=False, repr=False)
class NationalCoverageResult(FindingsText):
    """EBE employees against the long-term job seekers of habilitated territories.

    Attributes
    ----------
    frame : DataFrame
        See :meth:`to_frame`.
    frequency : {"monthly", "quarterly", "yearly"}
        The frequency of ``frame``'s periods (that of the outcomes).
    """

    frame: pd.DataFrame
    frequency: Frequency = "monthly"

    def to_frame(self) -> pd.DataFrame:
        """One row per outcome period from the first habilitation at which programme
        counts can be read (see :func:`national_from_frames`): ``period, n_habilitated``
        (territories habilitated by that period), ``n_reporting`` (with a programme
        count), summed ``ebe_headcount, ebe_fte, cumulative_hires`` over the reporting
        territories (NaN when none reports), ``potential_beneficiaries,
        long_term_jobseekers`` over the habilitated territories, and the ratios
        ``employees_per_long_term_jobseeker`` and ``employees_per_potential``."""
        return self.frame.copy()

    def findings(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        reporting = self.frame[self.frame["n_reporting"] > 0]
        if reporting.empty:
            return [text("cov_national_no_programme", lang)]
        last = reporting.iloc[-1]
        month = _count_month(last["period"], self.frequency)
        items = [
            text("cov_national_finding", lang, month=format_month(month, lang),
                 n=int(last["n_habilitated"]), employees=format_number(float(last["ebe_headcount"]), lang, 0),
                 jobseekers=format_number(float(last["long_term_jobseekers"]), lang, 0),
                 share=format_percent(float(last["employees_per_long_term_jobseeker"]), lang),
                 potential=format_number(float(last["potential_beneficiaries"]), lang, 0),
                 share_potential=format_percent(float(last["employees_per_potential"]), lang)),
        ]
        silent = int(last["n_habilitated"] - last["n_reporting"])
        if silent:
            items.append(text("cov_national_missing", lang, missing=silent, n=int(last["n_habilitated"])))
        items.append(text("cov_national_caveat", lang))
        return items

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
        if not (frame["n_reporting"] > 0).any():
            _annotate_empty(fig, text("cov_national_no_programme", lang))
        return fig


def national_coverage(data) -> NationalCoverageResult:
    """EBE employees against long-term job seekers in the territories habilitated at each period."""
    return national_from_frames(data.territories, data.programme, data.outcomes, frequency=data.frequency,
                                programme_frequency=data.programme_frequency)


def national_from_frames(territories: pd.DataFrame, programme: pd.DataFrame, outcomes: pd.DataFrame, *,
                         frequency: Frequency = "monthly",
                         programme_frequency: Frequency | None = None) -> NationalCoverageResult:
    """:func:`national_coverage` on plain tables.

    Parameters
    ----------
    territories : DataFrame
        Indexed by territory_id, with ``adoption_date`` and ``potential_beneficiaries``.
    programme : DataFrame
        ``territory_id, period, ebe_headcount, ebe_fte, cumulative_hires``; may be empty,
        and may leave out habilitated territories.
    outcomes : DataFrame
        ``territory_id, period, long_term_jobseekers``.
    frequency, programme_frequency
        Frequencies of the outcome and programme periods (the programme's defaults to
        the outcomes').

    Notes
    -----
    A territory is habilitated from the outcome period that contains its adoption
    month. Counts are compared at the same date: each outcome period is matched with
    the programme period that ends on the same day. With programme counts coarser than
    the outcomes (yearly counts, monthly outcomes), only the outcome periods that end
    on a count date are kept (the Decembers); with finer counts, the count at the end of
    each outcome period is read.
    """
    check_frequency(frequency)
    programme_frequency = check_frequency(programme_frequency or frequency)
    adoption = territories["adoption_date"].dropna()
    if adoption.empty:
        raise CoverageInputError("no habilitated territory (every adoption_date is empty)")
    first_period = containing_period(pd.to_datetime(adoption), frequency)
    periods = pd.DatetimeIndex(sorted(outcomes["period"].unique()))
    periods = periods[periods >= first_period.min()]
    ends = _period_end(periods, frequency)
    periods = periods[ends == _period_end(pd.DatetimeIndex(containing_period(pd.Series(ends), programme_frequency)),
                                          programme_frequency)]
    habilitated = pd.DataFrame({"period": periods}).merge(
        first_period.rename("first_period").rename_axis("territory_id").reset_index(), how="cross")
    habilitated = habilitated[habilitated["first_period"] <= habilitated["period"]]
    habilitated["potential_beneficiaries"] = habilitated["territory_id"].map(
        territories["potential_beneficiaries"]).astype(float)
    jobseekers = outcomes[["territory_id", "period", "long_term_jobseekers"]]
    habilitated = habilitated.merge(jobseekers, on=["territory_id", "period"], how="left")
    habilitated["end"] = _period_end(pd.DatetimeIndex(habilitated["period"]), frequency)
    counts = programme[["territory_id", "period", "ebe_headcount", "ebe_fte", "cumulative_hires"]].copy()
    counts["end"] = _period_end(pd.DatetimeIndex(pd.to_datetime(counts["period"])), programme_frequency)
    habilitated = habilitated.merge(counts.drop(columns="period"), on=["territory_id", "end"], how="left")
    for column in ("long_term_jobseekers", "ebe_headcount", "ebe_fte", "cumulative_hires"):
        habilitated[column] = pd.to_numeric(habilitated[column], errors="coerce").astype(float)
    grouped = habilitated.groupby("period")
    frame = pd.DataFrame({
        "n_habilitated": grouped["territory_id"].nunique(),
        "n_reporting": grouped["ebe_headcount"].count(),
        # no report at all is unknown, not zero employees
        "ebe_headcount": grouped["ebe_headcount"].sum(min_count=1),
        "ebe_fte": grouped["ebe_fte"].sum(min_count=1),
        "cumulative_hires": grouped["cumulative_hires"].sum(min_count=1),
        "potential_beneficiaries": grouped["potential_beneficiaries"].sum(),
        "long_term_jobseekers": grouped["long_term_jobseekers"].sum(),
    }).reset_index()
    frame["employees_per_long_term_jobseeker"] = frame["ebe_headcount"] / frame["long_term_jobseekers"].where(
        frame["long_term_jobseekers"] > 0)
    frame["employees_per_potential"] = frame["ebe_headcount"] / frame["potential_beneficiaries"].where(
        frame["potential_beneficiaries"] > 0)
    return NationalCoverageResult(frame[NATIONAL_COLUMNS], frequency)


def _period_end(periods: pd.DatetimeIndex, frequency: Frequency) -> pd.DatetimeIndex:
    """The last day of each period (first days at ``frequency``)."""
    return pd.DatetimeIndex(periods) + pd.DateOffset(months=MONTHS_PER_PERIOD[frequency]) - pd.Timedelta(days=1)


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


def _annotate_empty(fig: go.Figure, message: str) -> None:
    """Say in the plot area why a figure has nothing to draw."""
    fig.add_annotation(x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, text=escape(message),
                       font=dict(size=14, color="#555"))


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
    last = result.projections["period"].max()
    if pd.isna(last):
        _layout(fig, text("cov_title_coverage_no_data", lang), "", lang, height=_row_height(len(frame)))
        _annotate_empty(fig, text("cov_finding_no_programme_all", lang, n=len(frame)))
    else:
        _layout(fig, text("cov_title_coverage", lang, month=format_month(last, lang)), "", lang,
                height=_row_height(len(frame)))
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
    horizon_months = 0 if pd.isna(last) else (result.horizon.year - last.year) * 12 + result.horizon.month - last.month
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
    projections = result.projections.set_index("territory_id")
    if territory_id not in projections.index:
        raise CoverageInputError(f"territory {territory_id!r} is not in this coverage result")
    row = projections.loc[territory_id]
    name = result.names.get(territory_id, territory_id)
    fig = go.Figure()
    if row["status"] == STATUS_NO_PROGRAMME:
        _layout(fig, text("cov_title_series", lang, name=name), text("axis_people", lang), lang)
        _annotate_empty(fig, text("cov_series_no_programme", lang))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    counts = result.series[result.series["territory_id"] == territory_id]
    # each count is drawn at the month it was taken (the end of its period), where the projection starts
    when = _count_month(counts["period"], result.frequency)
    projected = row["status"] in (STATUS_PROJECTED, STATUS_OPEN_ENDED) and np.isfinite(row["months"])
    # The need is drawn over the projection too, so the projected line visibly meets it.
    need_x = list(when) + ([row["coverage_month"]] if projected else [])
    need_y = list(counts["potential_beneficiaries"]) + ([row["potential_beneficiaries"]] if projected else [])
    fig.add_trace(go.Scatter(x=need_x, y=need_y, name=escape(text("series_potential", lang)),
                             line=dict(color=TRUTH_COLOUR, dash="longdash", width=2)))
    # a few yearly or quarterly counts read better with their points marked
    marked = {} if result.frequency == "monthly" else {"mode": "lines+markers"}
    for column, key, colour, dash in (
        ("volunteers", "cov_series_volunteers", "#5b9bd5", "dot"),
        ("cumulative_hires", "series_hires", "#7f7f7f", "dash"),
        ("ebe_headcount", "series_headcount", TREATED_COLOUR, "solid"),
        ("waiting_list", "series_waiting", COUNTERFACTUAL_COLOUR, "solid"),
    ):
        fig.add_trace(go.Scatter(x=when, y=counts[column], name=escape(text(key, lang)), **marked,
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
    return _layout(fig, text("cov_title_series", lang, name=name), text("axis_people", lang), lang)
