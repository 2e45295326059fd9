"""`workbook report` over several engagements, one of them broken."""

from __future__ import annotations

import html
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


@pytest.mark.slow
def test_reports_per_round_sit_side_by_side(tmp_path: Path) -> None:
    from workbook_helpers.store import Store

    data = tmp_path / "data"
    env = {"WORKBOOK_DATA_DIR": str(data), "COLUMNS": "200"}
    seed_demo_in(data)
    out = tmp_path / "reports"
    latest = run_cli_process("report", "demo", "--out", str(out), "--format", "html,xlsx",
                             env=env)
    assert latest.code == 0, latest.err
    base = run_cli_process("report", "demo", "--round", "baseline", "--out", str(out),
                           "--format", "html", env=env)
    assert base.code == 0, base.err
    missing = run_cli_process("report", "demo", "--round", "no-such-round", "--out", str(out),
                              "--format", "html", env=env)
    assert missing.code == 1 and "no round 'no-such-round'" in missing.err
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".ipynb")) == [
        "demo.baseline.html", "demo.html", "demo.xlsx"]
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    rounds = [r.id for r in store.rounds("demo")]
    actions = store.actions("demo")
    store.close()
    page = html.unescape((out / "demo.html").read_text(encoding="utf-8"))
    early = html.unescape((out / "demo.baseline.html").read_text(encoding="utf-8"))
    # the latest round's report shows how things moved and the plan with every action
    assert "How things moved since the baseline" in page and "Action plan" in page
    assert all(a.text in page for a in actions)
    assert rounds[-1] in page
    # the baseline's report has no trend and only the actions recorded by then
    assert "How things moved" not in early and "Action plan" in early
    for a in actions:
        assert (a.text in early) == (a.round == "baseline")
