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

**When the treated units look noisier** (``dispersion="adaptive"``). The imputation is
only as good as its assumption that the treated units' untreated noise follows the
comparison units' law. On the pre-treatment cells it can be checked: the ratio of the
treated units' dispersion to the imputed one (:func:`noise_dispersion_check`) should be
near 1. With ``dispersion="adaptive"`` the imputed treated noise is multiplied by

    ``scale = max(1, U)``,

where ``U`` is a one-sided upper confidence bound (level :data:`DISPERSION_LEVEL`, 95%)
of the pooled pre-treatment ratio ``R``. ``R`` (:func:`dispersion_bound`) is the
cell-by-cell ratio of the unbiased variances of the cohort's and of the comparison
units' outcome changes (the imputed one scaled by ``noise_variance`` as the intervals
are), averaged over every cohort's pre-treatment cells with weights proportional to the
cohort's size. One factor for all cohorts: a cohort's own ratio rests on as few as ten
units.

Why an upper bound, and why this one. Plugging in the point value ``R`` would make the
intervals too narrow whenever ``R`` happens to fall below the truth, which is half the
time; the floor at 1 keeps the assumed-equal interval as the narrowest ever given, so a
noisier-looking comparison group never narrows anything. ``U`` is the 95% quantile of a
bootstrap of ``R`` (:data:`DISPERSION_DRAWS` draws, fixed seed so that the same data
give the same interval) that resamples whole units with replacement, treated units within
their cohort and comparison units together. Resampling whole units keeps the
correlation of a unit's successive pre-treatment changes (persistent noise), and the
bootstrap makes no normality assumption: a chi-square bound with ``n_g - 1`` degrees of
freedom per cohort would ignore both the heavier tails of a mean of squared changes of
units whose noise differs (units of unequal size, or noise scaled only approximately by
``noise_variance``) and the extra information of several pre-treatment cells per unit,
so it would be too narrow in the first case and needlessly wide in the second. ``R``,
``U`` and the scale are recorded on the result (``dispersion_ratio``,
``dispersion_bound``, ``dispersion_scale``) and stated by ``summary()`` and in
``to_frame().attrs``. ``dispersion="assume_equal"`` keeps the plain Conley-Taber
imputation (scale 1), the published reference, and still records ``R`` and ``U``.

