"""Everything one report needs, loaded once from the store: `ReportData`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from ..actionplan import PlannedAction
from ..bank import Bank, load_bank
from ..banks import bank_for
from ..exceptions import StoreError, WorkbookError
from ..ids import check_slug
from ..results import round_history
from ..scoring.model import ScoreResult
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
        if q is None or bool(row.dont_know) or pd.isna(row.value):
            continue
        if not q.scale.min <= int(row.value) <= q.scale.max:
            problems.append(f"{row.respondent} answered {row.question_id} with {row.value}, "
                            f"outside its scale {q.scale.min}-{q.scale.max}")
    if problems:
        shown = "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "")
        raise ReportDataError(f"engagement '{answers['engagement'].iloc[0]}' holds answers "
                              f"outside their scales ({shown}). Correct them with "
                              "'workbook import' before reporting.")


def load_report_data(engagement: str, database_url: str | None = None, *,
                     round_id: str | None = None, anonymous: bool = False,
                     organisation: str = "", logo_path: str = "",
                     store: Store | None = None, bank: Bank | None = None) -> ReportData:
    """Load and check the data of one engagement's report (of one round, default the
    latest, with the trend and action plan up to it) from the store."""
    check_slug(engagement, "engagement id")
    own = store is None
    # skip the schema check (0.3 s of alembic) unless the store turns out to need it
    store = store or Store.open(database_url or None, upgrade=False)
    try:
        bank = bank or load_bank()
        try:
            eng = store.engagement(engagement)
        except StoreError:
            if not own:
                raise
            store.close()
            store = Store.open(database_url or None)
            eng = store.engagement(engagement)
        rnd = store.round(engagement, round_id or None)
        rbank = bank_for(rnd.bank, bank)
        answers = store.current_answers(engagement, rnd.id)
        check_answers(answers, rbank)
        history = round_history(store, bank, engagement, rnd.id, answers)
        norms = _norms(store, bank, history.current.to_dict(), rnd.id)
    finally:
        if own:
            store.close()
    options = ReportOptions(anonymous=anonymous, organisation=organisation,
                            logo_path=check_logo(logo_path))
    return ReportData(engagement=eng, result=history.current, bank=rbank, answers=answers,
                      options=options, round=rnd.id, rounds=history.rounds,
                      trend=history.trend, actions=history.plan, norms=norms)


def _norms(store: Store, bank: Bank, doc: dict[str, Any], round_id: str
           ) -> dict[str, Any] | None:
    """The engagement's norms, or None when the store cannot give them (e.g. read-only)."""
    from ..norms import norms_for_result

    try:
        return norms_for_result(store, bank, doc, round_id)
    except WorkbookError:
        return None
