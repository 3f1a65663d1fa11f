"""Published reference values and specifications, shared by the tests and the benchmarks.

One place for the numbers tzeval is validated against, each with its source, so that the
tests (``tests/test_*.py``), ``benchmarks/validation.py`` and ``benchmarks/bench_peers.py``
cannot drift apart. The data sets themselves are in ``tests/data`` (see its README).
"""

from __future__ import annotations

# --- R did on mpdta (README and the "did basics" vignette), printed to 4 decimals --------

MPDTA_COLUMNS = {"yname": "lemp", "tname": "year", "idname": "countyreal", "gname": "first.treat"}
R_ATT_GT = {
    2004: [-0.0105, -0.0704, -0.1373, -0.1008],
    2006: [0.0065, -0.0028, -0.0046, -0.0412],
    2007: [0.0305, -0.0027, -0.0311, -0.0261],
}
R_DYNAMIC = {-3: 0.0305, -2: -0.0006, -1: -0.0245, 0: -0.0199, 1: -0.0510, 2: -0.1373, 3: -0.1008}
R_GROUP = {2004: -0.0797, 2006: -0.0229, 2007: -0.0261}
R_ROUNDING = 6e-5
"""Half a unit of R's fourth printed decimal, plus float slack."""

# --- R synthdid on Prop 99 (Arkhangelsky et al. 2021, Table 1 for the standard errors) ----

PROP99_ESTIMATES = {"sdid": -15.6038, "sc": -19.6197, "did": -27.3491}
PROP99_PLACEBO_SE = {"sdid": 8.4, "sc": 9.9, "did": 17.7}

# --- Abadie, Diamond & Hainmueller (2010) Prop 99 specification (R Synth) ---------------

PROP99_SPEC = dict(
    predictors=["lnincome", "age15to24", "retprice"],
    predictor_periods=range(1980, 1989),
    special_predictors=[
        ("beer", range(1984, 1989), "mean"),
        ("cigsale", 1975, "mean"),
        ("cigsale", 1980, "mean"),
        ("cigsale", 1988, "mean"),
    ],
    fit_periods=range(1970, 1989),
)
PROP99_PUBLISHED_WEIGHTS = {
    "Utah": 0.334, "Nevada": 0.234, "Montana": 0.199, "Colorado": 0.164, "Connecticut": 0.069,
}

# --- Abadie & Gardeazabal (2003) Basque Country specification (R Synth) -----------------

BASQUE = "Basque Country (Pais Vasco)"
BASQUE_SECTORS = [
    "sec.agriculture", "sec.energy", "sec.industry", "sec.construction",
    "sec.services.venta", "sec.services.nonventa",
]
BASQUE_SPEC = dict(
    predictors=["school.illit", "school.prim", "school.med", "school.high", "school.post.high", "invest"],
    predictor_periods=range(1964, 1970),
    special_predictors=[("gdpcap", range(1960, 1970), "mean")]
    + [(sector, range(1961, 1970, 2), "mean") for sector in BASQUE_SECTORS]
    + [("popdens", 1969, "mean")],
    fit_periods=range(1960, 1970),
)
BASQUE_PUBLISHED_WEIGHTS = {"Cataluna": 0.8508, "Madrid (Comunidad De)": 0.1492}
