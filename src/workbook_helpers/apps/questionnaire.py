"""The respondent's questionnaire: one question at a time, saved the moment it is answered.

Shows every anchor of the scale, a "don't know" choice and a comment box; tracks progress per
list and overall; Back / Next and list buttons move around; it reopens at the first question
not answered yet. Saving goes through `saving.AnswerSaver` (kept on screen and retried when
the store cannot be reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..bank import Bank, Question
from ..exceptions import WorkbookError
from ..store import Store
from ..store.store import Engagement, Respondent
from .html import esc, notice, progress_bar
from .saving import Answer, AnswerSaver, SaveStatus, Scheduler, asyncio_scheduler

DK = "dk"


@dataclass
class OnScreen:
    """What the page currently holds for one question (saved or not)."""

    value: int | None = None
    dont_know: bool = False
    comment: str = ""

    @property
    def answered(self) -> bool:
        """Whether a scale point or don't know has been chosen."""
        return self.value is not None or self.dont_know


def load_answers(store: Store, respondent: Respondent) -> dict[str, OnScreen]:
    """The respondent's current answers from the store, by question id."""
    frame = store.current_answers(respondent.engagement)
    mine = frame[frame["respondent"] == respondent.id]
    out: dict[str, OnScreen] = {}
    for row in mine.itertuples(index=False):
        dk = bool(row.dont_know)
        value = None if dk or row.value is None or str(row.value) == "<NA>" else int(row.value)
        out[str(row.question_id)] = OnScreen(value, dk, str(row.comment or ""))
    return out


