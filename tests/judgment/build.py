"""Turn a judgment case (one YAML file under `tests/judgment/cases/`) into answers.

A case describes two small teams: per side a favourability profile for each question list
(1 = least favourable to an alliance, 5 = most), the structure of the deal as that side
describes it (raw scale points), and the people with their roles, small per-person shifts,
pinned answers, don't-knows and comments. Every person's answer to a scored question is the
side's list profile plus the person's shift plus a fixed per-person noise (crc32 of case,
person and question), turned into the question's raw scale point (reversed questions run the
other way). Pinned answers are RAW points exactly as the person would tick them on the
questionnaire (so anchors can be read off the bank), or `dk` (don't know), or `na` (the
question does not apply to this person's side role).

Use:
    from tests.judgment.build import load_cases, case_answers, case_bank, write_csv
    for case in load_cases():
        frame = case_answers(case, case_bank(case))   # the answers-CSV columns
        write_csv(case, case_bank(case), tmp_path / f"{case.id}.csv")

Nothing here scores anything; the expectations (`case.expect`) are what the scoring model is
checked against.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from workbook_helpers.bank import Bank, Question, load_bank
from workbook_helpers.bank.choice import bank_path
from workbook_helpers.bank.load import FastSafeLoader

CASES_DIR = Path(__file__).resolve().parent / "cases"
SIDES = ("host", "partner")
CSV_COLUMNS = ["engagement", "respondent", "side", "role", "question_id", "value", "comment"]
SPECIAL = ("dk", "na")

#: What the cases as a whole must cover (issue 18, "Done when", plus the additions).
REQUIRED_COVERAGE = (
    "co-development", "co-marketing", "exclusive-licence", "non-exclusive-licence",
    "jv-new-company", "minority-stake", "outsourcing-labelled-partnership", "supply-chain",
    "all-in-vs-side-project", "hobby", "different-deals", "different-deals-licence",
    "split-team", "health-check-drift", "low-trust", "contested-budget",
)
#: Further situations the adviser judged important (not required by the issue).
EXTRA_COVERAGE = (
    "different-deals-jv", "understaffed-agreed", "licensee-na", "seniority-mismatch",
    "unclear-form", "insufficient-data", "contested-fact",
)
RELATIONSHIP_TYPES = ("strategic-alliance", "joint-venture", "outsourcing", "licensing",
                      "supply-chain", "other", "disputed", "any")
FORM_STATUS = ("agreed", "disputed", "unclear", "any")
VERDICTS = ("fit", "conditional", "no-fit", "insufficient-data")
#: Verdict causes used by the cases (README.md maps them to today's model names).
VERDICT_CAUSES = ("clear", "other-form", "form-dispute", "form-unclear", "low-trust",
                  "lone-dissent", "contested-fact", "readiness", "hobby", "cross-side-gap",
                  "insufficient")

Value = int | str          # a raw scale point, "dk" or "na"


@dataclass(frozen=True)
class FlagExpect:
    """A flag that must (or must not) appear; unset fields match anything."""

    kind: str
    side: str | None = None
    question_id: str | None = None
    dimension: str | None = None
    role: str | None = None

    def matches(self, flag: dict[str, Any]) -> bool:
        """Whether a flag of the score output (a dict with kind, side, ...) is this one."""
        for key in ("kind", "side", "question_id", "dimension", "role"):
            want = getattr(self, key)
            if want is not None and flag.get(key) != want:
                return False
        return True


@dataclass(frozen=True)
class StepExpect:
    """A next step by intent, and the words (case-insensitive substrings) its text must hold."""

    intent: str
    words: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether a step's text holds every expected word."""
        low = text.lower()
        return all(w.lower() in low for w in self.words)


