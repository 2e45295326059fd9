"""The questionnaire in German and in Spanish, in headless Chromium against the real Voila
server of conftest.py: two respondents of the two sides answer the demo's questions, each in
their own language (bank texts and every word of the page), reload and find their answers,
switch language in place; the dashboard shows both in one result."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import Server, Watched, shoot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

ENG = "sprachen"
# what each language's page says; the words come from the apps catalogue, so a missing or
# broken catalogue shows English here and fails
WORDS = {
    "de": {"hello": "Ihr Fragebogen", "next": "Weiter →", "back": "← Zurück",
           "dk": "Weiß nicht", "comment": "Kommentar", "saved": "✓ Gespeichert",
           "overall": "Gesamtfortschritt: 3 von", "band": "Ihre Einschätzung von",
           "comment_text": "Budget für 2027 noch offen – der Vorstand entscheidet im März.",
           "name": "Greta Grün", "who": "greta", "side": "host"},
    "es": {"hello": "Su cuestionario", "next": "Siguiente →", "back": "← Atrás",
           "dk": "No lo sé", "comment": "Comentario", "saved": "✓ Guardado",
           "overall": "Progreso total: 3 de", "band": "Su estimación de",
           "comment_text": "¿Quién decide el presupuesto? Falta acordarlo con la dirección.",
           "name": "Sofía Núñez", "who": "sofia", "side": "partner"},
}


@pytest.fixture(scope="module")
def langs_engagement(server: Server) -> dict[str, str]:
    """An engagement on the demo's organisations and bank with a German host and a Spanish
    partner executive; their personal link tokens."""
    from workbook_helpers.demo.baseline import HOST_ORG, PARTNER_ORG

    store = server.store()
    store.create_engagement(ENG, HOST_ORG, PARTNER_ORG, title="Sprachen · idiomas")
    for lang, w in WORDS.items():
        store.add_respondent(ENG, w["who"], w["name"], w["side"], "CFO", lang=lang)
    # one more person per side, answering in English through the store: results show from
    # two respondents per side (the bank's threshold)
    from workbook_helpers.bank import load_bank

    first = [q.id for q in load_bank().questions[:3]]
    for who, side in (("hugo", "host"), ("pablo", "partner")):
        store.add_respondent(ENG, who, who.title(), side, "CEO")
        for qid in first:
            store.record_answer(ENG, who, qid, 3, comment=f"{who} in English", lang="en")
    store.set_engagement_options(ENG, revealed=True)
    tokens = {w["who"]: store.respondent(ENG, w["who"]).token or "" for w in WORDS.values()}
    store.close()
    return tokens


def _url(srv: Server, token: str) -> str:
    return f"{srv.base}/voila/render/questionnaire.ipynb?t={token}"


def _wait_app(page: Any) -> None:
    page.wait_for_selector(".wb-questionnaire .wb-question", state="visible", timeout=90_000)


def _choose(page: Any, label_start: str, saved: str) -> None:
    """Click the option whose label starts with `label_start`; wait for the save status in
    the page's language."""
    before = page.locator(".wb-status").get_attribute("data-saves") or ""
    page.get_by_role("radio", name=re.compile("^" + re.escape(label_start))).check()
    page.wait_for_function(
        "([b, s]) => { const e = document.querySelector('.wb-status');"
        " return e && e.innerText.includes(s) && e.getAttribute('data-saves') !== b; }",
        arg=[before, saved])


def _next(page: Any, label: str) -> None:
    text = page.locator(".wb-question").inner_text()
    page.get_by_role("button", name=label).click()
    page.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                           arg=text)


def _answer_three(page: Any, lang: str) -> None:
    """Answer the first three own questions (4, don't know with a comment, 2), giving an
    estimate of the other side (3) on every estimate step met on the way."""
    w = WORDS[lang]
    plan = ["4 ·", w["dk"], "2 ·"]
    while plan:
        if page.locator(".wb-expect-card").count():
            assert w["band"] in page.locator(".wb-expect-band").inner_text()
            _choose(page, "3 ·", w["saved"])
        else:
            pick = plan.pop(0)
            _choose(page, pick, w["saved"])
            if pick == w["dk"]:
                box = page.get_by_role("textbox", name=w["comment"])
                box.fill(w["comment_text"])
                box.press("Tab")  # saved when the box loses focus
                page.wait_for_timeout(500)
        if plan:
            _next(page, w["next"])


