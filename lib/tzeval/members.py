"""Territories made of source units: summing commune, IRIS or QPV counts into territories.

A TZCLD territory is usually a set of communes, parts of communes or QPVs named in its
habilitation arrêté, while the published counts are per unit. ``members.csv`` says which
units make each territory, with what share of each unit's counts and over which periods
(a QPV list that changed in 2024, a commune merger); ``units_outcomes.csv`` holds the
units' counts. A territory's count for a period is the share-weighted sum over the units
that belong to it then. If any member with a positive share is suppressed that period,
the territory's count is suppressed too: a sum with a hidden term is unknown, and
treating the hidden term as zero would bias the count downward.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import Frequency, format_period

COUNT_COLUMNS = ("long_term_jobseekers", "jobseekers_abc")


def check_members(members: pd.DataFrame, unit_codes: set[str], frequency: Frequency, collector) -> None:
    """Record broken membership rules: unknown units, shares outside [0, 1] or above 1 in total.

    ``members`` is the parsed ``members.csv`` (``share`` already defaulted to 1).
    """
    unknown = members["unit_code"].ne("") & ~members["unit_code"].isin(unit_codes)
    collector.add_rows(members, unknown, "unit_code", "unknown unit: not in units_outcomes.csv")
    over = members["share"] > 1
    collector.add_rows(members, over.fillna(False), "share", "a share is between 0 and 1")
    reversed_dates = members["valid_to"] < members["valid_from"]
    collector.add_rows(members, reversed_dates.fillna(False), "valid_to", "cannot be before valid_from")
    for unit_code, rows in members.groupby("unit_code"):
        if len(rows) < 2:
            continue
        edges = sorted(set(rows["valid_from"].dropna()) | set(rows["valid_to"].dropna()) | {pd.Timestamp.min})
        for date in edges:
            active = _active(rows, date)
            total = float(rows.loc[active, "share"].sum())
            if total > 1 + 1e-9:
                shown = "the first period" if date is pd.Timestamp.min else format_period(date, frequency)
                last = rows.loc[active].iloc[-1]
                collector.add(int(last["_row"]), "share", last["share"],
                              f"the shares of unit {unit_code!r} add up to {total:g} at {shown} "
                              f"(rows {', '.join(str(int(r)) for r in rows.loc[active, '_row'])}); "
                              "a unit cannot give more than all of its counts")
                break


def _active(rows: pd.DataFrame, period: pd.Timestamp) -> pd.Series:
    starts = rows["valid_from"].isna() | (rows["valid_from"] <= period)
    ends = rows["valid_to"].isna() | (rows["valid_to"] >= period)
    return starts & ends


def sum_members(members: pd.DataFrame, units: pd.DataFrame, periods: pd.DatetimeIndex) -> pd.DataFrame:
    """Each territory's counts per period, summed from its member units.

    Parameters
    ----------
    members : DataFrame
        Parsed ``members.csv``: ``territory_id, unit_code, share, valid_from, valid_to``.
    units : DataFrame
        Parsed ``units_outcomes.csv`` with populations already interpolated:
        ``unit_code, period``, the counts (missing where suppressed), their
        ``_suppressed_<column>`` flags and ``population_15_64``.
    periods : DatetimeIndex
        The periods of the panel.

    Returns
    -------
    DataFrame
        ``territory_id, period``, the counts and population (floats: shares need not be
        whole), ``_suppressed_<column>`` flags, ``population_interpolated`` (true when
        any member's population was interpolated) and ``n_members``. A period without
        any member is left out, for the balanced-panel check to report.
    """
    keyed = units.set_index(["unit_code", "period"])
    rows = []
    for member in members.itertuples(index=False):
        active = [p for p in periods
                  if (pd.isna(member.valid_from) or p >= member.valid_from)
                  and (pd.isna(member.valid_to) or p <= member.valid_to)]
        if not active:
            continue
        index = pd.MultiIndex.from_product([[member.unit_code], active])
        values = keyed.reindex(index)
        part = pd.DataFrame({"territory_id": member.territory_id, "period": active, "share": member.share})
        for column in (*COUNT_COLUMNS, "population_15_64"):
            part[column] = values[column].to_numpy(dtype=float)
        for column in COUNT_COLUMNS:
            flag = values[f"_suppressed_{column}"].fillna(False).to_numpy(dtype=bool)
            part[f"_suppressed_{column}"] = flag & (member.share > 0)
        part["population_interpolated"] = values["population_interpolated"].fillna(False).to_numpy(dtype=bool)
        rows.append(part)
    if not rows:
        return pd.DataFrame(columns=["territory_id", "period", *COUNT_COLUMNS, "population_15_64"])
    long = pd.concat(rows, ignore_index=True)
    for column in (*COUNT_COLUMNS, "population_15_64"):
        long[column] = long[column] * long["share"]
    grouped = long.groupby(["territory_id", "period"], sort=True)
    result = grouped[[*COUNT_COLUMNS, "population_15_64"]].sum(min_count=1)
    for column in COUNT_COLUMNS:
        suppressed = grouped[f"_suppressed_{column}"].any()
        result[f"_suppressed_{column}"] = suppressed
        result.loc[suppressed, column] = np.nan
    result["population_interpolated"] = grouped["population_interpolated"].any()
    result["n_members"] = grouped.size()
    return result.reset_index()
