"""The question bank: lists, questions with anchored scales, thresholds, form profiles and
readiness checks.

The bank is a YAML file that facilitators may edit; `load_bank` validates it and reports
every problem with the file name and the question id it concerns.
"""

from __future__ import annotations

import builtins
import functools
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..config import default_bank_path
from ..exceptions import BankError, Problem

REQUIRED_LISTS = ("control", "risk_sharing", "priority", "resourcing")
RELATIONSHIP_TYPES = (
    "strategic-alliance",
    "joint-venture",
    "outsourcing",
    "licensing",
    "supply-chain",
    "other",
)
RelationshipType = Literal[
    "strategic-alliance", "joint-venture", "outsourcing", "licensing", "supply-chain", "other"
]
SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
LIST_ID = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


def _semantic_problems(data: Bank, file: str) -> list[Problem]:
    problems: list[Problem] = []
    list_ids = [lst.id for lst in data.lists]
    seen_lists: set[str] = set()
    for lid in list_ids:
        if lid in seen_lists:
            problems.append(Problem(f"list '{lid}' is defined twice.", file=file,
                                    fix="give every list a unique id."))
        seen_lists.add(lid)
    for required in REQUIRED_LISTS:
        if required not in seen_lists:
            problems.append(Problem(f"required list '{required}' is missing.", file=file,
                                    fix=f"add a list with id '{required}'."))
    seen: set[str] = set()
    for q in data.questions:
        if q.id in seen:
            problems.append(Problem(f"question '{q.id}': the id is used more than once.",
                                    file=file, fix="give every question a unique id."))
        seen.add(q.id)
        if q.list not in seen_lists:
            problems.append(Problem(
                f"question '{q.id}': unknown list '{q.list}'.", file=file,
                fix=f"use one of: {', '.join(list_ids)}."))
        if q.source not in data.sources:
            problems.append(Problem(
                f"question '{q.id}': source '{q.source}' is not defined under 'sources'.",
                file=file, fix="add it to 'sources' or cite an existing one."))
    for lid in seen_lists:
        if not any(q.list == lid for q in data.questions):
            problems.append(Problem(f"list '{lid}' has no questions.", file=file,
                                    fix="add questions to it or remove the list."))
    th = data.thresholds
    if not th.share_nothing < th.share_low:
        problems.append(Problem(
            f"thresholds: share_nothing ({th.share_nothing:g}) must be below share_low "
            f"({th.share_low:g}).", file=file,
            fix="keep a band between them, so that one answer cannot jump two verdict steps."))
    if not th.no_fit_gap > th.cross_side_gap:
        problems.append(Problem(
            f"thresholds: no_fit_gap ({th.no_fit_gap:g}) must be above cross_side_gap "
            f"({th.cross_side_gap:g}).", file=file,
            fix="a gap that stops the deal must first be a gap to resolve."))
    problems += _question_kind_problems(data, file)
    problems += _form_problems(data, file)
    problems += _readiness_problems(data, file)
    return problems


