"""Report content and Excel output, without a kernel: escaping, wording, no None/NaN."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.report_support import (
    FORMULA_COMMENT,
    HOSTILE_TEXT,
    LICENCE,
    SCRIPT_COMMENT,
    hostile_plan,
    page_text,
    seed_store,
    three_round_trend,
)
from workbook_helpers.presenting import brand
from workbook_helpers.presenting import judgment as presenting
from workbook_helpers.report import content as c
from workbook_helpers.report.data import ReportDataError, load_report_data
from workbook_helpers.report.excel import neutralise, write_excel

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
    # version 3: the demo's two sides picture different deals, a dispute (docs/decisions.md)
    assert form.status == "disputed" and form.recommended is None
    assert form.runner_up and len(form.evidence) >= 2
    section = c.verdict(rep)
    text = page_text(section)
    assert "Form:  Disputed: the sides picture different deals" in text
    assert "Each side on its own" in text and "Strategic alliance" in text
    assert f"confidence {round(100 * form.confidence)}%" in text
    assert "Runner-up" not in text  # no runner-up to a form nobody recommends
    for sentence in form.evidence:  # every sentence, escaped once
        assert html.escape(sentence, quote=True) in section, sentence
    assert "Conditional fit" in text
    assert "wb-verdict-conditional" in section and brand.NEUTRAL not in section
    summary = page_text(c.executive_summary(rep))
    assert f"confidence {round(100 * form.confidence)}%" in summary
    assert "runner-up: " not in summary and "conditions an alliance needs" in summary


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
    assert cells["Recommended form"] == ["Disputed: the sides picture different deals"]
    assert cells["Halvorsen Robotics's picture of the deal"] == ["Strategic alliance"]
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


# ---- templates: one escaping, no missing variable -------------------------------------------
def test_templates_escape_everything_but_our_own_html_and_refuse_missing_variables() -> None:
    import jinja2
    from markupsafe import Markup

    from workbook_helpers.presenting import templating

    env = templating.environment()
    assert env is templating.environment()  # built once
    for text in HOSTILE_TEXT:
        assert env.from_string("{{ x }}").render(x=text) == html.escape(text, quote=True)
    assert env.from_string("[{{ x }}]").render(x=None) == "[]"  # a missing value, not "None"
    assert env.from_string("{{ x }}").render(x=float("nan")) == ""
    # a plain string is escaped even where the template expects HTML; Markup is not
    fig = templating.render("report/figure.html.j2", svg=SCRIPT_COMMENT, caption="c", cls="")
    assert "<script" not in fig and html.escape(SCRIPT_COMMENT) in fig
    fig = templating.render("report/figure.html.j2", svg=Markup("<svg></svg>"), caption="c",
                            cls="")
    assert "<svg></svg>" in fig
    # StrictUndefined: a variable the caller forgot is an error, not an empty string
    with pytest.raises(jinja2.UndefinedError, match="firm"):
        templating.render("report/robustness.html.j2")
    with pytest.raises(jinja2.UndefinedError, match="plan"):
        templating.render("report/action_plan.html.j2")
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    # no template marks text as safe: only Markup made in Python passes unescaped
    for path in templating.template_dir().rglob("*.j2"):
        assert not re.search(r"\|\s*safe\b", path.read_text()), path


# ---- how things moved across rounds, and the action plan ------------------------------------
def test_trend_section_shows_the_gaps_that_closed_and_opened(store) -> None:  # type: ignore[no-untyped-def]
    rep = load_report_data("demo", store=store)
    t, _ = three_round_trend(rep.bank)
    assert t.closed and t.opened
    assert c.trend(replace(rep, trend=None)) == ""
    section = c.trend(replace(rep, trend=t), "<svg width='1'></svg>")
    text = page_text(section)
    assert "How things moved since the baseline" in text
    assert section.count("<svg") == 1 and 'class="wb-figure wb-trendfig"' in section
    closed = section.split('wb-trend-changes wb-trend-closed">', 1)[1].split("</ul>", 1)[0]
    opened = section.split('wb-trend-changes wb-trend-opened">', 1)[1].split("</ul>", 1)[0]
    for changes, part in ((t.closed, closed), (t.opened, opened)):
        assert part.count("<li>") == len(changes)
        for ch in changes:
            assert html.escape(ch.detail, quote=True) in part
            assert presenting.kind_label(ch.kind) in part
            assert html.escape(rep.bank.list_map[str(ch.dimension)].title) in part
            assert f"{ch.round_from} \u2192 {ch.round_to}" in part
    for r in t.rounds:
        assert presenting.round_label(r) in text
    # one table per list: its gap in every round, as printed numbers
    for lid, series in t.dimensions.items():
        title = html.escape(rep.bank.list_map[lid].title)
        table = section.split(f"<caption>{title}</caption>", 1)[1].split("</table>", 1)[0]
        gap_row = table.split('class="wb-trend-gap"', 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", gap_row)
        assert cells[:-1] == [c.DASH if v is None else f"{v:.0f}" for v in series["gap"]]
    assert not re.search(r"\b(None|NaN|nan)\b", text)
    # the cover names the round reported once there is more than one
    later = replace(rep, round=t.rounds[-1], rounds=list(t.rounds))
    assert f"<dt>Round</dt><dd>{t.rounds[-1]}</dd>" in c.cover(later)
    alone = replace(rep, round="baseline", rounds=["baseline"])
    assert "<dt>Round</dt>" not in c.cover(alone)


def test_trend_section_escapes_titles_rounds_names_and_details(store) -> None:  # type: ignore[no-untyped-def]
    from workbook_helpers.scoring.trend import GapChange, Trend

    rep = load_report_data("demo", store=store)
    odd_round, odd_list = HOSTILE_TEXT[1], HOSTILE_TEXT[0]
    t = Trend(rounds=["baseline", odd_round],
              dimensions={odd_list: {"host": [40.0, None], "partner": [None, 55.0],
                                     "gap": [None, None]}},
              verdicts=["conditional", "fit"], forms=["strategic-alliance", "licensing"],
              closed=[GapChange("cross-side-gap", odd_list, None, HOSTILE_TEXT[4], "baseline",
                                odd_round)],
              opened=[GapChange("readiness", None, "host", HOSTILE_TEXT[3], "baseline",
                                odd_round)])
    names = {"host": HOSTILE_TEXT[0], "partner": HOSTILE_TEXT[2]}
    hostile = replace(rep, trend=t, result=replace(rep.result, organisations=names))
    section = c.trend(hostile)
    assert "<script" not in section and "<b>" not in section
    for text in (odd_round, odd_list, HOSTILE_TEXT[4], names["host"], names["partner"]):
        assert html.escape(text, quote=True) in section, text
    assert f"<br>{HOSTILE_TEXT[3]}</li>" in section  # a detail that reads "nan" shows
    row = section.split('<tr><th scope="row">', 2)[1]
    assert re.findall(r"<td[^>]*>(.*?)</td>", row)[:2] == ["40", c.DASH]  # missing: a dash


def test_action_plan_shows_overdue_status_and_outcome(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    rep = load_report_data("demo", store=store)
    _, results = three_round_trend(rep.bank)
    plan = hostile_plan("demo", results, date(2026, 6, 1))
    assert any(p.overdue for p in plan) and any(p.outcome_text for p in plan)
    section = c.action_plan(replace(rep, actions=plan))
    assert "<script" not in section and "<b>" not in section
    assert "Action plan" in page_text(section)
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.split("</tr>")[:-1]
    assert len(rows) == len(plan)
    for p, row in zip(plan, rows, strict=True):
        a = p.action
        assert html.escape(a.text, quote=True) in row and html.escape(a.owner, quote=True) in row
        assert ('class="wb-overdue"' in row) == p.overdue
        assert presenting.status_label(a.status) in row
        assert a.due.strftime("%d %b %Y") in row
        if p.list_title:
            assert html.escape(p.list_title) in row
        if a.flag:
            assert presenting.kind_label(a.flag) in row
        if p.outcome_text:
            assert html.escape(p.outcome_text[1:], quote=True) in row
        else:
            assert "not compared yet" in row
        if p.compared and p.outcome != "unknown":
            assert f"{p.compared[0]} \u2192 {p.compared[1]}" in row
    n_open = sum(p.action.status == "open" for p in plan)
    overdue = sum(p.overdue for p in plan)
    assert f"{n_open} open ({overdue} overdue)" in page_text(section)
    empty = c.action_plan(replace(rep, actions=[]))
    assert "No actions have been recorded yet." in empty and "<table" not in empty
