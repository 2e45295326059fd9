"""Languages in the store and on the command line: the upgrade to revision 0006 keeps every
row, the engagement's and each respondent's language round-trip through the CLI, the answers
CSV and the JSON export, a bad tag is an exit-2 error that writes nothing, and the demo's
German respondent changes no score."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import create_engine, inspect, text

from tests.conftest import run_cli
from workbook_helpers.store import Store, migrate


def _store_at_0005(url: str) -> None:
    """A store at revision 0005 holding one engagement, a respondent with an address, and an
    answer with a comment."""
    engine = create_engine(url)
    migrate.upgrade(engine, "0005")
    when = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements (id, title, host_org, partner_org, created_at) "
                       "VALUES ('old','Old','H','P',:t)"), {"t": when})
        c.execute(text("INSERT INTO rounds (engagement_id, id, position, bank, title, "
                       "opened_at) VALUES ('old','baseline',0,'','Baseline',:t)"), {"t": when})
        c.execute(text("INSERT INTO respondents (engagement_id, id, name, side, role, "
                       "created_at, token, email) VALUES ('old','pat','Pat','partner','COO',"
                       ":t,'tok-pat-0123456789','pat@p.example.com')"), {"t": when})
        c.execute(text("INSERT INTO round_members (engagement_id, round_id, respondent_id, "
                       "token, added_at) VALUES ('old','baseline','pat','tok-pat-0123456789',"
                       ":t)"), {"t": when})
        c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, value, "
                       "dont_know, comment, answered_at, round) VALUES ('old','pat','pri-rank',"
                       "4, false, 'Zweifel an der Roadmap', :t, 'baseline')"), {"t": when})
    engine.dispose()


def test_upgrade_to_0006_keeps_the_data_and_adds_the_languages(store_url):
    _store_at_0005(store_url)
    s = Store.open(store_url)
    assert migrate.current_revision(s.engine) == migrate.head_revision() == "0006"
    for table in ("engagements", "respondents", "answers"):
        assert "lang" in {c["name"] for c in inspect(s.engine).get_columns(table)}
    # what was there is still there, in English, with no respondent language set
    assert s.engagement("old").lang == "en" == s.engagement_language("old")
    who = s.respondent_by_token("tok-pat-0123456789")
    assert who is not None and who.name == "Pat" and who.email == "pat@p.example.com"
    assert who.lang is None and s.respondent_language("old", "pat") is None
    frame = s.current_answers("old")
    assert frame["value"].tolist() == [4]
    assert frame["comment"].tolist() == ["Zweifel an der Roadmap"]
    assert frame["comment_lang"].tolist() == [None]
    # and the new columns take values on both backends
    s.set_engagement_language("old", "fr")
    s.set_respondent_language("old", "pat", "de")
    s.record_answer("old", "pat", "pri-rank", 2, comment="Budget erst 2027", lang="de")
    assert s.engagement_language("old") == "fr"
    assert s.respondent("old", "pat").lang == "de"
    assert s.languages("old") == {"pat": "de"}
    current = s.current_answers("old")
    assert current[["value", "comment", "comment_lang"]].values.tolist() == \
        [[2, "Budget erst 2027", "de"]]
    s.set_respondent_language("old", "pat", None)
    assert s.respondent_language("old", "pat") is None
    s.close()


def _setup(lang_of_bea: str = "de") -> None:
    assert run_cli("engagement", "create", "acme", "--host-org", "Acme", "--partner-org",
                   "Globex", "--lang", "fr").code == 0
    assert run_cli("respondent", "add", "acme", "bea", "--name", "Bea", "--side", "host",
                   "--lang", lang_of_bea).code == 0
    assert run_cli("respondent", "add", "acme", "carl", "--name", "Carl", "--side",
                   "partner").code == 0


def test_languages_round_trip_through_the_cli_csv_and_json(store, tmp_path, bank):
    _setup("de-AT")  # a regional tag is kept as the language the workbook speaks
    listed = json.loads(run_cli("respondent", "list", "acme", "--format", "json").out)
    assert {r["id"]: r["lang"] for r in listed} == {"bea": "de", "carl": None}
    assert store.engagement_language("acme") == "fr"
    store.record_answer("acme", "bea", "ctl-governance", 4, comment="Gemeinsamer Lenkungskreis",
                        lang="de")
    store.record_answer("acme", "carl", "ctl-governance", 2, comment="too early")
    csv_text = run_cli("export", "acme").out
    header, *rows = csv_text.splitlines()
    cols = header.split(",")
    assert cols[-3:] == ["lang", "comment_lang", "round"]
    by_who = {r.split(",")[1]: dict(zip(cols, r.split(","), strict=True)) for r in rows}
    assert by_who["bea"]["lang"] == "de" and by_who["bea"]["comment_lang"] == "de"
    assert by_who["carl"]["lang"] == "" and by_who["carl"]["comment_lang"] == ""
    # the CSV into a fresh engagement id keeps every language
    (tmp_path / "a.csv").write_text(csv_text.replace("acme,", "copy,"), encoding="utf-8")
    assert run_cli("import", str(tmp_path / "a.csv")).code == 0
    assert store.languages("copy") == {"bea": "de"}
    copied = store.current_answers("copy").set_index("respondent")
    assert copied.loc["bea", "comment_lang"] == "de"
    assert copied.loc["bea", "comment"] == "Gemeinsamer Lenkungskreis"
    # the JSON export carries the engagement's, the respondents' and the answers' languages
    doc = json.loads(run_cli("export", "acme", "--format", "json").out)
    assert doc["engagement"]["lang"] == "fr"
    assert {r["id"]: r.get("lang") for r in doc["respondents"]} == {"bea": "de", "carl": None}
    assert {a["respondent"]: a.get("lang") for a in doc["answers"]} == \
        {"bea": "de", "carl": None}
    (tmp_path / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    assert run_cli("import", str(tmp_path / "a.json"), "--as", "restored").code == 0
    assert store.engagement_language("restored") == "fr"
    assert store.languages("restored") == {"bea": "de"}
    restored = store.current_answers("restored").set_index("respondent")
    assert restored.loc["bea", "comment_lang"] == "de"


def test_a_file_without_a_lang_column_keeps_what_the_store_knows(store, tmp_path):
    _setup()
    (tmp_path / "plain.csv").write_text(
        "engagement,respondent,side,role,question_id,value,comment\n"
        "acme,bea,host,CEO,ctl-governance,3,\n", encoding="utf-8")
    assert run_cli("import", str(tmp_path / "plain.csv")).code == 0
    assert store.respondent_language("acme", "bea") == "de"
    # an engagement with no language anywhere exports today's columns only
    assert run_cli("engagement", "create", "plain", "--host-org", "H", "--partner-org",
                   "P").code == 0
    assert store.engagement_language("plain") == "en"
    store.add_respondent("plain", "dan", "Dan", "host")
    store.record_answer("plain", "dan", "ctl-governance", 3)
    header = run_cli("export", "plain").out.splitlines()[0]
    assert "lang" not in header.split(",")


def test_a_bad_language_is_an_exit_2_error_naming_where_and_the_fix(store, tmp_path):
    _setup()
    bad = run_cli("respondent", "add", "acme", "dora", "--name", "Dora", "--side", "host",
                  "--lang", "pt")
    assert bad.code == 2
    assert "column '--lang': the workbook does not speak 'pt'" in bad.err
    assert "Fix: use one of en, de, es, fr" in bad.err
    assert [r.id for r in store.respondents("acme")] == ["bea", "carl"]
    assert run_cli("engagement", "create", "x", "--host-org", "H", "--partner-org", "P",
                   "--lang", "deutsch!").code == 2
    assert not store.has_engagement("x")
    path = tmp_path / "bad.csv"
    path.write_text("engagement,respondent,side,role,question_id,value,comment,lang\n"
                    "acme,bea,host,CEO,ctl-governance,3,,de\n"
                    "acme,eli,partner,CFO,ctl-governance,2,,xx-\n"
                    "acme,bea,host,CEO,ctl-control,2,,fr\n", encoding="utf-8")
    result = run_cli("import", str(path))
    assert result.code == 2
    assert f"{path}, row 3, column 'lang': 'xx-' is not a language tag" in result.err
    assert f"{path}, row 4, column 'lang': respondent 'bea' has the language 'fr' here but " \
        "'de' in row 2" in result.err
    assert "Fix:" in result.err
    # all or nothing: no answer and no respondent written
    assert store.current_answers("acme").empty
    assert [r.id for r in store.respondents("acme")] == ["bea", "carl"]
    doc = json.loads(run_cli("export", "acme", "--format", "json").out)
    doc["respondents"][0]["lang"] = "tlh"
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("import", str(tmp_path / "bad.json"), "--as", "copy")
    assert result.code == 2
    assert "column 'respondents.0.lang': the workbook does not speak 'tlh'" in result.err
    assert not store.has_engagement("copy")


def test_respondent_lang_sets_and_clears_a_language(store):
    _setup()
    done = run_cli("respondent", "lang", "acme", "carl", "es")
    assert done.code == 0 and "Español (es)" in done.out
    assert store.respondent_language("acme", "carl") == "es"
    assert run_cli("respondent", "lang", "acme", "carl", "--clear").code == 0
    assert store.respondent_language("acme", "carl") is None
    assert run_cli("respondent", "lang", "acme", "carl").code == 2
    assert run_cli("engagement", "lang", "acme", "es").code == 0
    assert store.engagement_language("acme") == "es"


def test_cli_messages_about_languages_follow_the_terminal(store, monkeypatch):
    _setup()
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    done = run_cli("respondent", "lang", "acme", "carl", "fr")
    assert done.code == 0
    assert done.out.strip() == "„carl“ antwortet auf Français (fr)."
    listed = run_cli("languages", "--format", "json")
    rows = {r["lang"]: r for r in json.loads(listed.out)}
    assert set(rows) >= {"en", "de", "fr", "es"}
    assert rows["de"]["questionnaire"] is True and rows["de"]["name"] == "Deutsch"


def test_the_demo_has_a_german_partner_executive_and_the_same_scores(store, bank):
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.demo.baseline import PEOPLE

    seed_demo(store, bank, with_health_check=False)
    langs = store.languages("demo")
    assert list(langs.values()) == ["de"]
    (who,) = langs
    assert store.respondent("demo", who).side == "partner"
    assert all(p.lang is None for p in PEOPLE if p.id != who)
    # the language changes no score: the same result with everybody in English
    german = json.loads(run_cli("score", "demo", "--format", "json").out)
    store.set_respondent_language("demo", who, None)
    english = json.loads(run_cli("score", "demo", "--format", "json").out)
    assert german == english
    assert german["dimensions"] and german["verdict"] == english["verdict"]
