"""The engagement store: engagements, respondents and answers with their full history.

Works on the embedded SQLite file by default and on any SQLAlchemy URL (PostgreSQL) given by
`WORKBOOK_DATABASE_URL`. Answers are appended, never updated in place: the current answer to
a question is decided by `domain.current_answers` (the latest `answered_at` instant; at equal
instants the later insert), the same rule the CLI applies to a CSV file. Every time is stored in
UTC.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..domain import ABOUT, SIDES, answer_instants, current_answers, latest_of
from ..exceptions import ConflictError, NotFoundError, Problem
from ..ids import check_slug
from .actions import ActionsMixin
from .base import aware as _aware
from .base import now
from .languages import LanguagesMixin, clean_tag
from .messages import Message, MessagesMixin
from .records import BASELINE, Action, ActionEvent, Round
from .rounds import ALL_ROUNDS, insert_baseline, join_round, latest_round_ids
from .schema import (
    action_events,
    actions,
    answers,
    engagements,
    messages,
    respondents,
    round_members,
    round_scores,
    rounds,
)
from .scores import ScoresMixin

if TYPE_CHECKING:  # pandas is imported where a frame is built: the questionnaire's kernel
    import pandas as pd  # never needs it

ANSWER_COLUMNS = ["engagement", "respondent", "side", "role", "name", "question_id", "value",
                  "dont_know", "comment", "answered_at", "source", "about", "round",
                  "comment_lang"]
__all__ = ["ABOUT", "ALL_ROUNDS", "ANSWER_COLUMNS", "SIDES", "Action", "ActionEvent",
           "Engagement", "Message", "Respondent", "Round", "SavedAnswer", "Store", "now"]


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
    lang: str = "en"  # revision 0006: reports, dashboard and setup speak it

    def org(self, side: str) -> str:
        """The organisation name of a side."""
        return self.host_org if side == "host" else self.partner_org


@dataclass(frozen=True)
class Respondent:
    """A person answering for one side of an engagement, as invited to one round (`token` is
    their personal link for that round; None when they are not invited to it)."""

    engagement: str
    id: str
    name: str
    side: str
    role: str
    token: str | None
    round: str = BASELINE
    email: str | None = None  # revision 0005; shown to facilitators only
    lang: str | None = None  # revision 0006; None: the engagement's language applies


@dataclass(frozen=True)
class SavedAnswer:
    """What `record_answer` stored: when, and whether it changed anything."""

    answered_at: datetime
    changed: bool



@dataclass(frozen=True)
class StoredAnswer:
    """A respondent's current answer to one question, as the questionnaire shows it."""

    value: int | None
    dont_know: bool
    comment: str
    answered_at: datetime


