"""Inference on the average effect in *these* treated units (the sample ATT).

R ``did``'s standard errors target the population ATT: treated units are a sample from a
super-population, so the spread of their individual effects counts as uncertainty. An
evaluator of a fixed set of territories usually wants the effect in those territories.
Given them, the estimator's error is only the noise in their outcomes (and in the
comparison units'); the dispersion of their effects is not an error at all. With
heterogeneous effects the population interval is then too wide for that question, and with
only ten or so units in a cohort its variance is estimated from those few units, so it can
also be too narrow for the population question.

Here the noise of the treated units is imputed from the never-treated units, in the
spirit of Conley & Taber (2011): for the cells of cohort ``g``, the covariance of the mean
noise of its ``n_g`` units is the covariance of the comparison units' outcome changes over
those cells, divided by ``n_g``. This needs the treated units' untreated outcome changes to
be as dispersed as the comparison units' (checked on pre-treatment cells by
:func:`noise_dispersion_check`), and no covariates (with covariates the comparison units'
influence functions are no longer their outcome changes).

The result is expressed as *pseudo influence functions*: the never-treated units' own rows
plus, for each cohort, one scaled copy of their rows restricted to that cohort's cells.
Their cross-product has the covariance above, so the analytical standard errors, the
multiplier bootstrap and its sup-t band, the Wald pre-test and the aggregations all work
unchanged; the aggregations then weight cohorts by their observed sizes, with no term for
estimating the weights (the sizes are known, not sampled).
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from .bootstrap import cohort_blocks
from .errors import StaggeredInputError
from .inference import infer
from .panel import NEVER_TREATED
from .pretest import wald_pretest


def _check_supported(result) -> None:
    design = result.design
    if design.covariates:
        raise StaggeredInputError(
            "the sample-ATT inference imputes the treated units' noise from the comparison "
            "units' outcome changes, which needs an estimation without covariates; got "
            f"covariates {list(design.covariates)}. Use the population inference (the "
            "default) with covariates."
        )
    if design.control_group != "nevertreated":
        raise StaggeredInputError(
            "the sample-ATT inference needs control_group='nevertreated' (with not-yet-treated "
            "comparisons the same unit is comparison in some cells and treated in others); "
            f"got {design.control_group!r}"
        )
    if result.estimand != "population":
        raise StaggeredInputError("this result already carries the sample-ATT inference")
    n_never = int(np.sum(result.unit_cohorts == NEVER_TREATED))
    if n_never < 2:
        raise StaggeredInputError(
            f"the sample-ATT inference needs at least 2 never-treated units, found {n_never}"
        )


def _relative_noise(result, noise_variance) -> np.ndarray:
    """Each unit's relative noise variance, in ``unit_ids`` order (ones when not given)."""
    n_units = len(result.unit_ids)
    if noise_variance is None:
        return np.ones(n_units)
    if isinstance(noise_variance, pd.Series):
        missing = pd.Index(result.unit_ids).difference(noise_variance.index)
        if len(missing):
            raise StaggeredInputError(
                f"noise_variance has no value for {len(missing)} unit(s), e.g. {list(missing[:3])}"
            )
        values = noise_variance.reindex(result.unit_ids).to_numpy(dtype=float)
    else:
        values = np.asarray(noise_variance, dtype=float)
        if values.shape != (n_units,):
            raise StaggeredInputError(
                f"noise_variance must have one value per unit ({n_units}), got shape {values.shape}"
            )
    if not np.all(np.isfinite(values) & (values > 0)):
        raise StaggeredInputError("noise_variance must be positive and finite for every unit")
    return values


def _imputation_factors(result, noise_variance) -> dict:
    """Per cohort, the factor on the comparison units' covariance: E(v_g) / E(v_never) / n_g."""
    cohorts = np.asarray(result.unit_cohorts)
    relative = _relative_noise(result, noise_variance)
    never_mean = relative[cohorts == NEVER_TREATED].mean()
    return {
        cohort: relative[cohorts == cohort].mean() / never_mean / np.sum(cohorts == cohort)
        for cohort in np.unique(result.groups)
    }


