"""The mapping file of a survey import (YAML, see templates/imports/): which columns hold the
respondent's id or e-mail, name, side and role (or constants), which column answers which
question (own answer or expectation of the other side), how answer labels map to scale points,
and which rows to skip. `load_map` checks it against the bank and names the line and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..bank import Bank
from ..domain import SIDES
from ..exceptions import AnswersFileError, Problem
from .checks import MAX_PROBLEMS

MAP_FORMAT = "alliance-workbook-survey-map"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cell(_Strict):
    """Where one respondent attribute comes from: a column, or a constant."""

    column: str | None = None
    value: str | None = None
    values: dict[str, str] = Field(default_factory=dict)  # cell text -> stored text

    @model_validator(mode="after")
    def _one_source(self) -> Cell:
        if (self.column is None) == (self.value is None):
            raise ValueError("give either 'column' or 'value'")
        return self


class RespondentMap(_Strict):
    id: Cell | None = None
    email: Cell | None = None
    name: Cell | None = None
    side: Cell
    role: Cell | None = None

    @model_validator(mode="after")
    def _some_key(self) -> RespondentMap:
        if self.id is None and self.email is None:
            raise ValueError("name the respondent's 'id' or 'email' column")
        return self


class QuestionMap(_Strict):
    column: str
    question: str
    about: Literal["self", "other-side"] = "self"
    labels: str | dict[str, int] | None = None


class Skip(_Strict):
    column: str
    values: list[str]
    reason: str


class SurveyMap(_Strict):
    format: Literal["alliance-workbook-survey-map"]
    version: int = 1
    tool: str = ""
    engagement: Cell
    header_row: int = Field(default=1, ge=1)
    skip_rows: list[int] = Field(default_factory=list)
    sheet: str | None = None
    respondent: RespondentMap
    labels: dict[str, dict[str, int]] = Field(default_factory=dict)
    dont_know: list[str] = Field(default_factory=list)
    skip: list[Skip] = Field(default_factory=list)
    questions: list[QuestionMap] = Field(min_length=1)


class Problems:
    """The problems of a survey import, in the order found (at most MAX_PROBLEMS)."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, message: str, file: str, row: int | None = None, column: str | None = None,
            fix: str | None = None) -> None:
        """Note one problem (past MAX_PROBLEMS it is left out)."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(message, file=file, row=row, column=column, fix=fix))

    def raise_if_any(self) -> None:
        """Raise AnswersFileError with every problem noted so far."""
        if self.items:
            raise AnswersFileError(self.items)


def load_map(path: Path, bank: Bank) -> SurveyMap:
    """Read and check a mapping file against the bank."""
    file = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswersFileError(Problem("the mapping file does not exist.", file=file,
                                       fix="check the path given with --map.")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AnswersFileError(Problem(
            f"the YAML cannot be read ({getattr(exc, 'problem', exc)}).", file=file,
            row=mark.line + 1 if mark is not None else None,
            fix="check indentation and quote text containing ':'.")) from None
    try:
        m = SurveyMap.model_validate(raw)
    except ValidationError as exc:
        raise AnswersFileError([Problem(
            f"field '{'.'.join(str(p) for p in err['loc'])}': "
            f"{err['msg'].removeprefix('Value error, ')}.", file=file,
            fix="see templates/imports/ for complete examples.")
            for err in exc.errors()[:MAX_PROBLEMS]]) from None
    problems = Problems()
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int | None:
        return next((i + 1 for i, ln in enumerate(lines) if text in ln), None)

    for qm in m.questions:
        q = bank.question_map.get(qm.question)
        if q is None:
            problems.add(f"question id '{qm.question}' (for column '{qm.column}') is not in "
                         f"the bank.", file, row=line_of(qm.question), column="question",
                         fix="use an id listed by 'workbook questions'.")
            continue
        labels = m.labels.get(qm.labels) if isinstance(qm.labels, str) else qm.labels
        if isinstance(qm.labels, str) and labels is None:
            problems.add(f"label set '{qm.labels}' is not defined under 'labels'.", file,
                         row=line_of(f"labels: {qm.labels}"), column="labels",
                         fix=f"define it, or use one of: {', '.join(m.labels) or 'none'}.")
            continue
        for label, point in (labels or {}).items():
            if not q.scale.min <= point <= q.scale.max:
                problems.add(f"label '{label}' maps to {point}, which is not a point of "
                             f"'{q.id}' ({q.scale.min}-{q.scale.max}).", file,
                             row=line_of(label), column="labels",
                             fix=f"map it to a point from {q.scale.min} to {q.scale.max}.")
    side = m.respondent.side
    for stored in [*side.values.values(), *([side.value] if side.value else [])]:
        if stored not in SIDES:
            problems.add(f"side '{stored}' is not host or partner.", file, row=line_of(stored),
                         column="side", fix="map each value to 'host' or 'partner'.")
    problems.raise_if_any()
    return m
