"""The cost arithmetic per FTE-year, for a batch of parameter values at once.

Every function here is plain numpy broadcasting to arrays shaped ``(batch, n)``,
where ``batch`` is the Monte Carlo draws (or the central case, or the tornado's
low/high settings) and ``n`` the territory-years. The same code therefore serves the
simulation, the central case, the sensitivity analysis and the break-even search.

Per FTE-year:

* EBE gross cost = wages + employer contributions + supervision and operating costs
  - the EBE's own turnover. Wages are the SMIC of each month times (1 + the wage
  premium) times the hours of a full-time year.
* Gross public cost (the running cost) = State CDE (rate of each month x SMIC x hours)
  + département (a share of the CDE) + other public funders (a share of what the CDE
  and the département leave uncovered).
* Start-up grant, reported on its own line and outside the net running cost, as the
  comité scientifique does: a share of the gross annual SMIC per net additional FTE at
  31 December, spread over the year's FTE-years.
* Gross offsets, the change in public finances when a person moves from long-term
  joblessness into an EBE job, before any counterfactual: wage-based lines per FTE
  (employee contributions and CSG, employer contributions, the calibrated returns that
  the itemised lines do not reach) plus, per person, times the people per FTE (part-time
  work), RSA, ASS and unemployment insurance no longer paid + housing aid saved - extra
  prime d'activité + other tax revenue (+ contested avoided costs when asked for).
* Additional share = (1 - deadweight) (1 - displacement) x the drop-off factor. The
  deadweight, the counterfactual employment rate, applies once. The drop-off factor is
  ``(1 - drop_off) ** tenure`` averaged over the territory-year's cohorts of hires, so it
  follows each hire's tenure, not the territory's age. No attribution factor: the
  deadweight comes from a causal counterfactual that already nets other support out.
* Avoided cost = additional share x gross offsets; net public cost = gross public
  cost - avoided cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MONTHS_PER_YEAR = 12.0
DAYS_PER_MONTH = 365.0 / 12.0

FUNDING_LINES = ("state_cde", "department", "other_public")
OFFSET_LINES = ("rsa", "ass", "unemployment_insurance", "housing_aid", "prime_activite",
                "employee_contributions", "employer_contributions_revenue", "other_tax", "returns_not_itemised")
CONTESTED_OFFSET_LINES = ("health", "social_support")
BENEFIT_LINES = ("rsa", "ass", "unemployment_insurance")
"""The lines the comité scientifique's "RSA plus unemployment benefits" figure covers."""

LINE_LABELS = {
    "wages": "Wages", "employer_contributions": "Employer contributions", "supervision_operating":
    "Supervision and operating", "turnover": "EBE own turnover", "ebe_gross_cost": "EBE gross cost",
    "state_cde": "State CDE", "department": "Département", "other_public": "Other public funders",
    "startup_grant": "Start-up grant", "non_public_funding": "Not publicly funded",
    "gross_public_cost": "Gross public cost", "rsa": "RSA no longer paid", "ass": "ASS no longer paid",
    "unemployment_insurance": "Unemployment insurance no longer paid", "housing_aid": "Housing aid saved",
    "prime_activite": "Extra prime d'activité", "employee_contributions": "Employee contributions and CSG",
    "employer_contributions_revenue": "Employer contributions received", "other_tax": "Other tax revenue",
    "returns_not_itemised": "Returns not itemised (calibrated)",
    "health": "Health costs avoided (contested)", "social_support": "Social support avoided (contested)",
    "additionality_adjustment": "Deadweight, displacement, drop-off",
    "net_cost": "Net public cost", "net_cost_with_startup_grant": "Net cost with start-up grant",
}


