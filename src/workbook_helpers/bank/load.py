"""Loading a question bank: the YAML file read, what it inherits merged in, every problem
reported at once (file, question id, fix), and the parsed bank cached by modification time.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..config import default_bank_path
from ..exceptions import BankError, Problem
from .checks import bank_problems
from .model import Bank
from .served import parsed_by_serve

#: libyaml's parser where PyYAML has it (ten times faster on the shipped bank: 16 ms against
#: 165 ms, and the bank is parsed by every command, kernel and report), else the pure-Python
#: one; both build the same data from the same text
FastSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    problems = bank_problems(bank, file)
    if problems:
        raise BankError(problems)
    return bank


#: The sections a bank takes from the bank it names under `inherit` when it has none of
#: its own (sources are merged, its own winning).
INHERITED = ("sources", "thresholds", "forms", "readiness", "role_levels")


def read_yaml(p: Path) -> Any:
    """The YAML data of a bank file; a missing, non-UTF-8 or unreadable file is a BankError
    naming the file (and the line of a YAML error)."""
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
        return yaml.load(text, Loader=FastSafeLoader)  # a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise BankError(Problem(f"the YAML cannot be read ({getattr(exc, 'problem', exc)}).",
                                file=path, row=row,
                                fix="check indentation and quote text containing ':'.")) from None


def with_inherited(raw: Any, p: Path) -> Any:
    """A bank that names `inherit: OTHER.yaml` takes that bank's sources, thresholds, form
    model, readiness checks and role levels wherever it gives none of its own (sources are
    merged, its own winning)."""
    if not isinstance(raw, dict) or "inherit" not in raw:
        return raw
    parent_path = (p.parent / str(raw["inherit"])).resolve()
    if parent_path == p.resolve():
        raise BankError(Problem("the bank inherits from itself.", file=str(p),
                                fix="name another bank file under 'inherit'."))
    parent = with_inherited(read_yaml(parent_path), parent_path)
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
def load_cached(path: str, mtime: float) -> Bank:
    """The bank at `path` as of its modification time `mtime`: parsed once per process (or
    taken from what `workbook serve` parsed for its kernels)."""
    p = Path(path)
    parsed = parsed_by_serve().get((str(p.resolve()), mtime))
    if isinstance(parsed, Bank):
        return parsed
    return parse_bank(with_inherited(read_yaml(p), p), path)


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
    bank = load_cached(str(p), mtime)
    if lang is None:
        return bank
    from .translations import translated_bank

    return translated_bank(p, bank, lang)
