"""Loading an evaluator's data folder into a validated :class:`Dataset`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .contract import (
    MEMBERS,
    METADATA_FILENAME,
    OUTCOMES,
    PROGRAMME,
    SERIES_BREAK_PERIOD,
    TERRITORIES,
    TRUTH_FILENAME,
    UNITS_OUTCOMES,
)
from .members import check_members, sum_members
from .paths import DEMO_DATA_DIR
from .periods import (
    DEFAULT_FREQUENCY,
    FREQUENCIES,
    MONTHS_PER_PERIOD,
    PERIOD_EXAMPLES,
    Frequency,
    containing_period,
    format_period,
    period_range,
)
from .reading import find_table
from .validation import (
    DataValidationError,
    Violation,
    ViolationCollector,
    check_columns,
    check_unique_key,
    read_raw_csv,
)

OUTCOME_RATE = "long_term_rate"
"""Long-term job seekers per 100 inhabitants aged 15-64: the outcome the estimators use."""

MAX_MISSING_MONTHS_LISTED = 12


class UnknownTerritoryError(KeyError):
    """A territory id asked for that the data do not hold."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Dataset:
    """Validated experiment data: territories, outcomes and programme counts at their frequency.

    Attributes
    ----------
    data_dir : Path
        The folder the raw files were read from (never written to).
    territories : DataFrame
        Indexed by ``territory_id``; ``adoption_date`` is a month-start timestamp or NaT;
        ``first_period`` the first treated period at the data's frequency (the period
        that holds the adoption month; see :mod:`tzeval.periods`).
    outcomes : DataFrame
        One row per territory and period, with ``period`` as the period's first day, the
        counts as floats (missing where ``suppressed``), ``population_interpolated`` and
        the derived ``long_term_rate`` (missing where the count is suppressed).
    programme : DataFrame
        EBE headcounts and hiring, one row per treated territory and programme period.
    truth : DataFrame or None
        The known true effects, present only for synthetic data.
    metadata : dict
        The content of ``dataset.json``, with ``frequency`` and ``programme_frequency``
        filled in.
    suppressed : DataFrame
        Every suppressed outcome cell: ``territory_id, period, column, file``.
    """

    data_dir: Path
    territories: pd.DataFrame
    outcomes: pd.DataFrame
    programme: pd.DataFrame
    truth: pd.DataFrame | None
    metadata: dict
    suppressed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["territory_id", "period", "column", "file"]))
    _wide_cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def frequency(self) -> Frequency:
        """How outcome periods are spaced: ``"monthly"``, ``"quarterly"`` or ``"yearly"``."""
        return self.metadata.get("frequency", DEFAULT_FREQUENCY)

    @property
    def programme_frequency(self) -> Frequency:
        """How programme periods are spaced (by default as the outcomes)."""
        return self.metadata.get("programme_frequency", self.frequency)

    @property
    def months_per_period(self) -> int:
        return MONTHS_PER_PERIOD[self.frequency]

    @property
    def rounding(self) -> int | None:
        """The base published counts are rounded to (``dataset.json`` ``rounding``), or None."""
        return self.metadata.get("rounding")

    @property
    def is_synthetic(self) -> bool:
        """True for demonstration data; every report then carries a banner."""
        return bool(self.metadata.get("synthetic", False))

    @property
    def treated_ids(self) -> list[str]:
        return self.territories.index[self.territories["treated"]].tolist()

    @property
    def comparison_ids(self) -> list[str]:
        return self.territories.index[~self.territories["treated"]].tolist()

    @property
    def periods(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(sorted(self.outcomes["period"].unique()))

    def territory(self, territory_id: str) -> pd.Series:
        """Return one territory's row, with a helpful error for an unknown id."""
        if territory_id not in self.territories.index:
            known = ", ".join(self.treated_ids[:5])
            raise UnknownTerritoryError(
                f"territory {territory_id!r} is not in {self.data_dir / TERRITORIES.filename} "
                f"(treated territories include: {known}, ...)"
            )
        return self.territories.loc[territory_id]

    def wide(self, yname: str = OUTCOME_RATE) -> pd.DataFrame:
        """Outcome ``yname`` as a periods x territories table (computed once, then reused)."""
        if yname not in self._wide_cache:
            self._wide_cache[yname] = self.outcomes.pivot(index="period", columns="territory_id", values=yname)
        return self._wide_cache[yname]

    def programme_for(self, territory_id: str) -> pd.DataFrame:
        self.territory(territory_id)
        rows = self.programme[self.programme["territory_id"] == territory_id]
        return rows.sort_values("period").reset_index(drop=True)


def load_dataset(
    data_dir: Path | str | None = None,
    *,
    allow_series_break: bool = False,
) -> Dataset:
    """Read and validate a data folder.

    Parameters
    ----------
    data_dir : path, optional
        Folder holding ``territories.csv``, ``outcomes.csv`` (or ``members.csv`` with
        ``units_outcomes.csv``) and ``programme.csv``, each possibly an ``.xlsx``
        workbook, and optionally ``dataset.json``. Defaults to the embedded demonstration
        data.
    allow_series_break : bool, default False
        Accept periods from January 2025 on. France Travail's registers change
        definition then (automatic registration of RSA recipients), so such periods are
        refused unless the caller opts in knowingly.

    Raises
    ------
    DataValidationError
        Listing every violation (file, row, column, value, rule) when the data break the
        contract. Raw files are only read, never modified.
    """
    data_dir = Path(data_dir) if data_dir is not None else DEMO_DATA_DIR
    violations: list[Violation] = []
    metadata = _read_metadata(data_dir, violations)
    frequency = metadata.get("frequency", DEFAULT_FREQUENCY)
    programme_frequency = metadata.get("programme_frequency", frequency)
    if frequency not in FREQUENCIES or programme_frequency not in FREQUENCIES:
        raise DataValidationError(data_dir, violations)

    territories_check = ViolationCollector(TERRITORIES.filename)
    raw_territories = read_raw_csv(data_dir / TERRITORIES.filename, TERRITORIES, territories_check)
    territories = None
    if raw_territories is not None:
        territories = check_columns(raw_territories, TERRITORIES, territories_check)
        territories["adoption_date_text"] = raw_territories["adoption_date"]
        territories["potential_beneficiaries_text"] = raw_territories["potential_beneficiaries"]
        check_unique_key(raw_territories, TERRITORIES, territories_check)
        _check_ids_differ_beyond_case(raw_territories, territories_check)
        _check_territory_rules(territories, territories_check)
    violations += territories_check.violations
    known_ids = set(territories["territory_id"]) if territories is not None else None
    treated_adoption = (
        territories.loc[territories["treated"] == True, ["territory_id", "adoption_date"]]  # noqa: E712
        .set_index("territory_id")["adoption_date"]
        if territories is not None
        else None
    )

    has_members = find_table(data_dir, MEMBERS.filename) is not None
    built = None
    if has_members:
        built = _outcomes_from_members(data_dir, known_ids, frequency, allow_series_break, violations)

    outcomes_check = ViolationCollector(OUTCOMES.filename)
    outcomes = None
    if not has_members or find_table(data_dir, OUTCOMES.filename) is not None:
        raw_outcomes = read_raw_csv(data_dir / OUTCOMES.filename, OUTCOMES, outcomes_check)
        if raw_outcomes is not None:
            outcomes = check_columns(raw_outcomes, OUTCOMES, outcomes_check, frequency=frequency)
            check_unique_key(raw_outcomes, OUTCOMES, outcomes_check)
            _check_known_ids(outcomes, known_ids, outcomes_check)
            _check_series_break(outcomes, allow_series_break, outcomes_check, frequency)
            _check_outcome_rules(outcomes, outcomes_check)
            if built is not None:
                twice = outcomes["territory_id"].isin(set(built["territory_id"]))
                outcomes_check.add_rows(outcomes, twice, "territory_id",
                                        f"this territory is also built from {MEMBERS.filename}; give it in one place")
            outcomes = _interpolate_population(outcomes, "territory_id", outcomes_check)
    if built is not None:
        outcomes = built if outcomes is None else pd.concat([outcomes, built], ignore_index=True)
    if outcomes is not None and known_ids is not None:
        _check_balanced_panel(outcomes, known_ids, outcomes_check, frequency)
        _check_spread_values(outcomes, outcomes_check, frequency)
    violations += outcomes_check.violations

    programme_check = ViolationCollector(PROGRAMME.filename)
    raw_programme = read_raw_csv(data_dir / PROGRAMME.filename, PROGRAMME, programme_check)
    programme = None
    if raw_programme is not None:
        programme = check_columns(raw_programme, PROGRAMME, programme_check, frequency=programme_frequency)
        check_unique_key(raw_programme, PROGRAMME, programme_check)
        _check_known_ids(programme, known_ids, programme_check)
        _check_series_break(programme, allow_series_break, programme_check, programme_frequency)
        if treated_adoption is not None:
            _check_programme_rules(programme, known_ids, treated_adoption, programme_check, programme_frequency)
    violations += programme_check.violations

    if violations:
        raise DataValidationError(data_dir, violations)

    territories = territories.drop(columns=["_row", "adoption_date_text", "potential_beneficiaries_text"])
    territories = territories.drop(columns=[c for c in territories.columns if c.startswith("_")])
    territories = territories.set_index("territory_id")
    territories["treated"] = territories["treated"].astype(bool)
    territories["first_period"] = containing_period(territories["adoption_date"], frequency)
    suppressed = _suppressed_cells(outcomes, built)
    keep = ["territory_id", "period", "long_term_jobseekers", "jobseekers_abc", "population_15_64",
            "population_interpolated", "suppressed"]
    outcomes["suppressed"] = outcomes["_suppressed_long_term_jobseekers"].astype(bool)
    outcomes = outcomes[keep].sort_values(["territory_id", "period"]).reset_index(drop=True)
    for column in ("long_term_jobseekers", "jobseekers_abc", "population_15_64"):
        outcomes[column] = outcomes[column].astype(float)
    outcomes[OUTCOME_RATE] = 100.0 * outcomes["long_term_jobseekers"] / outcomes["population_15_64"]
    outcomes["after_series_break"] = outcomes["period"] >= pd.Timestamp(SERIES_BREAK_PERIOD)
    programme = programme.drop(columns=[c for c in programme.columns if c.startswith("_")])
    programme = programme.sort_values(["territory_id", "period"]).reset_index(drop=True)
    truth_path = data_dir / TRUTH_FILENAME
    truth = pd.read_csv(truth_path, dtype={"territory_id": str}) if truth_path.is_file() else None
    metadata = {**metadata, "frequency": frequency, "programme_frequency": programme_frequency}
    return Dataset(data_dir, territories, outcomes, programme, truth, metadata, suppressed)


def _outcomes_from_members(data_dir: Path, known_ids: set[str] | None, frequency: Frequency,
                           allow_series_break: bool, violations: list[Violation]) -> pd.DataFrame | None:
    """Read ``members.csv`` and ``units_outcomes.csv`` and sum units into territory rows."""
    members_check = ViolationCollector(MEMBERS.filename)
    units_check = ViolationCollector(UNITS_OUTCOMES.filename)
    raw_members = read_raw_csv(data_dir / MEMBERS.filename, MEMBERS, members_check)
    raw_units = read_raw_csv(data_dir / UNITS_OUTCOMES.filename, UNITS_OUTCOMES, units_check)
    members = units = None
    if raw_units is not None:
        units = check_columns(raw_units, UNITS_OUTCOMES, units_check, frequency=frequency)
        check_unique_key(raw_units, UNITS_OUTCOMES, units_check)
        _check_series_break(units, allow_series_break, units_check, frequency)
        _check_outcome_rules(units, units_check)
        units = _interpolate_population(units, "unit_code", units_check)
        _check_balanced_panel(units, set(units["unit_code"]), units_check, frequency, id_column="unit_code")
    if raw_members is not None:
        members = check_columns(raw_members, MEMBERS, members_check, frequency=frequency)
        members["share"] = members["share"].fillna(1.0)
        _check_known_ids(members, known_ids, members_check)
        if units is not None:
            check_members(members, set(units["unit_code"]), frequency, members_check)
    violations += members_check.violations + units_check.violations
    if members is None or units is None or members_check.violations or units_check.violations:
        return None
    periods = period_range(units["period"].min(), units["period"].max(), frequency)
    built = sum_members(members, units, periods)
    built["_source"] = UNITS_OUTCOMES.filename
    return built


def _interpolate_population(frame: pd.DataFrame, id_column: str, collector: ViolationCollector) -> pd.DataFrame:
    """Fill empty populations linearly between known periods, the nearest one at the edges.

    Census populations come about once a year, or only at census years; a rate needs one
    every period. Filled values are flagged in ``population_interpolated``.
    """
    frame = frame.copy()
    population = frame["population_15_64"].astype(float)
    frame["population_interpolated"] = population.isna()
    filled = []
    for unit, rows in frame.assign(population_15_64=population).groupby(id_column, sort=False):
        known = rows.dropna(subset=["population_15_64", "period"])
        if known.empty:
            if rows["period"].notna().any():
                collector.add(int(rows["_row"].iloc[0]), "population_15_64", "",
                              f"{id_column} {unit!r} has no population_15_64 in any period; "
                              "give it for at least one (census) period, the others are interpolated")
            filled.append(rows["population_15_64"])
            continue
        x = known["period"].map(pd.Timestamp.toordinal).to_numpy(dtype=float)
        order = np.argsort(x)
        targets = rows["period"].map(lambda p: p.toordinal() if pd.notna(p) else np.nan).to_numpy(dtype=float)
        values = np.interp(targets, x[order], known["population_15_64"].to_numpy(dtype=float)[order])
        filled.append(pd.Series(np.where(rows["population_15_64"].isna(), values, rows["population_15_64"]),
                                index=rows.index))
    frame["population_15_64"] = pd.concat(filled).reindex(frame.index) if filled else population
    return frame


def _suppressed_cells(outcomes: pd.DataFrame, built: pd.DataFrame | None) -> pd.DataFrame:
    """Every suppressed outcome cell: territory, period, column, and the file it came from."""
    rows = []
    for column in ("long_term_jobseekers", "jobseekers_abc"):
        flag = outcomes[f"_suppressed_{column}"].fillna(False).astype(bool)
        part = outcomes.loc[flag, ["territory_id", "period"]].copy()
        part["column"] = column
        part["file"] = outcomes.loc[flag].get("_source", pd.Series(OUTCOMES.filename, index=part.index))
        part["file"] = part["file"].fillna(OUTCOMES.filename)
        rows.append(part)
    table = pd.concat(rows, ignore_index=True)
    return table.sort_values(["territory_id", "period", "column"]).reset_index(drop=True)


def _check_spread_values(frame: pd.DataFrame, collector: ViolationCollector, frequency: Frequency) -> None:
    """Refuse yearly or quarterly figures copied into every month (or quarter) of their period.

    Such a file passes every other rule, but the estimators would count 12 observations
    where there is one, and put the months of the habilitation year before it in the
    pre-period with a value measured after it.
    """
    valid = frame.dropna(subset=["period", "long_term_jobseekers"])
    coarser = {"monthly": ("quarterly", "yearly"), "quarterly": ("yearly",), "yearly": ()}[frequency]
    for candidate in reversed(coarser):
        block = containing_period(valid["period"], candidate)
        per_block = valid.assign(_block=block).groupby(["territory_id", "_block"])
        several = per_block.size() >= 2
        if several.sum() < 2:
            continue
        constant = per_block[["long_term_jobseekers", "jobseekers_abc"]].nunique().max(axis=1) <= 1
        if bool(constant[several].all()):
            example = format_period(constant.index[0][1], candidate)
            collector.add(None, "period", None,
                          f"every territory repeats the same counts within each {candidate.removesuffix('ly')} "
                          f"(e.g. {example}): these look like {candidate} figures copied into every "
                          f"{ {'monthly': 'month', 'quarterly': 'quarter'}[frequency]}. Declare "
                          f"\"frequency\": \"{candidate}\" in dataset.json and give one row per period "
                          f"({PERIOD_EXAMPLES[candidate]})")
            return


def _check_ids_differ_beyond_case(frame: pd.DataFrame, collector: ViolationCollector) -> None:
    """Refuse ids equal but for case: on Windows and macOS they would share one report file."""
    lowered = frame["territory_id"].str.lower()
    clash = lowered.duplicated(keep="first") & ~frame["territory_id"].duplicated(keep="first")
    collector.add_rows(frame, clash, "territory_id",
                       "differs from an earlier id only by upper/lower case; reports would share one file name")


def _check_territory_rules(frame: pd.DataFrame, collector: ViolationCollector) -> None:
    treated = frame["treated"] == True  # noqa: E712 - the flag is nullable after a bad value
    comparison = frame["treated"] == False  # noqa: E712
    # A malformed date was reported by the column check; only an empty cell is reported here.
    missing_date = treated & frame["adoption_date"].isna() & frame["adoption_date_text"].eq("")
    for row, territory_id in zip(frame.loc[missing_date, "_row"], frame.loc[missing_date, "territory_id"]):
        collector.add(int(row), "adoption_date", "", f"treated territory {territory_id!r} needs its adoption month (YYYY-MM)")
    has_date = comparison & frame["adoption_date_text"].ne("")
    collector.add_rows(
        frame, has_date, "adoption_date_text", "must be empty for a comparison territory (treated = 0)",
        label="adoption_date",
    )
    missing_need = treated & frame["potential_beneficiaries_text"].eq("")
    for row in frame.loc[missing_need, "_row"]:
        collector.add(int(row), "potential_beneficiaries", "", "required for a treated territory")


def _check_known_ids(frame: pd.DataFrame, known_ids: set[str] | None, collector: ViolationCollector) -> None:
    if known_ids is None:
        return
    unknown = frame["territory_id"].ne("") & ~frame["territory_id"].isin(known_ids)
    collector.add_rows(frame, unknown, "territory_id", f"unknown territory: not in {TERRITORIES.filename}")


def _check_series_break(frame: pd.DataFrame, allowed: bool, collector: ViolationCollector,
                        frequency: Frequency = "monthly") -> None:
    if allowed:
        return
    after = frame["period"] >= containing_period(pd.Timestamp(SERIES_BREAK_PERIOD), frequency)
    if not after.any():
        return
    rows = frame.loc[after, "_row"]
    first = frame.loc[after].iloc[0]
    collector.add(
        int(rows.iloc[0]),
        "period",
        format_period(first["period"], frequency),
        f"{int(after.sum())} rows are dated {SERIES_BREAK_PERIOD} or later (or in a period that holds it). France Travail's registers "
        "break in January 2025 (RSA recipients registered automatically under the loi pour le plein "
        "emploi), so counts jump for reasons unrelated to any territory. Remove those months, or opt in "
        "with --allow-series-break (allow_series_break=True) and read the caveat in data/raw/README.md",
    )


def _check_outcome_rules(frame: pd.DataFrame, collector: ViolationCollector) -> None:
    over = frame["long_term_jobseekers"] > frame["jobseekers_abc"]
    collector.add_rows(frame, over.fillna(False), "long_term_jobseekers", "cannot exceed jobseekers_abc")
    zero = frame["population_15_64"] == 0
    collector.add_rows(frame, zero.fillna(False), "population_15_64", "must be positive (it is the rate's denominator)")
    too_many = frame["jobseekers_abc"] > frame["population_15_64"]
    collector.add_rows(frame, too_many.fillna(False), "jobseekers_abc", "cannot exceed population_15_64")


def _check_balanced_panel(frame: pd.DataFrame, known_ids: set[str], collector: ViolationCollector,
                          frequency: Frequency = "monthly", *, id_column: str = "territory_id") -> None:
    """Every id needs a row for every period between the file's first and last (a suppressed cell is a row)."""
    periods = frame["period"].dropna()
    if periods.empty:
        return
    all_periods = period_range(periods.min(), periods.max(), frequency)
    valid = frame.dropna(subset=["period"])
    present = valid.groupby(id_column)["period"].agg(lambda s: set(s))
    span = f"{format_period(all_periods[0], frequency)} to {format_period(all_periods[-1], frequency)}"
    unit = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}[frequency]
    label = "territory" if id_column == "territory_id" else "unit"
    for identifier in sorted(known_ids):
        found = present.get(identifier, set())
        if not found:
            collector.add(None, id_column, identifier,
                          f"{label} has no outcome rows; every {label} needs every {unit} from {span}")
            continue
        missing = [m for m in all_periods if m not in found]
        if missing:
            shown = ", ".join(format_period(m, frequency) for m in missing[:MAX_MISSING_MONTHS_LISTED])
            more = f" and {len(missing) - MAX_MISSING_MONTHS_LISTED} more" if len(missing) > MAX_MISSING_MONTHS_LISTED else ""
            collector.add(
                None, id_column, identifier,
                f"{label} {identifier!r} is missing {len(missing)} {unit}(s) of the {frequency} panel {span}: "
                f"{shown}{more}",
            )


