"""Engagement export as JSON: the engagement, its respondents and every answer with history."""

from __future__ import annotations

from typing import Any

from .store import Store

FORMAT_VERSION = 1


def engagement_to_json(store: Store, engagement_id: str) -> dict[str, Any]:
    """Everything needed to restore an engagement elsewhere, history included."""
    e = store.engagement(engagement_id)
    hist = store.history(engagement_id)
    return {
        "format": "alliance-workbook-engagement",
        "format_version": FORMAT_VERSION,
        "engagement": {"id": e.id, "title": e.title, "host_org": e.host_org,
                       "partner_org": e.partner_org, "created_at": e.created_at.isoformat(),
                       "bank_version": e.bank_version, "revealed": e.revealed,
                       "anonymous": e.anonymous},
        "respondents": [{"id": r.id, "name": r.name, "side": r.side, "role": r.role}
                        for r in store.respondents(engagement_id)],
        "answers": [{"respondent": a.respondent, "question_id": a.question_id,
                     "value": None if a.dont_know or a.value is None or str(a.value) == "<NA>"
                     else int(a.value),
                     "dont_know": bool(a.dont_know), "comment": a.comment,
                     "answered_at": a.answered_at.isoformat(), "source": a.source}
                    for a in hist.itertuples(index=False)],
    }
