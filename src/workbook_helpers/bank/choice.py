"""Which question bank a round is asked on: the one in use, a shipped one by name, or a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import data_root
from ..exceptions import BankError, NotFoundError, Problem
from . import Bank, load_bank

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

#: Banks the package ships, by the name a round records.
SHIPPED = {"question_bank": "question_bank.yaml", "health_check_bank": "health_check_bank.yaml"}


def shipped_path(name: str) -> Path:
    """The file of a shipped bank."""
    return data_root() / "templates" / SHIPPED[name]


def bank_path(ref: str) -> Path:
    """The file of a bank named on the command line or recorded by a round: a shipped bank
    by name, else the path as given."""
    return shipped_path(ref) if ref in SHIPPED else Path(ref)


def bank_ref(path: str | Path | None) -> str:
    """What a round records for a bank given on the command line: '' for none, a shipped
    bank's name (also when its file is named), else the file's absolute path."""
    if path is None or str(path) == "":
        return ""
    text = str(path)
    if text in SHIPPED:
        return text
    p = Path(text).expanduser().resolve()
    for name in SHIPPED:
        if p == shipped_path(name).resolve():
            return name
    return str(p)


def bank_for(ref: str, default: Bank, lang: str | None = None) -> Bank:
    """The bank a round is scored on (`ref` as recorded by `bank_ref`); with `lang`, its
    texts in that language when a translation exists (reports in the client's language)."""
    if not ref:
        return default
    path = bank_path(ref)
    if not path.is_file():
        raise BankError(Problem(f"the round's question bank {ref} cannot be found.",
                                file=str(path), fix="restore the file, or score the round "
                                "with --bank FILE."))
    if lang and lang != "en":
        try:
            return load_bank(path, lang=lang)
        except BankError:
            pass
    return load_bank(path)


def round_banks(store: Store, default: Bank) -> Callable[[str, str], Bank | None]:
    """For a file being imported: the bank of each (engagement, round) the store knows (an
    empty round is the engagement's latest); None for an engagement the store does not know;
    NotFoundError for a round a known engagement does not have."""
    rounds = store.all_rounds()

    def bank_of(engagement: str, round_id: str) -> Bank | None:
        known = rounds.get(engagement)
        if not known:
            return None
        rnd = known[-1] if not round_id else next((r for r in known if r.id == round_id),
                                                  None)
        if rnd is None:
            raise NotFoundError(Problem(
                f"engagement '{engagement}' has no round '{round_id}'.",
                fix=f"open it first with 'workbook round add {engagement} {round_id}', or "
                "leave the column empty for the latest round."))
        return bank_for(rnd.bank, default)

    return bank_of
