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


# ---- the setup page in the facilitator's language -------------------------------------------
def english_apps_catalogue() -> set[str]:
    """The English sentences of the `apps` catalogue (apps.pot, cut at placeholders and
    markup, fragments of three words or more), like the report's sentence catalogue."""
    from babel.messages.pofile import read_po

    from tests.integration.test_report_lang import LOCALE, _fragments

    with (LOCALE / "apps.pot").open("rb") as fh:
        messages = [m for m in read_po(fh) if m.id]
    frags: set[str] = set()
    for m in messages:
        for msgid in ([m.id] if isinstance(m.id, str) else list(m.id)):
            frags |= _fragments(msgid)
    return frags


def _widget_text(widget: object) -> list[str]:
    """Every word a widget tree shows: HTML (as text), descriptions, placeholders, tooltips,
    option labels; hidden parts too (they show after a click)."""
    import ipywidgets as w

    out: list[str] = []
    if isinstance(widget, w.HTML):
        html = re.sub(r'<style>.*?</style>', " ", str(widget.value), flags=re.S)
        out.append(unescape(page_text(html)) if html.strip() else "")
    for attr in ("description", "placeholder", "tooltip"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    for option in getattr(widget, "options", ()) or ():
        out.append(str(option[0] if isinstance(option, tuple) else option))
    for child in getattr(widget, "children", ()) or ():
        out.extend(_widget_text(child))
    return out


def _setup_shown(app: object) -> str:
    return "\n".join(_widget_text(app.widget))  # type: ignore[attr-defined]


def _apps(lang: str, msgid: str) -> str:
    from workbook_helpers.i18n import gettext_for

    return gettext_for(lang, "apps")(msgid)


@pytest.fixture(scope="module")
def english_apps() -> set[str]:
    return english_apps_catalogue()


def test_the_setup_language_is_asked_for_then_the_engagement_then_english(
        demo_store: object, bank: Bank) -> None:
    from workbook_helpers.apps.setup import SetupApp, setup_language

    assert setup_language("fr", "de") == "fr"
    assert setup_language("xx", "es") == "es"    # an unknown tag in the URL is skipped
    assert setup_language(None, None) == "en"
    store = demo_store
    assert SetupApp(store, bank, "demo").lang == "en"  # type: ignore[arg-type]
    store.create_engagement("spa", "Acme", "Globex", lang="es")  # type: ignore[attr-defined]
    assert SetupApp(store, bank, "spa").lang == "es"  # type: ignore[arg-type]
    assert SetupApp(store, bank, "spa", lang="de").lang == "de"  # type: ignore[arg-type]


def test_the_english_check_finds_english_on_the_setup_page(demo_store: object, bank: Bank,
                                                           english_apps: set[str]) -> None:
    """The detector itself: the English setup page is caught, many times over."""
    from workbook_helpers.apps.setup import SetupApp

    app = SetupApp(demo_store, bank, "demo")  # type: ignore[arg-type]
    found = english_left(_setup_shown(app), english_apps)
    assert "Set up a workshop" in found and "Add a respondent" in found
    assert len(found) > 15


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_setup_page_has_no_english_sentence_of_the_apps_catalogue(
        demo_store: object, bank: Bank, english_apps: set[str], lang: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The setup page built in `lang`, and the messages its actions write: no English
    sentence of the apps catalogue left; people's names and titles stay as written."""
    from datetime import datetime
    from pathlib import Path

    from workbook_helpers.apps.setup import SetupApp

    monkeypatch.delenv("WORKBOOK_SMTP_URL", raising=False)
    store = demo_store
    hostile = "<b>Zoë</b> & Ngozi"
    store.add_respondent("demo", "zoe", hostile, "partner", "CFO")  # type: ignore[attr-defined]
    app = SetupApp(store, bank, "demo", lang=lang)  # type: ignore[arg-type]
    assert app.lang == lang
    shown = _setup_shown(app)
    assert english_left(shown, english_apps) == []
    for msgid in ("Set up a workshop", "Add a respondent", "Invitations and reminders",
                  "Rounds", "Import answers from a survey tool", "personal link"):
        assert _apps(lang, msgid) in shown, msgid
    assert app.new_box.children[-1].description == _apps(lang, "Create engagement")
    assert "&lt;b&gt;Zoë&lt;/b&gt; &amp; Ngozi" in str(app.roster.value)  # escaped, as written
    assert "<b>Zoë" not in str(app.roster.value)
    assert f'data-lang="{lang}"' in shown or f'data-lang="{lang}"' in str(
        app.widget.children[1].value)
    # what the actions say
    app.mail.ask("invite")                      # no mail server: how to send anyway
    app.expectations.value = False              # the questionnaire's option
    app.l_who.value, app.l_lang.value = "zoe", "de"
    app.set_language()
    texts = [app.mail.message.value, app.message.value]
    app.r_id.value, app.r_name.value = "neu", "Nuria Puig"
    app.add()
    texts.append(app.message.value)
    app.rounds.round_id.value = "health-x"
    app.rounds.open()
    texts.append(app.rounds.message.value)
    samples = Path(__file__).resolve().parents[2] / "templates" / "imports"
    for up, name in ((app.importer.upload, "web-labels.xlsx"),
                     (app.importer.mapping, "web-labels.map.yaml")):
        data = (samples / name).read_bytes()
        up.value = ({"name": name, "type": "", "size": len(data),
                     "last_modified": datetime.now(), "content": memoryview(data)},)
    texts.append(app.importer.preview.value)
    assert app.importer.commit() is not None
    texts.append(app.importer.preview.value)
    assert not any("wb-error" in str(t) for t in texts), texts
    said = "\n".join(unescape(page_text(str(t))) for t in texts)
    assert english_left(said, english_apps) == [], said
    assert "WORKBOOK_SMTP_URL" in said and "Zoë" in said and "Nuria Puig" in said
    assert _apps(lang, "Rounds") in _setup_shown(app)
    # the switch: the same page in English, the engagement still chosen
    app.language.value = "en"
    assert app.lang == "en" and app.pick.value == "demo"
    assert "Set up a workshop" in _setup_shown(app)


def test_the_landing_page_sends_a_german_facilitator_to_german_pages() -> None:
    """The landing page follows the browser's language; its links to the setup page and the
    dashboards carry it (`lang=`), English links stay as they were."""
    from workbook_helpers.server.pages import EngagementLinks, page_link, render_landing

    assert page_link("setup", "demo", "k", "de") == \
        "voila/render/setup.ipynb?engagement=demo&key=k&lang=de"
    assert page_link("setup", "demo", "", "en") == "voila/render/setup.ipynb?engagement=demo"
    row = EngagementLinks("demo", "Demo", "A", "B", 2, page_link("setup", "demo", "", "de"),
                          page_link("dashboard", "demo", "", "de"))
    html = render_landing(facilitator=True, has_key=False, wrong_key=False, engagements=[row],
                          lang="de")
    assert 'href="voila/render/setup.ipynb?lang=de"' in html
    assert 'href="voila/render/dashboard.ipynb?engagement=demo&amp;lang=de"' in html
    assert _apps("de", "Setup") in html and '<html lang="de">' in html
