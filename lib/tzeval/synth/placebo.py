"""Placebo-in-space inference (Abadie, Diamond & Hainmueller 2010, section 4.3).

Treatment is reassigned to each donor in turn and the same specification is fitted with
the other donors as its pool. The actually treated unit is left out of the placebo pools
by default, because its post-treatment outcomes carry the effect; ``include_treated``
puts it back, as in the paper's text. The test statistic is the ratio of post- to
pre-treatment RMSPE; the p-value is the treated unit's rank among all ratios,
``(1 + #{placebo ratio >= treated ratio}) / (1 + #placebos)``. Placebos whose
pre-treatment MSPE exceeds ``mspe_ratio`` times the treated unit's can be left out, as in
the paper's figures (20, 5 and 2 times).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dataprep import SynthPanel
from .errors import SyntheticControlInputError
from .fitting import SearchSettings, UnitFit, fit_unit


@dataclass(frozen=True)
class PlaceboRuns:
    """Every placebo fit.

    Attributes
    ----------
    table : DataFrame
        One row per placebo unit: ``unit, pre_rmspe, post_rmspe, rmspe_ratio``.
    gaps : DataFrame
        Placebo gaps, one column per placebo unit, indexed by period.
    """

    table: pd.DataFrame
    gaps: pd.DataFrame


def run_placebos(
    panel: SynthPanel, settings: SearchSettings, include_treated: bool = False
) -> PlaceboRuns:
    """Fit the specification with each donor as the treated unit.

    Parameters
    ----------
    panel : SynthPanel
        Row 0 is the treated unit, the other rows the donors.
    settings : SearchSettings
        The V search used for the treated unit, so every unit gets the same effort.
    include_treated : bool
        Put the treated unit in every placebo's donor pool.
    """
    n_units = len(panel.units)
    fits: list[UnitFit] = []
    for placebo in range(1, n_units):
        pool = [u for u in range(0 if include_treated else 1, n_units) if u != placebo]
        fits.append(fit_unit(panel, placebo, pool, settings))
    post = panel.post
    table = pd.DataFrame(
        {
            "unit": [panel.units[f.treated] for f in fits],
            "pre_rmspe": [f.rmspe(panel.pre) for f in fits],
            "post_rmspe": [f.rmspe(post) for f in fits],
        }
    )
    table["rmspe_ratio"] = table["post_rmspe"] / table["pre_rmspe"]
    gaps = pd.DataFrame(
        np.column_stack([f.gaps for f in fits]),
        index=pd.Index(panel.periods, name="period"),
        columns=pd.Index(table["unit"].tolist(), name="unit"),
    )
    return PlaceboRuns(table, gaps)


def placebo_p_value(
    treated_ratio: float,
    treated_pre_rmspe: float,
    placebos: pd.DataFrame,
    mspe_ratio: float | None = None,
) -> tuple[float, np.ndarray]:
    """Permutation p-value of the treated unit's post/pre RMSPE ratio.

    Parameters
    ----------
    treated_ratio, treated_pre_rmspe : float
        The treated unit's statistic and pre-treatment RMSPE.
    placebos : DataFrame
        ``PlaceboRuns.table``.
    mspe_ratio : float, optional
        Keep only placebos whose pre-treatment MSPE is at most this multiple of the
        treated unit's (ADH use 20, 5 and 2). ``None`` keeps them all.

    Returns
    -------
    p_value : float
    kept : ndarray of bool
        Which placebos entered the comparison.
    """
    pre = placebos["pre_rmspe"].to_numpy()
    if mspe_ratio is None:
        kept = np.ones(pre.shape[0], dtype=bool)
    else:
        if not mspe_ratio > 0:
            raise SyntheticControlInputError(
                f"drop_placebos_mspe_ratio must be positive, got {mspe_ratio!r}."
            )
        kept = pre**2 <= mspe_ratio * treated_pre_rmspe**2
    ratios = placebos["rmspe_ratio"].to_numpy()[kept]
    # Ratios equal up to rounding count as ties, which can only raise the p-value.
    at_least = np.sum(ratios >= treated_ratio * (1 - 1e-12))
    return float((1 + at_least) / (1 + kept.sum())), kept
