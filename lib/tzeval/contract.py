"""The data contract: the files an evaluator brings, their columns and rules.

``data/raw/README.md`` is the human-readable version of this module; keep them in step
(``tests/test_contract_doc.py`` checks that every column here is documented there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["slug", "text", "choice", "count", "number", "flag", "month"]

#: First month of the France Travail series break (loi pour le plein emploi, 18 Dec 2023):
#: RSA recipients are registered automatically from 1 January 2025.
SERIES_BREAK_PERIOD = "2025-01"

#: Spellings accepted for the ``treated`` flag, mapped to booleans.
FLAG_VALUES = {
    "1": True, "true": True, "yes": True, "oui": True, "vrai": True,
    "0": False, "false": False, "no": False, "non": False, "faux": False,
}


@dataclass(frozen=True)
class Column:
    """One column of a contract file."""

    name: str
    kind: ColumnKind
    description: str
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    """One file of the contract: its columns and the columns that identify a row."""

    filename: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    required_file: bool = True
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


TERRITORIES = FileSpec(
    filename="territories.csv",
    key=("territory_id",),
    description="One row per territory, treated or comparison.",
    columns=(
        Column("territory_id", "slug", "Identifier, lower-case letters, digits and '-' only."),
        Column("name", "text", "Display name."),
        Column("setting", "choice", "Urban or rural.", choices=("urban", "rural")),
        Column("department", "text", "Département code, e.g. 14 or 2A."),
        Column("population", "count", "Inhabitants (INSEE legal population)."),
        Column("treated", "flag", "1 if the territory is habilitated, 0 for a comparison territory."),
        Column("adoption_date", "month", "Month of habilitation, YYYY-MM; empty for comparison territories.", required=False),
        Column(
            "potential_beneficiaries",
            "count",
            "People durably deprived of employment identified locally; required for treated territories.",
            required=False,
        ),
    ),
)

OUTCOMES = FileSpec(
    filename="outcomes.csv",
    key=("territory_id", "period"),
    description="One row per territory and month; every territory covers every month of the panel.",
    columns=(
        Column("territory_id", "slug", "A territory_id of territories.csv."),
        Column("period", "month", "Month, YYYY-MM."),
        Column("long_term_jobseekers", "count", "Registered in categories A, B, C for 12 months or more."),
        Column("jobseekers_abc", "count", "Registered in categories A, B, C."),
        Column("population_15_64", "count", "Inhabitants aged 15 to 64."),
    ),
)

PROGRAMME = FileSpec(
    filename="programme.csv",
    key=("territory_id", "period"),
    description="For treated territories, one row per month from adoption on.",
    columns=(
        Column("territory_id", "slug", "A treated territory_id of territories.csv."),
        Column("period", "month", "Month, YYYY-MM, not before the territory's adoption_date."),
        Column("ebe_headcount", "count", "EBE employees at the end of the month."),
        Column("ebe_fte", "number", "EBE full-time equivalents, at most ebe_headcount."),
        Column("cumulative_hires", "count", "Hires since the EBE opened, at least ebe_headcount."),
        Column("volunteers", "count", "Volunteers identified since the start."),
        Column("waiting_list", "count", "Volunteers waiting for a job."),
    ),
)

TRUTH_FILENAME = "truth.csv"
METADATA_FILENAME = "dataset.json"

FILES: tuple[FileSpec, ...] = (TERRITORIES, OUTCOMES, PROGRAMME)
