"""Loading and checking the unit-cost table (``data/raw/unit_costs.csv``).

One row per parameter, and per ``valid_from`` date for the rates that change over time
(SMIC, CDE rate, RSA). A dated rate is known from its first ``valid_from`` to the end
of the calendar year of its last ``valid_from``: asking for a later year is an error
rather than a silent carry-forward, so a new year needs a row (which may repeat the
previous value) before the model runs on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import FLAG_VALUES
from ..paths import PROJECT_ROOT
from ..validation import NUMBER_PATTERN, Violation
from .catalogue import CATALOGUE, PRICE_INDEX, STATUSES
from .errors import MissingRateError, UnitCostTableError

DEFAULT_UNIT_COSTS = PROJECT_ROOT / "data" / "raw" / "unit_costs.csv"
COLUMNS = ("parameter", "valid_from", "low", "central", "high", "unit", "status", "source", "as_of", "contested")
DATE_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
AS_OF_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
BOUNDS = ("low", "central", "high")


@dataclass(frozen=True)
class UnitCostTable:
    """A validated unit-cost table.

    Attributes
    ----------
    frame : DataFrame
        One row per parameter (and date), with ``low, central, high`` as floats,
        ``valid_from`` as a timestamp (NaT for undated parameters), ``status`` (see
        :data:`tzeval.costs.catalogue.STATUSES`) and ``contested`` as bool.
    source : str
        Where the table came from, used in error messages.
    """

    frame: pd.DataFrame
    source: str

    def triple(self, parameter: str) -> np.ndarray:
        """``[low, central, high]`` of an undated parameter."""
        row = self.frame.loc[self.frame["parameter"] == parameter]
        if CATALOGUE[parameter].dated or len(row) != 1:
            raise KeyError(f"{parameter!r} is not an undated parameter of {self.source}")
        return row[list(BOUNDS)].to_numpy(dtype=float)[0]

    def dated_rows(self, parameter: str) -> pd.DataFrame:
        """The rows of a dated parameter, oldest first."""
        rows = self.frame.loc[self.frame["parameter"] == parameter]
        return rows.sort_values("valid_from").reset_index(drop=True)

    def rows_in_force(self, parameter: str, months: pd.DatetimeIndex) -> np.ndarray:
        """Position (in :meth:`dated_rows`) of the row in force in each month.

        Raises
        ------
        MissingRateError
            If a month falls before the first ``valid_from`` or after the end of the year
            of the last one.
        """
        rows = self.dated_rows(parameter)
        starts = rows["valid_from"].to_numpy(dtype="datetime64[ns]")
        last_covered = pd.Timestamp(year=rows["valid_from"].iloc[-1].year, month=12, day=1)
        month_values = months.to_numpy(dtype="datetime64[ns]")
        position = np.searchsorted(starts, month_values, side="right") - 1
        uncovered = (position < 0) | (month_values > last_covered.to_datetime64())
        if uncovered.any():
            first = months[np.flatnonzero(uncovered)[0]]
            covered = f"{rows['valid_from'].iloc[0]:%Y-%m} to {last_covered:%Y-%m}"
            raise MissingRateError(self.source, parameter, first.year, first.month, covered)
        return position

    def price_index(self, years) -> dict[int, float]:
        """The consumer price index of each year, from the rows dated 1 January of that year.

        Raises
        ------
        UnitCostTableError
            Naming the table, the ``price_index`` parameter and every year without a row:
            a deflator is never carried over from another year.
        """
        rows = self.dated_rows(PRICE_INDEX)
        by_year = {int(row.valid_from.year): float(row.central) for row in rows.itertuples()}
        missing = sorted({int(y) for y in years} - set(by_year))
        if missing:
            raise UnitCostTableError(self.source, [
                Violation(self.source, None, "valid_from", f"{PRICE_INDEX} {year}",
                          f"no deflator for {year}: add a '{PRICE_INDEX}' row dated {year}-01-01 (INSEE consumer "
                          "price index, annual average)") for year in missing])
        return {int(y): by_year[int(y)] for y in years}

    def is_contested(self, parameter: str) -> bool:
        return bool(self.frame.loc[self.frame["parameter"] == parameter, "contested"].iloc[0])

    def as_text(self) -> pd.DataFrame:
        """The table as text cells, as in the CSV file (edit it and pass it to :func:`unit_costs_from_frame`)."""
        text = self.frame.drop(columns=["row"]).copy()
        text["valid_from"] = text["valid_from"].dt.strftime("%Y-%m-%d").fillna("")
        text["contested"] = text["contested"].map({True: "1", False: "0"})
        for column in BOUNDS:
            text[column] = text[column].map(lambda value: repr(float(value)))
        return text.astype(str)

    def with_values(self, parameter: str, low: float, central: float, high: float) -> UnitCostTable:
        """A copy with new bounds for an undated parameter (for what-if runs), re-validated."""
        if parameter not in CATALOGUE or CATALOGUE[parameter].dated:
            raise KeyError(f"{parameter!r} is not an undated parameter of {self.source}")
        text = self.as_text()
        mask = text["parameter"] == parameter
        for column, value in zip(BOUNDS, (low, central, high)):
            text.loc[mask, column] = repr(float(value))
        return unit_costs_from_frame(text, source=f"{self.source} (modified: {parameter})")


def load_unit_costs(path: Path | str | None = None) -> UnitCostTable:
    """Read and check a unit-cost table; by default the shipped ``data/raw/unit_costs.csv``.

    Raises
    ------
    UnitCostTableError
        Listing every broken rule with its file, row, column and value.
    """
    path = Path(path) if path is not None else DEFAULT_UNIT_COSTS
    name = path.name
    if not path.is_file():
        raise UnitCostTableError(name, [Violation(name, None, None, None, f"file not found (expected {path})")])
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise UnitCostTableError(name, [Violation(name, None, None, None, f"not a readable CSV file ({error})")])
    return unit_costs_from_frame(text, source=name)


def unit_costs_from_frame(text: pd.DataFrame, source: str = "unit_costs") -> UnitCostTable:
    """Check a unit-cost table given as text cells (as read from CSV) and parse it."""
    violations: list[Violation] = []

    def add(row, column, value, rule):
        violations.append(Violation(source, row, column, value, rule))

    text = text.reset_index(drop=True)  # rows are counted by position, whatever index the caller kept
    text.columns = [str(column).strip() for column in text.columns]
    missing = [column for column in COLUMNS if column not in text.columns]
    for column in missing:
        add(None, column, None, f"required column is missing (found: {', '.join(text.columns)})")
    if missing:
        raise UnitCostTableError(source, violations)
    text = text.astype(str).apply(lambda column: column.str.strip())
    rows = np.arange(1, len(text) + 1)

    parsed_bounds = {}
    for column in BOUNDS:
        is_number = text[column].str.fullmatch(NUMBER_PATTERN)
        for row, value in zip(rows[~is_number], text.loc[~is_number, column]):
            add(int(row), column, value, "expected a number, e.g. 0.25 or 6200")
        parsed_bounds[column] = pd.to_numeric(text[column].where(is_number), errors="coerce").to_numpy(dtype=float)
    low, central, high = (parsed_bounds[c] for c in BOUNDS)

    for i, row in enumerate(rows):
        parameter = text.at[i, "parameter"]
        spec = CATALOGUE.get(parameter)
        if spec is None:
            add(int(row), "parameter", parameter, f"unknown parameter (expected one of: {', '.join(CATALOGUE)})")
            continue
        values = {c: parsed_bounds[c][i] for c in BOUNDS}
        for column, value in values.items():
            if value < 0:
                add(int(row), column, text.at[i, column], "no negative values: a cost, a revenue or a share is >= 0 "
                    "(the model sets the sign)")
            elif spec.strictly_positive and value == 0:
                add(int(row), column, text.at[i, column], f"'{parameter}' must be > 0 (the model divides by it)")
            elif spec.upper_bound is not None and value > spec.upper_bound:
                add(int(row), column, text.at[i, column], f"'{parameter}' is at most {spec.upper_bound}")
        if low[i] > central[i]:
            add(int(row), "low", text.at[i, "low"], f"low must be <= central ({text.at[i, 'central']})")
        if central[i] > high[i]:
            add(int(row), "high", text.at[i, "high"], f"high must be >= central ({text.at[i, 'central']})")
        if text.at[i, "unit"] != spec.unit:
            add(int(row), "unit", text.at[i, "unit"], f"'{parameter}' must be expressed in {spec.unit}")
        if text.at[i, "source"] == "":
            add(int(row), "source", "", "every value needs a source (publication, decree or stated assumption)")
        if not re.fullmatch(AS_OF_PATTERN, text.at[i, "as_of"]):
            add(int(row), "as_of", text.at[i, "as_of"], "expected the date of the value, YYYY-MM or YYYY-MM-DD")
        status = text.at[i, "status"]
        if status not in STATUSES:
            add(int(row), "status", status, f"expected one of: {', '.join(STATUSES)}")
        elif status == "calibrated" and "target" not in text.at[i, "source"].lower():
            add(int(row), "source", text.at[i, "source"], "a calibrated value must name the published aggregate it "
                "targets ('target: ...')")
        if spec.name == PRICE_INDEX and re.fullmatch(DATE_PATTERN, valid_from := text.at[i, "valid_from"]) \
                and not valid_from.endswith("-01-01"):
            add(int(row), "valid_from", valid_from, f"'{PRICE_INDEX}' is a yearly average: date each row "
                "YYYY-01-01")
        if text.at[i, "contested"].lower() not in FLAG_VALUES:
            add(int(row), "contested", text.at[i, "contested"], "expected 1 or 0")
        valid_from = text.at[i, "valid_from"]
        if spec.dated and not re.fullmatch(DATE_PATTERN, valid_from):
            add(int(row), "valid_from", valid_from, f"'{parameter}' changes over time: give the date it applies "
                "from, YYYY-MM-DD")
        if not spec.dated and valid_from != "":
            add(int(row), "valid_from", valid_from, f"'{parameter}' does not change over time: leave valid_from empty")

    known = text["parameter"].isin(CATALOGUE)
    key = text["parameter"] + "|" + text["valid_from"]
    duplicated = known & key.duplicated(keep="first")
    for row, value in zip(rows[duplicated], text.loc[duplicated, "parameter"]):
        add(int(row), "parameter", value, "duplicate (parameter, valid_from); each parameter and date appears once")
    present = set(text["parameter"])
    for parameter in CATALOGUE:
        if parameter not in present:
            add(None, "parameter", parameter, "parameter missing from the table; the model needs a row for it")
    if violations:
        raise UnitCostTableError(source, violations)

    frame = pd.DataFrame({
        "parameter": text["parameter"],
        "valid_from": pd.to_datetime(text["valid_from"].where(text["valid_from"] != ""), format="%Y-%m-%d"),
        "low": low, "central": central, "high": high,
        "unit": text["unit"], "status": text["status"], "source": text["source"], "as_of": text["as_of"],
        "contested": text["contested"].str.lower().map(FLAG_VALUES).astype(bool),
        "description": text["description"] if "description" in text.columns else "",
        "row": rows,
    })
    return UnitCostTable(frame, source)


__all__ = ["DEFAULT_UNIT_COSTS", "UnitCostTable", "load_unit_costs", "unit_costs_from_frame"]
