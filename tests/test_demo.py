"""The demo generator: deterministic, shaped like the real rollout, with an exact truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tzeval import demo, load_dataset
from tzeval.paths import DEMO_DATA_DIR


@pytest.fixture(scope="module")
def generated():
    return demo.generate()


def test_committed_demo_data_is_the_generator_output(generated):
    for name, frame in [("territories.csv", generated.territories), ("outcomes.csv", generated.outcomes),
                        ("programme.csv", generated.programme), ("truth.csv", generated.truth)]:
        committed = (DEMO_DATA_DIR / name).read_text(encoding="utf-8")
        assert committed == frame.to_csv(index=False, lineterminator="\n"), f"{name} differs: run make demo-data"


def test_same_seed_same_data_other_seed_other_data(generated):
    again = demo.generate()
    pd.testing.assert_frame_equal(generated.outcomes, again.outcomes)
    other = demo.generate(seed=1)
    assert not generated.outcomes["long_term_jobseekers"].equals(other.outcomes["long_term_jobseekers"])


def test_rollout_mimics_the_experiment(generated):
    territories = generated.territories
    adoption = pd.to_datetime(territories.loc[territories["treated"] == 1, "adoption_date"])
    phase_one = adoption[adoption < "2018-01-01"]
    phase_two = adoption[adoption >= "2018-01-01"]
    assert len(phase_one) == 10 and phase_one.max() <= pd.Timestamp("2017-03-01")
    assert len(phase_two) == 75
    assert phase_two.min() >= pd.Timestamp("2021-11-01") and phase_two.max() <= pd.Timestamp("2024-06-01")
    assert (territories["treated"] == 0).sum() == 250
    assert set(territories["setting"]) == {"urban", "rural"}
    assert territories["population"].between(1500, 60000).all()
    assert 4000 < territories["population"].median() < 15000
    periods = generated.outcomes["period"]
    assert periods.min() == "2012-01" and periods.max() == "2024-12"


def test_headcounts_grow_at_the_published_pace(generated):
    programme = generated.programme
    national = programme.groupby("period")["ebe_headcount"].sum()
    # DOMAIN.md: 742 employees in June 2019 (IGAS), 2,183 in July 2023, 3,290 at end 2024.
    assert national["2019-06"] == pytest.approx(742, rel=0.25)
    assert national["2023-07"] == pytest.approx(2183, rel=0.25)
    assert national["2024-12"] == pytest.approx(3290, rel=0.25)


def test_truth_is_heterogeneous_with_some_effects_near_zero(generated):
    truth = generated.truth["true_effect"]
    assert len(truth) == 85 and (truth <= 0).all()
    assert (truth > -0.02).sum() >= 5
    assert truth.std() > 0.1


def test_truth_is_exactly_the_average_post_adoption_effect_on_the_rate(generated):
    """With the same seed, outcomes with and without effects differ by exactly the truth."""
    without = demo.generate(effect_scale=0.0)
    assert (without.truth["true_effect"] == 0).all()
    merged = generated.outcomes.merge(without.outcomes, on=["territory_id", "period"], suffixes=("", "_0"))
    merged["effect"] = 100 * (merged["long_term_jobseekers"] - merged["long_term_jobseekers_0"]) / merged["population_15_64"]
    adoption = generated.territories.set_index("territory_id")["adoption_date"]
    merged["adoption"] = merged["territory_id"].map(adoption)
    post = merged[(merged["adoption"] != "") & (merged["period"] >= merged["adoption"])]
    recomputed = post.groupby("territory_id")["effect"].mean()
    expected = generated.truth.set_index("territory_id")["true_effect"]
    np.testing.assert_allclose(recomputed.loc[expected.index], expected, atol=1e-6)
    untreated = merged[merged["adoption"] == ""]
    assert (untreated["effect"] == 0).all()


def test_names_are_plainly_fictional_and_ids_are_slugs(generated):
    names = generated.territories["name"]
    assert names.is_unique and generated.territories["territory_id"].is_unique
    assert generated.territories["territory_id"].str.fullmatch(r"[a-z0-9-]+").all()
    assert any(root in name for name in names for root in ("Démobourg", "Fauxmont", "Exempleville", "Testigny"))


def test_committed_demo_data_pass_the_contract():
    data = load_dataset(DEMO_DATA_DIR)
    assert data.is_synthetic
    assert len(data.treated_ids) == 85


def test_programme_counts_are_coherent(generated):
    programme = generated.programme
    by_territory = programme.groupby("territory_id")
    assert (by_territory["cumulative_hires"].diff().dropna() >= 0).all(), "cumulative hires never fall"
    assert (programme["cumulative_hires"] >= programme["ebe_headcount"]).all()
    assert (programme["volunteers"] == programme["cumulative_hires"] + programme["waiting_list"]).all()
    assert (programme["ebe_fte"] <= programme["ebe_headcount"]).all()
