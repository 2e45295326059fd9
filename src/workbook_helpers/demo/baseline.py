"""The demo engagement: two named companies, three executives a side, realistic tensions.

Answers are derived from per-list profiles, per-person leanings and a fixed hash, so the
demo is identical on every run and every backend, and adapts to an edited bank.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd

from ..bank import Bank, Question
from ..store import Store
from .cases import raw_for

DEMO_ID = "demo"
HOST_ORG = "Halvorsen Robotics"
PARTNER_ORG = "Castellan Logistics"
STARTED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    side: str
    role: str
    leaning: dict[str, float]
    lang: str | None = None  # the questionnaire's language; None: the engagement's (English)


PEOPLE = [
    Person("ingrid-halvorsen", "Ingrid Halvorsen", "host", "CEO",
           {"priority": 0.6, "strategic_fit": 0.4}),
    Person("tomas-berg", "Tomas Berg", "host", "VP Alliances (alliance manager)",
           {"resourcing": 0.5, "mutuality": 0.3}),
    Person("amara-osei", "Amara Osei", "host", "CFO",
           {"priority": -1.7, "risk_sharing": -0.8, "resourcing": -0.6}),
    # the partner's COO answers in German (the answers score by question id, whatever the
    # language: the demo's scores are the same)
    Person("lucia-marin", "Lucía Marín", "partner", "COO",
           {"priority": 0.3, "control": 0.3}, lang="de"),
    Person("daniel-reyes", "Daniel Reyes", "partner", "BU lead, contract logistics",
           {"mutuality": -0.3}),
    Person("mei-tanaka", "Mei Tanaka", "partner", "CTO",
           {"risk_sharing": -0.6, "control": -0.3}),
]

# favourable position on a 1-5 scale (5 = most favourable), per side and list
PROFILE = {
    "host": {"strategic_fit": 4.2, "control": 3.9, "risk_sharing": 3.7, "priority": 4.0,
             "resourcing": 3.4, "mutuality": 3.9},
    "partner": {"strategic_fit": 4.0, "control": 2.6, "risk_sharing": 3.1, "priority": 3.4,
                "resourcing": 2.6, "mutuality": 3.3},
}

# answers that tell the story whatever else the bank holds
PINNED = {
    ("daniel-reyes", "res-dedicated-manager"): 1,
    ("mei-tanaka", "res-dedicated-manager"): 2,
    ("lucia-marin", "res-dedicated-manager"): 2,
    ("mei-tanaka", "ctl-decision-rights"): 1,
    ("amara-osei", "pri-rank"): 1,
}
DONT_KNOW = {("amara-osei", "sf-unique-outcomes"), ("daniel-reyes", "risk-exit")}

# what each person says the deal is (structure questions, raw points): the robotics host sees
# a strategic alliance; the logistics partner's team is split between an alliance, a supply
# arrangement and outsourcing, and its sponsor would sit far below the host's
STRUCTURE_QUESTIONS = ("st-equity", "st-exclusivity", "st-exchange", "st-duration",
                       "st-returns", "st-form-belief", "res-sponsor-level", "pri-urgency")
STRUCTURE = {
    "ingrid-halvorsen": (2, 4, 4, 4, 4, 4, 5, 5),
    "tomas-berg": (1, 3, 4, 4, 4, 4, 5, 4),
    "amara-osei": (1, 3, 4, 3, 2, 4, 4, 3),
    "lucia-marin": (1, 2, 3, 3, 3, 4, 3, 3),
    "daniel-reyes": (1, 1, 2, 2, 2, 2, 3, 2),
    "mei-tanaka": (1, 2, 3, 3, 3, 3, 2, 2),
}

COMMENTS = {
    ("ingrid-halvorsen", "pri-rank"):
        "This is our route into European warehousing; I want it in the top three for 2026.",
    ("amara-osei", "pri-rank"):
        "Budget for 2026 is already committed to the Series-C roadmap & the new plant <not this>.",
    ("tomas-berg", "res-dedicated-manager"):
        "I can run it full time from March if the Nordic partner programme moves to my deputy.",
    ("daniel-reyes", "res-dedicated-manager"):
        "On our side this would sit with me next to running three regions.",
    ("mei-tanaka", "ctl-decision-rights"):
        "Anything that touches our routing software stays our call. Non-negotiable.",
    ("lucia-marin", "mut-communication-milestones"):
        "Quarterly reviews are fine, but we need a named person to call when a site goes down.",
}
# what each side expects the other side's team to answer (favourable position on 1-5, per
# list): the host is sure the partner will share control as readily as it does (a blind
# spot), the partner expects the host to staff the alliance fully (a blind spot) and to hold
# back on risk, where the host is in fact more open (a pleasant surprise)
EXPECT = {
    "host": {"control": 4.1, "risk_sharing": 3.4, "priority": 4.0, "resourcing": 3.0},
    "partner": {"control": 3.6, "risk_sharing": 2.4, "priority": 3.6, "resourcing": 4.7},
}

# one answer changed during the workshop, to show that history is kept
CHANGED = {("tomas-berg", "ctl-governance"): 3}


def _jitter(person: str, question: str) -> float:
    h = zlib.crc32(f"{person}/{question}".encode())
    return ((h % 9) - 4) / 10.0  # -0.4 .. +0.4, fixed


def _structure(person: str, q: Question) -> int:
    """A person's raw answer to an unscored question (3, the middle, if not written down)."""
    values = dict(zip(STRUCTURE_QUESTIONS, STRUCTURE.get(person, ()), strict=False))
    return values.get(q.id, (q.scale.min + q.scale.max) // 2)


def named_question_ids() -> set[str]:
    """Every question id the demo's story names (each must exist in the shipped bank)."""
    keys = {*PINNED, *DONT_KNOW, *COMMENTS, *CHANGED}
    return {qid for _, qid in keys} | set(STRUCTURE_QUESTIONS)


def demo_answers(bank: Bank) -> pd.DataFrame:
    """The demo's answers as an answers frame (with an `answered_at` history)."""
    rows = []
    minute = 0
    for p in PEOPLE:
        for q in bank.iter_ordered():
            minute += 1
            key = (p.id, q.id)
            base = PROFILE[p.side].get(q.list, 3.0) + p.leaning.get(q.list, 0.0)
            fav = base + _jitter(p.id, q.id)
            dk = key in DONT_KNOW
            value: int | None = None if dk else (raw_for(q, fav) if q.scored
                                                 else _structure(p.id, q))
            if key in PINNED:
                value = raw_for(q, float(PINNED[key]))
            when = STARTED + timedelta(minutes=minute)
            if key in CHANGED:
                rows.append(_row(p, q.id, raw_for(q, float(CHANGED[key])), False, "", when))
                when += timedelta(hours=2)
            rows.append(_row(p, q.id, value, dk, COMMENTS.get(key, ""), when))
            if q.expect and q.list in EXPECT[p.side]:
                guess = EXPECT[p.side][q.list] + _jitter(p.id, "expect/" + q.id)
                rows.append(_row(p, q.id, raw_for(q, guess), False, "",
                                 when + timedelta(seconds=20), about="other-side"))
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    frame["row"] = range(2, len(frame) + 2)
    return frame


def _row(p: Person, qid: str, value: int | None, dk: bool, comment: str,
         when: datetime, about: str = "self") -> dict[str, object]:
    return {"engagement": DEMO_ID, "respondent": p.id, "side": p.side, "role": p.role,
            "name": p.name, "question_id": qid, "value": value, "dont_know": dk,
            "comment": comment, "answered_at": when.isoformat(), "about": about}


def seed_baseline(store: Store, bank: Bank) -> dict[str, int]:
    """Create (or recreate) the demo engagement in `store` with its baseline workshop: the
    two companies, six executives and their answers (the health check is `demo.health`'s)."""
    if store.has_engagement(DEMO_ID):
        store.delete_engagement(DEMO_ID)
    store.create_engagement(DEMO_ID, HOST_ORG, PARTNER_ORG,
                            title=f"{HOST_ORG} \u00d7 {PARTNER_ORG}: warehouse automation alliance",
                            bank_version=bank.version, created_at=STARTED - timedelta(days=5))
    for p in PEOPLE:
        store.add_respondent(DEMO_ID, p.id, p.name, p.side, p.role, lang=p.lang)
    return store.import_answers(demo_answers(bank), source="demo", bank_version=bank.version)
