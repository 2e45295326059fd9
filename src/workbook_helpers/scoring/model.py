"""The typed score result: what scoring hands to the CLI, the apps, the report and the export.

One `ScoreResult` per engagement, built in one place (`scoring.result`). A question list of
the bank, once scored, is a *dimension*; every score here is keyed by dimension (list) id.
`to_dict()` gives the JSON of the contract in `../shared/design.md` (with its version-2 keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..domain import DISCUSS_KINDS, FlagKind, Side, Verdict, recommends_other_form

__all__ = [
    "AnswerChange",
    "ClosestChange",
    "DimensionScore",
    "ExpectationGap",
    "Flag",
    "FormCall",
    "FormPursuit",
    "GapChange",
    "QuestionScore",
    "ReadinessCheck",
    "RespondentScore",
    "Robustness",
    "ScoreResult",
    "Side",
    "Trend",
    "Verdict",
    "VerdictCause",
    "WeightChange",
]


_NAMES: dict[type, tuple[str, ...]] = {}


def _flat(obj: Any) -> dict[str, Any]:
    """A flat dataclass (fields hold plain values, dicts or lists of plain values) as a dict."""
    cls = type(obj)
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(obj))
    out = {}
    for n in names:
        v = getattr(obj, n)
        out[n] = dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v
    return out


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """One list's scores: each side's mean, the gap and how split each team is (0-100)."""

    title: str
    host: float | None
    partner: float | None
    gap: float | None
    pooled: float | None
    host_divergence: float | None
    partner_divergence: float | None


@dataclass(frozen=True, slots=True)
class Flag:
    """Something to discuss or resolve: a gap, a split team, a missing answer, a readiness gap."""

    kind: FlagKind
    dimension: str | None
    side: Side | None
    question_id: str | None
    magnitude: float | None
    blocking: bool
    detail: str
    respondent: str | None = None
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The flag as in the contract's `flags` list."""
        out = {"kind": self.kind, "dimension": self.dimension, "side": self.side,
               "question_id": self.question_id, "magnitude": self.magnitude,
               "blocking": self.blocking, "detail": self.detail}
        if self.respondent is not None:
            out["respondent"] = self.respondent
        if self.role is not None:
            out["role"] = self.role
        return out


@dataclass(frozen=True, slots=True)
class FormPursuit:
    """When the answer is 'not an alliance': the form to pursue and how ready it is."""

    form: str
    readiness: float
    detail: str
    next_step: str | None


@dataclass(frozen=True, slots=True)
class FormCall:
    """The recommended form of relationship, its runner-up, a confidence and the evidence.

    Version 3: `sides` is each side's own picture of the deal (None for a side with too little
    evidence) and `status` 'agreed', 'disputed' or 'unclear'; while disputed, `recommended`
    is None (the sides have to settle which deal this is first).
    """

    recommended: str | None
    runner_up: str | None
    confidence: float
    evidence: list[str]
    probabilities: dict[str, float]
    alliance_margin: float | None
    structure_coverage: float
    to_ask: list[str]
    is_alliance: bool
    pursue: FormPursuit | None = None
    sides: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    status: str = "agreed"


@dataclass(frozen=True, slots=True)
class ReadinessCheck:
    """One condition an alliance needs on one side; `met` is None when nobody answered."""

    id: str
    side: Side
    met: bool | None
    detail: str
    step: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The check as in the contract's `readiness` list."""
        return {"id": self.id, "side": self.side, "met": self.met, "detail": self.detail,
                "step": self.step}


@dataclass(frozen=True, slots=True)
class RespondentScore:
    """One respondent: who, how much they answered, and their own list scores."""

    id: str
    name: str
    side: Side
    role: str
    answered: int
    expected: int
    completeness: float
    scores: dict[str, float | None]
    share: float | None
    importance: float | None


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """One question: each side's mean position on 0-100 (favourability; for an unscored
    question the plain position on its scale, 0 at its first point)."""

    id: str
    list: str
    host: float | None
    partner: float | None
    gap: float | None
    host_divergence: float | None
    partner_divergence: float | None
    scored: bool = True