The bound cannot see what the pre-treatment cells do not show: noise that changes at
treatment, or noise shared by treated and comparison units (spatial correlation, e.g. a
département's shocks), which the within-cohort dispersion does not measure.
The price of the floor at 1 is paid when nothing is wrong: with equally dispersed
noise the bound is typically 1.1-1.2, so the intervals are a few per cent wider than
needed. Calibration off the demo model (benchmarks/CALIBRATION.md, pooled ATT off the demo
model): with treated units 1.5 times noisier the plain imputation covers the simple ATT
80% of the time and the adaptive one 94%; with equal noise, 95% and 97%.
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

DISPERSIONS = ("adaptive", "assume_equal")
DISPERSION_LEVEL = 0.95
"""One-sided level of the upper confidence bound of the dispersion ratio."""
DISPERSION_DRAWS = 1999
"""Bootstrap draws of the dispersion ratio."""
DISPERSION_SEED = 20261202
"""Seed of those draws: the same data always give the same bound."""


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


def sample_influence(result, noise_variance=None, scale: float = 1.0) -> np.ndarray:
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
    scale : float
        Factor on every cohort's imputed noise (1: the comparison units' law; see
        :func:`dispersion_bound` for the adaptive choice).

    Returns
    -------
    ndarray
        ``(m, n_cells)`` with ``m = n_never * (1 + n_cohorts)`` rows, scaled so that
        ``psi.T @ psi / m**2`` is the covariance of the ATT(g, t) given the treated units.
    """
    _check_supported(result)
    if not (np.isfinite(scale) and scale > 0):
        raise StaggeredInputError(f"scale must be positive and finite, got {scale!r}")
    n_units = result.influence.shape[0]
    cohorts = np.asarray(result.unit_cohorts)
    never = result.influence[cohorts == NEVER_TREATED]
    n_never = never.shape[0]
    factors = {cohort: factor * scale
               for cohort, factor in _imputation_factors(result, noise_variance).items()}
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


def _check_dispersion(dispersion) -> None:
    if dispersion not in DISPERSIONS:
        raise ValueError(f"dispersion must be one of {DISPERSIONS}, got {dispersion!r}")


def with_sample_inference(result, noise_variance=None, dispersion: str = "assume_equal"):
    """A copy of ``result`` whose intervals, band and pre-test are for the sample ATT.

    See the module docstring and :func:`sample_influence` for ``noise_variance``. The
    point estimates are unchanged.

    Parameters
    ----------
    dispersion : {"assume_equal", "adaptive"}
        ``"assume_equal"``: the treated units' noise follows the comparison units' law
        (scale 1). ``"adaptive"``: their imputed noise is scaled by ``max(1, U)``, ``U``
        the upper confidence bound of their pre-treatment dispersion ratio
        (:func:`dispersion_bound`). Either way the result records ``dispersion``,
        ``dispersion_ratio``, ``dispersion_bound`` and ``dispersion_scale``.
    """
    _check_dispersion(dispersion)
    _check_supported(result)
    ratio, bound = dispersion_bound(result, noise_variance)
    scale = 1.0
    if dispersion == "adaptive" and np.isfinite(bound):
        scale = max(1.0, bound)
    influence = sample_influence(result, noise_variance, scale=scale)
    sample = copy.copy(result)
    sample.influence = influence
    sample.estimand = "sample"
    sample.population_result = result
    sample.noise_variance = noise_variance
    sample.dispersion = dispersion
    sample.dispersion_ratio = ratio
    sample.dispersion_bound = bound
    sample.dispersion_scale = scale
    sample.inference = infer(
        result.estimate, influence, result.bootstrap, result.inference.se_type, result.alpha,
        column_blocks=cohort_blocks(result.groups),
    )
    pre = result.times < result.groups - result.design.anticipation
    sample.pretest = wald_pretest(result.estimate, influence, pre=pre)
    return sample


def _pre_cells(result, noise_variance):
    """Per cohort: its units' and the comparison units' influence on its pre-treatment
    cells, and the imputation factor (cells where the comparison units do not vary are
    left out)."""
    cohorts = np.asarray(result.unit_cohorts)
    never = result.influence[cohorts == NEVER_TREATED]
    factors = _imputation_factors(result, noise_variance)
    pre = result.times < result.groups - result.design.anticipation
    parts = []
    for cohort, factor in factors.items():
        columns = np.flatnonzero((result.groups == cohort) & pre)
        columns = columns[np.einsum("ij,ij->j", never[:, columns], never[:, columns]) > 0]
        parts.append((cohort, result.influence[cohorts == cohort][:, columns], columns, factor))
    return never, parts


def dispersion_bound(result, noise_variance=None, level: float = DISPERSION_LEVEL,
                     n_draws: int = DISPERSION_DRAWS) -> tuple[float, float]:
    """Pooled pre-treatment dispersion ratio ``R`` and its upper confidence bound ``U``.

    ``R``: over every cohort's pre-treatment cells, the unbiased variance of the
    cohort's outcome changes divided by the imputed one (the comparison units' unbiased
    variance times the ``noise_variance`` factor of :func:`sample_influence`), averaged
    with weights proportional to the cohort's size. ``U``: the ``level`` quantile of
    ``n_draws`` bootstrap values of ``R`` resampling whole units, treated units within
    their cohort, comparison units together (see the module docstring). Both NaN when no
    cohort has a pre-treatment cell or a cohort with such cells has a single unit.

    Returns
    -------
    tuple of float
        ``(R, U)``.
    """
    if getattr(result, "estimand", "population") == "sample":
        noise_variance = result.noise_variance
        result = result.population_result
    _check_supported(result)
    never, parts = _pre_cells(result, noise_variance)
    parts = [part for part in parts if len(part[2]) and part[1].shape[0] > 1]
    if not parts:
        return float("nan"), float("nan")
    n_never = never.shape[0]
    all_columns = np.concatenate([columns for _, _, columns, _ in parts])
    never_cells = never[:, all_columns]
    rng = np.random.default_rng(DISPERSION_SEED)

    def ratio(never_weights, member_weights):
        """Pooled ratio for multinomial resampling weights (a row per draw)."""
        sums = never_weights @ never_cells
        squares = never_weights @ never_cells**2
        never_var = (squares - sums**2 / n_never) / (n_never - 1)
        numerator = 0.0
        total = 0.0
        start = 0
        for (_, members, columns, factor), weights in zip(parts, member_weights):
            n_g = members.shape[0]
            own = ((weights @ members**2) - (weights @ members) ** 2 / n_g) / (n_g - 1)
            # factor = rel_g / n_g; influence functions are n / n_g and n / n_never times
            # the centred outcome changes, so this is own / imputed = S2_g / (rel_g S2_never).
            imputed = factor * n_never**2 / n_g * never_var[:, start:start + len(columns)]
            start += len(columns)
            with np.errstate(divide="ignore", invalid="ignore"):
                cell_ratio = own / imputed
            numerator = numerator + n_g * np.nansum(cell_ratio, axis=-1)
            total += n_g * len(columns)
        return numerator / total

    observed = float(ratio(np.ones((1, n_never)), [np.ones((1, members.shape[0]))
                                                   for _, members, _, _ in parts])[0])
    def counts(n):
        """How many times each of ``n`` units is drawn, ``n`` draws with replacement per row."""
        picks = rng.integers(0, n, size=(n_draws, n)) + n * np.arange(n_draws)[:, None]
        return np.bincount(picks.ravel(), minlength=n_draws * n).reshape(n_draws, n).astype(float)

    never_draws = counts(n_never)
    member_draws = [counts(members.shape[0]) for _, members, _, _ in parts]
    draws = ratio(never_draws, member_draws)
    bound = float(np.quantile(draws[np.isfinite(draws)], level))
    return observed, bound


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
