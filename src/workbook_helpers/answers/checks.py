"""Checking answers against the contracts and the question bank: ids, sides, questions, values
on the scale, don't-knows and 'na's, one side per respondent, one answer per question (or a
history with times), addresses and languages. Every problem names the file, the spreadsheet
row and the column, with the fix; at most MAX_PROBLEMS are listed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import pandas as pd

from ..bank import Bank
from ..domain import ABOUT, SIDES, SLUG_PATTERN, answer_instants
from ..exceptions import AnswersFileError, BadInputError, Problem

#: What a respondent writes for "don't know" (matched in lower case).
DONT_KNOW = {"", "dk", "don't know", "dont know", "n/a"}
# version 3: the question does not apply to the respondent's side role (bank: `na_roles`);
# neither a score nor a gap, and it does not lower completeness
NOT_APPLICABLE = "na"
MAX_PROBLEMS = 25


class Collector:
    """The problems of one file, sorted by row and column when raised; past MAX_PROBLEMS
    only counted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.dropped = 0

    def add(self, message: str, row: int | None = None, column: str | None = None,
            fix: str | None = None) -> None:
        """Note one problem of the file (past MAX_PROBLEMS only counted)."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.problems.append(Problem(message, file=self.file, row=row, column=column, fix=fix))

    def raise_if_any(self) -> None:
        """Raise AnswersFileError with every problem noted so far, by row and column."""
        if not self.problems:
            return
        problems = sorted(self.problems, key=lambda p: (p.row or 0, p.column or ""))
        if self.dropped:
            problems.append(Problem(f"... and {self.dropped} more problem(s) of the same kinds.",
                                    file=self.file))
        raise AnswersFileError(problems)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def validate_answers(frame: pd.DataFrame, bank: Bank, file: str,
                     allow_history: bool = False) -> pd.DataFrame:
    """Check a raw string frame against the contracts and the bank; return the clean frame."""
    problems = Collector(file)
    f = _normalised(frame)
    valid_key, bad_side = _key_problems(f, problems)
    numeric, dk, na = _value_problems(f, bank, problems)
    _side_change_problems(f[valid_key & ~bad_side], problems)
    if allow_history or bool(f["answered_at"].str.strip().ne("").any()):
        _time_problems(f, problems)
    else:
        _repeat_problems(f, valid_key, problems)
    optional = _optional_columns(f, frame, problems)
    problems.raise_if_any()
    out = pd.DataFrame({
        "engagement": f["engagement"],
        "respondent": f["respondent"],
        "side": f["side"],
        "role": f["role"],
        "name": f["name"],
        "question_id": f["question_id"],
        "value": numeric.where(~dk & ~na).astype("Int64"),
        "dont_know": dk,
        "not_applicable": na,
        "comment": f["comment"],
        "answered_at": f["answered_at"].str.strip(),
        "about": f["about"],
        "round": f["round"],
        "row": f["row"].astype(int),
    })
    for column, values in optional.items():
        out[column] = values
    return out.reset_index(drop=True)


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the raw frame with every optional column present and the cells trimmed
    (sides and `about` in lower case, an empty `about` meaning 'self')."""
    f = frame.copy()
    for col in ("role", "comment", "answered_at", "name", "about", "round"):
        if col not in f.columns:
            f[col] = ""
    for col in ("engagement", "respondent", "side", "question_id", "value", "role", "name"):
        f[col] = f[col].astype(str).str.strip()
    f["side"] = f["side"].str.lower()
    f["about"] = f["about"].astype(str).str.strip().str.lower().replace("", "self")
    f["comment"] = f["comment"].astype(str)
    f["round"] = f["round"].astype(str).str.strip()
    return f


