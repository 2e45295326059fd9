"""Rounds of an engagement and who is invited to answer in each (with a link token per
round), as a part of the store."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from ..exceptions import ConflictError, NotFoundError, Problem
from ..ids import check_slug
from .base import StoreBase, aware, now
from .records import BASELINE, Round
from .schema import engagements, round_members, rounds

ALL_ROUNDS = "*"


def _round(m: Any) -> Round:
    r = getattr(m, "_mapping", m)
    return Round(r["engagement_id"], r["id"], int(r["position"]), r["bank"] or "",
                 aware(r["opened_at"]), r["title"] or "")


def latest_round_ids(conn: Connection, engagement_id: str | None = None) -> dict[str, str]:
    """The latest round id of each engagement (or of one)."""
    q = select(rounds.c.engagement_id, rounds.c.id).order_by(rounds.c.engagement_id,
                                                              rounds.c.position)
    if engagement_id is not None:
        q = q.where(rounds.c.engagement_id == engagement_id)
    return {e: r for e, r in conn.execute(q)}


def join_round(conn: Connection, engagement_id: str, round_id: str,
               respondent_ids: Iterable[str]) -> int:
    """Invite respondents to a round, each with a new personal link token."""
    rows = [{"engagement_id": engagement_id, "round_id": round_id, "respondent_id": r,
             "token": secrets.token_urlsafe(24), "added_at": now()} for r in respondent_ids]
    if rows:
        conn.execute(insert(round_members), rows)
    return len(rows)


def insert_baseline(conn: Connection, engagement_id: str,
                    opened_at: datetime | None = None) -> None:
    """The first round every engagement has."""
    conn.execute(insert(rounds).values(engagement_id=engagement_id, id=BASELINE, position=0,
                                       bank="", title="Baseline", opened_at=opened_at or now()))


class RoundsMixin(StoreBase):
    """Rounds: `baseline` first, later ones (health checks) in the order they were opened."""

    def _check_engagement(self, conn: Connection, engagement_id: str) -> None:
        if conn.execute(select(engagements.c.id)
                        .where(engagements.c.id == engagement_id)).first() is None:
            raise NotFoundError(Problem(f"there is no engagement '{engagement_id}'.",
                                        fix="list them with 'workbook engagement list'."))

    def resolve_round(self, conn: Connection, engagement_id: str, round_id: str | None) -> str:
        """The round asked for (checked to exist), or the engagement's latest."""
        ids = latest_round_ids(conn, engagement_id)
        if not ids:
            self._check_engagement(conn, engagement_id)
            return BASELINE
        if round_id is None or round_id == "":
            return ids[engagement_id]
        known = [r for (r,) in conn.execute(
            select(rounds.c.id).where(rounds.c.engagement_id == engagement_id)
            .order_by(rounds.c.position))]
        if round_id not in known:
            raise NotFoundError(Problem(
                f"engagement '{engagement_id}' has no round '{round_id}' (it has "
                f"{', '.join(known)}).", fix="list them with 'workbook round list "
                f"{engagement_id}', or add one with 'workbook round add'."))
        return round_id

    def rounds(self, engagement_id: str) -> list[Round]:
        """The rounds of an engagement, oldest first."""
        with self._tx("read") as conn:
            self._check_engagement(conn, engagement_id)
            return [_round(r) for r in conn.execute(
                select(rounds).where(rounds.c.engagement_id == engagement_id)
                .order_by(rounds.c.position))]

    def all_rounds(self) -> dict[str, list[Round]]:
        """Every engagement's rounds, oldest first."""
        out: dict[str, list[Round]] = {}
        with self._tx("read") as conn:
            for r in conn.execute(select(rounds).order_by(rounds.c.engagement_id,
                                                          rounds.c.position)):
                out.setdefault(r.engagement_id, []).append(_round(r))
        return out

    def round(self, engagement_id: str, round_id: str | None = None) -> Round:
        """One round of an engagement (default: its latest)."""
        with self._tx("read") as conn:
            rid = self.resolve_round(conn, engagement_id, round_id)
            row = conn.execute(select(rounds).where(rounds.c.engagement_id == engagement_id,
                                                    rounds.c.id == rid)).first()
        if row is None:  # an engagement from before rounds, not yet upgraded
            raise NotFoundError(Problem(f"engagement '{engagement_id}' has no rounds."))
        return _round(row)

    def add_round(self, engagement_id: str, round_id: str, *, bank: str = "", title: str = "",
                  carry: bool | Iterable[str] = True,
                  opened_at: datetime | None = None) -> Round:
        """Open a new round after the others; `carry` invites the latest round's respondents
        (all of them, or the ids given) with new links."""
        check_slug(round_id, "round id")

        def body(conn: Connection) -> None:
            self._check_engagement(conn, engagement_id)
            prev = latest_round_ids(conn, engagement_id).get(engagement_id)
            pos = conn.execute(select(func.max(rounds.c.position))
                               .where(rounds.c.engagement_id == engagement_id)).scalar()
            taken = conn.execute(select(rounds.c.id).where(
                rounds.c.engagement_id == engagement_id, rounds.c.id == round_id)).first()
            if taken is not None:
                raise ConflictError(Problem(
                    f"engagement '{engagement_id}' already has a round '{round_id}'.",
                    fix="choose another round id (e.g. health-2027-06)."))
            conn.execute(insert(rounds).values(
                engagement_id=engagement_id, id=round_id,
                position=0 if pos is None else int(pos) + 1, bank=bank or "",
                title=title or round_id, opened_at=opened_at or now()))
            if carry is False or prev is None:
                return
            members = [r for (r,) in conn.execute(
                select(round_members.c.respondent_id).where(
                    round_members.c.engagement_id == engagement_id,
                    round_members.c.round_id == prev).order_by(round_members.c.respondent_id))]
            if carry is not True:
                wanted = set(carry)
                unknown = sorted(wanted - set(members))
                if unknown:
                    raise NotFoundError(Problem(
                        f"respondent(s) {', '.join(unknown)} are not in round '{prev}'.",
                        fix="carry over respondents of the latest round, or add new ones "
                        "with 'workbook respondent add --round'."))
                members = [m for m in members if m in wanted]
            join_round(conn, engagement_id, round_id, members)

        self._write("write to", body)
        return self.round(engagement_id, round_id)
