"""The official figures the cost model is read against, with what exactly each one measures.

The comité scientifique's phase 2 report (September 2025) gives, per FTE per year in the
12 months after entry, the avoided costs plus extra public revenue of an EBE hire and
the net public cost. Both are causal: they compare EBE hires with what would have
happened without the programme (about 20% in work anyway), so they are comparable with
the model's offsets *after* deadweight and displacement, never before. The start-up
grant is outside them: the comité reports it on top.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedCostRange:
    """A published range for one cost figure, per FTE-year.

    Attributes
    ----------
    low, high : float
        The range, EUR per FTE-year (or a share for ratios).
    measure : str
        What the figure measures, in the model's terms.
    source : str
    """

    low: float
    high: float
    measure: str
    source: str

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2.0


COMITE_SOURCE = ("Comité scientifique TZCLD, « Vers une garantie d'emploi ? », September 2025 "
                 "(TAXIPP microsimulation, IPP; Eval-Lab summary, 24 September 2025)")
COMITE_YEAR = 2023
"""The year of public funding the comité's phase 2 figures describe (hires of 2021-2023, followed 12-24 months)."""
COMITE_AVOIDED = PublishedCostRange(
    12_900, 15_300, "avoided costs and extra revenue per FTE-year after deadweight and displacement, phase 2, "
    "12 months after entry; start-up grant excluded", COMITE_SOURCE)
COMITE_NET = PublishedCostRange(
    11_300, 13_700, "net public cost per FTE-year (gross public cost minus avoided costs), phase 2; "
    "start-up grant excluded", COMITE_SOURCE)
COMITE_GROSS = PublishedCostRange(
    25_500, 28_500, "gross public cost per FTE-year: the comité's offsets plus its net cost (about 26,600), "
    "with Cour des comptes 2025 (about 28,000 per FTE in 2023) at the top", COMITE_SOURCE)
COMITE_NET_SHARE = PublishedCostRange(
    0.40, 0.52, "net public cost as a share of the gross public cost: the comité writes 40-50%; its own "
    "13,700 / 26,600 is 52%, so the check allows up to 52%", COMITE_SOURCE)
COMITE_PUBLISHED_NET_SHARE = PublishedCostRange(
    0.40, 0.50, "net public cost as a share of the gross public cost, as the comité words it", COMITE_SOURCE)
COMITE_BENEFITS_MONTHLY = PublishedCostRange(
    150, 250, "fall in RSA plus unemployment benefits per person per month after the counterfactual "
    "(the comité: about 200)", COMITE_SOURCE)

__all__ = ["COMITE_AVOIDED", "COMITE_BENEFITS_MONTHLY", "COMITE_GROSS", "COMITE_NET", "COMITE_NET_SHARE", "COMITE_PUBLISHED_NET_SHARE",
           "COMITE_SOURCE", "COMITE_YEAR", "PublishedCostRange"]
