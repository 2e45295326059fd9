"""Moving engagements between stores: a JSON document with the engagement, its rounds (and
who is invited to each, with their link tokens), its respondents, every answer ever given and
the actions with their history, and the checks on reading one back.

Format version 2 adds `rounds`, `actions` and each answer's `round`; a version-1 file (no
rounds) reads as one baseline round."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..domain import SLUG_PATTERN, Side, is_dont_know
from ..exceptions import AnswersFileError, Problem
from ..store import Respondent, Store
from .addresses import normalise_email

FORMAT = "alliance-workbook-engagement"
FORMAT_VERSION = 2


def engagement_to_json(store: Store, engagement_id: str) -> dict[str, Any]:
    """Everything needed to restore an engagement elsewhere, history included."""
    e = store.engagement(engagement_id)
    hist = store.history(engagement_id)
    rounds = store.rounds(engagement_id)
    members = {r.id: store.respondents(engagement_id, r.id) for r in rounds}
    baseline = {p.id: p.token for p in members.get(rounds[0].id, [])} if rounds else {}
    people: dict[str, Respondent] = {}
    for rid in members:
        for p in members[rid]:
            people.setdefault(p.id, p)
    for p in store.respondents(engagement_id, rounds[-1].id if rounds else None):
        people.setdefault(p.id, p)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engagement": {"id": e.id, "title": e.title, "host_org": e.host_org,
                       "partner_org": e.partner_org, "created_at": e.created_at.isoformat(),
                       "bank_version": e.bank_version, "revealed": e.revealed,
                       "anonymous": e.anonymous, "expectations": e.expectations,
                       "lang": e.lang},
        "respondents": [{"id": r.id, "name": r.name, "side": r.side, "role": r.role,
                         "token": baseline.get(r.id), **({"email": r.email} if r.email else {}),
                         **({"lang": r.lang} if r.lang else {})}
                        for r in sorted(people.values(), key=lambda p: (p.side, p.id))],
        "rounds": [{"id": r.id, "position": r.position, "bank": r.bank, "title": r.title,
                    "opened_at": r.opened_at.isoformat(),
                    "members": [{"respondent": p.id, "token": p.token} for p in members[r.id]]}
                   for r in rounds],
        "actions": [{"id": a.id, "text": a.text, "owner": a.owner, "due": a.due.isoformat(),
                     "status": a.status, "round": a.round, "list_id": a.list_id,
                     "flag": a.flag,
                     "created_at": a.created_at.isoformat() if a.created_at else None,
                     "history": [{"status": h.status, "at": h.at.isoformat(), "note": h.note}
                                 for h in a.history]}
                    for a in store.actions(engagement_id)],
        "answers": [{"respondent": a.respondent, "question_id": a.question_id,
                     "value": None if is_dont_know(a) else int(a.value),
                     "dont_know": bool(a.dont_know), "comment": a.comment,
                     "answered_at": a.answered_at.isoformat(), "source": a.source,
                     "about": a.about, "round": a.round,
                     **({"lang": a.comment_lang} if isinstance(a.comment_lang, str) else {})}
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
    lang: str = "en"  # optional (version 4): a missing field keeps English, as before


class _Resp(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str
    side: Side
    role: str = ""
    token: str | None = None
    email: str | None = None  # optional (version 4): a missing field means "not known"
    lang: str | None = None  # optional (version 4): a missing field means "not set"


class _Answer(_Strict):
    respondent: str
    question_id: str
    value: int | None
    dont_know: bool
    comment: str = ""
    answered_at: str
    source: str = "app"
    lang: str | None = None  # optional (version 4): the language the answer was given in
    about: Literal["self", "other-side"] = "self"
    round: str = Field(default="baseline", pattern=SLUG_PATTERN)

    @field_validator("value", mode="before")
    @classmethod
    def _int(cls, v: Any) -> Any:
        if isinstance(v, bool) or (v is not None and not isinstance(v, int)):
            raise ValueError("must be a whole number or null")
        return v


class _Member(_Strict):
    respondent: str = Field(pattern=SLUG_PATTERN)
    token: str | None = None


class _Round(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    position: int = Field(ge=0)
    bank: str = ""
    title: str = ""
    opened_at: str
    members: list[_Member] = Field(default_factory=list)


class _Event(_Strict):
    status: Literal["open", "done", "dropped"]
    at: str
    note: str = ""


class _Action(_Strict):
    id: int = Field(ge=1)
    text: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due: date
    status: Literal["open", "done", "dropped"]
    round: str = Field(default="baseline", pattern=SLUG_PATTERN)
    list_id: str | None = None
    flag: str | None = None
    created_at: str
    history: list[_Event] = Field(default_factory=list)


class _Doc(_Strict):
    format: Literal["alliance-workbook-engagement"]
    format_version: int = Field(ge=1, le=FORMAT_VERSION)
    engagement: _Eng
    respondents: list[_Resp]
    answers: list[_Answer]
    rounds: list[_Round] = Field(default_factory=list)
    actions: list[_Action] = Field(default_factory=list)


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
        stray += sorted({m.respondent for r in checked.rounds for m in r.members} - people)
        if stray:
            raise AnswersFileError(Problem(
                f"answers or rounds name respondent(s) not listed in the file: "
                f"{', '.join(dict.fromkeys(stray))}.", file=file,
                fix="export the engagement again."))
        for j, person in enumerate(checked.respondents):
            try:
                person.email = normalise_email(person.email)
            except ValueError as exc:
                raise AnswersFileError(Problem(
                    f"engagement #{i + 1}, field 'respondents.{j}.email': the e-mail address "
                    f"{person.email!r} of '{person.id}' is not valid: {exc}", file=file,
                    column="email", fix="correct the address in the file, or remove the "
                    "field when it is not known.")) from None
        _check_languages(checked, i, file)
        round_ids = [r.id for r in checked.rounds] or ["baseline"]
        unknown = sorted(({a.round for a in checked.answers}
                          | {a.round for a in checked.actions}) - set(round_ids))
        if unknown or len(set(round_ids)) != len(round_ids):
            raise AnswersFileError(Problem(
                f"engagement #{i + 1}: rounds {', '.join(unknown) or '(repeated)'} are not "
                "listed once in 'rounds'.", file=file, fix="export the engagement again."))
        doc_out = checked.model_dump()
        for act in doc_out["actions"]:
            act["due"] = act["due"].isoformat()
        out.append(doc_out)
    if not out:
        raise AnswersFileError(Problem("the file holds no engagement.", file=file,
                                       fix="use a file written by 'workbook export'."))
    return out


def _check_languages(doc: _Doc, i: int, file: str) -> None:
    """Every language tag of one exported engagement is one the workbook speaks (normalized
    in place); a bad one is an error naming the field and the fix."""
    from ..i18n import check_language

    def checked(tag: str, field: str) -> str:
        return check_language(tag, where=Problem("", file=file, column=(
            field if i == 0 else f"engagements.{i}.{field}")))

    doc.engagement.lang = checked(doc.engagement.lang, "engagement.lang")
    for j, person in enumerate(doc.respondents):
        if person.lang:
            person.lang = checked(person.lang, f"respondents.{j}.lang")
    for j, answer in enumerate(doc.answers):
        if answer.lang:
            answer.lang = checked(answer.lang, f"answers.{j}.lang")
