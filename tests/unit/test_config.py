"""One settings object: every setting read in `config`, the README's table and `--help` written
from the same list; the shipped files found in a checkout and in an installed wheel."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT, run_cli
from workbook_helpers import config


def test_readme_table_is_the_settings_list():
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"<!-- settings-table:[^>]*-->\n(.*?)\n<!-- /settings-table -->", readme, re.S)
    assert m, "the README lost its settings table markers"
    assert m.group(1).strip() == config.readme_table().strip()


def test_help_lists_every_setting():
    out = run_cli("--help").out
    for s in config.SETTINGS:
        assert s.env in out


def test_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(config.FACILITATOR_KEY_ENV, " k3y ")
    monkeypatch.setenv(config.PUBLIC_URL_ENV, "https://workshop.example/")
    monkeypatch.setenv(config.CHROMIUM_ENV, "/opt/chromium")
    monkeypatch.setenv(config.DEBUG_ENV, "1")
    s = config.settings()
    assert s.data_dir == tmp_path
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'workbook.db'}"
    assert (s.facilitator_key, s.public_url, s.chromium, s.debug) == (
        "k3y", "https://workshop.example", "/opt/chromium", True)
    monkeypatch.setenv(config.DATABASE_URL_ENV, "postgresql+psycopg://u@h/db")
    assert config.settings().database_url == "postgresql+psycopg://u@h/db"


def test_no_other_module_reads_workbook_settings():
    """WORKBOOK_* variables are read in config.py only."""
    allowed = {"config.py", "throwaway.py"}  # throwaway: the tests' own server URL
    pending: set[str] = set()
    src = ROOT / "src" / "workbook_helpers"
    readers = set()
    for f in src.rglob("*.py"):
        text = f.read_text()
        if re.search(r"os\.environ(\.get)?\s*[\[(]\s*[\"']WORKBOOK_|getenv\([\"']WORKBOOK_", text) \
                or re.search(r"os\.environ\.get\([A-Z_]+_ENV", text):
            readers.add(str(f.relative_to(src)))
    assert readers - pending - {p for p in readers if Path(p).name in allowed} == set()


def test_shipped_files_are_found_in_the_checkout():
    assert config.data_root() == ROOT
    assert config.resource("notebooks", "report.ipynb").exists()
    assert config.default_bank_path() == ROOT / "templates" / "question_bank.yaml"
