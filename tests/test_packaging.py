"""Set-up files agree with each other, and notebooks stay paired and output-free in git."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_environment_yml_installs_the_project_from_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    minimum = re.search(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)
    dependencies = environment["dependencies"]
    assert f"python>={minimum}" in dependencies, "python version differs from requires-python"
    assert "pip" in dependencies
    pip_section = next(d["pip"] for d in dependencies if isinstance(d, dict))
    assert pip_section == ["-e .[dev]"], "environment.yml must install the project with pip, nothing else"
    # Listing packages in environment.yml too would let the two lists drift apart.
    conda_packages = [d for d in dependencies if isinstance(d, str)]
    assert sorted(conda_packages) == sorted([f"python>={minimum}", "pip"])


def test_core_and_dev_dependencies_are_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    assert {"jupyterlab", "pandas", "numpy", "scipy", "statsmodels", "plotly", "papermill", "nbval"} <= names
    dev = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["optional-dependencies"]["dev"]}
    assert "pytest" in dev


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make reports" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_match_their_py_percent_twin(path):
    twin = path.with_suffix(".py")
    assert twin.is_file(), f"{path.name} has no py:percent twin"
    from_ipynb = [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]
    from_py = [(c.cell_type, c.source.strip()) for c in jupytext.read(twin).cells]
    assert from_ipynb == from_py, "run make sync-notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_have_one_parameters_cell(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("data_dir", "alpha", "seed", "lang"):
        assert re.search(rf"^{name} = ", tagged[0].source, re.M)


def test_a_normal_install_ships_the_inputs_and_notebooks():
    """Every file tzeval reads from the workbook is declared in [tool.setuptools.data-files]."""
    import glob

    from tzeval.paths import PROJECT_ROOT

    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = set()
    for target, patterns in declared.items():
        assert target.startswith("share/tzeval/")
        for pattern in patterns:
            matches = glob.glob(str(PROJECT_ROOT / pattern))
            assert matches, f"{pattern} matches no file"
            shipped |= {str(Path(m).relative_to(PROJECT_ROOT)) for m in matches}
            # each file lands at the same relative place under share/tzeval
            assert all(str(Path(m).relative_to(PROJECT_ROOT).parent) == target.removeprefix("share/tzeval/")
                       for m in matches), pattern
    needed = ["data/raw/unit_costs.csv", "data/raw/public/programmes.csv", "data/raw/demo/outcomes.csv",
              "data/raw/demo-yearly/members.csv", "notebooks/territory_report.ipynb", "notebooks/summary.ipynb",
              "notebooks/scale_gap.ipynb"]
    assert set(needed) <= shipped


def test_workbook_root_order(tmp_path, monkeypatch):
    from tzeval import config

    monkeypatch.delenv(config.HOME_VARIABLE, raising=False)
    assert config.workbook_root() == config._checkout_root()
    installed = tmp_path / "prefix"
    monkeypatch.setattr(config, "_checkout_root", lambda: tmp_path / "site-packages")  # no data/raw there
    monkeypatch.setattr(sys, "prefix", str(installed))
    assert config.workbook_root() == installed / "share" / "tzeval"
    assert not config.is_checkout(installed / "share" / "tzeval")
    monkeypatch.setenv(config.HOME_VARIABLE, str(tmp_path / "mine"))
    assert config.workbook_root() == (tmp_path / "mine").resolve()