@dataclass(frozen=True)
class Expect:
    """What an experienced alliance adviser would tell the client, fixed before scoring."""

    relationship_type: str
    form_status: str
    verdict: str
    verdict_cause: str
    first_step_intent: StepExpect
    why: str
    form_sides: dict[str, str | None] = field(default_factory=dict)
    flags_present: tuple[FlagExpect, ...] = ()
    flags_absent: tuple[FlagExpect, ...] = ()
    steps_include: tuple[StepExpect, ...] = ()
    steps_must_not_say: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """One respondent: role, shifts of the side's profile, pinned answers, don't-knows."""

    id: str
    role: str
    shift: dict[str, float] = field(default_factory=dict)     # list id -> +/- favourability
    answers: dict[str, Value] = field(default_factory=dict)   # question id -> raw, dk or na
    dk: tuple[str, ...] = ()
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Side:
    """One side's team and how it describes the deal."""

    name: str
    people: tuple[Person, ...]
    profile: dict[str, float] = field(default_factory=dict)   # list id -> favourability 1..5
    structure: dict[str, Value] = field(default_factory=dict)  # structure qid -> raw point
    answers: dict[str, Value] = field(default_factory=dict)   # pinned for the whole side
    side_role: str | None = None                                # e.g. licensor, licensee


@dataclass(frozen=True)
class Case:
    """One practitioner case: the story, the two teams and the adviser's expected answer."""

    id: str
    title: str
    seed_file: str
    seed_idea: str
    story: str
    bank: str
    covers: tuple[str, ...]
    sides: dict[str, Side]
    expect: Expect
    noise: float = 0.45
    round: str | None = None
    path: Path | None = None


# ------------------------------------------------------------------------------ loading
def _value(raw: Any, where: str) -> Value:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValueError(f"{where}: answer {raw!r} is neither a whole number, 'dk' nor 'na'.")
    if isinstance(raw, str):
        if raw not in SPECIAL:
            raise ValueError(f"{where}: answer {raw!r} is neither a whole number, 'dk' nor 'na'.")
        return raw
    return raw


def _values(raw: dict[str, Any] | None, where: str) -> dict[str, Value]:
    return {str(k): _value(v, f"{where} {k}") for k, v in (raw or {}).items()}


def _flag(raw: Any) -> FlagExpect:
    if isinstance(raw, str):
        return FlagExpect(raw)
    return FlagExpect(**raw)


def _step(raw: dict[str, Any]) -> StepExpect:
    return StepExpect(str(raw["intent"]), tuple(str(w) for w in raw["words"]))


def _expect(raw: dict[str, Any]) -> Expect:
    return Expect(
        relationship_type=raw["relationship_type"], form_status=raw["form_status"],
        verdict=raw["verdict"], verdict_cause=raw["verdict_cause"],
        first_step_intent=_step(raw["first_step_intent"]), why=" ".join(raw["why"].split()),
        form_sides=dict(raw.get("form_sides") or {}),
        flags_present=tuple(_flag(f) for f in raw.get("flags_present") or ()),
        flags_absent=tuple(_flag(f) for f in raw.get("flags_absent") or ()),
        steps_include=tuple(_step(s) for s in raw.get("steps_include") or ()),
        steps_must_not_say=tuple(raw.get("steps_must_not_say") or ()))


def _side(name: str, raw: dict[str, Any], where: str) -> Side:
    people = tuple(
        Person(id=p["id"], role=p["role"], shift={k: float(v) for k, v in
                                                  (p.get("shift") or {}).items()},
               answers=_values(p.get("answers"), f"{where} {p['id']}"),
               dk=tuple(p.get("dk") or ()), comments=dict(p.get("comments") or {}))
        for p in raw["people"])
    return Side(name=name, people=people,
                profile={k: float(v) for k, v in (raw.get("profile") or {}).items()},
                structure=_values(raw.get("structure"), f"{where} structure"),
                answers=_values(raw.get("answers"), f"{where} answers"),
                side_role=raw.get("side_role"))