@dataclass(frozen=True, slots=True)
class ExpectationGap:
    """On one list (or question): what each side expected of the other, and what it got.

    A miss is the absolute difference (0-100). A side's picture is a blind spot when it
    expected the other side to be more favourable than it is ("we thought they were with
    us"), a pleasant surprise when less.
    """

    title: str
    host_expects: float | None
    partner_actual: float | None
    host_miss: float | None
    partner_expects: float | None
    host_actual: float | None
    partner_miss: float | None

    def direction(self, side: str) -> str | None:
        """'blind-spot', 'pleasant-surprise' or None (no expectation, or spot on)."""
        exp = self.host_expects if side == "host" else self.partner_expects
        act = self.partner_actual if side == "host" else self.host_actual
        if exp is None or act is None or exp == act:
            return None
        return "blind-spot" if exp > act else "pleasant-surprise"


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """The closest change that flips the verdict or the form: one answer moved one point."""

    respondent: str
    question_id: str
    old: int
    new: int
    verdict: str
    form: str

    def to_dict(self) -> dict[str, Any]:
        """The change as in the contract's `robustness.closest_change`."""
        return {"respondent": self.respondent, "question_id": self.question_id,
                "from": self.old, "to": self.new, "verdict": self.verdict, "form": self.form}


@dataclass(frozen=True, slots=True)
class WeightChange:
    """The closest change that flips the verdict or the form: one list weighed more or less."""

    weight: str
    factor: float
    verdict: str
    form: str

    def to_dict(self) -> dict[str, Any]:
        """The change as in the contract's `robustness.closest_change`."""
        return {"weight": self.weight, "factor": self.factor, "verdict": self.verdict,
                "form": self.form}


#: The smallest change that would flip the verdict or the form.
ClosestChange = AnswerChange | WeightChange


@dataclass(frozen=True, slots=True)
class Robustness:
    """Whether the verdict and the form survive any one-point change of one answer and a move
    of the weights; the closest change that would flip them, as a sentence."""

    verdict_stable: bool
    form_stable: bool
    closest_flip: str | None
    answer_changes: int
    verdict_flips: int
    form_flips: int
    weight_changes: int
    weight_flips: int
    base_verdict: str
    closest_change: ClosestChange | None = None

    @property
    def rests_on_one_answer(self) -> bool:
        """Whether the closest change is one answer (not a weight)."""
        return isinstance(self.closest_change, AnswerChange)

    def to_dict(self) -> dict[str, Any]:
        """The contract's `robustness` object."""
        out = _flat(self)
        out["closest_change"] = (self.closest_change.to_dict()
                                 if self.closest_change is not None else None)
        return out


@dataclass(frozen=True, slots=True)
class VerdictCause:
    """Why the verdict is what it is: every cause found, with its level (0 fit .. 2 no-fit)."""

    kind: str
    level: int
    detail: str


@dataclass(frozen=True, slots=True)
class GapChange:
    """A gap present in one round and gone (or new) in the next."""

    kind: str
    dimension: str | None
    side: str | None
    detail: str
    round_from: str
    round_to: str

    def to_dict(self) -> dict[str, Any]:
        """The change as in the contract's `trend.closed` / `trend.opened` lists."""
        return {"kind": self.kind, "dimension": self.dimension, "side": self.side,
                "detail": self.detail, "from": self.round_from, "to": self.round_to}


