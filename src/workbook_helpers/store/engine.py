"""Creating the SQLAlchemy engine for a store URL, with the settings each backend needs."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

from ..exceptions import StoreError

WRITE_OPTION = "workbook_write"


def describe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the configured store"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 15000")
    cur.execute("PRAGMA foreign_keys = ON")
    with contextlib.suppress(Exception):  # a read-only file cannot switch journal mode
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # writers take the write lock up front, so they wait (busy_timeout) instead of failing
    # when another process committed between their read and their write
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> tuple[Engine, str]:
    """An engine for `url` and its backend name ('sqlite', 'postgresql', ...)."""
    try:
        parsed = make_url(url)
    except Exception:
        raise StoreError(f"WORKBOOK_DATABASE_URL {url!r} is not a database URL "
                         "(e.g. postgresql+psycopg://user@host/db).") from None
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:":
            try:
                Path(db).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data folder for {db}: "
                                 f"{exc.strerror}.") from None
        kwargs["connect_args"] = {"timeout": 15}
    else:
        kwargs["pool_pre_ping"] = True
        if backend == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(url, **kwargs)
    except Exception as exc:
        raise StoreError(f"cannot use the store at {describe(url)}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine, backend
