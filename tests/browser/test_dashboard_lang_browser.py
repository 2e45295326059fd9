"""The facilitator's dashboard in German under Voila (`?lang=de`): labels, verdict card and
the result's sentences in German, no English sentence of the report catalogue left, nothing
loaded from outside 127.0.0.1 (the `page` fixture checks that)."""

from __future__ import annotations

from typing import Any

from tests.integration.test_report_lang import english_left, english_sentence_catalogue
from workbook_helpers.presenting.speaking import _, speaking

from .conftest import Server, Watched, shoot


def _german(msgid: str) -> str:
    with speaking("de"):
        return _(msgid)


def _wait(page: Any, selector: str) -> None:
    page.wait_for_selector(selector, state="visible", timeout=90_000)


def test_dashboard_speaks_german_when_asked(server: Server, page: Watched) -> None:
    p = page.page
    store = server.store()
    store.set_engagement_options("demo", revealed=True)
    store.close()
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=demo&lang=de")
    _wait(p, ".wb-dashboard .wb-verdict")
    board = p.locator(".wb-dashboard")
    text = board.inner_text()
    assert _german("Verdict") in text and _german("Gaps to discuss") in text
    assert _german("Reveal results to the room") in text
    # comments and actions are the respondents' own words: left out of the check
    shown = p.evaluate("""() => { const d = document.querySelector('.wb-dashboard').cloneNode(true);
        d.querySelectorAll('.wb-comment-text, .wb-action td:first-child').forEach(e => e.remove());
        return d.innerText; }""")
    assert english_left(shown, english_sentence_catalogue()) == []
    shoot(p, "dashboard-de")
    shoot(p, "dashboard-de-verdict-card", p.locator(".wb-verdict").first)
