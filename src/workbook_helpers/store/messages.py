"""Invitations and reminders as a part of the store: respondents' e-mail addresses and one row
per message (who, which round, invite or remind, pending / sent / failed and why)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..exceptions import NotFoundError, Problem
from .base import aware, now
from .rounds import RoundsMixin
from .schema import messages, respondents

MESSAGE_KINDS = ("invite", "remind")
MESSAGE_STATUSES = ("pending", "sent", "failed")


@dataclass(frozen=True)
class Message:
    """One invitation or reminder to one respondent for one round."""

    id: int
    engagement: str
    round: str
    respondent: str
    kind: str
    address: str
    status: str
    reason: str
    created_at: datetime
    sent_at: datetime | None


class MessagesMixin(RoundsMixin):
    """E-mail addresses and the record of messages sent to respondents."""

    def set_respondent_email(self, engagement_id: str, respondent_id: str,
                             email: str | None) -> None:
        """Set (or, with None, forget) a respondent's e-mail address; the caller checks it
        with `emails.check_email` first."""

        def body(conn: Connection) -> None:
            done = conn.execute(update(respondents).where(
                respondents.c.engagement_id == engagement_id,
                respondents.c.id == respondent_id).values(email=email or None))
            if done.rowcount == 0:
                raise NotFoundError(Problem(
                    f"there is no respondent '{respondent_id}' in engagement "
                    f"'{engagement_id}'.", fix="add them with 'workbook respondent add'."))

        self._write("write to", body)

    def emails(self, engagement_id: str) -> dict[str, str]:
        """The known addresses of an engagement's respondents, by respondent id."""
        with self._tx("read") as conn:
            rows = conn.execute(select(respondents.c.id, respondents.c.email).where(
                respondents.c.engagement_id == engagement_id)).all()
        return {r.id: r.email for r in rows if r.email}

    def start_message(self, engagement_id: str, round_id: str, respondent_id: str, kind: str,
                      address: str) -> int:
        """Record a message about to be sent (status pending); returns its id."""
        if kind not in MESSAGE_KINDS:
            raise ValueError(f"kind must be one of {MESSAGE_KINDS}, not {kind!r}")

        def body(conn: Connection) -> int:
            result = conn.execute(insert(messages).values(
                engagement_id=engagement_id, round_id=round_id, respondent_id=respondent_id,
                kind=kind, address=address, status="pending", reason="", created_at=now()))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

        return self._write("write to", body)

    def finish_message(self, message_id: int, status: str, reason: str = "") -> None:
        """Mark a recorded message sent (with the time) or failed (with the reason)."""
        if status not in MESSAGE_STATUSES:
            raise ValueError(f"status must be one of {MESSAGE_STATUSES}, not {status!r}")
        values = {"status": status, "reason": reason}
        if status == "sent":
            values["sent_at"] = now()  # type: ignore[assignment]

        def body(conn: Connection) -> None:
            conn.execute(update(messages).where(messages.c.id == message_id).values(**values))

        self._write("write to", body)

    def messages(self, engagement_id: str, round_id: str | None = None,
                 kinds: Sequence[str] = MESSAGE_KINDS) -> list[Message]:
        """The messages of an engagement (one round, or every round with None), oldest
        first."""
        q = select(messages).where(messages.c.engagement_id == engagement_id,
                                   messages.c.kind.in_(list(kinds))).order_by(messages.c.id)
        if round_id is not None:
            q = q.where(messages.c.round_id == round_id)
        with self._tx("read") as conn:
            self._check_engagement(conn, engagement_id)
            rows = conn.execute(q).all()
        return [Message(r.id, r.engagement_id, r.round_id, r.respondent_id, r.kind, r.address,
                        r.status, r.reason or "", aware(r.created_at),
                        aware(r.sent_at) if r.sent_at is not None else None) for r in rows]
