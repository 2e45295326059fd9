"""The session's migrated store template (tests/conftest.py): a store copied from it is, byte
for byte in its schema, the store a real Alembic migration makes, and each copy is private."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REAL_UPGRADE
from workbook_helpers.store import Store, migrate


def _schema(path: Path) -> dict[str, Any]:
    """Everything of a store's schema SQLite can tell: the DDL of every table, index and
    trigger, each table's columns and foreign keys, the Alembic revision, the file header's
    format fields and the pragmas the store sets."""
    con = sqlite3.connect(path)
    try:
        master = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                             "ORDER BY type, name").fetchall()
        tables = [r[1] for r in master if r[0] == "table"]
        return {
            "master": master,
            "columns": {t: con.execute(f"PRAGMA table_info('{t}')").fetchall() for t in tables},
            "foreign_keys": {t: con.execute(f"PRAGMA foreign_key_list('{t}')").fetchall()
                             for t in tables},
            "indexes": {t: con.execute(f"PRAGMA index_list('{t}')").fetchall() for t in tables},
            "revision": con.execute("SELECT version_num FROM alembic_version").fetchall(),
            "pragmas": {p: con.execute(f"PRAGMA {p}").fetchone() for p in (
                "journal_mode", "page_size", "user_version", "application_id", "encoding",
                "auto_vacuum")},
            "rows": {t: con.execute(f"SELECT count(*) FROM '{t}'").fetchone()[0]
                     for t in tables if t != "alembic_version"},
        }
    finally:
        con.close()


def test_a_copied_store_has_exactly_the_schema_of_a_migrated_one(
        tmp_path: Path, _stores_from_template: list[str]) -> None:
    real_path, copy_path = tmp_path / "migrated.db", tmp_path / "copied.db"
    real = Store.open(f"sqlite:///{real_path}", upgrade=False)
    REAL_UPGRADE(real.engine)
    real.close()
    copy = Store.open(f"sqlite:///{copy_path}")
    copy.close()
    assert _stores_from_template == [f"sqlite:///{copy_path}"]  # copied, not migrated
    migrated, copied = _schema(real_path), _schema(copy_path)
    assert migrated["revision"] == [(migrate.head_revision(),)]
    assert len(migrated["master"]) > 10 and migrated["columns"]["answers"]
    assert copied == migrated
    assert set(migrated["rows"].values()) == {0}


def test_each_copy_is_private_and_the_template_stays_empty(
        tmp_path: Path, store_template: Path, bank: Any) -> None:
    first = Store.open(f"sqlite:///{tmp_path / 'a' / 'workbook.db'}")
    first.create_engagement("mine", "Host", "Partner")
    first.close()
    second = Store.open(f"sqlite:///{tmp_path / 'b' / 'workbook.db'}")
    try:
        assert second.engagements(counts=False).empty
    finally:
        second.close()
    assert set(_schema(store_template)["rows"].values()) == {0}


def test_a_store_with_tables_or_an_older_revision_is_migrated_for_real(
        tmp_path: Path, _stores_from_template: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store.open(url, upgrade=False)
    migrate.upgrade(old.engine, "0001")          # not head: the real migration
    assert migrate.current_revision(old.engine) == "0001"
    old.close()
    Store.open(url).close()                        # has tables: upgraded by Alembic
    assert _stores_from_template == []
    assert _schema(tmp_path / "old.db")["revision"] == [(migrate.head_revision(),)]


@pytest.mark.real_migrations
def test_the_real_migrations_marker_turns_the_copy_off(
        tmp_path: Path, _stores_from_template: list[str]) -> None:
    assert migrate.upgrade is REAL_UPGRADE
    Store.open(f"sqlite:///{tmp_path / 'workbook.db'}").close()
    assert _stores_from_template == []
    assert _schema(tmp_path / "workbook.db")["revision"] == [(migrate.head_revision(),)]
