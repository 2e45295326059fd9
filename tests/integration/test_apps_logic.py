"""The apps' logic in-process: saving to a real SQLite store, retries, access, params."""

from __future__ import annotations

import html
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FlakyStore
from tests.report_support import LICENCE, seed_licence
from workbook_helpers.apps import access, params
from workbook_helpers.apps.dashboard import Dashboard, results_shown, snapshot, verdict_card
from workbook_helpers.apps.questionnaire import DK, Questionnaire
from workbook_helpers.apps.saving import Answer, AnswerSaver
from workbook_helpers.apps.setup import SetupApp, roster_html
from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.cases import case, case_answers
from workbook_helpers.exceptions import AccessDeniedError
from workbook_helpers.presenting import brand
from workbook_helpers.scoring import score_engagement
from workbook_helpers.store import Store

SCRIPT = "<script>alert(1)</script>"
RED = brand.VERDICT_COLOURS["no-fit"]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'workbook.db'}")
    seed_demo(s, load_bank(), with_health_check=False)
    s.add_respondent("demo", "newbie", "New Person", "host", "COO")
    return s


def test_clicking_saves_immediately_with_history(store: Store) -> None:
    bank = load_bank()
    q = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    assert q.index == 0
    q.choose(4)
    assert q.saver.last is not None and q.saver.last.state == "saved"
    q.comment.value = SCRIPT
    q.go(1)
    q.choose(DK)
    q.go(0)
    q.choose(2)
    hist = store.history("demo").query("respondent == 'newbie'")
    first = hist[hist["question_id"] == q.questions[0].id]
    assert first["value"].tolist() == [4, 4, 2]
    assert first["comment"].tolist()[-1] == SCRIPT
    cur = store.current_answers("demo").query("respondent == 'newbie'")
    assert bool(cur.set_index("question_id").loc[q.questions[1].id, "dont_know"])
    again = Questionnaire(store, bank, store.respondent("demo", "newbie"), schedule=None)
    assert again.index == 2  # resumes at the first unanswered question
    assert again.choices.value is None


def test_comment_alone_waits_for_an_answer(store: Store) -> None:
    q = Questionnaire(store, load_bank(), store.respondent("demo", "newbie"), schedule=None)
    q.comment.value = "thinking"
    assert store.history("demo").query("respondent == 'newbie'").empty
    assert "Choose an answer" in q.status.value


def test_unreachable_store_keeps_answer_and_retries(store: Store) -> None:
    flaky = FlakyStore(store)
    timers: list[Any] = []
    saver = AnswerSaver(flaky, "demo", "newbie",  # type: ignore[arg-type]
                        schedule=lambda d, cb: timers.append((d, cb)) or object())
    status = saver.save(Answer("sf-strategy-link", 3))
    assert status.state == "retrying" and "kept" in status.message
    assert "sf-strategy-link" in saver.pending and len(timers) == 1
    saver.save(Answer("sf-unique-outcomes", 5))
    assert len(saver.pending) == 2
    flaky.down = False
    timers[0][1]()  # the scheduled retry fires
    assert not saver.pending
    cur = store.current_answers("demo").query("respondent == 'newbie'")
    assert sorted(cur["value"].astype(int)) == [3, 5]


