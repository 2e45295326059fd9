"""Everything one report needs, loaded once from the store: `ReportData`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from ..bank import Bank, load_bank
from ..exceptions import StoreError, WorkbookError
from ..ids import check_slug
from ..results import engagement_result
from ..scoring.model import ScoreResult
from ..store import Store
from ..store.store import Engagement
from .options import ReportOptions, check_logo


class ReportDataError(WorkbookError):
    """The store holds data a report cannot present truthfully (exit code 1)."""


@dataclass
class ReportData:
    """The score result, the bank, the engagement and its answers, plus options."""

    engagement: Engagement
    result: ScoreResult
    bank: Bank
    answers: pd.DataFrame
    options: ReportOptions = field(default_factory=ReportOptions)
    generated: date = field(default_factory=lambda: datetime.now(UTC).date())

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
                     anonymous: bool = False, organisation: str = "", logo_path: str = "",
                     store: Store | None = None, bank: Bank | None = None) -> ReportData:
    """Load and check the data of one engagement's report from the store."""
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
        answers = store.current_answers(engagement)
        check_answers(answers, bank)
        result = engagement_result(store, bank, engagement, answers)
    finally:
        if own:
            store.close()
    options = ReportOptions(anonymous=anonymous, organisation=organisation,
                            logo_path=check_logo(logo_path))
    return ReportData(engagement=eng, result=result, bank=bank, answers=answers,
                      options=options)
