"""The command line's table options, its validate summary, demo --yearly and where reports put the cache.

Fast: no notebook runs. Where ``build_reports`` would start notebooks, the process pool
is replaced by one that runs a fake job in this process.
"""

from __future__ import annotations

import json
import shutil
import sys
import types
from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import pytest

from conftest import read_table, write_table
from tzeval import cli
from tzeval.costs import DEFAULT_UNIT_COSTS
from tzeval.paths import PROCESSED_DIR
from tzeval.report import runner
from tzeval.scale_gap import PUBLIC_DIR

BROKEN_UNIT_COST_ROW = 3
BROKEN_PROGRAMME_ROW = 2


@pytest.fixture
def broken_unit_costs(tmp_path) -> Path:
    """A copy of the shipped unit-cost table with a word where data row 3 needs a number."""
    table = pd.read_csv(DEFAULT_UNIT_COSTS, dtype=str, keep_default_na=False)
    table.loc[BROKEN_UNIT_COST_ROW - 1, "central"] = "abc"
    path = tmp_path / "my_unit_costs.csv"
    table.to_csv(path, index=False, lineterminator="\n")
    return path


@pytest.fixture
def broken_public_dir(tmp_path) -> Path:
    """A copy of the shipped public folder whose programmes.csv has a malformed year on data row 2."""
    folder = tmp_path / "public"
    shutil.copytree(PUBLIC_DIR, folder)
    table = read_table(folder, "programmes.csv")
    assert table.loc[BROKEN_PROGRAMME_ROW - 1, "year"] != "", "the row must be a numeric figure with a year"
    table.loc[BROKEN_PROGRAMME_ROW - 1, "year"] = "20x4"
    write_table(folder, "programmes.csv", table)
    return folder