def _key_problems(f: pd.DataFrame, problems: Collector) -> tuple[pd.Series, pd.Series]:
    """What each row is about: `about`, round, engagement and respondent ids, side. Returns
    the rows with valid ids and the rows with an unknown side."""
    bad_about = ~f["about"].isin(ABOUT)
    for row, val in zip(f.loc[bad_about, "row"], f.loc[bad_about, "about"], strict=True):
        problems.add(f"unknown about {val!r}.", row=int(row), column="about",
                     fix="use 'self' (the respondent's own answer; empty means the same) or "
                     "'other-side' (what they expect the other side's team to answer).")
    bad_round = f["round"].ne("") & ~f["round"].str.fullmatch(SLUG_PATTERN)
    for row, val in zip(f.loc[bad_round, "row"], f.loc[bad_round, "round"], strict=True):
        problems.add(f"{val!r} is not a valid round id.", row=int(row), column="round",
                     fix="use a round id such as 'baseline' or 'health-2027-06', or leave it "
                     "empty for the engagement's latest round.")
    slug_ok_e = f["engagement"].str.fullmatch(SLUG_PATTERN)
    slug_ok_r = f["respondent"].str.fullmatch(SLUG_PATTERN)
    for col, ok, what in (("engagement", slug_ok_e, "engagement id"),
                          ("respondent", slug_ok_r, "respondent id")):
        for row, val in zip(f.loc[~ok, "row"], f.loc[~ok, col], strict=True):
            shown = repr(val) if val else "an empty value"
            problems.add(f"{shown} is not a valid {what}.", row=int(row), column=col,
                         fix="use 1-64 lowercase letters, digits and hyphens, starting with a "
                         "letter or digit (e.g. acme-globex-2026).")
    bad_side = ~f["side"].isin(SIDES)
    for row, val in zip(f.loc[bad_side, "row"], f.loc[bad_side, "side"], strict=True):
        problems.add(f"unknown side {val!r}.", row=int(row), column="side",
                     fix="use 'host' (the company running the assessment) or 'partner'.")
    return slug_ok_e & slug_ok_r, bad_side


def _value_problems(f: pd.DataFrame, bank: Bank,
                    problems: Collector) -> tuple[pd.Series, pd.Series, pd.Series]:
    """What each row answers: a question of the bank, and a point on its scale, a don't-know
    or an 'na' where the bank allows one. Returns the numbers, don't-knows and 'na's."""
    qmap = bank.question_map
    unknown_q = ~f["question_id"].isin(list(qmap))
    for row, val in zip(f.loc[unknown_q, "row"], f.loc[unknown_q, "question_id"], strict=True):
        problems.add(f"unknown question id {val!r}.{_suggest(val, qmap)}", row=int(row),
                     column="question_id",
                     fix="use an id listed by 'workbook questions' (bank "
                     f"{bank.bank.id} {bank.version}).")
    low = f["value"].str.lower()
    dk = low.isin(DONT_KNOW)
    na = low.eq(NOT_APPLICABLE)
    exempt = f["question_id"].map({k: bool(q.na_roles) for k, q in qmap.items()}) \
        .fillna(False).astype(bool)
    bad_na = na & ~unknown_q & ~exempt
    for row, qid in zip(f.loc[bad_na, "row"], f.loc[bad_na, "question_id"], strict=True):
        problems.add(f"question '{qid}' cannot be answered 'na': the bank names no side role "
                     "that is exempt from it.", row=int(row), column="value",
                     fix="give a whole number on the question's scale, or 'dk' for don't "
                     "know.")
    numeric = pd.to_numeric(f["value"].where(~dk & ~na), errors="coerce")
    is_int = numeric.notna() & (numeric == numeric.round()) & f["value"].str.fullmatch(r"[+-]?\d+")
    not_int = ~dk & ~na & ~is_int
    for row, val in zip(f.loc[not_int, "row"], f.loc[not_int, "value"], strict=True):
        problems.add(f"value {val!r} is not a whole number.", row=int(row), column="value",
                     fix="give an integer on the question's scale, or leave it empty / 'dk' "
                     "for don't know.")
    qmin = f["question_id"].map({k: q.scale.min for k, q in qmap.items()})
    qmax = f["question_id"].map({k: q.scale.max for k, q in qmap.items()})
    off = is_int & ~unknown_q & ((numeric < qmin) | (numeric > qmax))
    for row, val, qid, lo, hi in zip(f.loc[off, "row"], f.loc[off, "value"],
                                     f.loc[off, "question_id"], qmin[off], qmax[off], strict=True):
        problems.add(f"value {val} is off the scale for question '{qid}'.", row=int(row),
                     column="value",
                     fix=f"use a whole number from {int(lo)} to {int(hi)}, or leave it empty "
                     "/ 'dk' for don't know.")
    return numeric, dk, na


