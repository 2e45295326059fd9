"""Reference cases written from the seeds' own examples, as complete answer sets.

Each case is two small teams answering the shipped bank: a per-side profile of how favourable
their answers are on each list, small fixed per-person differences, the structure of the deal
as each side describes it, and a few answers pinned where the story depends on them. The
tests assert the form, the verdict and the first next step a practitioner would give for each;
`docs/scoring.md` walks through them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import pandas as pd

from ..bank import Bank, Question
from ..store import Store

SIDE_PEOPLE = {
    "host": (("h-ceo", "CEO"), ("h-vp", "VP Alliances"), ("h-cfo", "CFO")),
    "partner": (("p-coo", "COO"), ("p-bu", "BU lead"), ("p-cto", "CTO")),
}
# structure of the deal as each form's parties would describe it (raw points)
STRUCTURE = {
    "strategic-alliance": {"st-equity": 1, "st-exclusivity": 4, "st-exchange": 4,
                           "st-duration": 3, "st-returns": 4, "st-form-belief": 4},
    "joint-venture": {"st-equity": 5, "st-exclusivity": 5, "st-exchange": 5, "st-duration": 5,
                      "st-returns": 5, "st-form-belief": 5},
    "licensing": {"st-equity": 1, "st-exclusivity": 1, "st-exchange": 1, "st-duration": 3,
                  "st-returns": 1, "st-form-belief": 1},
    "outsourcing": {"st-equity": 1, "st-exclusivity": 1, "st-exchange": 2, "st-duration": 3,
                    "st-returns": 2, "st-form-belief": 2},
    "supply-chain": {"st-equity": 1, "st-exclusivity": 2, "st-exchange": 3, "st-duration": 4,
                     "st-returns": 3, "st-form-belief": 3},
}
READY = {"res-dedicated-manager": 5, "res-executive-sponsor": 5, "res-budget-source": 4,
         "res-sponsor-level": 4}


@dataclass(frozen=True)
class Case:
    """One reference case: who answers, how, and what a practitioner expects."""

    id: str
    title: str
    story: str
    profile: dict[str, dict[str, float]]          # side -> list -> favourable 1..5
    structure: dict[str, dict[str, int]]          # side -> structure question -> raw point
    pinned: dict[str, dict[str, int]] = field(default_factory=dict)  # side -> qid -> raw
    people_per_side: int = 3
    expect_form: str = ""
    expect_verdict: str = ""
    expect_first_step: str = ""                   # words the first next step must contain


def _jitter(person: str, question: str) -> float:
    h = zlib.crc32(f"{person}/{question}".encode())
    return ((h % 7) - 3) / 10.0  # -0.3 .. +0.3, fixed


def raw_for(q: Question, favourable: float) -> int:
    """The raw scale point of a question for a favourable position on 1-5."""
    lo, hi = q.scale.min, q.scale.max
    pos = min(max((favourable - 1.0) / 4.0, 0.0), 1.0)
    if q.reverse:
        pos = 1.0 - pos
    return round(lo + pos * (hi - lo))


def case_answers(case: Case, bank: Bank, engagement: str | None = None) -> pd.DataFrame:
    """The case's answers as an answers frame, one row per respondent and question."""
    rows = []
    for side, people in SIDE_PEOPLE.items():
        for pid, role in people[:case.people_per_side]:
            for q in bank.iter_ordered():
                pinned = case.pinned.get(side, {}).get(q.id)
                if pinned is not None:
                    value = pinned
                elif not q.scored:
                    value = case.structure.get(side, {}).get(q.id, 3)
                else:
                    fav = case.profile[side].get(q.list, 3.0) + _jitter(pid, q.id)
                    value = raw_for(q, fav)
                rows.append({"engagement": engagement or case.id, "respondent": pid,
                             "side": side, "role": role, "name": pid, "question_id": q.id,
                             "value": value, "dont_know": False, "comment": ""})
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    return frame


def _both(profile: dict[str, float]) -> dict[str, dict[str, float]]:
    return {"host": dict(profile), "partner": dict(profile)}


def _same(d: dict[str, int]) -> dict[str, dict[str, int]]:
    return {"host": dict(d), "partner": dict(d)}


