"""The format of a translation file, as pydantic models: what it translates (bank, version,
language) and the text of every list, question, anchor, form profile, readiness check and role
word; `parse_translation` checks the shape and reports every problem with its place.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ...exceptions import BankError, Problem

#: A BCP 47 language tag as the workbook uses them: `de`, `fr`, `es`, `pt-BR`, `zh-Hant`.
TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
#: Where the format of a translation file is described (named in the fixes).
DOC = "docs/languages.md"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TranslationInfo(_Strict):
    """What the file translates: the bank (id and version) and the language."""

    bank: str
    bank_version: str
    language: str = Field(pattern=TAG)
    language_name: Text


class BankTitle(_Strict):
    title: Text


class ListText(_Strict):
    title: Text
    description: Text | None = None
    next_step: Text | None = None


class QuestionText(_Strict):
    text: Text
    short: Text | None = None
    help: Text | None = None
    next_step: Text | None = None
    weight_note: Text | None = None
    anchors: dict[int, Text]


class ProfileText(_Strict):
    summary: Text
    next_steps: list[Text] = Field(default_factory=list)


class FormsText(_Strict):
    profiles: dict[str, ProfileText]


class ItemText(_Strict):
    label: Text
    step: Text


class StepText(_Strict):
    step: Text


class ReadinessText(_Strict):
    items: dict[str, ItemText]
    sponsor_match: StepText | None = None
    hobby: StepText | None = None
    trust: StepText | None = None


class Translation(_Strict):
    """One translation file, as written (checked against its bank by `check_translation`)."""

    translation: TranslationInfo
    bank: BankTitle
    lists: dict[str, ListText]
    questions: dict[str, QuestionText]
    forms: FormsText | None = None
    readiness: ReadinessText | None = None
    role_levels: dict[int, list[Text]] | None = None


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)


def parse_translation(raw: Any, file: str) -> Translation:
    """Validate the shape of a translation file (keys, types, no empty text)."""
    if not isinstance(raw, dict):
        raise BankError(Problem("the file does not hold a YAML mapping.", file=file,
                                fix=f"start from the format in {DOC}."))
    try:
        return Translation.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            fix: str | None = None
            if err["type"] == "extra_forbidden":
                msg = f"unknown {'key' if len(loc) > 1 else 'section'} '{loc[-1]}'"
                loc = loc[:-1]
                fix = f"remove it or check its spelling against {DOC}."
            elif msg == "the text is empty":
                fix = "write the translation, or remove the key where the bank has no text."
            elif err["type"] == "missing":
                msg = "is required but missing"
                fix = f"add it (see {DOC})."
            elif err["type"] == "int_parsing" and len(loc) >= 4 and loc[2] == "anchors":
                msg = "an anchor's key must be a scale point (a whole number)"
                fix = "key each anchor by its raw scale point, as the bank does."
            where = _where(loc)
            problems.append(Problem(f"{where}: {msg}." if where else f"{msg[0].upper()}{msg[1:]}.",
                                    file=file, fix=fix))
        raise BankError(problems) from None
