"""The redesign of issue 20 changed no output: the demo's score, report, Excel and deck text.

The reference (`tests/data/outputs/demo.json`) was written by `tests/outputs_capture.py` from
the commit before the re-layout (746d7f2). A change that means to alter an output rewrites the
reference with that script and says so in its commit.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.outputs_capture import REFERENCE, REPORTS, capture


def _first_difference(before: Any, after: Any, where: str = "") -> str | None:
    """Where two captures first differ, as a path into the JSON and both values."""
    if type(before) is not type(after):
        return f"{where}: {before!r} became {after!r}"
    if isinstance(before, dict):
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                return f"{where}/{key}: only {'after' if key in after else 'before'}"
            found = _first_difference(before[key], after[key], f"{where}/{key}")
            if found:
                return found
        return None
    if isinstance(before, list):
        for index, (old, new) in enumerate(zip(before, after, strict=False)):
            found = _first_difference(old, new, f"{where}[{index}]")
            if found:
                return found
        if len(before) != len(after):
            return f"{where}: {len(before)} items became {len(after)}"
        return None
    return None if before == after else f"{where}: {before!r} became {after!r}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outputs")


@pytest.fixture(scope="module")
def outputs(workdir: Path) -> dict[str, Any]:
    workbook = str(Path(sys.executable).with_name("workbook"))
    return capture(workdir, workbook)


@pytest.mark.parametrize("part", ["score", "score_baseline", "report_html",
                                  "report_html_de_baseline", "excel", "deck"])
def test_output_is_unchanged(outputs: dict[str, Any], part: str) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert reference[part], f"the reference holds no {part}"
    assert _first_difference(reference[part], outputs[part], part) is None


def test_a_changed_output_is_found() -> None:
    before = {"deck": [["Verdict", "Conditional fit"]], "score": {"verdict": "fit"}}
    after = {"deck": [["Verdict", "Fit"]], "score": {"verdict": "fit"}}
    assert _first_difference(before, after) == "/deck[0][1]: 'Conditional fit' became 'Fit'"
    assert _first_difference(before, before) is None


def test_reports_per_round_sit_side_by_side(outputs: dict[str, Any], workdir: Path) -> None:
    """The latest round's report (English) and the baseline's (German), written one after the
    other into one folder by `capture`: each keeps its own name and shows its own round."""
    from workbook_helpers.store import Store

    out = workdir / REPORTS
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".ipynb")) == [
        "demo.baseline.html", "demo.html", "demo.pptx", "demo.xlsx"]
    store = Store.open(f"sqlite:///{workdir / 'data' / 'workbook.db'}")
    try:
        rounds = [r.id for r in store.rounds("demo")]
        actions = store.actions("demo")
    finally:
        store.close()
    page = html.unescape((out / "demo.html").read_text(encoding="utf-8"))
    early = html.unescape((out / "demo.baseline.html").read_text(encoding="utf-8"))
    # the latest round's report shows how things moved and the plan with every action
    assert "How things moved since the baseline" in page and "Action plan" in page
    assert all(a.text in page for a in actions)
    assert rounds[-1] in page and len(rounds) > 1
    # the baseline's report has no trend and only the actions recorded by then (the
    # sections' classes, not their headings: this report is in German)
    trend, plan = 'class="wb-trend-summary"', 'class="wb-plan-summary"'
    assert trend in page and trend not in early
    assert plan in page and plan in early
    assert any(a.round != "baseline" for a in actions)
    for a in actions:
        assert (a.text in early) == (a.round == "baseline")
