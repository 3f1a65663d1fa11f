"""Reading the tables evaluators download (France Travail, DARES, INSEE) as plain text.

Those tables come as ``;``-separated CSV in Windows encodings, as UTF-8 CSV with or
without a byte-order mark, or as Excel workbooks with one sheet per year, and their
numbers are written the French way ("1 230,5"). This module only turns such a file
into a table of text with row numbers; deciding what each value means is left to
:mod:`tzeval.validation`, so that nothing is converted before it is checked.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

SUPPRESSION_MARKERS: frozenset[str] = frozenset({"", "s", "nd", "n.d.", "n.s.", "secret"})
"""Lower-cased cell texts that statistical offices write for a withheld or missing value.

Texts such as ``<5`` or ``< 10`` (small counts hidden for confidentiality) are markers
too; :func:`is_suppressed` recognises them by pattern.
"""

_BELOW_THRESHOLD = r"<\s*\d+"
# Spaces that French typesetting (and Excel's French locale) puts between thousands.
_GROUPING_SPACES = " \u00a0\u202f\u2009"
_SIGN = "[-+\u2212]?"
_EXPONENT = r"(?:[eE][-+]?\d+)?"
# Each written form of a number and the characters that separate its thousands; the
# first form that matches a cell decides how it is read, so the order matters.
_NUMBER_FORMS: tuple[tuple[str, str], ...] = (
    (rf"\d{{1,3}}(?:[{_GROUPING_SPACES}]\d{{3}})+(?:[.,]\d+)?", _GROUPING_SPACES),  # 1 230,5
    (r"\d{1,3}(?:\.\d{3})+,\d+", "."),  # 1.230,5
    (r"\d{1,3}(?:,\d{3})+\.\d+", ","),  # 1,230.5
    (r"\d+,\d+", ""),  # 12,5 and also 1,230 (read as 1.230)
)
# A typographic minus or a plus sign on an otherwise canonical number.
_SIGNED_PLAIN = rf"[+\u2212](?:\d+(?:\.\d*)?|\.\d+){_EXPONENT}"
_CSV_SEPARATORS = (";", ",", "\t")
_TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class TableReadProblem(NamedTuple):
    """Why a file could not be read: where (row, column; None when the whole file) and what."""

    row: int | None
    column: str | None
    value: object
    rule: str


def is_suppressed(text: pd.Series) -> pd.Series:
    """Tell which cells hold a suppression marker instead of a value.

    Parameters
    ----------
    text : pandas.Series
        Cell texts; missing values count as blank.

    Returns
    -------
    pandas.Series
        Boolean, True where the stripped, lower-cased text is one of
        :data:`SUPPRESSION_MARKERS` (blank included) or reads ``<`` followed by a whole
        number, such as ``<5`` or ``< 10``.
    """
    lowered = text.fillna("").astype(str).str.strip().str.lower()
    return lowered.isin(SUPPRESSION_MARKERS) | lowered.str.fullmatch(_BELOW_THRESHOLD)


def normalise_number_text(text: pd.Series) -> pd.Series:
    """Rewrite French- or English-formatted numbers in the form Python parses.

    ``"1 230"`` becomes ``"1230"``, ``"12,5"`` becomes ``"12.5"``, ``"1.230,5"`` and
    ``"1,230.5"`` become ``"1230.5"``, ``"−3"`` (typographic minus) becomes ``"-3"``.
    Spaces, no-break spaces (U+00A0), narrow no-break spaces (U+202F) and thin spaces
    (U+2009) are taken as thousands separators only between groups of exactly three
    digits, and so are dots before a decimal comma or commas before a decimal point;
    without a decimal part, ``"1.230.456"`` and ``"1,230,456"`` are left unchanged.

    A lone comma is always a decimal comma, even in ``"1,230"``, which an English
    file would mean as one thousand two hundred and thirty: the tables this package
    reads are French, where a comma marks decimals.

    Parameters
    ----------
    text : pandas.Series
        Cell texts, already stripped.

    Returns
    -------
    pandas.Series
        The same texts with every recognised number rewritten. Anything else, such as
        ``"abc"``, ``"12 34"`` or ``"1,2,3"``, is returned unchanged so that the
        caller's own check rejects it with its own message.
    """
    result = text.copy()
    rewritten = pd.Series(False, index=text.index)
    for digits, thousands in _NUMBER_FORMS:
        matches = ~rewritten & text.str.fullmatch(_SIGN + digits + _EXPONENT, na=False)
        result[matches] = text[matches].str.translate(_number_translation(thousands))
        rewritten |= matches
    signed = ~rewritten & text.str.fullmatch(_SIGNED_PLAIN, na=False)
    result[signed] = text[signed].str.translate(_number_translation(""))
    return result


def _number_translation(thousands: str) -> dict[int, str | None]:
    # Built as one table so a dot can vanish while a comma turns into a dot.
    table: dict[int, str | None] = {ord(","): ".", ord("\u2212"): "-", ord("+"): None}
    table.update({ord(character): None for character in thousands})
    return table


def find_table(data_dir: Path, filename: str) -> Path | None:
    """Find a table saved either as CSV or as an Excel workbook.

    Parameters
    ----------
    data_dir : pathlib.Path
        Folder to look in.
    filename : str
        The CSV name the contract uses, e.g. ``"outcomes.csv"``.

    Returns
    -------
    pathlib.Path or None
        ``data_dir / filename`` if it exists, otherwise the same name ending in
        ``.xlsx`` if that exists, otherwise None. When both exist the CSV wins: it is
        the contract's own format, and a workbook beside it is most often the source
        it was exported from.
    """
    for candidate in (data_dir / filename, (data_dir / filename).with_suffix(".xlsx")):
        if candidate.is_file():
            return candidate
    return None


def read_table(path: Path, display_name: str) -> tuple[pd.DataFrame | None, list[TableReadProblem]]:
    """Read a CSV file or an Excel workbook as text, without converting any value.

    Parameters
    ----------
    path : pathlib.Path
        A ``.xlsx`` workbook, or a CSV file (any other name) separated by ``;``, ``,``
        or tabs, in UTF-8 (with or without byte-order mark), UTF-16 with a byte-order
        mark, or Windows-1252/Latin-1.
    display_name : str
        How the file is named in messages; it replaces the file's path wherever a
        library's error text quotes it.

    Returns
    -------
    frame : pandas.DataFrame or None
        Every cell as a stripped ``str`` (blank cells as ``""``) under stripped column
        names, after a column ``_row`` numbering data rows from 1 (row 1 lies under the
        header) and, for workbooks, a column ``_sheet`` naming each row's sheet, whose
        rows are numbered per sheet. Blank rows at the end are dropped; blank rows
        before them are kept so that row numbers match the file's lines. An empty or
        header-only file gives zero rows. None when the file cannot be read.
    problems : list of TableReadProblem
        ``(row, column, value, rule)`` tuples explaining why the file could not be
        read; empty when ``frame`` is not None.
    """
    try:
        if path.suffix.lower() == ".xlsx":
            return _read_workbook(path)
        return _read_csv(path)
    except OSError as error:
        return None, [_problem(f"the file cannot be opened ({error.strerror or error})")]
    except _Unreadable as error:
        return None, [_problem(str(error).replace(str(path), display_name))]


class _Unreadable(Exception):
    """The file as a whole cannot be read; the message is the problem's rule."""