class _InlineExecutor:
    """Stands in for the process pool: runs each job at once, in this process, with no initializer."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        future = Future()
        future.set_result(fn(*args))
        return future


def _refuse_notebooks(monkeypatch) -> None:
    def no_pool(*args, **kwargs):
        raise AssertionError("a notebook was about to run")

    monkeypatch.setattr(runner, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(runner, "run_job", no_pool)


# validate


def test_validate_names_the_broken_unit_cost_cell(small_dataset, broken_unit_costs, tmp_path, capsys):
    report = tmp_path / "problems.csv"
    status = cli.main(["validate", "--data-dir", str(small_dataset), "--unit-costs", str(broken_unit_costs),
                       "--report", str(report)])
    err = capsys.readouterr().err
    assert status == 2
    assert (f"my_unit_costs.csv, row {BROKEN_UNIT_COST_ROW} (line {BROKEN_UNIT_COST_ROW + 1}), "
            "column 'central': value 'abc'") in err
    problems = pd.read_csv(report, dtype=str)
    assert ((problems["file"] == "my_unit_costs.csv") & (problems["row"] == str(BROKEN_UNIT_COST_ROW))
            & (problems["column"] == "central")).any()


def test_validate_names_the_broken_programme_cell(small_dataset, broken_public_dir, capsys):
    status = cli.main(["validate", "--data-dir", str(small_dataset), "--public-dir", str(broken_public_dir)])
    err = capsys.readouterr().err
    assert status == 2
    assert (f"programmes.csv, row {BROKEN_PROGRAMME_ROW} (line {BROKEN_PROGRAMME_ROW + 1}), "
            "column 'year': value '20x4'") in err


def test_validate_lists_problems_of_every_file_in_one_run(small_dataset, broken_unit_costs, broken_public_dir,
                                                           capsys):
    outcomes = read_table(small_dataset, "outcomes.csv")
    outcomes.loc[7, "long_term_jobseekers"] = "-3"
    write_table(small_dataset, "outcomes.csv", outcomes)
    status = cli.main(["validate", "--data-dir", str(small_dataset), "--unit-costs", str(broken_unit_costs),
                       "--public-dir", str(broken_public_dir)])
    err = capsys.readouterr().err
    assert status == 2
    assert "outcomes.csv, row 8 (line 9), column 'long_term_jobseekers'" in err
    assert "my_unit_costs.csv, row 3" in err and "programmes.csv, row 2" in err
    assert "Traceback" not in err


def _make_yearly(folder: Path) -> dict:
    """Rewrite a monthly data folder as yearly stocks (the December values), rounded to 10, with gaps."""
    for name in ("outcomes.csv", "programme.csv"):
        table = read_table(folder, name)
        table = table[table["period"].str.endswith("-12")].copy()
        table["period"] = table["period"].str[:4]
        write_table(folder, name, table.reset_index(drop=True))
    outcomes = read_table(folder, "outcomes.csv")
    territories = read_table(folder, "territories.csv")
    comparison = territories.loc[territories["treated"] == "0", "territory_id"].iloc[0]
    rows = outcomes.index[outcomes["territory_id"] == comparison]
    outcomes.loc[rows[4], "long_term_jobseekers"] = "s"  # one suppressed cell
    outcomes.loc[rows[[1, 2, 3]], "population_15_64"] = ""  # three non-census years
    write_table(folder, "outcomes.csv", outcomes)
    metadata = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    metadata.pop("periods", None)
    metadata.update(frequency="yearly", rounding=10)
    (folder / "dataset.json").write_text(json.dumps(metadata), encoding="utf-8")
    return {"treated": territories.loc[territories["treated"] == "1", "territory_id"].tolist()}


def test_validate_speaks_in_the_data_frequency(small_dataset, capsys):
    facts = _make_yearly(small_dataset)
    status = cli.main(["validate", "--data-dir", str(small_dataset)])
    out = capsys.readouterr().out
    assert status == 0
    assert "valid. 3 treated and 40 comparison territories, 13 years (2012 to 2024)" in out
    assert "months" not in out
    assert "outcomes yearly (declared in dataset.json)" in out and "counts rounded to 10" in out
    assert "1 suppressed cell," in out and "3 interpolated populations" in out
    treated_line = out[out.index("treated:"):].split("\n/")[0]
    assert all(territory_id in treated_line for territory_id in facts["treated"])
    assert f"{DEFAULT_UNIT_COSTS}: valid unit-cost table" in out


@pytest.mark.skipif(not (cli.YEARLY_DEMO_DATA_DIR / "outcomes.csv").is_file(),
                    reason="data/raw/demo-yearly not written yet")
def test_validate_summarises_the_yearly_demo_in_years(capsys):
    assert cli.main(["validate", "--data-dir", str(cli.YEARLY_DEMO_DATA_DIR)]) == 0
    out = capsys.readouterr().out
    assert " years (" in out and "months" not in out and "outcomes yearly" in out


def test_validate_says_monthly_data_are_monthly_by_default(small_dataset, capsys):
    assert cli.main(["validate", "--data-dir", str(small_dataset)]) == 0
    out = capsys.readouterr().out
    assert "156 months (2012-01 to 2024-12)" in out and "outcomes monthly (the default" in out
    assert "0 suppressed cells, 0 interpolated populations" in out and "no rounding declared" in out


def test_the_unknown_territory_error_points_to_a_command_that_lists_them(small_dataset, tmp_path, capsys,
                                                                           monkeypatch):
    _refuse_notebooks(monkeypatch)
    status = cli.main(["reports", "--data-dir", str(small_dataset), "--out", str(tmp_path / "out"),
                       "--territory", "nowhere", "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    command = err[err.index("python -m tzeval validate"):].split(" lists them")[0].split()
    assert cli.main(command[3:]) == 0
    treated = set(read_table(small_dataset, "territories.csv").query("treated == '1'")["territory_id"])
    out = capsys.readouterr().out
    assert all(territory_id in out[out.index("treated:"):] for territory_id in treated)


# reports


@pytest.mark.parametrize("option", ["--unit-costs", "--public-dir"])
def test_reports_with_a_broken_table_stop_before_any_notebook(option, small_dataset, broken_unit_costs,
                                                               broken_public_dir, tmp_path, capsys, monkeypatch):
    _refuse_notebooks(monkeypatch)
    out = tmp_path / "out"
    broken = broken_unit_costs if option == "--unit-costs" else broken_public_dir
    status = cli.main(["reports", "--data-dir", str(small_dataset), "--out", str(out), option, str(broken),
                       "--quiet"])
    err = capsys.readouterr().err
    assert status == 2
    assert ("my_unit_costs.csv, row 3 (line 4), column 'central'" if option == "--unit-costs"
            else "programmes.csv, row 2 (line 3), column 'year'") in err
    assert "Traceback" not in err
    assert not (out / "notebooks").exists() and not (out / "results").exists()


def test_plan_jobs_passes_the_folders_and_tables_to_every_notebook(small_dataset, tmp_path):
    from tzeval import load_dataset

    data = load_dataset(small_dataset)
    out = tmp_path / "out"
    costs = tmp_path / "costs.csv"
    jobs = runner.plan_jobs(data, data.treated_ids, out, lang="fr", alpha=0.05, seed=1,
                            allow_series_break=False, self_contained=False, processed_dir=out / "processed",
                            unit_costs=costs, public_dir=tmp_path / "public")
    assert {job.name for job in jobs} == {"summary", "scale_gap", *data.treated_ids}
    for job in jobs:
        assert job.parameters["processed_dir"] == str((out / "processed").resolve())
        assert job.parameters["unit_costs"] == str(costs.resolve())
        assert job.parameters["public_dir"] == str((tmp_path / "public").resolve())
        assert all(isinstance(job.parameters[name], str) for name in ("processed_dir", "unit_costs", "public_dir"))
    # Without them the notebooks keep their own defaults.
    bare = runner.plan_jobs(data, data.treated_ids, out, lang="fr", alpha=0.05, seed=1,
                            allow_series_break=False, self_contained=False)
    assert not {"processed_dir", "unit_costs", "public_dir"} & set(bare[0].parameters)


def test_build_reports_keeps_the_cache_under_out_processed(small_dataset, tmp_path, monkeypatch):
    # Were the runner to fall back on the default cache folder, it would land here instead.
    elsewhere = tmp_path / "default-cache"
    monkeypatch.setenv("TZEVAL_PROCESSED_DIR", str(elsewhere))
    before = set(PROCESSED_DIR.iterdir()) if PROCESSED_DIR.is_dir() else set()
    planned = []

    def fake_run_job(job):
        planned.append(job)
        return runner.ReportOutcome(job.name, job.html_path, ok=True, seconds=0.0)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", _InlineExecutor)
    monkeypatch.setattr(runner, "run_job", fake_run_job)
    out = tmp_path / "out"
    summary = runner.build_reports(small_dataset, out, progress=False, unit_costs=DEFAULT_UNIT_COSTS,
                                   public_dir=PUBLIC_DIR)

    assert not summary.failed and summary.cost_error is None
    manifests = list((out / "processed").glob("*/manifest.json"))
    assert len(manifests) == 1
    assert json.loads(manifests[0].read_text())["data_dir"] == str(small_dataset.resolve())
    assert not elsewhere.exists()
    after = set(PROCESSED_DIR.iterdir()) if PROCESSED_DIR.is_dir() else set()
    assert after == before, f"new folders in {PROCESSED_DIR}: {sorted(after - before)}"
    assert {job.parameters["processed_dir"] for job in planned} == {str((out / "processed").resolve())}
    assert {job.parameters["unit_costs"] for job in planned} == {str(DEFAULT_UNIT_COSTS.resolve())}


def test_cost_offsets_read_the_given_unit_cost_table(small_dataset, tmp_path):
    from tzeval import load_dataset

    table = pd.read_csv(DEFAULT_UNIT_COSTS, dtype=str, keep_default_na=False)
    smic = table["parameter"] == "smic_hourly_gross"
    table = table[~smic | (table["valid_from"] < "2019")]
    own = tmp_path / "my_unit_costs.csv"
    table.to_csv(own, index=False, lineterminator="\n")
    path = tmp_path / "results" / "cost_offsets.csv"
    error = runner.write_cost_offsets(load_dataset(small_dataset), path, seed=1, unit_costs=own)
    assert error is not None and "my_unit_costs.csv" in error and "smic_hourly_gross" in error
    assert not path.exists()


def test_cost_offsets_without_any_employment_are_the_header_alone(small_dataset, tmp_path):
    from tzeval import load_dataset
    from tzeval.costs.result import RESULTS_COLUMNS

    programme = read_table(small_dataset, "programme.csv")
    write_table(small_dataset, "programme.csv", programme.iloc[:0])
    path = tmp_path / "results" / "cost_offsets.csv"
    path.parent.mkdir()
    path.write_text("stale,table\n1,2\n")
    assert runner.write_cost_offsets(load_dataset(small_dataset), path, seed=1) is None
    written = pd.read_csv(path)
    assert written.empty and list(written.columns) == list(RESULTS_COLUMNS)


def test_reports_pass_the_shipped_tables_by_default(monkeypatch):
    seen = {}

    def fake_build_reports(data_dir, out_dir, **kwargs):
        seen.update(kwargs)
        raise runner.ReportRequestError("stop here")

    monkeypatch.setattr(runner, "build_reports", fake_build_reports)
    assert cli.main(["reports", "--quiet"]) == 2
    assert seen["unit_costs"] == DEFAULT_UNIT_COSTS and seen["public_dir"] == PUBLIC_DIR


# demo --yearly and help


def _fake_yearly_module(monkeypatch) -> list:
    calls = []
    module = types.ModuleType("tzeval.demo_yearly")

    def main(out, **kwargs):
        calls.append((Path(out), kwargs))
        return Path(out)

    module.main = main
    monkeypatch.setitem(sys.modules, "tzeval.demo_yearly", module)
    import tzeval

    monkeypatch.setattr(tzeval, "demo_yearly", module, raising=False)
    return calls


def test_demo_yearly_calls_the_yearly_generator(tmp_path, monkeypatch, capsys):
    calls = _fake_yearly_module(monkeypatch)
    assert cli.main(["demo", "--yearly", "--out", str(tmp_path / "y"), "--seed", "5"]) == 0
    assert calls == [(tmp_path / "y", {"seed": 5})]
    assert str(tmp_path / "y") in capsys.readouterr().out


def test_demo_yearly_defaults_to_its_folder_and_its_own_seed(monkeypatch):
    calls = _fake_yearly_module(monkeypatch)
    monkeypatch.setattr(cli.demo, "main", lambda *a, **k: pytest.fail("the monthly generator ran"))
    assert cli.main(["demo", "--yearly"]) == 0
    assert calls == [(cli.YEARLY_DEMO_DATA_DIR, {})]
    assert cli.YEARLY_DEMO_DATA_DIR.parts[-3:] == ("data", "raw", "demo-yearly")


@pytest.mark.parametrize("command", ["reports", "validate"])
def test_help_gives_the_table_options_and_their_defaults(command, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines anywhere
    assert "--unit-costs FILE unit-cost table" in out and f"(default: {DEFAULT_UNIT_COSTS})" in out
    assert "--public-dir DIR folder holding programmes.csv" in out and f"(default: {PUBLIC_DIR})" in out
    assert "(default: None)" not in out
