"""The parameters the cost model expects: their unit, whether they change over time, their role.

``data/raw/unit_costs.csv`` holds the values; this catalogue holds what the code needs to
know about each parameter so that the loader can refuse a table that does not fit.
``data/raw/unit_costs.README.md`` is the human-readable version (kept in step by
``tests/test_unit_costs_table.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["legal", "ebe_cost", "funding", "offset", "contested_offset", "additionality"]


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
    """

    name: str
    unit: str
    dated: bool
    role: Role
    label: str
    upper_bound: float | None = None


_SPECS = (
    ParameterSpec("smic_hourly_gross", "EUR/hour", True, "legal", "SMIC, gross hourly"),
    ParameterSpec("cde_rate", "share_of_smic", True, "funding", "State CDE rate", 1.02),
    ParameterSpec("rsa_base_monthly", "EUR/month", True, "offset", "RSA, single-person amount"),
    ParameterSpec("hours_per_fte", "hours/FTE-year", False, "legal", "Hours per FTE-year"),
    ParameterSpec("wage_premium_over_smic", "share_of_smic", False, "ebe_cost", "Wage above the SMIC", 1.0),
    ParameterSpec("employer_contribution_rate_at_smic", "share_of_gross_wage", False, "ebe_cost",
                  "Employer contributions at the SMIC", 1.0),
    ParameterSpec("supervision_operating_ratio", "share_of_wage_bill", False, "ebe_cost",
                  "Supervision and operating costs"),
    ParameterSpec("turnover_ratio", "share_of_wage_bill", False, "ebe_cost", "EBE own turnover"),
    ParameterSpec("department_share_of_state", "share_of_state_contribution", False, "funding",
                  "Département share of the CDE", 1.0),
    ParameterSpec("startup_grant_per_job", "EUR/job", True, "funding", "Start-up grant per job"),
    ParameterSpec("other_public_share_of_gap", "share", False, "funding",
                  "Other public funders' share of the gap", 1.0),
    ParameterSpec("rsa_share_of_hires", "share", False, "offset", "Share of hires on RSA", 1.0),
    ParameterSpec("rsa_household_factor", "ratio", False, "offset", "RSA paid relative to single amount"),
    ParameterSpec("ass_share_of_hires", "share", False, "offset", "Share of hires on ASS", 1.0),
    ParameterSpec("ass_monthly", "EUR/month", False, "offset", "ASS amount"),
    ParameterSpec("are_share_of_hires", "share", False, "offset", "Share of hires on ARE", 1.0),
    ParameterSpec("are_monthly", "EUR/month", False, "offset", "ARE amount"),
    ParameterSpec("prime_activite_increase_monthly", "EUR/month", False, "offset", "Prime d'activité increase"),
    ParameterSpec("housing_aid_decrease_monthly", "EUR/month", False, "offset", "Housing aid decrease"),
    ParameterSpec("employee_contribution_rate", "share_of_gross_wage", False, "offset",
                  "Employee contributions and CSG", 1.0),
    ParameterSpec("other_tax_revenue", "EUR/person-year", False, "offset", "Other tax revenue"),
    ParameterSpec("health_costs_avoided", "EUR/person-year", False, "contested_offset", "Health costs avoided"),
    ParameterSpec("social_support_costs_avoided", "EUR/person-year", False, "contested_offset",
                  "Social support costs avoided"),
    ParameterSpec("deadweight_phase_1", "share", False, "additionality", "Deadweight, phase 1", 1.0),
    ParameterSpec("deadweight_phase_2", "share", False, "additionality", "Deadweight, phase 2", 1.0),
    ParameterSpec("displacement", "share", False, "additionality", "Displacement", 1.0),
    ParameterSpec("attribution", "share", False, "additionality", "Attribution", 1.0),
    ParameterSpec("drop_off", "share_per_year", False, "additionality", "Drop-off per year", 1.0),
)

CATALOGUE: dict[str, ParameterSpec] = {spec.name: spec for spec in _SPECS}
DATED_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if spec.dated)
SCALAR_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if not spec.dated)
CONTESTED_PARAMETERS: tuple[str, ...] = tuple(spec.name for spec in _SPECS if spec.role == "contested_offset")
DEADWEIGHT_BY_PHASE: dict[int, str] = {1: "deadweight_phase_1", 2: "deadweight_phase_2"}
