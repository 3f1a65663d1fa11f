"""Coverage of need: ratios, months to full coverage and its edge cases, national scale."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tzeval
from tzeval import coverage
from tzeval.coverage import (
    STATUS_COVERED,
    STATUS_NO_NEED,
    STATUS_NO_PROGRESS,
    STATUS_OPEN_ENDED,
    STATUS_PROJECTED,
    STATUS_TOO_FEW_MONTHS,
    STATUSES,
    CoverageInputError,
    coverage_from_frames,
    national_from_frames,
    project_coverage,
)


# --- project_coverage: hand-computed cases ---------------------------------------------------

def test_constant_pace_gives_exact_months_with_both_methods():
    hires = [0, 2, 4, 6, 8, 10, 12]  # two hires a month
    for method in ("bootstrap", "regression"):
        result = project_coverage(hires, 30, method=method)
        assert result.status == STATUS_PROJECTED
        assert result.remaining == 18
        assert result.pace == pytest.approx(2.0)
        assert result.pace_low == pytest.approx(2.0) and result.pace_high == pytest.approx(2.0)
        assert result.months == pytest.approx(9.0)
        assert result.months_low == pytest.approx(9.0) and result.months_high == pytest.approx(9.0)


def test_regression_pace_and_interval_match_a_hand_calculation():
    # t = 0..4, y = 0,1,3,3,6: slope 14/10 = 1.4; fitted -0.2, 1.2, 2.6, 4.0, 5.4; residual SS 1.6,
    # s^2 = 1.6/3, se = sqrt(s^2/10); t(0.975, 3) = 3.182446 -> half-width 0.734955.
    result = project_coverage([0, 1, 3, 3, 6], 20, method="regression", alpha=0.05)
    half = 3.182446 * math.sqrt(1.6 / 3 / 10)
    assert result.pace == pytest.approx(1.4)
    assert result.pace_low == pytest.approx(1.4 - half, abs=1e-5)
    assert result.pace_high == pytest.approx(1.4 + half, abs=1e-5)
    assert result.months == pytest.approx(14 / 1.4)
    assert result.months_low == pytest.approx(14 / (1.4 + half), abs=1e-4)
    assert result.months_high == pytest.approx(14 / (1.4 - half), abs=1e-3)
    assert result.status == STATUS_PROJECTED


def test_bootstrap_pace_is_the_mean_increment_and_its_interval_is_reproducible():
    hires = np.cumsum([0, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3])  # increments alternate 1 and 3
    first = project_coverage(hires, 100, seed=1)
    again = project_coverage(hires, 100, seed=1)
    assert first.pace == pytest.approx(2.0)
    assert 1.0 <= first.pace_low < 2.0 < first.pace_high <= 3.0
    assert (first.pace_low, first.pace_high) == (again.pace_low, again.pace_high)
    assert first.months == pytest.approx((100 - hires[-1]) / 2.0)


def test_only_the_last_window_months_set_the_pace():
    hires = [0, 10, 20, 30, 31, 32, 33]  # fast start, then one hire a month
    result = project_coverage(hires, 43, window=3, method="regression")
    assert result.n_months == 3
    assert result.pace == pytest.approx(1.0)
    assert result.months == pytest.approx(10.0)


def test_already_covered_is_explicit_and_needs_no_pace():
    result = project_coverage([8, 10, 12], 10)
    assert result.status == STATUS_COVERED
    assert result.months == 0 and result.months_low == 0 and result.months_high == 0
    assert result.remaining == 0


def test_zero_pace_is_no_progress_not_a_silent_infinity():
    result = project_coverage([5, 5, 5, 5, 5], 10)
    assert result.status == STATUS_NO_PROGRESS
    assert result.pace == 0
    assert math.isinf(result.months)


def test_falling_cumulative_hires_count_as_no_progress():
    result = project_coverage([6, 5, 5, 4], 10, method="regression")
    assert result.status == STATUS_NO_PROGRESS
    assert result.pace < 0


def test_pace_interval_reaching_zero_makes_the_upper_bound_open_ended():
    hires = np.cumsum([0] * 12 + [6])  # a single batch of hires in 12 months
    result = project_coverage(hires, 50, seed=3)
    assert result.status == STATUS_OPEN_ENDED
    assert result.pace == pytest.approx(0.5)
    assert result.pace_low == 0
    assert result.months == pytest.approx(88.0)
    assert math.isinf(result.months_high) and np.isfinite(result.months_low)


def test_too_few_months_and_missing_need_are_reported():
    assert project_coverage([0, 1], 10, min_months=3).status == STATUS_TOO_FEW_MONTHS
    assert math.isnan(project_coverage([0, 1], 10, min_months=3).months)
    for need in (None, float("nan"), 0):
        assert project_coverage([0, 1, 2, 3], need).status == STATUS_NO_NEED


def test_bad_arguments_are_refused():
    with pytest.raises(CoverageInputError, match="choose one of"):
        project_coverage([0, 1, 2], 10, method="ols")
    with pytest.raises(CoverageInputError, match="alpha"):
        project_coverage([0, 1, 2], 10, alpha=1.5)


# --- Tables ----------------------------------------------------------------------------------

def _programme(territory_id: str, start: str, hires: list[int], volunteers: list[int], headcount=None) -> pd.DataFrame:
    periods = pd.date_range(start, periods=len(hires), freq="MS")
    headcount = headcount if headcount is not None else hires
    return pd.DataFrame({
        "territory_id": territory_id, "period": periods, "ebe_headcount": headcount,
        "ebe_fte": [0.8 * h for h in headcount], "cumulative_hires": hires, "volunteers": volunteers,
        "waiting_list": [v - h for v, h in zip(volunteers, hires)],
    })


@pytest.fixture
def hand_tables():
    territories = pd.DataFrame(
        {"name": ["Alpha", "Beta", "Gamma"], "potential_beneficiaries": [40, 10, 20],
         "adoption_date": pd.to_datetime(["2024-01-01", "2024-01-01", None]), "treated": [True, True, False]},
        index=pd.Index(["alpha", "beta", "gamma"], name="territory_id"),
    )
    programme = pd.concat([
        _programme("alpha", "2024-01", [0, 2, 4, 6, 8, 10, 12], [0, 5, 10, 12, 16, 20, 24], [0, 2, 4, 6, 7, 9, 10]),
        _programme("beta", "2024-03", [6, 8, 10, 11, 12], [12, 12, 12, 12, 12]),
    ], ignore_index=True)
    return territories, programme


def test_coverage_ratios_by_hand(hand_tables):
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression")
    series = result.to_frame("series").set_index(["territory_id", "period"])
    july = series.loc[("alpha", pd.Timestamp("2024-07-01"))]
    assert july["hires_per_volunteer"] == pytest.approx(12 / 24)
    assert july["hires_per_potential"] == pytest.approx(12 / 40)
    assert july["headcount_per_potential"] == pytest.approx(10 / 40)
    assert math.isnan(series.loc[("alpha", pd.Timestamp("2024-01-01")), "hires_per_volunteer"])  # 0 volunteers
    assert (series.loc["alpha", "potential_beneficiaries"] == 40).all()


def test_projection_table_by_hand(hand_tables):
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression", horizon="2025-12")
    frame = result.to_frame().set_index("territory_id")
    assert list(frame.index) == ["alpha", "beta"]  # gamma has no programme rows
    alpha = frame.loc["alpha"]
    assert alpha["status"] == STATUS_PROJECTED
    assert alpha["pace"] == pytest.approx(2.0) and alpha["months"] == pytest.approx(14.0)
    assert alpha["coverage_month"] == pd.Timestamp("2025-09-01")  # July 2024 + 14 months
    assert bool(alpha["within_horizon"]) is True
    beta = frame.loc["beta"]
    assert beta["status"] == STATUS_COVERED and beta["months"] == 0
    assert beta["hires_per_potential"] == pytest.approx(12 / 10)
    assert bool(beta["within_horizon"]) is True
    assert set(result.status_counts().index) == set(STATUSES)


def test_projection_beyond_the_horizon_is_flagged(hand_tables):
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression", horizon="2025-06")
    assert bool(result.to_frame().set_index("territory_id").loc["alpha", "within_horizon"]) is False


def test_gaps_in_programme_months_are_refused(hand_tables):
    territories, programme = hand_tables
    with pytest.raises(CoverageInputError, match="not consecutive"):
        coverage_from_frames(territories, programme.drop(index=3))


def test_territory_sentences_cover_each_status(hand_tables):
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression")
    assert "14" in result.territory_sentence("alpha", "en")
    assert "covered" in result.territory_sentence("beta", "en")
    assert "couvert" in result.territory_sentence("beta")


def test_national_series_by_hand(hand_tables):
    territories, programme = hand_tables
    periods = pd.date_range("2023-12-01", "2024-07-01", freq="MS")
    outcomes = pd.DataFrame([(t, p, 100 if t == "alpha" else 50) for t in ("alpha", "beta", "gamma") for p in periods],
                            columns=["territory_id", "period", "long_term_jobseekers"])
    national = national_from_frames(territories, programme, outcomes).to_frame().set_index("period")
    assert national.index[0] == pd.Timestamp("2024-01-01")  # from the first habilitation
    march = national.loc[pd.Timestamp("2024-03-01")]
    assert march["n_habilitated"] == 2 and march["n_reporting"] == 2  # beta reports from March
    assert march["ebe_headcount"] == 4 + 6
    assert march["long_term_jobseekers"] == 150  # gamma (never habilitated) left out
    assert march["potential_beneficiaries"] == 50
    assert march["employees_per_long_term_jobseeker"] == pytest.approx(10 / 150)
    feb = national.loc[pd.Timestamp("2024-02-01")]
    assert feb["n_reporting"] == 1 and feb["ebe_headcount"] == 2


# --- Demo data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    return tzeval.open_dataset()


def test_demo_coverage_matches_the_raw_counts(demo):
    result = coverage.territory_coverage(demo)
    frame = result.to_frame().set_index("territory_id")
    assert set(frame.index) == set(demo.treated_ids)
    assert set(frame["status"]) <= set(STATUSES)
    territory_id = demo.treated_ids[0]
    last = demo.programme_for(territory_id).iloc[-1]
    need = demo.territory(territory_id)["potential_beneficiaries"]
    assert frame.loc[territory_id, "hires_per_potential"] == pytest.approx(float(last["cumulative_hires"]) / need)
    # Every missing or infinite month count is explained by its status.
    projected = frame["status"].isin([STATUS_PROJECTED, STATUS_OPEN_ENDED, STATUS_COVERED])
    assert np.isfinite(frame.loc[projected, "months"]).all()
    assert np.isinf(frame.loc[frame["status"] == STATUS_NO_PROGRESS, "months"]).all()
    assert np.isinf(frame.loc[frame["status"] == STATUS_OPEN_ENDED, "months_high"]).all()
    covered = frame["hires_per_potential"] >= 1
    assert (frame.loc[covered, "status"] == STATUS_COVERED).all()


def test_demo_national_series_and_figures_are_localised(demo):
    result = coverage.territory_coverage(demo)
    national = coverage.national_coverage(demo)
    last = national.to_frame().iloc[-1]
    assert last["n_habilitated"] == len(demo.treated_ids)
    assert last["ebe_headcount"] == demo.programme.groupby("territory_id").tail(1)["ebe_headcount"].sum()
    assert "salariés" in national.summary()
    assert "Coverage of need" in result.plot(lang="en").layout.title.text
    assert "Exhaustivité" in result.plot().layout.title.text
    assert result.plot("months").data and national.plot().data
    assert "Volontaires" in [trace.name for trace in result.plot("series", territory_id=demo.treated_ids[0]).data]
    with pytest.raises(CoverageInputError):
        result.plot("series")


def test_status_counts_agree_with_their_verbs(hand_tables):
    """One territory covered, one progressing: singular verbs, and no clause for a zero count."""
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression")
    french = " ".join(result.findings("fr"))
    assert "1 territoire a déjà embauché" in french and "1 progresse." in french
    assert "n'ont" not in french and "0 " not in french.split("progresse")[0].split("embauché")[-1]
    english = " ".join(result.findings("en"))
    assert "1 territory has already hired" in english and "1 is progressing." in english


def test_hires_agree_with_their_number_in_territory_sentences(hand_tables):
    """« 0,5 embauche par mois » but « 12 embauches »; "1 hire" but "12 hires"."""
    from tzeval import i18n

    assert i18n.text_count("cov_hires", 0.5, "fr", decimals=1) == "0,5 embauche"
    assert i18n.text_count("cov_hires", 2.0, "fr", decimals=1) == "2,0 embauches"
    assert i18n.text_count("cov_hires", 1, "en") == "1 hire" and i18n.text_count("cov_hires", 0, "en") == "0 hires"
    territories, programme = hand_tables
    result = coverage_from_frames(territories, programme, method="regression")
    french = result.territory_sentence("alpha", "fr")
    assert "12 embauches pour 40 personnes" in french and "2,0 embauches par mois" in french
    assert "12 hires for 40 people" in result.territory_sentence("alpha", "en")
    assert "12 hires in all for 10 people" in result.territory_sentence("beta", "en")
