"""The interface's languages: catalogues (.po through Babel), tags, formats, templates."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from workbook_helpers import i18n
from workbook_helpers.exceptions import CatalogueError, LanguageError, Problem
from workbook_helpers.presenting import templating

LANGS = ("de", "fr", "es")


@pytest.fixture
def own_locale(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A locale folder of the test's own (real .po files written by the test)."""
    folder = tmp_path / "locale"
    folder.mkdir()
    monkeypatch.setattr(i18n, "locale_dir", lambda: folder)
    i18n.clear_cache()
    yield folder
    i18n.clear_cache()


def _write_po(folder: Path, lang: str, domain: str, body: str, plural: str) -> Path:
    path = folder / lang / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    head = textwrap.dedent(f'''\
        msgid ""
        msgstr ""
        "Language: {lang}\\n"
        "Plural-Forms: {plural}\\n"
        "Content-Type: text/plain; charset=utf-8\\n"

        ''')
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


GERMAN = '''\
    msgid "Saved at %(time)s"
    msgstr "Gespeichert um %(time)s"

    msgid "%(num)d answer"
    msgid_plural "%(num)d answers"
    msgstr[0] "%(num)d Antwort"
    msgstr[1] "%(num)d Antworten"

    msgid "Don't know"
    msgstr "Weiß nicht"
    '''
GERMAN_PLURAL = "nplurals=2; plural=(n != 1);"


