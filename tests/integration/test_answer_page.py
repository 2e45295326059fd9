"""The light questionnaire's page and saves (apps/answer_page.py), on a real SQLite store:
the same steps as the widget questionnaire, hostile text escaped or carried as inert JSON,
every posted answer checked against the link's round bank before it is stored."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_helpers.apps import answer_page as ap
from workbook_helpers.apps.questionnaire import Questionnaire
from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.exceptions import AccessDeniedError, WorkbookError
from workbook_helpers.i18n import available_languages
from workbook_helpers.presenting.templating import Markup
from workbook_helpers.store import Store

HOSTILE = '</script><script>alert(1)</script><!-- & "x"'


@pytest.fixture
def people(demo_store: Store) -> Store:
    demo_store.add_respondent("demo", "newbie", HOSTILE, "host", "COO")
    return demo_store


def _page(store: Store, bank: Bank, token: str, **asked: str) -> str:
    return ap.page_html(store, bank, token, post_url="/workbook/answer", xsrf="x|y",
                        nonce="n0nce", css=Markup(""), **asked)


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="wb-data">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_the_page_asks_the_same_steps_as_the_widget_questionnaire(people: Store,
                                                                  bank: Bank) -> None:
    who = people.respondent("demo", "newbie")
    widget = Questionnaire(people, bank, who, schedule=None)
    data = _data(_page(people, bank, who.token or ""))
    assert [(s["q"], s["about"]) for s in data["steps"]] == \
        [(s.question.id, s.about) for s in widget.steps]
    assert any(s["about"] == "other-side" for s in data["steps"])
    first = data["steps"][0]
    q = bank.question_map[first["q"]]
    assert [c[0] for c in first["choices"]] == [*q.scale.points, "dk"]
    assert data["answers"] == {} and data["post"] == "/workbook/answer"


def test_saved_answers_come_back_and_hostile_text_stays_inert(people: Store,
                                                              bank: Bank) -> None:
    who = people.respondent("demo", "newbie")
    token = who.token or ""
    qid = bank.list_ids() and bank.questions_in(bank.list_ids()[0])[0].id
    ap.save_answer(people, bank, ap.Posted(token, qid, "self", 4, HOSTILE))
    html = _page(people, bank, token)
    # nothing a respondent wrote can end the JSON element or open a script
    assert html.count("<script") == 2 and "alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # the name, escaped in the header
    data = _data(html)
    assert data["answers"][qid] == {"value": 4, "dk": False, "na": False, "comment": HOSTILE}


@given(st.text(max_size=60))
def test_embedded_json_round_trips_and_never_closes_its_element(text: str) -> None:
    out = str(ap.embed_json({"t": text, "list": [text]}))
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == {"t": text, "list": [text]}


def test_posted_answers_are_checked_before_anything_is_stored(people: Store,
                                                              bank: Bank) -> None:
    token = people.respondent("demo", "newbie").token or ""
    q = bank.questions_in(bank.list_ids()[0])[0]
    plain = next(x for x in bank.question_map.values() if not x.expect and not x.na_roles)
    bad = [ap.Posted(token, "no-such-question", "self", 3),
           ap.Posted(token, q.id, "self", q.scale.max + 1),
           ap.Posted(token, plain.id, "self", "na"),
           ap.Posted(token, plain.id, "other-side", 2)]
    for posted in bad:
        with pytest.raises(WorkbookError):
            ap.save_answer(people, bank, posted)
    with pytest.raises(AccessDeniedError):
        ap.save_answer(people, bank, ap.Posted("not-a-token", q.id, "self", 3))
    assert people.history("demo").query("respondent == 'newbie'").empty
    saved = ap.save_answer(people, bank, ap.Posted(token, q.id, "self", "dk", "unsure"))
    again = ap.save_answer(people, bank, ap.Posted(token, q.id, "self", "dk", "unsure"))
    assert (saved["state"], again["state"]) == ("saved", "unchanged")
    cur = people.current_answers("demo").query("respondent == 'newbie'")
    assert bool(cur.set_index("question_id").loc[q.id, "dont_know"])


@pytest.mark.parametrize("body, fix", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"t": "x", "q": "y", "choice": true}', "scale point"),
    (b'{"t": "x", "q": "y", "choice": "7"}', "scale point"),
    (b'{"t": "x", "q": "y", "choice": 3, "about": "them"}', "about must be"),
    (b'{"t": "x", "q": "y", "choice": 3, "comment": 5}', "comment must be text"),
])
def test_a_malformed_post_names_what_is_wrong(body: bytes, fix: str) -> None:
    with pytest.raises(WorkbookError, match=fix):
        ap.parse_posted(body)


def test_a_link_cannot_open_someone_else(people: Store, bank: Bank) -> None:
    token = people.respondent("demo", "newbie").token or ""
    with pytest.raises(AccessDeniedError, match="someone else"):
        _page(people, bank, token, respondent="amara-osei")
    with pytest.raises(AccessDeniedError, match="personal link"):
        _page(people, bank, "")


def test_a_later_round_asks_its_own_bank_and_stores_there(people: Store) -> None:
    default = load_bank()
    people.add_round("demo", "health-x", bank="health_check_bank")
    who = people.respondent("demo", "newbie", round_id="health-x")
    health = ap.round_bank(people, who, default)
    assert health.bank.id != default.bank.id
    data = _data(_page(people, default, who.token or ""))
    assert {s["q"] for s in data["steps"]} == set(health.question_map)
    q = next(iter(health.question_map.values()))
    ap.save_answer(people, default, ap.Posted(who.token or "", q.id, "self", 2))
    hist = people.history("demo").query("respondent == 'newbie'")
    assert set(hist["round"]) == {"health-x"}


def test_every_sentence_of_the_script_comes_from_the_server() -> None:
    from workbook_helpers.config import resource

    script = resource(*ap.SCRIPT).read_text(encoding="utf-8")
    direct = set(re.findall(r'\bt\("(\w+)"', script))
    quoted = set(re.findall(r'"(\w+)"', script))
    assert direct <= set(ap.PAGE_TEXT)          # every sentence the script asks for exists
    assert set(ap.PAGE_TEXT) - {"saved_at", "saved_estimate_at"} <= quoted  # and is used
    # no English sentence is written into the script itself
    assert not re.findall(r'"[A-Z][a-z]+ [a-z]+', script)
    # every language hands over every sentence, with the same placeholders as English
    english = ap.page_text("en")
    for lang in available_languages("apps"):
        text = ap.page_text(lang)
        assert set(text) == set(english)
        for key, sentence in text.items():
            assert sorted(re.findall(r"%\((\w+)\)", sentence)) == \
                sorted(re.findall(r"%\((\w+)\)", english[key])), (lang, key)
            if lang != "en" and key not in ("overall",):
                assert sentence != english[key] or not re.search("[a-z]{4}", sentence), \
                    (lang, key)


def test_the_page_speaks_the_respondents_language_and_a_switch_is_remembered(
        people: Store, bank: Bank) -> None:
    from workbook_helpers.bank import load_bank

    people.add_respondent("demo", "greta", "Greta Grün", "host", "CFO", lang="de")
    token = people.respondent("demo", "greta").token or ""
    html = _page(people, bank, token)
    data = _data(html)
    german = load_bank(lang="de")
    assert data["lang"] == "de" and '<html lang="de">' in html
    assert "Ihr Fragebogen" in html and data["text"]["next"] == "Weiter →"
    first = german.question_map[data["steps"][0]["q"]]
    assert first.text in data["steps"][0]["card"]
    assert data["steps"][0]["choices"][0][1].endswith(first.scale.anchors[first.scale.min])
    ap.save_answer(people, bank, ap.Posted(token, first.id, "self", 3, "offen", lang="de"))
    cur = people.current_answers("demo").query("respondent == 'greta'")
    assert cur["comment_lang"].tolist() == ["de"]
    body = json.dumps({"t": token, "lang": "es"}).encode()
    payload = ap.save_language(people, bank, body, post_url="/workbook/answer", xsrf="x")
    assert people.respondent_language("demo", "greta") == "es"
    assert payload["data"]["lang"] == "es" and "Su cuestionario" in payload["header"]
    assert [s["q"] for s in payload["data"]["steps"]] == [s["q"] for s in data["steps"]]
    with pytest.raises(WorkbookError, match="does not speak"):
        ap.save_language(people, bank, json.dumps({"t": token, "lang": "xx"}).encode(),
                         post_url="/workbook/answer", xsrf="x")


def test_a_bad_link_is_refused_in_the_visitors_language() -> None:
    from workbook_helpers.apps import access

    assert access.BAD_LINK in ap.ERROR_TEXT  # the page translates access's own message
    german = ap.error_html(access.BAD_LINK, Markup(""), lang="de")
    assert "Dieser Link öffnet keinen Fragebogen" in german and '<html lang="de">' in german
    other = ap.error_html("<b>not a known message</b>", Markup(""), lang="de")
    assert "&lt;b&gt;not a known message&lt;/b&gt;" in other  # escaped, kept as given
