"""Analyse once: stored results are reused exactly when nothing they depend on changed."""

from __future__ import annotations

import pickle
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tzeval
from conftest import read_table, write_table
from tzeval import analysis_store
from tzeval.analysis_store import AnalysisStore, code_fingerprint, is_presentation, territory_analysis

ALPHA, SEED = 0.05, 20170101
PIECES = ("territory_effect", "territory_checks", "territory_costs", "own_deadweight", "sdid_check",
          "territory_coverage")


def counted_store_calls(monkeypatch, *, cheap: bool) -> Counter:
    """Count each analysis territory_analysis computes; with ``cheap``, fake the two costly ones.

    The fakes return values that still depend on what their real counterpart depends on
    (the seed, the data through the estimate), so a stale value would show.
    """
    calls: Counter = Counter()

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    fakes = {
        "territory_costs": lambda data, result, *, seed, unit_costs: ("costs", result.estimate, seed),
        "sdid_check": lambda data, territory_id, *, alpha, seed: ("sdid", territory_id, alpha, seed),
    }
    for name in PIECES:
        real = getattr(analysis_store, name)
        monkeypatch.setattr(analysis_store, name, counting(name, fakes.get(name, real) if cheap else real))
    return calls


def _analyse(data, territory_id, store_root, **overrides):
    options = {"alpha": ALPHA, "seed": SEED, "store_root": store_root} | overrides
    return territory_analysis(data, territory_id, **options)


# --- The store itself ---------------------------------------------------------------------


def test_a_second_call_with_the_same_key_does_not_compute(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"estimate": np.float64(1.5), "frame": pd.DataFrame({"a": [1, 2]})}

    store = AnalysisStore(tmp_path / "analysis")
    first = store.get_or_compute("effect", {"alpha": 0.05, "seed": 1}, compute)
    # a new store on the same folder, keys given in another order: a later run
    second = AnalysisStore(tmp_path / "analysis").get_or_compute("effect", {"seed": 1, "alpha": 0.05}, compute)
    assert len(calls) == 1
    assert second["estimate"] == first["estimate"]
    pd.testing.assert_frame_equal(second["frame"], first["frame"])


def test_another_key_name_or_code_computes_again(tmp_path):
    calls = Counter()

    def compute(label):
        def run():
            calls[label] += 1
            return label
        return run

    store = AnalysisStore(tmp_path, code="code-1")
    for label, name, key in (("base", "effect", {"seed": 1}), ("seed", "effect", {"seed": 2}),
                             ("name", "checks", {"seed": 1})):
        assert store.get_or_compute(name, key, compute(label)) == label
    assert AnalysisStore(tmp_path, code="code-2").get_or_compute("effect", {"seed": 1}, compute("code")) == "code"
    assert calls == Counter({"base": 1, "seed": 1, "name": 1, "code": 1})


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncated", "other key"])
def test_a_damaged_entry_is_recomputed_and_replaced(tmp_path, damage):
    store = AnalysisStore(tmp_path)
    key = {"territory_id": "t1"}
    store.get_or_compute("effect", key, lambda: "stored")
    path = store.path_for("effect", key)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-5])
    elif damage == "other key":
        # a valid pickle, but of another key: a file copied or renamed by hand
        path.write_bytes(pickle.dumps({"key": "something else", "value": "wrong"}))
    else:
        path.write_bytes(damage)
    assert store.get_or_compute("effect", key, lambda: "recomputed") == "recomputed"
    assert store.get_or_compute("effect", key, lambda: "again") == "recomputed", "the repaired entry is reused"


def test_an_unwritable_store_still_gives_results(tmp_path):
    blocker = tmp_path / "analysis"
    blocker.write_text("a file where the store's folder should be")
    calls = []
    store = AnalysisStore(blocker)
    for _ in range(2):
        assert store.get_or_compute("effect", {}, lambda: calls.append(1) or "value") == "value"
    assert len(calls) == 2


def test_keys_refuse_what_has_no_stable_text_and_names_that_are_paths(tmp_path):
    store = AnalysisStore(tmp_path)
    with pytest.raises(TypeError, match="analysis key"):
        store.get_or_compute("effect", {"table": object()}, lambda: 1)
    with pytest.raises(ValueError, match="may not name a folder"):
        store.get_or_compute("../effect", {}, lambda: 1)
    assert not any(tmp_path.iterdir())


