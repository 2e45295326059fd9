"""Translation files on disk: their names beside the bank (`<bank stem>.<tag>.yaml`), reading
their YAML (a key given twice refused), the modification times that say whether a parsed
translation still holds, and the languages a bank can be shown in.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ...exceptions import BankError, Problem
from ..load import FastSafeLoader, load_cached
from .model import DOC, TAG

#: The own name of a bank's language when no translation file names it.
OWN_NAMES = {"en": "English"}

Stamp = tuple[tuple[str, float], ...]


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



class _UniqueKeyLoader(FastSafeLoader):  # type: ignore[misc]
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


def read_translation_yaml(p: Path) -> Any:
    """The YAML data of a translation file; a missing, non-UTF-8 or unreadable file (or a
    key given twice) is a BankError naming the file and the line."""
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


def stamp_of(paths: Iterable[Path]) -> Stamp:
    """Each file with its modification time (-1 when it cannot be read)."""
    out = []
    for p in paths:
        try:
            out.append((str(p), p.stat().st_mtime))
        except OSError:
            out.append((str(p), -1.0))
    return tuple(out)


def is_fresh(stamp: Stamp) -> bool:
    """Whether none of the files of `stamp` changed since it was taken."""
    return stamp_of(Path(p) for p, _ in stamp) == stamp


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
            raw = read_translation_yaml(Path(file))
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
    from ...config import default_bank_path

    p = Path(bank_path) if bank_path is not None else default_bank_path()
    own = _own_language(p)
    return dict(_languages_cached(str(p), own, stamp_of(_candidates(p))))


def _own_language(p: Path) -> str:
    try:
        mtime = p.stat().st_mtime
    except OSError:
        mtime = -1.0
    return load_cached(str(p), mtime).bank.language
