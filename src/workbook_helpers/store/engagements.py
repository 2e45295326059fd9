"""Engagements as a part of the store: creating one (with its baseline round), reading one or
all (with counts), changing its options and deleting it with everything it holds."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..exceptions import ConflictError, NotFoundError, Problem
from ..ids import check_slug
from .base import aware as _aware
from .base import now
from .languages import clean_tag
from .records import Engagement
from .rounds import RoundsMixin, insert_baseline
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

if TYPE_CHECKING:  # pandas is imported where a frame is built
    import pandas as pd


class EngagementsMixin(RoundsMixin):
    """Engagements: one prospective partnership each, with its organisations and options."""

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
            delete_engagement_rows(conn, engagement_id)


def delete_engagement_rows(conn: Connection, engagement_id: str) -> None:
    """Remove every row of an engagement, children first (no reliance on ON DELETE)."""
    for table in (action_events, actions, answers, messages, round_members, round_scores):
        conn.execute(delete(table).where(table.c.engagement_id == engagement_id))
    conn.execute(delete(rounds).where(rounds.c.engagement_id == engagement_id))
    conn.execute(delete(respondents).where(respondents.c.engagement_id == engagement_id))
    conn.execute(delete(engagements).where(engagements.c.id == engagement_id))
