"""Restoring an exported engagement as a part of the store: the engagement, its respondents,
rounds (with who is invited and their link tokens), the whole answer history and the actions
with their status history, written in one transaction (`answers.archive` reads the file)."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ..exceptions import ConflictError, Problem
from ..ids import check_slug
from .base import aware as _aware
from .engagements import delete_engagement_rows
from .languages import clean_tag
from .records import BASELINE
from .rounds import RoundsMixin
from .schema import action_events, actions, answers, engagements, respondents, round_members, rounds


class RestoreMixin(RoundsMixin):
    """Restoring engagements exported from another store."""

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
            _clear_target(conn, target, replace)
            _insert_engagement(conn, target, e)
            _insert_respondents(conn, target, e, people)
            _insert_rounds(conn, target, e, doc_rounds)
            rows = [_answer_row(target, a) for a in doc["answers"]]
            if rows:
                conn.execute(insert(answers), rows)
            acts = doc.get("actions") or []
            _insert_actions(conn, target, acts)
            return {"respondents": len(people), "answers": len(rows),
                    "rounds": len(doc_rounds), "actions": len(acts)}

        return self._write("import into", body)


def _clear_target(conn: Connection, target: str, replace: bool) -> None:
    """Refuse an engagement id the store already has, unless asked to replace it."""
    exists = conn.execute(select(engagements.c.id)
                          .where(engagements.c.id == target)).first() is not None
    if exists and not replace:
        raise ConflictError(Problem(
            f"engagement '{target}' already exists in the store.",
            fix="add --replace to overwrite it, or --as NEW_ID to import a copy."))
    if exists:
        delete_engagement_rows(conn, target)


def _insert_engagement(conn: Connection, target: str, e: dict[str, Any]) -> None:
    """The engagement's row, with its options and language."""
    conn.execute(insert(engagements).values(
        id=target, title=e["title"], host_org=e["host_org"],
        partner_org=e["partner_org"], created_at=_aware(e["created_at"]),
        bank_version=e.get("bank_version"), revealed=bool(e.get("revealed")),
        lang=clean_tag(e.get("lang")) or "en",
        anonymous=bool(e.get("anonymous")),
        expectations=bool(e.get("expectations", True))))


def _insert_respondents(conn: Connection, target: str, e: dict[str, Any],
                        people: list[dict[str, Any]]) -> None:
    """Every respondent of the engagement, in any round."""
    for r in people:
        conn.execute(insert(respondents).values(
            engagement_id=target, id=r["id"], name=r["name"], side=r["side"],
            role=r.get("role") or "", email=r.get("email") or None,
            lang=clean_tag(r.get("lang")),
            created_at=_aware(r.get("created_at") or e["created_at"])))


def _insert_rounds(conn: Connection, target: str, e: dict[str, Any],
                   doc_rounds: list[dict[str, Any]]) -> None:
    """The rounds and who is invited to each, keeping each link token unless another
    engagement of the store already uses it (then the link is new)."""
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


def _answer_row(target: str, a: dict[str, Any]) -> dict[str, Any]:
    """One exported answer as a row of the store."""
    return {"engagement_id": target, "respondent_id": a["respondent"],
            "question_id": a["question_id"], "value": a["value"],
            "dont_know": bool(a["dont_know"]), "comment": a.get("comment") or "",
            "answered_at": _aware(a["answered_at"]), "source": a.get("source") or "app",
            "about": a.get("about") or "self", "round": a.get("round") or BASELINE,
            "lang": clean_tag(a.get("lang"))}


def _insert_actions(conn: Connection, target: str, acts: list[dict[str, Any]]) -> None:
    """The actions, each with its status history (its creation when the file has none)."""
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