def _question_kind_problems(data: Bank, file: str) -> list[Problem]:
    """Scored and unscored (evidence) questions each follow their own rules."""
    problems: list[Problem] = []
    unscored_lists = {lst.id for lst in data.lists if not lst.scored}
    for q in data.questions:
        if q.expect and not q.scored:
            problems.append(Problem(
                f"question '{q.id}': only a scored question can ask what the other side will "
                "answer.", file=file, fix="remove 'expect' or make the question scored."))
        if not q.scored:
            if q.reverse:
                problems.append(Problem(
                    f"question '{q.id}': an unscored (evidence) question cannot be reversed.",
                    file=file, fix="remove 'reverse' or make the question scored."))
            if q.weight != 1.0:
                problems.append(Problem(
                    f"question '{q.id}': an unscored (evidence) question has no weight.",
                    file=file, fix="remove 'weight'; it never enters a score."))
        elif q.list in unscored_lists:
            problems.append(Problem(
                f"question '{q.id}': list '{q.list}' is unscored, so its questions must carry "
                "'scored: false'.", file=file, fix="add 'scored: false' or move the question."))
        if q.categories is not None:
            if q.scored:
                problems.append(Problem(
                    f"question '{q.id}': only an unscored (evidence) question can have "
                    "categories.", file=file, fix="add 'scored: false' or remove 'categories'."))
            missing = [p for p in q.scale.points if p not in q.categories]
            extra = [p for p in q.categories if p not in q.scale.points]
            if missing or extra:
                problems.append(Problem(
                    f"question '{q.id}': categories must name the forms of every option "
                    f"{q.scale.min}-{q.scale.max} (missing {missing}, outside the scale "
                    f"{extra}).", file=file, fix="give every option a list of forms."))
            known = {p.id for p in data.forms.profiles}
            unknown = sorted({f for v in q.categories.values() for f in v} - known)
            if unknown:
                problems.append(Problem(
                    f"question '{q.id}': categories name form(s) without a profile: "
                    f"{', '.join(unknown)}.", file=file,
                    fix=f"use forms described under forms.profiles: {', '.join(sorted(known))}."))
    for lst in data.lists:
        if lst.scored and not any(q.list == lst.id and q.scored for q in data.questions):
            problems.append(Problem(
                f"list '{lst.id}' is scored but has no scored question.", file=file,
                fix="add a favourability question or mark the list 'scored: false'."))
    return problems


def _form_problems(data: Bank, file: str) -> list[Problem]:
    """Form profiles may only name scored lists and unscored questions of this bank."""
    problems: list[Problem] = []
    dims = [lst.id for lst in data.lists if lst.scored]
    qmap = {q.id: q for q in data.questions}
    forms = data.forms
    seen: set[str] = set()
    for prof in forms.profiles:
        where = f"form '{prof.id}'"
        if prof.id in seen:
            problems.append(Problem(f"{where} is described twice.", file=file,
                                    fix="keep one profile per form."))
        seen.add(prof.id)
        for lid in prof.lists:
            if lid not in dims:
                problems.append(Problem(f"{where} names '{lid}', which is not a scored list.",
                                        file=file, fix=f"use one of: {', '.join(dims)}."))
        for qid, target in prof.structure.items():
            q = qmap.get(qid)
            if q is None or q.scored:
                problems.append(Problem(
                    f"{where}: structure question '{qid}' is not an unscored question of the "
                    "bank.", file=file, fix="name a question with 'scored: false'."))
            elif not (q.scale.min <= target.low <= target.high <= q.scale.max):
                problems.append(Problem(
                    f"{where}: the target for '{qid}' lies outside its scale "
                    f"{q.scale.min}-{q.scale.max}.", file=file, fix="use points of the scale."))
        if prof.id == "joint-venture" and not prof.requires:
            problems.append(Problem(
                f"{where} must require evidence of shared ownership from a structure question.",
                file=file, fix="add e.g. 'requires: [st-equity]', or leave the form out of a "
                               "bank without structure questions."))
        for qid in prof.requires:
            if qid not in prof.structure:
                problems.append(Problem(
                    f"{where} requires evidence from '{qid}' but gives no target for it.",
                    file=file, fix=f"add '{qid}' under the form's 'structure'."))
        for qid in prof.readiness_questions:
            if qid not in qmap:
                problems.append(Problem(f"{where}: readiness question '{qid}' does not exist.",
                                        file=file, fix="name a question of the bank."))
    if forms.label_question is not None:
        lq = qmap.get(forms.label_question)
        if lq is None or lq.categories is None:
            problems.append(Problem(
                f"forms.label_question '{forms.label_question}' is not a category question "
                "of the bank.", file=file, fix="name a question that has 'categories'."))
    for form in forms.alliance_forms:
        if form not in seen:
            problems.append(Problem(f"alliance form '{form}' has no profile.", file=file,
                                    fix="describe it under forms.profiles."))
    if not any(p.id not in forms.alliance_forms for p in forms.profiles):
        problems.append(Problem("every form profile is an alliance form.", file=file,
                                fix="describe at least one other form (e.g. licensing)."))
    if "other" in seen:
        problems.append(Problem(
            "form 'other' cannot have a profile: it is the answer when the answers point "
            "nowhere.", file=file, fix="remove the 'other' profile."))
    for lid in [*forms.axes.share, *forms.axes.importance]:
        if lid not in dims:
            problems.append(Problem(
                f"fit-map axis refers to unknown list '{lid}'.", file=file,
                fix=f"use scored lists of the bank: {', '.join(dims)}."))
    return problems


