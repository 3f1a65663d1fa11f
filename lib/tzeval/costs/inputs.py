"""The per-territory-year inputs of the cost model, checked, and built from programme data.

Columns
-------
territory_id : str
year : int
ebe_fte : float
    EBE full-time equivalents averaged over the 12 months of the year (months before
    the EBE opened count as zero), so it is also the number of FTE-years. From
    programme data at any frequency, see :func:`cost_inputs_from_programme`.
year_end_fte : float
    FTE at 31 December (the last month of the year). The start-up grant is paid on the
    rise of this figure over the previous year-end ("net additional FTE"), and hires are
    grouped into yearly cohorts by it, for drop-off by tenure. The first year of a
    territory in the table is taken as its opening year (previous year-end FTE zero).
phase : int
    1 for the pioneer territories (2016 law), 2 for those habilitated under the 2020 law.
ebe_headcount : float, optional
    Employees (people) averaged over the 12 months of the year, like ``ebe_fte``. Benefit lines scale with
    people and wage lines with FTE, so ``ebe_fte / ebe_headcount`` (at most 1) converts
    one into the other. Column absent or cell empty: the ``fte_per_employee`` parameter.
start_month, end_month : int, optional
    First and last month (1-12) with EBE employees; the dated rates are averaged over
    these months. Default (column absent or cell empty) 1 and 12.
deadweight_estimate, deadweight_se : float, optional
    A territory's own estimate of the share of hires who would have worked anyway, with
    its standard error. Empty for territories that use the published evidence.

The checked table adds ``net_additional_fte`` (year-end FTE minus the previous year-end
FTE of the same territory, at least 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import (MONTHS_PER_PERIOD, PERIOD_EXAMPLES, Frequency, check_frequency, containing_period,
                       format_period, guess_frequency, parse_periods)
from ..validation import Violation
from .errors import CostInputError

REQUIRED_COLUMNS = ("territory_id", "year", "ebe_fte", "year_end_fte", "phase")
OPTIONAL_COLUMNS = ("ebe_headcount", "start_month", "end_month", "deadweight_estimate", "deadweight_se")
PHASE_TWO_FIRST_YEAR = 2021
"""Habilitations under the 2020 law start in November 2021; earlier adopters are pioneers."""


def check_cost_inputs(inputs: pd.DataFrame, source: str = "cost inputs") -> pd.DataFrame:
    """Check the input table and return a typed copy with every optional column filled.

    Raises
    ------
    CostInputError
        Naming the row (counted from 1), column, value and rule of every problem.
    """
    violations: list[Violation] = []

    def add(row, column, value, rule):
        violations.append(Violation(source, row, column, value, rule))

    missing = [c for c in REQUIRED_COLUMNS if c not in inputs.columns]
    for column in missing:
        add(None, column, None, f"required column is missing (found: {', '.join(map(str, inputs.columns))})")
    if missing:
        raise CostInputError(source, violations)
    if inputs.empty:
        add(None, None, None, "the table has no rows")
        raise CostInputError(source, violations)

    frame = inputs.reset_index(drop=True).copy()
    rows = np.arange(1, len(frame) + 1)
    numbers = {}
    for column in REQUIRED_COLUMNS[1:] + tuple(c for c in OPTIONAL_COLUMNS if c in frame.columns):
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        empty = frame[column].isna().to_numpy() | (frame[column].astype(str).str.strip() == "").to_numpy()
        optional = column in OPTIONAL_COLUMNS
        bad = ~np.isfinite(values) & ~(optional & empty)
        for row, value in zip(rows[bad], frame.loc[bad, column]):
            add(int(row), column, value, "expected a number" + ("" if optional else " (a value is required)"))
        numbers[column] = values

    def check(column, mask, rule):
        mask = mask & np.isfinite(numbers[column])
        for row, value in zip(rows[mask], numbers[column][mask]):
            add(int(row), column, value, rule)

    def is_whole(values):
        return np.isclose(values, np.round(values))

    ids = frame["territory_id"].astype(str).str.strip()
    for row in rows[(ids == "").to_numpy() | frame["territory_id"].isna().to_numpy()]:
        add(int(row), "territory_id", "", "a territory_id is required")
    check("year", ~is_whole(numbers["year"]) | (numbers["year"] < 2000) | (numbers["year"] > 2100),
          "expected a calendar year, e.g. 2023")
    check("ebe_fte", numbers["ebe_fte"] <= 0, "must be > 0: costs are per FTE-year; leave out years without "
          "EBE employees")
    check("year_end_fte", numbers["year_end_fte"] < 0, "expected FTE at 31 December, >= 0")
    if "ebe_headcount" in numbers:
        check("ebe_headcount", numbers["ebe_headcount"] <= 0, "expected the average number of employees, > 0")
        check("ebe_headcount", (numbers["ebe_headcount"] > 0) & (numbers["ebe_fte"] > numbers["ebe_headcount"] + 1e-9),
              "fewer employees than FTE: the FTE per employee share (ebe_fte / ebe_headcount) cannot be above 1")
    check("phase", ~np.isin(numbers["phase"], (1, 2)), "expected 1 (2016 law) or 2 (2020 law)")
    for column in ("start_month", "end_month"):
        if column in numbers:
            check(column, ~is_whole(numbers[column]) | (numbers[column] < 1) | (numbers[column] > 12),
                  "expected a month number from 1 to 12")
    if "start_month" in numbers and "end_month" in numbers:
        check("end_month", numbers["end_month"] < numbers["start_month"], "end_month must be >= start_month")
    if "deadweight_estimate" in numbers:
        check("deadweight_estimate", (numbers["deadweight_estimate"] < 0) | (numbers["deadweight_estimate"] > 1),
              "a deadweight is a share of hires, between 0 and 1")
        se = numbers.get("deadweight_se", np.full(len(frame), np.nan))
        check("deadweight_estimate", np.isfinite(numbers["deadweight_estimate"]) & ~np.isfinite(se),
              "a territory's deadweight estimate needs its standard error in deadweight_se")
    if "deadweight_se" in numbers:
        check("deadweight_se", numbers["deadweight_se"] < 0, "a standard error cannot be negative")
        estimate = numbers.get("deadweight_estimate", np.full(len(frame), np.nan))
        check("deadweight_se", np.isfinite(numbers["deadweight_se"]) & ~np.isfinite(estimate),
              "deadweight_se given without deadweight_estimate")
    duplicated = pd.DataFrame({"id": ids, "year": numbers["year"]}).duplicated(keep="first").to_numpy()
    for row, territory, year in zip(rows[duplicated], ids[duplicated], numbers["year"][duplicated]):
        add(int(row), "territory_id, year", (territory, year), "duplicate (territory_id, year)")
    if violations:
        raise CostInputError(source, violations)

    year = numbers["year"].astype(int)

    def optional(column: str, default) -> np.ndarray:
        values = numbers.get(column, np.full(len(frame), np.nan))
        return np.where(np.isfinite(values), values, default).astype(int)

    checked = pd.DataFrame({
        "territory_id": ids.to_numpy(),
        "year": year,
        "ebe_fte": numbers["ebe_fte"],
        "year_end_fte": numbers["year_end_fte"],
        "phase": numbers["phase"].astype(int),
        "ebe_headcount": numbers.get("ebe_headcount", np.full(len(frame), np.nan)),
        "start_month": optional("start_month", 1),
        "end_month": optional("end_month", 12),
    })
    checked["net_additional_fte"] = net_additional_fte(checked)
    checked["deadweight_estimate"] = numbers.get("deadweight_estimate", np.full(len(frame), np.nan))
    checked["deadweight_se"] = numbers.get("deadweight_se", np.full(len(frame), np.nan))
    return checked


def net_additional_fte(inputs: pd.DataFrame) -> np.ndarray:
    """Year-end FTE minus the same territory's previous year-end FTE, at least 0.

    A year missing from a territory's sequence counts as no change; the territory's
    first year in the table is its opening year.
    """
    order = inputs.sort_values(["territory_id", "year"]).index
    ordered = inputs.loc[order]
    previous = ordered.groupby("territory_id")["year_end_fte"].shift(1).fillna(0.0)
    rise = (ordered["year_end_fte"] - previous).clip(lower=0.0)
    return rise.reindex(inputs.index).to_numpy(dtype=float)


def cost_inputs_from_programme(
    programme: pd.DataFrame,
    territories: pd.DataFrame | None = None,
    impacts: pd.DataFrame | None = None,
    *,
    frequency: Frequency = "monthly",
) -> pd.DataFrame:
    """Aggregate the programme table, at any frequency, into the cost model's territory-year inputs.

    Parameters
    ----------
    programme : DataFrame
        Columns ``territory_id, period, ebe_headcount, ebe_fte`` at least. ``period`` is
        the first-day timestamp of a period at ``frequency`` (as in ``Dataset.programme``),
        a period text (``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``) or a date; each row is the
        stock at the end of its period.
    territories : DataFrame, optional
        With ``territory_id`` and ``adoption_date``; a territory habilitated before 2021
        is phase 1. Without it, the first programme period decides. With yearly data the
        adoption date also sets when the stock starts from zero (see Notes).
    impacts : DataFrame, optional
        ``territory_id, deadweight_estimate, deadweight_se``: a territory's own evidence.
    frequency : {"monthly", "quarterly", "yearly"}
        How the programme periods are spaced (``Dataset.programme_frequency``).

    Returns
    -------
    DataFrame
        One row per territory and year with EBE employees. Years with no EBE employee
        (habilitated but not yet hiring) carry no running cost and no job creation, so
        they are left out.

    Raises
    ------
    CostInputError
        Naming the file, row and column of a missing column, an unreadable period or
        count, a repeated (territory_id, period), a gap between yearly rows, or a
        territory without an adoption_date.

    Notes
    -----
    FTE-years come from the stock at each date, never from a count of rows:

    * **Monthly and quarterly** rows: the stock at the end of a period stands for the
      whole period, so the FTE-years of a year are the sum over its rows of
      ``ebe_fte * months_per_period / 12`` (with monthly rows, the mean of the 12 monthly
      stocks, months before the EBE opened counting as zero). ``start_month`` and
      ``end_month`` are the first month of the first staffed period and the last month
      of the last staffed period of the year.
    * **Yearly** rows hold the stock at 31 December. Between two consecutive year-ends
      the stock is taken as rising (or falling) in a straight line, and it starts from
      zero at the *opening date*: the habilitation month when the territory was
      habilitated in the year of its first row, else 1 January of that year (also the
      rule without ``territories``). The FTE-years of a year are the area under that
      line over the part of the year after the opening date (the trapezoid rule):
      ``(S[Y-1] + S[Y]) / 2`` for a full year, and ``(12 - m + 1) / 12 * S[Y] / 2`` for the
      opening year when the opening month is ``m``. A territory habilitated in March
      2019 with 102 FTE at the end of 2019 and of 2020 thus has 10/12 x 51 = 42.5
      FTE-years in 2019 and 102 in 2020. ``start_month`` is the opening month in the
      opening year and 1 otherwise; ``end_month`` is 12.

    ``ebe_headcount`` follows the same rule as ``ebe_fte`` (so that their ratio is the FTE
    per employee), and ``year_end_fte`` is the stock of the year's last row in the table.
    """
    check_frequency(frequency)
    required = ("territory_id", "period", "ebe_headcount", "ebe_fte")
    missing = [c for c in required if c not in programme.columns]
    if missing:
        raise CostInputError("programme", [Violation("programme", None, c, None, "required column is missing")
                                           for c in missing])
    frame = programme.reset_index(drop=True).copy()
    frame["period"] = _parse_periods(frame["period"], "programme", "period", frequency)
    for column in ("ebe_headcount", "ebe_fte"):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy()) + 1
            raise CostInputError("programme", [Violation("programme", int(r), column, frame.at[r - 1, column],
                                                         "expected a number >= 0") for r in rows])
        frame[column] = values.astype(float)
    repeated = frame.duplicated(["territory_id", "period"], keep="first").to_numpy()
    if repeated.any():
        # a stock counted twice would double the FTE-years of its period
        raise CostInputError("programme", [
            Violation("programme", int(r) + 1, "territory_id, period",
                      (frame.at[r, "territory_id"], format_period(frame.at[r, "period"], frequency)),
                      "duplicate (territory_id, period)") for r in np.flatnonzero(repeated)])
    frame["_row"] = np.arange(1, len(frame) + 1)
    frame = frame.sort_values(["territory_id", "period"])
    first_period = frame.groupby("territory_id")["period"].min()
    adoption = None
    if territories is not None:
        if "territory_id" not in territories.columns:
            territories = territories.reset_index()  # a Dataset indexes territories by id
        adoption = territories.set_index("territory_id")["adoption_date"]
        adoption = adoption[adoption.notna() & (adoption.astype(str).str.strip() != "")]
        adoption = _parse_periods(adoption, "territories", "adoption_date", "monthly")

    if frequency == "yearly":
        table = _yearly_fte_years(frame, adoption)
    else:
        table = _fte_years_of_stocks(frame, MONTHS_PER_PERIOD[frequency])
    # a period with FTE but no headcount recorded leaves the share unknown, not above 1
    table["ebe_headcount"] = table["ebe_headcount"].where(table["ebe_headcount"] >= table["ebe_fte"])

    columns = ["territory_id", "year", "ebe_fte", "year_end_fte", "phase", "ebe_headcount", "start_month",
               "end_month"] + (["deadweight_estimate", "deadweight_se"] if impacts is not None else [])
    if table.empty:
        # No EBE has employed anyone yet: no territory-year carries a cost. The columns are
        # those of a checked table (derived net_additional_fte and the deadweight columns included).
        checked_columns = columns[:8] + ["net_additional_fte", "deadweight_estimate", "deadweight_se"]
        return pd.DataFrame({column: pd.Series(dtype=float if column.startswith("deadweight") else object)
                             for column in checked_columns})

    if adoption is not None:
        unknown = sorted(set(first_period.index) - set(adoption.index))
        if unknown:
            raise CostInputError("territories", [Violation("territories", None, "adoption_date", t,
                                                           "territory in the programme table without an adoption_date")
                                                 for t in unknown])
        start = adoption.reindex(first_period.index)
    else:
        start = first_period
    phase = pd.Series(np.where(start.dt.year < PHASE_TWO_FIRST_YEAR, 1, 2), index=start.index)
    table["phase"] = table["territory_id"].map(phase).astype(int)

    if impacts is not None:
        unknown = sorted(set(impacts["territory_id"]) - set(table["territory_id"]))
        if unknown:
            raise CostInputError("impacts", [Violation("impacts", None, "territory_id", t,
                                                       "impact estimate for a territory without programme data")
                                             for t in unknown])
        table = table.merge(impacts[["territory_id", "deadweight_estimate", "deadweight_se"]],
                            on="territory_id", how="left")
    return check_cost_inputs(table[columns], source="programme (aggregated by year)")


def _fte_years_of_stocks(frame: pd.DataFrame, months_per_period: int) -> pd.DataFrame:
    """FTE-years per territory-year when each row's stock stands for its whole period.

    ``frame`` is sorted by territory and period. Only years with a staffed period are kept.
    """
    frame = frame.assign(year=frame["period"].dt.year, month=frame["period"].dt.month)
    staffed = frame[frame["ebe_fte"] > 0]
    by_year = frame.groupby(["territory_id", "year"])
    table = pd.DataFrame({
        "ebe_fte": by_year["ebe_fte"].sum() * months_per_period / 12.0,
        "ebe_headcount": by_year["ebe_headcount"].sum() * months_per_period / 12.0,
        "year_end_fte": by_year["ebe_fte"].last(),
    }).reset_index()
    months = staffed.groupby(["territory_id", "year"])["month"].agg(["min", "max"]).reset_index()
    months["max"] += months_per_period - 1  # the last month of the last staffed period
    table = table.merge(months, on=["territory_id", "year"], how="inner")
    return table.rename(columns={"min": "start_month", "max": "end_month"})


def _yearly_fte_years(frame: pd.DataFrame, adoption: pd.Series | None) -> pd.DataFrame:
    """FTE-years per territory-year from stocks at 31 December (trapezoid rule; see
    :func:`cost_inputs_from_programme`). ``frame`` is sorted by territory and period."""
    rows = []
    violations = []
    for territory_id, stocks in frame.groupby("territory_id", sort=True):
        years = stocks["period"].dt.year.to_numpy()
        gaps = np.flatnonzero(np.diff(years) != 1)
        for gap in gaps:
            violations.append(Violation(
                "programme", int(stocks["_row"].iloc[gap + 1]), "period", str(years[gap + 1]),
                f"yearly stocks of {territory_id!r} must follow each other: {years[gap]} is followed by "
                f"{years[gap + 1]}; the stock in between cannot be interpolated"))
        if gaps.size:
            continue
        opening_month = 1
        if adoption is not None and territory_id in adoption.index:
            habilitated = adoption[territory_id]
            if habilitated.year == years[0]:
                opening_month = int(habilitated.month)
        fte = stocks["ebe_fte"].to_numpy()
        headcount = stocks["ebe_headcount"].to_numpy()
        # the stock at the start of each year: zero at the opening date, then the previous year-end
        fte_start = np.concatenate([[0.0], fte[:-1]])
        headcount_start = np.concatenate([[0.0], headcount[:-1]])
        share_of_year = np.ones(len(years))
        share_of_year[0] = (12 - opening_month + 1) / 12.0
        start_month = np.ones(len(years), dtype=int)
        start_month[0] = opening_month
        rows.append(pd.DataFrame({
            "territory_id": territory_id, "year": years,
            "ebe_fte": share_of_year * (fte_start + fte) / 2.0,
            "ebe_headcount": share_of_year * (headcount_start + headcount) / 2.0,
            "year_end_fte": fte, "start_month": start_month, "end_month": 12,
        }))
    if violations:
        raise CostInputError("programme", violations)
    columns = ["territory_id", "year", "ebe_fte", "ebe_headcount", "year_end_fte", "start_month", "end_month"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.concat(rows, ignore_index=True)[columns]
    return table[table["ebe_fte"] > 0].reset_index(drop=True)


def deadweight_from_jobseeker_effect(
    effect_on_count: float, std_error: float, ebe_headcount: float
) -> tuple[float, float]:
    """Turn a territory's estimated fall in long-term job seekers into a deadweight estimate.

    If the EBE employs ``ebe_headcount`` people and the count of long-term job seekers
    fell by ``-effect_on_count`` because of the programme, the share of jobs that are
    additional is ``-effect_on_count / ebe_headcount`` and the deadweight is one minus
    that, clipped to [0, 1]. The standard error scales by the same factor.

    This is a check, not the default: it overstates the deadweight. Hires who were never
    registered as long-term job seekers, and part-timers who stay registered in
    categories B or C, cannot lower the registered count, so their jobs look like jobs
    that would have existed anyway. The published counterfactual employment rates
    (``deadweight_phase_1``, ``deadweight_phase_2``) are the default.
    """
    if not ebe_headcount > 0:
        raise ValueError(f"ebe_headcount must be > 0 to turn an effect into a deadweight (got {ebe_headcount!r})")
    if not std_error >= 0:
        raise ValueError(f"std_error must be >= 0 (got {std_error!r})")
    additional_share = -float(effect_on_count) / float(ebe_headcount)
    return float(np.clip(1.0 - additional_share, 0.0, 1.0)), float(std_error) / float(ebe_headcount)


def _parse_periods(values: pd.Series, source: str, column: str, frequency: Frequency = "monthly") -> pd.Series:
    """Periods as first-day timestamps at ``frequency``.

    Accepted: timestamps (moved to the first day of their period), period texts at
    ``frequency`` (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``) and, at every frequency, a
    ``YYYY-MM`` month or ``YYYY-MM-DD`` date, read as the period that contains it.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return containing_period(values, frequency)
    text = values.astype(str).str.strip()
    months = pd.to_datetime(text.str.slice(0, 7), format="%Y-%m", errors="coerce")
    if frequency == "monthly":
        parsed = months
    else:
        parsed = parse_periods(text, frequency).fillna(containing_period(months, frequency))
    bad = parsed.isna()
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        expected = ("a month, YYYY-MM or a month-start date" if frequency == "monthly"
                    else f"a {frequency} period, {PERIOD_EXAMPLES[frequency]}, or a date in it")

        def hint(value) -> str:
            written = guess_frequency(str(value).strip())
            if written in (None, frequency):
                return ""
            return f" (this is a {written} period: pass frequency={written!r})"

        raise CostInputError(source, [Violation(source, int(p) + 1, column, values.iloc[p],
                                                f"expected {expected}{hint(values.iloc[p])}")
                                      for p in positions])
    return parsed
