"""Report content and Excel output, without a kernel: escaping, wording, no None/NaN."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbook_helpers import brand, presenting
from workbook_helpers.report import content as c
from workbook_helpers.report.data import ReportDataError, load_report_data
from workbook_helpers.report.excel import neutralise, write_excel

from .report_support import FORMULA_COMMENT, LICENCE, SCRIPT_COMMENT, page_text, seed_store

SECTIONS = ("cover", "executive_summary", "verdict", "readiness", "gaps", "next_steps",
            "comments")
SHEETS = ["Summary", "Readiness", "Scores", "Flags", "Answers", "Comments"]
DEMO_SHEETS = [*SHEETS, "Expectations"]  # the demo carries estimates of the other side
RED = brand.VERDICT_COLOURS["no-fit"]


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
    assert rep.result.verdict == "insufficient-data"
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
    assert wb.sheetnames == DEMO_SHEETS
    for ws in wb.worksheets:
        assert ws.max_row >= 2, ws.title
        assert all(cell.value for cell in ws[1]), ws.title
        assert ws.column_dimensions["A"].width and ws.column_dimensions["A"].width > 8
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    head = [c.value for c in wb["Comments"][1]]
    comments = [r[head.index("Comment")]
                for r in wb["Comments"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_COMMENT in comments
    assert SCRIPT_COMMENT in comments
    scores = {r[0]: r[1:4] for r in wb["Scores"].iter_rows(min_row=2, values_only=True)}
    control = rep.result.dimensions["control"]
    assert scores["Control and governance"] == (control.host, control.partner, control.gap)
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


# ---- the form, its confidence and evidence, readiness, and recommendations of another form ----
def _cells(ws) -> dict[str, list[object]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[object]] = {}
    for item, value in ws.iter_rows(min_row=2, max_col=2, values_only=True):
        out.setdefault(str(item), []).append(value)
    return out


def test_demo_verdict_shows_form_confidence_runner_up_and_evidence(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    form = rep.result.form
    assert form.is_alliance and form.runner_up and len(form.evidence) >= 2
    section = c.verdict(rep)
    text = page_text(section)
    assert "Recommended form:" in text and "Strategic alliance" in text
    assert f"confidence {round(100 * form.confidence)}%" in text
    assert f"Runner-up: {brand.TYPE_LABELS[form.runner_up].lower()}" in text
    for sentence in form.evidence:  # every sentence, escaped once
        assert html.escape(sentence, quote=True) in section, sentence
    assert "Conditional fit" in text
    assert "wb-verdict-conditional" in section and brand.NEUTRAL not in section
    summary = page_text(c.executive_summary(rep))
    assert f"confidence {round(100 * form.confidence)}%" in summary
    assert "runner-up: " in summary and "conditions an alliance needs" in summary


def test_demo_readiness_section_has_each_condition_on_each_side(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    checks = rep.result.readiness
    assert {ch.side for ch in checks} == {"host", "partner"}
    section = c.readiness(rep)
    assert "Readiness on each side" in section
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == len({ch.id for ch in checks})
    for label, met in (("Yes", True), ("No", False), ("Unknown", None)):
        assert body.count(f">{label}</span>") == sum(ch.met is met for ch in checks), label
    for ch in checks:
        assert html.escape(ch.detail, quote=True) in body
    assert "Dedicated alliance manager" in body and "Halvorsen Robotics" in section
    if any(ch.met is False for ch in checks):
        assert "To meet the missing conditions" in section


def test_licence_report_recommends_the_form_in_the_neutral_colour(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data(LICENCE, store=store)
    r = rep.result
    assert (r.verdict, r.verdict_cause, r.form.recommended) == ("no-fit", "form", "licensing")
    assert r.form.pursue is not None
    section = c.verdict(rep)
    text = page_text(section)
    assert "Recommended: licensing" in text
    assert f"background:{brand.NEUTRAL}" in section and f"border-color:{brand.NEUTRAL}" in section
    assert "wb-verdict-recommend" in section
    assert RED not in section and "No fit" not in text
    assert html.escape(r.form.pursue.detail, quote=True) in section
    assert f"{round(100 * r.form.pursue.readiness)}% ready" in text
    assert f"confidence {round(100 * r.form.confidence)}%" in text
    page = _all_sections(rep)
    assert "No fit" not in page_text(page) and RED not in page.split("wb-sec-gaps")[0]
    assert "Meridian &lt;Pharma&gt;" in page and "Meridian <Pharma>" not in page
    summary = page_text(c.executive_summary(rep))
    assert "Recommended: licensing" in summary and "rather than a strategic alliance" in summary
    readiness = c.readiness(rep)
    assert "Readiness on each side" in readiness and "does not depend on them" in readiness
    assert "To meet the missing conditions" not in readiness


def test_unknown_structure_says_what_to_ask(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    ask = "Ask both teams about <ownership> & exclusivity."
    unknown = replace(rep, result=replace(rep.result, form=replace(rep.result.form,
                                                                 to_ask=[ask])))
    section = c.verdict(unknown)
    assert "What to ask about the deal" in section
    assert html.escape(ask) in section and ask not in section
    assert "What to ask about the deal" not in c.verdict(rep)  # the demo's structure is known
    assert html.escape(ask) in c.executive_summary(unknown)


def test_excel_demo_summary_and_readiness_sheet(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    form = rep.result.form
    target = tmp_path / "demo.xlsx"
    write_excel(rep, target)
    wb = load_workbook(target)
    assert wb.sheetnames == DEMO_SHEETS
    cells = _cells(wb["Summary"])
    assert cells["Verdict"] == ["Conditional fit"]
    assert cells["Recommended form"] == ["Strategic alliance"]
    assert cells["Runner-up"] == [brand.TYPE_LABELS[str(form.runner_up)]]
    assert cells["Confidence"] == [form.confidence]
    conf = next(row[1] for row in wb["Summary"].iter_rows(min_row=2) if row[0].value ==
                "Confidence")
    assert conf.number_format == "0%"
    assert cells["Evidence"] == form.evidence[1:]
    verdict = next(row[1] for row in wb["Summary"].iter_rows(min_row=2)
                   if row[0].value == "Verdict")
    assert verdict.fill.fgColor.rgb[-6:].lower() == brand.VERDICT_COLOURS["conditional"][1:]
    ready = list(wb["Readiness"].iter_rows(min_row=2, values_only=True))
    assert len(ready) == len(rep.result.readiness)
    by_key = {(row[0], row[2]): row for row in ready}
    for ch in rep.result.readiness:
        row = by_key[(ch.side, presenting.condition_label(ch.id, rep.bank))]
        assert row[3] == {True: "yes", False: "no", None: "unknown"}[ch.met]
        assert row[4] == ch.detail
        assert (row[5] == ch.step) if ch.met is not True else not row[5]


def test_excel_licence_is_a_recommendation_not_a_red_no_fit(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data(LICENCE, store=store)
    target = tmp_path / "licence.xlsx"
    write_excel(rep, target)
    wb = load_workbook(target)
    ws = wb["Summary"]
    cells = _cells(ws)
    assert cells["Verdict"] == ["Recommended: licensing"]
    assert cells["Form to pursue"] == ["Licensing"]
    assert cells["Readiness for that form"] == [rep.result.form.pursue.readiness]  # type: ignore[union-attr]
    verdict = next(row[1] for row in ws.iter_rows(min_row=2) if row[0].value == "Verdict")
    fill = verdict.fill.fgColor.rgb[-6:].lower()
    assert fill == brand.NEUTRAL[1:] and fill != RED[1:]
    values = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any("No fit" in v for v in values)
    assert "Meridian <Pharma>" in cells["Partner"]