@dataclass(frozen=True)
class Trend:
    """Scores per list and side in round order, and the gaps that closed or opened."""

    rounds: list[str]
    dimensions: dict[str, dict[str, list[float | None]]]
    verdicts: list[str]
    forms: list[str]
    closed: list[GapChange] = field(default_factory=list)
    opened: list[GapChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The contract's `trend` key."""
        return {"rounds": list(self.rounds),
                "dimensions": {k: {s: list(v) for s, v in d.items()}
                               for k, d in self.dimensions.items()},
                "verdicts": list(self.verdicts), "forms": list(self.forms),
                "closed": [c.to_dict() for c in self.closed],
                "opened": [c.to_dict() for c in self.opened]}


@dataclass(frozen=True)
class ScoreResult:
    """Everything the workbook says about one engagement."""

    engagement: str
    bank: dict[str, str]
    verdict: Verdict
    relationship_type: str
    form: FormCall
    side_types: dict[str, str | None]
    completeness: float
    respondents_per_side: dict[str, int]
    results_visible: bool
    dimensions: dict[str, DimensionScore]
    fit_map: dict[str, dict[str, float | None]]
    flags: list[Flag]
    next_steps: list[str]
    reasons: list[str]
    readiness: list[ReadinessCheck]
    causes: list[VerdictCause]
    verdict_cause: str
    respondents: list[RespondentScore]
    questions: list[QuestionScore]
    organisations: dict[str, str] = field(default_factory=dict)
    title: str = ""
    robustness: Robustness | None = None
    expectations: dict[str, ExpectationGap] = field(default_factory=dict)
    expectation_questions: dict[str, ExpectationGap] = field(default_factory=dict)
    round: str = "baseline"
    trend: Trend | None = None
    step_intents: list[str] = field(default_factory=list)

    @property
    def discuss(self) -> list[Flag]:
        """The flags worth a conversation, most severe first."""
        return [f for f in self.flags if f.kind in DISCUSS_KINDS]

    @property
    def recommends_other_form(self) -> bool:
        """Whether the answer is 'not an alliance: pursue another form' (a recommendation)."""
        return recommends_other_form(self.verdict, self.verdict_cause,
                                     self.relationship_type, self.form.is_alliance)

    def with_robustness(self, robustness: Robustness | None) -> ScoreResult:
        """The same result carrying its robustness check."""
        return replace(self, robustness=robustness)

    def with_engagement(self, organisations: dict[str, str], title: str) -> ScoreResult:
        """The same result carrying the engagement's organisation names and title."""
        return replace(self, organisations=organisations, title=title)

    def with_round(self, round_id: str, trend: Trend | None = None) -> ScoreResult:
        """The same result, as the score of one round (with the trend up to it, if any)."""
        return replace(self, round=round_id, trend=trend)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON score output (every version-1 key, plus the version-2 ones)."""
        form = _flat(self.form)
        form["pursue"] = _flat(self.form.pursue) if self.form.pursue is not None else None
        form["sides"] = {k: (dict(v) if v is not None else None)
                         for k, v in self.form.sides.items()}
        extra: dict[str, Any] = {}
        if self.expectations:
            extra["expectations"] = {k: _gap(v) for k, v in self.expectations.items()}
            extra["expectation_questions"] = {k: _gap(v) for k, v in
                                              self.expectation_questions.items()}
        if self.trend is not None:
            extra["trend"] = self.trend.to_dict()
        return {
            "engagement": self.engagement,
            "title": self.title,
            "organisations": dict(self.organisations),
            "bank": dict(self.bank),
            "verdict": self.verdict,
            "verdict_cause": self.verdict_cause,
            "relationship_type": self.relationship_type,
            "form": form,
            "side_types": dict(self.side_types),
            "completeness": self.completeness,
            "respondents_per_side": dict(self.respondents_per_side),
            "results_visible": self.results_visible,
            "dimensions": {k: _flat(v) for k, v in self.dimensions.items()},
            "fit_map": {k: dict(v) for k, v in self.fit_map.items()},
            "readiness": [r.to_dict() for r in self.readiness],
            "flags": [f.to_dict() for f in self.flags],
            "discuss": [{"rank": i + 1, **f.to_dict()} for i, f in enumerate(self.discuss)],
            "next_steps": list(self.next_steps),
            "next_step_intents": list(self.step_intents),
            "reasons": list(self.reasons),
            "robustness": self.robustness.to_dict() if self.robustness is not None else None,
            "causes": [_flat(c) for c in self.causes],
            "respondents": [_flat(r) for r in self.respondents],
            "questions": [_flat(q) for q in self.questions],
            "round": self.round,
        } | extra


def _gap(g: ExpectationGap) -> dict[str, Any]:
    out = _flat(g)
    out["host_direction"] = g.direction("host")
    out["partner_direction"] = g.direction("partner")
    return out

