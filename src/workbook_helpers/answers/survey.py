"""Survey-tool exports (one row per respondent, one column per question) read through a
mapping file into the long answers frame that `answers_csv` produces.

The mapping (YAML, see templates/imports/; read by `answers.survey_map`) says which columns
hold the respondent's id or e-mail, name, side and role (or constants), which column answers
which question id (and whether it is the respondent's own answer or what they expect of the
other side), and how answer labels map to scale points. Reading is all or nothing: every
problem names the file, the row as the spreadsheet numbers it, the column and the fix;
nothing is written here.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..bank import Bank, Question
from ..domain import SIDES
from ..exceptions import AnswersFileError, Problem
from ..ids import is_slug
from .checks import DONT_KNOW
from .csv_file import decode_utf8
from .survey_map import Cell, Problems, QuestionMap, SurveyMap, load_map


@dataclass
class ImportPlan:
    """What an import would write: the long answers frame and what was left out and why."""

    answers: pd.DataFrame
    respondents: pd.DataFrame
    skipped: list[tuple[int, str]] = field(default_factory=list)
    empty_cells: int = 0

    def summary(self, bank: Bank) -> dict[str, Any]:
        """Counts for `--dry-run`: respondents, answers per list, don't-knows, skipped rows."""
        a = self.answers
        lists = a["question_id"].map(lambda q: bank.question_map[q].list)
        return {
            "engagements": sorted(set(a["engagement"])),
            "respondents": self.respondents.to_dict("records"),
            "answers": int((a["about"] == "self").sum()),
            "expectations": int((a["about"] == "other-side").sum()),
            "dont_know": int(a["dont_know"].sum()),
            "empty_cells": self.empty_cells,
            "answers_per_list": {k: int(v) for k, v in
                                 lists[a["about"] == "self"].value_counts().sort_index().items()},
            "skipped_rows": [{"row": r, "reason": why} for r, why in self.skipped],
        }


def email_slug(email: str, taken: dict[str, str]) -> str:
    """A respondent id from an e-mail address; distinct addresses always get distinct ids."""
    text = unicodedata.normalize("NFKD", email.strip().lower())
    text = text.encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:55].rstrip("-") or "respondent"
    slug = base
    if taken.get(slug, email) != email:
        slug = f"{base}-{hashlib.sha1(email.encode()).hexdigest()[:6]}"
    taken[slug] = email
    return slug


def _read_table(path: Path, m: SurveyMap) -> tuple[pd.DataFrame, list[int]]:
    """The export's data rows as text, with the spreadsheet number of each row."""
    file = str(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            sheet: str | int = m.sheet if m.sheet is not None else 0
            grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str,
                                 engine="openpyxl")
        else:
            text = decode_utf8(path.read_bytes(), file)
            grid = pd.read_csv(io.StringIO(text), header=None, dtype=str,
                               keep_default_na=False, skip_blank_lines=False)
    except FileNotFoundError:
        raise AnswersFileError(Problem("the file does not exist.", file=file,
                                       fix="check the path.")) from None
    except ValueError as exc:
        raise AnswersFileError(Problem(f"the file cannot be read ({exc}).", file=file,
                                       fix="export CSV (UTF-8) or XLSX from the survey tool."
                                       )) from None
    grid = grid.fillna("").astype(str)
    if len(grid) < m.header_row:
        raise AnswersFileError(Problem(f"the file has no header row {m.header_row}.", file=file,
                                       row=m.header_row, fix="check 'header_row' in the map."))
    header = [str(h).strip() for h in grid.iloc[m.header_row - 1]]
    numbers = [i + 1 for i in range(m.header_row, len(grid))
               if i + 1 not in m.skip_rows]
    body = grid.iloc[[n - 1 for n in numbers]]
    body.columns = pd.Index(header)
    keep = [n for n, (_, r) in zip(numbers, body.iterrows(), strict=True)
            if any(str(c).strip() for c in r)]
    body = body.loc[[body.index[numbers.index(n)] for n in keep]]
    if body.columns.duplicated().any():
        dup = sorted(set(body.columns[body.columns.duplicated()]))
        raise AnswersFileError(Problem(f"column(s) {', '.join(map(repr, dup))} appear more "
                                       "than once.", file=file, row=m.header_row,
                                       fix="rename them in the export or choose other "
                                       "columns in the map."))
    return body.reset_index(drop=True), keep