# --- The code fingerprint -------------------------------------------------------------------


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A copy of the tzeval package to edit, so the fingerprint is computed over real files."""
    target = tmp_path / "tzeval"
    shutil.copytree(analysis_store.PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.mark.parametrize("module", ["report/render.py", "report/templates/tzeval/index.html.j2",
                                   "report/static/report.css", "i18n.py", "i18n_coverage.py",
                                   "_cost_messages.py", "plots.py", "display.py", "findings.py"])
def test_rewording_a_report_keeps_the_code_fingerprint(package_copy, module):
    before = code_fingerprint(package_copy)
    with (package_copy / module).open("a", encoding="utf-8") as file:
        file.write("\n# reworded\n")
    assert code_fingerprint(package_copy) == before


@pytest.mark.parametrize("module", ["placebo_did.py", "territory_costs.py", "sdid/estimator.py",
                                    "costs/simulation.py", "coverage.py", "staggered/plots.py"])
def test_changing_an_estimator_changes_the_code_fingerprint(package_copy, module):
    before = code_fingerprint(package_copy)
    path = package_copy / module
    path.write_text(path.read_text(encoding="utf-8") + "\nN_DRAWS = 1\n", encoding="utf-8")
    assert code_fingerprint(package_copy) != before


def test_adding_or_removing_a_module_changes_the_code_fingerprint(package_copy):
    before = code_fingerprint(package_copy)
    (package_copy / "new_estimator.py").write_text("")
    added = code_fingerprint(package_copy)
    (package_copy / "new_estimator.py").unlink()
    (package_copy / "scale_gap.py").unlink()
    assert len({before, added, code_fingerprint(package_copy)}) == 3


def test_only_report_and_wording_modules_are_left_out():
    relative = [p.relative_to(analysis_store.PACKAGE_DIR).as_posix()
                for p in analysis_store.PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts]
    presentation = sorted(r for r in relative if is_presentation(r))
    assert {"plots.py", "display.py", "findings.py", "i18n.py", "_cost_messages.py"} <= set(presentation)
    assert all(r.startswith("report/") or "/" not in r for r in presentation), presentation
    assert "placebo_did.py" not in presentation and "analysis_store.py" not in presentation


# --- territory_analysis -------------------------------------------------------------------


def test_territory_analysis_equals_direct_computation_and_is_then_served_from_the_store(
        small_dataset_template, tmp_path, monkeypatch):
    data = tzeval.open_dataset(small_dataset_template, processed_root=tmp_path / "processed")
    territory_id = data.treated_ids[0]
    calls = counted_store_calls(monkeypatch, cheap=False)
    stored = territory_analysis(data, territory_id, alpha=ALPHA, seed=SEED, processed_root=tmp_path / "processed")
    assert calls == Counter(dict.fromkeys(PIECES, 1))
    assert len(list((tmp_path / "processed" / "analysis").glob("*/*.pickle"))) == len(PIECES)

    result = tzeval.territory_effect(data, territory_id, alpha=ALPHA, seed=SEED)
    checks = tzeval.territory_checks.territory_checks(result)
    costs = tzeval.territory_costs.territory_costs(data, result, seed=SEED)
    check = tzeval.robustness.sdid_check(data, territory_id, alpha=ALPHA, seed=SEED)
    coverage = tzeval.coverage.territory_coverage(data, territory_ids=[territory_id], alpha=ALPHA, seed=SEED)
    deadweight = tzeval.territory_costs.own_deadweight(data, result)

    calls.clear()
    again = territory_analysis(data, territory_id, alpha=ALPHA, seed=SEED, processed_root=tmp_path / "processed")
    assert calls == Counter(), "everything read back"
    for analysis in (stored, again):
        assert (analysis.result.estimate, analysis.result.conf_low, analysis.result.conf_high) == (
            result.estimate, result.conf_low, result.conf_high)
        pd.testing.assert_frame_equal(analysis.result.to_frame(), result.to_frame())
        pd.testing.assert_frame_equal(analysis.result.placebo_gaps, result.placebo_gaps)
        pd.testing.assert_frame_equal(analysis.checks.to_frame(), checks.to_frame())
        assert analysis.checks.warnings == checks.warnings
        pd.testing.assert_frame_equal(analysis.costs.frame, costs.frame)
        np.testing.assert_array_equal(analysis.costs.net_cost_draws, costs.net_cost_draws)
        pd.testing.assert_frame_equal(analysis.check.to_frame(), check.to_frame())
        pd.testing.assert_series_equal(analysis.check.unit_weights, check.unit_weights)
        pd.testing.assert_frame_equal(analysis.coverage.to_frame(), coverage.to_frame())
        assert analysis.deadweight == deadweight
        assert analysis.result.summary() == result.summary() and analysis.checks.summary() == checks.summary()


def test_changed_data_alpha_seed_or_unit_costs_recompute_what_depends_on_them(small_dataset, tmp_path, monkeypatch):
    calls = counted_store_calls(monkeypatch, cheap=True)
    store = tmp_path / "analysis"
    processed = tmp_path / "processed"
    data = tzeval.open_dataset(small_dataset, processed_root=processed)
    territory_id = data.treated_ids[0]
    first = _analyse(data, territory_id, store)
    assert calls == Counter(dict.fromkeys(PIECES, 1))

    calls.clear()
    assert _analyse(data, territory_id, store).result.estimate == first.result.estimate
    assert calls == Counter()

    for change in ({"alpha": 0.10}, {"seed": SEED + 1}):
        calls.clear()
        _analyse(data, territory_id, store, **change)
        assert calls == Counter(dict.fromkeys(PIECES, 1)), change

    # one more long-term job seeker in every post-habilitation period of the territory
    outcomes = read_table(small_dataset, "outcomes.csv")
    start = str(data.territory(territory_id)["first_period"])[:7]
    rows = (outcomes["territory_id"] == territory_id) & (outcomes["period"] >= start)
    counts = outcomes.loc[rows, "long_term_jobseekers"].astype(int)
    outcomes.loc[rows, "long_term_jobseekers"] = (counts + 1).astype(str)
    write_table(small_dataset, "outcomes.csv", outcomes)
    calls.clear()
    changed = _analyse(tzeval.open_dataset(small_dataset, processed_root=processed), territory_id, store)
    assert calls == Counter(dict.fromkeys(PIECES, 1))
    assert changed.result.estimate != first.result.estimate

    # a unit-cost table with other values changes only the costs
    table = tmp_path / "unit_costs.csv"
    shutil.copy(tzeval.costs.DEFAULT_UNIT_COSTS, table)
    calls.clear()
    _analyse(data, territory_id, store, unit_costs=table)
    assert calls == Counter(), "the shipped table under another name: same content, same results"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _analyse(data, territory_id, store, unit_costs=table)
    assert calls == Counter({"territory_costs": 1})


def test_allow_series_break_is_part_of_the_data_key(small_dataset, tmp_path, monkeypatch):
    calls = counted_store_calls(monkeypatch, cheap=True)
    data = tzeval.open_dataset(small_dataset, processed_root=tmp_path / "processed")
    _analyse(data, data.treated_ids[0], tmp_path / "analysis")
    _analyse(data, data.treated_ids[0], tmp_path / "analysis", allow_series_break=True)
    assert calls["territory_effect"] == 2


def test_a_changed_estimator_recomputes(small_dataset, tmp_path, monkeypatch):
    calls = counted_store_calls(monkeypatch, cheap=True)
    data = tzeval.open_dataset(small_dataset, processed_root=tmp_path / "processed")
    _analyse(data, data.treated_ids[0], tmp_path / "analysis")
    monkeypatch.setattr(analysis_store, "code_fingerprint", lambda: "an edited estimator")
    _analyse(data, data.treated_ids[0], tmp_path / "analysis")
    assert calls == Counter(dict.fromkeys(PIECES, 2))


# --- Reports --------------------------------------------------------------------------------


def _page(path: Path) -> str:
    """A report page without what differs between two renderings of the same notebook."""
    page = path.read_text(encoding="utf-8")
    # plotly names each chart's div with a fresh UUID; papermill's injected cell gets a fresh id
    page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", page)
    return re.sub(r'id="cell-id=[0-9a-f]+"', 'id="cell-id"', page)


@pytest.mark.slow
def test_a_second_report_run_reuses_the_stored_analyses_and_shows_the_same_page(tmp_path):
    from tzeval.paths import DEMO_DATA_DIR
    from tzeval.report.runner import build_reports

    territories = pd.read_csv(DEMO_DATA_DIR / "territories.csv", dtype=str)
    territory_id = territories.query("treated == '1'")["territory_id"].iloc[0]
    page = tmp_path / "territories" / f"{territory_id}.html"
    store = tmp_path / "processed" / "analysis"

    assert not build_reports(DEMO_DATA_DIR, tmp_path, territory_ids=[territory_id], progress=False).failed
    first_page = _page(page)
    entries = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in store.glob("*/*.pickle")}
    assert sorted({p.parent.name for p in entries}) == sorted(PIECES)

    assert not build_reports(DEMO_DATA_DIR, tmp_path, territory_ids=[territory_id], progress=False).failed
    assert _page(page) == first_page
    # an entry read back is not written again: same file, same modification time
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in store.glob("*/*.pickle")} == entries
