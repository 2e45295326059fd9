"""The user-facing side of expectation gaps and robustness: questionnaire steps that ask what
the other side will answer, the dashboard and setup switches, the expectation chart, the
verdict's firmness, and the report's section, appendix and Excel sheets."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import FlakyStore
from tests.report_support import page_text
from workbook_helpers.apps.dashboard import (
    Dashboard,
    comments_html,
    expectations_html,
    robustness_note,
    verdict_card,
)
from workbook_helpers.apps.questionnaire import DK, OTHER, Questionnaire, load_answers
from workbook_helpers.apps.setup import SetupApp
from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.cases import case, case_answers
from workbook_helpers.presenting import brand, charts
from workbook_helpers.presenting import judgment as presenting
from workbook_helpers.report import content as c
from workbook_helpers.report.data import load_report_data
from workbook_helpers.report.excel import write_excel
from workbook_helpers.report.figures import chart_svgs
from workbook_helpers.scoring import score_engagement
from workbook_helpers.scoring.stored import engagement_result
from workbook_helpers.store import Store

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture()
def store(tmp_path: Path, bank: Bank) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'workbook.db'}")
    seed_demo(s, bank, with_health_check=False)
    s.add_respondent("demo", "newbie", "New Person", "host", "COO")
    return s


def _mine(store: Store, rid: str = "newbie") -> Any:
    cur = store.current_answers("demo")
    return cur[cur["respondent"] == rid]


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# ---- questionnaire --------------------------------------------------------------------------
def test_each_expectation_question_gets_its_own_step_right_after_the_own_answer(
        store: Store, bank: Bank) -> None:
    q = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    expect = [x.id for x in bank.expectation_questions]
    assert expect  # the bank asks some
    assert len(q.steps) == len(bank.questions) + len(expect)
    for i, step in enumerate(q.steps):
        if step.expecting:
            before = q.steps[i - 1]
            assert before.question.id == step.question.id and not before.expecting
    assert [s.question.id for s in q.steps if s.expecting] == \
        [x.id for x in bank.iter_ordered() if x.expect]


def test_estimate_is_saved_apart_from_the_own_answer_and_resumes(store: Store,
                                                                 bank: Bank) -> None:
    q = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    i = next(k for k, s in enumerate(q.steps) if s.expecting)
    qid = q.steps[i].question.id
    q.go(i - 1)
    q.choose(4)
    q.go(i)
    assert q.step.expecting
    status = q.choose(2)
    assert status is not None and status.state == "saved" and status.about == OTHER
    assert "Saved your estimate at" in q.status.value
    rows = _mine(store).set_index("about")
    assert int(rows.loc["self", "value"]) == 4 and int(rows.loc["other-side", "value"]) == 2
    assert set(rows["question_id"]) == {qid}
    # progress: one own answer, one estimate, never added together
    assert "1 of 55 answered" in q.overall.value.replace(str(len(bank.questions)), "55")
    assert f"1 of {len(bank.expectation_questions)} given" in q.expect_progress.value
    assert q.answered_count() == 1 and q.expected_count() == 1
    again = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    assert again.answers[qid].value == 4 and again.expected[qid].value == 2
    again.go(i)
    assert again.choices.value == 2
    again.go(i - 1)
    assert again.choices.value == 4


def test_own_answers_are_loaded_without_the_estimates(store: Store, bank: Bank) -> None:
    qid = bank.expectation_questions[0].id
    store.record_answer("demo", "newbie", qid, 5, about="other-side")
    who = store.respondent("demo", "newbie")
    assert qid not in load_answers(store, who)
    assert load_answers(store, who, OTHER)[qid].value == 5
    q = Questionnaire(store, bank, who, schedule=None)
    assert q.answered_count() == 0 and q.expected_count() == 1
    assert q.index == 0  # nothing of their own is answered yet
    # a demo executive: own answers and estimates both differ, each comes back as given
    amara = store.respondent("demo", "amara-osei")
    cur = _mine(store, "amara-osei")
    own = cur[(cur["about"] == "self") & ~cur["dont_know"].astype(bool)] \
        .set_index("question_id")["value"]
    est = cur[cur["about"] == "other-side"].set_index("question_id")["value"]
    loaded, guessed = load_answers(store, amara), load_answers(store, amara, OTHER)
    assert {k: v.value for k, v in guessed.items()} == {k: int(v) for k, v in est.items()}
    assert all(loaded[k].value == int(v) for k, v in own.items())


def test_estimate_step_is_worded_and_coloured_apart(store: Store, bank: Bank) -> None:
    q = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    i = next(k for k, s in enumerate(q.steps) if s.expecting)
    q.go(i - 1)
    assert "wb-expecting" not in q.widget._dom_classes
    assert "your own answer" in q.card.value and "wb-expect-card" not in q.card.value
    q.go(i)
    card = q.card.value
    assert "wb-expecting" in q.widget._dom_classes
    assert "wb-expect-card" in card and "Your estimate of Castellan Logistics" in card
    assert "What will Castellan Logistics\u2019 team answer here?" in card
    assert html.escape(q.question.text) in card
    labels = [label for label, _ in q.choices.options]
    assert labels[-1] == "Don't know what they will answer"
    assert labels[:-1] == [f"{p} · {q.question.scale.anchors[p]}"
                           for p in q.question.scale.points]
    q.choose(DK)
    row = _mine(store).iloc[0]
    assert row["about"] == "other-side" and bool(row["dont_know"])
    # the partner's people are asked about the host
    p = Questionnaire(store, bank, store.respondent("demo", "mei-tanaka"), schedule=None)
    p.go(next(k for k, s in enumerate(p.steps) if s.expecting))
    assert "What will Halvorsen Robotics\u2019 team answer here?" in p.card.value


def test_estimate_kept_on_screen_and_retried_when_the_store_is_down(store: Store,
                                                                    bank: Bank) -> None:
    flaky = FlakyStore(store)
    q = Questionnaire(flaky, bank, store.respondent("demo", "newbie"),  # type: ignore[arg-type]
                      schedule=None)
    i = next(k for k, s in enumerate(q.steps) if s.expecting)
    q.go(i)
    q.choose(3)
    assert "Not saved yet" in q.status.value and q.choices.value == 3
    assert any(k.endswith("@other-side") for k in q.saver.pending)
    assert q.retry_button.layout.display != "none"
    flaky.down = False
    q.saver.retry()
    assert "Saved" in q.status.value and not q.saver.pending
    assert _mine(store).iloc[0]["about"] == "other-side"


def test_switching_expectations_off_removes_the_estimate_steps(store: Store,
                                                               bank: Bank) -> None:
    store.set_engagement_options("demo", expectations=False)
    q = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    assert not any(s.expecting for s in q.steps) and len(q.steps) == len(bank.questions)
    assert q.expect_progress.layout.display == "none"
    assert "other side" not in q.header.value
    for i in range(len(q.steps)):
        q.go(i)
        assert "wb-expect-card" not in q.card.value
        assert "your own answer" not in q.card.value


def test_hostile_organisation_names_are_escaped_in_the_estimate_step(
        tmp_path: Path, bank: Bank) -> None:
    s = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    s.create_engagement("evil", "Host <b>", SCRIPT)
    who = s.add_respondent("evil", "h1", "Hana", "host", "CEO")
    q = Questionnaire(s, bank, who, schedule=None)
    q.go(next(k for k, st in enumerate(q.steps) if st.expecting))
    assert "<script" not in q.card.value + q.header.value + q.expect_progress.value
    assert "&lt;script&gt;" in q.card.value and "Host &lt;b&gt;" in q.card.value


# ---- dashboard and setup --------------------------------------------------------------------
def test_dashboard_switch_expectations_and_hidden_until_revealed(store: Store,
                                                                 bank: Bank) -> None:
    dash = Dashboard(store, bank, "demo")
    assert dash.expectations.value is True
    assert "got wrong about the other" not in dash.body.value
    assert "wb-robust" not in dash.body.value
    dash.expectations.value = False
    assert store.engagement("demo").expectations is False
    dash.expectations.value = True
    assert store.engagement("demo").expectations is True
    dash.reveal.value = True
    body = dash.body.value
    section = body.split('<section class="wb-expectations"', 1)[1].split("</section>", 1)[0]
    assert "What each side got wrong about the other" in section
    assert section.count("<svg") == 1 and "Dumbbell chart" in section
    r = dash.snap.result  # type: ignore[union-attr]
    for sentence in presenting.expectation_flags(r):
        assert html.escape(sentence, quote=True) in section
    card = body.split('<section class="wb-verdict', 1)[1].split("</section>", 1)[0]
    rob = r.robustness
    assert rob is not None
    assert "This verdict is firm:" in _text(card) and "Close call" not in card
    assert f"{rob.verdict_flips} of {rob.answer_changes} one-point changes" in _text(card)
    # estimates are counted apart in the completion chart
    assert f"of {len(bank.expectation_questions)} estimates" in dash.completion.value


def test_dashboard_off_switch_notes_earlier_estimates(store: Store, bank: Bank) -> None:
    store.set_engagement_options("demo", revealed=True, expectations=False)
    dash = Dashboard(store, bank, "demo")
    assert "switched off" in dash.body.value
    assert "estimates" not in dash.completion.value
    r = dash.snap.result  # type: ignore[union-attr]
    assert expectations_html(replace_expectations(r), asked=False) == ""
    assert "Nobody has estimated" in expectations_html(replace_expectations(r), asked=True)


def replace_expectations(result: Any) -> Any:
    from dataclasses import replace

    return replace(result, expectations={}, expectation_questions={})


def test_heatmap_and_comments_show_own_answers_apart_from_estimates(store: Store,
                                                                    bank: Bank) -> None:
    answers = store.current_answers("demo")
    own = answers[answers["about"] == "self"]
    matrix = charts.answer_matrix(answers, bank)
    assert len(matrix) == len(own) < len(answers)
    cells = {(m["respondent"], m["question_id"]): m["position"] for m in matrix}
    for row in own.itertuples(index=False):
        q = bank.question_map[row.question_id]
        want = None if row.dont_know else round(q.favourable(int(row.value)), 1)
        assert cells[(row.respondent, row.question_id)] == want
    qid = bank.expectation_questions[0].id
    store.record_answer("demo", "amara-osei", qid, 1, comment=SCRIPT, about="other-side")
    page = comments_html(store.current_answers("demo"), bank, {"amara-osei": "Amara"})
    assert "on what the other side will answer" in page
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_setup_switches_expectations_per_engagement(store: Store, bank: Bank) -> None:
    app = SetupApp(store, bank, "demo", base="http://127.0.0.1:9")
    assert app.expectations.value is True
    app.expectations.value = False
    assert store.engagement("demo").expectations is False
    assert "no longer asks" in app.message.value
    store.create_engagement("other", "A", "B")
    app.pick.options = app._options()
    app.pick.value = "other"
    assert app.expectations.value is True and store.engagement("other").expectations
    assert store.engagement("demo").expectations is False  # showing did not write
    app.pick.value = "demo"
    assert app.expectations.value is False


def test_close_verdict_card_names_the_answer_it_stands_on(bank: Bank) -> None:
    result = score_engagement(case_answers(case("pharma-codevelopment"), bank), bank,
                              "pharma-codevelopment")
    rob = result.robustness
    assert rob is not None and not rob.verdict_stable and rob.closest_flip
    card = verdict_card(result, bank)
    note = robustness_note(result)
    assert note in card and 'data-firm="false"' in note
    text = _text(note)
    assert "This verdict is close:" in text
    assert html.escape(rob.closest_flip, quote=True) in note
    assert f"{rob.verdict_flips} of {rob.answer_changes} one-point changes" in text
    assert "Confirm that answer" in text
    # neutral: no verdict colour, no side colour, not the recommendation colour
    for colour in [*brand.VERDICT_COLOURS.values(), brand.HOST, brand.PARTNER, brand.NEUTRAL]:
        assert colour not in note
    # the card places it right under the verdict label, which itself carries a mark
    assert card.index("wb-verdict-label") < card.index("wb-robust") < card.index("wb-form-line")
    label = card.split('class="wb-verdict-label"', 1)[1].split("</p>", 1)[0]
    assert "Close call: rests on one answer" in label


def test_firmness_words(bank: Bank) -> None:
    close = score_engagement(case_answers(case("pharma-codevelopment"), bank, "x"), bank, "x")
    firm = score_engagement(case_answers(case("technology-licence"), bank, "y"), bank, "y")
    f1, f2 = presenting.firmness(close), presenting.firmness(firm)
    assert f1 is not None and not f1.firm and f1.headline == "This verdict is close"
    assert f1.detail == close.robustness.closest_flip  # type: ignore[union-attr]
    assert f2 is not None and f2.firm and f2.headline == "This recommendation is firm"
    assert f2.sentence.startswith("This recommendation is firm: no single answer moved by "
                                  "one point changes it")
    thin = case_answers(case("pharma-codevelopment"), bank, "z").head(10)
    assert presenting.firmness(score_engagement(thin, bank, "z")) is None


# ---- the expectation chart ------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_result(tmp_path_factory: pytest.TempPathFactory, bank: Bank) -> Any:
    s = Store.open(f"sqlite:///{tmp_path_factory.mktemp('exp') / 'w.db'}")
    seed_demo(s, bank, with_health_check=False)
    return engagement_result(s, bank, "demo")


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [v for vals in spec.get("datasets", {}).values() for v in vals]
    for part in spec.get("vconcat", []):
        for layer in part.get("layer", []):
            rows += layer.get("data", {}).get("values", [])
        rows += part.get("data", {}).get("values", [])
    return rows


def test_expectation_chart_draws_both_sides_offline(demo_result: Any) -> None:
    chart = charts.expectation_chart(demo_result)
    spec = chart.to_dict(validate=True)
    values = _values(spec)
    rows = [v for v in values if "expects" in v]
    sides = {v["who"] for v in rows}
    assert sides == {"Halvorsen Robotics", "Castellan Logistics"}
    gap = demo_result.expectations["control"]
    host = next(v for v in rows if v["who"] == "Halvorsen Robotics"
                and v["list"] == gap.title)
    assert (host["expects"], host["actual"]) == (round(gap.host_expects, 1),
                                                round(gap.partner_actual, 1))
    assert host["label"].startswith("Blind spot") and host["blind"]
    svg = charts.to_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert "http://" not in svg.replace("http://www.w3.org", "")
    # rings, dots and diamonds in both side colours, and the blind-spot band
    assert svg.count(f'"{brand.HOST}"') >= 4 and svg.count(f'"{brand.PARTNER}"') >= 4
    assert charts.BLIND_BAND in svg
    assert "What Halvorsen Robotics expected of Castellan Logistics" in svg
    assert "What Castellan Logistics expected of Halvorsen Robotics" in svg
    assert "Blind spot: 40 points" in svg and "Pleasant surprise: 38 points" in svg
    assert len(re.findall(r"<path\b", svg)) > 20


def test_expectation_chart_without_estimates_and_with_hostile_names(demo_result: Any) -> None:
    from dataclasses import replace

    empty = charts.to_svg(charts.expectation_chart(replace_expectations(demo_result)))
    assert "No expectations given yet" in empty
    evil = replace(demo_result, organisations={"host": SCRIPT, "partner": "P & Co"})
    svg = charts.to_svg(charts.expectation_chart(evil))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_expectation_rows_and_largest_misses(demo_result: Any, bank: Bank) -> None:
    rows = presenting.expectation_rows(demo_result)
    assert len(rows) == 2 * len(demo_result.expectations)
    flagged = {(f.dimension, f.side) for f in demo_result.flags if f.kind == "expectation-gap"}
    assert {(r.key, r.side) for r in rows if r.flagged} == flagged
    for r in rows:
        gap = demo_result.expectations[r.key]
        assert r.direction == gap.direction(r.side)
        assert r.own == getattr(gap, f"{r.side}_actual")
    top = presenting.largest_misses(demo_result, 5, bank)
    assert [x.miss for x in top] == sorted((x.miss for x in top), reverse=True)
    allq = presenting.expectation_rows(demo_result, questions=True, bank=bank)
    assert top[0].miss == max(x.miss for x in allq)
    assert all(x.list_id == bank.question_map[x.key].list for x in allq)


# ---- report and Excel -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory, bank: Bank) -> Store:
    s = Store.open(f"sqlite:///{tmp_path_factory.mktemp('rep') / 'w.db'}")
    seed_demo(s, bank, with_health_check=False)
    qid = bank.expectation_questions[0].id
    s.record_answer("demo", "tomas-berg", qid, 1, comment=SCRIPT, about="other-side")
    return s


def test_report_section_what_each_side_got_wrong(report_store: Store) -> None:
    rep = load_report_data("demo", store=report_store)
    svg = chart_svgs(rep)
    assert "expectations" in svg and svg["expectations"].lstrip().startswith("<svg")
    section = c.expectations(rep, svg["expectations"])
    text = page_text(section)
    assert "What each side got wrong about the other" in text
    for sentence in presenting.expectation_flags(rep.result):
        assert html.escape(sentence, quote=True) in section
    assert section.count("<svg") == 1 and 'class="wb-figure wb-expectfig"' in section
    assert "The largest misses, question by question" in text
    top = presenting.largest_misses(rep.result, 6, rep.bank)
    body = section.split("wb-expect-table", 1)[1]
    assert body.count("<tr>") == len(top) + 1
    assert html.escape(top[0].title, quote=True) in body
    assert "Blind spot" in body and "Pleasant surprise" in body
    assert not re.search(r"\b(None|NaN|nan)\b", text)
    # without estimates there is no section
    from dataclasses import replace

    assert c.expectations(replace(rep, result=replace_expectations(rep.result))) == ""


def test_report_verdict_and_summary_say_how_firm_the_verdict_is(report_store: Store,
                                                                bank: Bank) -> None:
    rep = load_report_data("demo", store=report_store)
    verdict = c.verdict(rep)
    assert "wb-robust wb-robust-firm" in verdict
    assert "This verdict is firm:" in page_text(verdict)
    summary = page_text(c.executive_summary(rep))
    assert "This verdict is firm:" in summary and "misjudged" in summary
    from dataclasses import replace

    close = score_engagement(case_answers(case("pharma-codevelopment"), bank, "p"), bank, "p")
    shaky = replace(rep, result=close.with_engagement(rep.result.organisations, "P"))
    v = c.verdict(shaky)
    assert "wb-robust-close" in v and "Close call: rests on one answer" in v
    assert "Close call" not in verdict
    assert html.escape(close.robustness.closest_flip, quote=True) in v  # type: ignore[union-attr]
    assert "This verdict is close:" in page_text(c.executive_summary(shaky))


def test_report_appendix_and_comments_keep_estimates_apart(report_store: Store) -> None:
    rep = load_report_data("demo", store=report_store)
    page = c.appendix(rep)
    n_expect = len(rep.bank.expectation_questions)
    assert page.count("\u21b3 expected of the other side") == n_expect
    # an own answer cell is the own answer, the row under it the estimate
    qid = rep.bank.expectation_questions[0].id
    row = page.split(f'<span class="wb-qid">{qid}</span>', 1)[1]
    own_row, est_row = row.split("</tr>", 2)[:2]
    people = sorted(rep.result.respondents,
                    key=lambda p: (p.side != "host", c.people_labels(rep)[p.id]))
    cur = rep.answers
    tomas = next(i for i, p in enumerate(people) if p.id == "tomas-berg")
    own = cur[(cur["respondent"] == "tomas-berg") & (cur["question_id"] == qid)
              & (cur["about"] == "self")]["value"].iloc[0]
    own_cells = re.findall(r"<td>(.*?)</td>", own_row)
    est_cells = re.findall(r"<td>(.*?)</td>", est_row)
    assert own_cells[tomas] == str(int(own))
    assert re.sub(r"<[^>]+>", "", est_cells[tomas + 1]) == "1"
    comments = c.comments(rep)
    assert "on what the other side will answer" in comments
    assert SCRIPT not in comments and "&lt;script&gt;" in comments
    # gap cards of expectation flags show the estimates against the answers
    gaps = c.gaps(rep, cards=30)
    assert "One side misjudged the other" in gaps and "expected Castellan Logistics to answer" \
        in gaps


def test_excel_expectations_sheet_and_about_column(report_store: Store, tmp_path: Path) -> None:
    rep = load_report_data("demo", store=report_store)
    target = tmp_path / "demo.xlsx"
    write_excel(rep, target)
    wb = load_workbook(target)
    assert wb.sheetnames[-1] == "Expectations"
    ws = wb["Expectations"]
    head = [cell.value for cell in ws[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    lists = [r for r in rows if r["Level"] == "list"]
    questions = [r for r in rows if r["Level"] == "question"]
    assert len(lists) == len(presenting.expectation_rows(rep.result))
    assert len(questions) == len(presenting.expectation_rows(rep.result, questions=True))
    gap = rep.result.expectations["control"]
    host = next(r for r in lists if r["List"] == gap.title
                and r["Whose picture"] == "Halvorsen Robotics")
    assert (host["Expected (0-100)"], host["Answered (0-100)"], host["Miss (points)"]) == \
        (round(gap.host_expects, 1), round(gap.partner_actual, 1), round(gap.host_miss, 1))
    assert host["Direction"] == "blind spot" and host["Flagged"] == "yes"
    answers = wb["Answers"]
    ahead = [cell.value for cell in answers[1]]
    assert "About" in ahead
    about = [r[ahead.index("About")] for r in answers.iter_rows(min_row=2, values_only=True)]
    cur = rep.answers
    assert about.count("expects of the other side") == int((cur["about"] == "other-side").sum())
    assert about.count("own answer") == int((cur["about"] == "self").sum())
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    rob = rep.result.robustness
    assert rob is not None
    assert str(summary["Robustness"]).startswith("This verdict is firm:")
    assert summary["One-point changes that change the verdict"] == \
        f"{rob.verdict_flips} of {rob.answer_changes}"