@dataclass(frozen=True)
class ModelContext:
    """What the arithmetic needs to know about the territory-years, beyond parameter values.

    Attributes
    ----------
    net_additional_fte_per_fte : ndarray, shape (n,)
        Net additional FTE at 31 December per FTE-year of the year, for the start-up grant.
    people_per_fte : ndarray, shape (n,)
        Employees per FTE from the data; NaN where the data give no headcount (the
        ``fte_per_employee`` parameter then applies).
    tenure_weights : ndarray, shape (n_tenures, n)
        Share of each territory-year's hires with 0, 1, 2... full years of tenure.
    """

    net_additional_fte_per_fte: np.ndarray
    people_per_fte: np.ndarray
    tenure_weights: np.ndarray

    def subset(self, part: slice) -> ModelContext:
        return ModelContext(self.net_additional_fte_per_fte[part], self.people_per_fte[part],
                            self.tenure_weights[:, part])


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
        The dated parameters averaged over each territory-year's active months, shaped
        ``(batch, n)`` or ``(1, n)``, plus ``cde_hourly`` (CDE rate x SMIC, averaged
        month by month).
    deadweight : ndarray
        Broadcastable to ``(batch, n)``.
    context : ModelContext
    include_contested : bool
        Count the contested avoided costs (health, social support) among the offsets.
    detail : bool
        Also return each EBE cost and offset line per FTE-year (the waterfall needs them;
        the Monte Carlo does not), all expanded to ``(batch, n)``. Without detail, each
        line keeps its natural shape, for instance ``(1, n)`` for a line that no drawn
        parameter moves.
    """
    s = scalars
    smic = rates["smic_hourly_gross"]
    hours = s["hours_per_fte"]
    employer_rate = rates["employer_contribution_rate_at_smic"]
    wages = smic * (hours * (1.0 + s["wage_premium_over_smic"]))
    people = np.where(np.isfinite(context.people_per_fte), context.people_per_fte, 1.0 / s["fte_per_employee"])

    per_person = (MONTHS_PER_YEAR * (s["ass_share_of_hires"] * DAYS_PER_MONTH * rates["ass_daily"]
                                     + s["are_share_of_hires"] * s["are_monthly"]
                                     + s["housing_aid_decrease_monthly"] - s["prime_activite_increase_monthly"]
                                     + s["rsa_share_of_hires"] * s["rsa_household_factor"]
                                     * rates["rsa_base_monthly"])
                  + s["other_tax_revenue"])
    if include_contested:
        per_person = per_person + s["health_costs_avoided"] + s["social_support_costs_avoided"]

    lines: dict[str, np.ndarray] = {}
    lines["ebe_gross_cost"] = wages * (1.0 + employer_rate + s["supervision_operating_ratio"] - s["turnover_ratio"])
    lines["state_cde"] = rates["cde_hourly"] * hours
    lines["department"] = lines["state_cde"] * rates["department_share_of_state"]
    uncovered = np.maximum(lines["ebe_gross_cost"] - lines["state_cde"] - lines["department"], 0.0)
    lines["other_public"] = uncovered * s["other_public_share_of_gap"]
    lines["gross_public_cost"] = lines["state_cde"] + lines["department"] + lines["other_public"]
    lines["startup_grant"] = (rates["startup_grant_share_of_annual_smic"] * smic * hours
                              * context.net_additional_fte_per_fte)
    lines["people_per_fte"] = people
    lines["offsets_gross"] = (wages * (s["employee_contribution_rate"] + employer_rate)
                              + s["returns_not_itemised"] + people * per_person)
    lines["additional_share"] = ((1.0 - deadweight) * (1.0 - s["displacement"])
                                 * tenure_factor(s["drop_off"], context.tenure_weights))
    lines["offsets"] = lines["additional_share"] * lines["offsets_gross"]
    lines["net_cost"] = lines["gross_public_cost"] - lines["offsets"]
    lines["net_cost_with_startup_grant"] = lines["net_cost"] + lines["startup_grant"]
    if not detail:
        # callers that only reduce the lines over draws do not need them expanded
        return lines
    lines.update(_detail_lines(s, rates, wages, employer_rate, people, lines, include_contested))
    shape = np.broadcast_shapes(*(np.shape(values) for values in lines.values()))
    return {name: np.broadcast_to(values, shape) for name, values in lines.items()}


def tenure_factor(drop_off: np.ndarray, tenure_weights: np.ndarray) -> np.ndarray:
    """``(1 - drop_off) ** tenure`` averaged over cohorts.

    ``drop_off`` is ``(batch, 1)`` (one value per draw) or ``(batch, n)`` (one value per
    territory-year, as the break-even search varies it); ``tenure_weights`` is
    ``(n_tenures, n)``; the result is ``(batch, n)``.
    """
    drop_off = np.atleast_2d(np.asarray(drop_off, dtype=float))
    tenures = np.arange(tenure_weights.shape[0])
    if drop_off.shape[1] == 1:
        return ((1.0 - drop_off) ** tenures[None, :]) @ tenure_weights
    powers = (1.0 - drop_off)[:, None, :] ** tenures[None, :, None]
    return np.einsum("btn,tn->bn", powers, tenure_weights)


def _detail_lines(s, rates, wages, employer_rate, people, lines, include_contested) -> dict[str, np.ndarray]:
    """Each line per FTE-year; person lines are multiplied by the people per FTE so the waterfall adds up."""
    detail = {
        "wages": wages,
        "employer_contributions": wages * employer_rate,
        "supervision_operating": wages * s["supervision_operating_ratio"],
        "turnover": wages * s["turnover_ratio"],
        "non_public_funding": lines["ebe_gross_cost"] - lines["gross_public_cost"],
        "rsa": people * MONTHS_PER_YEAR * s["rsa_share_of_hires"] * s["rsa_household_factor"]
        * rates["rsa_base_monthly"],
        "ass": people * MONTHS_PER_YEAR * s["ass_share_of_hires"] * DAYS_PER_MONTH * rates["ass_daily"],
        "unemployment_insurance": people * MONTHS_PER_YEAR * s["are_share_of_hires"] * s["are_monthly"],
        "housing_aid": people * MONTHS_PER_YEAR * s["housing_aid_decrease_monthly"],
        "prime_activite": -people * MONTHS_PER_YEAR * s["prime_activite_increase_monthly"],
        "employee_contributions": wages * s["employee_contribution_rate"],
        "employer_contributions_revenue": wages * employer_rate,
        "other_tax": people * s["other_tax_revenue"],
        "returns_not_itemised": s["returns_not_itemised"] + 0.0 * wages,
    }
    if include_contested:
        detail["health"] = people * s["health_costs_avoided"]
        detail["social_support"] = people * s["social_support_costs_avoided"]
    return detail
