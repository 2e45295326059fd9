"""The store's plumbing: opening (and upgrading) it, transactions with retries, and errors
that name the store and the fix."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from ..config import database_url
from ..exceptions import StoreError
from . import migrate
from .engine import WRITE_OPTION, describe, make_engine
from .retry import is_transient, with_retries

T = TypeVar("T")
S = TypeVar("S", bound="StoreBase")


def now() -> datetime:
    """The current time in UTC (the store keeps every time in UTC)."""
    return datetime.now(UTC)


def aware(ts: Any) -> datetime:
    """A stored or exported time as an aware UTC datetime (no offset means UTC)."""
    value: datetime = datetime.fromisoformat(ts) if isinstance(ts, str) else ts
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StoreBase:
    """Access to one store (SQLite file or PostgreSQL database)."""

    def __init__(self, engine: Engine, url: str, backend: str = "sqlite") -> None:
        self.engine = engine
        self.url = url
        self.backend = backend
        self.retries = 0  # transient errors retried so far (lock contention, serialization)

    # ---- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls: type[S], url: str | None = None, upgrade: bool = True) -> S:
        """Open (creating or upgrading as needed) the store at `url` or from the environment."""
        url = database_url(url)
        engine, backend = make_engine(url)
        store = cls(engine, url, backend)
        if upgrade:
            store.ensure_schema()
        return store

    def ensure_schema(self) -> None:
        """Create the schema in an empty store, or upgrade an older one, keeping all data."""
        try:
            if migrate.current_revision(self.engine) != migrate.head_revision():
                migrate.upgrade(self.engine)
        except SQLAlchemyError as exc:
            raise self._error("open", exc) from None
        except OSError as exc:
            raise StoreError(f"cannot open the store at {describe(self.url)}: "
                             f"{exc.strerror or exc}.") from None

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def _sqlite_folder(self) -> Path | None:
        """The folder of an SQLite store file (None for other backends or in-memory)."""
        if self.backend != "sqlite" or not self.url.startswith("sqlite:///"):
            return None
        path = self.url.removeprefix("sqlite:///").split("?")[0]
        return Path(path).parent if path and path != ":memory:" else None

    def _error(self, action: str, exc: Exception) -> StoreError:
        msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else repr(exc)
        hint = ""
        low = msg.lower()
        folder = self._sqlite_folder()
        if ("readonly" in low or "read-only" in low) and folder is not None and \
                folder.is_dir() and not os.access(folder, os.W_OK):
            hint = (" The store's folder cannot be written (SQLite keeps its journal beside the "
                    "file): check the folder's permissions, or set WORKBOOK_DATA_DIR to a "
                    "writable folder.")
        elif "readonly" in low or "read-only" in low:
            hint = " The store file is read-only: check its permissions or copy it elsewhere."
        elif "full" in low or "disk i/o" in low or "no space" in low:
            hint = " The disk is full: free some space and try again; nothing was lost."
        elif self.backend == "sqlite" and "unable to open" in low:
            hint = (" The store's folder cannot be written (SQLite keeps its journal beside the "
                    "file): check the folder's permissions, or set WORKBOOK_DATA_DIR to a "
                    "writable folder.")
        elif any(w in low for w in ("unable to open", "could not connect", "connection",
                                    "server closed", "timeout expired", "refused")):
            hint = (" The database cannot be reached: check WORKBOOK_DATABASE_URL and that the "
                    "server is running.")
        return StoreError(f"cannot {action} the store at {describe(self.url)} ({msg}).{hint}")

    @contextmanager
    def _tx(self, action: str, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as base:
                conn = base.execution_options(**{WRITE_OPTION: True}) if write else base
                with conn.begin():
                    yield conn
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, IntegrityError) or is_transient(exc):
                raise
            raise self._error(action, exc) from None
        except OSError as exc:
            raise StoreError(f"cannot {action} the store at {describe(self.url)}: "
                             f"{exc.strerror or exc}.") from None

    def _write(self, action: str, body: Callable[[Connection], T]) -> T:
        """Run `body` in a write transaction, retrying lock contention with backoff."""
        def attempt() -> T:
            with self._tx(action, write=True) as conn:
                return body(conn)

        def count(_: int) -> None:
            self.retries += 1

        try:
            return with_retries(attempt, on_retry=count)
        except DBAPIError as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise self._error(action, exc) from None
