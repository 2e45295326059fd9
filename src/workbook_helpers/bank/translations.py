"""Translations of a question bank: one YAML file per bank and language, beside the bank.

`question_bank.de.yaml` holds the German text of every list, question, help text and anchor of
`question_bank.yaml` (and of its form profiles, readiness checks and role words). It is checked
against the bank like the bank itself: every problem at once, each naming the file, the
question or list and the fix. `load_bank(path, lang="de")` (bank.py) returns the bank with the
translated texts and the same ids, scales, weights and structure. Format: docs/languages.md.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..exceptions import BankError, Problem
from .load import load_cached, parse_bank
from .model import Bank
from .served import parsed_by_serve

#: A BCP 47 language tag as the workbook uses them: `de`, `fr`, `es`, `pt-BR`, `zh-Hant`.
TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
DOC = "docs/languages.md"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: The own name of a bank's language when no translation file names it.
OWN_NAMES = {"en": "English"}

Stamp = tuple[tuple[str, float], ...]


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


# ---- files ------------------------------------------------------------------------------------
def normalise_tag(lang: str) -> str:
    """A language tag as the file names spell it: `DE` -> `de`, `pt_br` -> `pt-BR`."""
    parts = lang.strip().replace("_", "-").split("-")
    head, rest = parts[0].lower(), parts[1:]
    fixed = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in rest]
    return "-".join([head, *fixed])


def translation_path(bank_path: str | Path, lang: str) -> Path:
    """The translation file of a bank into one language: `<bank stem>.<tag>.yaml` beside it."""
    p = Path(bank_path)
    return p.with_name(f"{p.stem}.{normalise_tag(lang)}.yaml")


#: libyaml's parser where PyYAML has it (several times faster), else the pure-Python one
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """A YAML loader that refuses a key given twice (a question translated twice would
    otherwise silently keep the second text)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _unique_mapping)


def _read_translation_yaml(p: Path) -> Any:
    path = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(Problem("the translation file does not exist.", file=path,
                                fix=f"add it (format: {DOC}).")) from None
    except UnicodeDecodeError:
        raise BankError(Problem("the file is not UTF-8 text.", file=path,
                                fix="save it as UTF-8.")) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise BankError(Problem(f"the YAML cannot be read ({getattr(exc, 'problem', exc)}).",
                                file=path, row=row,
                                fix="check indentation, quote text containing ':' and give "
                                    "every key once.")) from None


def _stamp(paths: Iterable[Path]) -> Stamp:
    out = []
    for p in paths:
        try:
            out.append((str(p), p.stat().st_mtime))
        except OSError:
            out.append((str(p), -1.0))
    return tuple(out)


def _fresh(stamp: Stamp) -> bool:
    return _stamp(Path(p) for p, _ in stamp) == stamp


def _candidates(bank_path: Path) -> list[Path]:
    """The files beside a bank whose names look like its translations."""
    prefix = bank_path.stem + "."
    try:
        names = os.listdir(bank_path.parent)
    except OSError:
        return []
    out = []
    for name in sorted(names):
        if name.startswith(prefix) and name.endswith(".yaml"):
            tag = name[len(prefix):-len(".yaml")]
            if re.match(TAG, tag):
                out.append(bank_path.parent / name)
    return out


@functools.lru_cache(maxsize=32)
def _languages_cached(bank: str, own: str, stamp: Stamp) -> dict[str, str]:
    out = {own: OWN_NAMES.get(own, own)}
    for file, _ in stamp:
        tag = Path(file).name[len(Path(bank).stem) + 1:-len(".yaml")]
        try:
            raw = _read_translation_yaml(Path(file))
        except BankError:
            out.setdefault(tag, tag)  # listed, so that loading it explains what is wrong
            continue
        head = raw.get("translation") if isinstance(raw, dict) else None
        if not isinstance(head, dict):
            continue  # another YAML file whose name merely looks like a translation
        name = head.get("language_name")
        out.setdefault(tag, str(name).strip() if name else tag)
    return out


def available_languages(bank_path: str | Path | None = None) -> dict[str, str]:
    """The languages a bank can be shown in: tag -> the language's own name, the bank's own
    language first (English: "English"), then every translation file beside it."""
    from ..config import default_bank_path

    p = Path(bank_path) if bank_path is not None else default_bank_path()
    own = _own_language(p)
    return dict(_languages_cached(str(p), own, _stamp(_candidates(p))))


def _own_language(p: Path) -> str:
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = -1.0
    return load_cached(str(p), mtime).bank.language


# ---- checking ---------------------------------------------------------------------------------
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
    # lists
    lists = bank.list_map
    problems += _id_problems("lists", {i: lst.title for i, lst in lists.items()}, tr.lists,
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
    # questions
    qmap = bank.question_map
    problems += _id_problems("questions", {i: q.text for i, q in qmap.items()}, tr.questions,
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
    problems += _inherited_section_problems(tr, bank, own, file)
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


# ---- applying ---------------------------------------------------------------------------------
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
    english = load_cached(str(p), _stamp([p])[0][1])  # the bank itself must load first
    own = yaml.load(p.read_text(encoding="utf-8"), Loader=_SafeLoader)  # read fine just now
    tp = translation_path(p, tag)
    deps.append(tp)
    file = str(tp)
    tr = parse_translation(_read_translation_yaml(tp), file)
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
    from .load import INHERITED

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
    return _stamp(deps), bank


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
    if hit is not None and _fresh(hit[0]):
        return hit[1]
    served = parsed_by_serve().get(serve_key(bank_path, tag))
    if (isinstance(served, tuple) and len(served) == 2 and isinstance(served[1], Bank)
            and _fresh(served[0])):
        _CACHE[key] = served
        return served[1]
    _CACHE[key] = parse_translated(bank_path, tag)
    return _CACHE[key][1]