def _problem(rule: str, column: str | None = None) -> TableReadProblem:
    return TableReadProblem(None, column, None, rule)


def _read_csv(path: Path) -> tuple[pd.DataFrame | None, list[TableReadProblem]]:
    text = _decode(path.read_bytes())
    # Blank lines above the header would otherwise be taken for it.
    text = re.sub(r"\A(?:[ \t]*\r?\n)+", "", text)
    first_line = text.split("\n", 1)[0]
    separator = max(_CSV_SEPARATORS, key=first_line.count)
    if not first_line.strip():
        return _tidy(pd.DataFrame(), [])
    try:
        # header=None keeps the header's own text: pandas would rename repeated or
        # blank names ("a.1", "Unnamed: 2"), hiding them from the checks in _tidy.
        cells = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as error:
        name = {"\t": "tab"}.get(separator, f"'{separator}'")
        raise _Unreadable(f"not a readable table separated by {name}: {str(error).strip()}") from error
    header = cells.iloc[0].tolist()
    return _tidy(cells.iloc[1:].reset_index(drop=True), header)


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" export is UTF-16; it always starts with a byte-order mark.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise _Unreadable(
            "the file is neither UTF-8 nor Latin-1 text (it contains NUL bytes; "
            "is it a workbook or another binary file saved under a .csv name?)"
        )
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("Latin-1 decodes any bytes")


