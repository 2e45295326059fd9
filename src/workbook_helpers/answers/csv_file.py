"""Reading and writing the answers CSV of the contracts, with located, fixable errors.

`read_answers_csv` returns a validated frame (one row per given answer) or raises
`AnswersFileError` listing every problem by file, spreadsheet row (header = row 1) and column.
Nothing is written anywhere while reading. The checks themselves live in `answers.checks`.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..bank import Bank
from ..domain import ABOUT, SIDES
from ..exceptions import AnswersFileError, Problem
from .checks import (
    DONT_KNOW,
    MAX_PROBLEMS,
    NOT_APPLICABLE,
    Collector,
    validate_answers,
    validate_by_bank,
)

COLUMNS = ["engagement", "respondent", "side", "role", "question_id", "value", "comment"]
REQUIRED = ["engagement", "respondent", "side", "question_id", "value"]
OPTIONAL = ["role", "comment", "answered_at", "name", "about", "round", "email", "lang",
            "comment_lang"]
__all__ = ["ABOUT", "COLUMNS", "DONT_KNOW", "MAX_PROBLEMS", "NOT_APPLICABLE", "OPTIONAL",
           "REQUIRED", "SIDES", "answers_to_csv", "not_applicable", "read_answers_csv",
           "validate_answers"]


def decode_utf8(data: bytes, file: str) -> str:
    """An exported file's bytes as text (UTF-8, with or without BOM); anything else is an
    AnswersFileError naming the row of the first byte that cannot be read."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise AnswersFileError(Problem(
            f"the file is not UTF-8 text (byte {exc.start} cannot be read).", file=file, row=row,
            fix="save the file as 'CSV UTF-8' in your spreadsheet or survey tool.")) from None


def _parse(text: str, file: str) -> pd.DataFrame:
    if not text.strip():
        raise AnswersFileError(Problem(
            "the file is empty.", file=file,
            fix="export the answers with a header row: " + ",".join(COLUMNS) + "."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [r for r in reader]
    except csv.Error as exc:
        raise AnswersFileError(Problem(f"the CSV cannot be read ({exc}).", file=file,
                                       row=reader.line_num,
                                       fix="check the quoting on that row.")) from None
    header = [h.strip().lower() for h in rows[0]]
    body = rows[1:]
    problems = Collector(file)
    missing = [c for c in REQUIRED if c not in header]
    for col in missing:
        close = difflib.get_close_matches(col, [h for h in header if h not in COLUMNS], n=1)
        hint = f" (found '{close[0]}': rename it to '{col}')" if close else ""
        problems.add(f"the required column '{col}' is missing{hint}.", row=1, column=col,
                     fix="the header must name: " + ", ".join(REQUIRED)
                     + " (role and comment are optional).")
    dupes = sorted({h for h in header if header.count(h) > 1 and h})
    for col in dupes:
        problems.add(f"the column '{col}' appears more than once.", row=1, column=col,
                     fix="keep one column of that name.")
    problems.raise_if_any()
    width = len(header)
    for i, r in enumerate(body):
        if len(r) != width and any(cell.strip() for cell in r):
            problems.add(f"the row has {len(r)} cells but the header has {width}.", row=i + 2,
                         fix="check for an unquoted comma in a comment.")
    problems.raise_if_any()
    kept = [(i + 2, r) for i, r in enumerate(body) if any(cell.strip() for cell in r)]
    if not kept:
        raise AnswersFileError(Problem("the file has a header but no answers.", file=file,
                                       row=2, fix="add one row per respondent and question."))
    frame = pd.DataFrame([r for _, r in kept], columns=header, dtype=object)
    frame["row"] = [n for n, _ in kept]
    return frame


def _extra_columns(frame: pd.DataFrame) -> list[str]:
    known = set(COLUMNS) | set(OPTIONAL) | {"row"}
    return [c for c in frame.columns if c not in known]


def read_answers_csv(path: str | Path, bank: Bank,
                     bank_of: Callable[[str, str], Bank | None] | None = None
                     ) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate an answers CSV; return (answers, warnings). Raises AnswersFileError.

    `bank_of(engagement, round)` names the bank of a round the store knows (None: `bank`),
    so that a health-check round's rows are checked against the health-check questions.
    """
    p = Path(path)
    file = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise AnswersFileError(Problem("the file does not exist.", file=file,
                                       fix="check the path.")) from None
    except IsADirectoryError:
        raise AnswersFileError(Problem("this is a folder, not a CSV file.", file=file,
                                       fix="name the CSV file itself.")) from None
    frame = _parse(decode_utf8(data, file), file)
    warnings = [f"{file}: column '{c}' is not part of the answers format and is ignored."
                for c in _extra_columns(frame)]
    if bank_of is None:
        return validate_answers(frame, bank, file), warnings
    return validate_by_bank(frame, bank, file, bank_of), warnings


def answers_to_csv(answers: pd.DataFrame, history: bool = False) -> str:
    """Write answers in the contract's CSV format (with `answered_at` when `history`, with
    `about` when any row is an expectation of the other side, always with `round` when the
    answers know theirs (a file without it would go back into the engagement's latest
    round, whichever round it was exported from), and with `email`, `lang` (the
    respondent's language) and `comment_lang` (the language each answer was given in) when
    the frame carries them and any row has one)."""
    cols = [*COLUMNS, "answered_at"] if history else list(COLUMNS)
    out = answers.copy()
    if "about" in out.columns and out["about"].eq("other-side").any():
        cols.append("about")
    for optional in ("lang", "comment_lang", "round", "email"):
        if optional == "round":
            if "round" in out.columns:
                cols.append("round")
        elif optional in out.columns and out[optional].fillna("").astype(str).ne("").any():
            out[optional] = out[optional].fillna("").astype(str)  # when any row has one
            cols.append(optional)
    value = out["value"].astype("Int64").astype(str).replace({"<NA>": ""})
    out["value"] = value.where(~out["dont_know"].astype(bool), "dk")
    out.loc[not_applicable(out), "value"] = NOT_APPLICABLE
    out["comment"] = out["comment"].fillna("")
    if "answered_at" in out.columns:
        out["answered_at"] = out["answered_at"].astype(str)
    buf = io.StringIO()
    out[cols].to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def not_applicable(answers: pd.DataFrame) -> pd.Series:
    """Which rows are 'na' (the question does not apply to the respondent's side role).

    An explicit `not_applicable` column wins; without it an 'na' is a row with no value that
    is not a don't-know (how the store keeps it: no earlier version wrote that state).
    """
    if "not_applicable" in answers.columns:
        return answers["not_applicable"].fillna(False).astype(bool)
    return answers["value"].isna() & ~answers["dont_know"].astype(bool)
