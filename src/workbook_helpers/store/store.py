"""The engagement store: engagements, respondents and answers with their full history.

Works on the embedded SQLite file by default and on any SQLAlchemy URL (PostgreSQL) given by
`WORKBOOK_DATABASE_URL`. Answers are appended, never updated in place: the current answer to
a question is decided by `domain.current_answers` (the latest `answered_at` instant; at equal
instants the later insert), the same rule the CLI applies to a CSV file. Every time is stored in
UTC.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from ..config import database_url
from ..domain import ABOUT, SIDES, answer_instants, current_answers
from ..exceptions import ConflictError, NotFoundError, Problem, StoreError
from ..ids import check_slug
from . import migrate
from .engine import WRITE_OPTION, describe, make_engine
from .retry import is_transient, with_retries
from .schema import answers, engagements, respondents

T = TypeVar("T")
ANSWER_COLUMNS = ["engagement", "respondent", "side", "role", "name", "question_id", "value",
                  "dont_know", "comment", "answered_at", "source", "about"]
__all__ = ["ABOUT", "ANSWER_COLUMNS", "SIDES", "Engagement", "Respondent", "SavedAnswer",
           "Store", "now"]


@dataclass(frozen=True)
class Engagement:
    """One prospective partnership being assessed."""

    id: str
    title: str
    host_org: str
    partner_org: str
    created_at: datetime
    bank_version: str | None = None
    revealed: bool = False
    anonymous: bool = False
    expectations: bool = True

    def org(self, side: str) -> str:
        """The organisation name of a side."""
        return self.host_org if side == "host" else self.partner_org


@dataclass(frozen=True)
class Respondent:
    """A person answering for one side of an engagement."""

    engagement: str
    id: str
    name: str
    side: str
    role: str
    token: str | None


@dataclass(frozen=True)
class SavedAnswer:
    """What `record_answer` stored: when, and whether it changed anything."""

    answered_at: datetime
    changed: bool


def now() -> datetime:
    """The current time in UTC (the store keeps every time in UTC)."""
    return datetime.now(UTC)


def _aware(ts: Any) -> datetime:
    """A stored or exported time as an aware UTC datetime (no offset means UTC)."""
    value: datetime = datetime.fromisoformat(ts) if isinstance(ts, str) else ts
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Store:
    """Access to one store (SQLite file or PostgreSQL database)."""

    def __init__(self, engine: Engine, url: str, backend: str = "sqlite") -> None:
        self.engine = engine
        self.url = url
        self.backend = backend
        self.retries = 0  # transient errors retried so far (lock contention, serialization)

    # ---- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, upgrade: bool = True) -> Store:
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

    # ---- engagements -------------------------------------------------------------------------
    def create_engagement(self, engagement_id: str, host_org: str, partner_org: str,
                          title: str | None = None, bank_version: str | None = None) -> Engagement:
        """Create an engagement; the id must be a new slug."""
        check_slug(engagement_id, "engagement id")
        row = {"id": engagement_id, "title": title or f"{host_org} and {partner_org}",
               "host_org": host_org, "partner_org": partner_org, "created_at": now(),
               "bank_version": bank_version}
        try:
            with self._tx("write to", write=True) as conn:
                conn.execute(insert(engagements).values(**row))
        except IntegrityError:
            raise ConflictError(Problem(f"engagement '{engagement_id}' already exists.",
                                        fix="choose another id, or delete it first.")) from None
        return self.engagement(engagement_id)

    def engagement(self, engagement_id: str) -> Engagement:
        """One engagement by id."""
        with self._tx("read") as conn:
            row = conn.execute(select(engagements).where(engagements.c.id == engagement_id)).first()
        if row is None:
            raise NotFoundError(Problem(f"there is no engagement '{engagement_id}'.",
                                        fix="list them with 'workbook engagement list'."))
        m = row._mapping
        return Engagement(m["id"], m["title"], m["host_org"], m["partner_org"],
                          _aware(m["created_at"]), m["bank_version"], bool(m["revealed"]),
                          bool(m["anonymous"]), bool(m["expectations"]))

    def has_engagement(self, engagement_id: str) -> bool:
        """Whether an engagement of that id exists."""
        with self._tx("read") as conn:
            return conn.execute(select(engagements.c.id)
                                .where(engagements.c.id == engagement_id)).first() is not None

    def engagements(self) -> pd.DataFrame:
        """Every engagement with its respondent and answer counts."""
        with self._tx("read") as conn:
            eng = conn.execute(select(engagements).order_by(engagements.c.id)).all()
            nresp: dict[str, int] = dict(conn.execute(
                select(respondents.c.engagement_id, func.count())
                .group_by(respondents.c.engagement_id)).all())
            nans: dict[str, int] = dict(conn.execute(
                select(answers.c.engagement_id, func.count())
                .group_by(answers.c.engagement_id)).all())
        rows = [{"engagement": r.id, "title": r.title, "host_org": r.host_org,
                 "partner_org": r.partner_org, "created_at": _aware(r.created_at),
                 "respondents": int(nresp.get(r.id, 0)), "answer_rows": int(nans.get(r.id, 0))}
                for r in eng]
        return pd.DataFrame(rows, columns=["engagement", "title", "host_org", "partner_org",
                                           "created_at", "respondents", "answer_rows"])

    def set_engagement_options(self, engagement_id: str, *, revealed: bool | None = None,
                               anonymous: bool | None = None,
                               expectations: bool | None = None) -> Engagement:
        """Change whether results are revealed, names hidden, and expectations asked."""
        values: dict[str, Any] = {}
        if revealed is not None:
            values["revealed"] = revealed
        if anonymous is not None:
            values["anonymous"] = anonymous
        if expectations is not None:
            values["expectations"] = expectations
        self.engagement(engagement_id)
        if values:
            with self._tx("write to", write=True) as conn:
                conn.execute(update(engagements).where(engagements.c.id == engagement_id)
                             .values(**values))
        return self.engagement(engagement_id)

    def delete_engagement(self, engagement_id: str) -> None:
        """Remove an engagement with its respondents and answers."""
        self.engagement(engagement_id)
        with self._tx("write to", write=True) as conn:
            conn.execute(delete(answers).where(answers.c.engagement_id == engagement_id))
            conn.execute(delete(respondents).where(respondents.c.engagement_id == engagement_id))
            conn.execute(delete(engagements).where(engagements.c.id == engagement_id))

    # ---- respondents -------------------------------------------------------------------------
    def add_respondent(self, engagement_id: str, respondent_id: str, name: str, side: str,
                       role: str = "") -> Respondent:
        """Add a respondent (with an unguessable personal link token) to an engagement."""
        check_slug(respondent_id, "respondent id")
        if side not in SIDES:
            raise ConflictError(Problem(f"unknown side {side!r}.",
                                        fix="use 'host' or 'partner'."))
        self.engagement(engagement_id)
        try:
            with self._tx("write to", write=True) as conn:
                conn.execute(insert(respondents).values(
                    engagement_id=engagement_id, id=respondent_id, name=name or respondent_id,
                    side=side, role=role or "", created_at=now(),
                    token=secrets.token_urlsafe(24)))
        except IntegrityError:
            raise ConflictError(Problem(
                f"respondent '{respondent_id}' already exists in '{engagement_id}'.",
                fix="choose another id.")) from None
        return self.respondent(engagement_id, respondent_id)

    def respondent(self, engagement_id: str, respondent_id: str) -> Respondent:
        """One respondent of an engagement."""
        with self._tx("read") as conn:
            row = conn.execute(select(respondents).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id)).first()
        if row is None:
            raise NotFoundError(Problem(
                f"there is no respondent '{respondent_id}' in engagement '{engagement_id}'.",
                fix="add them with 'workbook respondent add'."))
        return _respondent(row._mapping)

    def respondent_by_token(self, token: str) -> Respondent | None:
        """The respondent a personal link belongs to, or None."""
        if not token:
            return None
        with self._tx("read") as conn:
            row = conn.execute(select(respondents).where(respondents.c.token == token)).first()
        return None if row is None else _respondent(row._mapping)

    def respondents(self, engagement_id: str | None = None) -> list[Respondent]:
        """Respondents of one engagement (or all), ordered by side then id."""
        q = select(respondents).order_by(respondents.c.engagement_id, respondents.c.side,
                                         respondents.c.id)
        if engagement_id is not None:
            q = q.where(respondents.c.engagement_id == engagement_id)
        with self._tx("read") as conn:
            return [_respondent(r._mapping) for r in conn.execute(q)]

    def roster(self, engagement_id: str | None = None) -> pd.DataFrame:
        """Respondents as a frame (engagement, respondent, side, role, name)."""
        rows = [{"engagement": r.engagement, "respondent": r.id, "side": r.side, "role": r.role,
                 "name": r.name} for r in self.respondents(engagement_id)]
        return pd.DataFrame(rows, columns=["engagement", "respondent", "side", "role", "name"])

    # ---- answers -----------------------------------------------------------------------------
    def record_answer(self, engagement_id: str, respondent_id: str, question_id: str,
                      value: int | None, comment: str = "", dont_know: bool = False,
                      source: str = "app", about: str = "self") -> SavedAnswer:
        """Append an answer (value, or don't know) unless it equals the current one.

        `about` is 'self' for the respondent's own answer, 'other-side' for what they expect
        the other side's team to answer.
        """
        if about not in ABOUT:
            raise ValueError(f"about must be one of {ABOUT}, not {about!r}")
        if value is None:
            dont_know = True
        new_value = None if dont_know else value

        def body(conn: Connection) -> SavedAnswer:
            exists = conn.execute(select(respondents.c.id).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id)).first()
            if exists is None:
                raise NotFoundError(Problem(
                    f"there is no respondent '{respondent_id}' in '{engagement_id}'."))
            rows = conn.execute(
                select(answers.c.id, answers.c.value, answers.c.dont_know, answers.c.comment,
                       answers.c.answered_at)
                .where(answers.c.engagement_id == engagement_id,
                       answers.c.respondent_id == respondent_id,
                       answers.c.question_id == question_id, answers.c.about == about)
                .order_by(answers.c.id)).all()
            ts = now()
            cur = _current_row(rows, ts)
            if cur is not None and cur.value == new_value and bool(cur.dont_know) == dont_know \
                    and (cur.comment or "") == (comment or ""):
                return SavedAnswer(_aware(cur.answered_at), changed=False)
            conn.execute(insert(answers).values(
                engagement_id=engagement_id, respondent_id=respondent_id,
                question_id=question_id, value=new_value, dont_know=dont_know,
                comment=comment or "", answered_at=ts, source=source, about=about))
            return SavedAnswer(ts, changed=True)

        return self._write("save an answer to", body)

    def _answer_query(self, engagement_id: str | None) -> Any:
        a, r = answers, respondents
        q = select(a.c.id, a.c.engagement_id.label("engagement"),
                   a.c.respondent_id.label("respondent"), r.c.side, r.c.role, r.c.name,
                   a.c.question_id, a.c.value, a.c.dont_know, a.c.comment, a.c.answered_at,
                   a.c.source, a.c.about).join(r, and_(r.c.engagement_id == a.c.engagement_id,
                                           r.c.id == a.c.respondent_id))
        if engagement_id is not None:
            q = q.where(a.c.engagement_id == engagement_id)
        return q.order_by(a.c.engagement_id, a.c.respondent_id, a.c.question_id, a.c.about,
                          a.c.id)

    def _answers_frame(self, engagement_id: str | None, current_only: bool) -> pd.DataFrame:
        with self._tx("read") as conn:
            rows = conn.execute(self._answer_query(engagement_id)).all()
        frame = pd.DataFrame([r._mapping for r in rows],
                             columns=["id", *ANSWER_COLUMNS])
        frame["value"] = frame["value"].astype("Int64")
        frame["dont_know"] = frame["dont_know"].astype(bool)
        frame["comment"] = frame["comment"].fillna("").astype(str)
        frame["about"] = frame["about"].fillna("self").astype(str)
        frame["answered_at"] = pd.to_datetime(frame["answered_at"].map(_aware), utc=True) \
            if len(frame) else pd.Series(dtype="datetime64[ns, UTC]")
        if current_only:
            frame = current_answers(frame, order="id")
        return frame

    def current_answers(self, engagement_id: str | None = None) -> pd.DataFrame:
        """The current answer of every respondent to every question they answered (own
        answers and expectations, told apart by the `about` column)."""
        return self._answers_frame(engagement_id, current_only=True).drop(columns=["id"])

    def history(self, engagement_id: str | None = None) -> pd.DataFrame:
        """Every answer ever given, oldest first within each respondent and question."""
        return self._answers_frame(engagement_id, current_only=False)

    def import_answers(self, frame: pd.DataFrame, *, source: str = "import",
                       file: str = "", bank_version: str | None = None) -> dict[str, int]:
        """Import validated answers all-or-nothing; creates missing engagements/respondents."""
        first = frame.drop_duplicates(["engagement", "respondent"])
        ts_default = now()
        # rows are written oldest first (the rule's order: instant, then row), each with its
        # instant in UTC; a row without a time is "answered now"
        order = "row" if "row" in frame.columns else None
        ordered = frame.assign(
            wb_ts=answer_instants(frame["answered_at"] if "answered_at" in frame else
                                [None] * len(frame), missing=ts_default).to_numpy(),
            wb_tb=frame[order].to_numpy() if order else range(len(frame)))
        ordered = ordered.sort_values(["wb_ts", "wb_tb"], kind="mergesort")

        def body(conn: Connection) -> dict[str, int]:
            added = {"engagements": 0, "respondents": 0, "answers": 0, "unchanged": 0}
            known_e = {r[0] for r in conn.execute(select(engagements.c.id))}
            existing = {(r.engagement_id, r.id): r.side for r in conn.execute(
                select(respondents.c.engagement_id, respondents.c.id, respondents.c.side))}
            problems: list[Problem] = []
            for r in first.itertuples(index=False):
                side = existing.get((r.engagement, r.respondent))
                if side is not None and side != r.side:
                    problems.append(Problem(
                        f"respondent '{r.respondent}' is on side '{side}' in the store but "
                        f"'{r.side}' here.", file=file or None, row=int(r.row), column="side",
                        fix="correct the side, or use another respondent id."))
            if problems:
                raise ConflictError(problems)
            for eng in sorted(set(frame["engagement"]) - known_e):
                conn.execute(insert(engagements).values(
                    id=eng, title=eng, host_org="Host", partner_org="Partner",
                    created_at=now(), bank_version=bank_version))
                added["engagements"] += 1
            for r in first.itertuples(index=False):
                if (r.engagement, r.respondent) not in existing:
                    conn.execute(insert(respondents).values(
                        engagement_id=r.engagement, id=r.respondent,
                        name=(getattr(r, "name", "") or r.respondent), side=r.side,
                        role=r.role or "", created_at=now(), token=secrets.token_urlsafe(24)))
                    added["respondents"] += 1
            current: dict[tuple[str, str, str, str], tuple[Any, bool, str]] = {}
            stored = pd.DataFrame(conn.execute(
                select(answers.c.id, answers.c.engagement_id.label("engagement"),
                       answers.c.respondent_id.label("respondent"), answers.c.question_id,
                       answers.c.value, answers.c.dont_know, answers.c.comment,
                       answers.c.answered_at, answers.c.about)
                .where(answers.c.engagement_id.in_(sorted(set(frame["engagement"]))))).all(),
                columns=["id", "engagement", "respondent", "question_id", "value",
                         "dont_know", "comment", "answered_at", "about"])
            if len(stored):
                stored["answered_at"] = stored["answered_at"].map(_aware)
                for row in current_answers(stored, order="id").itertuples(index=False):
                    current[(row.engagement, row.respondent, row.question_id, row.about)] = (
                        None if pd.isna(row.value) else int(row.value), bool(row.dont_know),
                        row.comment or "")
            payload = []
            for r in ordered.itertuples(index=False):
                dk = bool(r.dont_know)
                val = None if dk or pd.isna(r.value) else int(r.value)
                about = str(getattr(r, "about", "") or "self")
                key = (r.engagement, r.respondent, r.question_id, about)
                new = (val, dk or val is None, str(r.comment or ""))
                if current.get(key) == new:
                    added["unchanged"] += 1
                    continue
                current[key] = new
                payload.append({
                    "engagement_id": r.engagement, "respondent_id": r.respondent,
                    "question_id": r.question_id, "value": val, "dont_know": new[1],
                    "comment": new[2], "answered_at": pd.Timestamp(r.wb_ts).to_pydatetime(),
                    "source": source, "about": about})
            if payload:
                conn.execute(insert(answers), payload)
            added["answers"] = len(payload)
            return added

        return self._write("import into", body)


    def restore_engagement(self, doc: dict[str, Any], *, new_id: str | None = None,
                           replace: bool = False) -> dict[str, int]:
        """Write an exported engagement (with its whole answer history) in one transaction."""
        e = doc["engagement"]
        target = new_id or e["id"]
        check_slug(target, "engagement id")

        def body(conn: Connection) -> dict[str, int]:
            exists = conn.execute(select(engagements.c.id)
                                  .where(engagements.c.id == target)).first() is not None
            if exists and not replace:
                raise ConflictError(Problem(
                    f"engagement '{target}' already exists in the store.",
                    fix="add --replace to overwrite it, or --as NEW_ID to import a copy."))
            if exists:
                conn.execute(delete(answers).where(answers.c.engagement_id == target))
                conn.execute(delete(respondents).where(respondents.c.engagement_id == target))
                conn.execute(delete(engagements).where(engagements.c.id == target))
            conn.execute(insert(engagements).values(
                id=target, title=e["title"], host_org=e["host_org"],
                partner_org=e["partner_org"], created_at=_aware(e["created_at"]),
                bank_version=e.get("bank_version"), revealed=bool(e.get("revealed")),
                anonymous=bool(e.get("anonymous")),
                expectations=bool(e.get("expectations", True))))
            wanted = [r.get("token") for r in doc["respondents"] if r.get("token")]
            taken = {t for (t,) in conn.execute(select(respondents.c.token)
                                                .where(respondents.c.token.in_(wanted)))}
            for r in doc["respondents"]:
                token = r.get("token")
                if not token or token in taken:
                    token = secrets.token_urlsafe(24)
                conn.execute(insert(respondents).values(
                    engagement_id=target, id=r["id"], name=r["name"], side=r["side"],
                    role=r.get("role") or "", token=token,
                    created_at=_aware(r.get("created_at") or e["created_at"])))
            rows = [{"engagement_id": target, "respondent_id": a["respondent"],
                     "question_id": a["question_id"], "value": a["value"],
                     "dont_know": bool(a["dont_know"]), "comment": a.get("comment") or "",
                     "answered_at": _aware(a["answered_at"]), "source": a.get("source") or "app",
                     "about": a.get("about") or "self"}
                    for a in doc["answers"]]
            if rows:
                conn.execute(insert(answers), rows)
            return {"respondents": len(doc["respondents"]), "answers": len(rows)}

        return self._write("import into", body)


def _current_row(rows: Sequence[Any], missing: datetime) -> Any:
    """Of the stored rows of one respondent, question and `about`, the current one."""
    if not rows:
        return None
    frame = pd.DataFrame({"answered_at": [_aware(r.answered_at) for r in rows],
                          "id": [r.id for r in rows], "at": range(len(rows))})
    pick = current_answers(frame, order="id", keys=(), missing=missing)
    return rows[int(pick["at"].iloc[0])]


def _respondent(m: Any) -> Respondent:
    return Respondent(m["engagement_id"], m["id"], m["name"], m["side"], m["role"] or "",
                      m["token"])
