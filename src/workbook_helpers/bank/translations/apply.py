"""Applying a checked translation: the bank's YAML data with every text replaced (what it
inherits taken from the inherited bank's translation), parsed as a bank and cached by the
modification times of every file read.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from ...exceptions import BankError, Problem
from ..load import INHERITED, FastSafeLoader, load_cached, parse_bank
from ..model import Bank
from ..served import parsed_by_serve
from .checks import check_translation
from .files import (
    Stamp,
    available_languages,
    is_fresh,
    normalise_tag,
    read_translation_yaml,
    stamp_of,
    translation_path,
)
from .model import DOC, TAG, Translation, parse_translation


def _apply(own: dict[str, Any], tr: Translation) -> dict[str, Any]:
    """The bank's own YAML data with every translatable text replaced (a deep copy)."""
    out = copy.deepcopy(own)
    out["bank"] = {**out["bank"], "title": tr.bank.title, "language": tr.translation.language}
    for lst in out.get("lists") or []:
        lt = tr.lists[lst["id"]]
        lst["title"] = lt.title
        for key in ("description", "next_step"):
            if getattr(lt, key) is not None:
                lst[key] = getattr(lt, key)
    for q in out.get("questions") or []:
        qt = tr.questions[q["id"]]
        q["text"] = qt.text
        for key in ("short", "help", "next_step", "weight_note"):
            if getattr(qt, key) is not None:
                q[key] = getattr(qt, key)
        scale = q["scale"] = dict(q["scale"])
        scale["anchors"] = {k: qt.anchors[int(k)] for k in scale["anchors"]}
    if tr.forms is not None and "forms" in out:
        for prof in out["forms"]["profiles"]:
            pt = tr.forms.profiles[prof["id"]]
            prof["summary"] = pt.summary
            if "next_steps" in prof:
                prof["next_steps"] = list(pt.next_steps)
    if tr.readiness is not None and "readiness" in out:
        r = out["readiness"]
        for item in r["items"]:
            it = tr.readiness.items[item["id"]]
            item["label"], item["step"] = it.label, it.step
        for key in ("sponsor_match", "hobby", "trust"):
            given = getattr(tr.readiness, key)
            if r.get(key) and given is not None:
                r[key]["step"] = given.step
    if tr.role_levels and out.get("role_levels"):
        for rl in out["role_levels"]:
            extra = [w for w in tr.role_levels.get(int(rl["level"]), []) if w not in rl["words"]]
            rl["words"] = [*rl["words"], *extra]
    return out


def _translated_raw(p: Path, tag: str, deps: list[Path]) -> dict[str, Any]:
    """A bank's YAML data in one language, with what it inherits taken from the inherited
    bank's translation into the same language; every file read is added to `deps`."""
    deps.append(p)
    english = load_cached(str(p), stamp_of([p])[0][1])  # the bank itself must load first
    own = yaml.load(p.read_text(encoding="utf-8"), Loader=FastSafeLoader)  # read fine just now
    tp = translation_path(p, tag)
    deps.append(tp)
    file = str(tp)
    tr = parse_translation(read_translation_yaml(tp), file)
    problems = check_translation(tr, english, own, file, tag)
    if problems:
        raise BankError(problems)
    out = _apply(own, tr)
    parent_ref = out.pop("inherit", None)
    if parent_ref is None:
        return out
    parent_path = (p.parent / str(parent_ref)).resolve()
    parent_tp = translation_path(parent_path, tag)
    if not parent_tp.is_file():
        raise BankError(Problem(
            f"the bank inherits forms, readiness and role levels from {parent_ref}, which has "
            f"no translation into '{tag}'.", file=file,
            fix=f"add {parent_tp} as well (format: {DOC})."))
    parent = _translated_raw(parent_path, tag, deps)
    for key in INHERITED:
        if key == "sources":
            out["sources"] = {**(parent.get("sources") or {}), **(own.get("sources") or {})}
        elif key not in out and key in parent:
            out[key] = parent[key]
    return out


_CACHE: dict[tuple[str, str], tuple[Stamp, Bank]] = {}


def serve_key(bank_path: Path, tag: str) -> tuple[str, str]:
    """The key of a translated bank in the serve-time bank cache (bank.write_parsed_banks)."""
    return (str(bank_path.resolve()), f"lang:{tag}")


def parse_translated(bank_path: Path, tag: str) -> tuple[Stamp, Bank]:
    """Read, check and apply a translation (no cache): the files it rests on and the bank."""
    deps: list[Path] = []
    raw = _translated_raw(bank_path, tag, deps)
    bank = parse_bank(raw, str(bank_path))
    return stamp_of(deps), bank


def _resolve(bank_path: Path, english: Bank, lang: str) -> str | None:
    """The tag of the translation to use, or None for the bank's own texts."""
    if not isinstance(lang, str) or not lang.strip():
        raise BankError(Problem("the language is empty.", column="--lang",
                                fix="give a language tag such as de, fr or es."))
    tag = normalise_tag(lang)
    own = english.bank.language
    if tag == own:
        return None
    if not re.match(TAG, tag):
        raise BankError(Problem(f"'{lang}' is not a language tag.", column="--lang",
                                fix="give a BCP 47 tag such as de, fr, es or pt-BR."))
    if translation_path(bank_path, tag).is_file():
        return tag
    if tag == "en":
        return None  # English is the workbook's own language: a bank without an English file
    primary = tag.split("-")[0]
    if primary == own.split("-")[0]:
        return None
    if primary != tag and translation_path(bank_path, primary).is_file():
        return primary
    langs = available_languages(bank_path)
    listed = ", ".join(f"{t} ({n})" for t, n in langs.items())
    raise BankError(Problem(
        f"the question bank has no translation into '{tag}'; available: {listed}.",
        file=str(translation_path(bank_path, tag)), column="--lang",
        fix=f"use one of {', '.join(langs)}, or add the translation file (see {DOC})."))


def translated_bank(bank_path: Path, english: Bank, lang: str) -> Bank:
    """`english` (the bank at `bank_path`) in language `lang`: itself for its own language,
    else the checked translation, cached by the modification times of every file read."""
    tag = _resolve(bank_path, english, lang)
    if tag is None:
        return english
    key = (str(bank_path), tag)
    hit = _CACHE.get(key)
    if hit is not None and is_fresh(hit[0]):
        return hit[1]
    served = parsed_by_serve().get(serve_key(bank_path, tag))
    if (isinstance(served, tuple) and len(served) == 2 and isinstance(served[1], Bank)
            and is_fresh(served[0])):
        _CACHE[key] = served
        return served[1]
    _CACHE[key] = parse_translated(bank_path, tag)
    return _CACHE[key][1]
