"""Checking a translation against its bank: the same ids, every text present exactly where the
bank has one, the same anchors and {placeholders}, and only the sections the bank defines
itself. Every problem at once, each naming the file, the place and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ...exceptions import Problem
from ..model import Bank, Question
from .model import QuestionText, Translation

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _quote(text: str, limit: int = 60) -> str:
    one = " ".join(text.split())
    if len(one) > limit:
        cut = one[:limit + 1].rsplit(" ", 1)[0] if " " in one[:limit + 1] else one[:limit]
        one = cut.rstrip(" ,;:") + " ..."
    return '"' + one + '"'


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _pair_problems(where: str, english: str | None, translated: str | None, file: str,
                   english_whole: str) -> list[Problem]:
    """One optional text: present in the translation exactly when the bank has it, and
    carrying the same {placeholders}."""
    key = where.rsplit(".", 1)[-1]
    if english and translated is None:
        return [Problem(f"{where}: the translation is missing.", file=file,
                        fix=f"add '{key}' with the translation of {_quote(english)}.")]
    if not english and translated is not None:
        return [Problem(f"{where}: {english_whole} has no '{key}', so the translation may "
                        "not have one.", file=file, fix=f"remove '{key}'.")]
    if english and translated is not None:
        lost = sorted(_placeholders(english) - _placeholders(translated))
        added = sorted(_placeholders(translated) - _placeholders(english))
        problems = []
        if lost:
            names = ", ".join("{" + n + "}" for n in lost)
            problems.append(Problem(f"{where}: the placeholder(s) {names} of the bank's text "
                                    "are missing.", file=file,
                                    fix=f"write {names} into the translation, unchanged."))
        if added:
            names = ", ".join("{" + n + "}" for n in added)
            problems.append(Problem(f"{where}: the placeholder(s) {names} are not in the "
                                    "bank's text.", file=file,
                                    fix=f"remove {names}, or check their spelling against "
                                        f"{_quote(english)}."))
        return problems
    return []


def _id_problems(section: str, wanted: dict[str, str], given: Iterable[str], file: str,
                 bank_file: str, what: str) -> list[Problem]:
    """Every id of the bank's section is translated, and no other."""
    given = list(given)
    problems = [Problem(f"{section}.{i}: the {what} is missing.", file=file,
                        fix=f"add the translation of {what} '{i}' ({_quote(hint)}).")
                for i, hint in wanted.items() if i not in given]
    problems += [Problem(f"{section}.{i}: the bank has no {what} '{i}'.", file=file,
                         fix=f"remove it, or check the id against {bank_file}.")
                 for i in given if i not in wanted]
    return problems


def check_translation(tr: Translation, bank: Bank, own: dict[str, Any], file: str,
                      tag: str) -> list[Problem]:
    """Every problem of a translation file against its (English) bank: ids, versions, every
    text present exactly where the bank has one, anchors, placeholders, and only the sections
    the bank defines itself (`own`: the bank file's own keys, before inheritance)."""
    bank_file = bank.path or "the bank"
    problems = _header_problems(tr, bank, file, tag, bank_file)
    problems += _list_problems(tr, bank, file, bank_file)
    problems += _question_problems(tr, bank, file, bank_file)
    problems += _inherited_section_problems(tr, bank, own, file)
    return problems


def _header_problems(tr: Translation, bank: Bank, file: str, tag: str,
                     bank_file: str) -> list[Problem]:
    """The file's `translation` head: the bank's id and version, and the file's language."""
    problems: list[Problem] = []
    info = tr.translation
    if info.bank != bank.bank.id:
        problems.append(Problem(f"translation.bank: '{info.bank}' is not the bank's id "
                                f"'{bank.bank.id}'.", file=file,
                                fix=f"write 'bank: {bank.bank.id}', or put the file beside "
                                    "the bank it translates."))
    if info.bank_version != bank.version:
        problems.append(Problem(
            f"translation.bank_version: the file translates version {info.bank_version} but "
            f"the bank is version {bank.version}.", file=file,
            fix=f"bring the texts up to date with {bank_file} (compare the two versions), then "
                f"write 'bank_version: \"{bank.version}\"'."))
    if info.language != tag:
        problems.append(Problem(f"translation.language: '{info.language}' does not match the "
                                f"file name's language '{tag}'.", file=file,
                                fix=f"write 'language: {tag}', or rename the file."))
    return problems


def _list_problems(tr: Translation, bank: Bank, file: str, bank_file: str) -> list[Problem]:
    """Every list of the bank translated (title, description, next step), and no other."""
    lists = bank.list_map
    problems = _id_problems("lists", {i: lst.title for i, lst in lists.items()}, tr.lists,
                            file, bank_file, "list")
    for lid, lt in tr.lists.items():
        lst = lists.get(lid)
        if lst is None:
            continue
        where = f"lists.{lid}"
        problems += _pair_problems(f"{where}.title", lst.title, lt.title, file,
                                   f"list '{lid}'")
        problems += _pair_problems(f"{where}.description", lst.description or None,
                                   lt.description, file, f"list '{lid}'")
        problems += _pair_problems(f"{where}.next_step", lst.next_step, lt.next_step, file,
                                   f"list '{lid}'")
    return problems


