"""The parameters the cost model expects: their unit, whether they change over time, their role.

``data/raw/unit_costs.csv`` holds the values; this catalogue holds what the code needs to
know about each parameter so that the loader can refuse a table that does not fit.
``data/raw/unit_costs.README.md`` is the human-readable version (kept in step by
``tests/test_unit_costs_table.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["legal", "ebe_cost", "funding", "offset_per_fte", "offset_per_person", "contested_offset",
               "calibrated_offset", "additionality", "workforce", "prices"]
Status = Literal["verified", "published", "assumption", "calibrated"]
STATUSES: tuple[str, ...] = ("verified", "published", "assumption", "calibrated")
"""How a value in the table is known.

``verified``: checked against a primary source (law, decree, official scale, the
official evaluation reports); ``published``: copied from a public series or
scale and not re-checked; ``assumption``: the project's judgement, with a range that
carries it; ``calibrated``: set so that the model reproduces a published aggregate,
whose target the source names.
"""


@dataclass(frozen=True)
class ParameterSpec:
    """What the model knows about one parameter.

    Attributes
    ----------
    name : str
        The ``parameter`` value in the table.
    unit : str
        The only unit the model accepts for it.
    dated : bool
        True for rates that change at known dates (one row per ``valid_from``).
    role : str
        Where it enters the model, used to group the tornado and the documentation.
    label : str
        Short human-readable name for figures and summaries.
    upper_bound : float or None
        Largest admissible value (1 for shares); None when unbounded.
    strictly_positive : bool
        True when zero is not admissible (the model divides by the value).
    """

    name: str
    unit: str
    dated: bool
    role: Role
    label: str
    upper_bound: float | None = None
    strictly_positive: bool = False


_SPECS = (
    ParameterSpec("smic_hourly_gross", "EUR/hour", True, "legal", "SMIC, gross hourly"),
    ParameterSpec("hours_per_fte", "hours/FTE-year", False, "legal", "Hours per FTE-year"),
    ParameterSpec("price_index", "index_2015=100", True, "prices", "Consumer price index"),
    ParameterSpec("cde_rate", "share_of_smic", True, "funding", "State CDE rate", 1.02),
    ParameterSpec("department_share_of_state", "share_of_state_contribution", True, "funding",
                  "Département share of the CDE", 1.0),
    ParameterSpec("other_public_share_of_gap", "share", False, "funding",
                  "Other public funders' share of the gap", 1.0),
    ParameterSpec("startup_grant_share_of_annual_smic", "share_of_annual_smic", True, "funding",
                  "Start-up grant per net additional FTE", 1.0),
    ParameterSpec("wage_premium_over_smic", "share_of_smic", False, "ebe_cost", "Wage above the SMIC", 1.0),
    ParameterSpec("employer_contribution_rate_at_smic", "share_of_gross_wage", True, "ebe_cost",
                  "Employer contributions at the SMIC", 1.0),
    ParameterSpec("supervision_operating_ratio", "share_of_wage_bill", False, "ebe_cost",
                  "Supervision and operating costs"),
    ParameterSpec("turnover_ratio", "share_of_wage_bill", False, "ebe_cost", "EBE own turnover"),
    ParameterSpec("fte_per_employee", "share", False, "workforce", "FTE per employee (part-time)", 1.0,
                  strictly_positive=True),
    ParameterSpec("employee_contribution_rate", "share_of_gross_wage", False, "offset_per_fte",
                  "Employee contributions and CSG", 1.0),
    ParameterSpec("rsa_base_monthly", "EUR/month", True, "offset_per_person", "RSA, single-person amount"),
    ParameterSpec("rsa_share_of_hires", "share", False, "offset_per_person", "Share of hires on RSA", 1.0),
    ParameterSpec("rsa_household_factor", "ratio", False, "offset_per_person", "RSA paid relative to single amount"),
    ParameterSpec("ass_daily", "EUR/day", True, "offset_per_person", "ASS daily amount"),
    ParameterSpec("ass_share_of_hires", "share", False, "offset_per_person", "Share of hires on ASS", 1.0),
    ParameterSpec("are_share_of_hires", "share", False, "offset_per_person", "Share of hires on ARE", 1.0),
    ParameterSpec("are_monthly", "EUR/month", False, "offset_per_person", "ARE amount"),
    ParameterSpec("prime_activite_increase_monthly", "EUR/month", False, "offset_per_person",
                  "Prime d'activité increase"),
    ParameterSpec("housing_aid_decrease_monthly", "EUR/month", False, "offset_per_person", "Housing aid decrease"),
    ParameterSpec("other_tax_revenue", "EUR/person-year", False, "offset_per_person", "Other tax revenue"),
    ParameterSpec("returns_not_itemised", "EUR/FTE-year", False, "calibrated_offset",
                  "Public returns not itemised (calibrated)"),
    ParameterSpec("health_costs_avoided", "EUR/person-year", False, "contested_offset", "Health costs avoided"),
    ParameterSpec("social_support_costs_avoided", "EUR/person-year", False, "contested_offset",
                  "Social support costs avoided"),
    ParameterSpec("deadweight_phase_1", "share", False, "additionality", "Deadweight, phase 1", 1.0),
    ParameterSpec("deadweight_phase_2", "share", False, "additionality", "Deadweight, phase 2", 1.0),
    ParameterSpec("displacement", "share", False, "additionality", "Displacement", 1.0),
    ParameterSpec("drop_off", "share_per_year_of_tenure", False, "additionality", "Drop-off per year of tenure", 1.0),
)

CATALOGUE: dict[str, ParameterSpec] = {spec.name: spec for spec in _SPECS}
DATED_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if spec.dated)
SCALAR_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if not spec.dated)
CONTESTED_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if spec.role == "contested_offset")
DEADWEIGHT_BY_PHASE: dict[int, str] = {1: "deadweight_phase_1", 2: "deadweight_phase_2"}
PRICE_INDEX = "price_index"
"""The deflator: one row per calendar year, dated 1 January, so that multi-year totals are in one year's euros."""
RATE_PARAMETERS: tuple[str, ...] = tuple(name for name in DATED_PARAMETERS if name != PRICE_INDEX)
"""Dated parameters the per-FTE arithmetic uses, laid month by month on the active months."""
