"""E-mail addresses and the message record in the store, on SQLite and PostgreSQL: the upgrade
from revision 0004 keeps everything, addresses are kept and exported, messages are recorded
with their status."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import create_engine, inspect, text

from workbook_helpers.store import Store, migrate


def _store_at_0004(url: str) -> None:
    """A store at revision 0004 holding one engagement with a respondent and an answer."""
    engine = create_engine(url)
    migrate.upgrade(engine, "0004")
    when = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements (id, title, host_org, partner_org, created_at) "
                       "VALUES ('old','Old','H','P',:t)"), {"t": when})
        c.execute(text("INSERT INTO rounds (engagement_id, id, position, bank, title, "
                       "opened_at) VALUES ('old','baseline',0,'','Baseline',:t)"), {"t": when})
        c.execute(text("INSERT INTO respondents (engagement_id, id, name, side, role, "
                       "created_at, token) VALUES ('old','pat','Pat','partner','COO',:t,"
                       "'tok-pat-0123456789')"), {"t": when})
        c.execute(text("INSERT INTO round_members (engagement_id, round_id, respondent_id, "
                       "token, added_at) VALUES ('old','baseline','pat','tok-pat-0123456789',"
                       ":t)"), {"t": when})
        c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, value, "
                       "dont_know, comment, answered_at, round) VALUES ('old','pat','pri-rank',"
                       "4, false, '', :t, 'baseline')"), {"t": when})
        c.execute(text("INSERT INTO round_scores (engagement_id, round_id, signature, verdict, "
                       "relationship_type, completeness, scored_at) VALUES ('old','baseline',"
                       "'sig','conditional','other',0.5,:t)"), {"t": when})
    engine.dispose()


def test_upgrade_from_0004_adds_email_and_messages(store_url):
    _store_at_0004(store_url)
    s = Store.open(store_url)
    assert migrate.current_revision(s.engine) == migrate.head_revision()
    cols = {c["name"] for c in inspect(s.engine).get_columns("respondents")}
    assert "email" in cols
    assert "lists" in {c["name"] for c in inspect(s.engine).get_columns("round_scores")}
    who = s.respondent_by_token("tok-pat-0123456789")
    assert who is not None and who.email is None and who.name == "Pat"
    assert s.current_answers("old")["value"].tolist() == [4]
    # a kept score from before the upgrade has no list scores
    assert s.kept_scores()["old"]["baseline"]["lists"] is None
    assert s.messages("old") == []
    s.set_respondent_email("old", "pat", "pat@partner.example.com")
    assert s.respondent("old", "pat").email == "pat@partner.example.com"
    s.close()


def test_messages_are_recorded_with_their_status(store_url):
    s = Store.open(store_url)
    s.create_engagement("eng", "H", "P")
    s.add_respondent("eng", "ann", "Ann", "host", email="ann@host.example.com")
    s.add_respondent("eng", "bob", "Bob", "partner")
    assert s.emails("eng") == {"ann": "ann@host.example.com"}
    first = s.start_message("eng", "baseline", "ann", "invite", "ann@host.example.com")
    second = s.start_message("eng", "baseline", "bob", "invite", "")
    s.finish_message(first, "sent")
    s.finish_message(second, "failed", "no e-mail address")
    got = s.messages("eng")
    assert [(m.respondent, m.kind, m.status, m.reason) for m in got] == [
        ("ann", "invite", "sent", ""), ("bob", "invite", "failed", "no e-mail address")]
    assert got[0].sent_at is not None and got[1].sent_at is None
    assert got[0].sent_at >= got[0].created_at
    # the engagement goes with its messages
    s.delete_engagement("eng")
    s.create_engagement("eng", "H", "P")
    assert s.messages("eng") == []
    s.close()
