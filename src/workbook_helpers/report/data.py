"""Everything one report needs, loaded once from the store: `ReportData`, the engagement's
one typed view (`scoring.view.EngagementView`) with the report's options."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from ..bank import Bank, load_bank
from ..domain import is_dont_know
from ..exceptions import StoreError, WorkbookError
from ..ids import check_slug
from ..presenting.speaking import check_language, speaking
from ..scoring.view import EngagementView, engagement_view
from ..store import Store
from .options import ReportOptions, check_logo


class ReportDataError(WorkbookError):
    """The store holds data a report cannot present truthfully (exit code 1)."""


@dataclass(frozen=True)
class ReportData(EngagementView):
    """The engagement's view (`scoring.view.EngagementView`: the score result, the round's
    bank, the engagement and its answers, the rounds, trend, action plan and norms) plus the
    report's options.

    `round` is the round reported (`rounds` all of them up to it, oldest first); `trend` is set
    when there are two or more rounds up to it; `actions` is the action plan as of that round.
    """

    options: ReportOptions = field(default_factory=ReportOptions)

    @property
    def anonymous(self) -> bool:
        """Whether people are shown by side and role instead of by name."""
        return self.options.anonymous or self.engagement.anonymous

    @classmethod
    def of(cls, view: EngagementView, options: ReportOptions | None = None) -> ReportData:
        """The report's data: a view with the report's options."""
        return cls(**{f.name: getattr(view, f.name) for f in fields(EngagementView)},
                   options=options or ReportOptions())


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
            store.engagement(engagement)
        except StoreError:
            if not own:
                raise
            store.close()
            store = Store.open(database_url or None)
        lang = check_language(lang or engagement_language(store, engagement), "lang")
        with speaking(lang):
            view = engagement_view(store, bank or bank_in(lang), engagement, round_id or None,
                                   check=check_answers, norms=True)
    finally:
        if own:
            store.close()
    options = ReportOptions(anonymous=anonymous, organisation=organisation,
                            logo_path=check_logo(logo_path))
    return ReportData.of(view, options)