def sample_influence(result, noise_variance=None) -> np.ndarray:
    """Pseudo influence functions whose cross-product is the sample-ATT covariance.

    Parameters
    ----------
    result : GroupTimeATT
        Population-inference result of :func:`~tzeval.staggered.att_gt` (no covariates,
        never-treated comparisons).
    noise_variance : Series (indexed by unit id) or array (``unit_ids`` order), optional
        Relative variance of each unit's outcome noise, e.g. ``1 / population`` for a
        rate (Ferman & Pinto 2019). The imputed noise of cohort ``g`` is then scaled by
        the mean of its units' values over the never-treated units' mean. Default: equal.

    Returns
    -------
    ndarray
        ``(m, n_cells)`` with ``m = n_never * (1 + n_cohorts)`` rows, scaled so that
        ``psi.T @ psi / m**2`` is the covariance of the ATT(g, t) given the treated units.
    """
    _check_supported(result)
    n_units = result.influence.shape[0]
    cohorts = np.asarray(result.unit_cohorts)
    never = result.influence[cohorts == NEVER_TREATED]
    n_never = never.shape[0]
    factors = _imputation_factors(result, noise_variance)
    n_rows = n_never * (1 + len(factors))
    rows = [never]
    for cohort, factor in factors.items():
        columns = result.groups == cohort
        imputed = np.zeros_like(never)
        # A comparison unit's influence on a cell is -(n / n_never) times its centred
        # outcome change, so this copy carries factor * Cov(outcome change).
        imputed[:, columns] = never[:, columns] * np.sqrt(n_never * factor)
        rows.append(imputed)
    return np.vstack(rows) * (n_rows / n_units)


def with_sample_inference(result, noise_variance=None):
    """A copy of ``result`` whose intervals, band and pre-test are for the sample ATT.

    See the module docstring and :func:`sample_influence` for ``noise_variance``. The
    point estimates are unchanged.
    """
    influence = sample_influence(result, noise_variance)
    sample = copy.copy(result)
    sample.influence = influence
    sample.estimand = "sample"
    sample.population_result = result
    sample.noise_variance = noise_variance
    sample.inference = infer(
        result.estimate, influence, result.bootstrap, result.inference.se_type, result.alpha,
        column_blocks=cohort_blocks(result.groups),
    )
    pre = result.times < result.groups - result.design.anticipation
    sample.pretest = wald_pretest(result.estimate, influence, pre=pre)
    return sample


def noise_dispersion_check(result, noise_variance=None) -> pd.DataFrame:
    """Treated units' pre-treatment dispersion against what the imputation assumes.

    For each cohort, the variance of its mean outcome change over its pre-treatment cells
    as measured on its own units (population influence functions), divided by the variance
    imputed from the comparison units (with ``noise_variance`` as in
    :func:`sample_influence`); averaged over the cohort's pre-treatment cells. Ratios near
    1 support the imputation; well above 1 means the treated units are noisier than
    assumed and the sample-ATT intervals too narrow.

    Returns
    -------
    DataFrame
        ``group``, ``n_units``, ``n_pre_cells``, ``dispersion_ratio`` (NaN without
        pre-treatment cells).
    """
    if result.estimand == "sample":
        noise_variance = result.noise_variance
        result = result.population_result
    _check_supported(result)
    cohorts = np.asarray(result.unit_cohorts)
    never = result.influence[cohorts == NEVER_TREATED]
    n_never = never.shape[0]
    factors = _imputation_factors(result, noise_variance)
    pre = result.times < result.groups - result.design.anticipation
    rows = []
    for cohort, factor in factors.items():
        columns = np.flatnonzero((result.groups == cohort) & pre)
        members = result.influence[cohorts == cohort]
        own = np.einsum("ij,ij->j", members[:, columns], members[:, columns])
        imputed = n_never * factor * np.einsum("ij,ij->j", never[:, columns], never[:, columns])
        usable = imputed > 0
        ratio = float(np.mean(own[usable] / imputed[usable])) if usable.any() else np.nan
        rows.append({"group": cohort, "n_units": members.shape[0], "n_pre_cells": int(usable.sum()),
                     "dispersion_ratio": ratio})
    return pd.DataFrame(rows)
