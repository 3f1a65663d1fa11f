"""The yearly demo: published the way INSEE and France Travail publish, from the monthly model, with an exact truth."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tzeval import demo, demo_yearly, load_dataset
from tzeval.paths import PROJECT_ROOT
from tzeval.placebo_did import min_placebos_for_bounded_interval
from tzeval.territory_effects import territory_effects

YEARLY_DIR = PROJECT_ROOT / "data" / "raw" / "demo-yearly"
COUNTS = ["long_term_jobseekers", "jobseekers_abc"]
WRITTEN = {"README.md", "dataset.json", "territories.csv", "outcomes.csv", "members.csv", "units_outcomes.csv",
           "programme.csv", "truth.csv"}


@pytest.fixture(scope="module")
def generated():
    return demo_yearly.generate_yearly()


@pytest.fixture(scope="module")
def data():
    return load_dataset(YEARLY_DIR)


def _raw(name: str, sep: str = ",") -> pd.DataFrame:
    return pd.read_csv(YEARLY_DIR / name, sep=sep, dtype=str, keep_default_na=False)


def _is_number(cells: pd.Series) -> pd.Series:
    return cells.str.fullmatch(r"\d+")


def test_committed_folder_is_a_regeneration(tmp_path):
    out = demo_yearly.main(tmp_path / "demo-yearly")
    assert {p.name for p in out.iterdir()} == WRITTEN
    assert {p.name for p in YEARLY_DIR.iterdir()} == WRITTEN
    for name in sorted(WRITTEN):
        committed = (YEARLY_DIR / name).read_bytes()
        assert committed == (out / name).read_bytes(), (
            f"{name} differs: run python -m tzeval demo --yearly --out data/raw/demo-yearly")


def test_same_seed_same_tables_other_seed_other_tables(generated):
    again = demo_yearly.generate_yearly()
    for name in ("territories.csv", "outcomes.csv", "units_outcomes.csv", "programme.csv", "truth.csv"):
        pd.testing.assert_frame_equal(generated[name], again[name])
    other = demo_yearly.generate_yearly(seed=1)
    assert not other["outcomes.csv"]["long_term_jobseekers"].equals(generated["outcomes.csv"]["long_term_jobseekers"])


def test_dataset_json_declares_the_yearly_rounded_form():
    metadata = json.loads((YEARLY_DIR / "dataset.json").read_text(encoding="utf-8"))
    assert metadata["synthetic"] is True and "synthetic" in metadata["description"].lower()
    assert metadata["seed"] == demo_yearly.DEFAULT_SEED
    assert (metadata["frequency"], metadata["programme_frequency"], metadata["rounding"]) == ("yearly", "yearly", 10)


def test_loads_as_yearly_data(data):
    assert data.is_synthetic
    assert (data.frequency, data.programme_frequency, data.rounding) == ("yearly", "yearly", 10)
    assert list(data.periods.year) == list(range(2012, 2025))
    assert 10 <= len(data.treated_ids) <= 15
    assert 80 <= len(data.comparison_ids) <= 120


def test_ids_are_insee_style_and_names_fictional(data):
    ids = data.territories.index.to_series()
    qpv = ids.str.fullmatch(r"QP0(\d\d|2[AB])0\d\d")
    commune = ids.str.fullmatch(r"(\d\d|2[AB])\d{3}")
    epci = ids.str.fullmatch(r"2000\d{5}")
    assert (qpv | commune | epci).all(), ids[~(qpv | commune | epci)].tolist()
    assert qpv.sum() >= 10 and commune.sum() >= 10
    assert ids.str.fullmatch(r"2[AB]0\d\d").any(), "at least one Corsican commune code"
    corsican = data.territories.loc[ids.str.startswith(("2A", "2B")), "department"]
    assert set(corsican) <= {"2A", "2B"}
    names = data.territories["name"]
    assert names.is_unique
    assert names.map(lambda name: any(root in name for root in demo.NAME_ROOTS)).all()


def test_suppressed_cells_are_few_small_and_listed(data, generated):
    outcomes = _raw("outcomes.csv")
    marked = pd.concat([outcomes.loc[~_is_number(outcomes[c]), ["territory_id", "period"]].assign(column=c)
                        for c in COUNTS])
    listed = data.suppressed.assign(period=data.suppressed["period"].dt.year.astype(str))
    from_outcomes = listed[listed["file"] == "outcomes.csv"]
    assert (set(map(tuple, from_outcomes[["territory_id", "period", "column"]].to_numpy()))
            == set(map(tuple, marked[["territory_id", "period", "column"]].to_numpy())))
    assert 5 <= len(listed) <= 10
    treated = listed["territory_id"].isin(data.treated_ids)
    assert listed.loc[treated, ["territory_id", "period"]].drop_duplicates().shape[0] == 1, "one treated year"
    assert 3 <= listed.loc[~treated, "territory_id"].nunique() <= 6, "a handful of comparison territories"
    # The treated cell comes from a withheld member unit; the comparison ones from outcomes.csv.
    assert set(listed.loc[treated, "file"]) == {"units_outcomes.csv"}
    units = _raw("units_outcomes.csv")
    forms = {cell.strip().lower() for table in (outcomes, units) for c in COUNTS for cell in table[c]
             if not cell.isdigit()}
    assert len(forms) >= 4 and "" in forms, forms


def test_a_count_is_withheld_exactly_when_it_is_small(generated):
    """The publisher's rule, checked against the model's unrounded December counts."""
    outcomes = _raw("outcomes.csv")
    model = generated["december_model"].assign(period=lambda f: f["period"].astype(str))
    merged = outcomes.merge(model, on=["territory_id", "period"], suffixes=("", "_model"))
    assert len(merged) == len(outcomes)
    for column in COUNTS:
        small = demo_yearly.round_half_up(merged[f"{column}_model"]) < 20
        withheld = ~_is_number(merged[column])
        assert (small == withheld).all()
    units = _raw("units_outcomes.csv")
    for column in COUNTS:
        shown = units[column][_is_number(units[column])].astype(int)
        assert (shown >= 20).all()


def test_published_counts_are_multiples_of_ten(data):
    for name in ("outcomes.csv", "units_outcomes.csv"):
        table = _raw(name)
        for column in COUNTS:
            shown = table[column][_is_number(table[column])].astype(int)
            assert len(shown) > 0.95 * len(table)
            assert (shown % 10 == 0).all(), f"{name} {column}"
    built = set(_raw("members.csv")["territory_id"])
    loaded = data.outcomes[~data.outcomes["territory_id"].isin(built)]
    for column in COUNTS:
        values = loaded[column].dropna()
        assert (values % 10 == 0).all()


def test_populations_known_at_census_years_only_and_flagged(data):
    outcomes = _raw("outcomes.csv")
    census = outcomes["period"].astype(int).isin(demo_yearly.CENSUS_YEARS)
    assert (outcomes.loc[census, "population_15_64"] != "").all()
    assert (outcomes.loc[~census, "population_15_64"] == "").all()
    loaded = data.outcomes.set_index(["territory_id", "period"])
    keys = pd.MultiIndex.from_arrays([outcomes["territory_id"], pd.to_datetime(outcomes["period"], format="%Y")])
    flags = loaded.loc[keys, "population_interpolated"].to_numpy()
    np.testing.assert_array_equal(flags, ~census.to_numpy())
    assert data.outcomes["population_15_64"].notna().all()


def test_two_territories_are_built_from_members(data, generated):
    members = _raw("members.csv")
    built = list(dict.fromkeys(members["territory_id"]))
    assert len(built) == 2 and set(built) <= set(data.treated_ids)
    assert not _raw("outcomes.csv")["territory_id"].isin(built).any()
    assert set(members["unit_kind"]) <= {"commune", "iris", "qpv", "zone_emploi"}
    assert (members["share"] == "0.5").any() and (members["share"] == "").any()
    ended = members[members["valid_to"] != ""]
    started = members[members["valid_from"] != ""]
    assert list(ended["valid_to"]) == ["2023"] and list(started["valid_from"]) == ["2024"]
    assert ended["unit_code"].iloc[0].startswith("QP") and started["unit_code"].iloc[0].startswith("QN")

    model = generated["december_model"]
    shares = members.assign(share=members["share"].replace("", "1").astype(float))
    for territory_id in built:
        loaded = data.outcomes[data.outcomes["territory_id"] == territory_id].set_index("period")
        assert len(loaded) == 13
        truth = model[model["territory_id"] == territory_id].set_index("period")
        own = shares[shares["territory_id"] == territory_id]
        for year in range(2012, 2024):
            active = own[(own["valid_from"] == "") | (own["valid_from"].replace("", "0").astype(int) <= year)]
            active = active[(active["valid_to"] == "") | (active["valid_to"].replace("", "9999").astype(int) >= year)]
            # Each unit is rounded to 10 on its own, so the sum is off by at most 5 per unit, share-weighted.
            tolerance = 5 * active["share"].sum() + 1e-9
            count = loaded.at[pd.Timestamp(f"{year}-01-01"), "long_term_jobseekers"]
            if np.isnan(count):
                continue
            assert abs(count - truth.at[year, "long_term_jobseekers"]) <= tolerance, (territory_id, year)


def test_the_2024_qpv_is_the_new_code_with_the_same_rate(data):
    members = _raw("members.csv")
    old = members.loc[members["valid_to"] == "2023", "unit_code"].iloc[0]
    new = members.loc[members["valid_from"] == "2024", "unit_code"].iloc[0]
    territory_id = members.loc[members["unit_code"] == new, "territory_id"].iloc[0]
    units = _raw("units_outcomes.csv").set_index(["unit_code", "period"])
    others = members[(members["territory_id"] == territory_id) & ~members["unit_code"].isin([old, new])]
    expected_2024 = float(units.loc[(new, "2024"), "long_term_jobseekers"])
    expected_2024 += sum(float(units.loc[(code, "2024"), "long_term_jobseekers"]) for code in others["unit_code"])
    loaded = data.outcomes.set_index(["territory_id", "period"])
    assert loaded.at[(territory_id, pd.Timestamp("2024-01-01")), "long_term_jobseekers"] == expected_2024
    expected_2023 = float(units.loc[(old, "2023"), "long_term_jobseekers"])
    expected_2023 += sum(float(units.loc[(code, "2023"), "long_term_jobseekers"]) for code in others["unit_code"])
    assert loaded.at[(territory_id, pd.Timestamp("2023-01-01")), "long_term_jobseekers"] == expected_2023
    # The redrawn contour holds more people at the same rate: within what rounding to 10 allows.
    for year in map(str, demo_yearly.CENSUS_YEARS):
        rates = []
        for code in (old, new):
            count, population = (float(units.loc[(code, year), c]) for c in ("long_term_jobseekers", "population_15_64"))
            rates.append((100 * count / population, 100 * 5 / population))
        assert float(units.loc[(new, year), "population_15_64"]) > float(units.loc[(old, year), "population_15_64"])
        assert abs(rates[0][0] - rates[1][0]) <= rates[0][1] + rates[1][1] + 1e-9


def test_programme_is_yearly_french_csv_from_the_monthly_table(data, generated):
    text = (YEARLY_DIR / "programme.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("territory_id;period;")
    assert any("," in line.split(";")[3] for line in text.splitlines()[1:]), "a decimal comma in ebe_fte"
    programme = data.programme
    first_year = data.territories["adoption_date"].dt.year
    for territory_id in data.treated_ids:
        rows = programme[programme["territory_id"] == territory_id]
        assert list(rows["period"].dt.year) == list(range(int(first_year[territory_id]), 2025))
    assert (programme["ebe_fte"] % 1 != 0).any()
    # The same stocks as the monthly model at 31 December, read back through the French format.
    written = generated["programme.csv"]
    np.testing.assert_allclose(programme.sort_values(["territory_id", "period"])["ebe_fte"].to_numpy(),
                               written.sort_values(["territory_id", "period"])["ebe_fte"].to_numpy())


def test_truth_is_the_mean_december_effect_from_the_first_treated_year(data):
    """With the same seed and no effect, December counts differ by exactly the truth."""
    with_effect = demo_yearly.generate_yearly()["december_model"]
    without = demo_yearly.generate_yearly(effect_scale=0.0)
    assert (without["truth.csv"]["true_effect"] == 0).all()
    merged = with_effect.merge(without["december_model"], on=["territory_id", "period"], suffixes=("", "_0"))
    merged["effect"] = 100 * (merged["long_term_jobseekers"] - merged["long_term_jobseekers_0"]) / merged["population_15_64"]
    first_year = data.territories["first_period"].dt.year
    merged["first_year"] = merged["territory_id"].map(first_year)
    post = merged[merged["first_year"].notna() & (merged["period"] >= merged["first_year"])]
    recomputed = post.groupby("territory_id")["effect"].mean()
    truth = data.truth.set_index("territory_id")["true_effect"]
    assert sorted(truth.index) == sorted(data.treated_ids)
    np.testing.assert_allclose(recomputed.loc[truth.index], truth, atol=1e-6)
    assert (merged.loc[merged["first_year"].isna(), "effect"] == 0).all()
    assert (truth <= 0).all() and (truth < -0.1).sum() >= 2


def test_estimates_recover_the_truth(data):
    effects = territory_effects(data).merge(data.truth, on="territory_id")
    assert (effects["status"] == "ok").all(), effects.loc[effects["status"] != "ok", "status"].tolist()
    # Comparison territories with a withheld year leave the pool; enough remain for bounded intervals.
    assert (effects["n_controls"] >= min_placebos_for_bounded_interval(0.05)).all()
    bounded = effects[np.isfinite(effects["conf_low"]) & np.isfinite(effects["conf_high"])]
    assert len(bounded) == len(effects)
    covered = (bounded["conf_low"] <= bounded["true_effect"]) & (bounded["true_effect"] <= bounded["conf_high"])
    assert covered.mean() >= 0.75
    # Standard error of the mean estimate if territories were independent (their shared
    # comparison mean averages about a hundred series, so its noise adds little): three
    # of them leave a false failure with chance about 0.3%.
    tolerance = 3 * np.sqrt((effects["std_error"] ** 2).sum()) / len(effects)
    assert abs(effects["estimate"].mean() - effects["true_effect"].mean()) <= tolerance
