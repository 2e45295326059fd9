"""The banks `workbook serve` parses once for all its kernels: written to a private file by
the server, read back by each kernel instead of parsing the YAML again.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..exceptions import BankError
from .model import Bank


@functools.lru_cache(maxsize=1)
def parsed_by_serve() -> dict[tuple[str, Any], Any]:
    """The banks `workbook serve` parsed once for all its kernels (empty elsewhere, or when
    the file cannot be read: every bank is then parsed as usual): (path, mtime) -> Bank, and
    for translations (path, "lang:TAG") -> (the files' modification times, Bank)."""
    from ..config import bank_cache_file

    file = bank_cache_file()
    if file is None:
        return {}
    try:
        with file.open("rb") as fh:
            banks = pickle.load(fh)  # written by this package's serve, in a private folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return {}
    return banks if isinstance(banks, dict) else {}


def write_parsed_banks(paths: Iterable[str | Path], file: Path) -> int:
    """Parse each bank once and keep them in `file` for the kernels of `workbook serve`
    (keyed by path and modification time, so an edited bank is parsed again), with its
    translation into every language whose file lies beside it (keyed by path and language,
    checked against the modification times of the files read). Returns how many banks were
    kept (translations not counted); a bank or translation that does not load is left to
    the page that needs it."""
    from .load import load_bank
    from .translations import available_languages, parse_translated, serve_key

    banks: dict[tuple[str, Any], Any] = {}
    for path in paths:
        p = Path(path).resolve()
        try:
            banks[(str(p), p.stat().st_mtime)] = bank = load_bank(p)
        except (BankError, OSError):
            continue
        for tag in available_languages(p):
            if tag == bank.bank.language:
                continue
            try:
                banks[serve_key(p, tag)] = parse_translated(p, tag)
            except (BankError, OSError):
                continue
    from ..files import write_atomic

    write_atomic(file, pickle.dumps(banks, protocol=pickle.HIGHEST_PROTOCOL))
    return sum(1 for value in banks.values() if isinstance(value, Bank))