def _read_workbook(path: Path) -> tuple[pd.DataFrame | None, list[TableReadProblem]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # openpyxl lets zipfile, XML and KeyError exceptions through for damaged files.
    except Exception as error:
        raise _Unreadable(f"not a readable Excel workbook (.xlsx): {error}") from error
    sheets: dict[str, pd.DataFrame] = {}
    problems: list[TableReadProblem] = []
    skipped_with_content = []
    try:
        for sheet in workbook.worksheets:
            # Some programs write a wrong sheet size, which read-only mode would trust.
            sheet.reset_dimensions()
            rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            if not rows or not any(rows[0]):
                if any(any(row) for row in rows):
                    skipped_with_content.append(sheet.title)
                continue
            width = max(len(row) for row in rows)
            padded = [row + [""] * (width - len(row)) for row in rows]
            frame, sheet_problems = _tidy(pd.DataFrame(padded[1:], columns=range(width)), padded[0])
            problems += [p._replace(rule=f"sheet '{sheet.title}': {p.rule}") for p in sheet_problems]
            if frame is not None:
                sheets[sheet.title] = frame
    finally:
        workbook.close()
    if not sheets and skipped_with_content and not problems:
        listed = ", ".join(f"'{title}'" for title in skipped_with_content)
        problems.append(_problem(f"no sheet has column names on its first row (sheets {listed} start with a blank row)"))
    if problems:
        return None, problems
    return _stack_sheets(sheets)


def _stack_sheets(sheets: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame | None, list[TableReadProblem]]:
    if not sheets:
        return pd.DataFrame({"_row": pd.Series(dtype=int), "_sheet": pd.Series(dtype=str)}), []
    (first_title, first), *others = sheets.items()
    problems = []
    for title, frame in others:
        if set(frame.columns) != set(first.columns):
            problems.append(_problem(
                f"sheet '{title}' has columns {', '.join(frame.columns[1:])} but sheet '{first_title}' "
                f"has {', '.join(first.columns[1:])}; every sheet must have the same columns"
            ))
    if problems:
        return None, problems
    stacked = pd.concat([frame[first.columns] for frame in sheets.values()], ignore_index=True)
    stacked.insert(1, "_sheet", [title for title, frame in sheets.items() for _ in range(len(frame))])
    return stacked, []


def _cell_text(value: object) -> str:
    """Write a workbook cell the way it would read in a CSV export."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel stores every number as a float: a count of 123 must not read "123.0".
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            # Whether a date on the 1st stands for a month is for the caller to decide.
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _tidy(cells: pd.DataFrame, header: list[object]) -> tuple[pd.DataFrame | None, list[TableReadProblem]]:
    """Name the columns of positional ``cells`` after ``header`` and number the rows."""
    names = [str(name).strip() for name in header]
    cells = cells.fillna("").astype(str).apply(lambda column: column.str.strip())
    filled_rows = cells.ne("").any(axis=1)
    last = filled_rows[filled_rows].index.max() if filled_rows.any() else -1
    cells = cells.loc[: last]
    problems = []
    keep = []
    for position, name in enumerate(names):
        if name == "":
            # A trailing separator or a stray note beside the table leaves a nameless column.
            if cells.iloc[:, position].ne("").any():
                problems.append(_problem(f"column {position + 1} has values but no name in the header"))
            continue
        keep.append(position)
    kept_names = [names[position] for position in keep]
    for name in sorted({name for name in kept_names if kept_names.count(name) > 1}):
        problems.append(_problem("the header names this column more than once; each column needs its own name", name))
    if problems:
        return None, problems
    frame = cells.iloc[:, keep].set_axis(kept_names, axis=1).reset_index(drop=True)
    frame.insert(0, "_row", range(1, len(frame) + 1))
    return frame, []