def load_case(path: Path) -> Case:
    """One case from its YAML file."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=FastSafeLoader)
    where = path.name
    seed = raw["seed"]
    return Case(
        id=raw["id"], title=raw["title"], seed_file=seed["file"],
        seed_idea=" ".join(seed["idea"].split()), story=" ".join(raw["story"].split()),
        bank=raw["bank"], covers=tuple(raw.get("covers") or ()),
        sides={s: _side(s, raw["sides"][s], f"{where} {s}") for s in SIDES},
        expect=_expect(raw["expect"]), noise=float(raw.get("noise", 0.45)),
        round=raw.get("round"), path=path)


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Every case under `folder`, in file-name order."""
    return [load_case(p) for p in sorted(folder.glob("*.yaml"))]


@cache
def _bank(name: str) -> Bank:
    return load_bank(bank_path(name))


def case_bank(case: Case) -> Bank:
    """The shipped bank the case is answered on (`question_bank` or `health_check_bank`)."""
    return _bank(case.bank)


# ------------------------------------------------------------------------------ answers
def jitter(case_id: str, person: str, question: str, amplitude: float) -> float:
    """A fixed per-person, per-question noise in [-amplitude, +amplitude] (crc32-based)."""
    h = zlib.crc32(f"{case_id}/{person}/{question}".encode())
    return ((h % 13) - 6) / 6.0 * amplitude


def raw_point(q: Question, favourable: float) -> int:
    """The raw scale point for a favourability on 1..5 (reversed questions run the other way)."""
    lo, hi = q.scale.min, q.scale.max
    pos = min(max((favourable - 1.0) / 4.0, 0.0), 1.0)
    if q.reverse:
        pos = 1.0 - pos
    return math.floor(lo + pos * (hi - lo) + 0.5)


def person_value(case: Case, side: Side, person: Person, q: Question) -> Value:
    """One person's answer to one question: pinned, don't know, or from the profile."""
    if q.id in person.dk:
        return "dk"
    if q.id in person.answers:
        return person.answers[q.id]
    if q.id in side.answers:
        return side.answers[q.id]
    if q.id in side.structure:
        return side.structure[q.id]
    if not q.scored:
        raise ValueError(f"case {case.id}: {side.name} {person.id} has no answer to the "
                         f"unscored question '{q.id}'; give it under structure or answers.")
    fav = side.profile.get(q.list, 3.0) + person.shift.get(q.list, 0.0) + \
        jitter(case.id, person.id, q.id, case.noise)
    return raw_point(q, fav)


def case_answers(case: Case, bank: Bank | None = None, engagement: str | None = None
                 ) -> pd.DataFrame:
    """The case's answers as the answers CSV has them: engagement, respondent, side, role,
    question_id, value (a string: the raw point, 'dk' or 'na'), comment. Deterministic."""
    bank = bank or case_bank(case)
    rows = []
    for side_name in SIDES:
        side = case.sides[side_name]
        for person in side.people:
            for q in bank.iter_ordered():
                value = person_value(case, side, person, q)
                rows.append({"engagement": engagement or case.id, "respondent": person.id,
                             "side": side_name, "role": person.role, "question_id": q.id,
                             "value": str(value), "comment": person.comments.get(q.id, "")})
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def write_csv(case: Case, bank: Bank | None, path: str | Path,
              engagement: str | None = None) -> Path:
    """Write the case's answers as an answers CSV (for `workbook score FILE.csv` or import)."""
    out = Path(path)
    case_answers(case, bank, engagement).to_csv(out, index=False, encoding="utf-8")
    return out


def scoring_frame(case: Case, bank: Bank | None = None) -> pd.DataFrame:
    """The case's answers as the product reads them from a CSV (validated against the bank),
    ready for `score_engagement(frame, bank, case.id)` or the store. Raises the product's
    AnswersFileError where the product does not accept an answer (e.g. `na` before v3)."""
    from workbook_helpers.answers.csv_file import validate_answers

    bank = bank or case_bank(case)
    raw = case_answers(case, bank).astype(object)
    raw["row"] = range(2, len(raw) + 2)
    return validate_answers(raw, bank, f"judgment case {case.id}")
