"""The per-territory-year inputs of the cost model, checked, and built from programme data.

Columns
-------
territory_id : str
year : int
ebe_fte : float
    EBE full-time equivalents averaged over the 12 months of the year (months before
    the EBE opened count as zero), so it is also the number of FTE-years.
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
) -> pd.DataFrame:
    """Aggregate the monthly programme table into the cost model's territory-year inputs.

    Parameters
    ----------
    programme : DataFrame
        Columns ``territory_id, period, ebe_headcount, ebe_fte`` at least; ``period`` is a
        month-start timestamp or a ``YYYY-MM`` string.
    territories : DataFrame, optional
        With ``territory_id`` and ``adoption_date``; a territory habilitated before 2021
        is phase 1. Without it, the first programme month decides.
    impacts : DataFrame, optional
        ``territory_id, deadweight_estimate, deadweight_se``: a territory's own evidence.

    Returns
    -------
    DataFrame
        One row per territory and year with EBE employees. Years with no EBE employee
        (habilitated but not yet hiring) carry no running cost and no job creation, so
        they are left out.

    Notes
    -----
    ``ebe_fte`` is the mean of the monthly FTE over the 12 months of the year,
    ``ebe_headcount`` the mean headcount over the same 12 months
    (so that their ratio is the FTE per employee), and ``year_end_fte`` the FTE of the
    year's last month in the table.
    """
    required = ("territory_id", "period", "ebe_headcount", "ebe_fte")
    missing = [c for c in required if c not in programme.columns]
    if missing:
        raise CostInputError("programme", [Violation("programme", None, c, None, "required column is missing")
                                           for c in missing])
    frame = programme.reset_index(drop=True).copy()
    frame["period"] = _parse_periods(frame["period"], "programme", "period")
    for column in ("ebe_headcount", "ebe_fte"):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy()) + 1
            raise CostInputError("programme", [Violation("programme", int(r), column, frame.at[r - 1, column],
                                                         "expected a number >= 0") for r in rows])
        frame[column] = values.astype(float)
    frame = frame.sort_values(["territory_id", "period"])
    frame["year"] = frame["period"].dt.year
    frame["month"] = frame["period"].dt.month
    staffed = frame[frame["ebe_fte"] > 0]
    by_year = frame.groupby(["territory_id", "year"])
    table = pd.DataFrame({
        "ebe_fte": by_year["ebe_fte"].sum() / 12.0,
        "ebe_headcount": by_year["ebe_headcount"].sum() / 12.0,
        "year_end_fte": by_year["ebe_fte"].last(),
    }).reset_index()
    months = staffed.groupby(["territory_id", "year"])["month"].agg(["min", "max"]).reset_index()
    table = table.merge(months, on=["territory_id", "year"], how="inner")
    table = table.rename(columns={"min": "start_month", "max": "end_month"})
    # a month with FTE but no headcount recorded leaves the share unknown, not above 1
    table["ebe_headcount"] = table["ebe_headcount"].where(table["ebe_headcount"] >= table["ebe_fte"])

    columns = ["territory_id", "year", "ebe_fte", "year_end_fte", "phase", "ebe_headcount", "start_month",
               "end_month"] + (["deadweight_estimate", "deadweight_se"] if impacts is not None else [])
    if table.empty:
        # No EBE has employed anyone yet: no territory-year carries a cost. The columns are
        # those of a checked table (derived net_additional_fte and the deadweight columns included).
        checked_columns = columns[:8] + ["net_additional_fte", "deadweight_estimate", "deadweight_se"]
        return pd.DataFrame({column: pd.Series(dtype=float if column.startswith("deadweight") else object)
                             for column in checked_columns})

    first_month = frame.groupby("territory_id")["period"].min()
    if territories is not None:
        if "territory_id" not in territories.columns:
            territories = territories.reset_index()  # a Dataset indexes territories by id
        adoption = territories.set_index("territory_id")["adoption_date"]
        adoption = adoption[adoption.notna() & (adoption.astype(str).str.strip() != "")]
        adoption = _parse_periods(adoption, "territories", "adoption_date")
        unknown = sorted(set(first_month.index) - set(adoption.index))
        if unknown:
            raise CostInputError("territories", [Violation("territories", None, "adoption_date", t,
                                                           "territory in the programme table without an adoption_date")
                                                 for t in unknown])
        start = adoption.reindex(first_month.index)
    else:
        start = first_month
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


def _parse_periods(values: pd.Series, source: str, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.to_period("M").dt.to_timestamp()
    text = values.astype(str).str.strip().str.slice(0, 7)
    parsed = pd.to_datetime(text, format="%Y-%m", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        raise CostInputError(source, [Violation(source, int(p) + 1, column, values.iloc[p],
                                                "expected a month, YYYY-MM or a month-start date")
                                      for p in positions])
    return parsed
