"""Checking raw files against the contract and reporting every violation at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import FLAG_VALUES, FileSpec
from .paths import SLUG_PATTERN

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
INTEGER_PATTERN = r"^-?\d+(\.0*)?$"
NUMBER_PATTERN = r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
MAX_LISTED = 60


@dataclass(frozen=True)
class Violation:
    """One broken rule: where it is (file, row, column), what was found and what was expected.

    ``row`` counts data rows from 1, so row 1 is line 2 of the file, under the header.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    rule: str

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row} (line {self.row + 1})")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{self.location()}{value}: {self.rule}"


class DataValidationError(ValueError):
    """Raised when raw data break the contract; carries every violation found."""

    def __init__(self, data_dir: Path | str, violations: list[Violation]):
        self.data_dir = Path(data_dir)
        self.violations = list(violations)
        super().__init__(self.message())

    def message(self, max_listed: int = MAX_LISTED) -> str:
        count = len(self.violations)
        lines = [
            f"The data in {self.data_dir} break the data contract "
            f"({count} problem{'s' if count != 1 else ''}; see data/raw/README.md):"
        ]
        lines += [f"  - {violation}" for violation in self.violations[:max_listed]]
        if count > max_listed:
            by_rule = Counter(v.rule for v in self.violations[max_listed:])
            lines.append(f"  ... and {count - max_listed} more:")
            lines += [f"      {n} x {rule}" for rule, n in by_rule.most_common()]
            lines.append("  (python -m tzeval validate --report FILE writes the full list as CSV)")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """Every violation as a table with columns file, row, column, value, rule."""
        return pd.DataFrame(
            [(v.file, v.row, v.column, v.value, v.rule) for v in self.violations],
            columns=["file", "row", "column", "value", "rule"],
        )


class ViolationCollector:
    """Accumulates violations for one file while its columns are checked."""

    def __init__(self, filename: str):
        self.filename = filename
        self.violations: list[Violation] = []

    def add(self, row: int | None, column: str | None, value: object, rule: str) -> None:
        self.violations.append(Violation(self.filename, row, column, value, rule))

    def add_rows(
        self, frame: pd.DataFrame, mask: pd.Series, column: str, rule: str, *, label: str | None = None
    ) -> None:
        """Record a violation for each row of ``frame`` where ``mask`` holds.

        ``label`` names the column in the message when the values shown come from a
        helper column (the raw text of a parsed one).
        """
        for row, value in zip(frame.loc[mask, "_row"], frame.loc[mask, column]):
            self.add(int(row), label or column, value, rule)


def read_raw_csv(path: Path, spec: FileSpec, collector: ViolationCollector) -> pd.DataFrame | None:
    """Read a contract CSV as text, so no value is silently converted or lost.

    Returns None, after recording why, when the file is missing or unreadable.
    """
    if not path.is_file():
        collector.add(None, None, None, f"file not found (expected {path})")
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        collector.add(None, None, None, f"the file is not UTF-8 text ({error.reason} at byte {error.start})")
        return None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        collector.add(None, None, None, f"not a readable comma-separated file ({str(error).strip()})")
        return None
    if len(frame.columns) == 1 and ";" in frame.columns[0]:
        collector.add(None, None, None, "columns are separated by ';'; the contract expects ','")
        return None
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [name for name in spec.column_names if name not in frame.columns]
    for name in missing:
        collector.add(None, name, None, f"required column is missing (found: {', '.join(frame.columns)})")
    if missing:
        return None
    frame = frame.apply(lambda column: column.str.strip())
    frame.insert(0, "_row", np.arange(1, len(frame) + 1))
    return frame


def check_columns(frame: pd.DataFrame, spec: FileSpec, collector: ViolationCollector) -> pd.DataFrame:
    """Check each column's type rule and return a frame with parsed values.

    Cells that fail are recorded and left as missing in the returned frame; the caller
    raises before any such frame is used.
    """
    parsed = frame.copy()
    for column in spec.columns:
        text = frame[column.name]
        empty = text == ""
        if column.required:
            collector.add_rows(frame, empty, column.name, "a value is required")
        filled = ~empty
        if column.kind == "slug":
            bad = filled & ~text.str.fullmatch(SLUG_PATTERN.pattern)
            collector.add_rows(frame, bad, column.name, "expected a slug: lower-case letters a-z, digits and '-' only")
        elif column.kind == "choice":
            bad = filled & ~text.isin(column.choices)
            collector.add_rows(frame, bad, column.name, f"expected one of: {', '.join(column.choices)}")
        elif column.kind == "month":
            bad = filled & ~text.str.fullmatch(MONTH_PATTERN)
            collector.add_rows(frame, bad, column.name, "expected a month written YYYY-MM, e.g. 2017-01")
            values = pd.to_datetime(text.where(filled & ~bad), format="%Y-%m", errors="coerce")
            parsed[column.name] = values
        elif column.kind == "flag":
            lowered = text.str.lower()
            bad = filled & ~lowered.isin(FLAG_VALUES.keys())
            collector.add_rows(frame, bad, column.name, "expected 1 or 0 (or true/false, oui/non)")
            parsed[column.name] = lowered.map(FLAG_VALUES)
        elif column.kind == "count":
            is_integer = text.str.fullmatch(INTEGER_PATTERN)
            is_number = text.str.fullmatch(NUMBER_PATTERN)
            not_number = filled & ~is_number
            collector.add_rows(frame, not_number, column.name, "expected a whole number of people, e.g. 42")
            fractional = filled & is_number & ~is_integer
            collector.add_rows(frame, fractional, column.name, "a count must be a whole number, not a fraction")
            numbers = pd.to_numeric(text.where(filled & is_integer), errors="coerce")
            negative = numbers < 0
            collector.add_rows(frame, negative, column.name, "a count cannot be negative")
            parsed[column.name] = numbers.where(~negative).astype("Int64")
        elif column.kind == "number":
            is_number = text.str.fullmatch(NUMBER_PATTERN)
            collector.add_rows(frame, filled & ~is_number, column.name, "expected a number, e.g. 12.5")
            numbers = pd.to_numeric(text.where(filled & is_number), errors="coerce")
            negative = numbers < 0
            collector.add_rows(frame, negative, column.name, "cannot be negative")
            parsed[column.name] = numbers.where(~negative)
    return parsed


def check_unique_key(frame: pd.DataFrame, spec: FileSpec, collector: ViolationCollector) -> None:
    """Record every row whose key repeats an earlier row's."""
    key = list(spec.key)
    duplicated = frame.duplicated(key, keep="first")
    if not duplicated.any():
        return
    first_rows = frame.drop_duplicates(key, keep="first").set_index(key)["_row"]
    label = ", ".join(key)
    for _, row in frame[duplicated].iterrows():
        values = tuple(row[k] for k in key)
        first = first_rows.loc[values if len(key) > 1 else values[0]]
        shown = values if len(key) > 1 else values[0]
        collector.add(int(row["_row"]), label, shown, f"duplicate ({label}); first seen on row {int(first)}")
