"""Loading an evaluator's data folder into a validated :class:`Dataset`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import (
    METADATA_FILENAME,
    OUTCOMES,
    PROGRAMME,
    SERIES_BREAK_PERIOD,
    TERRITORIES,
    TRUTH_FILENAME,
)
from .paths import DEMO_DATA_DIR
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
    """Validated experiment data: territories, monthly outcomes and programme counts.

    Attributes
    ----------
    data_dir : Path
        The folder the raw files were read from (never written to).
    territories : DataFrame
        Indexed by ``territory_id``; ``adoption_date`` is a month-start timestamp or NaT.
    outcomes : DataFrame
        One row per territory and month, with ``period`` as a month-start timestamp and
        the derived ``long_term_rate``.
    programme : DataFrame
        EBE headcounts and hiring, one row per treated territory and month.
    truth : DataFrame or None
        The known true effects, present only for synthetic data.
    metadata : dict
        The content of ``dataset.json`` (for example ``{"synthetic": true}``).
    """

    data_dir: Path
    territories: pd.DataFrame
    outcomes: pd.DataFrame
    programme: pd.DataFrame
    truth: pd.DataFrame | None
    metadata: dict
    _wide_cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

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
        Folder holding ``territories.csv``, ``outcomes.csv`` and ``programme.csv``.
        Defaults to the embedded demonstration data.
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
    violations = []

    territories_check = ViolationCollector(TERRITORIES.filename)
    raw_territories = read_raw_csv(data_dir / TERRITORIES.filename, TERRITORIES, territories_check)
    territories = None
    if raw_territories is not None:
        territories = check_columns(raw_territories, TERRITORIES, territories_check)
        territories["adoption_date_text"] = raw_territories["adoption_date"]
        territories["potential_beneficiaries_text"] = raw_territories["potential_beneficiaries"]
        check_unique_key(raw_territories, TERRITORIES, territories_check)
        _check_territory_rules(territories, territories_check)
    violations += territories_check.violations
    known_ids = set(territories["territory_id"]) if territories is not None else None
    treated_adoption = (
        territories.loc[territories["treated"] == True, ["territory_id", "adoption_date"]]  # noqa: E712
        .set_index("territory_id")["adoption_date"]
        if territories is not None
        else None
    )

    outcomes_check = ViolationCollector(OUTCOMES.filename)
    raw_outcomes = read_raw_csv(data_dir / OUTCOMES.filename, OUTCOMES, outcomes_check)
    outcomes = None
    if raw_outcomes is not None:
        outcomes = check_columns(raw_outcomes, OUTCOMES, outcomes_check)
        check_unique_key(raw_outcomes, OUTCOMES, outcomes_check)
        _check_known_ids(outcomes, known_ids, outcomes_check)
        _check_series_break(outcomes, allow_series_break, outcomes_check)
        _check_outcome_rules(outcomes, outcomes_check)
        if known_ids is not None:
            _check_balanced_panel(outcomes, known_ids, outcomes_check)
    violations += outcomes_check.violations

    programme_check = ViolationCollector(PROGRAMME.filename)
    raw_programme = read_raw_csv(data_dir / PROGRAMME.filename, PROGRAMME, programme_check)
    programme = None
    if raw_programme is not None:
        programme = check_columns(raw_programme, PROGRAMME, programme_check)
        check_unique_key(raw_programme, PROGRAMME, programme_check)
        _check_known_ids(programme, known_ids, programme_check)
        _check_series_break(programme, allow_series_break, programme_check)
        if treated_adoption is not None:
            _check_programme_rules(programme, known_ids, treated_adoption, programme_check)
    violations += programme_check.violations

    metadata = _read_metadata(data_dir, violations)
    if violations:
        raise DataValidationError(data_dir, violations)

    territories = territories.drop(columns=["_row", "adoption_date_text", "potential_beneficiaries_text"])
    territories = territories.set_index("territory_id")
    territories["treated"] = territories["treated"].astype(bool)
    outcomes = outcomes.drop(columns="_row").sort_values(["territory_id", "period"]).reset_index(drop=True)
    outcomes[OUTCOME_RATE] = 100.0 * outcomes["long_term_jobseekers"].astype(float) / outcomes[
        "population_15_64"
    ].astype(float)
    outcomes["after_series_break"] = outcomes["period"] >= pd.Timestamp(SERIES_BREAK_PERIOD)
    programme = programme.drop(columns="_row").sort_values(["territory_id", "period"]).reset_index(drop=True)
    truth_path = data_dir / TRUTH_FILENAME
    truth = pd.read_csv(truth_path, dtype={"territory_id": str}) if truth_path.is_file() else None
    return Dataset(data_dir, territories, outcomes, programme, truth, metadata)


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


def _check_series_break(frame: pd.DataFrame, allowed: bool, collector: ViolationCollector) -> None:
    if allowed:
        return
    after = frame["period"] >= pd.Timestamp(SERIES_BREAK_PERIOD)
    if not after.any():
        return
    rows = frame.loc[after, "_row"]
    first = frame.loc[after].iloc[0]
    collector.add(
        int(rows.iloc[0]),
        "period",
        first["period"].strftime("%Y-%m"),
        f"{int(after.sum())} rows are dated {SERIES_BREAK_PERIOD} or later. France Travail's registers "
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


def _check_balanced_panel(frame: pd.DataFrame, known_ids: set[str], collector: ViolationCollector) -> None:
    periods = frame["period"].dropna()
    if periods.empty:
        return
    all_months = pd.date_range(periods.min(), periods.max(), freq="MS")
    valid = frame.dropna(subset=["period"])
    present = valid.groupby("territory_id")["period"].agg(lambda s: set(s))
    span = f"{all_months[0]:%Y-%m} to {all_months[-1]:%Y-%m}"
    for territory_id in sorted(known_ids):
        months = present.get(territory_id, set())
        if not months:
            collector.add(None, "territory_id", territory_id, f"territory has no outcome rows; every territory needs every month from {span}")
            continue
        missing = [m for m in all_months if m not in months]
        if missing:
            shown = ", ".join(f"{m:%Y-%m}" for m in missing[:MAX_MISSING_MONTHS_LISTED])
            more = f" and {len(missing) - MAX_MISSING_MONTHS_LISTED} more" if len(missing) > MAX_MISSING_MONTHS_LISTED else ""
            collector.add(
                None, "period", territory_id,
                f"territory is missing {len(missing)} month(s) of the panel {span}: {shown}{more}",
            )


def _check_programme_rules(
    frame: pd.DataFrame, known_ids: set[str], adoption: pd.Series, collector: ViolationCollector
) -> None:
    comparison = frame["territory_id"].isin(known_ids) & ~frame["territory_id"].isin(adoption.index)
    collector.add_rows(frame, comparison, "territory_id", "programme rows are for treated territories; this one has treated = 0")
    start = frame["territory_id"].map(adoption)
    early = frame["period"] < start
    collector.add_rows(frame, early.fillna(False), "period", "dated before the territory's adoption_date")
    fte_over = frame["ebe_fte"] > frame["ebe_headcount"].astype(float)
    collector.add_rows(frame, fte_over.fillna(False), "ebe_fte", "cannot exceed ebe_headcount")
    hires_under = frame["cumulative_hires"] < frame["ebe_headcount"]
    collector.add_rows(frame, hires_under.fillna(False), "cumulative_hires", "cannot be below ebe_headcount (every employee was hired)")


def _read_metadata(data_dir: Path, violations: list) -> dict:
    path = data_dir / METADATA_FILENAME
    if not path.is_file():
        return {}
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        violations.append(Violation(METADATA_FILENAME, None, None, None, f"not valid JSON ({error.msg} at line {error.lineno})"))
        return {}
    return metadata if isinstance(metadata, dict) else {}
