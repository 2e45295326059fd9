"""The facilitator's dashboard in the facilitator's language (`?lang=de`, else the
engagement's, else English): labels, the result's sentences, charts and bank texts; the
respondents' comments as written."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.integration.test_report_lang import english_left, english_sentence_catalogue
from tests.report_support import page_text
from workbook_helpers.apps.dashboard import Dashboard, dashboard_language
from workbook_helpers.bank import Bank
from workbook_helpers.presenting.speaking import _, speaking

COMMENT = "Wir brauchen erst den Vorstand – we need the board first"


@pytest.fixture(scope="module")
def english_sentences() -> set[str]:
    return english_sentence_catalogue()


def _german(msgid: str) -> str:
    with speaking("de"):
        return _(msgid)


def _shown(dash: Dashboard) -> str:
    parts = [dash.header.value, dash.round_line.value, dash.completion.value, dash.body.value,
             dash.norms.value, dash.trend.value, dash.plan.value, dash.status.value,
             dash.messages.value]
    html = "\n".join(str(p) for p in parts)
    # respondents' and facilitators' own words stay as written
    html = re.sub(r'<span class="wb-comment-text"[^>]*>.*?</span>', " ", html, flags=re.S)
    return unescape(page_text(html))


def test_the_language_asked_for_wins_then_the_engagement_then_english() -> None:
    assert dashboard_language("de", "fr") == "de"
    assert dashboard_language("de-AT", None) == "de"
    assert dashboard_language("xx", "fr") == "fr"   # an unknown tag in the URL is skipped
    assert dashboard_language("", None) == "en"


def test_german_dashboard_has_no_english_sentence(demo_store: object, bank: Bank,
                                                  english_sentences: set[str]) -> None:
    store = demo_store
    store.record_answer("demo", "tomas-berg", "ctl-shared-control", 4,  # type: ignore[attr-defined]
                        comment=COMMENT)
    store.set_engagement_options("demo", revealed=True)  # type: ignore[attr-defined]
    dash = Dashboard(store, bank, "demo", lang="de")  # type: ignore[arg-type]
    assert dash.lang == "de"
    text = _shown(dash)
    assert english_left(text, english_sentences) == []
    for label in ("Verdict", "Gaps to discuss", "Readiness on each side"):
        assert _german(label) in text
    assert dash.reveal.description == _german("Reveal results to the room")
    assert dash.actions.record_button.description == _german("Record action")
    assert COMMENT in unescape(str(dash.body.value))  # comments are never translated
    english = Dashboard(store, bank, "demo")  # type: ignore[arg-type]
    assert english.lang == "en" and "Gaps to discuss" in _shown(english)
    assert english.snap is not None and dash.snap is not None
    assert english.snap.result.verdict == dash.snap.result.verdict
