"""`workbook report` over several engagements, one of them broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli_process, seed_demo_in
from tests.report_support import seed_store


@pytest.mark.slow
def test_batch_writes_the_others_keeps_the_failed_notebook_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed_store(data).close()
    out = tmp_path / "reports"
    res = run_cli_process("report", "demo", "broken", "fresh", "--out", str(out),
                          "--format", "html,xlsx", "--jobs", "2",
                          env={"WORKBOOK_DATA_DIR": str(data), "COLUMNS": "200"})
    assert res.code == 1, res.err
    # the good ones are written
    for eng in ("demo", "fresh"):
        assert (out / f"{eng}.html").stat().st_size > 10_000
        assert load_workbook(out / f"{eng}.xlsx").sheetnames[0] == "Summary"
    assert "Not enough answers yet" in (out / "fresh.html").read_text(encoding="utf-8")
    # the broken one is named, has no report, and its executed notebook is kept
    assert not (out / "broken.html").exists() and not (out / "broken.xlsx").exists()
    kept = out / "broken.failed.ipynb"
    nb = json.loads(kept.read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "ReportDataError"
    assert "broken" in res.err and "FAILED" in res.err and "outside its scale" in res.err
    assert "1 of 3 report(s) failed" in res.err
    # nothing but the reports and the kept notebook is left behind
    assert sorted(p.name for p in out.iterdir()) == [
        "broken.failed.ipynb", "demo.html", "demo.xlsx", "fresh.html", "fresh.xlsx"]


def test_bad_format_and_bad_id_are_bad_input(tmp_path: Path) -> None:
    env = {"WORKBOOK_DATA_DIR": str(tmp_path / "data")}
    res = run_cli_process("report", "demo", "--format", "docx", "--out", str(tmp_path), env=env)
    assert res.code == 2 and "docx" in res.err
    res = run_cli_process("report", "../etc", "--out", str(tmp_path), env=env)
    assert res.code == 2 and "not a valid engagement id" in res.err
    assert not any(tmp_path.glob("*.html"))


def test_a_report_of_a_missing_round_is_refused(tmp_path: Path) -> None:
    """(The rounds' reports side by side: tests/integration/test_outputs_unchanged.py.)"""
    data = tmp_path / "data"
    env = {"WORKBOOK_DATA_DIR": str(data), "COLUMNS": "200"}
    seed_demo_in(data)
    out = tmp_path / "reports"
    missing = run_cli_process("report", "demo", "--round", "no-such-round", "--out", str(out),
                              "--format", "html", env=env)
    assert missing.code == 1 and "no round 'no-such-round'" in missing.err
    assert not out.exists() or not any(out.glob("*.html"))