# ---- languages and tags -------------------------------------------------------------------
def test_the_shipped_languages_are_found_from_the_catalogues_with_their_own_names() -> None:
    langs = i18n.available_languages()
    assert next(iter(langs)) == "en"
    assert langs == {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


def test_adding_a_language_is_adding_a_file(own_locale) -> None:  # type: ignore[no-untyped-def]
    assert i18n.available_languages() == {"en": "English"}
    _write_po(own_locale, "it", "apps", 'msgid "Don\'t know"\nmsgstr "Non so"\n',
              "nplurals=2; plural=(n != 1);")
    i18n.clear_cache()
    assert i18n.available_languages() == {"en": "English", "it": "Italiano"}
    assert i18n.available_languages("report") == {"en": "English"}
    assert i18n.gettext_for("it")("Don't know") == "Non so"


@pytest.mark.parametrize(("candidates", "expected"), [
    (("de",), "de"),
    (("de-CH",), "de"),       # a region falls back to its language
    (("de_at",), "de"),
    ((None, "fr"), "fr"),      # no respondent language: the engagement's
    (("", "es"), "es"),
    (("pt-BR", "es"), "es"),   # a language the workbook does not speak is skipped
    (("not a tag!", "fr"), "fr"),
    (("pt", None), "en"),      # nothing usable: English
    ((), "en"),
])
def test_resolve_language_takes_the_first_supported_candidate(candidates, expected) -> None:  # type: ignore[no-untyped-def]
    assert i18n.resolve_language(*candidates) == expected


def test_tags_are_normalized_and_bad_ones_refused_with_the_fix() -> None:
    assert i18n.normalize_tag("DE_ch") == "de-CH"
    assert i18n.normalize_tag("zh-hant-tw") == "zh-Hant-TW"
    with pytest.raises(LanguageError) as bad:
        i18n.normalize_tag("german!")
    assert "'german!' is not a language tag" in str(bad.value)
    assert "Fix:" in str(bad.value) and "de-CH" in str(bad.value)
    assert bad.value.exit_code == 2


def test_check_language_names_where_the_tag_came_from_and_what_there_is() -> None:
    assert i18n.check_language("fr-BE") == "fr"
    where = Problem("", file="answers.csv", row=7, column="lang")
    with pytest.raises(LanguageError) as unknown:
        i18n.check_language("pt", where=where)
    text = str(unknown.value)
    assert text.startswith("answers.csv, row 7, column 'lang': ")
    assert "does not speak 'pt'" in text and "en, de, es, fr" in text
    with pytest.raises(LanguageError) as malformed:
        i18n.check_language("1x", where=where)
    assert str(malformed.value).startswith("answers.csv, row 7, column 'lang': '1x' is not")


# ---- catalogues ---------------------------------------------------------------------------
def test_a_catalogue_translates_fills_placeholders_and_picks_plural_forms(own_locale) -> None:  # type: ignore[no-untyped-def]
    _write_po(own_locale, "de", "apps", GERMAN, GERMAN_PLURAL)
    _ = i18n.gettext_for("de", "apps")
    n_ = i18n.ngettext_for("de", "apps")
    assert _("Saved at %(time)s", time="10:02") == "Gespeichert um 10:02"
    assert _("Don't know") == "Weiß nicht"
    assert _("Not in the catalogue") == "Not in the catalogue"
    assert [n_("%(num)d answer", "%(num)d answers", n) for n in (1, 2)] == \
        ["1 Antwort", "2 Antworten"]
    # a regional tag reads its language's catalogue; English needs no file at all
    assert i18n.gettext_for("de-CH")("Don't know") == "Weiß nicht"
    assert i18n.gettext_for("en")("Saved at %(time)s", time="9") == "Saved at 9"
    # compiled once per (language, domain)
    assert i18n.translations("de", "apps") is i18n.translations("de", "apps")


def test_a_missing_catalogue_is_a_clear_error(own_locale) -> None:  # type: ignore[no-untyped-def]
    _write_po(own_locale, "de", "apps", GERMAN, GERMAN_PLURAL)
    with pytest.raises(CatalogueError) as missing:
        i18n.translations("de", "report")
    text = str(missing.value)
    assert str(own_locale / "de" / "LC_MESSAGES" / "report.po") in text
    assert "no 'report' catalogue for the language 'de'" in text and "Fix: add report.po" in text
    with pytest.raises(CatalogueError):
        i18n.gettext_for("fr", "apps")


@pytest.mark.parametrize(("broken", "bad_line", "says"), [
    ('msgid "Saved at %(time)s"\nmsgstr Gespeichert um %(time)s\n', 'msgstr Gespeichert',
     "quoted string"),
    ('msgid "Saved at %(time)s\nmsgstr "Gespeichert um %(time)s"\n', 'msgid "Saved',
     "quoted string"),
    ('msgid "Saved at %(time)s"\nmsgstr "Gespeichert um %(zeit)s"\n', 'msgid "Saved',
     "placeholders of the English message"),
])
def test_a_broken_catalogue_is_a_clear_error_naming_the_file_and_line(  # type: ignore[no-untyped-def]
        own_locale, broken, bad_line, says) -> None:
    path = _write_po(own_locale, "de", "apps",
                     'msgid "Don\'t know"\nmsgstr "Weiß nicht"\n\n' + broken, GERMAN_PLURAL)
    with pytest.raises(CatalogueError) as error:
        i18n.translations("de", "apps")
    text = str(error.value)
    assert text.startswith(f"{path}, row ")
    assert says in text and "Fix:" in text
    line = int(text.split(", row ")[1].split(":")[0])
    assert path.read_text().splitlines()[line - 1].startswith(bad_line)
    assert error.value.exit_code == 2


def test_an_unknown_domain_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown message domain"):
        i18n.translations("de", "mail")


# ---- the shipped catalogues ---------------------------------------------------------------
def _english_messages(domain: str) -> dict[str, set[str]]:
    """The msgids the domain's files hold (the same extraction as `make messages`)."""
    with (ROOT / f"babel-{domain}.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "n_": (1, 2), "N_": None,
                "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, set()).add(filename)
    return found


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_catalogue_translates_every_english_message_of_its_domain(domain: str) -> None:
    # the rule: a message added to a file that babel-<domain>.cfg lists needs a translation in
    # every language of the domain before the tests pass (`make messages` adds it empty)
    english = _english_messages(domain)
    problems = []
    for lang in i18n.available_languages(domain):
        if lang == "en":
            continue
        path = i18n.catalogue_path(lang, domain)
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=domain)
        for msgid, files in sorted(english.items()):
            entry = catalog.get(msgid)
            strings = [] if entry is None else (
                list(entry.string) if isinstance(entry.string, tuple) else [entry.string])
            if entry is None or not all(strings) or entry.fuzzy:
                problems.append(f"{path.relative_to(ROOT)}: {msgid!r} (from "
                                f"{', '.join(sorted(files))}) is not translated")
        for entry, errors in catalog.check():
            problems.extend(f"{path.relative_to(ROOT)}: {entry.id!r}: {e}" for e in errors)
    assert not problems, "\n".join(problems)


def test_no_compiled_catalogue_is_committed_and_the_wheel_ships_the_po_files() -> None:
    import tomllib

    locale = ROOT / "src" / "workbook_helpers" / "locale"
    assert not list(locale.rglob("*.mo"))
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["workbook_helpers"]
    for lang in LANGS:
        po = Path("locale") / lang / "LC_MESSAGES" / "apps.po"
        assert any(po.match(p) for p in patterns), (po, patterns)


# ---- templates ----------------------------------------------------------------------------
def test_templates_translate_with_newstyle_gettext_and_escape_the_values(own_locale) -> None:  # type: ignore[no-untyped-def]
    _write_po(own_locale, "de", "apps", GERMAN, GERMAN_PLURAL)
    tpl = templating.environment().from_string(
        '{{ _("Saved at %(time)s", time=t) }}|{{ ngettext("%(num)d answer", '
        '"%(num)d answers", n) }}|{% trans %}Don\'t know{% endtrans %}')
    assert tpl.render(t="<b>10:02</b>", n=3) == \
        "Saved at &lt;b&gt;10:02&lt;/b&gt;|3 answers|Don't know"
    with i18n.using("de", "apps"):
        assert tpl.render(t="<b>10:02</b>", n=1) == \
            "Gespeichert um &lt;b&gt;10:02&lt;/b&gt;|1 Antwort|Weiß nicht"
    # back to English once the block ends
    assert tpl.render(t="x", n=1).startswith("Saved at x|1 answer|")


def test_english_renders_as_before_and_loads_no_babel() -> None:
    # an existing caller (no lang) gets the same English page, and English compiles nothing
    code = textwrap.dedent("""
        import sys
        from workbook_helpers.presenting import templating
        html = templating.render("apps/room_wait.html.j2", kind="full", retry_s=5)
        print("babel" in sys.modules, 'lang="en"' in html)
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


# ---- numbers and dates --------------------------------------------------------------------
def test_numbers_percentages_and_dates_are_written_the_languages_way() -> None:
    assert i18n.format_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.format_number(1234.5, "de", 1) == "1.234,5"
    assert i18n.format_number(1234.5, "fr", 1) == "1\u202f234,5"
    assert i18n.format_number(61.6, "de") == "62"
    assert i18n.format_percent(0.82, "en") == "82%"
    assert i18n.format_percent(0.82, "de") == "82\xa0%"
    assert i18n.format_percent(0.825, "es", 1) == "82,5\xa0%"
    day = date(2026, 3, 4)
    assert i18n.format_date(day, "en") == "March 4, 2026"
    assert i18n.format_date(day, "de") == "4. März 2026"
    assert i18n.format_date(day, "fr") == "4 mars 2026"
    assert i18n.format_date(datetime(2026, 3, 4, 23, 30), "es") == "4 de marzo de 2026"
    assert i18n.format_time(datetime(2026, 3, 4, 14, 5), "de") == "14:05"
    with i18n.using("fr"):
        assert i18n.format_number(2.5, digits=1) == "2,5"


# ---- the questionnaire --------------------------------------------------------------------
def test_the_questionnaire_opens_in_the_respondents_language_and_switches(  # type: ignore[no-untyped-def]
        demo_store, bank) -> None:
    from workbook_helpers.apps.questionnaire import DK, Questionnaire
    from workbook_helpers.bank import load_bank

    store = demo_store
    store.add_respondent("demo", "greta", "Greta <Grün>", "host", "CFO", lang="de")
    q = Questionnaire(store, bank, store.respondent("demo", "greta"), schedule=None)
    german = load_bank(bank.path, lang="de")
    assert q.lang == "de" and q.language.value == "de"
    assert "Ihr Fragebogen" in q.header.value and "Greta &lt;Grün&gt;" in q.header.value
    assert q.card.value.count(german.questions[0].text.replace("'", "&#x27;")) == 1
    assert q.back.description == "← Zurück" and q.next.description == "Weiter →"
    assert ("Weiß nicht", DK) in q.choices.options
    assert "Gesamtfortschritt: 0 von" in q.overall.value
    q.choose(4)
    assert "✓ Gespeichert um" in q.status.value
    i = next(k for k, s in enumerate(q.steps) if s.expecting)
    q.go(i)
    assert "Ihre Einschätzung von Castellan Logistics" in q.card.value
    assert "Was wird das Team von Castellan Logistics hier antworten?" in q.card.value
    assert ("Weiß nicht, was sie antworten werden", DK) in q.choices.options
    # the engagement's language when the respondent has none; English when neither has one
    store.set_engagement_language("demo", "fr")
    store.add_respondent("demo", "noel", "Noël", "partner", "CEO")
    fr = Questionnaire(store, bank, store.respondent("demo", "noel"), schedule=None)
    assert fr.lang == "fr" and "Votre questionnaire" in fr.header.value
    # switching re-renders in place, keeps the step and is remembered
    fr.go(3)
    fr.set_language("es")
    assert fr.index == 3 and "Su cuestionario" in fr.header.value
    assert fr.question.text == load_bank(bank.path, lang="es").questions[3].text
    assert store.respondent_language("demo", "noel") == "es"
    fr.choose(2)
    saved = store.current_answers("demo").set_index(["respondent", "question_id"])
    assert saved.loc[("noel", fr.question.id), "comment_lang"] == "es"
    assert saved.loc[("greta", german.questions[0].id), "comment_lang"] == "de"


def test_pages_served_before_anyone_is_known_follow_the_browser() -> None:
    from workbook_helpers.server.handlers import room_wait_page
    from workbook_helpers.server.pages import render_landing

    assert i18n.negotiate("fr-CH, fr;q=0.9, en;q=0.8") == "fr"
    assert i18n.negotiate("pt-BR,es;q=0.5,de;q=0.7") == "de"
    assert i18n.negotiate("") == "en" and i18n.negotiate(None) == "en"
    assert i18n.negotiate("es;q=0, fr") == "fr"
    page = room_wait_page("full", 5, "es")
    assert '<html lang="es">' in page and "La sala está llena por un momento" in page
    assert "cada 5 segundos" in page
    landing = render_landing(facilitator=False, has_key=True, wrong_key=False, lang="de")
    assert "Willkommen zum Workshop" in landing and '<html lang="de">' in landing
    assert "Welcome" not in landing


def test_a_german_questionnaire_kernel_stays_lean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the demo's German partner executive: the page (warm-up, catalogues, the German bank)
    # loads no pandas, numpy, charts, scoring model, Voila server or Alembic
    seed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from workbook_helpers.bank import load_bank
        from workbook_helpers.demo import seed_demo
        from workbook_helpers.store import Store
        s = Store.open("sqlite:///{tmp_path / 'workbook.db'}")
        seed_demo(s, load_bank(), with_health_check=False)
        print(s.respondent("demo", "lucia-marin").token)
        """)], capture_output=True, text=True, check=True)
    token = seed.stdout.strip().splitlines()[-1]
    probe = textwrap.dedent("""
        import json, sys
        from workbook_helpers.apps import pages
        pages.warm_up("questionnaire")
        w = pages.questionnaire_page("", "", "")
        heavy = sorted(m for m in ("pandas", "numpy", "altair", "workbook_helpers.scoring",
                                   "voila", "alembic", "jupyter_server") if m in sys.modules)
        html = " ".join(str(getattr(c, "value", "")) for c in w.children)
        print(json.dumps({"heavy": heavy, "german": "Ihr Fragebogen" in html}))
        """)
    env = {"WORKBOOK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "WORKBOOK_SCHEMA_READY": "1", "QUERY_STRING": f"t={token}",
           "VOILA_PREHEAT": "False", "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=False)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"heavy": [], "german": True}