class Store(ActionsMixin, ScoresMixin, MessagesMixin, LanguagesMixin):
    """Access to one store (SQLite file or PostgreSQL database)."""

    # ---- engagements -------------------------------------------------------------------------
    def create_engagement(self, engagement_id: str, host_org: str, partner_org: str,
                          title: str | None = None, bank_version: str | None = None,
                          created_at: datetime | None = None,
                          lang: str | None = None) -> Engagement:
        """Create an engagement (with its baseline round); the id must be a new slug. `lang`
        (default English) is the language of its reports, dashboard and setup."""
        check_slug(engagement_id, "engagement id")
        created = created_at or now()
        row = {"id": engagement_id, "title": title or f"{host_org} and {partner_org}",
               "host_org": host_org, "partner_org": partner_org,
               "created_at": created, "bank_version": bank_version,
               "lang": clean_tag(lang) or "en"}
        try:
            with self._tx("write to", write=True) as conn:
                conn.execute(insert(engagements).values(**row))
                insert_baseline(conn, engagement_id, created)
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
                          bool(m["anonymous"]), bool(m["expectations"]), m["lang"] or "en")

    def has_engagement(self, engagement_id: str) -> bool:
        """Whether an engagement of that id exists."""
        with self._tx("read") as conn:
            return conn.execute(select(engagements.c.id)
                                .where(engagements.c.id == engagement_id)).first() is not None

    def engagements(self, counts: bool = True) -> pd.DataFrame:
        """Every engagement with its respondent and answer counts (zero without `counts`)."""
        import pandas as pd

        nresp: dict[str, int] = {}
        nans: dict[str, int] = {}
        with self._tx("read") as conn:
            eng = conn.execute(select(engagements).order_by(engagements.c.id)).all()
            if counts:
                nresp = dict(conn.execute(
                    select(respondents.c.engagement_id, func.count())
                    .group_by(respondents.c.engagement_id)).all())
                nans = dict(conn.execute(
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
        """Remove an engagement with its rounds, respondents, answers and actions."""
        self.engagement(engagement_id)
        with self._tx("write to", write=True) as conn:
            _delete_engagement(conn, engagement_id)

    # ---- respondents -------------------------------------------------------------------------
    def add_respondent(self, engagement_id: str, respondent_id: str, name: str, side: str,
                       role: str = "", round_id: str | None = None,
                       email: str | None = None, lang: str | None = None) -> Respondent:
        """Invite a respondent to a round (default: the latest) with a personal link; someone
        already known from another round of the engagement is invited again. `email` and
        `lang` (checked by the caller) are kept when given."""
        check_slug(respondent_id, "respondent id")
        tag = clean_tag(lang)
        if side not in SIDES:
            raise ConflictError(Problem(f"unknown side {side!r}.",
                                        fix="use 'host' or 'partner'."))
        self.engagement(engagement_id)

        def body(conn: Connection) -> str:
            rid = self.resolve_round(conn, engagement_id, round_id)
            known = conn.execute(select(respondents.c.side).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id)).first()
            if known is None:
                conn.execute(insert(respondents).values(
                    engagement_id=engagement_id, id=respondent_id, name=name or respondent_id,
                    side=side, role=role or "", created_at=now(), email=email or None,
                    lang=tag))
            elif known.side != side:
                raise ConflictError(Problem(
                    f"respondent '{respondent_id}' is on side '{known.side}' in "
                    f"'{engagement_id}'.", fix="keep their side, or use another id."))
            invited = conn.execute(select(round_members.c.token).where(
                round_members.c.engagement_id == engagement_id, round_members.c.round_id == rid,
                round_members.c.respondent_id == respondent_id)).first()
            if invited is not None:
                raise ConflictError(Problem(
                    f"respondent '{respondent_id}' already exists in '{engagement_id}' "
                    f"(round '{rid}').", fix="choose another id."))
            join_round(conn, engagement_id, rid, [respondent_id])
            if (email or tag) and known is not None:
                conn.execute(update(respondents).where(
                    respondents.c.engagement_id == engagement_id,
                    respondents.c.id == respondent_id).values(
                        **({"email": email} if email else {}), **({"lang": tag} if tag else {})))
            return rid

        try:
            rid = self._write("write to", body)
        except IntegrityError:
            raise ConflictError(Problem(
                f"respondent '{respondent_id}' already exists in '{engagement_id}'.",
                fix="choose another id.")) from None
        return self.respondent(engagement_id, respondent_id, rid)

    def respondent(self, engagement_id: str, respondent_id: str,
                   round_id: str | None = None) -> Respondent:
        """One respondent of an engagement, with their link for a round (default: latest)."""
        with self._tx("read") as conn:
            rid = self.resolve_round(conn, engagement_id, round_id)
            row = conn.execute(select(respondents).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id)).first()
            token = conn.execute(select(round_members.c.token).where(
                round_members.c.engagement_id == engagement_id, round_members.c.round_id == rid,
                round_members.c.respondent_id == respondent_id)).scalar()
        if row is None:
            raise NotFoundError(Problem(
                f"there is no respondent '{respondent_id}' in engagement '{engagement_id}'.",
                fix="add them with 'workbook respondent add'."))
        return _respondent(row._mapping, token, rid)

    def respondent_by_token(self, token: str) -> Respondent | None:
        """The respondent (and round) a personal link belongs to, or None."""
        if not token:
            return None
        m = round_members
        with self._tx("read") as conn:
            row = conn.execute(
                select(respondents, m.c.token.label("round_token"), m.c.round_id)
                .join(m, and_(m.c.engagement_id == respondents.c.engagement_id,
                              m.c.respondent_id == respondents.c.id))
                .where(m.c.token == token)).first()
        if row is None:
            return None
        return _respondent(row._mapping, row.round_token, row.round_id)

    def respondents(self, engagement_id: str | None = None,
                    round_id: str | None = None) -> list[Respondent]:
        """Respondents invited to a round (default: each engagement's latest), ordered by
        side then id, each with their link for that round."""
        m = round_members
        q = (select(respondents, m.c.token.label("round_token"), m.c.round_id)
             .join(m, and_(m.c.engagement_id == respondents.c.engagement_id,
                           m.c.respondent_id == respondents.c.id))
             .order_by(respondents.c.engagement_id, respondents.c.side, respondents.c.id))
        with self._tx("read") as conn:
            if engagement_id is not None:
                rid = self.resolve_round(conn, engagement_id, round_id)
                q = q.where(respondents.c.engagement_id == engagement_id, m.c.round_id == rid)
                rows = conn.execute(q).all()
            else:
                latest = latest_round_ids(conn)
                rows = [r for r in conn.execute(q)
                        if r.round_id == latest.get(r.engagement_id)]
        return [_respondent(r._mapping, r.round_token, r.round_id) for r in rows]

    def roster(self, engagement_id: str | None = None,
               round_id: str | None = None) -> pd.DataFrame:
        """Respondents of a round as a frame (engagement, respondent, side, role, name)."""
        import pandas as pd

        rows = [{"engagement": r.engagement, "respondent": r.id, "side": r.side, "role": r.role,
                 "name": r.name} for r in self.respondents(engagement_id, round_id)]
        return pd.DataFrame(rows, columns=["engagement", "respondent", "side", "role", "name"])

    # ---- answers -----------------------------------------------------------------------------
    def record_answer(self, engagement_id: str, respondent_id: str, question_id: str,
                      value: int | None, comment: str = "", dont_know: bool = False,
                      source: str = "app", about: str = "self",
                      round_id: str | None = None, not_applicable: bool = False,
                      lang: str | None = None) -> SavedAnswer:
        """Append an answer (value, or don't know) to a round (default: the latest) unless it
        equals the current one.

        `about` is 'self' for the respondent's own answer, 'other-side' for what they expect
        the other side's team to answer. `lang` is the language the answer (and its comment,
        kept as written) was given in.
        """
        if about not in ABOUT:
            raise ValueError(f"about must be one of {ABOUT}, not {about!r}")
        if not_applicable:
            # 'na' (version 3): no value and no don't-know
            value, dont_know = None, False
        elif value is None:
            dont_know = True
        new_value = None if dont_know else value

        def body(conn: Connection) -> SavedAnswer:
            rid = self.resolve_round(conn, engagement_id, round_id)
            exists = conn.execute(select(round_members.c.token).where(
                round_members.c.engagement_id == engagement_id,
                round_members.c.round_id == rid,
                round_members.c.respondent_id == respondent_id)).first()
            if exists is None:
                raise NotFoundError(Problem(
                    f"there is no respondent '{respondent_id}' in '{engagement_id}' "
                    f"(round '{rid}')."))
            rows = conn.execute(
                select(answers.c.id, answers.c.value, answers.c.dont_know, answers.c.comment,
                       answers.c.answered_at)
                .where(answers.c.engagement_id == engagement_id, answers.c.round == rid,
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
                comment=comment or "", answered_at=ts, source=source, about=about, round=rid,
                lang=clean_tag(lang)))
            return SavedAnswer(ts, changed=True)

        return self._write("save an answer to", body)

    def respondent_answers(self, engagement_id: str, respondent_id: str,
                           round_id: str | None = None, about: str = "self"
                           ) -> dict[str, StoredAnswer]:
        """One respondent's current answers in a round (default: the latest), by question id:
        what the questionnaire reopens on. Reads only that person's rows, without pandas."""
        def body(conn: Connection) -> dict[str, StoredAnswer]:
            rid = self.resolve_round(conn, engagement_id, round_id)
            rows = conn.execute(
                select(answers.c.id, answers.c.question_id, answers.c.value,
                       answers.c.dont_know, answers.c.comment, answers.c.answered_at)
                .where(answers.c.engagement_id == engagement_id, answers.c.round == rid,
                       answers.c.respondent_id == respondent_id, answers.c.about == about)
                .order_by(answers.c.question_id, answers.c.id)).all()
            by_question: dict[str, list[Any]] = {}
            for r in rows:
                by_question.setdefault(r.question_id, []).append(r)
            out = {}
            for qid, group in by_question.items():
                cur = _current_row(group, now())
                dk = bool(cur.dont_know)
                out[qid] = StoredAnswer(None if dk else cur.value, dk, cur.comment or "",
                                        _aware(cur.answered_at))
            return out

        with self._tx("read") as conn:
            return body(conn)

    def _answer_query(self, conn: Connection, engagement_id: str | None,
                      round_id: str | None, among: Sequence[str] | None = None) -> Any:
        a, r = answers, respondents
        q = select(a.c.id, a.c.engagement_id.label("engagement"),
                   a.c.respondent_id.label("respondent"), r.c.side, r.c.role, r.c.name,
                   a.c.question_id, a.c.value, a.c.dont_know, a.c.comment, a.c.answered_at,
                   a.c.source, a.c.about, a.c.round, a.c.lang).join(
                       r, and_(r.c.engagement_id == a.c.engagement_id,
                               r.c.id == a.c.respondent_id))
        if engagement_id is not None:
            q = q.where(a.c.engagement_id == engagement_id)
            if round_id != ALL_ROUNDS:
                q = q.where(a.c.round == self.resolve_round(conn, engagement_id, round_id))
        elif among is not None:
            q = q.where(a.c.engagement_id.in_(sorted(among)))
        if engagement_id is None and round_id != ALL_ROUNDS:
            latest = _latest_rounds_query()
            q = q.join(latest, and_(latest.c.engagement_id == a.c.engagement_id,
                                    latest.c.id == a.c.round))
        return q.order_by(a.c.engagement_id, a.c.round, a.c.respondent_id, a.c.question_id,
                          a.c.about, a.c.id)

    def _answers_frame(self, engagement_id: str | None, round_id: str | None,
                       current_only: bool, among: Sequence[str] | None = None
                       ) -> pd.DataFrame:
        import pandas as pd

        with self._tx("read") as conn:
            rows = conn.execute(self._answer_query(conn, engagement_id, round_id, among)).all()
        # rows are tuples in the query's column order: one pass, column by column
        frame = pd.DataFrame.from_records(rows, columns=["id", *ANSWER_COLUMNS],
                                          coerce_float=False)
        frame["value"] = frame["value"].astype("Int64")
        frame["dont_know"] = frame["dont_know"].astype(bool)
        frame["not_applicable"] = frame["value"].isna() & ~frame["dont_know"]
        frame["comment"] = frame["comment"].fillna("").astype(str)
        frame["about"] = frame["about"].fillna("self").astype(str)
        frame["round"] = frame["round"].fillna(BASELINE).astype(str)
        frame["comment_lang"] = [v if isinstance(v, str) and v else None
                                 for v in frame["comment_lang"]]
        frame["answered_at"] = _utc(frame["answered_at"])
        if current_only:
            frame = current_answers(frame, order="id")
        return frame

    def current_answers(self, engagement_id: str | None = None,
                        round_id: str | None = None,
                        among: Sequence[str] | None = None) -> pd.DataFrame:
        """The current answer of every respondent to every question they answered in a round
        (default: each engagement's latest; `ALL_ROUNDS` for every round), own answers and
        expectations told apart by the `about` column. `among` limits a read of every
        engagement to those ids."""
        return self._answers_frame(engagement_id, round_id, True, among).drop(columns=["id"])

    def history(self, engagement_id: str | None = None,
                round_id: str | None = ALL_ROUNDS) -> pd.DataFrame:
        """Every answer ever given (default: in every round), oldest first within each
        respondent and question."""
        return self._answers_frame(engagement_id, round_id, current_only=False)

    def last_answer_times(self, among: Sequence[str] | None = None) -> dict[str, datetime]:
        """When each engagement (or each of `among`) last received an answer (any round)."""
        q = select(answers.c.engagement_id, func.max(answers.c.answered_at)) \
            .group_by(answers.c.engagement_id)
        if among is not None:
            q = q.where(answers.c.engagement_id.in_(sorted(among)))
        with self._tx("read") as conn:
            rows = conn.execute(q).all()
        return {e: _aware(t) for e, t in rows if t is not None}

    def import_answers(self, frame: pd.DataFrame, *, source: str = "import",
                       file: str = "", bank_version: str | None = None) -> dict[str, int]:
        """Import validated answers all-or-nothing; creates missing engagements/respondents
        and invites respondents to the rounds they answer in (an empty or missing `round`
        is the engagement's latest round)."""
        import pandas as pd

        frame = frame.copy()
        if "round" not in frame.columns:
            frame["round"] = ""
        frame["round"] = frame["round"].fillna("").astype(str).str.strip()
        first = frame.drop_duplicates(["engagement", "respondent"])
        mails = _emails_of(frame)
        langs = _langs_of(frame)
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
            latest = latest_round_ids(conn)
            known_r = {(e, r) for e, r in conn.execute(select(rounds.c.engagement_id,
                                                              rounds.c.id))}
            existing = {(r.engagement_id, r.id): r.side for r in conn.execute(
                select(respondents.c.engagement_id, respondents.c.id, respondents.c.side))}
            problems: list[Problem] = []
            for r in first.itertuples(index=False):
                side = existing.get((r.engagement, r.respondent))
                if side is not None and side != r.side:
                    problems.append(Problem(
                        f"respondent '{r.respondent}' is on side '{side}' in the store but "
                        f"'{r.side}' here.", file=file or None, row=_row(r), column="side",
                        fix="correct the side, or use another respondent id."))

            def resolve(eng: str, rnd: str) -> str:
                return rnd or latest.get(eng, BASELINE)

            pairs = frame.assign(wb_round=[resolve(e, r) for e, r in
                                           zip(frame["engagement"], frame["round"],
                                               strict=True)])
            for r in pairs.drop_duplicates(["engagement", "wb_round"]).itertuples(index=False):
                new_eng = r.engagement not in known_e
                if (new_eng and r.wb_round != BASELINE) or \
                        (not new_eng and (r.engagement, r.wb_round) not in known_r):
                    problems.append(Problem(
                        f"engagement '{r.engagement}' has no round '{r.wb_round}'.",
                        file=file or None, row=_row(r), column="round",
                        fix=f"open it first with 'workbook round add {r.engagement} "
                        f"{r.wb_round}', or leave the column empty for the latest round."))
            if problems:
                raise ConflictError(problems)
            for eng in sorted(set(frame["engagement"]) - known_e):
                conn.execute(insert(engagements).values(
                    id=eng, title=eng, host_org="Host", partner_org="Partner",
                    created_at=now(), bank_version=bank_version))
                insert_baseline(conn, eng)
                added["engagements"] += 1
            for r in first.itertuples(index=False):
                if (r.engagement, r.respondent) not in existing:
                    conn.execute(insert(respondents).values(
                        engagement_id=r.engagement, id=r.respondent,
                        name=(getattr(r, "name", "") or r.respondent), side=r.side,
                        role=r.role or "", created_at=now(),
                        email=mails.get((r.engagement, r.respondent)),
                        lang=langs.get((r.engagement, r.respondent))))
                    added["respondents"] += 1
                else:  # an empty cell (or no column) keeps what the store has
                    known = {k: v for k, v in (("email", mails.get((r.engagement, r.respondent))),
                                               ("lang", langs.get((r.engagement, r.respondent))))
                             if v}
                    if known:
                        conn.execute(update(respondents).where(
                            respondents.c.engagement_id == r.engagement,
                            respondents.c.id == r.respondent).values(**known))
            engs = sorted(set(frame["engagement"]))
            members = {(m.engagement_id, m.round_id, m.respondent_id) for m in conn.execute(
                select(round_members.c.engagement_id, round_members.c.round_id,
                       round_members.c.respondent_id)
                .where(round_members.c.engagement_id.in_(engs)))}
            for r in pairs.drop_duplicates(["engagement", "wb_round", "respondent"]) \
                    .itertuples(index=False):
                if (r.engagement, r.wb_round, r.respondent) not in members:
                    join_round(conn, r.engagement, r.wb_round, [r.respondent])
            current: dict[tuple[str, str, str, str, str], tuple[Any, bool, str]] = {}
            stored = pd.DataFrame(conn.execute(
                select(answers.c.id, answers.c.engagement_id.label("engagement"),
                       answers.c.round, answers.c.respondent_id.label("respondent"),
                       answers.c.question_id, answers.c.value, answers.c.dont_know,
                       answers.c.comment, answers.c.answered_at, answers.c.about)
                .where(answers.c.engagement_id.in_(engs))).all(),
                columns=["id", "engagement", "round", "respondent", "question_id", "value",
                         "dont_know", "comment", "answered_at", "about"])
            if len(stored):
                stored["answered_at"] = stored["answered_at"].map(_aware)
                for row in current_answers(stored, order="id").itertuples(index=False):
                    current[(row.engagement, row.round, row.respondent, row.question_id,
                             row.about)] = (None if pd.isna(row.value) else int(row.value),
                                            bool(row.dont_know), row.comment or "")
            payload = []
            for r in ordered.itertuples(index=False):
                dk = bool(r.dont_know)
                val = None if dk or pd.isna(r.value) else int(r.value)
                # 'na' is kept as no value and no don't-know (version 3)
                na = not dk and val is None and bool(getattr(r, "not_applicable", False))
                about = str(getattr(r, "about", "") or "self")
                rnd = resolve(r.engagement, r.round)
                key = (r.engagement, rnd, r.respondent, r.question_id, about)
                new = (val, (dk or val is None) and not na, str(r.comment or ""))
                if current.get(key) == new:
                    added["unchanged"] += 1
                    continue
                current[key] = new
                payload.append({
                    "engagement_id": r.engagement, "respondent_id": r.respondent,
                    "question_id": r.question_id, "value": val, "dont_know": new[1],
                    "comment": new[2], "answered_at": pd.Timestamp(r.wb_ts).to_pydatetime(),
                    "source": source, "about": about, "round": rnd,
                    # the language the answer was given in: only what the file says
                    "lang": clean_tag(str(getattr(r, "comment_lang", "") or ""))})
            if payload:
                conn.execute(insert(answers), payload)
            added["answers"] = len(payload)
            return added

        return self._write("import into", body)

    def restore_engagement(self, doc: dict[str, Any], *, new_id: str | None = None,
                           replace: bool = False) -> dict[str, int]:
        """Write an exported engagement (rounds, respondents, the whole answer history and
        the actions) in one transaction."""
        e = doc["engagement"]
        target = new_id or e["id"]
        check_slug(target, "engagement id")
        people = doc["respondents"]
        doc_rounds = doc.get("rounds") or [
            {"id": BASELINE, "position": 0, "bank": "", "title": "Baseline",
             "opened_at": e["created_at"],
             "members": [{"respondent": r["id"], "token": r.get("token")} for r in people]}]

        def body(conn: Connection) -> dict[str, int]:
            exists = conn.execute(select(engagements.c.id)
                                  .where(engagements.c.id == target)).first() is not None
            if exists and not replace:
                raise ConflictError(Problem(
                    f"engagement '{target}' already exists in the store.",
                    fix="add --replace to overwrite it, or --as NEW_ID to import a copy."))
            if exists:
                _delete_engagement(conn, target)
            conn.execute(insert(engagements).values(
                id=target, title=e["title"], host_org=e["host_org"],
                partner_org=e["partner_org"], created_at=_aware(e["created_at"]),
                bank_version=e.get("bank_version"), revealed=bool(e.get("revealed")),
                lang=clean_tag(e.get("lang")) or "en",
                anonymous=bool(e.get("anonymous")),
                expectations=bool(e.get("expectations", True))))
            for r in people:
                conn.execute(insert(respondents).values(
                    engagement_id=target, id=r["id"], name=r["name"], side=r["side"],
                    role=r.get("role") or "", email=r.get("email") or None,
                    lang=clean_tag(r.get("lang")),
                    created_at=_aware(r.get("created_at") or e["created_at"])))
            wanted = [m.get("token") for rd in doc_rounds for m in rd.get("members", [])
                      if m.get("token")]
            taken = {t for (t,) in conn.execute(select(round_members.c.token)
                                                .where(round_members.c.token.in_(wanted)))}
            for i, rd in enumerate(doc_rounds):
                conn.execute(insert(rounds).values(
                    engagement_id=target, id=rd["id"], position=rd.get("position", i),
                    bank=rd.get("bank") or "", title=rd.get("title") or rd["id"],
                    opened_at=_aware(rd.get("opened_at") or e["created_at"])))
                for m in rd.get("members", []):
                    token = m.get("token")
                    if not token or token in taken:
                        token = secrets.token_urlsafe(24)
                    taken.add(token)
                    conn.execute(insert(round_members).values(
                        engagement_id=target, round_id=rd["id"], respondent_id=m["respondent"],
                        token=token, added_at=_aware(rd.get("opened_at") or e["created_at"])))
            rows = [{"engagement_id": target, "respondent_id": a["respondent"],
                     "question_id": a["question_id"], "value": a["value"],
                     "dont_know": bool(a["dont_know"]), "comment": a.get("comment") or "",
                     "answered_at": _aware(a["answered_at"]), "source": a.get("source") or "app",
                     "about": a.get("about") or "self", "round": a.get("round") or BASELINE,
                     "lang": clean_tag(a.get("lang"))}
                    for a in doc["answers"]]
            if rows:
                conn.execute(insert(answers), rows)
            acts = doc.get("actions") or []
            for act in acts:
                conn.execute(insert(actions).values(
                    engagement_id=target, id=int(act["id"]), text=act["text"],
                    owner=act["owner"], due=date.fromisoformat(str(act["due"])[:10]),
                    status=act["status"], round=act.get("round") or BASELINE,
                    list_id=act.get("list_id"), flag=act.get("flag"),
                    created_at=_aware(act["created_at"])))
                history = act.get("history") or [{"status": act["status"],
                                                  "at": act["created_at"], "note": ""}]
                conn.execute(insert(action_events), [
                    {"engagement_id": target, "action_id": int(act["id"]),
                     "status": h["status"], "at": _aware(h["at"]), "note": h.get("note") or ""}
                    for h in history])
            return {"respondents": len(people), "answers": len(rows),
                    "rounds": len(doc_rounds), "actions": len(acts)}

        return self._write("import into", body)


