"""One typed view of an engagement: `EngagementView`, built in one place (`engagement_view`).

The view is one round of one engagement as every consumer reads it: the engagement's record,
the round's current answers and bank, its typed score result (with the trend up to it), the
rounds so far, the action plan and the norms. The dashboard draws from it, the report, the
Excel file and the deck export it (`report.data.ReportData` is this view plus the report's
options), the command line prints its result and the portfolio shows the verdict the same way
(`presenting.judgment.headline_of`). Nothing re-derives what the view already holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..bank import Bank
from ..bank.choice import bank_for
from ..exceptions import WorkbookError
from ..presenting.speaking import current as current_language
from .actionplan import PlannedAction
from .model import ScoreResult, Trend
from .stored import round_history

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..store import Store
    from ..store.store import Engagement

#: A check of a round's answers against its bank before they are scored (raises to refuse).
AnswersCheck = Callable[["pd.DataFrame", Bank], None]


@dataclass(frozen=True)
class EngagementView:
    """One round of one engagement, scored, as every consumer reads it.

    `bank` is the round's bank in the view's language (`lang`); `rounds` are the rounds up to
    `round`, oldest first; `trend` is set from the second round on; `actions` is the action
    plan as of that round on `generated` (the day the view was built)."""

    engagement: Engagement
    result: ScoreResult
    bank: Bank
    answers: pd.DataFrame
    round: str = "baseline"
    rounds: tuple[str, ...] = ("baseline",)
    trend: Trend | None = None
    actions: tuple[PlannedAction, ...] = ()
    norms: dict[str, Any] | None = None  # "against the portfolio" (norms.engagement_norms)
    lang: str = "en"  # the language the view speaks (bank texts and sentences are in it)
    generated: date = field(default_factory=lambda: datetime.now(UTC).date())

    @property
    def anonymous(self) -> bool:
        """Whether people are shown by side and role instead of by name."""
        return bool(self.engagement.anonymous)

    @property
    def revealed(self) -> bool:
        """Whether the facilitator has revealed the results."""
        return bool(self.engagement.revealed)

    @property
    def expectations(self) -> bool:
        """Whether respondents are asked what they expect of the other side."""
        return bool(self.engagement.expectations)

    @property
    def results_shown(self) -> bool:
        """Whether scores may be shown: revealed by the facilitator and enough respondents."""
        return self.revealed and self.result.results_visible

    @property
    def signature(self) -> tuple[Any, ...]:
        """What changes when anything a page draws changes (answers, options, rounds,
        actions): a page redraws only when this differs from the last one it drew."""
        a = self.answers
        last = str(a["answered_at"].max()) if len(a) else ""
        acts = tuple((p.action.id, p.action.status, len(p.action.history))
                     for p in self.actions)
        return (len(a), last, self.revealed, self.anonymous, self.expectations,
                len(self.result.respondents), tuple(self.rounds), acts)


def engagement_view(store: Store, bank: Bank, engagement_id: str,
                    round_id: str | None = None, *, check: AnswersCheck | None = None,
                    norms: bool = False, cached: bool = False,
                    today: date | None = None) -> EngagementView:
    """Read one round (default: the latest) of an engagement from the store and score it,
    with the rounds before it, the trend and the action plan: the one place a view is built.

    Sentences and the bank's texts are in the current language (`speaking`). `check` refuses
    answers before they are scored (the report's scale check); `norms` adds the portfolio
    norms (None when the store cannot give them); `cached` lets rounds whose answers did not
    change since this process last scored them be answered from its cache (the dashboard
    polls)."""
    eng = store.engagement(engagement_id)
    rnd = store.round(engagement_id, round_id)
    lang = current_language()
    rbank = bank_for(rnd.bank, bank, lang=lang)
    stamps = store.round_stamps(engagement_id) if cached else None
    answers = store.current_answers(engagement_id, rnd.id)
    if check is not None:
        check(answers, rbank)
    today = today or datetime.now(UTC).date()
    history = round_history(store, bank, engagement_id, rnd.id, answers, today, stamps)
    return EngagementView(
        engagement=eng, result=history.current, bank=rbank, answers=answers, round=rnd.id,
        rounds=tuple(history.rounds), trend=history.trend, actions=tuple(history.plan),
        norms=_norms(store, bank, history.current, rnd.id) if norms else None, lang=lang,
        generated=today)


def _norms(store: Store, bank: Bank, result: ScoreResult, round_id: str
           ) -> dict[str, Any] | None:
    """The engagement's norms, or None when the store cannot give them (e.g. read-only)."""
    from .norms import norms_for_result

    try:
        return norms_for_result(store, bank, result.to_dict(), round_id)
    except WorkbookError:
        return None
