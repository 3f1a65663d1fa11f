"""The cost arithmetic per FTE-year, for a batch of parameter values at once.

Every function here is plain numpy broadcasting over arrays shaped ``(batch, n)``,
where ``batch`` is the Monte Carlo draws (or the central case, or the tornado's
low/high settings) and ``n`` the territory-years. The same code therefore serves the
simulation, the central case, the sensitivity analysis and the break-even search.

Per FTE-year:

* EBE gross cost = wages + employer contributions + supervision and operating costs
  - the EBE's own turnover. Wages are the SMIC of each month times the wage premium
  times the hours of a full-time year.
* Gross public cost = State CDE (rate of each month x SMIC x hours) + département
  (a share of the CDE) + other public funders (a share of what the CDE and
  département leave uncovered) + the start-up grant for jobs created that year.
* Offsets per person moved out of long-term joblessness = RSA, ASS and unemployment
  insurance no longer paid + housing aid saved - extra prime d'activité + employee
  and employer contributions and CSG + other tax revenue (+ contested avoided costs
  when asked for).
* Additional share = (1 - deadweight) (1 - displacement) attribution
  (1 - drop-off) ** years since start: the FTE that would not exist without the
  programme, to which the offsets apply.
* Net public cost = gross public cost - additional share x offsets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MONTHS_PER_YEAR = 12.0

EBE_COST_LINES = ("wages", "employer_contributions", "supervision_operating", "turnover")
FUNDING_LINES = ("state_cde", "department", "other_public", "startup_grant")
OFFSET_LINES = ("rsa", "ass", "unemployment_insurance", "housing_aid", "prime_activite",
                "employee_contributions", "employer_contributions_revenue", "other_tax")
CONTESTED_OFFSET_LINES = ("health", "social_support")

LINE_LABELS = {
    "wages": "Wages", "employer_contributions": "Employer contributions", "supervision_operating":
    "Supervision and operating", "turnover": "EBE own turnover", "ebe_gross_cost": "EBE gross cost",
    "state_cde": "State CDE", "department": "Département", "other_public": "Other public funders",
    "startup_grant": "Start-up grant", "non_public_funding": "Not publicly funded",
    "gross_public_cost": "Gross public cost", "rsa": "RSA no longer paid", "ass": "ASS no longer paid",
    "unemployment_insurance": "Unemployment insurance no longer paid", "housing_aid": "Housing aid saved",
    "prime_activite": "Extra prime d'activité", "employee_contributions": "Employee contributions and CSG",
    "employer_contributions_revenue": "Employer contributions received", "other_tax": "Other tax revenue",
    "health": "Health costs avoided (contested)", "social_support": "Social support avoided (contested)",
    "additionality_adjustment": "Deadweight, displacement, attribution, drop-off",
    "net_cost": "Net public cost",
}


@dataclass(frozen=True)
class ModelContext:
    """What the arithmetic needs to know about the territory-years, beyond parameter values.

    Attributes
    ----------
    month_weights : ndarray, shape (n_months, n)
        Weight of each calendar month of the grid in each territory-year; columns sum to 1.
    jobs_created_per_fte : ndarray, shape (n,)
        New jobs in the year per FTE-year, for the start-up grant.
    years_since_start : ndarray, shape (n,)
        For drop-off.
    """

    month_weights: np.ndarray
    jobs_created_per_fte: np.ndarray
    years_since_start: np.ndarray


def evaluate(
    scalars: Mapping[str, np.ndarray],
    monthly: Mapping[str, np.ndarray],
    deadweight: np.ndarray,
    context: ModelContext,
    include_contested: bool = False,
) -> dict[str, np.ndarray]:
    """Every cost line per FTE-year, shaped ``(batch, n)``.

    Parameters
    ----------
    scalars : mapping
        Undated parameters, each broadcastable to ``(batch, n)`` (usually ``(batch, 1)``).
    monthly : mapping
        ``smic_hourly_gross``, ``cde_rate`` and ``rsa_base_monthly`` on the month grid,
        each shaped ``(batch, n_months)``.
    deadweight : ndarray
        Broadcastable to ``(batch, n)``.
    context : ModelContext
    include_contested : bool
        Count the contested avoided costs (health, social support) among the offsets.
    """
    s = scalars
    weights = context.month_weights
    smic = monthly["smic_hourly_gross"] @ weights
    cde_hourly = (monthly["cde_rate"] * monthly["smic_hourly_gross"]) @ weights
    rsa_base = monthly["rsa_base_monthly"] @ weights
    hours = s["hours_per_fte"]

    lines: dict[str, np.ndarray] = {}
    wages = smic * hours * (1.0 + s["wage_premium_over_smic"])
    lines["wages"] = wages
    lines["employer_contributions"] = s["employer_contribution_rate_at_smic"] * wages
    lines["supervision_operating"] = s["supervision_operating_ratio"] * wages
    lines["turnover"] = s["turnover_ratio"] * wages
    lines["ebe_gross_cost"] = (lines["wages"] + lines["employer_contributions"]
                               + lines["supervision_operating"] - lines["turnover"])

    lines["state_cde"] = cde_hourly * hours
    lines["department"] = s["department_share_of_state"] * lines["state_cde"]
    uncovered = np.maximum(lines["ebe_gross_cost"] - lines["state_cde"] - lines["department"], 0.0)
    lines["other_public"] = s["other_public_share_of_gap"] * uncovered
    lines["startup_grant"] = s["startup_grant_per_job"] * context.jobs_created_per_fte
    lines["gross_public_cost"] = sum(lines[name] for name in FUNDING_LINES)
    # the start-up grant pays for set-up costs on top of the running cost
    lines["non_public_funding"] = lines["ebe_gross_cost"] + lines["startup_grant"] - lines["gross_public_cost"]

    lines["rsa"] = s["rsa_share_of_hires"] * s["rsa_household_factor"] * rsa_base * MONTHS_PER_YEAR
    lines["ass"] = s["ass_share_of_hires"] * s["ass_monthly"] * MONTHS_PER_YEAR
    lines["unemployment_insurance"] = s["are_share_of_hires"] * s["are_monthly"] * MONTHS_PER_YEAR
    lines["housing_aid"] = s["housing_aid_decrease_monthly"] * MONTHS_PER_YEAR
    lines["prime_activite"] = -s["prime_activite_increase_monthly"] * MONTHS_PER_YEAR
    lines["employee_contributions"] = s["employee_contribution_rate"] * wages
    lines["employer_contributions_revenue"] = lines["employer_contributions"]
    lines["other_tax"] = s["other_tax_revenue"]
    offset_lines = OFFSET_LINES
    if include_contested:
        lines["health"] = s["health_costs_avoided"]
        lines["social_support"] = s["social_support_costs_avoided"]
        offset_lines = OFFSET_LINES + CONTESTED_OFFSET_LINES
    lines["offsets_per_person"] = sum(lines[name] for name in offset_lines)

    lines["additional_share"] = ((1.0 - deadweight) * (1.0 - s["displacement"]) * s["attribution"]
                                 * (1.0 - s["drop_off"]) ** context.years_since_start)
    lines["offsets"] = lines["additional_share"] * lines["offsets_per_person"]
    lines["net_cost"] = lines["gross_public_cost"] - lines["offsets"]
    shape = np.broadcast_shapes(*(np.shape(values) for values in lines.values()))
    return {name: np.broadcast_to(values, shape) for name, values in lines.items()}