def _readiness_problems(data: Bank, file: str) -> list[Problem]:
    """Readiness checks must read questions that exist and have the right kind."""
    problems: list[Problem] = []
    qmap = {q.id: q for q in data.questions}
    r = data.readiness
    wanted: list[tuple[str, str, bool]] = [
        (f"readiness item '{i.id}'", i.question, True) for i in r.items]
    if r.sponsor_match is not None:
        wanted.append(("readiness sponsor_match", r.sponsor_match.question, False))
    if r.hobby is not None:
        wanted += [("readiness hobby", qid, True) for qid in r.hobby.commitment_questions]
    if r.trust is not None:
        # an inherited trust floor reads the questions this bank has; it needs at least one
        present = [qid for qid in r.trust.questions if qid in qmap]
        wanted += [("readiness trust", qid, True) for qid in present or r.trust.questions[:1]]
    for where, qid, scored in wanted:
        q = qmap.get(qid)
        if q is None:
            problems.append(Problem(f"{where} reads question '{qid}', which does not exist.",
                                    file=file, fix="name a question of the bank."))
        elif q.scored != scored:
            kind = "a scored" if scored else "an unscored (evidence)"
            problems.append(Problem(f"{where} needs {kind} question; '{qid}' is not one.",
                                    file=file, fix="name a question of the right kind."))
    return problems


