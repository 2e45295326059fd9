"""The apps' panels are rendered from templates under `templates/sections/apps/`: every piece
of hostile text (engagement titles, organisations, names, roles, comments, file names) shows
as written, never as markup, and no template passes anything through `|safe`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbook_helpers.apps import (
    dashboard,
    importing,
    pages,
    portfolio,
    questionnaire,
    rounds_panel,
    setup,
)
from workbook_helpers.apps.saving import SaveStatus
from workbook_helpers.bank import Bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.presenting.templating import template_dir
from workbook_helpers.store import Store

HOSTILE = '<script>alert(1)</script> & "x"'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"


def _clean(html: str) -> str:
    """The HTML without the component styles (which are ours, and hold no user text)."""
    return re.sub(r"<style>.*?</style>", "", str(html), flags=re.S)


def _escaped(html: str) -> None:
    text = _clean(html)
    assert "<script" not in text
    assert ESCAPED in text


@pytest.fixture()
def hostile(store: Store, bank: Bank) -> Store:
    seed_demo(store, bank, with_health_check=False)
    store.create_engagement("bad", HOSTILE, "Castellan Logistics", title=HOSTILE)
    store.add_respondent("bad", "evil", HOSTILE, "host", HOSTILE)
    store.add_respondent("bad", "plain", "None", "partner", "")
    for q in bank.questions[:3]:
        store.record_answer("bad", "evil", q.id, 3, comment="None")
    return store


def test_setup_panels_escape_hostile_text(hostile: Store, bank: Bank) -> None:
    roster = setup.roster_html(hostile, "bad", 'http://x.test/?a=1&b="2"')
    _escaped(roster)
    assert 'class="wb-table wb-roster"' in roster and "<td>None</td>" in roster
    assert "?a=1&amp;b=&quot;2&quot;" in roster
    hostile.add_round("bad", "health-x", title=HOSTILE, bank="health_check_bank")
    _escaped(rounds_panel.rounds_html(hostile, "bad"))
    app = setup.SetupApp(hostile, bank, "bad")
    assert "<h1>Set up a workshop</h1>" in app.widget.children[1].value


def test_import_preview_escapes_hostile_text() -> None:
    summary = {"engagements": [HOSTILE], "answers": 2, "expectations": 0, "dont_know": 0,
               "empty_cells": 1, "answers_per_list": {HOSTILE: 2},
               "respondents": [{"respondent": "e", "name": HOSTILE, "side": "host",
                                "role": "None"}],
               "skipped_rows": [{"row": 3, "reason": HOSTILE}]}
    html = importing.preview_html(summary, f"{HOSTILE}.csv")
    _escaped(html)
    assert html.count(ESCAPED) == 5 and "<td>None</td>" in html
    assert "<li>row 3: " in html


def test_questionnaire_pieces_escape_hostile_text(hostile: Store, bank: Bank) -> None:
    q = questionnaire.Questionnaire(hostile, bank, hostile.respondent("bad", "evil"),
                                    schedule=None)
    _escaped(q.header.value)
    assert "wb-expect-intro" in q.header.value
    step = next(i for i, s in enumerate(q.steps) if s.expecting)
    q.go(step)
    assert "wb-expect-card" in q.card.value and "Castellan Logistics\u2019 team" in q.card.value
    assert f"means {ESCAPED}" in q.card.value
    q._show_status(SaveStatus("failed", HOSTILE, "x", None))
    _escaped(q.status.value)
    q._show_status(SaveStatus("saved", "", "x", datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
                              about="other-side"))
    assert "✓ Saved your estimate at 05:06:07 UTC" in q.status.value
    assert "data-saves=" in q.status.value
    other = questionnaire.Questionnaire(hostile, bank, hostile.respondent("bad", "plain"),
                                        schedule=None)
    assert f"<strong>{ESCAPED}\u2019s</strong>" in other.header.value  # the other side


def test_portfolio_dashboard_and_error_page_escape_hostile_text(hostile: Store, bank: Bank,
                                                                tmp_path: Path) -> None:
    loaded = portfolio.load(hostile, bank, today=date(2026, 6, 1), reports=tmp_path)
    view = loaded.view
    table = portfolio.table_html(view, key='k&"y')
    _escaped(table)
    assert 'data-engagement="bad"' in table and "key=k%26%22y" in table
    assert 'aria-sort="descending"' in table
    assert "No engagement matches" in portfolio.table_html(view.iloc[0:0])
    summary = portfolio.summary_html(view)
    assert summary.startswith('<p class="wb-pf-summary">') and "wb-pf-badge" in summary
    missing = view.assign(share=None)
    _escaped(portfolio.fit_map_html(missing))
    empty = portfolio.Loaded(view.iloc[0:0], 0.0, 0.1, 1)
    page = portfolio.Portfolio(hostile, bank, key='k&"y', loader=lambda: empty)
    assert 'href="setup.ipynb?key=k%26%22y"' in page.empty.value
    assert "&#x27;workbook demo&#x27;" in page.empty.value
    line = dashboard.round_line(SimpleNamespace(round="r2", rounds=["baseline", HOSTILE, "r2"]))
    _escaped(line)
    assert "(round 3; earlier: Baseline, " in line
    _escaped(pages.error_page(HOSTILE).value)
    assert "wb-error-page" in pages.error_page(HOSTILE).value


def test_no_section_template_uses_safe() -> None:
    """Only our own HTML is passed through (as `markupsafe.Markup`): no template marks a
    value safe itself, so user text can never slip through unescaped."""
    folder = template_dir()
    names = sorted(folder.rglob("*.j2"))
    assert len(names) > 20
    for path in names:
        body = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", body), path.relative_to(folder)
        assert "autoescape false" not in body, path.relative_to(folder)


@pytest.mark.parametrize("name", ["roster", "rounds", "import_preview", "question",
                                  "questionnaire_header", "save_status", "portfolio_table",
                                  "portfolio_summary", "portfolio_page", "error_page",
                                  "round_line", "setup_headings"])
def test_each_converted_panel_has_its_template(name: str) -> None:
    """The panel's template exists, compiles, and the package renders it by that name (a
    template renamed or dropped on one side only fails here)."""
    import workbook_helpers
    from workbook_helpers.presenting.templating import environment

    ref = f"apps/{name}.html.j2"
    assert (template_dir() / ref).is_file()
    template = environment().get_template(ref)     # compiles: a syntax error fails here
    assert template.filename is not None and Path(template.filename).name == f"{name}.html.j2"
    package = Path(workbook_helpers.__file__).parent
    users = [p for p in package.rglob("*.py") if f'"{ref}"' in p.read_text(encoding="utf-8")]
    assert users, f"no module of the package renders {ref}"
