"""Checking raw files against the contract and reporting every violation at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .contract import FLAG_VALUES, FileSpec
from .paths import ID_PATTERN
from .periods import (
    PERIOD_EXAMPLES,
    PERIOD_PATTERNS,
    Frequency,
    guess_frequency,
    parse_periods,
)
from .reading import find_table, is_suppressed, normalise_number_text, read_table

MONTH_PATTERN = PERIOD_PATTERNS["monthly"]
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

    def add(self, row: int | None, column: str | None, value: object, rule: str, *, sheet: str | None = None) -> None:
        filename = self.filename if sheet is None else f"{self.filename}, sheet {sheet!r}"
        self.violations.append(Violation(filename, row, column, value, rule))

    def add_rows(
        self, frame: pd.DataFrame, mask: pd.Series, column: str, rule: str, *, label: str | None = None
    ) -> None:
        """Record a violation for each row of ``frame`` where ``mask`` holds.

        ``label`` names the column in the message when the values shown come from a
        helper column (the raw text of a parsed one). Rows read from a workbook name
        their sheet.
        """
        mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
        sheets = frame.loc[mask, "_sheet"] if "_sheet" in frame.columns else [None] * int(mask.sum())
        for row, value, sheet in zip(frame.loc[mask, "_row"], frame.loc[mask, column], sheets):
            self.add(int(row), label or column, value, rule, sheet=sheet)


def read_raw_csv(path: Path, spec: FileSpec, collector: ViolationCollector) -> pd.DataFrame | None:
    """Read a contract table as text, so no value is silently converted or lost.

    ``path`` names the ``.csv`` file; a ``.xlsx`` workbook of the same name is read when
    the CSV is absent (see :mod:`tzeval.reading` for separators, encodings and sheets).
    Returns None, after recording why, when the file is missing or unreadable.
    """
    found = find_table(path.parent, path.name)
    if found is None:
        collector.add(None, None, None, f"file not found (expected {path} or {path.with_suffix('.xlsx').name})")
        return None
    if found.suffix == ".xlsx":
        collector.filename = found.name
    frame, problems = read_table(found, found.name)
    for row, column, value, rule in problems:
        collector.add(row, column, value, rule)
    if frame is None:
        return None
    missing = [column for column in spec.columns if column.name not in frame.columns]
    found_columns = ", ".join(c for c in frame.columns if not c.startswith("_"))
    for column in missing:
        if column.required:
            collector.add(None, column.name, None, f"required column is missing (found: {found_columns})")
        else:
            frame[column.name] = ""
    return None if any(column.required for column in missing) else frame


def check_columns(
    frame: pd.DataFrame, spec: FileSpec, collector: ViolationCollector, *, frequency: Frequency = "monthly"
) -> pd.DataFrame:
    """Check each column's type rule and return a frame with parsed values.

    Cells that fail are recorded and left as missing in the returned frame; the caller
    raises before any such frame is used. In a column that may be suppressed
    (``Column.suppressible``), a suppression marker (blank, ``s``, ``nd``, ``n.d.``,
    ``n.s.``, ``secret``, ``<5``...) is no error: the value is missing and the boolean
    column ``_suppressed_<name>`` says so. Numbers may be written the French way
    (``1 230``, ``12,5``). ``period`` columns are read at ``frequency``.
    """
    parsed = frame.copy()
    for column in spec.columns:
        text = frame[column.name]
        if column.suppressible:
            suppressed = is_suppressed(text)
            parsed[f"_suppressed_{column.name}"] = suppressed
            text = text.where(~suppressed, "")
        elif column.kind in ("count", "number"):
            marker = is_suppressed(text) & (text != "")
            collector.add_rows(frame, marker, column.name,
                               "a suppressed value is not allowed in this column; give the number")
            text = text.where(~marker, "")
        else:
            marker = is_suppressed(text) & (text != "")
            if column.kind in ("id", "period", "month"):
                collector.add_rows(frame, marker, column.name,
                                   "a suppression marker is not allowed in this column; it identifies the row")
                text = text.where(~marker, "")
        if column.kind in ("count", "number"):
            text = normalise_number_text(text)
        empty = text == ""
        if column.required and not column.suppressible:
            collector.add_rows(frame, empty & (frame[column.name] == ""), column.name, "a value is required")
        filled = ~empty
        if column.kind == "id":
            bad = filled & ~text.str.fullmatch(ID_PATTERN.pattern)
            collector.add_rows(frame, bad, column.name,
                               "expected an identifier: letters, digits, '_' and '-' only (no '.', '/' or spaces)")
        elif column.kind == "period":
            periods = parse_periods(text.where(filled, ""), frequency)
            bad = filled & periods.isna()
            _record_bad_periods(frame, text, bad, column.name, frequency, collector)
            parsed[column.name] = periods
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
            collector.add_rows(frame, not_number, column.name,
                               "expected a whole number of people, e.g. 42 or 1 230"
                               + (", or a suppression marker (s, nd, n.d., n.s., secret, <5)" if column.suppressible else ""))
            fractional = filled & is_number & ~is_integer
            collector.add_rows(frame, fractional, column.name, "a count must be a whole number, not a fraction")
            numbers = pd.to_numeric(text.where(filled & is_integer), errors="coerce")
            negative = numbers < 0
            collector.add_rows(frame, negative, column.name, "a count cannot be negative")
            parsed[column.name] = numbers.where(~negative).astype("Int64")
        elif column.kind == "number":
            is_number = text.str.fullmatch(NUMBER_PATTERN)
            collector.add_rows(frame, filled & ~is_number, column.name, "expected a number, e.g. 12.5 or 12,5")
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


def _record_bad_periods(frame: pd.DataFrame, text: pd.Series, bad: pd.Series, column: str,
                        frequency: Frequency, collector: ViolationCollector) -> None:
    """Say, for each badly written period, whether it is one at another frequency."""
    for index in frame.index[bad.fillna(False).to_numpy(dtype=bool)]:
        value = text.at[index]
        other = guess_frequency(value)
        if other is not None:
            rule = (f"{value!r} is a {other} period but the data set declares frequency {frequency!r} "
                    f"(expected {PERIOD_EXAMPLES[frequency]}); set \"frequency\" in dataset.json, or write "
                    "every period at the declared frequency")
        else:
            rule = f"expected a {frequency} period written {PERIOD_EXAMPLES[frequency]}"
        sheet = frame.at[index, "_sheet"] if "_sheet" in frame.columns else None
        collector.add(int(frame.at[index, "_row"]), column, frame.at[index, column], rule, sheet=sheet)