def _point(q: Question, cell: str, labels: dict[str, int] | None,
           dk: set[str]) -> int | str | None:
    """A cell as a scale point, None for don't know, or an error text."""
    text = cell.strip()
    low = text.lower()
    if low in dk:
        return None
    if labels:
        for label, point in labels.items():
            if label.strip().lower() == low:
                return point
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        v = int(float(text))
        return v if q.scale.min <= v <= q.scale.max else \
            f"{v} is off the scale {q.scale.min}-{q.scale.max}"
    for point, anchor in q.scale.anchors.items():
        if anchor.strip().lower().rstrip(".") == low.rstrip("."):
            return point
    return f"{text!r} matches no label, number or anchor of '{q.id}'"


def _address(email: str, problems: Problems, file: str, row: int, cell: Cell | None) -> str:
    """The respondent's address from the mapped e-mail cell, checked ("" when none)."""
    from .addresses import normalise_email

    try:
        return normalise_email(email) or ""
    except ValueError as exc:
        problems.add(f"the e-mail address {email!r} is not valid: {exc}", file, row,
                     cell.column if cell else None,
                     fix="correct the address in the export, or map the respondent with "
                         "'id' and leave 'email' out.")
        return ""


def plan_import(path: Path, map_path: Path, bank: Bank) -> ImportPlan:
    """Read a survey export through its mapping; raise AnswersFileError listing problems."""
    m = load_map(map_path, bank)
    file = str(path)
    body, rows = _read_table(path, m)
    problems = Problems()
    _column_problems(m, body, map_path, file, problems)
    problems.raise_if_any()
    reader = _RowReader(m, bank, file, problems)
    for row_no, (_, r) in zip(rows, body.iterrows(), strict=True):
        reader.read(row_no, r)
    problems.raise_if_any()
    frame = pd.DataFrame(reader.out, columns=["engagement", "respondent", "side", "role",
                                              "name", "question_id", "value", "dont_know",
                                              "comment", "answered_at", "about", "row",
                                              "email"])
    frame["value"] = frame["value"].astype("Int64")
    frame["dont_know"] = frame["dont_know"].astype(bool)
    dup = frame.duplicated(["engagement", "respondent", "question_id", "about"], keep=False)
    if dup.any():
        first = frame[dup].iloc[0]
        raise AnswersFileError(Problem(
            f"two columns of the map answer '{first['question_id']}' ({first['about']}) for "
            "the same respondent.", file=str(map_path), column="questions",
            fix="map each question (and about) to one column only."))
    respondents = pd.DataFrame([{k: v for k, v in p.items() if k not in ("row", "email")}
                                for p in reader.people.values()],
                               columns=["engagement", "respondent", "side", "name", "role"])
    if not len(frame):
        raise AnswersFileError(Problem("no answers to import.", file=file,
                                       fix="check the map's columns and the skip rules."))
    return ImportPlan(frame, respondents, reader.skipped, reader.empty)


def _column_problems(m: SurveyMap, body: pd.DataFrame, map_path: Path, file: str,
                     problems: Problems) -> None:
    """Every column the map names is in the export."""
    needed = [f.column for f in (m.engagement, m.respondent.id, m.respondent.email,
                                 m.respondent.name, m.respondent.side, m.respondent.role)
              if f is not None and f.column is not None]
    needed += [q.column for q in m.questions] + [s.column for s in m.skip]
    for col in dict.fromkeys(needed):
        if col not in body.columns:
            problems.add(f"the column '{col}' named in {map_path.name} is not in the file.",
                         file, row=m.header_row, column=col,
                         fix="correct the column name in the map (it must match the header "
                             "exactly), or export that question.")


def _cell(f: Cell | None, r: pd.Series, default: str = "") -> str:
    """A respondent attribute of one row: its mapped column's text (or the constant),
    translated through the cell's `values`."""
    if f is None:
        return default
    raw = f.value if f.value is not None else str(r[f.column]).strip()
    return f.values.get(raw, raw) if f.values else raw