def _utc(column: pd.Series) -> pd.Series:
    """Stored times as UTC instants (a time without an offset is UTC)."""
    import pandas as pd

    if not len(column):
        return pd.Series(dtype="datetime64[ns, UTC]")
    try:
        return pd.to_datetime(column, utc=True)
    except (TypeError, ValueError):  # mixed kinds of value: one at a time
        return pd.to_datetime(column.map(_aware), utc=True)


def _row(r: Any) -> int | None:
    import pandas as pd

    value = getattr(r, "row", None)
    return None if value is None or pd.isna(value) else int(value)


def _latest_rounds_query() -> Any:
    """(engagement_id, id) of each engagement's latest round, as a subquery."""
    top = select(rounds.c.engagement_id, func.max(rounds.c.position).label("position")) \
        .group_by(rounds.c.engagement_id).subquery()
    return select(rounds.c.engagement_id, rounds.c.id).join(
        top, and_(top.c.engagement_id == rounds.c.engagement_id,
                  top.c.position == rounds.c.position)).subquery()


def _delete_engagement(conn: Connection, engagement_id: str) -> None:
    """Remove every row of an engagement, children first (no reliance on ON DELETE)."""
    for table in (action_events, actions, answers, messages, round_members, round_scores):
        conn.execute(delete(table).where(table.c.engagement_id == engagement_id))
    conn.execute(delete(rounds).where(rounds.c.engagement_id == engagement_id))
    conn.execute(delete(respondents).where(respondents.c.engagement_id == engagement_id))
    conn.execute(delete(engagements).where(engagements.c.id == engagement_id))