CASES: list[Case] = [
    Case(
        "pharma-codevelopment",
        "Co-development and co-promotion of a respiratory drug",
        "A large pharmaceutical company and a biotech develop one drug together and promote it "
        "jointly; no joint company is planned. Both teams are senior, staffed and funded.",
        _both({"strategic_fit": 4.6, "control": 4.1, "risk_sharing": 4.0, "priority": 4.5,
               "resourcing": 4.4, "mutuality": 4.3}),
        _same(STRUCTURE["strategic-alliance"]),
        _same(READY),
        expect_form="strategic-alliance", expect_verdict="fit",
        expect_first_step="charter"),
    Case(
        "pharma-minority-stake",
        "Drug collaboration with a minority equity stake",
        "As above, but the large company also takes a minority stake in the biotech, as in "
        "the seeds' example of an alliance with shared equity ownership.",
        _both({"strategic_fit": 4.6, "control": 4.1, "risk_sharing": 4.0, "priority": 4.5,
               "resourcing": 4.4, "mutuality": 4.3}),
        _same({**STRUCTURE["strategic-alliance"], "st-equity": 3}),
        _same(READY),
        expect_form="strategic-alliance", expect_verdict="fit",
        expect_first_step="charter"),
    Case(
        "technology-licence",
        "Non-exclusive licence of two vaccine technologies",
        "One company grants the other a non-exclusive licence to two technologies for fees. "
        "Useful to both, transactional by design: nobody wants joint decisions.",
        _both({"strategic_fit": 3.0, "control": 1.8, "risk_sharing": 1.9, "priority": 2.8,
               "resourcing": 2.3, "mutuality": 2.9}),
        _same(STRUCTURE["licensing"]),
        expect_form="licensing", expect_verdict="no-fit",
        expect_first_step="scope"),
    Case(
        "marketing-low-priority",
        "Marketing alliance that one side ranks far lower",
        "Two companies agree quickly on the goals of a joint marketing alliance; asked where "
        "it ranks, the partner places it far below the host.",
        {"host": {"strategic_fit": 4.4, "control": 3.9, "risk_sharing": 3.7, "priority": 4.6,
                  "resourcing": 4.2, "mutuality": 4.1},
         "partner": {"strategic_fit": 4.1, "control": 3.8, "risk_sharing": 3.5, "priority": 2.3,
                     "resourcing": 3.9, "mutuality": 3.9}},
        _same({**STRUCTURE["strategic-alliance"], "st-exclusivity": 3}),
        _same(READY),
        expect_form="strategic-alliance", expect_verdict="conditional",
        expect_first_step="rank the alliance"),
    Case(
        "side-job",
        "An alliance both sides run as a side job",
        "Both teams like the idea and share willingly, but nobody is dedicated to it, no "
        "sponsor is named and no budget is set aside on either side.",
        _both({"strategic_fit": 4.2, "control": 3.9, "risk_sharing": 3.7, "priority": 3.9,
               "resourcing": 2.0, "mutuality": 3.9}),
        _same(STRUCTURE["strategic-alliance"]),
        _same({"res-dedicated-manager": 2, "res-executive-sponsor": 1, "res-budget-source": 2,
               "res-sponsor-level": 1}),
        expect_form="strategic-alliance", expect_verdict="conditional",
        expect_first_step="alliance manager"),
    Case(
        "joint-venture",
        "A jointly owned company for a new market",
        "Two companies plan to set up and staff a company they both own, to enter a market "
        "neither could enter alone.",
        _both({"strategic_fit": 4.6, "control": 4.4, "risk_sharing": 4.4, "priority": 4.6,
               "resourcing": 4.5, "mutuality": 4.2}),
        _same(STRUCTURE["joint-venture"]),
        _same(READY),
        expect_form="joint-venture", expect_verdict="fit",
        expect_first_step="ownership split"),
    Case(
        "outsourcing",
        "Outsourcing warehouse operations",
        "One company has the other run its warehouses against a price and service levels.",
        _both({"strategic_fit": 2.3, "control": 1.6, "risk_sharing": 2.0, "priority": 2.8,
               "resourcing": 2.5, "mutuality": 2.6}),
        _same(STRUCTURE["outsourcing"]),
        expect_form="outsourcing", expect_verdict="no-fit",
        expect_first_step="service levels"),
    Case(
        "supply-chain",
        "Integrating a components supply chain",
        "A manufacturer and its main supplier share forecasts and stock data and plan "
        "deliveries together, without shared strategy or ownership.",
        _both({"strategic_fit": 2.9, "control": 2.3, "risk_sharing": 2.2, "priority": 3.2,
               "resourcing": 3.0, "mutuality": 3.2}),
        _same(STRUCTURE["supply-chain"]),
        expect_form="supply-chain", expect_verdict="no-fit",
        expect_first_step="forecasts"),
]


def case(case_id: str) -> Case:
    """One reference case by id."""
    return next(c for c in CASES if c.id == case_id)


def seed_case(store: Store, bank: Bank, c: Case) -> dict[str, int]:
    """Create (or recreate) a reference case as an engagement named after it."""
    if store.has_engagement(c.id):
        store.delete_engagement(c.id)
    store.create_engagement(c.id, "Host company", "Partner company", title=c.title,
                            bank_version=bank.version)
    answers = case_answers(c, bank)
    for side, people in SIDE_PEOPLE.items():
        for pid, role in people[:c.people_per_side]:
            store.add_respondent(c.id, pid, pid, side, role)
    return store.import_answers(answers, source="case", bank_version=bank.version)


def chosen_cases(names: tuple[str, ...] | list[str]) -> list[Case]:
    """The reference cases named on the command line ('all' for every one); an unknown name
    is an exit-2 error listing the cases there are."""
    from ..exceptions import BadInputError, Problem

    known = {c.id: c for c in CASES}
    wanted = list(known) if "all" in names else list(names)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise BadInputError(Problem(f"--case: no reference case is named {', '.join(unknown)}.",
                                    fix=f"use one of: {', '.join(known)}, all."))
    return [known[c] for c in wanted]
