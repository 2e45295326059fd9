"""The store keeps every answer's history and upgrades older schemas without loss."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from workbook_helpers.exceptions import ConflictError, InvalidIdError, NotFoundError
from workbook_helpers.store import Store, migrate


def _setup(store):
    store.create_engagement("acme-globex", "Acme", "Globex")
    store.add_respondent("acme-globex", "ann", "Ann", "host", "CEO")
    return store


def test_changed_answer_keeps_history(store):
    _setup(store)
    first = store.record_answer("acme-globex", "ann", "ctl-decision-rights", 2, "first")
    again = store.record_answer("acme-globex", "ann", "ctl-decision-rights", 2, "first")
    second = store.record_answer("acme-globex", "ann", "ctl-decision-rights", 4, "changed mind")
    dk = store.record_answer("acme-globex", "ann", "risk-exit-terms", None, dont_know=True)
    assert first.changed and not again.changed and second.changed and dk.changed
    hist = store.history("acme-globex")
    rows = hist[hist["question_id"] == "ctl-decision-rights"]
    assert list(rows["value"]) == [2, 4]
    assert list(rows["comment"]) == ["first", "changed mind"]
    assert rows["answered_at"].is_monotonic_increasing
    cur = store.current_answers("acme-globex").set_index("question_id")
    assert cur.loc["ctl-decision-rights", "value"] == 4
    assert bool(cur.loc["risk-exit-terms", "dont_know"]) is True
    assert cur.loc["risk-exit-terms", "value"] is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA


def test_ids_and_sides_are_checked(store):
    with pytest.raises(InvalidIdError):
        store.create_engagement("../x", "A", "B")
    _setup(store)
    with pytest.raises(ConflictError):
        store.create_engagement("acme-globex", "A", "B")
    with pytest.raises(ConflictError):
        store.add_respondent("acme-globex", "bob", "Bob", "middle")
    with pytest.raises(NotFoundError):
        store.engagement("nope")


def test_tokens_are_unguessable_and_resolve(store):
    _setup(store)
    r = store.respondent("acme-globex", "ann")
    assert r.token and len(r.token) >= 30
    assert store.respondent_by_token(r.token) == r
    assert store.respondent_by_token("x" * 32) is None


def test_sqlite_uses_wal(store, data_dir):
    _setup(store)
    con = sqlite3.connect(data_dir / "workbook.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upgrade_from_first_schema_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    when = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements VALUES ('old-one','Old','Host Co','Partner Co',"
                       ":t)"), {"t": when})
        c.execute(text("INSERT INTO respondents VALUES ('old-one','pat','Pat','partner','COO',"
                       ":t)"), {"t": when})
        for value in (2, 5):
            c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, "
                           "value, dont_know, comment, answered_at) VALUES ('old-one','pat',"
                           "'ctl-governance', :v, 0, 'kept', :t)"), {"v": value, "t": when})
    engine.dispose()
    store = Store.open(url)
    assert migrate.current_revision(store.engine) == migrate.head_revision() != "0001"
    e = store.engagement("old-one")
    assert (e.host_org, e.partner_org, e.revealed) == ("Host Co", "Partner Co", False)
    r = store.respondent("old-one", "pat")
    assert r.token and r.role == "COO"
    hist = store.history("old-one")
    assert list(hist["value"]) == [2, 5]
    assert set(hist["source"]) == {"app"}
    assert store.current_answers("old-one")["value"].tolist() == [5]
    # still writable after the upgrade
    store.record_answer("old-one", "pat", "ctl-governance", 3)
    assert store.history("old-one")["value"].tolist() == [2, 5, 3]


def test_answers_given_against_bank_1_keep_readable(data_dir, bank):
    """A store filled under bank 1.0.0 (sf-time-horizon was a scored question then) still
    scores, exports and reports under bank 2.0.0: old ids are kept, never scored."""
    import json

    from tests.conftest import run_cli
    from workbook_helpers.config import database_url
    from workbook_helpers.scoring.stored import engagement_result

    assert "sf-time-horizon" not in bank.question_map
    store = Store.open(database_url())
    try:
        store.create_engagement("old-deal", "Acme", "Globex", bank_version="1.0.0")
        for who, side in (("ann", "host"), ("bo", "host"), ("cy", "partner"),
                          ("di", "partner")):
            store.add_respondent("old-deal", who, who.title(), side, "CEO")
            store.record_answer("old-deal", who, "sf-time-horizon", 5, "long run")
            store.record_answer("old-deal", who, "ctl-decision-rights", 4)
        result = engagement_result(store, bank, "old-deal")
    finally:
        store.close()
    assert result.dimensions["control"].host == 75.0
    assert all(q.id != "sf-time-horizon" for q in result.questions)
    exported = run_cli("export", "old-deal", "--format", "csv")
    assert exported.code == 0, exported.err
    assert exported.out.count("sf-time-horizon") == 4 and "long run" in exported.out
    as_json = run_cli("export", "old-deal", "--format", "json")
    assert as_json.code == 0 and "sf-time-horizon" in as_json.out
    assert json.loads(run_cli("score", "old-deal", "--format", "json").out)["bank"][
        "version"] == bank.version


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    migrate.head_revision.cache_clear()
    assert migrate.head_revision() == migrate.alembic_head()


@pytest.mark.parametrize("second", ['revision = "0002"\ndown_revision = ("0001", "0003")\n',
                                    'revision = "0003"\ndown_revision = "0001"\n'],
                         ids=["a merge", "two heads"])
def test_a_layout_the_reader_does_not_know_is_left_to_alembic(second: str, tmp_path,
                                                             monkeypatch) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n')
    (versions / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    (versions / "0003_c.py").write_text(second)
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path)
    monkeypatch.setattr(migrate, "alembic_head", lambda: "asked alembic")
    migrate.head_revision.cache_clear()
    try:
        assert migrate.head_revision() == "asked alembic"
    finally:
        migrate.head_revision.cache_clear()
