"""Everything one report needs, loaded once from the store: `ReportData`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from ..bank import Bank, load_bank
from ..bank.choice import bank_for
from ..domain import is_dont_know
from ..exceptions import StoreError, WorkbookError
from ..ids import check_slug
from ..presenting.speaking import check_language, speaking
from ..scoring.actionplan import PlannedAction
from ..scoring.model import ScoreResult
from ..scoring.stored import round_history
from ..scoring.trend import Trend
from ..store import Store
from ..store.store import Engagement
from .options import ReportOptions, check_logo


class ReportDataError(WorkbookError):
    """The store holds data a report cannot present truthfully (exit code 1)."""


@dataclass
class ReportData:
    """The score result, the bank, the engagement and its answers, plus options.

    `round` is the round reported (`rounds` all of them, oldest first); `trend` is set when
    there are two or more rounds up to it; `actions` is the action plan as of that round.
    """

    engagement: Engagement
    result: ScoreResult
    bank: Bank
    answers: pd.DataFrame
    options: ReportOptions = field(default_factory=ReportOptions)
    generated: date = field(default_factory=lambda: datetime.now(UTC).date())
    round: str = "baseline"
    rounds: list[str] = field(default_factory=lambda: ["baseline"])
    trend: Trend | None = None
    actions: list[PlannedAction] = field(default_factory=list)
    norms: dict[str, Any] | None = None  # "against the portfolio" (norms.engagement_norms)
    lang: str = "en"  # the language the report speaks (bank texts and sentences are in it)

    @property
    def anonymous(self) -> bool:
        """Whether people are shown by side and role instead of by name."""
        return self.options.anonymous or self.engagement.anonymous


def check_answers(answers: pd.DataFrame, bank: Bank) -> None:
    """Refuse answers the report cannot show truthfully: values outside the question's scale.

    Such values come from direct database edits or tools that bypass the importer; scoring
    them would print scores above 100 or below 0, so the report stops and names them.
    """
    if answers.empty:
        return
    qmap = bank.question_map
    problems: list[str] = []
    for row in answers.itertuples(index=False):
        q = qmap.get(str(row.question_id))
        if q is None or is_dont_know(row):
            continue
        if not q.scale.min <= int(row.value) <= q.scale.max:
            problems.append(f"{row.respondent} answered {row.question_id} with {row.value}, "
                            f"outside its scale {q.scale.min}-{q.scale.max}")
    if problems:
        shown = "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "")
        raise ReportDataError(f"engagement '{answers['engagement'].iloc[0]}' holds answers "
                              f"outside their scales ({shown}). Correct them with "
                              "'workbook import' before reporting.")


def engagement_language(store: Store, engagement: str) -> str:
    """The language an engagement was set up in (`Store.engagement_language`), else English."""
    lookup = getattr(store, "engagement_language", None)
    try:
        lang = lookup(engagement) if lookup is not None else None
    except (StoreError, AttributeError):
        lang = None
    return str(lang or "en")


def bank_in(lang: str, path: str | None = None) -> Bank:
    """The bank (default: the shipped one) with its texts in `lang`; the bank as written when
    it has no translation into `lang` (its ids, scales and structure are the same)."""
    if lang == "en":
        return load_bank(path)
    from ..exceptions import BankError

    try:
        return load_bank(path, lang=lang)
    except BankError:
        return load_bank(path)


def load_report_data(engagement: str, database_url: str | None = None, *,
                     round_id: str | None = None, anonymous: bool = False,
                     organisation: str = "", logo_path: str = "",
                     store: Store | None = None, bank: Bank | None = None,
                     lang: str = "") -> ReportData:
    """Load and check the data of one engagement's report (of one round, default the
    latest, with the trend and action plan up to it) from the store.

    `lang` is the report's language (empty: the engagement's, else English): the bank's
    texts and every sentence of the score result are worded in it."""
    check_slug(engagement, "engagement id")
    own = store is None
    # skip the schema check (0.3 s of alembic) unless the store turns out to need it
    store = store or Store.open(database_url or None, upgrade=False)
    try:
        try:
            eng = store.engagement(engagement)
        except StoreError:
            if not own:
                raise
            store.close()
            store = Store.open(database_url or None)
            eng = store.engagement(engagement)
        lang = check_language(lang or engagement_language(store, engagement), "lang")
        bank = bank or bank_in(lang)
        rnd = store.round(engagement, round_id or None)
        rbank = bank_for(rnd.bank, bank, lang=lang)
        answers = store.current_answers(engagement, rnd.id)
        check_answers(answers, rbank)
        with speaking(lang):
            history = round_history(store, bank, engagement, rnd.id, answers)
        norms = _norms(store, bank, history.current.to_dict(), rnd.id)
    finally:
        if own:
            store.close()
    options = ReportOptions(anonymous=anonymous, organisation=organisation,
                            logo_path=check_logo(logo_path))
    return ReportData(engagement=eng, result=history.current, bank=rbank, answers=answers,
                      options=options, round=rnd.id, rounds=history.rounds,
                      trend=history.trend, actions=history.plan, norms=norms, lang=lang)


def _norms(store: Store, bank: Bank, doc: dict[str, Any], round_id: str
           ) -> dict[str, Any] | None:
    """The engagement's norms, or None when the store cannot give them (e.g. read-only)."""
    from ..scoring.norms import norms_for_result

    try:
        return norms_for_result(store, bank, doc, round_id)
    except WorkbookError:
        return None
