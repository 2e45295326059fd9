"""The facilitator's dashboard in German under Voila (`?lang=de`): labels, verdict card and
the result's sentences in German, no English sentence of the report catalogue left, nothing
loaded from outside 127.0.0.1 (the `page` fixture checks that)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.integration.test_report_lang import english_left, english_sentence_catalogue
from workbook_helpers.presenting.speaking import _, speaking

from .conftest import Server, Watched, axe_serious, shoot


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
    assert p.evaluate("() => document.documentElement.lang") == "de"  # the app's language
    shoot(p, "dashboard-de")
    shoot(p, "dashboard-de-verdict-card", p.locator(".wb-verdict").first)


def _apps(lang: str, msgid: str) -> str:
    from workbook_helpers.i18n import gettext_for

    return gettext_for(lang, "apps")(msgid)


def test_setup_speaks_german_when_asked_and_switches_to_french(server: Server,
                                                              page: Watched) -> None:
    """The setup page under Voila with `?lang=de`: headings, roster, panels and the top bar in
    German, no English sentence of the apps catalogue left; the switch turns it French in
    place, the engagement still chosen."""
    from tests.integration.test_dashboard_lang import english_apps_catalogue

    p = page.page
    p.goto(f"{server.base}/voila/render/setup.ipynb?engagement=demo&lang=de")
    _wait(p, ".wb-setup .wb-roster")
    setup = p.locator(".wb-setup")
    assert _apps("de", "Set up a workshop") in setup.locator("h1").inner_text()
    # people's names and roles are their own words: left out of the check
    shown = p.evaluate("""() => { const d = document.querySelector('.wb-setup').cloneNode(true);
        d.querySelectorAll('.wb-roster td:nth-child(1), .wb-roster td:nth-child(3), '
                           + '.wb-rounds-table td:nth-child(2), select').forEach(e => e.remove());
        return d.innerText; }""")
    english = english_apps_catalogue()
    assert english_left(shown, english) == []
    for msgid in ("Add a respondent", "Invitations and reminders", "Rounds",
                  "Import answers from a survey tool"):
        assert _apps("de", msgid) in shown, msgid
    # the top bar and the page's language follow the app
    expect(p.locator(".wb-topbar .wb-page-name")).to_have_text(_apps("de", "Setup"))
    assert p.evaluate("() => document.documentElement.lang") == "de"
    shoot(p, "setup-de")
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)
    p.locator(".wb-setup-lang select").select_option(label="Français")
    expect(setup.locator("h1")).to_have_text(_apps("fr", "Set up a workshop"))
    _wait(p, ".wb-setup .wb-roster")
    expect(p.locator(".wb-topbar .wb-page-name")).to_have_text(_apps("fr", "Setup"))
    assert p.evaluate("() => document.documentElement.lang") == "fr"
    assert "(demo)" in p.locator(".wb-engagement-pick select").input_value()
    shown = p.evaluate("""() => { const d = document.querySelector('.wb-setup').cloneNode(true);
        d.querySelectorAll('.wb-roster td:nth-child(1), .wb-roster td:nth-child(3), '
                           + '.wb-rounds-table td:nth-child(2), select').forEach(e => e.remove());
        return d.innerText; }""")
    assert english_left(shown, english) == []
    assert _apps("fr", "Invitations and reminders") in shown
    shoot(p, "setup-fr")
    assert not page.errors, page.errors
