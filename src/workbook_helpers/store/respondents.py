"""Respondents as a part of the store: inviting one to a round with a personal link, and
reading them by id, by link or by round (also as a roster frame)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..domain import SIDES
from ..exceptions import ConflictError, NotFoundError, Problem
from ..ids import check_slug
from .base import now
from .engagements import EngagementsMixin
from .languages import clean_tag
from .records import Respondent
from .rounds import join_round, latest_round_ids
from .schema import respondents, round_members

if TYPE_CHECKING:  # pandas is imported where a frame is built
    import pandas as pd


class RespondentsMixin(EngagementsMixin):
    """Respondents: people answering for one side, invited round by round."""

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


def _respondent(m: Any, token: str | None, round_id: str) -> Respondent:
    return Respondent(m["engagement_id"], m["id"], m["name"], m["side"], m["role"] or "",
                      token, round_id, m.get("email") or None, m.get("lang") or None)