def _locate(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into words naming the question id where possible."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        qid = None
        if isinstance(raw, dict):
            qs = raw.get("questions")
            if isinstance(qs, list) and loc[1] < len(qs) and isinstance(qs[loc[1]], dict):
                qid = qs[loc[1]].get("id")
        head = f"question '{qid}'" if qid else f"question #{loc[1] + 1}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head}" + (f", field '{rest}'" if rest else "")
    return "field '" + ".".join(str(p) for p in loc) + "'"


def parse_bank(raw: Any, file: str) -> Bank:
    """Validate already-parsed YAML data as a bank; raise BankError listing every problem."""
    if not isinstance(raw, dict):
        raise BankError(Problem("the file does not hold a YAML mapping.", file=file,
                                fix="start from templates/question_bank.yaml."))
    if "relationship_types" in raw and "forms" not in raw:
        raise BankError(Problem(
            "this bank uses the version-1 'relationship_types' rules, which the form model "
            "no longer reads.", file=file,
            fix="replace them with 'forms' and 'readiness' sections as in "
                "templates/question_bank.yaml (see docs/bank-format.md)."))
    try:
        bank = Bank.model_validate({**raw, "path": file})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _locate(raw, tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
                fix = "remove it or check its spelling against docs/bank-format.md."
            elif err["type"] == "missing":
                msg = "is required but missing"
                fix = "add it (see docs/bank-format.md)."
            else:
                fix = None
            problems.append(Problem(f"{where}: {msg}.", file=file, fix=fix))
        raise BankError(problems) from None
    problems = _semantic_problems(bank, file)
    if problems:
        raise BankError(problems)
    return bank


INHERITED = ("sources", "thresholds", "forms", "readiness", "role_levels")


def _read_yaml(p: Path) -> Any:
    path = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(Problem("the question bank file does not exist.", file=path,
                                fix="check the path given with --bank or WORKBOOK_BANK.")) from None
    except UnicodeDecodeError:
        raise BankError(Problem("the file is not UTF-8 text.", file=path,
                                fix="save it as UTF-8.")) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise BankError(Problem(f"the YAML cannot be read ({getattr(exc, 'problem', exc)}).",
                                file=path, row=row,
                                fix="check indentation and quote text containing ':'.")) from None


def _with_inherited(raw: Any, p: Path) -> Any:
    """A bank that names `inherit: OTHER.yaml` takes that bank's sources, thresholds, form
    model, readiness checks and role levels wherever it gives none of its own (sources are
    merged, its own winning)."""
    if not isinstance(raw, dict) or "inherit" not in raw:
        return raw
    parent_path = (p.parent / str(raw["inherit"])).resolve()
    if parent_path == p.resolve():
        raise BankError(Problem("the bank inherits from itself.", file=str(p),
                                fix="name another bank file under 'inherit'."))
    parent = _with_inherited(_read_yaml(parent_path), parent_path)
    if not isinstance(parent, dict):
        raise BankError(Problem("the inherited bank is not a YAML mapping.",
                                file=str(parent_path), fix="name a question bank file."))
    out = {k: v for k, v in raw.items() if k != "inherit"}
    for key in INHERITED:
        if key == "sources":
            out["sources"] = {**(parent.get("sources") or {}), **(raw.get("sources") or {})}
        elif key not in out and key in parent:
            out[key] = parent[key]
    return out


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Bank:
    p = Path(path)
    parsed = _parsed_by_serve().get((str(p.resolve()), mtime))
    if isinstance(parsed, Bank):
        return parsed
    return parse_bank(_with_inherited(_read_yaml(p), p), path)


@functools.lru_cache(maxsize=1)
def _parsed_by_serve() -> dict[tuple[str, Any], Any]:
    """The banks `workbook serve` parsed once for all its kernels (empty elsewhere, or when
    the file cannot be read: every bank is then parsed as usual): (path, mtime) -> Bank, and
    for translations (path, "lang:TAG") -> (the files' modification times, Bank)."""
    from ..config import bank_cache_file

    file = bank_cache_file()
    if file is None:
        return {}
    try:
        with file.open("rb") as fh:
            banks = pickle.load(fh)  # written by this package's serve, in a private folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return {}
    return banks if isinstance(banks, dict) else {}


def write_parsed_banks(paths: Iterable[str | Path], file: Path) -> int:
    """Parse each bank once and keep them in `file` for the kernels of `workbook serve`
    (keyed by path and modification time, so an edited bank is parsed again), with its
    translation into every language whose file lies beside it (keyed by path and language,
    checked against the modification times of the files read). Returns how many banks were
    kept (translations not counted); a bank or translation that does not load is left to
    the page that needs it."""
    from .translations import available_languages, parse_translated, serve_key

    banks: dict[tuple[str, Any], Any] = {}
    for path in paths:
        p = Path(path).resolve()
        try:
            banks[(str(p), p.stat().st_mtime)] = bank = load_bank(p)
        except (BankError, OSError):
            continue
        for tag in available_languages(p):
            if tag == bank.bank.language:
                continue
            try:
                banks[serve_key(p, tag)] = parse_translated(p, tag)
            except (BankError, OSError):
                continue
    from ..files import write_atomic

    write_atomic(file, pickle.dumps(banks, protocol=pickle.HIGHEST_PROTOCOL))
    return sum(1 for value in banks.values() if isinstance(value, Bank))


def load_bank(path: str | Path | None = None, lang: str | None = None) -> Bank:
    """Load and validate a question bank (default: the shipped one or `$WORKBOOK_BANK`).

    With `lang` (a BCP 47 tag such as "de"), every text of the bank (lists, questions, help,
    anchors, form profiles, readiness checks) is replaced by the checked translation in
    `<bank stem>.<lang>.yaml` beside it; ids, scales, weights and structure stay the same.
    None, "en" or the bank's own language give the bank as written. An unknown language is
    a BankError naming the languages available (bank_translations.available_languages)."""
    p = Path(path) if path is not None else default_bank_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = -1.0
    bank = _load_cached(str(p), mtime)
    if lang is None:
        return bank
    from .translations import translated_bank

    return translated_bank(p, bank, lang)
