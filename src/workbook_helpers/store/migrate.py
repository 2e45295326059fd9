"""Bring a store's schema to the newest revision with Alembic, keeping its data."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


#: `revision = "0006"` / `down_revision = "0005"` (or None) in a migration file
_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*=\s*(?:None|["']([^"']+)["'])\s*$""",
                            re.MULTILINE)


@functools.cache
def head_revision() -> str:
    """The newest schema revision this version of the workbook knows.

    Read from the migration files (the one revision no other one revises): every store
    opened checks it, and loading Alembic's script directory cost each process 0.19 s of CPU
    (each dashboard visitor's kernel, each command). Alembic decides where the files say
    anything else (a branch, a merge)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        found = {name: value for name, value in
                 _REVISION_LINE.findall(path.read_text(encoding="utf-8"))}
        if "revision" not in found or "down_revision" not in found:
            return alembic_head()
        revisions.add(found["revision"])
        if found["down_revision"]:
            revised.add(found["down_revision"])
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 and revised <= revisions else alembic_head()


def alembic_head() -> str:
    """The newest schema revision, as Alembic's script directory reads it."""
    from alembic.script import ScriptDirectory

    cfg = _config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision a store is at (None for an empty database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade (or create) the schema up to `revision`."""
    from alembic import command

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite and raw is not None:
            # a table rebuild must not cascade deletes into child tables; the pragma only
            # takes effect outside a transaction, so it goes straight to the driver
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                command.upgrade(_config(conn), revision)
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