def _side_change_problems(keyed: pd.DataFrame, problems: Collector) -> None:
    """A respondent given on two sides (among the rows with valid ids and sides)."""
    sides = keyed.groupby(["engagement", "respondent"])["side"].nunique()
    for (eng, resp) in sides[sides > 1].index:
        rows = keyed[(keyed["engagement"] == eng) & (keyed["respondent"] == resp)]
        first = rows.iloc[0]
        changed = rows[rows["side"] != first["side"]].iloc[0]
        problems.add(f"respondent '{resp}' is on side '{first['side']}' in row {first['row']} "
                     f"but on side '{changed['side']}' here.", row=int(changed["row"]),
                     column="side", fix="a respondent belongs to one side; correct the side.")


def _repeat_problems(f: pd.DataFrame, valid_key: pd.Series, problems: Collector) -> None:
    """Without answer times, a respondent answers each question once per round and `about`."""
    dup = f[valid_key].duplicated(["engagement", "round", "respondent", "question_id",
                                   "about"], keep="first")
    dup_rows = f[valid_key][dup]
    for _, r in dup_rows.iterrows():
        first = f[(f["engagement"] == r["engagement"]) & (f["respondent"] == r["respondent"])
                  & (f["question_id"] == r["question_id"])
                  & (f["about"] == r["about"]) & (f["round"] == r["round"])].iloc[0]
        what = "expects again" if r["about"] == "other-side" else "answers"
        problems.add(f"respondent '{r['respondent']}' {what} question '{r['question_id']}' "
                     f"again (first in row {first['row']}).", row=int(r["row"]),
                     column="question_id",
                     fix="keep one row per respondent and question, or add an "
                     "'answered_at' column to import a history of changes.")


def _time_problems(f: pd.DataFrame, problems: Collector) -> None:
    """With a history of changes, each given `answered_at` is a date and time."""
    ts = answer_instants(f["answered_at"])
    bad_ts = f["answered_at"].str.strip().ne("") & ts.isna()
    for row, val in zip(f.loc[bad_ts, "row"], f.loc[bad_ts, "answered_at"], strict=True):
        problems.add(f"answered_at {val!r} is not a date and time.", row=int(row),
                     column="answered_at",
                     fix="use ISO 8601, e.g. 2026-11-23T10:15:00Z, or leave it empty.")


def _optional_columns(f: pd.DataFrame, frame: pd.DataFrame,
                      problems: Collector) -> dict[str, pd.Series]:
    """The checked `email`, `lang` and `comment_lang` columns, each only when the file has
    it: a missing column changes nothing."""
    out: dict[str, pd.Series] = {}
    if "email" in frame.columns:
        out["email"] = _check_emails(f, problems)
    if "lang" in frame.columns:  # the respondent's language (version 4)
        out["lang"] = _check_langs(f, problems, "lang", one_per_respondent=True)
    if "comment_lang" in frame.columns:  # the language each answer was given in
        out["comment_lang"] = _check_langs(f, problems, "comment_lang",
                                           one_per_respondent=False)
    return out


