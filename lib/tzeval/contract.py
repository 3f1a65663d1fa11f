"""The data contract: the files an evaluator brings, their columns and rules.

``data/raw/README.md`` is the human-readable version of this module; keep them in step
(``tests/test_contract_doc.py`` checks that every column here is documented there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnKind = Literal["id", "text", "choice", "count", "number", "flag", "month", "period"]

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
    suppressible: bool = False
    """True when a published file may hide the value (statistical secrecy): a suppression
    marker (:data:`tzeval.reading.SUPPRESSION_MARKERS`) is then read as a suppressed cell,
    listed in the report, never as an error."""


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
        Column("territory_id", "id", "Identifier: letters, digits, '_' and '-' (an INSEE code such as QP059001 or 2A004 works)."),
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
    description="One row per territory and period; every territory covers every period of the panel.",
    columns=(
        Column("territory_id", "id", "A territory_id of territories.csv."),
        Column("period", "period", "Period at the data set's frequency: YYYY-MM, YYYY-Qn or YYYY."),
        Column("long_term_jobseekers", "count", "Registered in categories A, B, C for 12 months or more.",
               suppressible=True),
        Column("jobseekers_abc", "count", "Registered in categories A, B, C.", suppressible=True),
        Column("population_15_64", "number",
               "Inhabitants aged 15 to 64; may be empty between census years (interpolated).", required=False),
    ),
)

PROGRAMME = FileSpec(
    filename="programme.csv",
    key=("territory_id", "period"),
    description="For treated territories, one row per period from adoption on, at the programme frequency.",
    columns=(
        Column("territory_id", "id", "A treated territory_id of territories.csv."),
        Column("period", "period", "Period at the programme frequency, not before the one holding adoption_date."),
        Column("ebe_headcount", "count", "EBE employees at the end of the period."),
        Column("ebe_fte", "number", "EBE full-time equivalents, at most ebe_headcount."),
        Column("cumulative_hires", "count", "Hires since the EBE opened, at least ebe_headcount."),
        Column("volunteers", "count", "Volunteers identified since the start."),
        Column("waiting_list", "count", "Volunteers waiting for a job."),
    ),
)

MEMBERS = FileSpec(
    filename="members.csv",
    key=("territory_id", "unit_code", "valid_from"),
    required_file=False,
    description="Optional: the source units (communes, IRIS, QPV, employment zones) each territory is made of.",
    columns=(
        Column("territory_id", "id", "A territory_id of territories.csv."),
        Column("unit_code", "id", "The unit's code in units_outcomes.csv (an INSEE code)."),
        Column("unit_kind", "choice", "Kind of unit.", choices=("commune", "iris", "qpv", "zone_emploi")),
        Column("share", "number", "Share of the unit's counts that belongs to the territory, 0 to 1; empty means 1.",
               required=False),
        Column("valid_from", "period", "First period the unit belongs to the territory; empty: from the start.",
               required=False),
        Column("valid_to", "period", "Last period the unit belongs to the territory; empty: to the end.",
               required=False),
    ),
)

UNITS_OUTCOMES = FileSpec(
    filename="units_outcomes.csv",
    key=("unit_code", "period"),
    required_file=False,
    description="Optional, with members.csv: the counts of each source unit, summed into its territories.",
    columns=(
        Column("unit_code", "id", "A unit_code of members.csv."),
        Column("period", "period", "Period at the data set's frequency."),
        Column("long_term_jobseekers", "count", "As in outcomes.csv.", suppressible=True),
        Column("jobseekers_abc", "count", "As in outcomes.csv.", suppressible=True),
        Column("population_15_64", "number", "As in outcomes.csv; may be empty between census years.",
               required=False),
    ),
)

TRUTH_FILENAME = "truth.csv"
METADATA_FILENAME = "dataset.json"

FILES: tuple[FileSpec, ...] = (TERRITORIES, OUTCOMES, PROGRAMME, MEMBERS, UNITS_OUTCOMES)

#: Keys of ``dataset.json`` and what they hold.
METADATA_KEYS = {
    "synthetic": "true for demonstration data: every report carries the banner",
    "description": "free text",
    "frequency": "monthly, quarterly or yearly: how outcomes.csv periods are written (default monthly)",
    "programme_frequency": "monthly, quarterly or yearly for programme.csv (default: frequency)",
    "rounding": "the base the published counts are rounded to, e.g. 10 (default: not rounded)",
}
