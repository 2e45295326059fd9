"""Free text from respondents shows exactly as written everywhere it is shown: a comment that
reads "None" or "nan" is not dropped, and one that reads "<b>x</b>" is never bold. The same
holds for the actions people record (what, and who owns it)."""

from __future__ import annotations

import html

import pytest

COMMENTS = ["None", "nan", "<b>x</b>", "5 > 3 & 'quoted'"]


@pytest.fixture
def literal(data_dir, bank):
    from workbook_helpers.config import database_url
    from workbook_helpers.store import Store

    store = Store.open(database_url())
    store.create_engagement("lit", "Acme", "Globex")
    for i, (who, side) in enumerate((("ann", "host"), ("bo", "host"), ("cy", "partner"),
                                     ("di", "partner"))):
        store.add_respondent("lit", who, who.title(), side, "CEO")
        for q in bank.questions:
            store.record_answer("lit", who, q.id, 3,
                                comment=COMMENTS[i] if q.id == "pri-rank" else "")
    url = database_url()
    store.close()
    return url


def test_report_excel_deck_and_dashboard_show_comments_as_written(literal, bank, tmp_path):
    from openpyxl import load_workbook

    from workbook_helpers.apps.dashboard import comments_html
    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data
    from workbook_helpers.report.deck import build_deck
    from workbook_helpers.report.excel import write_excel

    data = load_report_data("lit", literal)
    page = content.comments(data) + content.appendix(data)
    for text in COMMENTS:
        assert html.escape(text, quote=True) in page, text
    assert "<b>x</b>" not in page
    write_excel(data, tmp_path / "lit.xlsx")
    cells = {str(c.value) for ws in load_workbook(tmp_path / "lit.xlsx").worksheets
             for row in ws.iter_rows() for c in row if c.value is not None}
    for text in COMMENTS:
        assert any(text in c for c in cells), text
    deck_text = "\n".join(sh.text_frame.text for s in build_deck(data).prs.slides
                          for sh in s.shapes if sh.has_text_frame)
    for text in COMMENTS:
        assert text in deck_text, text
    panel = comments_html(data.answers, bank, {})
    for text in COMMENTS:
        assert html.escape(text, quote=True) in panel, text
    assert "<b>x</b>" not in panel


def test_action_texts_and_owners_show_as_written(literal, bank):
    from dataclasses import replace
    from datetime import date

    from workbook_helpers.apps.dashboard import action_plan_html
    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data
    from workbook_helpers.report.deck import build_deck
    from workbook_helpers.scoring.actionplan import PlannedAction
    from workbook_helpers.store.records import Action

    plan = [PlannedAction(Action("lit", i, text, COMMENTS[-1 - i], date(2030, 1, 1), "open",
                                 "baseline"), "", False, None, None)
            for i, text in enumerate(COMMENTS)]
    data = replace(load_report_data("lit", literal), actions=plan)
    for page in (content.action_plan(data), action_plan_html(plan)):
        for text in COMMENTS:
            assert f">{html.escape(text, quote=True)}<" in page, text
        assert "<b>x</b>" not in page
    cells = [c.text for s in build_deck(data).prs.slides for sh in s.shapes if sh.has_table
             for row in sh.table.rows for c in row.cells]
    for text in COMMENTS:
        assert cells.count(text) == 2, text  # as an action and as an owner