def _check_langs(f: pd.DataFrame, problems: Collector, column: str,
                 one_per_respondent: bool) -> pd.Series:
    """An optional language column (`lang`: the respondent's language, one per respondent;
    `comment_lang`: the language an answer was given in), each tag checked against the
    languages the workbook speaks and normalized ("" where empty)."""
    from ..exceptions import LanguageError
    from ..i18n import check_language

    out: list[str] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for eng, resp, raw, row in zip(f["engagement"], f["respondent"], f[column], f["row"],
                                   strict=True):
        text = "" if raw is None or (not isinstance(raw, str) and pd.isna(raw)) else \
            str(raw).strip()
        value = ""
        if text:
            try:
                value = check_language(text, where=Problem("", row=int(row), column=column))
            except LanguageError as exc:
                p = exc.problems[0]
                problems.add(p.message, row=int(row), column=column, fix=p.fix)
        if value and one_per_respondent:
            first = seen.setdefault((eng, resp), (value, int(row)))
            if first[0] != value:
                problems.add(f"respondent '{resp}' has the language '{value}' here but "
                             f"'{first[0]}' in row {first[1]}.", row=int(row), column=column,
                             fix="give each respondent one language (or leave the other "
                             "rows empty).")
        out.append(value)
    return pd.Series(out, index=f.index, dtype=object)


def _check_emails(f: pd.DataFrame, problems: Collector) -> pd.Series:
    """The optional `email` column, checked and normalised ("" where empty); one address per
    respondent."""
    from .addresses import normalise_email

    out: list[str] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for eng, resp, raw, row in zip(f["engagement"], f["respondent"], f["email"], f["row"],
                                   strict=True):
        text = "" if raw is None or (not isinstance(raw, str) and pd.isna(raw)) else str(raw)
        try:
            value = normalise_email(text) or ""
        except ValueError as exc:
            problems.add(f"the e-mail address {text.strip()!r} is not valid: {exc}",
                         row=int(row), column="email",
                         fix="write a full address such as name@company.com, or leave the "
                         "cell empty.")
            value = ""
        if value:
            first = seen.setdefault((eng, resp), (value, int(row)))
            if first[0] != value:
                problems.add(f"respondent '{resp}' has the address {value!r} here but "
                             f"{first[0]!r} in row {first[1]}.", row=int(row), column="email",
                             fix="give each respondent one address (or leave the other rows "
                             "empty).")
        out.append(value)
    return pd.Series(out, index=f.index, dtype=object)


def validate_by_bank(frame: pd.DataFrame, bank: Bank, file: str,
                      bank_of: Callable[[str, str], Bank | None]) -> pd.DataFrame:
    """Validate each (engagement, round)'s rows against that round's bank; every problem
    of every group is reported together."""
    keys = list(zip(frame["engagement"].astype(str).str.strip(),
                    (frame["round"] if "round" in frame.columns
                     else pd.Series([""] * len(frame), index=frame.index))
                    .astype(str).str.strip(), strict=True))
    chosen: dict[tuple[str, str], Bank] = {}
    unknown: list[Problem] = []
    first_row = dict(zip(reversed(keys), reversed(frame["row"].tolist()), strict=True))
    for k in dict.fromkeys(keys):
        try:
            chosen[k] = bank_of(*k) or bank
        except BadInputError as exc:
            unknown += [Problem(p.message, file=file, row=int(first_row[k]), column="round",
                                fix=p.fix) for p in exc.problems]
    if unknown:
        raise AnswersFileError(unknown)
    groups: dict[int, list[int]] = {}
    banks: dict[int, Bank] = {}
    for pos, k in enumerate(keys):
        b = chosen[k]
        groups.setdefault(id(b), []).append(pos)
        banks[id(b)] = b
    if len(groups) == 1:
        return validate_answers(frame, next(iter(banks.values())), file)
    parts: list[pd.DataFrame] = []
    problems: list[Problem] = []
    for gid, rows in groups.items():
        try:
            parts.append(validate_answers(frame.iloc[rows], banks[gid], file))
        except AnswersFileError as exc:
            problems += exc.problems
    if problems:
        raise AnswersFileError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return pd.concat(parts).sort_values("row").reset_index(drop=True)