@pytest.mark.parametrize("lang", ["de", "es"])
def test_a_respondent_answers_in_their_language_and_finds_the_answers_after_reload(
        server: Server, page: Watched, langs_engagement: dict[str, str], lang: str) -> None:
    from workbook_helpers.bank import load_bank

    w = WORDS[lang]
    translated = load_bank(lang=lang)
    english = load_bank()
    p = page.page
    p.goto(_url(server, langs_engagement[w["who"]]))
    _wait_app(p)
    hello = p.locator(".wb-hello").inner_text()
    assert w["hello"] in hello and w["name"] in hello
    assert p.locator(".wb-lang select").input_value() is not None
    first = translated.questions[0]
    assert p.locator(".wb-question").inner_text().strip() == first.text
    assert first.text != english.questions[0].text  # really the translation
    assert first.scale.anchors[1] in p.locator(".wb-choices").inner_text()
    _answer_three(p, lang)
    assert w["overall"] in p.locator(".wb-progress-label").first.inner_text()
    assert "answered" not in p.locator(".wb-app").inner_text()  # no English word left over
    shoot(p, f"questionnaire-{lang}")

    store = server.store()
    cur = store.current_answers(ENG)
    mine = cur[(cur["respondent"] == w["who"]) & (cur["about"] == "self")]
    assert len(mine) == 3
    assert sorted(mine["value"].dropna().astype(int).tolist()) == [2, 4]
    assert mine["dont_know"].sum() == 1
    assert set(mine["comment_lang"]) == {lang}
    assert w["comment_text"] in mine["comment"].tolist()  # kept as written
    store.close()

    p.reload()
    _wait_app(p)
    assert w["hello"] in p.locator(".wb-hello").inner_text()
    assert w["overall"] in p.locator(".wb-progress-label").first.inner_text()
    # back through the steps (estimates included) to the don't-know answer with its comment
    dk = p.get_by_role("radio", name=w["dk"], exact=True)
    for _ in range(6):
        if dk.count() and dk.is_checked():
            break
        text = p.locator(".wb-question").inner_text()
        p.get_by_role("button", name=w["back"]).click()
        p.wait_for_function("t => document.querySelector('.wb-question').innerText !== t",
                            arg=text)
        p.wait_for_timeout(400)
    assert p.get_by_role("radio", name=w["dk"], exact=True).is_checked()
    assert p.get_by_role("textbox", name=w["comment"]).input_value() == w["comment_text"]


def test_the_language_switch_re_renders_in_place_and_is_remembered(
        server: Server, page: Watched, langs_engagement: dict[str, str]) -> None:
    from workbook_helpers.bank import load_bank

    p = page.page
    p.goto(_url(server, langs_engagement["sofia"]))
    _wait_app(p)
    assert "Su cuestionario" in p.locator(".wb-hello").inner_text()
    spanish = p.locator(".wb-question").inner_text().strip()
    p.locator(".wb-lang select").select_option(label="Deutsch")
    p.wait_for_function("() => document.querySelector('.wb-hello').innerText"
                        ".includes('Ihr Fragebogen')")
    p.wait_for_function("t => document.querySelector('.wb-question').innerText.trim() !== t",
                        arg=spanish)
    german = p.locator(".wb-question").inner_text().strip()
    by_text = {q.text: q.id for q in load_bank(lang="es").questions}
    same = {q.id: q.text for q in load_bank(lang="de").questions}
    assert german == same[by_text[spanish]]  # the same question, now in German
    assert p.get_by_role("button", name="Weiter →").count() == 1
    shoot(p, "questionnaire-switched-to-de")
    store = server.store()
    assert store.respondent_language(ENG, "sofia") == "de"
    store.close()
    p.reload()
    _wait_app(p)
    assert "Ihr Fragebogen" in p.locator(".wb-hello").inner_text()
    p.locator(".wb-lang select").select_option(label="Español")
    p.wait_for_function("() => document.querySelector('.wb-hello').innerText"
                        ".includes('Su cuestionario')")
    store = server.store()
    assert store.respondent_language(ENG, "sofia") == "es"
    store.close()


def test_the_dashboard_shows_both_languages_in_one_result(
        server: Server, page: Watched, langs_engagement: dict[str, str]) -> None:
    from workbook_helpers.bank import load_bank
    from workbook_helpers.scoring import score_engagement

    store = server.store()
    cur = store.current_answers(ENG)
    store.close()
    own = cur[cur["about"] == "self"]
    if not {"greta", "sofia"} <= set(own["respondent"]):
        pytest.skip("runs after the two questionnaires of this module")
    result = score_engagement(cur, load_bank(), ENG).to_dict()
    answered = {q.list for q in load_bank().questions if q.id in set(own["question_id"])}
    lst = next(iter(answered))
    assert result["dimensions"][lst]["host"] is not None
    assert result["dimensions"][lst]["partner"] is not None
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement={ENG}")
    p.wait_for_selector(".wb-dashboard", state="visible", timeout=90_000)
    p.wait_for_selector(".wb-chart svg")
    charts = p.locator(".wb-chart").first.inner_text()
    assert "Greta Grün" in charts and "Sofía Núñez" in charts
    n = len(load_bank().questions)
    # each person's progress in the one chart: their answers with a value (a don't know is
    # not counted as answered there), the same for both languages
    valued = own[~own["dont_know"].astype(bool)].groupby("respondent").size()
    assert valued["greta"] == valued["sofia"] == 2
    assert charts.count(f"2 of {n}") == 2
    comments = p.locator(".wb-comments").inner_text()
    for w in WORDS.values():
        assert w["comment_text"] in comments
    shoot(p, "dashboard-two-languages")