def _current_row(rows: Sequence[Any], missing: datetime) -> Any:
    """Of the stored rows of one respondent, question and `about`, the current one."""
    return latest_of(rows, lambda r: _aware(r.answered_at) if r.answered_at else missing,
                     lambda r: r.id)


def _respondent(m: Any, token: str | None, round_id: str) -> Respondent:
    return Respondent(m["engagement_id"], m["id"], m["name"], m["side"], m["role"] or "",
                      token, round_id, m.get("email") or None, m.get("lang") or None)


def _emails_of(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The (already checked) addresses an import carries, by (engagement, respondent); none
    when the file has no `email` column."""
    if "email" not in frame.columns:
        return {}
    out: dict[tuple[str, str], str] = {}
    for e, r, v in zip(frame["engagement"], frame["respondent"], frame["email"], strict=True):
        if isinstance(v, str) and v.strip():
            out.setdefault((e, r), v.strip())
    return out


def _langs_of(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The (already checked) respondent languages an import carries, by (engagement,
    respondent); none when the file has no `lang` column."""
    if "lang" not in frame.columns:
        return {}
    out: dict[tuple[str, str], str] = {}
    for e, r, v in zip(frame["engagement"], frame["respondent"], frame["lang"], strict=True):
        tag = clean_tag(v) if isinstance(v, str) else None
        if tag:
            out.setdefault((e, r), tag)
    return out