class _RowReader:
    """Reads the export row by row: who answers (checked), then each mapped answer."""

    def __init__(self, m: SurveyMap, bank: Bank, file: str, problems: Problems) -> None:
        self.m, self.bank, self.file, self.problems = m, bank, file, problems
        self.dk = {x.strip().lower() for x in [*DONT_KNOW, *m.dont_know]} - {""}
        self.taken: dict[str, str] = {}
        self.out: list[dict[str, Any]] = []
        self.people: dict[tuple[str, str], dict[str, str]] = {}
        self.skipped: list[tuple[int, str]] = []
        self.empty = 0

    def read(self, row_no: int, r: pd.Series) -> None:
        """One row of the export: skipped (with the reason), or its respondent and answers."""
        m = self.m
        why = next((s.reason for s in m.skip if str(r[s.column]).strip() in s.values), None)
        if why:
            self.skipped.append((row_no, why))
            return
        key = self._respondent(row_no, r)
        if key is None:
            self.skipped.append((row_no, "no respondent id or e-mail"))
            return
        for qm in m.questions:
            self._answer(row_no, r, key, qm)

    def _respondent(self, row_no: int, r: pd.Series) -> tuple[str, str] | None:
        """The row's (engagement, respondent id), with its checks; None without an id."""
        m, file, problems = self.m, self.file, self.problems
        eng = _cell(m.engagement, r)
        email = _cell(m.respondent.email, r)
        address = _address(email, problems, file, row_no, m.respondent.email)
        if m.respondent.id is not None:
            rid = _cell(m.respondent.id, r).lower()
            rcol = m.respondent.id.column
        else:
            rcol = m.respondent.email.column if m.respondent.email else None
            rid = email_slug(email, self.taken) if email else ""
        if not rid:
            return None
        if not is_slug(eng):
            problems.add(f"{eng!r} is not a valid engagement id.", file, row_no,
                         m.engagement.column, fix="use a slug such as acme-globex-2026 "
                         "(the map's 'engagement').")
        if not is_slug(rid):
            problems.add(f"{rid!r} is not a valid respondent id.", file, row_no, rcol,
                         fix="use lowercase letters, digits and hyphens, or map an e-mail "
                         "column with 'email'.")
        side = _cell(m.respondent.side, r).lower()
        if side not in SIDES:
            problems.add(f"side {side!r} is neither host nor partner.", file, row_no,
                         m.respondent.side.column,
                         fix="map this answer under respondent.side.values, e.g. "
                             f"'{side}': host.")
        key = (eng, rid)
        if key in self.people and self.people[key]["row"] != str(row_no):
            problems.add(f"respondent '{rid}' appears again (first in row "
                         f"{self.people[key]['row']}).", file, row_no, rcol,
                         fix="keep one response per person (drop the older one in the "
                             "survey tool), or map a different id column.")
        self.people.setdefault(key, {"row": str(row_no), "engagement": eng, "respondent": rid,
                                     "side": side, "name": _cell(m.respondent.name, r) or rid,
                                     "role": _cell(m.respondent.role, r), "email": address})
        return key

    def _answer(self, row_no: int, r: pd.Series, key: tuple[str, str],
                qm: QuestionMap) -> None:
        """One mapped cell of the row as an answer (an empty cell is counted, not kept)."""
        q = self.bank.question_map[qm.question]
        cell = str(r[qm.column])
        if not cell.strip():
            self.empty += 1
            return
        labels = self.m.labels.get(qm.labels) if isinstance(qm.labels, str) else qm.labels
        point = _point(q, cell, labels, self.dk)
        if isinstance(point, str):
            self.problems.add(f"answer {point}.", self.file, row_no, qm.column,
                              fix="add the label to the map's 'labels' (label: point), or "
                                  "list it under 'dont_know'.")
            return
        person = self.people[key]
        eng, rid = key
        self.out.append({"engagement": eng, "respondent": rid, "side": person["side"],
                         "role": person["role"], "name": person["name"],
                         "question_id": q.id, "value": point, "dont_know": point is None,
                         "comment": "", "answered_at": "", "about": qm.about, "row": row_no,
                         "email": person["email"]})