def _make_read_only(db: Path) -> Callable[[], None]:
    """Make the store file read-only (immutable when running as root, who ignores modes)."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
            pytest.skip("running as root and chattr +i is not permitted here")
        return lambda: subprocess.run(["chattr", "-i", str(db)], check=True)
    os.chmod(db, 0o444)

    def undo() -> None:
        # SQLite may have made its WAL side files while the store was read-only
        for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            if f.exists():
                os.chmod(f, 0o644)
    return undo


def test_read_only_sqlite_file_is_a_store_error_then_recovers(tmp_path: Path) -> None:
    db = tmp_path / "workbook.db"
    s = Store.open(f"sqlite:///{db}")
    seed_demo(s, load_bank(), with_health_check=False)
    with s.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    undo = _make_read_only(db)
    try:
        ro = Store.open(f"sqlite:///{db}", upgrade=False)
        saver = AnswerSaver(ro, "demo", "amara-osei", schedule=None)
        status = saver.save(Answer("sf-strategy-link", 1))
        assert status.state == "retrying"
        assert saver.pending
    finally:
        undo()
    ro.engine.dispose()
    assert saver.retry().state == "saved"


def test_vanished_sqlite_folder_is_a_store_error_then_recovers(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    s = Store.open(f"sqlite:///{folder / 'workbook.db'}")
    seed_demo(s, load_bank(), with_health_check=False)
    saver = AnswerSaver(s, "demo", "amara-osei", schedule=None)
    s.engine.dispose()
    folder.rename(tmp_path / "away")  # the store's disk is gone
    try:
        status = saver.save(Answer("sf-strategy-link", 1, comment="kept"))
        assert status.state == "retrying" and saver.pending
    finally:
        (tmp_path / "away").rename(folder)
    s.engine.dispose()
    assert saver.retry().state == "saved"
    cur = s.current_answers("demo").query("respondent == 'amara-osei'")
    assert cur.set_index("question_id").loc["sf-strategy-link", "comment"] == "kept"


def test_questionnaire_shows_retry_message_on_screen(store: Store) -> None:
    flaky = FlakyStore(store)
    q = Questionnaire(flaky, load_bank(), store.respondent("demo", "newbie"),  # type: ignore[arg-type]
                      schedule=None)
    q.choose(3)
    assert "Not saved yet" in q.status.value
    assert q.choices.value == 3  # the answer stays on screen
    assert q.retry_button.layout.display != "none"
    flaky.down = False
    q.saver.retry()
    assert "Saved" in q.status.value


def test_token_opens_only_its_own_respondent(store: Store) -> None:
    store.create_engagement("other", "A", "B")
    otto = store.add_respondent("other", "otto", "Otto", "host", "CEO")
    p = params.resolve(query=f"t={otto.token}")
    assert access.resolve_respondent(store, p).id == "otto"
    for bad in (f"t={otto.token}&engagement=demo", f"t={otto.token}&respondent=amara-osei",
                "t=guessed-token", "engagement=demo&respondent=amara-osei&t=x"):
        with pytest.raises(AccessDeniedError):
            access.resolve_respondent(store, params.resolve(query=bad))


def test_facilitator_key_guards_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(access.FACILITATOR_KEY_ENV, "s3cret")
    with pytest.raises(AccessDeniedError):
        access.require_facilitator(params.resolve(query="engagement=demo"))
    with pytest.raises(AccessDeniedError):
        access.resolve_respondent(store, params.resolve(
            query="engagement=demo&respondent=amara-osei"))
    access.require_facilitator(params.resolve(query="engagement=demo&key=s3cret"))
    who = access.resolve_respondent(store, params.resolve(
        query="engagement=demo&respondent=amara-osei&key=s3cret"))
    assert who.id == "amara-osei"


def test_params_fall_back_to_notebook_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    p = params.resolve("demo", "amara-osei", "control")
    assert (p.engagement, p.respondent, p.list_id, p.from_url) == \
        ("demo", "amara-osei", "control", False)
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "engagement=x&respondent=y&list=priority")
    p = params.resolve("demo", "amara-osei")
    assert (p.engagement, p.respondent, p.list_id, p.from_url) == ("x", "y", "priority", True)


def test_list_parameter_limits_the_questionnaire(store: Store) -> None:
    q = Questionnaire(store, load_bank(), store.respondent("demo", "newbie"),
                      list_id="control", schedule=None)
    assert {x.list for x in q.questions} == {"control"}


def test_dashboard_hides_results_until_revealed_and_enough(store: Store) -> None:
    bank = load_bank()
    dash = Dashboard(store, bank, "demo")
    assert dash.snap is not None and not results_shown(dash.snap)
    assert "Results are hidden" in dash.body.value
    dash.reveal.value = True
    assert store.engagement("demo").revealed
    assert "wb-verdict" in dash.body.value and dash.body.value.count("<svg") >= 3
    store.record_answer("demo", "amara-osei", "sf-strategy-link", 2, comment=SCRIPT)
    assert dash.refresh()
    assert SCRIPT not in dash.body.value and "&lt;script&gt;" in dash.body.value
    assert not dash.refresh()  # nothing changed: no redraw
    dash.anonymous.value = True
    assert "Amara Osei" not in dash.body.value + dash.completion.value
    store.create_engagement("thin", "H", "P")
    store.set_engagement_options("thin", revealed=True)
    store.add_respondent("thin", "h1", "H One", "host", "CEO")
    store.record_answer("thin", "h1", "sf-strategy-link", 3)
    thin = Dashboard(store, bank, "thin")
    assert "at least" in thin.body.value and "wb-verdict" not in thin.body.value


def test_setup_creates_adds_and_escapes(store: Store, tmp_path: Path) -> None:
    app = SetupApp(store, load_bank(), "demo", base="http://127.0.0.1:9")
    assert "personal link" in app.roster.value
    app.pick.value = "__new__"
    app.new_id.value, app.new_host.value, app.new_partner.value = "acme-globex", "Acme", "Globex"
    app.create()
    assert store.has_engagement("acme-globex") and app.pick.value == "acme-globex"
    app.r_id.value, app.r_name.value, app.r_role.value = "x1", SCRIPT, "CEO"
    app.add()
    html = roster_html(store, "acme-globex", "http://127.0.0.1:9")
    assert SCRIPT not in html and "&lt;script&gt;" in html
    token = store.respondent("acme-globex", "x1").token
    assert f"questionnaire.ipynb?t={token}" in html
    csv = tmp_path / "answers.csv"
    csv.write_text("engagement,respondent,side,role,question_id,value,comment\n"
                   "acme-globex,x2,partner,CFO,sf-strategy-link,4,\n", encoding="utf-8")
    added = app.import_file(csv)
    assert added["answers"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("nonsense\n1\n", encoding="utf-8")
    app.upload.value = ({"name": "bad.csv", "type": "text/csv", "size": 11,
                         "last_modified": datetime.now(),
                         "content": memoryview(bad.read_bytes())},)
    assert "wb-error" in app.importer.preview.value and app.importer.confirm.disabled


def test_setup_previews_a_survey_export_and_imports_only_on_confirm(store: Store) -> None:
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "templates" / "imports"
    app = SetupApp(store, load_bank(), "demo")
    panel = app.importer

    def upload(widget, path):
        widget.value = ({"name": path.name, "type": "", "size": path.stat().st_size,
                         "last_modified": datetime.now(),
                         "content": memoryview(path.read_bytes())},)
    upload(panel.upload, samples / "web-labels.xlsx")
    assert "needs its mapping file" in panel.preview.value and panel.confirm.disabled
    upload(panel.mapping, samples / "web-labels.map.yaml")
    assert "nothing is written until you confirm" in panel.preview.value
    assert "ana-lopez-contoso-media-example" in panel.preview.value
    assert not store.has_engagement("northwind-contoso") and not panel.confirm.disabled
    added = panel.commit()
    assert added is not None and added["answers"] == 329
    assert store.has_engagement("northwind-contoso")
    assert "northwind-contoso" in dict(app.pick.options).values()
    assert "Imported 329 answers" in panel.preview.value and panel.confirm.disabled


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_snapshot_carries_the_engagement_without_mutating(store: Store) -> None:
    snap = snapshot(store, load_bank(), "demo")
    assert snap.result.organisations == {"host": "Halvorsen Robotics",
                                         "partner": "Castellan Logistics"}
    assert snap.result.title == store.engagement("demo").title
    assert len(snap.result.respondents) in snap.signature
    assert snap.round == "baseline" and snap.trend is None


def test_dashboard_card_shows_form_confidence_runner_up_and_readiness(store: Store) -> None:
    store.set_engagement_options("demo", revealed=True)
    dash = Dashboard(store, load_bank(), "demo")
    assert dash.snap is not None
    r = dash.snap.result
    body = dash.body.value
    card = body.split('<section class="wb-verdict', 1)[1].split("</section>", 1)[0]
    text = _text(card)
    # version 3: the demo's sides picture different deals (docs/decisions.md)
    assert "Conditional fit" in text and "Form: Disputed: the sides picture different deals" \
        in text
    assert f"confidence {round(100 * r.form.confidence)}%" in text
    assert "runner-up" not in text  # disputed: no runner-up to a form nobody recommends
    assert "Each side's picture of the deal" in text
    for sentence in r.form.evidence:
        assert html.escape(sentence, quote=True) in card
    assert "Readiness on each side" in text
    assert card.count('class="wb-met wb-met-') == len(r.readiness)
    assert card.count("wb-met-no") == sum(ch.met is False for ch in r.readiness)
    for ch in r.readiness:
        assert html.escape(ch.detail, quote=True) in card
    assert f"color:{brand.VERDICT_COLOURS['conditional']}" in card
    assert brand.NEUTRAL not in card


def test_dashboard_recommends_another_form_in_the_neutral_colour(store: Store) -> None:
    bank = load_bank()
    seed_licence(store, bank)
    store.set_engagement_options(LICENCE, revealed=True)
    dash = Dashboard(store, bank, LICENCE)
    assert dash.snap is not None and dash.snap.result.verdict == "no-fit"
    pursue = dash.snap.result.form.pursue
    assert pursue is not None
    body = dash.body.value
    card = body.split('<section class="wb-verdict', 1)[1].split("</section>", 1)[0]
    text = _text(card)
    assert "Recommended: licensing" in text and "Recommendation" in text
    assert f"border-left-color:{brand.NEUTRAL}" in card and f"color:{brand.NEUTRAL}" in card
    assert RED not in body and "No fit" not in _text(body)
    assert html.escape(pursue.detail, quote=True) in card
    assert f"{round(100 * pursue.readiness)}% ready" in text
    assert "Readiness on each side" in text and "does not depend on them" in text
    assert "Meridian &lt;Pharma&gt;" in body and "Meridian <Pharma>" not in body


def test_verdict_card_from_a_scored_case_and_what_to_ask() -> None:
    bank = load_bank()
    frame = case_answers(case("technology-licence"), bank)
    licence = score_engagement(frame, bank, "technology-licence")
    card = verdict_card(licence, bank)
    assert "Recommended: licensing" in _text(card) and RED not in card
    alliance = case_answers(case("pharma-codevelopment"), bank)
    unknown = alliance["question_id"].isin([q.id for q in bank.structure_questions])
    alliance.loc[unknown, "dont_know"] = True
    alliance.loc[unknown, "value"] = None
    result = score_engagement(alliance, bank, "pharma-codevelopment")
    assert result.form.to_ask
    card = verdict_card(result, bank)
    assert "Ask about the deal" in card
    for step in result.form.to_ask:
        assert html.escape(step, quote=True) in card
    assert "Ask about the deal" not in verdict_card(licence, bank)


def test_verdict_card_escapes_result_text() -> None:
    bank = load_bank()
    r = score_engagement(case_answers(case("technology-licence"), bank), bank,
                         "technology-licence")
    hostile = replace(r, reasons=[SCRIPT], form=replace(r.form, evidence=[SCRIPT, SCRIPT],
                                                         to_ask=[SCRIPT]),
                      organisations={"host": SCRIPT, "partner": "P"})
    card = verdict_card(hostile, bank)
    assert "<script" not in card and card.count("&lt;script&gt;") >= 4


def test_apps_carry_their_own_styles_for_jupyterlab(store: Store) -> None:
    import ipywidgets as w

    from workbook_helpers.apps.style import widget_css

    css = widget_css()
    assert ".wb-card" in css or ".wb-verdict" in css
    # nothing that would restyle JupyterLab itself or hide its code cells
    assert ":root" not in css and ".jp-InputArea" not in css and "body" not in css.split("{")[0]
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments are not selectors
    selectors = [s.split("{")[0] for s in rules.split("}") if "{" in s]
    assert any(s.strip().startswith("@media") for s in selectors)  # the phone rules parse
    for selector in selectors:
        assert ".wb-" in selector or selector.strip().startswith("@"), selector
    bank = load_bank()
    resp = store.respondents("demo")[0]
    for app in (SetupApp(store, bank, "demo"), Dashboard(store, bank, "demo"),
                Questionnaire(store, bank, resp)):
        first = app.widget.children[0]
        assert isinstance(first, w.HTML) and css in first.value


def test_trend_html_and_action_plan_html_escape_and_label_their_tables() -> None:
    from datetime import date

    from tests.report_support import HOSTILE_TEXT, hostile_plan, three_round_trend
    from workbook_helpers.apps.dashboard import action_plan_html, trend_html

    bank = load_bank()
    t, results = three_round_trend(bank)
    titles = {lst.id: lst.title for lst in bank.lists}
    orgs = {"host": SCRIPT, "partner": HOSTILE_TEXT[1]}
    assert trend_html(None, orgs) == ""
    page = trend_html(t, orgs, "<svg width='1'></svg>", titles)
    assert "<script" not in page
    assert html.escape(SCRIPT) in page and html.escape(HOSTILE_TEXT[1], quote=True) in page
    assert 'aria-label="How things moved since the baseline"' in page
    assert page.count('role="img"') == 1 and "<svg width='1'></svg>" in page
    heads = re.findall(r'<th scope="col">(.*?)</th>', page)
    assert _text(heads[0]) == "List" and _text(heads[-1]) == "Gap" and len(heads) == 4
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")[:-1]
    assert len(rows) == len(t.dimensions)
    for row, (lid, series) in zip(rows, t.dimensions.items(), strict=True):
        assert f'<th scope="row">{html.escape(titles[lid])}</th>' in row
        first, last = series["host"][0], series["host"][-1]
        assert f"{first:.0f} \u2192 {last:.0f}" in _text(row)
    for ch in t.closed + t.opened:
        assert html.escape(ch.detail, quote=True) in page
    closed = page.split("Gaps that closed", 1)[1].split("Gaps that opened", 1)[0]
    assert all(html.escape(ch.detail, quote=True) in closed for ch in t.closed)

    plan = hostile_plan("demo", results, date(2026, 6, 1))
    panel = action_plan_html(plan)
    assert "<script" not in panel and 'aria-label="Action plan"' in panel
    for p in plan:
        assert html.escape(p.action.text, quote=True) in panel
    assert panel.count('class="wb-overdue"') == sum(p.overdue for p in plan) >= 1
    assert len(re.findall(r'<th scope="col">', panel)) == 6
    empty = action_plan_html([])
    assert 'role="status"' in empty and "No actions have been recorded yet." in empty
