"""The cost arithmetic per FTE-year, for a batch of parameter values at once.

Every function here is plain numpy broadcasting to arrays shaped ``(batch, n)``,
where ``batch`` is the Monte Carlo draws (or the central case, or the tornado's
low/high settings) and ``n`` the territory-years. The same code therefore serves the
simulation, the central case, the sensitivity analysis and the break-even search.

Per FTE-year:

* EBE gross cost = wages + employer contributions + supervision and operating costs
  - the EBE's own turnover. Wages are the SMIC of each month times (1 + the wage
  premium) times the hours of a full-time year.
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
    jobs_created_per_fte : ndarray, shape (n,)
        New jobs in the year per FTE-year, for the start-up grant.
    years_since_start : ndarray, shape (n,)
        For drop-off.
    """

    jobs_created_per_fte: np.ndarray
    years_since_start: np.ndarray


def evaluate(
    scalars: Mapping[str, np.ndarray],
    rates: Mapping[str, np.ndarray],
    deadweight: np.ndarray,
    context: ModelContext,
    include_contested: bool = False,
    detail: bool = True,
) -> dict[str, np.ndarray]:
    """Every cost line per FTE-year, shaped ``(batch, n)``.

    Parameters
    ----------
    scalars : mapping
        Undated parameters, each broadcastable to ``(batch, n)`` (usually ``(batch, 1)``).
    rates : mapping
        The dated rates averaged over each territory-year's active months, shaped
        ``(batch, n)`` or ``(1, n)``: ``smic_hourly_gross``, ``cde_hourly`` (CDE rate x
        SMIC, averaged month by month), ``rsa_base_monthly`` and ``startup_grant_per_job``.
    deadweight : ndarray
        Broadcastable to ``(batch, n)``.
    context : ModelContext
    include_contested : bool
        Count the contested avoided costs (health, social support) among the offsets.
    detail : bool
        Also return each EBE cost and offset line (the waterfall needs them; the Monte
        Carlo does not, and skipping them halves its work), all expanded to
        ``(batch, n)``. Without detail, each line keeps its natural shape, for
        instance ``(1, n)`` for a line that no drawn parameter moves.
    """
    s = scalars
    smic = rates["smic_hourly_gross"]
    cde_hourly = rates["cde_hourly"]
    rsa_base = rates["rsa_base_monthly"]
    hours = s["hours_per_fte"]
    # per-draw coefficients are combined first so that each line costs one full-size product
    wage_factor = hours * (1.0 + s["wage_premium_over_smic"])
    employer_rate = s["employer_contribution_rate_at_smic"]
    cost_factor = 1.0 + employer_rate + s["supervision_operating_ratio"] - s["turnover_ratio"]
    constant_offsets = (MONTHS_PER_YEAR * (s["ass_share_of_hires"] * s["ass_monthly"]
                                           + s["are_share_of_hires"] * s["are_monthly"]
                                           + s["housing_aid_decrease_monthly"]
                                           - s["prime_activite_increase_monthly"])
                        + s["other_tax_revenue"])
    if include_contested:
        constant_offsets = constant_offsets + s["health_costs_avoided"] + s["social_support_costs_avoided"]
    rsa_factor = MONTHS_PER_YEAR * s["rsa_share_of_hires"] * s["rsa_household_factor"]

    lines: dict[str, np.ndarray] = {}
    wages = smic * wage_factor
    lines["ebe_gross_cost"] = wages * cost_factor
    lines["state_cde"] = cde_hourly * hours
    lines["department"] = lines["state_cde"] * s["department_share_of_state"]
    uncovered = np.maximum(lines["ebe_gross_cost"] - lines["state_cde"] - lines["department"], 0.0)
    lines["other_public"] = uncovered * s["other_public_share_of_gap"]
    lines["startup_grant"] = rates["startup_grant_per_job"] * context.jobs_created_per_fte
    lines["gross_public_cost"] = (lines["state_cde"] + lines["department"] + lines["other_public"]
                                  + lines["startup_grant"])
    lines["offsets_per_person"] = (rsa_base * rsa_factor + wages * (s["employee_contribution_rate"] + employer_rate)
                                   + constant_offsets)
    lines["additional_share"] = (1.0 - deadweight) * ((1.0 - s["displacement"]) * s["attribution"]) * _decay(
        s["drop_off"], context.years_since_start)
    lines["offsets"] = lines["additional_share"] * lines["offsets_per_person"]
    lines["net_cost"] = lines["gross_public_cost"] - lines["offsets"]
    if not detail:
        # callers that only reduce the lines over draws do not need them expanded
        return lines
    lines.update(_detail_lines(s, wages, rsa_base, rsa_factor, lines, include_contested))
    shape = np.broadcast_shapes(*(np.shape(values) for values in lines.values()))
    return {name: np.broadcast_to(values, shape) for name, values in lines.items()}


def _decay(drop_off: np.ndarray, years: np.ndarray) -> np.ndarray:
    """``(1 - drop_off) ** years`` via a small table of powers (few distinct years)."""
    drop_off = np.asarray(drop_off, dtype=float)
    years = np.asarray(years, dtype=int)
    powers = (1.0 - drop_off) ** np.arange(years.max() + 1)
    return powers[..., years]


def _detail_lines(s, wages, rsa_base, rsa_factor, lines, include_contested) -> dict[str, np.ndarray]:
    detail = {
        "wages": wages,
        "employer_contributions": wages * s["employer_contribution_rate_at_smic"],
        "supervision_operating": wages * s["supervision_operating_ratio"],
        "turnover": wages * s["turnover_ratio"],
        # the start-up grant pays for set-up costs on top of the running cost
        "non_public_funding": lines["ebe_gross_cost"] + lines["startup_grant"] - lines["gross_public_cost"],
        "rsa": rsa_base * rsa_factor,
        "ass": MONTHS_PER_YEAR * s["ass_share_of_hires"] * s["ass_monthly"],
        "unemployment_insurance": MONTHS_PER_YEAR * s["are_share_of_hires"] * s["are_monthly"],
        "housing_aid": MONTHS_PER_YEAR * s["housing_aid_decrease_monthly"],
        "prime_activite": -MONTHS_PER_YEAR * s["prime_activite_increase_monthly"],
        "employee_contributions": wages * s["employee_contribution_rate"],
        "employer_contributions_revenue": wages * s["employer_contribution_rate_at_smic"],
        "other_tax": s["other_tax_revenue"],
    }
    if include_contested:
        detail["health"] = s["health_costs_avoided"]
        detail["social_support"] = s["social_support_costs_avoided"]
    return detail
