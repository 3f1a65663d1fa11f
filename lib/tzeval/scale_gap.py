"""The scale gap across programmes: reach against need, and the cost per outcome.

Programme figures live in ``data/raw/public/programmes.csv``, one row per figure with a
source and a date on every row (``data/raw/public/README.md`` documents the columns and
metrics). :func:`load_programmes` reads and checks the table and reports every broken rule
with its file, row (data rows counted from 1; row 1 is line 2), column and value.
:func:`compare_programmes` computes, per programme, coverage = reach / need and the costs per
outcome, and draws coverage against cost per outcome. An evaluator adds a programme by
adding rows, not code.

A need with no count of its own can be stood in for by a ``need_proxy`` row (e.g. the
registered long-term job seekers for TZCLD's people durably deprived of employment). The
ratio to it is reported as an order of magnitude, never as coverage of the need. One
figure can carry its own wording in the message catalogue (a label naming exactly what
it counts, a caveat on what it leaves out): see :func:`figure_key`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import i18n
from .i18n import DEFAULT_LANGUAGE, format_number, format_percent, text
from .findings import FindingsText
from .i18n_coverage import MESSAGES_COVERAGE
from .paths import PROJECT_ROOT
from .plots import _layout
from .validation import NUMBER_PATTERN, Violation

i18n.MESSAGES.update(MESSAGES_COVERAGE)

PUBLIC_DIR = PROJECT_ROOT / "data" / "raw" / "public"
PROGRAMMES_FILENAME = "programmes.csv"
COLUMNS = ("programme", "metric", "value", "low", "high", "unit", "year", "source", "as_of", "note")
KEY = ("programme", "metric", "unit", "year")
AS_OF_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
YEAR_PATTERN = r"^(19|20)\d{2}$"
COST_UNIT_PREFIX = "EUR/"
SPENDING_UNIT = "EUR/year"


@dataclass(frozen=True)
class Metric:
    """A metric the table knows: numeric (value required) or qualitative (note required)."""

    name: str
    numeric: bool
    description: str


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("reach", True, "People (or units) the programme reaches in the year; same unit as need."),
    Metric("need", True, "The size of the need in the same unit as reach; must be positive."),
    Metric("need_proxy", True, "A count standing in for a need that has no count of its own, in the reach's unit; "
                               "must be positive. Used, as an order of magnitude only, when there is no need row."),
    Metric("cost_per_outcome", True, "The programme's cost per unit of outcome; unit 'EUR/<outcome>'."),
    Metric("benchmark_cost_per_outcome", True,
           "A comparison cost quoted alongside the programme (not its own); unit 'EUR/<outcome>'."),
    Metric("spending", True, "Money spent on the programme in the year; unit 'EUR/year'. With a reach of the "
                             "same year it gives a derived cost per unit reached."),
    Metric("frequentation", True, "Use of a service (visits, users, places held); not a coverage by itself."),
    Metric("context", True, "Any other dated figure worth showing (never used in a computation)."),
    Metric("qualitative_activity", False, "What the programme does, for whom."),
    Metric("qualitative_governance", False, "Who runs it and how users take part."),
    Metric("qualitative_outcomes", False, "What is meant to change for people, as reported."),
    Metric("qualitative_evidence", False, "How the impact is known today, and what is missing."),
)}
QUALITATIVE_METRICS = tuple(name for name, metric in METRICS.items() if not metric.numeric)
THOUSANDS_PATTERN = r"^-?\d{1,3}([ ,\u202f\u00a0]\d{3})+([.,]\d+)?$"


class ProgrammeTableError(ValueError):
    """``programmes.csv`` breaks a rule; carries every violation (file, row, column, value, rule)."""

    def __init__(self, source: str, violations: list[Violation]):
        self.source = source
        self.violations = list(violations)
        count = len(self.violations)
        lines = [f"The programme table {source} is not usable ({count} problem{'s' if count != 1 else ''}; "
                 f"see data/raw/public/README.md):"]
        lines += [f"  - {violation}" for violation in self.violations]
        super().__init__("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([(v.file, v.row, v.column, v.value, v.rule) for v in self.violations],
                            columns=["file", "row", "column", "value", "rule"])


@dataclass(frozen=True)
class ProgrammeTable:
    """A validated programme table.

    ``frame`` keeps the file's columns, with ``value, low, high`` as floats (NaN where
    empty), ``year`` as a nullable integer and ``row`` the data row number in the file.
    """

    frame: pd.DataFrame
    source: str

    @property
    def programmes(self) -> list[str]:
        """Programme names in the order they first appear."""
        return list(dict.fromkeys(self.frame["programme"]))

    def qualitative(self) -> pd.DataFrame:
        """The qualitative record: ``programme, metric, note, source, as_of`` rows."""
        rows = self.frame[self.frame["metric"].isin(QUALITATIVE_METRICS)]
        return rows[["programme", "metric", "note", "source", "as_of"]].reset_index(drop=True)

    def sources(self) -> pd.DataFrame:
        """Every figure with its source and date, for a sources table."""
        return self.frame[["programme", "metric", "value", "unit", "year", "source", "as_of"]].reset_index(drop=True)


def load_programmes(path: Path | str | None = None) -> ProgrammeTable:
    """Read and check a programme table (default ``data/raw/public/programmes.csv``).

    ``path`` may be the CSV file or the folder holding ``programmes.csv``.

    Raises
    ------
    ProgrammeTableError
        Listing every broken rule with its file, row, column and value.
    """
    path = Path(path) if path is not None else PUBLIC_DIR
    if path.is_dir() or path.suffix == "":
        path = path / PROGRAMMES_FILENAME
    name = path.name
    if not path.is_file():
        raise ProgrammeTableError(name, [Violation(name, None, None, None, f"file not found (expected {path})")])
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ProgrammeTableError(name, [Violation(name, None, None, None, f"not a readable CSV file ({error})")])
    return programmes_from_frame(frame, source=name)


def programmes_from_frame(frame: pd.DataFrame, source: str = PROGRAMMES_FILENAME) -> ProgrammeTable:
    """Check a programme table given as text cells (as read from the CSV file)."""
    violations: list[Violation] = []

    def add(row, column, value, rule):
        violations.append(Violation(source, row, column, value, rule))

    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if len(frame.columns) == 1 and ";" in frame.columns[0]:
        raise ProgrammeTableError(source, [Violation(source, None, None, None,
                                                     "columns are separated by ';'; the table expects ','")])
    for column in missing:
        add(None, column, None, f"required column is missing (found: {', '.join(frame.columns)})")
    if missing:
        raise ProgrammeTableError(source, violations)
    frame = frame[list(COLUMNS)].fillna("").astype(str).apply(lambda c: c.str.strip())
    frame.insert(0, "row", np.arange(1, len(frame) + 1))
    parsed = {c: np.full(len(frame), np.nan) for c in ("value", "low", "high")}
    years = pd.array([pd.NA] * len(frame), dtype="Int64")
    for position, record in enumerate(frame.itertuples(index=False)):
        row = int(record.row)
        if record.programme == "":
            add(row, "programme", "", "a programme name is required")
        if record.source == "":
            add(row, "source", "", "every figure needs a source (publication, legal text or stated assumption)")
        if record.as_of == "":
            add(row, "as_of", "", "every figure needs a date: YYYY-MM or YYYY-MM-DD (publication or check)")
        elif not re.fullmatch(AS_OF_PATTERN, record.as_of):
            add(row, "as_of", record.as_of, "expected a date written YYYY-MM or YYYY-MM-DD")
        metric = METRICS.get(record.metric)
        if metric is None:
            add(row, "metric", record.metric, f"unknown metric; expected one of: {', '.join(METRICS)}")
            continue
        if record.year != "":
            if re.fullmatch(YEAR_PATTERN, record.year):
                years[position] = int(record.year)
            else:
                add(row, "year", record.year, "expected a year written YYYY, e.g. 2024")
        if not metric.numeric:
            for column in ("value", "low", "high"):
                if getattr(record, column) != "":
                    add(row, column, getattr(record, column),
                        "must be empty for a qualitative metric (its content goes in note)")
            if record.note == "":
                add(row, "note", "", "a qualitative metric carries its content in note, which is empty")
            continue
        if record.year == "":
            add(row, "year", "", "a numeric figure needs the year it refers to (YYYY)")
        if record.unit == "":
            add(row, "unit", "", "a numeric figure needs a unit (e.g. people, loans/year, EUR/FTE-year)")
        elif record.metric in ("cost_per_outcome", "benchmark_cost_per_outcome") and not record.unit.startswith(COST_UNIT_PREFIX):
            add(row, "unit", record.unit, "a cost per outcome is written 'EUR/<outcome>', e.g. EUR/business created")
        elif record.metric == "spending" and record.unit != SPENDING_UNIT:
            add(row, "unit", record.unit, f"spending is written in '{SPENDING_UNIT}'")
        for column in ("value", "low", "high"):
            cell = getattr(record, column)
            if cell == "":
                if column == "value":
                    add(row, "value", "", "a numeric metric needs a value")
                continue
            if re.fullmatch(NUMBER_PATTERN, cell):
                number = float(cell)
                if number < 0:
                    add(row, column, cell, "cannot be negative")
                else:
                    parsed[column][position] = number
            elif re.fullmatch(THOUSANDS_PATTERN, cell):
                add(row, column, cell, "write the number without thousands separators, with a decimal point "
                                       "(e.g. 20000 or 12.5)")
            else:
                add(row, column, cell, "expected a number, e.g. 20000 or 12.5")
        value, low, high = (parsed[c][position] for c in ("value", "low", "high"))
        if not np.isnan(low) and not np.isnan(value) and low > value:
            add(row, "low", record.low, f"low cannot exceed value ({record.value})")
        if not np.isnan(high) and not np.isnan(value) and high < value:
            add(row, "high", record.high, f"high cannot be below value ({record.value})")
        if record.metric in ("need", "need_proxy") and value == 0:
            add(row, "value", record.value, f"a {record.metric} must be positive (it divides the reach)")
    result = frame.copy()
    for column in ("value", "low", "high"):
        result[column] = parsed[column]
    result["year"] = years
    numeric = frame["metric"].isin([m for m, spec in METRICS.items() if spec.numeric])
    keys = frame[list(KEY)].agg("\x1f".join, axis=1)  # compared as written in the file
    first_rows = frame.loc[numeric].drop_duplicates(list(KEY)).assign(_key=keys).set_index("_key")["row"]
    for position in np.flatnonzero((numeric & keys.duplicated(keep="first")).to_numpy()):
        record = frame.iloc[position]
        add(int(record["row"]), ", ".join(KEY), ", ".join(record[list(KEY)]),
            f"duplicate figure; first seen on row {int(first_rows[keys.iloc[position]])}")
    _check_units(result, add)
    if violations:
        raise ProgrammeTableError(source, violations)
    return ProgrammeTable(result.reset_index(drop=True), source)


def _check_units(frame: pd.DataFrame, add) -> None:
    """Reach and need of one programme must share a unit, or their ratio means nothing."""
    for programme, rows in frame.groupby("programme", sort=False):
        reach_units = set(rows.loc[rows["metric"] == "reach", "unit"])
        if len(reach_units) > 1:
            extra = rows[(rows["metric"] == "reach") & (rows["unit"] != rows.loc[rows["metric"] == "reach", "unit"].iloc[0])]
            for _, record in extra.iterrows():
                add(int(record["row"]), "unit", record["unit"],
                    f"every reach row of '{programme}' needs the same unit (first reach row uses "
                    f"'{rows.loc[rows['metric'] == 'reach', 'unit'].iloc[0]}')")
            continue
        if not reach_units:
            continue
        unit = next(iter(reach_units))
        for _, record in rows[rows["metric"].isin(["need", "need_proxy"]) & (rows["unit"] != unit)].iterrows():
            add(int(record["row"]), "unit", record["unit"],
                f"the {record['metric']} of '{programme}' must be in the unit of its reach ('{unit}') "
                f"for coverage = reach / {record['metric']}")


# --- The comparison ---------------------------------------------------------------------------

COMPARISON_COLUMNS = ["programme", "reach", "reach_low", "reach_high", "reach_year", "need", "need_low", "need_high",
                      "need_year", "need_kind", "unit", "same_year", "coverage", "coverage_low", "coverage_high", "coverage_bound",
                      "n_costs", "status"]
COST_COLUMNS = ["programme", "kind", "unit", "value", "low", "high", "year", "derived", "coverage", "source", "as_of"]


def _bounds(row: pd.Series) -> tuple[float, float, float]:
    """value, and its low/high; a missing bound is unknown (NaN), except that a figure without
    any range is taken as exact."""
    value = float(row["value"])
    low, high = float(row["low"]), float(row["high"])
    if np.isnan(low) and np.isnan(high):
        return value, value, value
    return value, low, high


def _pick_reach_need(rows: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None, bool, str | None]:
    """Reach and need of the latest year that has both, else the latest of each; the need
    is a ``need`` row, or failing any, a ``need_proxy`` row. Returns ``reach, need,
    same_year, need_kind`` (``"need"``, ``"proxy"`` or None)."""
    reach = rows[rows["metric"] == "reach"]
    need, kind = rows[rows["metric"] == "need"], "need"
    if need.empty:
        need, kind = rows[rows["metric"] == "need_proxy"], "proxy"
    if need.empty:
        kind = None
    if reach.empty or need.empty:
        latest = lambda r: None if r.empty else r.sort_values("year").iloc[-1]  # noqa: E731
        return latest(reach), latest(need), False, kind
    common = sorted(set(reach["year"]) & set(need["year"]))
    if common:
        year = common[-1]
        return reach[reach["year"] == year].iloc[0], need[need["year"] == year].iloc[0], True, kind
    return reach.sort_values("year").iloc[-1], need.sort_values("year").iloc[-1], False, kind


def _comparison(table: ProgrammeTable) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = table.frame
    rows_out, costs_out = [], []
    for programme in table.programmes:
        rows = frame[frame["programme"] == programme]
        reach, need, same_year, need_kind = _pick_reach_need(rows)
        record = {c: np.nan for c in COMPARISON_COLUMNS}
        record.update(programme=programme, same_year=same_year, coverage_bound="none", unit=None,
                      reach_year=pd.NA, need_year=pd.NA, need_kind=need_kind)
        if reach is not None:
            record["reach"], record["reach_low"], record["reach_high"] = _bounds(reach)
            record["reach_year"], record["unit"] = reach["year"], reach["unit"]
        if need is not None:
            record["need"], record["need_low"], record["need_high"] = _bounds(need)
            record["need_year"] = need["year"]
        if reach is not None and need is not None:
            record["coverage"] = record["reach"] / record["need"]
            record["coverage_low"] = record["reach_low"] / record["need_high"]
            record["coverage_high"] = record["reach_high"] / record["need_low"]
            known_low, known_high = np.isfinite(record["coverage_low"]), np.isfinite(record["coverage_high"])
            if known_low and known_high:
                record["coverage_bound"] = "point" if record["coverage_low"] == record["coverage_high"] else "range"
            elif known_high:
                record["coverage_bound"] = "at_most"
            elif known_low:
                record["coverage_bound"] = "at_least"
            else:
                record["coverage_bound"] = "unknown"
            for bound in ("coverage_low", "coverage_high"):
                if not np.isfinite(record[bound]):
                    record[bound] = np.nan
        for _, cost in rows[rows["metric"].isin(["cost_per_outcome", "benchmark_cost_per_outcome"])].iterrows():
            value, low, high = _bounds(cost)
            costs_out.append(dict(programme=programme,
                                  kind="own" if cost["metric"] == "cost_per_outcome" else "benchmark",
                                  unit=cost["unit"], value=value, low=low, high=high, year=cost["year"],
                                  derived=False, coverage=record["coverage"], source=cost["source"],
                                  as_of=cost["as_of"]))
        spending = rows[rows["metric"] == "spending"]
        reach_rows = rows[rows["metric"] == "reach"]
        for _, spent in spending.iterrows():
            match = reach_rows[reach_rows["year"] == spent["year"]]
            if match.empty or not float(match.iloc[0]["value"]) > 0:
                continue
            reached = match.iloc[0]
            s_value, s_low, s_high = _bounds(spent)
            r_value, r_low, r_high = _bounds(reached)
            costs_out.append(dict(programme=programme, kind="own", unit=f"EUR/{reached['unit']} (spending / reach)",
                                  value=s_value / r_value, low=s_low / r_high if r_high > 0 else np.nan,
                                  high=s_high / r_low if r_low > 0 else np.nan, year=spent["year"], derived=True,
                                  coverage=record["coverage"], source=f"{spent['source']}; {reached['source']}",
                                  as_of=max(spent["as_of"], reached["as_of"])))
        record["n_costs"] = sum(1 for c in costs_out if c["programme"] == programme and c["kind"] == "own")
        has_coverage = np.isfinite(record["coverage"])
        if has_coverage and record["n_costs"]:
            record["status"] = "coverage_and_cost"
        elif has_coverage:
            record["status"] = "coverage_only"
        elif record["n_costs"]:
            record["status"] = "cost_only"
        else:
            record["status"] = "no_coverage_no_cost"
        rows_out.append(record)
    comparison = pd.DataFrame(rows_out, columns=COMPARISON_COLUMNS)
    comparison["n_costs"] = comparison["n_costs"].astype(int)
    costs = pd.DataFrame(costs_out, columns=COST_COLUMNS)
    return comparison, costs


@dataclass(frozen=True, eq=False, repr=False)
class ScaleGapResult(FindingsText):
    """Coverage of need and cost per outcome, one row per programme."""

    table: ProgrammeTable
    comparison: pd.DataFrame
    costs: pd.DataFrame

    def to_frame(self, kind: str = "programmes") -> pd.DataFrame:
        """``kind="programmes"`` (default): one row per programme with ``reach, need`` (and
        ``_low, _high, _year``), ``need_kind`` (``need``; ``proxy`` when the need is a
        ``need_proxy`` row, so coverage is only an order of magnitude; None without a need),
        ``unit``, ``same_year`` (reach and need of the same year),
        ``coverage`` with ``coverage_low, coverage_high`` from the figures' ranges (NaN
        where a bound is unknown, e.g. a need given as "at least"), ``coverage_bound``
        (``point``, ``range``, ``at_most``, ``at_least``, ``unknown`` or ``none``),
        ``n_costs`` (own costs per outcome) and ``status`` (``coverage_and_cost``,
        ``coverage_only``, ``cost_only``, ``no_coverage_no_cost``).
        ``kind="costs"``: one row per cost per outcome (``kind`` own or benchmark,
        ``derived`` True for spending / reach).
        ``kind="qualitative"``: the qualitative record. ``kind="sources"``: every figure."""
        if kind == "programmes":
            return self.comparison.copy()
        if kind == "costs":
            return self.costs.copy()
        if kind == "qualitative":
            return self.table.qualitative()
        if kind == "sources":
            return self.table.sources()
        raise ValueError(f"kind {kind!r} is not available; choose programmes, costs, qualitative or sources")

    def findings(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        """One sentence per programme, from the catalogue."""
        items = []
        for record in self.comparison.itertuples(index=False):
            if np.isfinite(record.coverage) and record.need_kind == "proxy":
                reach = self._figure(record.programme, "reach", record.reach_year)
                proxy = self._figure(record.programme, "need_proxy", record.need_year)
                items.append(text("sg_finding_coverage_proxy", lang, programme=record.programme,
                                  reach=format_number(record.reach, lang, 0), reach_label=_figure_label(reach, lang),
                                  need=format_number(record.need, lang, 0), need_label=_figure_label(proxy, lang),
                                  source=proxy["source"], share=_share(record.coverage, lang)))
                caveat = figure_text(record.programme, "need_proxy", "caveat", lang, record.need_year)
                items.append(caveat if caveat is not None else
                             text("sg_finding_proxy_caveat", lang, programme=record.programme))
                if not record.same_year:
                    items.append(text("sg_finding_years_differ_proxy", lang, programme=record.programme,
                                      reach_year=int(record.reach_year), need_year=int(record.need_year)))
            elif np.isfinite(record.coverage):
                share = _share(record.coverage, lang)
                key = "sg_finding_coverage_at_most" if record.coverage_bound == "at_most" else "sg_finding_coverage"
                items.append(text(key, lang, programme=record.programme, reach=format_number(record.reach, lang, 0),
                                  need=format_number(record.need, lang, 0), unit=record.unit, share=share,
                                  year=int(record.reach_year)))
                if not record.same_year:
                    items.append(text("sg_finding_years_differ", lang, programme=record.programme,
                                      reach_year=int(record.reach_year), need_year=int(record.need_year)))
            else:
                items.append(text("sg_finding_no_coverage", lang, programme=record.programme))
            latest = self._latest_reach(record.programme)
            if np.isfinite(record.coverage) and latest is not None and int(latest["year"]) > int(record.reach_year):
                items.append(text("sg_finding_latest_reach", lang, programme=record.programme,
                                  reach=format_number(latest["value"], lang, 0), reach_label=_figure_label(latest, lang),
                                  source=latest["source"]))
            costs = self.costs[self.costs["programme"] == record.programme]
            for cost in costs.itertuples(index=False):
                key = "sg_finding_benchmark" if cost.kind == "benchmark" else (
                    "sg_finding_cost_derived" if cost.derived else "sg_finding_cost")
                items.append(text(key, lang, programme=record.programme, value=format_number(cost.value, lang, 0),
                                  unit=cost.unit, range=_range(cost.low, cost.high, cost.value, lang)))
            rows = self.table.frame[(self.table.frame["programme"] == record.programme)
                                    & (self.table.frame["metric"] == "frequentation")]
            for used in rows.itertuples(index=False):
                items.append(text("sg_finding_frequentation", lang, programme=record.programme,
                                  value=format_number(used.value, lang, 0), unit=used.unit, year=int(used.year)))
            if record.status == "coverage_only" and costs.empty:
                items.append(text("sg_finding_no_cost", lang, programme=record.programme))
            elif record.status == "no_coverage_no_cost" and costs.empty:
                items.append(text("sg_finding_qualitative_only", lang, programme=record.programme))
        return items

    def _figure(self, programme: str, metric: str, year) -> pd.Series:
        """The table row of one figure (the first, if a programme repeats it)."""
        frame = self.table.frame
        rows = frame[(frame["programme"] == programme) & (frame["metric"] == metric) & (frame["year"] == year)]
        return rows.iloc[0]

    def _latest_reach(self, programme: str) -> pd.Series | None:
        frame = self.table.frame
        rows = frame[(frame["programme"] == programme) & (frame["metric"] == "reach")]
        return None if rows.empty else rows.sort_values("year", kind="stable").iloc[-1]

    def qualitative_html(self, lang: str = DEFAULT_LANGUAGE):
        """The qualitative record as an escaped table with catalogue headers."""
        from IPython.display import HTML

        record = self.table.qualitative()
        header = "".join(f"<th>{escape(text(k, lang))}</th>" for k in
                         ("sg_col_programme", "sg_col_dimension", "sg_col_record", "sg_col_source"))
        rows = []
        for row in record.itertuples(index=False):
            cells = [row.programme, text(f"sg_dimension_{row.metric}", lang), row.note, f"{row.source} ({row.as_of})"]
            rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
        return HTML(f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')

    def sources_html(self, lang: str = DEFAULT_LANGUAGE):
        """Every numeric figure with its source and date, escaped."""
        from IPython.display import HTML

        frame = self.table.frame[self.table.frame["metric"].map(lambda m: METRICS[m].numeric)]
        header = "".join(f"<th>{escape(text(k, lang))}</th>" for k in
                         ("sg_col_programme", "sg_col_metric", "sg_col_value", "sg_col_year", "sg_col_source"))
        rows = []
        for row in frame.itertuples(index=False):
            label = figure_text(row.programme, row.metric, "label", lang, row.year)
            cells = [row.programme, text(f"sg_metric_{row.metric}", lang),
                     f"{format_number(row.value, lang, 0 if float(row.value).is_integer() else 2)} "
                     f"{row.unit if label is None else label}",
                     "" if pd.isna(row.year) else str(int(row.year)), f"{row.source} ({row.as_of})"]
            rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
        return HTML(f'<table class="tzeval-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>')

    def plot(self, lang: str = DEFAULT_LANGUAGE) -> go.Figure:
        """Coverage (y, log) against cost per outcome (x, log), with a side panel for
        programmes that have a coverage but no cost per outcome and a note naming those
        with neither."""
        return _scale_gap_figure(self, lang)


def compare_programmes(table: ProgrammeTable | Path | str | None = None) -> ScaleGapResult:
    """Coverage and cost per outcome for every programme of ``table`` (a
    :class:`ProgrammeTable`, or a path given to :func:`load_programmes`)."""
    if not isinstance(table, ProgrammeTable):
        table = load_programmes(table)
    comparison, costs = _comparison(table)
    return ScaleGapResult(table, comparison, costs)


def figure_key(programme: str, metric: str, part: str, year: int | None = None) -> str:
    """Catalogue key of one figure's own wording: ``sg_figure_<programme>_<metric>[_<year>]_<part>``.

    ``programme`` is lower-cased, with every run of characters other than ``a-z0-9``
    turned into ``_`` (``TZCLD`` gives ``tzcld``). ``part`` is ``label`` (what the figure
    counts, shown after the number instead of its unit) or ``caveat`` (a sentence shown
    next to a ``need_proxy`` ratio). A key with the year applies to that year's figure
    only: a label that names its period must not outlive the figure it describes.
    """
    slug = re.sub(r"[^a-z0-9]+", "_", programme.lower()).strip("_")
    return f"sg_figure_{slug}_{metric}" + ("" if year is None else f"_{int(year)}") + f"_{part}"


def figure_text(programme: str, metric: str, part: str, lang: str = DEFAULT_LANGUAGE, year=None) -> str | None:
    """The catalogue's wording for one figure, the year's own key first, else the key without
    a year; None when the catalogue has neither (see :func:`figure_key`)."""
    keys = ([] if year is None or pd.isna(year) else [figure_key(programme, metric, part, year)])
    keys.append(figure_key(programme, metric, part))
    for key in keys:
        if key in i18n.MESSAGES:
            return text(key, lang)
    return None


def _figure_label(row: pd.Series, lang: str) -> str:
    """What a figure counts: its catalogue label, else ``(unit, year)``."""
    label = figure_text(row["programme"], row["metric"], "label", lang, row["year"])
    if label is not None:
        return label
    return text("sg_figure_default_label", lang, unit=row["unit"], year=int(row["year"]))


def _share(share: float, lang: str) -> str:
    decimals = 0 if share >= 0.095 else (1 if share >= 0.0095 else 2)
    return format_percent(share, lang, decimals)


def _range(low: float, high: float, value: float, lang: str) -> str:
    if np.isnan(low) or np.isnan(high) or (low == value and high == value):
        return ""
    return text("sg_range", lang, low=format_number(low, lang, 0), high=format_number(high, lang, 0))


PROGRAMME_COLOURS = ["#1f4e79", "#c55a11", "#2e7d32", "#7030a0", "#bf9000", "#5b9bd5", "#7f7f7f", "#a50021"]


def _scale_gap_figure(result: ScaleGapResult, lang: str) -> go.Figure:
    comparison = result.comparison
    costs = result.costs
    fig = make_subplots(rows=1, cols=2, column_widths=[0.78, 0.22], shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=(escape(text("sg_panel_with_cost", lang)),
                                        escape(text("sg_panel_without_cost", lang))))
    colours = {p: PROGRAMME_COLOURS[i % len(PROGRAMME_COLOURS)] for i, p in enumerate(comparison["programme"])}
    with_coverage = comparison[np.isfinite(comparison["coverage"])]
    for record in with_coverage.itertuples(index=False):
        colour = colours[record.programme]
        own = costs[(costs["programme"] == record.programme)]
        err_y = None
        if np.isfinite(record.coverage_low) or np.isfinite(record.coverage_high):
            upper = (record.coverage_high - record.coverage) if np.isfinite(record.coverage_high) else 0.0
            lower = (record.coverage - record.coverage_low) if np.isfinite(record.coverage_low) else 0.0
        for position, cost in enumerate(own.itertuples(index=False)):
            benchmark = cost.kind == "benchmark"
            err_x = None
            if np.isfinite(cost.low) and np.isfinite(cost.high) and cost.high > cost.low:
                err_x = dict(type="data", symmetric=False, array=[cost.high - cost.value],
                             arrayminus=[cost.value - cost.low], color=colour)
            if np.isfinite(record.coverage_low) or np.isfinite(record.coverage_high):
                err_y = dict(type="data", symmetric=False, array=[upper], arrayminus=[lower], color=colour)
            label = f"{record.programme}: {cost.unit}"
            if benchmark:
                label = f"{label} ({text('sg_label_benchmark', lang)})"
            fig.add_trace(go.Scatter(
                x=[cost.value], y=[record.coverage], mode="markers+text", text=[escape(cost.unit)],
                textposition="top center" if position % 2 == 0 else "bottom center",
                textfont=dict(size=10, color=colour),
                marker=dict(color=colour, size=12, symbol="circle-open" if benchmark else "circle",
                            line=dict(width=2, color=colour)),
                error_x=err_x, error_y=err_y, name=escape(label), legendgroup=escape(record.programme),
                hovertemplate=escape(label) + "<br>%{x:,.0f} EUR, %{y:.2%}<extra></extra>",
            ), row=1, col=1)
        if own.empty:
            fig.add_trace(go.Scatter(
                x=[escape(record.programme)], y=[record.coverage], mode="markers+text",
                text=[escape(text("sg_point_proxy", lang, share=_share(record.coverage, lang))
                             if record.need_kind == "proxy" else
                             text("sg_point_at_most", lang, share=_share(record.coverage, lang))
                             if record.coverage_bound == "at_most" else _share(record.coverage, lang))],
                textposition="top center", textfont=dict(size=10, color=colour),
                marker=dict(color=colour, size=12, symbol="diamond"),
                error_y=(dict(type="data", symmetric=False, array=[upper], arrayminus=[lower], color=colour)
                         if np.isfinite(record.coverage_low) or np.isfinite(record.coverage_high) else None),
                name=escape(f"{record.programme} ({text('sg_label_no_cost', lang)})"),
                hovertemplate=escape(record.programme) + "<br>%{y:.2%}<extra></extra>",
            ), row=1, col=2)
    fig.add_hline(y=1, line_dash="dash", line_color="#2e7d32")
    _layout(fig, text("sg_title", lang), text("sg_axis_coverage", lang), lang, height=560)
    shown = with_coverage["coverage"].to_numpy(dtype=float)
    y_low = min(shown.min() if shown.size else 0.001, 0.001) / 2
    fig.update_yaxes(type="log", tickformat=".2~%", range=[np.log10(y_low), np.log10(1.6)])
    cost_values = pd.concat([costs["low"], costs["value"], costs["high"]]).dropna().to_numpy(dtype=float)
    cost_values = cost_values[cost_values > 0]
    if cost_values.size:
        x_min, x_max = cost_values.min() / 2.5, cost_values.max() * 4
        ticks = [m * 10 ** e for e in range(int(np.floor(np.log10(x_min))), int(np.ceil(np.log10(x_max))) + 1)
                 for m in (1, 2, 5) if x_min <= m * 10 ** e <= x_max]
        fig.update_xaxes(type="log", range=[np.log10(x_min), np.log10(x_max)], tickvals=ticks,
                         ticktext=[format_number(t, lang, 0) for t in ticks], row=1, col=1)
        for record in with_coverage.itertuples(index=False):
            if costs[costs["programme"] == record.programme].empty:
                continue
            bound = ("sg_label_proxy" if record.need_kind == "proxy" else
                     "sg_label_at_most" if record.coverage_bound == "at_most" else "sg_label_coverage")
            fig.add_annotation(
                x=np.log10(x_max), y=np.log10(record.coverage), xref="x", yref="y", xanchor="right", yanchor="bottom",
                showarrow=False, font=dict(size=11, color=colours[record.programme]),
                text=escape(text(bound, lang, programme=record.programme, share=_share(record.coverage, lang))))
    fig.update_xaxes(type="log", title=escape(text("sg_axis_cost", lang)), row=1, col=1)
    fig.update_xaxes(type="category", row=1, col=2)
    missing = comparison[~np.isfinite(comparison["coverage"])]["programme"].tolist()
    if missing:
        fig.add_annotation(x=0, y=-0.42, xref="paper", yref="paper", showarrow=False, xanchor="left",
                           align="left", font=dict(size=11, color="#555"),
                           text=escape(text("sg_note_not_plotted", lang, programmes=", ".join(missing))))
    fig.update_layout(hovermode="closest", margin=dict(l=70, r=20, t=80, b=170),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    return fig


__all__ = [
    "METRICS",
    "ProgrammeTable",
    "ProgrammeTableError",
    "ScaleGapResult",
    "load_programmes",
    "programmes_from_frame",
    "compare_programmes",
    "figure_key",
    "figure_text",
]
