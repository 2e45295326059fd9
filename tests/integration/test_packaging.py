"""Packaging: conda and pip declare the same dependencies; importing the package stays cheap."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from tests.conftest import ROOT

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"psycopg[binary]": "psycopg"}


def _name_spec(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", req)
    assert m, req
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_name_spec(r) for r in project["dependencies"])
    pip_deps = {CONDA_NAMES.get(k, k): v for k, v in pip_deps.items()}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep != "pip" and not dep.startswith("python="):
            name, spec = _name_spec(dep)
            conda[name] = spec
    assert conda == pip_deps
    python = next(d for d in env["dependencies"] if isinstance(d, str) and
                  d.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e .[test]" in pip_section


def test_import_is_cheap():
    code = ("import sys, workbook_helpers; "
            "heavy = [m for m in ('pandas', 'altair', 'ipywidgets', 'sqlalchemy', 'numpy', "
            "'nbformat', 'jsonschema') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"import workbook_helpers pulled in: {out}"


def test_console_script_and_module_entry_points():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["workbook"] == "workbook_helpers.cli:main"
    out = subprocess.run([sys.executable, "-m", "workbook_helpers", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert "workbook" in out and project["version"] in out


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make app" in readme
    assert re.search(r"^make test$", ci, re.M)
