"""The workshop apps in headless Chromium against a real Voila server (see conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import Server, Watched, axe_serious, shoot, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SCRIPT = "<script>alert(1)</script>"


def q_url(srv: Server, rid: str, extra: str = "") -> str:
    return f"{srv.base}/voila/render/questionnaire.ipynb?t={srv.tokens[rid]}{extra}"


def wait_app(page: Any, selector: str) -> None:
    page.wait_for_selector(selector, state="visible", timeout=90_000)


def choose(page: Any, label_start: str) -> None:
    """Click the radio option whose label starts with `label_start`, wait for 'Saved'."""
    before = page.locator(".wb-status").get_attribute("data-saves") or ""
    page.get_by_role("radio", name=re.compile("^" + re.escape(label_start))).check()
    page.wait_for_function(
        "b => { const s = document.querySelector('.wb-status');"
        " return s && s.innerText.includes('Saved') && s.getAttribute('data-saves') !== b; }",
        arg=before)


def _comments(server: Server, respondent: str) -> list[str]:
    """The comments of `respondent`'s current answers in the server's store."""
    store = server.store()
    try:
        cur = store.current_answers("demo")
        return [str(c) for c in cur[cur["respondent"] == respondent]["comment"]]
    finally:
        store.close()


def question_text(page: Any) -> str:
    return str(page.locator(".wb-question").inner_text())


def test_questionnaire_saves_clicks_and_keeps_them_after_reload(server: Server,
                                                                 page: Watched) -> None:
    p = page.page
    p.goto(q_url(server, "tess-tester"))
    wait_app(p, ".wb-questionnaire .wb-question")
    assert "Tess Tester" in p.locator(".wb-hello").inner_text()
    shoot(p, "questionnaire-1280x800")
    first = question_text(p)
    choose(p, "4 ·")
    p.get_by_role("button", name="Next →").click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t", arg=first)
    second = question_text(p)
    choose(p, "2 ·")
    box = p.get_by_role("textbox", name="Comment")
    box.fill(SCRIPT)
    box.press("Tab")  # the comment is saved when the box loses focus
    wait_until(lambda: SCRIPT in _comments(server, "tess-tester"), 30, "the comment saved")
    p.get_by_role("button", name="Next →").click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                        arg=second)
    choose(p, "Don't know")
    assert "3 of" in p.locator(".wb-progress-label").first.inner_text()
    shoot(p, "questionnaire-answered")

    store = server.store()
    cur = store.current_answers("demo")
    mine = cur[cur["respondent"] == "tess-tester"].set_index("question_id")
    assert len(mine) == 3
    got = sorted(mine["value"].dropna().astype(int).tolist())
    assert got == [2, 4]
    assert mine["dont_know"].sum() == 1
    assert SCRIPT in mine["comment"].tolist()
    hist = store.history("demo")
    assert (hist["respondent"] == "tess-tester").sum() >= 4  # comment added a second row
    assert set(hist[hist["respondent"] == "tess-tester"]["source"]) == {"app"}

    p.reload()
    wait_app(p, ".wb-questionnaire .wb-question")
    assert "3 of" in p.locator(".wb-progress-label").first.inner_text()
    fourth = question_text(p)
    assert fourth not in (first, second)  # resumes at the first unanswered question
    p.get_by_role("button", name="← Back").click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                        arg=fourth)
    expect(p.get_by_role("radio", name="Don't know")).to_be_checked()  # synced after the text
    third = question_text(p)
    p.get_by_role("button", name="← Back").click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                        arg=third)
    expect(p.get_by_role("radio", name=re.compile(r"^2 ·"))).to_be_checked()
    expect(p.get_by_role("textbox", name="Comment")).to_have_value(SCRIPT)
    # change an answer: the store keeps both versions
    choose(p, "5 ·")
    hist = server.store().history("demo")
    rows = hist[(hist["respondent"] == "tess-tester")]
    counts = rows.groupby("question_id").size()
    assert counts.max() >= 3
    assert server.store().current_answers("demo").query(
        "respondent == 'tess-tester'")["value"].dropna().astype(int).max() == 5


def test_questionnaire_is_keyboard_usable(server: Server, page: Watched) -> None:
    p = page.page
    p.goto(q_url(server, "reload-rita"))
    wait_app(p, ".wb-questionnaire .wb-question")
    radio = p.get_by_role("radio", name=re.compile(r"^3 ·"))
    radio.focus()
    p.keyboard.press("Space")
    p.wait_for_function("() => document.querySelector('.wb-status').innerText.includes('Saved')")
    cur = server.store().current_answers("demo")
    assert (cur["respondent"] == "reload-rita").sum() == 1


def test_questionnaire_accessible_and_tablet(server: Server, browser: Any) -> None:
    ctx = browser.new_context(reduced_motion="reduce", viewport={"width": 820, "height": 1180})
    p = ctx.new_page()
    seen: list[str] = []
    p.on("request", lambda r: seen.append(r.url))
    p.goto(q_url(server, "mei-tanaka"))
    wait_app(p, ".wb-questionnaire .wb-question")
    shoot(p, "questionnaire-tablet")
    problems = axe_serious(p)
    ctx.close()
    assert not problems, "\n".join(problems)
    assert all(u.startswith(("http://127.0.0.1", "data:", "blob:")) for u in seen)


def test_bad_or_foreign_links_are_refused(server: Server, page: Watched) -> None:
    p = page.page
    p.goto(f"{server.base}/voila/render/questionnaire.ipynb?t=not-a-real-token")
    wait_app(p, ".wb-error-page")
    assert "personal link" in p.locator(".wb-error-page").inner_text()
    assert p.locator(".wb-question").count() == 0
    shoot(p, "questionnaire-bad-link")
    # a link of engagement "other" cannot open engagement "demo" nor another person
    p.goto(q_url(server, "otto", "&engagement=demo&respondent=amara-osei"))
    wait_app(p, ".wb-error-page")
    assert "someone else" in p.locator(".wb-error-page").inner_text()
    assert p.locator(".wb-question").count() == 0


def test_dashboard_draws_charts_and_escapes_text(server: Server, page: Watched) -> None:
    store = server.store()
    store.set_engagement_options("demo", revealed=False)
    store.record_answer("demo", "amara-osei", "sf-strategy-link", 4, comment=SCRIPT)
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=demo")
    wait_app(p, ".wb-dashboard")
    p.wait_for_selector(".wb-chart svg", timeout=60_000)
    assert "Results are hidden" in p.locator(".wb-dashboard").inner_text()
    assert p.locator(".wb-verdict").count() == 0
    shoot(p, "dashboard-hidden")
    p.get_by_role("checkbox", name="Reveal results to the room").check()
    p.wait_for_selector(".wb-verdict", timeout=60_000)
    charts = p.locator(".wb-chart svg")
    assert charts.count() >= 4
    for i in range(charts.count()):
        marks = charts.nth(i).locator("path, rect, line, circle")
        assert marks.count() > 5, f"chart {i} has no marks"
    text = p.locator("body").inner_text()
    assert "Error loading script" not in text
    assert "Traceback" not in text
    assert SCRIPT in p.locator(".wb-comments").inner_text()  # shown as text, never run
    assert p.locator(".wb-comments script").count() == 0
    assert "Gaps to discuss" in text
    # the judgment: form, confidence, runner-up, evidence and readiness per side
    card = p.locator(".wb-verdict")
    card_text = card.inner_text()
    assert "Recommended form:" in card_text and re.search(r"confidence \d+%", card_text)
    assert "runner-up:" in card_text and "Evidence for the form" in card_text
    table = card.locator(".wb-readiness-table")
    assert table.is_visible() and table.locator("tbody tr").count() >= 3
    assert table.locator(".wb-met").count() >= 6
    # nothing in the card is wider than the card (long sentences wrap)
    assert p.evaluate("() => { const c = document.querySelector('.wb-verdict');"
                      " return c.scrollWidth <= c.clientWidth + 1; }")
    shoot(p, "dashboard-1280x800")
    shoot(p, "dashboard-verdict-card", card)
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)
    p.get_by_role("checkbox", name=re.compile("Anonymous")).check()
    p.wait_for_function("() => !document.querySelector('.wb-comments').innerText"
                        ".includes('Amara Osei')", timeout=60_000)
    assert "CFO" in p.locator(".wb-comments").inner_text()
    shoot(p, "dashboard-anonymous")
    store.set_engagement_options("demo", revealed=False, anonymous=False)


def test_dashboard_refreshes_as_answers_arrive(server: Server, page: Watched) -> None:
    store = server.store()
    store.create_engagement("live", "Live Host", "Live Partner")
    store.add_respondent("live", "h1", "Hana One", "host", "CEO")
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=live")
    wait_app(p, ".wb-dashboard")
    p.wait_for_selector(".wb-chart svg")
    from workbook_helpers.bank import load_bank

    n = len(load_bank().questions)  # the bank's size, not a number frozen in the test
    assert f"0 of {n}" in p.locator(".wb-chart").first.inner_text()
    store.record_answer("live", "h1", "sf-strategy-link", 3)
    store.record_answer("live", "h1", "sf-unique-outcomes", 4)
    # no reload: the page polls the store every 5 s and redraws
    p.wait_for_function("n => document.querySelector('.wb-chart').textContent"
                        ".includes(`2 of ${n}`)", arg=n, timeout=30_000)
    assert "Hana One" in p.locator(".wb-chart").first.inner_text()
    shoot(p, "dashboard-live-refresh")


def test_setup_page_lists_personal_links(server: Server, page: Watched) -> None:
    p = page.page
    p.goto(f"{server.base}/voila/render/setup.ipynb?engagement=demo")
    wait_app(p, ".wb-roster")
    text = p.locator(".wb-roster").inner_text()
    assert "Amara Osei" in text
    rounds = p.locator(".wb-rounds .wb-table").inner_text()
    assert "baseline" in rounds and "health-2026-09" in rounds
    assert server.tokens["amara-osei"] in text
    shoot(p, "setup-1280x800")
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)


def test_dashboard_recommends_another_form_in_a_neutral_card(server: Server,
                                                             page: Watched) -> None:
    from workbook_helpers.presenting import brand

    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=licence")
    wait_app(p, ".wb-dashboard")
    p.wait_for_selector(".wb-verdict", timeout=60_000)
    card = p.locator(".wb-verdict")
    text = card.inner_text()
    assert "Recommended: licensing" in text and "% ready" in text
    assert "No fit" not in p.locator("body").inner_text()
    assert "Meridian <Pharma>" in p.locator(".wb-hello").inner_text()

    def rgb(hex_colour: str) -> str:
        h = hex_colour.lstrip("#")
        return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))

    label = card.locator(".wb-verdict-label")
    assert label.evaluate("e => getComputedStyle(e).color") == rgb(brand.NEUTRAL)
    assert card.evaluate("e => getComputedStyle(e).borderLeftColor") == rgb(brand.NEUTRAL)
    assert rgb(brand.VERDICT_COLOURS["no-fit"]) not in (
        label.evaluate("e => getComputedStyle(e).color"),
        card.evaluate("e => getComputedStyle(e).borderLeftColor"))
    assert card.locator(".wb-pursue .wb-meter-fill").count() == 1
    assert card.locator(".wb-readiness-table tbody tr").count() >= 3
    shoot(p, "dashboard-recommendation")
    shoot(p, "dashboard-recommendation-card", card)
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)


def checked(radio: Any) -> None:
    """Fail unless the radio is (or within a few seconds becomes) checked."""
    from playwright.sync_api import expect

    expect(radio).to_be_checked(timeout=10_000)


def _list_button(page: Any, title: str) -> Any:
    return page.get_by_role("button", name=re.compile("^" + re.escape(title)))


def test_questionnaire_asks_what_the_other_side_will_answer_and_keeps_it(
        server: Server, page: Watched) -> None:
    store = server.store()
    erin = store.add_respondent("demo", "exp-erin", "Erin Expect", "host", "COO")
    asked = store_bank(store)  # the bank of the demo's latest round (its health check)
    bank_q = [q for q in asked.iter_ordered() if q.list == "control"]
    first, second = bank_q[0], bank_q[1]
    control = asked.list_map["control"].title
    assert first.expect
    url = f"{server.base}/voila/render/questionnaire.ipynb?t={erin.token}"
    p = page.page
    p.goto(url)
    wait_app(p, ".wb-questionnaire .wb-question")
    assert "Your estimates of Castellan Logistics: 0 of" in p.locator(".wb-hello").evaluate(
        "e => e.closest('.wb-questionnaire').innerText")
    _list_button(p, control).click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText.includes(t)",
                        arg=first.text[:40])
    assert p.locator(".wb-expect-card").count() == 0
    choose(p, "4 ·")
    before = question_text(p)
    p.get_by_role("button", name="Next →").click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                        arg=before)
    card = p.locator(".wb-expect-card")
    assert card.is_visible()
    assert "What will Castellan Logistics\u2019 team answer here?" in card.inner_text()
    assert "not your own answer" in card.inner_text()
    assert "Your own answer: 4" in card.inner_text()
    assert p.get_by_role("radio", name="Don't know what they will answer").count() == 1
    # the band looks different from an own question: the estimate colour, not a side's
    border = card.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert border == "rgb(143, 63, 113)"  # brand.EXPECT_DARK
    choose(p, "2 ·")
    assert "Saved your estimate" in p.locator(".wb-status").inner_text()
    assert "1 of" in p.locator(".wb-progress-expect").inner_text()
    assert "Overall progress: 1 of" in p.locator(".wb-progress-label").first.inner_text()
    shoot(p, "questionnaire-expectation")
    shoot(p, "questionnaire-expectation-card", card)
    cur = server.store().current_answers("demo")
    mine = cur[cur["respondent"] == "exp-erin"].set_index("about")
    assert int(mine.loc["self", "value"]) == 4 and int(mine.loc["other-side", "value"]) == 2
    assert set(mine["question_id"]) == {first.id}
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)

    p.reload()
    wait_app(p, ".wb-questionnaire .wb-question")
    assert "1 of" in p.locator(".wb-progress-expect").inner_text()
    _list_button(p, control).click()
    p.wait_for_function("t => document.querySelector('.wb-question').innerText.includes(t)",
                        arg=second.text[:40])
    p.get_by_role("button", name="← Back").click()
    p.wait_for_selector(".wb-expect-card", state="visible")
    checked(p.get_by_role("radio", name=re.compile(r"^2 ·")))
    p.get_by_role("button", name="← Back").click()
    p.wait_for_selector(".wb-expect-card", state="detached")
    # the page redraws the question after the card goes: wait for the radio, then check it
    checked(p.get_by_role("radio", name=re.compile(r"^4 ·")))

    # switched off: the same link asks own answers only
    server.store().set_engagement_options("demo", expectations=False)
    try:
        p.reload()
        wait_app(p, ".wb-questionnaire .wb-question")
        assert p.locator(".wb-progress-expect").is_hidden()
        _list_button(p, control).click()
        p.wait_for_function("t => document.querySelector('.wb-question').innerText"
                            ".includes(t)", arg=second.text[:40])
        p.get_by_role("button", name="← Back").click()
        p.wait_for_function("t => document.querySelector('.wb-question').innerText"
                            ".includes(t)", arg=first.text[:40])
        assert p.locator(".wb-expect-card").count() == 0
        p.get_by_role("button", name="Next →").click()
        p.wait_for_function("t => document.querySelector('.wb-question').innerText"
                            ".includes(t)", arg=second.text[:40])
        assert p.locator(".wb-expect-card").count() == 0
        shoot(p, "questionnaire-expectations-off")
    finally:
        server.store().set_engagement_options("demo", expectations=True)


def store_bank(store: Any = None) -> Any:
    from workbook_helpers.bank import load_bank
    from workbook_helpers.bank.choice import bank_for

    bank = load_bank()
    return bank if store is None else bank_for(store.round("demo").bank, bank)


def test_dashboard_shows_expectation_gaps_and_robustness_after_reveal(
        server: Server, page: Watched) -> None:
    store = server.store()
    store.set_engagement_options("demo", revealed=False, anonymous=False)
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=demo")
    wait_app(p, ".wb-dashboard")
    p.wait_for_selector(".wb-chart svg", timeout=60_000)
    assert p.locator(".wb-expectations").count() == 0 and p.locator(".wb-robust").count() == 0
    assert "estimates" in p.locator(".wb-chart").first.inner_text()
    p.get_by_role("checkbox", name="Reveal results to the room").check()
    p.wait_for_selector(".wb-expectations svg", timeout=60_000)
    section = p.locator(".wb-expectations")
    assert "What each side got wrong about the other" in section.inner_text()
    assert "blind spot" in section.inner_text()
    svg = section.locator("svg")
    assert svg.count() == 1
    assert svg.locator("path").count() > 20
    assert svg.evaluate("e => e.getBoundingClientRect().height") > 200
    drawn = svg.text_content() or ""
    assert "What Halvorsen Robotics expected of Castellan Logistics" in drawn
    assert "Blind spot" in drawn
    robust = p.locator(".wb-verdict .wb-robust")
    assert robust.is_visible()
    # what the page says must match the store's own result (other tests add answers)
    from workbook_helpers.bank import load_bank
    from workbook_helpers.scoring.stored import engagement_result

    rob = engagement_result(store, load_bank(), "demo").robustness
    assert rob is not None
    firm = rob.verdict_stable and rob.form_stable
    assert ("This verdict is firm:" if firm else "This verdict is close:") in robust.inner_text()
    assert re.search(r"\d+ of \d+ one-point changes", robust.inner_text())
    shoot(p, "dashboard-expectations", section)
    shoot(p, "dashboard-verdict-robustness", p.locator(".wb-verdict"))
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)
    # the facilitator's switch next to reveal and anonymous
    switch = p.get_by_role("checkbox", name="Ask what each side expects of the other")
    assert switch.is_checked()
    switch.uncheck()
    p.wait_for_function("() => document.querySelector('.wb-expectations')"
                        ".innerText.includes('switched off')", timeout=60_000)
    assert server.store().engagement("demo").expectations is False
    switch.check()
    p.wait_for_function("() => !document.querySelector('.wb-expectations')"
                        ".innerText.includes('switched off')", timeout=60_000)
    assert server.store().engagement("demo").expectations is True
    store.set_engagement_options("demo", revealed=False)


def test_setup_switches_expectation_questions(server: Server, page: Watched) -> None:
    p = page.page
    p.goto(f"{server.base}/voila/render/setup.ipynb?engagement=demo")
    wait_app(p, ".wb-table")
    box = p.get_by_role("checkbox", name=re.compile("^Ask what each side expects"))
    assert box.is_checked()
    box.uncheck()
    p.wait_for_function("() => document.body.innerText.includes('no longer asks')")
    assert server.store().engagement("demo").expectations is False
    box.check()
    p.wait_for_function("() => document.body.innerText.includes('now asks')")
    assert server.store().engagement("demo").expectations is True
    shoot(p, "setup-expectations")


def test_dashboard_marks_a_close_verdict(server: Server, page: Watched) -> None:
    from workbook_helpers.demo.cases import case, seed_case

    store = server.store()
    c = case("pharma-codevelopment")
    seed_case(store, store_bank(), c)
    store.set_engagement_options(c.id, revealed=True)
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement={c.id}")
    wait_app(p, ".wb-dashboard")
    p.wait_for_selector(".wb-verdict .wb-robust", timeout=60_000)
    card = p.locator(".wb-verdict")
    assert "Close call: rests on one answer" in card.locator(".wb-verdict-label").inner_text()
    note = card.locator(".wb-robust")
    assert "This verdict is close: If the host's CEO answered 3 instead of 4" in \
        note.inner_text()
    assert "Confirm that answer" in note.inner_text()
    assert re.search(r"\d+ of \d+ one-point changes to single answers would change the "
                     "verdict", note.inner_text())
    # a close verdict is not coloured as a worse one: ink on grey
    assert note.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(241, 243, 246)"
    shoot(p, "dashboard-close-verdict-card", card)
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)
