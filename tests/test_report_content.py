"""Report content and Excel output, without a kernel: escaping, wording, no None/NaN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbook_helpers.report import content as c
from workbook_helpers.report.data import ReportDataError, load_report_data
from workbook_helpers.report.excel import neutralise, write_excel

from .report_support import FORMULA_COMMENT, SCRIPT_COMMENT, page_text, seed_store

SECTIONS = ("cover", "executive_summary", "verdict", "gaps", "next_steps", "comments")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return seed_store(tmp_path_factory.mktemp("store"))


def _all_sections(rep) -> str:  # type: ignore[no-untyped-def]
    parts = [getattr(c, name)(rep) for name in SECTIONS]
    parts += [c.profile(rep), c.divergence(rep), c.appendix(rep)]
    return "".join(parts)


def test_demo_sections_escape_comments_and_never_print_none(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    page = _all_sections(rep)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "&lt;not this&gt;" in page  # the demo CFO's comment, escaped
    text = page_text(page)
    assert not re.search(r"\b(None|NaN|nan)\b", text)
    assert "Conditional fit" in text and "Strategic alliance" in text
    assert "Halvorsen Robotics" in text and "Castellan Logistics" in text
    assert "Ingrid Halvorsen" in text
    # every ranked point to discuss appears, in rank order
    ranks = [int(m) for m in re.findall(r'<span class="wb-rank">(\d+)</span>', page)]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_anonymous_report_hides_names(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store, anonymous=True)
    text = page_text(_all_sections(rep))
    for name in ("Ingrid Halvorsen", "Amara Osei", "Mei Tanaka", "Lucía Marín"):
        assert name not in text
    assert "CFO" in text and "roles only" in text


def test_insufficient_data_says_so_plainly(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("fresh", store=store)
    assert rep.result["verdict"] == "insufficient-data"
    page = _all_sections(rep)
    text = page_text(page)
    assert "not enough data for a verdict" in text
    assert "Not enough answers yet" in text
    assert "Ardent &amp; Co &lt;Labs&gt;" in page
    assert not re.search(r"\b(None|NaN|nan)\b", text)


def test_answer_outside_its_scale_stops_the_report(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportDataError, match="outside its scale 1-5"):
        load_report_data("broken", store=store)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+A1", "'+A1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=x", "'\t=x"), ("plain", "plain"), (3, 3), (None, None)])
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_excel_has_sheets_headers_widths_and_no_formulas(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    target = tmp_path / "demo.xlsx"
    write_excel(rep, target)
    wb = load_workbook(target)  # formulas would load as '=...' strings with data_type 'f'
    assert wb.sheetnames == ["Summary", "Scores", "Flags", "Answers", "Comments"]
    for ws in wb.worksheets:
        assert ws.max_row >= 2, ws.title
        assert all(cell.value for cell in ws[1]), ws.title
        assert ws.column_dimensions["A"].width and ws.column_dimensions["A"].width > 8
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    comments = [r[4] for r in wb["Comments"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_COMMENT in comments
    assert SCRIPT_COMMENT in comments
    scores = {r[0]: r[1:4] for r in wb["Scores"].iter_rows(min_row=2, values_only=True)}
    dims = rep.result["dimensions"]
    assert scores["Control and governance"] == (dims["control"]["host"],
                                                dims["control"]["partner"],
                                                dims["control"]["gap"])
    n_answers = wb["Answers"].max_row - 1
    assert n_answers == len(rep.answers)


def test_cover_shows_firm_and_embedded_logo(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                    encoding="utf-8")
    rep = load_report_data("demo", store=store, organisation="Hart & <Co> Advisory",
                           logo_path=str(logo))
    cover = c.cover(rep)
    assert "Hart &amp; &lt;Co&gt; Advisory" in cover
    assert 'src="data:image/svg+xml;base64,' in cover


def test_missing_logo_is_bad_input(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from workbook_helpers.exceptions import BadInputError

    with pytest.raises(BadInputError, match="logo file does not exist"):
        load_report_data("demo", store=store, logo_path=str(tmp_path / "nope.png"))