class Questionnaire:
    """The ipywidgets questionnaire for one respondent (`.widget` is what the page shows)."""

    def __init__(self, store: Store, bank: Bank, respondent: Respondent,
                 engagement: Engagement | None = None, list_id: str = "",
                 schedule: Scheduler | None = asyncio_scheduler) -> None:
        self.store, self.bank, self.who = store, bank, respondent
        self.engagement = engagement or store.engagement(respondent.engagement)
        lists = [lid for lid in bank.list_ids() if not list_id or lid == list_id]
        if not lists:
            raise WorkbookError(f"there is no question list '{list_id}'.")
        self.lists = lists
        self.questions: list[Question] = [q for lid in lists for q in bank.questions_in(lid)]
        self.answers = load_answers(store, respondent)
        self.saver = AnswerSaver(store, respondent.engagement, respondent.id,
                                 on_status=self._show_status, schedule=schedule)
        self._loading = False
        self.index = self.first_unanswered()
        self._build()
        self.saver.on_status = self._show_status
        self.go(self.index)

    # ---- state -----------------------------------------------------------------------------
    def first_unanswered(self) -> int:
        """Where to resume: the first question without an answer (the last one if all done)."""
        for i, q in enumerate(self.questions):
            if not self.answers.get(q.id, OnScreen()).answered:
                return i
        return len(self.questions) - 1

    def answered_count(self, list_id: str | None = None) -> int:
        """How many questions (of one list, or all shown) have an answer."""
        return sum(1 for q in self.questions if (list_id is None or q.list == list_id)
                   and self.answers.get(q.id, OnScreen()).answered)

    @property
    def question(self) -> Question:
        """The question on screen."""
        return self.questions[self.index]

    # ---- building --------------------------------------------------------------------------
    def _build(self) -> None:
        org = self.engagement.org(self.who.side)
        self.header = w.HTML(
            f'<div class="wb-hello"><p class="wb-eyebrow">{esc(self.engagement.title)}</p>'
            f"<h1>Your questionnaire</h1><p>Answering as <strong>{esc(self.who.name)}</strong>"
            f"{', ' + esc(self.who.role) if self.who.role else ''} for "
            f"<strong>{esc(org)}</strong>. Every answer is saved as soon as you choose it; "
            "you can close this page and come back to the same link later.</p></div>")
        self.list_buttons = [w.Button(description=self.bank.list_map[lid].title,
                                      layout=w.Layout(width="auto"))
                             for lid in self.lists]
        for lid, b in zip(self.lists, self.list_buttons, strict=True):
            b.add_class("wb-listbtn")
            b.on_click(lambda _b, lid=lid: self.go_list(lid))
        self.overall = w.HTML()
        self.list_progress = w.HTML()
        self.card = w.HTML()
        self.choices = w.RadioButtons(options=[("-", 0)], value=None,
                                      layout=w.Layout(width="100%"))
        self.choices.add_class("wb-choices")
        self.choices.observe(self._on_choice, names="value")
        self.comment = w.Textarea(placeholder="Add a comment for the facilitator (optional)",
                                  description="Comment", continuous_update=False,
                                  layout=w.Layout(width="100%", height="70px"))
        self.comment.add_class("wb-comment")
        self.comment.observe(self._on_comment, names="value")
        self.back = w.Button(description="← Back", tooltip="Previous question")
        self.next = w.Button(description="Next →", button_style="primary",
                             tooltip="Next question")
        self.back.on_click(lambda _b: self.go(self.index - 1))
        self.next.on_click(self._next)
        self.retry_button = w.Button(description="Try again now",
                                     layout=w.Layout(display="none"))
        self.retry_button.on_click(lambda _b: self.saver.retry())
        self.status = w.HTML('<div class="wb-status" aria-live="polite"></div>')
        self.done = w.HTML()
        nav = w.HBox([self.back, self.next, self.retry_button, self.status])
        nav.add_class("wb-nav")
        lists_row = w.HBox(self.list_buttons, layout=w.Layout(flex_flow="row wrap"))
        lists_row.add_class("wb-lists")
        self.widget = w.VBox([self.header, self.overall, lists_row, self.list_progress,
                              self.card, self.choices, self.comment, nav, self.done])
        self.widget.add_class("wb-app")
        self.widget.add_class("wb-questionnaire")

    # ---- navigation ------------------------------------------------------------------------
    def go_list(self, list_id: str) -> None:
        """Jump to the first unanswered question of a list (its first question if all done)."""
        idx = [i for i, q in enumerate(self.questions) if q.list == list_id]
        todo = [i for i in idx if not self.answers.get(self.questions[i].id, OnScreen()).answered]
        self.go((todo or idx)[0])

    def go(self, index: int) -> None:
        """Show question `index` (clamped to the questionnaire)."""
        self.index = max(0, min(index, len(self.questions) - 1))
        q = self.question
        lst = self.bank.list_map[q.list]
        in_list = self.bank.questions_in(q.list)
        pos = [x.id for x in in_list].index(q.id) + 1
        help_html = f'<p class="wb-help">{esc(q.help)}</p>' if q.help else ""
        self.card.value = (
            f'<div class="wb-card"><p class="wb-eyebrow">{esc(lst.title)} · question {pos} of '
            f'{len(in_list)}</p><h2 class="wb-question" id="wb-q">{esc(q.text)}</h2>'
            f"{help_html}</div>")
        state = self.answers.get(q.id, OnScreen())
        self._loading = True
        try:
            self.choices.options = [
                (f"{p} · {q.scale.anchors[p]}", p) for p in q.scale.points
            ] + [("Don't know", DK)]
            self.choices.value = DK if state.dont_know else state.value
            self.choices.description = ""
            self.comment.value = state.comment
        finally:
            self._loading = False
        if not self.saver.pending:
            self.status.value = '<div class="wb-status" aria-live="polite"></div>'
        self.back.disabled = self.index == 0
        last = self.index == len(self.questions) - 1
        self.next.description = "Finish" if last else "Next →"
        self._refresh_progress()

    def _next(self, _b: Any = None) -> None:
        if self.index < len(self.questions) - 1:
            self.done.value = ""
            self.go(self.index + 1)
        else:
            self.finish()

    def finish(self) -> None:
        """Thank the respondent and say how much is answered."""
        n, total = self.answered_count(), len(self.questions)
        msg = ("Thank you: all your answers are saved." if n == total else
               f"Thank you. You have answered {n} of {total} questions; the rest can be "
               "answered later with the same link.")
        self.done.value = notice(msg, "ok")

    def _refresh_progress(self) -> None:
        q = self.question
        self.overall.value = progress_bar(self.answered_count(), len(self.questions),
                                          "Overall progress")
        lst = self.bank.list_map[q.list]
        self.list_progress.value = progress_bar(
            self.answered_count(q.list), len(self.bank.questions_in(q.list)), lst.title)
        for lid, b in zip(self.lists, self.list_buttons, strict=True):
            n, total = self.answered_count(lid), len(self.bank.questions_in(lid))
            b.tooltip = f"{self.bank.list_map[lid].title}: {n} of {total} answered"
            b.description = f"{self.bank.list_map[lid].title} {n}/{total}"
            b.button_style = "info" if lid == q.list else ""
            if n == total:
                b.add_class("wb-complete")
            else:
                b.remove_class("wb-complete")

    # ---- answering -------------------------------------------------------------------------
    def choose(self, value: int | str | None) -> SaveStatus | None:
        """Pick a scale point (or DK) for the question on screen, as a click would."""
        self.choices.value = value
        return self.saver.last

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        q = self.question
        new = change["new"]
        state = self.answers.setdefault(q.id, OnScreen())
        state.dont_know = new == DK
        state.value = None if new == DK else int(new)
        self._save(q.id, state)

    def _on_comment(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        q = self.question
        state = self.answers.setdefault(q.id, OnScreen())
        state.comment = str(change["new"] or "")
        if state.answered:
            self._save(q.id, state)
        else:
            self.status.value = ('<div class="wb-status" aria-live="polite">Choose an answer '
                                 "and your comment will be saved with it.</div>")

    def _save(self, qid: str, state: OnScreen) -> None:
        self.saver.save(Answer(qid, state.value, state.dont_know, state.comment))
        self._refresh_progress()

    def _show_status(self, status: SaveStatus) -> None:
        if status.state in ("saved", "unchanged"):
            at = f" at {status.at:%H:%M:%S} UTC" if status.at else ""
            body = f'<span class="wb-saved">✓ Saved{at}</span>'
            self.retry_button.layout.display = "none"
        elif status.state == "retrying":
            body = f'<span class="wb-unsaved">{esc(status.message)}</span>'
            self.retry_button.layout.display = "inline-flex"
        else:
            body = f'<span class="wb-unsaved">{esc(status.message)}</span>'
        self.status.value = f'<div class="wb-status" aria-live="polite">{body}</div>'
