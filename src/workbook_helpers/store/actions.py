"""Actions agreed in a workshop (text, owner, due date, what they answer) and the history of
their status, as a part of the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.engine import Connection

from ..exceptions import ConflictError, NotFoundError, Problem
from .base import aware, now
from .records import ACTION_STATUSES, Action, ActionEvent
from .rounds import RoundsMixin
from .schema import action_events, actions


def _problem_if_blank(value: str, what: str, fix: str) -> None:
    if not value or not value.strip():
        raise ConflictError(Problem(f"the action's {what} is empty.", fix=fix))


class ActionsMixin(RoundsMixin):
    """Actions: numbered per engagement, each with a status history (open, done, dropped)."""

    def add_action(self, engagement_id: str, text: str, owner: str, due: date, *,
                   list_id: str | None = None, flag: str | None = None,
                   round_id: str | None = None, note: str = "",
                   at: datetime | None = None) -> Action:
        """Record an action (status open) in a round of an engagement (default: the latest)."""
        _problem_if_blank(text, "text", "say what was agreed.")
        _problem_if_blank(owner, "owner", "name who will do it (--owner NAME).")

        def body(conn: Connection) -> int:
            rid = self.resolve_round(conn, engagement_id, round_id)
            last = conn.execute(select(func.max(actions.c.id))
                                .where(actions.c.engagement_id == engagement_id)).scalar()
            number = 1 if last is None else int(last) + 1
            ts = at or now()
            conn.execute(insert(actions).values(
                engagement_id=engagement_id, id=number, text=text.strip(), owner=owner.strip(),
                due=due, status="open", round=rid, list_id=list_id or None, flag=flag or None,
                created_at=ts))
            conn.execute(insert(action_events).values(
                engagement_id=engagement_id, action_id=number, status="open", at=ts,
                note=note or ""))
            return number

        return self.action(engagement_id, self._write("write to", body))

    def actions(self, engagement_id: str | None = None) -> list[Action]:
        """Actions of one engagement (or all), by engagement then number, with history."""
        q = select(actions).order_by(actions.c.engagement_id, actions.c.id)
        h = select(action_events).order_by(action_events.c.engagement_id,
                                           action_events.c.action_id, action_events.c.id)
        with self._tx("read") as conn:
            if engagement_id is not None:
                self._check_engagement(conn, engagement_id)
                q = q.where(actions.c.engagement_id == engagement_id)
                h = h.where(action_events.c.engagement_id == engagement_id)
            rows = conn.execute(q).all()
            events: dict[tuple[str, int], list[ActionEvent]] = {}
            for e in conn.execute(h):
                events.setdefault((e.engagement_id, int(e.action_id)), []).append(
                    ActionEvent(e.status, aware(e.at), e.note or ""))
        return [_action(r, events.get((r.engagement_id, int(r.id)), [])) for r in rows]

    def action(self, engagement_id: str, action_id: int) -> Action:
        """One action of an engagement."""
        for a in self.actions(engagement_id):
            if a.id == action_id:
                return a
        raise NotFoundError(Problem(
            f"engagement '{engagement_id}' has no action {action_id}.",
            fix=f"list them with 'workbook action list {engagement_id}'."))

    def set_action_status(self, engagement_id: str, action_id: int, status: str,
                          note: str = "", at: datetime | None = None) -> Action:
        """Move an action to open, done or dropped, keeping the change in its history."""
        if status not in ACTION_STATUSES:
            raise ConflictError(Problem(f"unknown action status {status!r}.",
                                        fix="use open, done or dropped."))
        current = self.action(engagement_id, action_id)
        if current.status == status:
            return current

        def body(conn: Connection) -> None:
            conn.execute(update(actions).where(actions.c.engagement_id == engagement_id,
                                               actions.c.id == action_id)
                         .values(status=status))
            conn.execute(insert(action_events).values(
                engagement_id=engagement_id, action_id=action_id, status=status, at=at or now(),
                note=note or ""))

        self._write("write to", body)
        return self.action(engagement_id, action_id)

    def action_counts(self, today: date) -> dict[str, tuple[int, int]]:
        """Open and overdue (open past the due date) actions per engagement."""
        with self._tx("read") as conn:
            rows = conn.execute(
                select(actions.c.engagement_id, func.count(),
                       func.sum(case((actions.c.due < today, 1), else_=0)))
                .where(actions.c.status == "open")
                .group_by(actions.c.engagement_id)).all()
        return {e: (int(n), int(o or 0)) for e, n, o in rows}


def _action(r: Any, history: Sequence[ActionEvent]) -> Action:
    m = getattr(r, "_mapping", r)
    due = m["due"]
    if isinstance(due, str):
        due = date.fromisoformat(due[:10])
    return Action(m["engagement_id"], int(m["id"]), m["text"], m["owner"], due, m["status"],
                  m["round"], m["list_id"], m["flag"], aware(m["created_at"]), tuple(history))