def _check_programme_rules(
    frame: pd.DataFrame, known_ids: set[str], adoption: pd.Series, collector: ViolationCollector,
    frequency: Frequency = "monthly",
) -> None:
    comparison = frame["territory_id"].isin(known_ids) & ~frame["territory_id"].isin(adoption.index)
    collector.add_rows(frame, comparison, "territory_id", "programme rows are for treated territories; this one has treated = 0")
    start = containing_period(frame["territory_id"].map(adoption), frequency)
    early = frame["period"] < start
    collector.add_rows(frame, early.fillna(False), "period",
                       "dated before the period that holds the territory's adoption_date")
    _check_consecutive_programme(frame, collector, frequency)
    fte_over = frame["ebe_fte"] > frame["ebe_headcount"].astype(float)
    collector.add_rows(frame, fte_over.fillna(False), "ebe_fte", "cannot exceed ebe_headcount")
    hires_under = frame["cumulative_hires"] < frame["ebe_headcount"]
    collector.add_rows(frame, hires_under.fillna(False), "cumulative_hires", "cannot be below ebe_headcount (every employee was hired)")


def _check_consecutive_programme(frame: pd.DataFrame, collector: ViolationCollector, frequency: Frequency) -> None:
    """A territory's programme periods follow each other at the programme frequency, without gaps.

    Coverage paces and FTE-years read each row as the stock at the end of its period;
    a gap would silently stretch one stock over several periods.
    """
    valid = frame.dropna(subset=["period"])
    for territory_id, rows in valid.groupby("territory_id"):
        expected = period_range(rows["period"].min(), rows["period"].max(), frequency)
        missing = [p for p in expected if p not in set(rows["period"])]
        if not missing:
            continue
        shown = ", ".join(format_period(p, frequency) for p in missing[:MAX_MISSING_MONTHS_LISTED])
        hint = ""
        if frequency != "yearly" and set(rows["period"].dt.month) == {12}:
            hint = ('; these look like yearly figures: set "programme_frequency": "yearly" in dataset.json '
                    "and write each period as YYYY")
        elif frequency == "monthly" and set(rows["period"].dt.month) <= {3, 6, 9, 12}:
            hint = ('; these look like quarterly figures: set "programme_frequency": "quarterly" in dataset.json '
                    "and write each period as YYYY-Qn")
        collector.add(int(rows["_row"].iloc[0]), "period", territory_id,
                      f"programme periods of {territory_id!r} are not consecutive at the {frequency} "
                      f"programme frequency: {len(missing)} missing ({shown}){hint}")


def _read_metadata(data_dir: Path, violations: list) -> dict:
    """Read ``dataset.json`` and check its keys (see :data:`tzeval.contract.METADATA_KEYS`)."""
    path = data_dir / METADATA_FILENAME
    if not path.is_file():
        return {}
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        violations.append(Violation(METADATA_FILENAME, None, None, None, f"not valid JSON ({error.msg} at line {error.lineno})"))
        return {}
    if not isinstance(metadata, dict):
        violations.append(Violation(METADATA_FILENAME, None, None, None, "expected a JSON object of keys and values"))
        return {}
    for key in ("frequency", "programme_frequency"):
        if key in metadata and metadata[key] not in FREQUENCIES:
            violations.append(Violation(METADATA_FILENAME, None, key, metadata[key],
                                        f"expected one of {', '.join(FREQUENCIES)}"))
    rounding = metadata.get("rounding")
    if rounding is not None and (isinstance(rounding, bool) or not isinstance(rounding, int) or rounding < 1):
        violations.append(Violation(METADATA_FILENAME, None, "rounding", rounding,
                                    "expected a whole number of at least 1, the base counts are rounded to (e.g. 10)"))
    return metadata
