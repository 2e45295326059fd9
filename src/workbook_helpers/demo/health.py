"""The demo's second round: a health check six months after launch, with the actions the
baseline workshop agreed (two done, one dropped, one overdue) and one from the health check.

The story: the partner has named a full-time alliance manager and the decision rights on the
routing software are written down, so the control and resourcing gaps have closed; the
risk-sharing terms were never put in writing (the overdue action) and day-to-day operations
between the sites have become the new gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from ..bank import Bank, load_bank
from ..bank.choice import shipped_path
from ..store import Store
from .baseline import DEMO_ID, PEOPLE, Person, _jitter
from .cases import raw_for

ROUND_ID = "health-2026-09"
ROUND_TITLE = "Health check, six months after launch"
BANK = "health_check_bank"
OPENED = datetime(2026, 9, 14, 9, 0, tzinfo=UTC)
WORKSHOP = datetime(2026, 1, 20, 16, 0, tzinfo=UTC)

LEAVING = {"daniel-reyes"}
JOINING = [Person("jonas-weber", "Jonas Weber", "partner", "Alliance manager (full time)",
                  {"resourcing": 0.4, "operations": -0.3})]
LEANING = {"amara-osei": {"priority": -0.4, "risk_sharing": -0.6}}

PROFILE = {
    "host": {"strategic_fit": 4.1, "control": 4.0, "risk_sharing": 3.7, "priority": 3.9,
             "resourcing": 3.9, "mutuality": 4.0, "operations": 3.8, "value": 3.6},
    "partner": {"strategic_fit": 4.0, "control": 3.7, "risk_sharing": 2.6, "priority": 3.6,
                "resourcing": 3.6, "mutuality": 3.6, "operations": 2.6, "value": 3.2},
}
STRUCTURE = {"host": (1, 3, 4, 4, 4, 4), "partner": (1, 3, 4, 4, 3, 4)}
STRUCTURE_QUESTIONS = ("st-equity", "st-exclusivity", "st-exchange", "st-duration",
                       "st-returns", "st-form-belief")
# Lucía Marín became the partner's active sponsor when the alliance launched
PINNED = {("lucia-marin", "res-executive-sponsor"): 4.6,
          ("mei-tanaka", "res-executive-sponsor"): 4.2,
          ("jonas-weber", "res-executive-sponsor"): 4.4}
EXPECT = {"host": {"control": 3.9, "priority": 3.8, "resourcing": 3.7, "value": 3.8},
          "partner": {"control": 3.8, "priority": 3.6, "resourcing": 3.8, "value": 3.3}}
COMMENTS = {
    ("jonas-weber", "hc-roles-handovers"):
        "Site leads still call each other directly; half the handovers never reach the log.",
    ("amara-osei", "hc-risk-register"):
        "The risk annex is still a draft & nobody owns it <since March>.",
    ("mei-tanaka", "hc-joint-decisions"):
        "The routing decisions list works: we used it twice without escalation.",
}


@dataclass(frozen=True)
class DemoAction:
    text: str
    owner: str
    due: date
    list_id: str | None
    flag: str | None
    round_id: str
    status: str = "open"
    note: str = ""
    closed: datetime | None = None


def demo_actions(today: date) -> list[DemoAction]:
    """The actions of the demo (the last is due after `today`, so it is open, not overdue)."""
    return [
        DemoAction("Write down which routing-software decisions need both sides' consent",
                   "Mei Tanaka", date(2026, 3, 31), "control", "cross-side-gap", "baseline",
                   "done", "Decision list signed at the March steering meeting.",
                   datetime(2026, 3, 24, 15, 0, tzinfo=UTC)),
        DemoAction("Name a full-time alliance manager at Castellan", "Lucía Marín",
                   date(2026, 4, 30), "resourcing", None, "baseline", "done",
                   "Jonas Weber started on 1 April.", datetime(2026, 4, 1, 8, 0, tzinfo=UTC)),
        DemoAction("Put the risk-sharing and exit terms into the term sheet", "Amara Osei",
                   date(2026, 6, 30), "risk_sharing", "cross-side-gap", "baseline"),
        DemoAction("Reserve a 2026 budget line for the alliance in Halvorsen's plan",
                   "Ingrid Halvorsen", date(2026, 2, 28), "priority", None, "baseline",
                   "dropped", "Covered by the CEO's reallocation in February.",
                   datetime(2026, 2, 20, 10, 0, tzinfo=UTC)),
        DemoAction("Hold a monthly joint operations review with both site leads",
                   "Jonas Weber", today + timedelta(days=45), "operations", None, ROUND_ID),
    ]


def health_answers(bank: Bank) -> pd.DataFrame:
    """The health-check round's answers as an answers frame."""
    people = [p for p in PEOPLE if p.id not in LEAVING] + JOINING
    rows = []
    minute = 0
    for p in people:
        lean = LEANING.get(p.id, {k: v / 2 for k, v in p.leaning.items()})
        for q in bank.iter_ordered():
            minute += 1
            when = OPENED + timedelta(minutes=minute)
            if q.scored:
                fav = PROFILE[p.side].get(q.list, 3.0) + lean.get(q.list, 0.0) \
                    + _jitter(p.id, "hc/" + q.id)
                value = raw_for(q, PINNED.get((p.id, q.id), fav))
            else:
                given = dict(zip(STRUCTURE_QUESTIONS, STRUCTURE[p.side], strict=True))
                value = given.get(q.id, (q.scale.min + q.scale.max) // 2)
            rows.append(_row(p, q.id, value, COMMENTS.get((p.id, q.id), ""), when))
            if q.expect and q.list in EXPECT[p.side]:
                guess = EXPECT[p.side][q.list] + _jitter(p.id, "hc-expect/" + q.id)
                rows.append(_row(p, q.id, raw_for(q, guess), "", when + timedelta(seconds=20),
                                 about="other-side"))
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    frame["row"] = range(2, len(frame) + 2)
    return frame


def _row(p: Person, qid: str, value: int | None, comment: str, when: datetime,
         about: str = "self") -> dict[str, object]:
    return {"engagement": DEMO_ID, "round": ROUND_ID, "respondent": p.id, "side": p.side,
            "role": p.role, "name": p.name, "question_id": qid, "value": value,
            "dont_know": False, "comment": comment, "answered_at": when.isoformat(),
            "about": about}


def seed_health_round(store: Store, today: date | None = None) -> dict[str, int]:
    """Add the health-check round, its answers and the demo's actions to the demo."""
    today = today or datetime.now(UTC).date()
    bank = load_bank(shipped_path(BANK))
    store.add_round(DEMO_ID, ROUND_ID, bank=BANK, title=ROUND_TITLE, opened_at=OPENED,
                    carry=[p.id for p in PEOPLE if p.id not in LEAVING])
    for p in JOINING:
        store.add_respondent(DEMO_ID, p.id, p.name, p.side, p.role, round_id=ROUND_ID)
    for a in demo_actions(today):
        created = WORKSHOP if a.round_id == "baseline" else OPENED + timedelta(days=2)
        act = store.add_action(DEMO_ID, a.text, a.owner, a.due, list_id=a.list_id,
                               flag=a.flag, round_id=a.round_id, at=created)
        if a.status != "open":
            store.set_action_status(DEMO_ID, act.id, a.status, a.note, at=a.closed)
    counts = store.import_answers(health_answers(bank), source="demo",
                                  bank_version=bank.version)
    return counts | {"actions": len(demo_actions(today))}
