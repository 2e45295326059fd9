"""Moving engagements between stores: a JSON document with the engagement, its respondents
(and their link tokens) and every answer ever given, and the checks on reading one back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .domain import SLUG_PATTERN
from .exceptions import AnswersFileError, Problem
from .store import Store

FORMAT = "alliance-workbook-engagement"
FORMAT_VERSION = 1


def engagement_to_json(store: Store, engagement_id: str) -> dict[str, Any]:
    """Everything needed to restore an engagement elsewhere, history included."""
    e = store.engagement(engagement_id)
    hist = store.history(engagement_id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engagement": {"id": e.id, "title": e.title, "host_org": e.host_org,
                       "partner_org": e.partner_org, "created_at": e.created_at.isoformat(),
                       "bank_version": e.bank_version, "revealed": e.revealed,
                       "anonymous": e.anonymous, "expectations": e.expectations},
        "respondents": [{"id": r.id, "name": r.name, "side": r.side, "role": r.role,
                         "token": r.token}
                        for r in store.respondents(engagement_id)],
        "answers": [{"respondent": a.respondent, "question_id": a.question_id,
                     "value": None if a.dont_know or a.value is None or str(a.value) == "<NA>"
                     else int(a.value),
                     "dont_know": bool(a.dont_know), "comment": a.comment,
                     "answered_at": a.answered_at.isoformat(), "source": a.source,
                     "about": a.about}
                    for a in hist.itertuples(index=False)],
    }


def export_all(store: Store) -> dict[str, Any]:
    """Every engagement of the store in one document (a backup)."""
    ids = list(store.engagements()["engagement"])
    return {"format": FORMAT + "s", "format_version": FORMAT_VERSION,
            "engagements": [engagement_to_json(store, e) for e in ids]}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Eng(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    title: str
    host_org: str
    partner_org: str
    created_at: str
    bank_version: str | None = None
    revealed: bool = False
    anonymous: bool = False
    expectations: bool = True


class _Resp(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    side: Literal["host", "partner"]
    role: str = ""
    token: str | None = None


class _Answer(_Strict):
    respondent: str
    question_id: str
    value: int | None
    dont_know: bool
    comment: str = ""
    answered_at: str
    source: str = "app"
    about: Literal["self", "other-side"] = "self"

    @field_validator("value", mode="before")
    @classmethod
    def _int(cls, v: Any) -> Any:
        if isinstance(v, bool) or (v is not None and not isinstance(v, int)):
            raise ValueError("must be a whole number or null")
        return v


class _Doc(_Strict):
    format: Literal["alliance-workbook-engagement"]
    format_version: int
    engagement: _Eng
    respondents: list[_Resp]
    answers: list[_Answer]


def read_engagement_json(path: Path) -> list[dict[str, Any]]:
    """Read and check an export (one engagement or a whole-store backup)."""
    file = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswersFileError(Problem("the file does not exist.", file=file)) from None
    except UnicodeDecodeError:
        raise AnswersFileError(Problem("the file is not UTF-8 text.", file=file,
                                       fix="use a file written by 'workbook export'.")) from None
    except json.JSONDecodeError as exc:
        raise AnswersFileError(Problem(f"the JSON cannot be read ({exc.msg}).", file=file,
                                       row=exc.lineno, fix="use a file written by "
                                       "'workbook export --format json'.")) from None
    docs = raw.get("engagements") if isinstance(raw, dict) and "engagements" in raw else [raw]
    out = []
    for i, doc in enumerate(docs if isinstance(docs, list) else []):
        try:
            checked = _Doc.model_validate(doc)
        except ValidationError as exc:
            problems = [Problem(f"engagement #{i + 1}, field "
                                f"'{'.'.join(str(p) for p in err['loc'])}': {err['msg']}.",
                                file=file, fix="use a file written by 'workbook export "
                                "--format json'.") for err in exc.errors()[:20]]
            raise AnswersFileError(problems) from None
        people = {r.id for r in checked.respondents}
        stray = sorted({a.respondent for a in checked.answers} - people)
        if stray:
            raise AnswersFileError(Problem(
                f"answers name respondent(s) not listed in the file: {', '.join(stray)}.",
                file=file, fix="export the engagement again."))
        out.append(checked.model_dump())
    if not out:
        raise AnswersFileError(Problem("the file holds no engagement.", file=file,
                                       fix="use a file written by 'workbook export'."))
    return out
