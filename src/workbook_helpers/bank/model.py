"""The question bank's shape: lists, questions with anchored scales, thresholds, form profiles,
readiness checks and role levels, as frozen pydantic models.

Each model checks what it can see by itself (a scale's anchors, a weight above 0); the checks
that need the whole bank (ids that refer to each other) live in `bank.checks`.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..domain import SLUG_PATTERN, Form

#: The forms a bank's profiles describe (every relationship type but "disputed").
RelationshipType = Form
SLUG = SLUG_PATTERN
LIST_ID = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class BankInfo(_Strict):
    id: str = Field(pattern=SLUG)
    version: str = Field(min_length=1)
    title: str
    language: str = "en"
    # version 3: which round the bank is for; the wording of steps follows it
    kind: Literal["pre-launch", "health-check"] = "pre-launch"


class Source(_Strict):
    title: str
    author: str | None = None
    year: int | None = None
    seed: str | None = None
    url: str | None = None


class Thresholds(_Strict):
    completeness_min: float = Field(ge=0, le=1)
    min_respondents_per_side: int = Field(ge=1)
    cross_side_gap: float = Field(gt=0, le=100)
    question_gap: float = Field(gt=0, le=100)
    internal_divergence: float = Field(gt=0, le=100)
    question_divergence: float = Field(gt=0, le=100)
    no_fit_gap: float = Field(gt=0, le=100)
    low_score: float = Field(ge=0, le=100)
    far_lists: int = Field(default=2, ge=1)
    share_nothing: float = Field(default=15, ge=0, le=100)
    share_low: float = Field(default=25, ge=0, le=100)
    structure_gap: float = Field(default=50, gt=0, le=100)
    expectation_gap: float = Field(default=25, gt=0, le=100)
    # version 3 (scale points / 0-100); defaults keep version-2 banks loading
    lone_dissent: float = Field(default=2, gt=0)
    fact_spread: float = Field(default=2, gt=0)
    low_trust: float = Field(default=35, ge=0, le=100)
    max_steps: int = Field(default=8, ge=1)
    provisional: str = ""


class QuestionList(_Strict):
    id: str = Field(pattern=LIST_ID)
    title: str
    description: str = ""
    next_step: str | None = None
    scored: bool = True


class Scale(_Strict):
    min: int = 1
    max: int = 5
    anchors: dict[int, str]

    @model_validator(mode="after")
    def _every_point_anchored(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be above min ({self.min})")
        points = set(range(self.min, self.max + 1))
        missing = sorted(points - set(self.anchors))
        extra = sorted(set(self.anchors) - points)
        if missing:
            raise ValueError(f"no anchor for scale point(s) {missing}; every point needs one")
        if extra:
            raise ValueError(f"anchor(s) for {extra} lie outside the scale {self.min}-{self.max}")
        blank = sorted(k for k, v in self.anchors.items() if not str(v).strip())
        if blank:
            raise ValueError(f"anchor(s) for point(s) {blank} are empty")
        return self

    @property
    def points(self) -> list[int]:
        """Every point on the scale, lowest first."""
        return list(range(self.min, self.max + 1))


class Question(_Strict):
    id: str = Field(pattern=SLUG)
    list: str
    text: str = Field(min_length=1)
    short: str | None = None
    help: str | None = None
    scale: Scale
    reverse: bool = False
    weight: float = 1.0
    weight_note: str | None = None
    source: str
    next_step: str | None = None
    scored: bool = True
    expect: bool = False
    # version 3: options that are categories name the forms they point to (never averaged)
    categories: dict[int, builtins.list[RelationshipType]] | None = None
    # version 3: a fact (a budget approved, a manager named) rather than an opinion
    fact: bool = False
    # version 3: side roles that cannot answer it; they answer 'na' (no score, no gap)
    na_roles: builtins.list[str] = Field(default_factory=builtins.list)

    @field_validator("reverse", mode="before")
    @classmethod
    def _reverse_is_bool(cls, value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(f"reverse must be true or false, not {value!r}")
        return value

    @field_validator("weight")
    @classmethod
    def _weight_positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError(f"weight must be greater than 0, not {value}")
        return value

    @property
    def label(self) -> str:
        """A short name for the question in sentences (its `short`, else its text)."""
        return self.short or self.text

    def favourable(self, raw: int) -> float:
        """Position of a raw answer on 0-100, where 100 is the most favourable end."""
        span = self.scale.max - self.scale.min
        pos = (raw - self.scale.min) / span
        return 100.0 * (1.0 - pos if self.reverse else pos)


class FormTarget(_Strict):
    """The answers typical of a form on one structure question: a point or a range of points."""

    low: int
    high: int

    @model_validator(mode="before")
    @classmethod
    def _from_point_or_range(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a structure target is a scale point or [low, high]")
        if isinstance(value, int):
            return {"low": value, "high": value}
        if isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            return {"low": min(value), "high": max(value)}
        if isinstance(value, dict):
            return value
        raise ValueError(f"a structure target is a scale point or [low, high], not {value!r}")

    def distance(self, point: float) -> float:
        """How many scale points `point` lies outside the typical range."""
        if point < self.low:
            return self.low - point
        if point > self.high:
            return point - self.high
        return 0.0


class FormProfile(_Strict):
    """One form of relationship as the model sees it: typical scores and typical structure."""

    id: RelationshipType
    summary: str
    lists: dict[str, float] = Field(min_length=1)
    structure: dict[str, FormTarget] = Field(default_factory=dict)
    requires: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    readiness_questions: list[str] = Field(default_factory=list)

    @field_validator("lists")
    @classmethod
    def _scores_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {k: v for k, v in value.items() if not 0 <= v <= 100}
        if bad:
            raise ValueError(f"typical scores must lie in 0-100, not {bad}")
        return value


class FitMapAxes(_Strict):
    share: list[str] = Field(default_factory=lambda: ["control", "risk_sharing"], min_length=1)
    importance: list[str] = Field(default_factory=lambda: ["strategic_fit", "priority"],
                                  min_length=1)


class FormModel(_Strict):
    """The form classifier's settings: every form's profile and how distances are weighed."""

    provisional: str = ""
    alliance_forms: list[RelationshipType]
    profile_weight: float = Field(default=1.0, gt=0)
    structure_weight: float = Field(default=1.0, ge=0)
    structure_tolerance: float = Field(default=2.0, gt=0)
    clear_margin: float = Field(default=0.1, ge=0)
    min_structure_coverage: float = Field(default=0.5, ge=0, le=1)
    mismatch_margin: float = Field(default=0.05, ge=0)
    # version 3: the category question that asks what each person calls the deal
    label_question: str | None = None
    temperature: float = Field(default=0.05, gt=0)
    unknown_structure_confidence: float = Field(default=0.6, ge=0, le=1)
    profiles: list[FormProfile] = Field(min_length=2)
    axes: FitMapAxes = Field(default_factory=FitMapAxes)

    def profile(self, form: str) -> FormProfile:
        """The profile of one form."""
        return next(p for p in self.profiles if p.id == form)

    def profile_lists(self) -> list[str]:
        """Every list any form profile names (what the deal is and what each side shares)."""
        seen: dict[str, None] = {}
        for p in self.profiles:
            for lid in p.lists:
                seen.setdefault(lid, None)
        return list(seen)

    def form_questions(self) -> list[str]:
        """Every structure question any form profile refers to, in first-seen order."""
        seen: dict[str, None] = {}
        for p in self.profiles:
            for qid in [*p.structure, *p.requires]:
                seen.setdefault(qid, None)
        return list(seen)


class ReadinessItem(_Strict):
    """A condition an alliance needs on each side, read from one question."""

    id: str = Field(pattern=SLUG)
    question: str
    min: float = Field(ge=0, le=100)
    label: str
    step: str


class SponsorMatch(_Strict):
    """Sponsors of matching seniority: read from a sponsor-level question and from roles."""

    question: str
    min_level: int = 3
    max_difference: float = Field(default=1.0, ge=0)
    step: str


class HobbyCheck(_Strict):
    """A side that ranks the alliance high but commits neither people nor budget."""

    priority_min: float = Field(ge=0, le=100)
    commitment_questions: list[str] = Field(min_length=1)
    commitment_max: float = Field(ge=0, le=100)
    step: str


class TrustFloor(_Strict):
    """Both sides low on openness, trust and kept commitments: an alliance waits for trust."""

    questions: list[str] = Field(min_length=1)
    step: str


class Readiness(_Strict):
    provisional: str = ""
    items: list[ReadinessItem] = Field(min_length=1)
    sponsor_match: SponsorMatch | None = None
    hobby: HobbyCheck | None = None
    trust: TrustFloor | None = None


class RoleLevel(_Strict):
    """Seniority given to respondents whose role contains one of `words` (case-insensitive)."""

    level: int = Field(ge=1, le=5)
    words: list[str] = Field(min_length=1)


class Bank(_Strict):
    bank: BankInfo
    sources: dict[str, Source]
    thresholds: Thresholds
    lists: list[QuestionList] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    forms: FormModel
    readiness: Readiness
    role_levels: list[RoleLevel] = Field(default_factory=list)

    path: str | None = None

    @property
    def version(self) -> str:
        """The bank's version string, recorded with every engagement and report."""
        return self.bank.version

    @functools.cached_property
    def question_map(self) -> dict[str, Question]:
        """Questions by id."""
        return {q.id: q for q in self.questions}

    @functools.cached_property
    def dissent_questions(self) -> list[str]:
        """Questions on which one person far from their own team is flagged (version 3):
        the weighted ones (weight above 1) and those the readiness checks read, facts
        excepted."""
        r = self.readiness
        ids = {i.question for i in r.items}
        if r.sponsor_match is not None:
            ids.add(r.sponsor_match.question)
        if r.hobby is not None:
            ids.update(r.hobby.commitment_questions)
        # a fact is not an opinion: people who disagree on it are a contested fact instead
        return [q.id for q in self.questions
                if not q.fact and (q.id in ids or (q.scored and q.weight > 1))]

    @functools.cached_property
    def list_map(self) -> dict[str, QuestionList]:
        """Lists by id."""
        return {lst.id: lst for lst in self.lists}

    def list_ids(self) -> list[str]:
        """List ids in the order respondents see them."""
        return [lst.id for lst in self.lists]

    def dimension_ids(self) -> list[str]:
        """The lists that are scored (dimensions), in display order."""
        return [lst.id for lst in self.lists if lst.scored]

    @functools.cached_property
    def scored_questions(self) -> list[Question]:
        """The favourability questions: the only ones that enter dimension scores."""
        return [q for q in self.questions if q.scored]

    @functools.cached_property
    def expectation_questions(self) -> list[Question]:
        """The questions that also ask what the other side's team will answer."""
        return [q for q in self.questions if q.expect]

    @functools.cached_property
    def structure_questions(self) -> list[Question]:
        """The evidence questions (`scored: false`): what the deal is, not how favourable."""
        return [q for q in self.questions if not q.scored]

    def questions_in(self, list_id: str) -> list[Question]:
        """The questions of one list, in bank order."""
        return [q for q in self.questions if q.list == list_id]

    def iter_ordered(self) -> Iterator[Question]:
        """Every question, list by list in display order."""
        for lst in self.lists:
            yield from self.questions_in(lst.id)

    def to_records(self) -> list[dict[str, Any]]:
        """The bank as the contract's JSON list (`workbook questions --format json`)."""
        return [
            {
                "id": q.id,
                "list": q.list,
                "text": q.text,
                "help": q.help,
                "scale": {
                    "min": q.scale.min,
                    "max": q.scale.max,
                    "anchors": {str(k): q.scale.anchors[k] for k in q.scale.points},
                },
                "reverse": q.reverse,
                "weight": q.weight,
                "scored": q.scored,
                "expect": q.expect,
                "source": q.source,
                "categories": ({str(k): list(v) for k, v in q.categories.items()}
                               if q.categories is not None else None),
                "fact": q.fact,
                "na_roles": list(q.na_roles),
            }
            for q in self.iter_ordered()
        ]