def _question_problems(tr: Translation, bank: Bank, file: str,
                       bank_file: str) -> list[Problem]:
    """Every question of the bank translated (its texts and each anchor), and no other."""
    qmap = bank.question_map
    problems = _id_problems("questions", {i: q.text for i, q in qmap.items()}, tr.questions,
                            file, bank_file, "question")
    for qid, qt in tr.questions.items():
        q = qmap.get(qid)
        if q is None:
            continue
        where = f"questions.{qid}"
        whole = f"question '{qid}'"
        problems += _pair_problems(f"{where}.text", q.text, qt.text, file, whole)
        for key in ("short", "help", "next_step", "weight_note"):
            problems += _pair_problems(f"{where}.{key}", getattr(q, key), getattr(qt, key),
                                       file, whole)
        problems += _anchor_problems(where, whole, q, qt, file)
    return problems


def _anchor_problems(where: str, whole: str, q: Question, qt: QuestionText,
                     file: str) -> list[Problem]:
    """One question's anchors: every point of its scale translated, and no other point."""
    problems: list[Problem] = []
    for point in q.scale.points:
        english = q.scale.anchors[point]
        if point not in qt.anchors:
            problems.append(Problem(
                f"{where}.anchors: anchor {point} is missing.", file=file,
                fix=f"add the translation of anchor {point} ({_quote(english)})."))
        else:
            problems += _pair_problems(f"{where}.anchors.{point}", english,
                                       qt.anchors[point], file, whole)
    for point in qt.anchors:
        if point not in q.scale.anchors:
            problems.append(Problem(
                f"{where}.anchors: anchor {point} is not on the question's scale "
                f"{q.scale.min}-{q.scale.max}.", file=file,
                fix=f"remove anchor {point}; the anchors are "
                    f"{', '.join(str(p) for p in q.scale.points)}."))
    return problems


def _inherited_section_problems(tr: Translation, bank: Bank, own: dict[str, Any],
                                file: str) -> list[Problem]:
    """forms, readiness and role_levels: translated where the bank defines them itself."""
    problems: list[Problem] = []
    parent = own.get("inherit")
    for key in ("forms", "readiness", "role_levels"):
        if key not in own and getattr(tr, key) is not None:
            src = f"the translation of {parent}" if parent else "no translation"
            problems.append(Problem(
                f"{key}: the bank does not define '{key}' itself"
                + (f" (it inherits them from {parent})" if parent else "") + ".", file=file,
                fix=f"remove the section; {src} carries it."))
    if "forms" in own:
        if tr.forms is None:
            problems.append(Problem("forms: the section is missing.", file=file,
                                    fix="add 'forms: profiles:' with the summary and next "
                                        "steps of every form profile."))
        else:
            profs: dict[str, Any] = {p.id: p for p in bank.forms.profiles}
            problems += _id_problems("forms.profiles", {i: p.summary for i, p in profs.items()},
                                     tr.forms.profiles, file, bank.path or "the bank",
                                     "form profile")
            for pid, pt in tr.forms.profiles.items():
                prof = profs.get(pid)
                if prof is None:
                    continue
                where = f"forms.profiles.{pid}"
                problems += _pair_problems(f"{where}.summary", prof.summary, pt.summary, file,
                                           f"form '{pid}'")
                if len(pt.next_steps) != len(prof.next_steps):
                    problems.append(Problem(
                        f"{where}.next_steps: {len(pt.next_steps)} step(s) where the bank has "
                        f"{len(prof.next_steps)}.", file=file,
                        fix="translate every step of the bank, one for one, in its order."))
                for n, (en, tx) in enumerate(zip(prof.next_steps, pt.next_steps, strict=False)):
                    problems += _pair_problems(f"{where}.next_steps.{n + 1}", en, tx, file,
                                               f"form '{pid}'")
    if "readiness" in own:
        problems += _readiness_problems(tr, bank, file)
    if "role_levels" in own and tr.role_levels is not None:
        levels = sorted({r.level for r in bank.role_levels})
        for level in tr.role_levels:
            if level not in levels:
                problems.append(Problem(
                    f"role_levels.{level}: the bank has no role level {level}.", file=file,
                    fix=f"use one of the bank's levels: {', '.join(map(str, levels))}."))
    return problems


def _readiness_problems(tr: Translation, bank: Bank, file: str) -> list[Problem]:
    r = bank.readiness
    rt = tr.readiness
    if rt is None:
        return [Problem("readiness: the section is missing.", file=file,
                        fix="add 'readiness:' with the label and step of every item and the "
                            "step of each check.")]
    items = {i.id: i for i in r.items}
    problems = _id_problems("readiness.items", {i: it.label for i, it in items.items()},
                            rt.items, file, bank.path or "the bank", "readiness item")
    for iid, it in rt.items.items():
        item = items.get(iid)
        if item is not None:
            problems += _pair_problems(f"readiness.items.{iid}.label", item.label, it.label,
                                       file, f"readiness item '{iid}'")
            problems += _pair_problems(f"readiness.items.{iid}.step", item.step, it.step,
                                       file, f"readiness item '{iid}'")
    for key in ("sponsor_match", "hobby", "trust"):
        check = getattr(r, key)
        given = getattr(rt, key)
        problems += _pair_problems(f"readiness.{key}.step",
                                   check.step if check is not None else None,
                                   given.step if given is not None else None, file,
                                   "the bank's readiness")
    return problems
