"""The question bank: lists, questions with anchored scales, thresholds and type rules.

The bank is a YAML file that facilitators may edit; `load_bank` validates it and reports
every problem with the file name and the question id it concerns.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .config import default_bank_path
from .exceptions import BankError, Problem

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


class QuestionList(_Strict):
    id: str = Field(pattern=LIST_ID)
    title: str
    description: str = ""
    next_step: str | None = None


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
    help: str | None = None
    scale: Scale
    reverse: bool = False
    weight: float = 1.0
    source: str
    next_step: str | None = None

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

    def favourable(self, raw: int) -> float:
        """Position of a raw answer on 0-100, where 100 is the most favourable end."""
        span = self.scale.max - self.scale.min
        pos = (raw - self.scale.min) / span
        return 100.0 * (1.0 - pos if self.reverse else pos)


class Bound(_Strict):
    min: float | None = None
    max: float | None = None


class TypeRule(_Strict):
    type: RelationshipType
    when: dict[str, Bound] = Field(default_factory=dict)
    summary: str


class FitMapAxes(_Strict):
    share: list[str] = Field(default_factory=lambda: ["control", "risk_sharing"], min_length=1)
    importance: list[str] = Field(default_factory=lambda: ["strategic_fit", "priority"],
                                  min_length=1)


class RelationshipRules(_Strict):
    alliance_forms: list[RelationshipType]
    rules: list[TypeRule] = Field(min_length=1)
    axes: FitMapAxes = Field(default_factory=FitMapAxes)


class Bank(_Strict):
    bank: BankInfo
    sources: dict[str, Source]
    thresholds: Thresholds
    lists: list[QuestionList] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    relationship_types: RelationshipRules

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
    def list_map(self) -> dict[str, QuestionList]:
        """Lists by id."""
        return {lst.id: lst for lst in self.lists}

    def list_ids(self) -> list[str]:
        """List ids in the order respondents see them."""
        return [lst.id for lst in self.lists]

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
                "source": q.source,
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
    for rule in data.relationship_types.rules:
        for lid in rule.when:
            if lid not in seen_lists:
                problems.append(Problem(
                    f"relationship rule '{rule.type}' refers to unknown list '{lid}'.",
                    file=file, fix=f"use one of: {', '.join(list_ids)}."))
    axes = data.relationship_types.axes
    for lid in [*axes.share, *axes.importance]:
        if lid not in seen_lists:
            problems.append(Problem(
                f"fit-map axis refers to unknown list '{lid}'.", file=file,
                fix=f"use lists of the bank: {', '.join(list_ids)}."))
    if data.relationship_types.rules[-1].when:
        problems.append(Problem(
            "the last relationship rule must have an empty 'when' (the fallback).",
            file=file, fix="end the rules with e.g. {type: other, when: {}, summary: ...}."))
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


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Bank:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(Problem("the question bank file does not exist.", file=path,
                                fix="check the path given with --bank or WORKBOOK_BANK.")) from None
    except UnicodeDecodeError:
        raise BankError(Problem("the file is not UTF-8 text.", file=path,
                                fix="save it as UTF-8.")) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise BankError(Problem(f"the YAML cannot be read ({getattr(exc, 'problem', exc)}).",
                                file=path, row=row,
                                fix="check indentation and quote text containing ':'.")) from None
    return parse_bank(raw, path)


def load_bank(path: str | Path | None = None) -> Bank:
    """Load and validate a question bank (default: the shipped one or `$WORKBOOK_BANK`)."""
    p = Path(path) if path is not None else default_bank_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _load_cached(str(p), mtime)
