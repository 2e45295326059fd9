"""Save every answer the moment it is given; when the store is unreachable, keep and retry.

`AnswerSaver.save` writes straight to the store. If the store raises `StoreError` (down,
read-only, disk full) the answer stays in `pending`, the status says so in plain words and a
retry is scheduled with growing delays until it goes through. Nothing is ever dropped.
Own answers (`about="self"`) and estimates of the other side's answer (`about="other-side"`)
go the same way; they are kept apart by `Answer.key`.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ..exceptions import StoreError, WorkbookError
from ..i18n import gettext_for, ngettext_for
from ..store import Store

log = logging.getLogger(__name__)

State = Literal["saved", "unchanged", "retrying", "error"]
Scheduler = Callable[[float, Callable[[], Any]], Any]
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0)


@dataclass(frozen=True)
class Answer:
    """One answer as the respondent left it on screen."""

    question_id: str
    value: int | None
    dont_know: bool = False
    comment: str = ""
    about: str = "self"   # 'other-side': what the respondent expects the other side to answer
    not_applicable: bool = False   # version 3: 'na', the question does not apply to the role
    lang: str | None = None   # the language the page spoke when the answer was given

    @property
    def key(self) -> str:
        """Which answer this is: the question id, marked for an estimate of the other side."""
        return self.question_id if self.about == "self" else f"{self.question_id}@{self.about}"


@dataclass(frozen=True)
class SaveStatus:
    """The outcome of the latest save attempt, as shown next to the question."""

    state: State
    message: str
    question_id: str | None = None
    at: datetime | None = None
    pending: int = 0
    about: str = "self"


def asyncio_scheduler(delay: float, callback: Callable[[], Any]) -> Any:
    """Run `callback` after `delay` seconds on the kernel's event loop (None when no loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return None
    if loop.is_closed():
        return None
    return loop.call_later(delay, callback)


@dataclass
class AnswerSaver:
    """Writes one respondent's answers to the store, keeping unsaved ones and retrying."""

    store: Store
    engagement: str
    respondent: str
    on_status: Callable[[SaveStatus], None] | None = None
    schedule: Scheduler | None = asyncio_scheduler
    round_id: str | None = None
    pending: dict[str, Answer] = field(default_factory=dict)
    attempts: int = 0
    last: SaveStatus | None = None
    _timer: Any = None
    _at_exit: bool = False
    lang: str = "en"   # the language of the status messages (the page's)

    def save(self, answer: Answer) -> SaveStatus:
        """Store one answer now; on a store failure keep it and schedule a retry."""
        self.pending.pop(answer.key, None)
        self.pending[answer.key] = answer
        return self.flush()

    def flush(self) -> SaveStatus:
        """Try to write every kept answer, oldest first; report the outcome."""
        _ = gettext_for(self.lang, "apps")
        status: SaveStatus | None = None
        for key in list(self.pending):
            a = self.pending[key]
            try:
                saved = self.store.record_answer(
                    self.engagement, self.respondent, a.question_id,
                    None if a.dont_know else a.value, comment=a.comment,
                    dont_know=(a.dont_know or a.value is None) and not a.not_applicable,
                    source="app", about=a.about, round_id=self.round_id,
                    not_applicable=a.not_applicable, lang=a.lang)
            except StoreError as exc:
                log.warning("answer not saved, will retry: %s", exc)
                status = self._failed(a)
                break
            except WorkbookError as exc:
                self.pending.pop(key, None)
                status = SaveStatus("error", _(
                    "This answer could not be saved: %(reason)s", reason=str(exc)),
                    a.question_id, about=a.about)
                continue
            self.pending.pop(key, None)
            self.attempts = 0
            status = SaveStatus("saved" if saved.changed else "unchanged",
                                _("Saved") if saved.changed else
                                _("Saved (no change)"),
                                a.question_id, saved.answered_at, about=a.about)
        if status is None:
            status = SaveStatus("saved", _("Everything is saved"))
        status = SaveStatus(status.state, status.message, status.question_id, status.at,
                            len(self.pending), status.about)
        self.last = status
        if self.on_status is not None:
            self.on_status(status)
        return status

    def _failed(self, answer: Answer) -> SaveStatus:
        delay = RETRY_DELAYS[min(self.attempts, len(RETRY_DELAYS) - 1)]
        self.attempts += 1
        if not self._at_exit:
            # the page's kernel may be shut down (tab closed, room released) while answers
            # wait here: one last attempt as the kernel exits (Jupyter shuts kernels down
            # with a request, so Python's exit hooks run)
            atexit.register(self.last_chance)
            self._at_exit = True
        if self.schedule is not None and self._timer is None:
            self._timer = self.schedule(delay, self._retry_from_timer)
        n_ = ngettext_for(self.lang, "apps")
        return SaveStatus("retrying", n_(
            "Not saved yet: the workbook's store cannot be reached. Your answer is kept on "
            "this page and we will try again in %(seconds)d s.",
            "Not saved yet: the workbook's store cannot be reached. Your %(num)d latest "
            "answers are kept on this page and we will try again in %(seconds)d s.",
            len(self.pending), seconds=round(delay)), answer.question_id, about=answer.about)

    def _retry_from_timer(self) -> None:
        self._timer = None
        if self.pending:
            self.flush()

    def last_chance(self) -> int:
        """Try once more to write what is still kept, with nobody left to tell (the page is
        gone); returns how many answers are still unsaved (and logs them)."""
        if not self.pending:
            return 0
        self.on_status = None
        self.schedule = None
        self.flush()
        if self.pending:
            log.error("%d answer(s) of %s in %s could not be saved before the page closed",
                      len(self.pending), self.respondent, self.engagement)
        return len(self.pending)

    def retry(self) -> SaveStatus:
        """Try again now (the 'Try again' button and tests)."""
        if self._timer is not None and hasattr(self._timer, "cancel"):
            self._timer.cancel()
        self._timer = None
        return self.flush()
