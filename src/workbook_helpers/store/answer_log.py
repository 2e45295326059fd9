"""Answers as a part of the store: an append-only log. Recording one (unless it equals the
current answer), one respondent's current answers, everybody's current answers as a frame, the
whole history, and when each engagement last received an answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.engine import Connection

from ..domain import ABOUT, current_answers, latest_of
from ..exceptions import NotFoundError, Problem
from .base import aware as _aware
from .base import now
from .languages import clean_tag
from .records import BASELINE, SavedAnswer, StoredAnswer
from .rounds import ALL_ROUNDS, RoundsMixin
from .schema import answers, respondents, round_members, rounds

if TYPE_CHECKING:  # pandas is imported where a frame is built: the questionnaire's kernel
    import pandas as pd  # never needs it

ANSWER_COLUMNS = ["engagement", "respondent", "side", "role", "name", "question_id", "value",
                  "dont_know", "comment", "answered_at", "source", "about", "round",
                  "comment_lang"]


class AnswerLogMixin(RoundsMixin):
    """Answers: appended, never updated; the current one is decided by `domain.current_answers`."""

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


def _utc(column: pd.Series) -> pd.Series:
    """Stored times as UTC instants (a time without an offset is UTC)."""
    import pandas as pd

    if not len(column):
        return pd.Series(dtype="datetime64[ns, UTC]")
    try:
        return pd.to_datetime(column, utc=True)
    except (TypeError, ValueError):  # mixed kinds of value: one at a time
        return pd.to_datetime(column.map(_aware), utc=True)


def _latest_rounds_query() -> Any:
    """(engagement_id, id) of each engagement's latest round, as a subquery."""
    top = select(rounds.c.engagement_id, func.max(rounds.c.position).label("position")) \
        .group_by(rounds.c.engagement_id).subquery()
    return select(rounds.c.engagement_id, rounds.c.id).join(
        top, and_(top.c.engagement_id == rounds.c.engagement_id,
                  top.c.position == rounds.c.position)).subquery()


def _current_row(rows: Sequence[Any], missing: datetime) -> Any:
    """Of the stored rows of one respondent, question and `about`, the current one."""
    return latest_of(rows, lambda r: _aware(r.answered_at) if r.answered_at else missing,
                     lambda r: r.id)
