"""Kept scores of rounds, as a part of the store: what the portfolio last computed for each
engagement's latest round, with the signature that says whether it still holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .base import aware, now
from .rounds import RoundsMixin, latest_round_ids
from .schema import answers, round_members, round_scores, rounds

SCORE_FIELDS = ("verdict", "relationship_type", "completeness", "share", "importance", "cause",
                "last_answer_at", "lists")


class ScoresMixin(RoundsMixin):
    """Signatures of the latest rounds and the scores kept for them."""

    def round_signatures(self) -> dict[str, tuple[str, str, str]]:
        """Per engagement: (latest round, its bank, a text that changes whenever an answer of
        any round or the latest round's list of respondents changes)."""
        with self._tx("read") as conn:
            latest = latest_round_ids(conn)
            banks = {(e, r): b for e, r, b in conn.execute(
                select(rounds.c.engagement_id, rounds.c.id, rounds.c.bank))}
            given = {e: (n, top) for e, n, top in conn.execute(
                select(answers.c.engagement_id, func.count(), func.max(answers.c.id))
                .group_by(answers.c.engagement_id))}
            people = {(e, r): (n, last) for e, r, n, last in conn.execute(
                select(round_members.c.engagement_id, round_members.c.round_id, func.count(),
                       func.max(round_members.c.added_at))
                .group_by(round_members.c.engagement_id, round_members.c.round_id))}
        out = {}
        for e, r in latest.items():
            n, top = given.get(e, (0, 0))
            m, last = people.get((e, r), (0, None))
            stamp = aware(last).isoformat() if last is not None else ""
            bank = banks.get((e, r), "") or ""
            out[e] = (r, bank, f"{r}|{bank}|{n}|{top}|{m}|{stamp}")
        return out

    def round_stamps(self, engagement_id: str) -> dict[str, str]:
        """Per round of one engagement: a text that changes whenever something its score
        reads changes (its answers, its respondents, its bank). Cheap: a few grouped counts,
        so that a dashboard re-scores only when there is something new."""
        with self._tx("read") as conn:
            banks = dict(conn.execute(select(rounds.c.id, rounds.c.bank)
                                      .where(rounds.c.engagement_id == engagement_id)).all())
            given = {r: (n, top) for r, n, top in conn.execute(
                select(answers.c.round, func.count(), func.max(answers.c.id))
                .where(answers.c.engagement_id == engagement_id).group_by(answers.c.round))}
            people = {r: (n, last) for r, n, last in conn.execute(
                select(round_members.c.round_id, func.count(),
                       func.max(round_members.c.added_at))
                .where(round_members.c.engagement_id == engagement_id)
                .group_by(round_members.c.round_id))}
        out = {}
        for rid, bank in banks.items():
            n, top = given.get(rid, (0, 0))
            m, last = people.get(rid, (0, None))
            stamp = aware(last).isoformat() if last is not None else ""
            out[rid] = f"{rid}|{bank or ''}|{n}|{top}|{m}|{stamp}"
        return out

    def kept_scores(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The kept scores, by engagement then round."""
        with self._tx("read") as conn:
            rows = conn.execute(select(round_scores)).all()
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for r in rows:
            m = dict(r._mapping)
            if m["last_answer_at"] is not None:
                m["last_answer_at"] = aware(m["last_answer_at"])
            out.setdefault(m["engagement_id"], {})[m["round_id"]] = m
        return out

    def keep_scores(self, rows: Sequence[dict[str, Any]]) -> bool:
        """Keep freshly computed scores (engagement_id, round_id, signature and the score
        fields); False when another process kept them at the same moment."""
        if not rows:
            return True
        stamp: datetime = now()

        def body(conn: Connection) -> None:
            for r in rows:
                conn.execute(delete(round_scores).where(and_(
                    round_scores.c.engagement_id == r["engagement_id"],
                    round_scores.c.round_id == r["round_id"])))
            conn.execute(insert(round_scores), [
                {"engagement_id": r["engagement_id"], "round_id": r["round_id"],
                 "signature": r["signature"], "scored_at": stamp,
                 **{k: r.get(k) for k in SCORE_FIELDS}} for r in rows])

        try:
            self._write("write to", body)
        except IntegrityError:
            return False
        return True
