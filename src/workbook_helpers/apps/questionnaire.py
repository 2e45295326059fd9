"""The respondent's questionnaire: one question at a time, saved the moment it is answered.

Shows every anchor of the scale, a "don't know" choice and a comment box; tracks progress per
list and overall; Back / Next and list buttons move around; it reopens at the first question
not answered yet. Saving goes through `saving.AnswerSaver` (kept on screen and retried when
the store cannot be reached).

Expectation questions (the bank's `expect: true`, when the engagement's `expectations` switch
is on) get a second step right after the respondent's own answer: "What will <the other
organisation>'s team answer here?", on the same anchored scale with its own don't know, in a
band of the other side's colour, saved with `about="other-side"`. Progress counts own answers
("12 of 55 answered"); estimates are counted apart ("3 of 10 given") and never mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..bank import Bank, Question
from ..exceptions import WorkbookError
from ..store import Store
from ..store.store import Engagement, Respondent
from ..templating import render
from .html import notice, progress_bar
from .saving import Answer, AnswerSaver, SaveStatus, Scheduler, asyncio_scheduler
from .style import style_widget

DK = "dk"
NA = "na"   # version 3: the question does not apply to the respondent's side role
SELF, OTHER = "self", "other-side"
OTHER_SIDE = {"host": "partner", "partner": "host"}


@dataclass
class OnScreen:
    """What the page currently holds for one question (saved or not)."""

    value: int | None = None
    dont_know: bool = False
    comment: str = ""
    not_applicable: bool = False

    @property
    def answered(self) -> bool:
        """Whether a scale point, don't know or 'does not apply' has been chosen."""
        return self.value is not None or self.dont_know or self.not_applicable


@dataclass(frozen=True)
class Step:
    """One screen of the questionnaire: a question, asked for the respondent's own answer
    (`about="self"`) or for what they expect the other side's team to answer."""

    question: Question
    about: str = SELF

    @property
    def expecting(self) -> bool:
        """Whether this step asks for an estimate of the other side's answer."""
        return self.about == OTHER


def possessive(name: str) -> str:
    """'Castellan Logistics’' / 'Acme’s': the organisation's name as an owner."""
    return f"{name}\u2019" if name.endswith(("s", "S")) else f"{name}\u2019s"


def load_answers(store: Store, respondent: Respondent,
                 about: str = SELF) -> dict[str, OnScreen]:
    """The respondent's current answers in their link's round, by question id: their own
    answers, or (`about="other-side"`) what they expect the other side to answer."""
    saved = store.respondent_answers(respondent.engagement, respondent.id, respondent.round,
                                     about)
    # a stored answer with neither a value nor don't know is "does not apply to our role"
    return {qid: OnScreen(a.value, a.dont_know, a.comment,
                          not_applicable=not a.dont_know and a.value is None)
            for qid, a in saved.items()}


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
        self.asks_expectations = bool(self.engagement.expectations)
        self.steps: list[Step] = []
        for q in self.questions:
            self.steps.append(Step(q))
            if q.expect and self.asks_expectations:
                self.steps.append(Step(q, OTHER))
        self.expect_questions = [s.question for s in self.steps if s.expecting]
        self.other_side = OTHER_SIDE.get(respondent.side, "partner")
        self.other_org = self.engagement.org(self.other_side)
        self.answers = load_answers(store, respondent)
        self.expected = load_answers(store, respondent, OTHER) if self.expect_questions else {}
        self.saver = AnswerSaver(store, respondent.engagement, respondent.id,
                                 on_status=self._show_status, schedule=schedule,
                                 round_id=respondent.round)
        self._loading = False
        self.index = self.first_unanswered()
        self._build()
        self.saver.on_status = self._show_status
        self.go(self.index)

    # ---- state -----------------------------------------------------------------------------
    def states(self, about: str = SELF) -> dict[str, OnScreen]:
        """What the page holds, by question id: own answers, or estimates of the other side."""
        return self.expected if about == OTHER else self.answers

    def state_of(self, step: Step) -> OnScreen:
        """The answer (or estimate) on screen for one step (empty when none yet)."""
        return self.states(step.about).get(step.question.id, OnScreen())

    def first_unanswered(self) -> int:
        """Where to resume: the first step without an answer (the last one if all done)."""
        for i, step in enumerate(self.steps):
            if not self.state_of(step).answered:
                return i
        return len(self.steps) - 1

    def answered_count(self, list_id: str | None = None) -> int:
        """How many questions (of one list, or all shown) have the respondent's own answer."""
        return sum(1 for q in self.questions if (list_id is None or q.list == list_id)
                   and self.answers.get(q.id, OnScreen()).answered)

    def expected_count(self, list_id: str | None = None) -> int:
        """How many expectation questions (of one list, or all) have an estimate."""
        return sum(1 for q in self.expect_questions if (list_id is None or q.list == list_id)
                   and self.expected.get(q.id, OnScreen()).answered)

    def expect_total(self, list_id: str | None = None) -> int:
        """How many expectation questions are asked (of one list, or all)."""
        return sum(1 for q in self.expect_questions if list_id is None or q.list == list_id)

    @property
    def step(self) -> Step:
        """The step on screen."""
        return self.steps[self.index]

    @property
    def question(self) -> Question:
        """The question on screen."""
        return self.step.question

    # ---- building --------------------------------------------------------------------------
    def _build(self) -> None:
        org = self.engagement.org(self.who.side)
        self.header = w.HTML(render("apps/questionnaire_header.html.j2", eng=self.engagement,
                                    who=self.who, org=org, **self._intro_context()))
        self.list_buttons = [w.Button(description=self.bank.list_map[lid].title,
                                      layout=w.Layout(width="auto"))
                             for lid in self.lists]
        for lid, b in zip(self.lists, self.list_buttons, strict=True):
            b.add_class("wb-listbtn")
            b.on_click(lambda _b, lid=lid: self.go_list(lid))
        self.overall = w.HTML()
        self.expect_progress = w.HTML(layout=w.Layout(
            display="flex" if self.expect_questions else "none"))
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
        self.status = w.HTML(_status())
        self.done = w.HTML()
        nav = w.HBox([self.back, self.next, self.retry_button, self.status])
        nav.add_class("wb-nav")
        lists_row = w.HBox(self.list_buttons, layout=w.Layout(flex_flow="row wrap"))
        lists_row.add_class("wb-lists")
        self.widget = w.VBox([self.header, self.overall, self.expect_progress, lists_row,
                              self.list_progress, self.card, self.choices, self.comment, nav,
                              self.done])
        self.widget.add_class("wb-app")
        self.widget.children = (style_widget(), *self.widget.children)
        self.widget.add_class("wb-questionnaire")

    def _intro_context(self) -> dict[str, Any]:
        return {"n_expect": len(self.expect_questions), "other_org": self.other_org,
                "other_owner": possessive(self.other_org)}

    def _expect_intro(self) -> str:
        return render("apps/expect_intro.html.j2", **self._intro_context())

    # ---- navigation ------------------------------------------------------------------------
    def go_list(self, list_id: str) -> None:
        """Jump to the first unanswered step of a list (its first question if all done)."""
        idx = [i for i, st in enumerate(self.steps) if st.question.list == list_id]
        todo = [i for i in idx if not self.state_of(self.steps[i]).answered]
        self.go((todo or idx)[0])

    def go(self, index: int) -> None:
        """Show step `index` (clamped to the questionnaire)."""
        self.index = max(0, min(index, len(self.steps) - 1))
        step = self.step
        q = step.question
        lst = self.bank.list_map[q.list]
        in_list = self.bank.questions_in(q.list)
        pos = [x.id for x in in_list].index(q.id) + 1
        where = {"list_title": lst.title, "pos": pos, "count": len(in_list)}
        if step.expecting:
            self.card.value = self._expect_card(q, where)
            self.widget.add_class("wb-expecting")
            self.comment.placeholder = ("Why do you expect this of them? (optional, for the "
                                        "facilitator)")
            dk_label = "Don't know what they will answer"
        else:
            self.card.value = render("apps/question.html.j2", expecting=False, q=q,
                                     own_tag=bool(q.expect and self.asks_expectations),
                                     **where)
            self.widget.remove_class("wb-expecting")
            self.comment.placeholder = "Add a comment for the facilitator (optional)"
            dk_label = "Don't know"
        state = self.state_of(step)
        self._loading = True
        try:
            self.choices.options = [
                (f"{p} · {q.scale.anchors[p]}", p) for p in q.scale.points
            ] + [(dk_label, DK)] + ([(
                f"Does not apply to our role ({', '.join(q.na_roles)})", NA)]
                if q.na_roles and not step.expecting else [])
            self.choices.value = DK if state.dont_know else NA if state.not_applicable \
                else state.value
            self.choices.description = ""
            self.comment.value = state.comment
        finally:
            self._loading = False
        if not self.saver.pending:
            self.status.value = _status()
        self.back.disabled = self.index == 0
        last = self.index == len(self.steps) - 1
        self.next.description = "Finish" if last else "Next →"
        self._refresh_progress()

    def _expect_card(self, q: Question, where: dict[str, Any]) -> str:
        """The band that asks for an estimate of the other side's answer to question `q`
        (`where`: the list's title, the question's position in it and the list's length)."""
        return render("apps/question.html.j2", expecting=True, q=q, **where,
                      other_side=self.other_side, other_org=self.other_org,
                      other_owner=possessive(self.other_org),
                      mine=self.answers.get(q.id, OnScreen()),
                      us=self.engagement.org(self.who.side))

    def _next(self, _b: Any = None) -> None:
        if self.index < len(self.steps) - 1:
            self.done.value = ""
            self.go(self.index + 1)
        else:
            self.finish()

    def finish(self) -> None:
        """Thank the respondent and say how much is answered (and estimated)."""
        n, total = self.answered_count(), len(self.questions)
        e, etotal = self.expected_count(), self.expect_total()
        if n == total and e == etotal:
            msg = ("Thank you: all your answers and estimates are saved." if etotal else
                   "Thank you: all your answers are saved.")
        else:
            est = (f" and given {e} of {etotal} estimates of {self.other_org}" if etotal
                   else "")
            msg = (f"Thank you. You have answered {n} of {total} questions{est}; the rest can "
                   "be answered later with the same link.")
        self.done.value = notice(msg, "ok")

    def _refresh_progress(self) -> None:
        q = self.question
        self.overall.value = progress_bar(self.answered_count(), len(self.questions),
                                          "Overall progress")
        if self.expect_questions:
            self.expect_progress.value = progress_bar(
                self.expected_count(), self.expect_total(),
                f"Your estimates of {self.other_org}", verb="given", cls="wb-progress-expect")
        lst = self.bank.list_map[q.list]
        self.list_progress.value = progress_bar(
            self.answered_count(q.list), len(self.bank.questions_in(q.list)), lst.title)
        for lid, b in zip(self.lists, self.list_buttons, strict=True):
            n, total = self.answered_count(lid), len(self.bank.questions_in(lid))
            e, etotal = self.expected_count(lid), self.expect_total(lid)
            est = f", {e} of {etotal} estimates given" if etotal else ""
            b.tooltip = f"{self.bank.list_map[lid].title}: {n} of {total} answered{est}"
            b.description = f"{self.bank.list_map[lid].title} {n}/{total}"
            b.button_style = "info" if lid == q.list else ""
            if n == total:
                b.add_class("wb-complete")
            else:
                b.remove_class("wb-complete")

    # ---- answering -------------------------------------------------------------------------
    def choose(self, value: int | str | None) -> SaveStatus | None:
        """Pick a scale point (or DK) for the step on screen, as a click would."""
        self.choices.value = value
        return self.saver.last

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._loading or change["new"] is None:
            return
        step = self.step
        new = change["new"]
        state = self.states(step.about).setdefault(step.question.id, OnScreen())
        state.dont_know = new == DK
        state.not_applicable = new == NA
        state.value = None if new in (DK, NA) else int(new)
        self._save(step, state)

    def _on_comment(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        step = self.step
        state = self.states(step.about).setdefault(step.question.id, OnScreen())
        state.comment = str(change["new"] or "")
        if state.answered:
            self._save(step, state)
        else:
            what = "an estimate" if step.expecting else "an answer"
            self.status.value = _status(hint=what)

    def _save(self, step: Step, state: OnScreen) -> None:
        self.saver.save(Answer(step.question.id, state.value, state.dont_know, state.comment,
                               about=step.about, not_applicable=state.not_applicable))
        self._refresh_progress()

    def _show_status(self, status: SaveStatus) -> None:
        if status.state in ("saved", "unchanged"):
            self.retry_button.layout.display = "none"
        elif status.state == "retrying":
            self.retry_button.layout.display = "inline-flex"
        # the count changes with every save, so that two saves in the same second still show
        # as a new status (to people the text is the same; to a page watcher it is not)
        self._status_count = getattr(self, "_status_count", 0) + 1
        self.status.value = _status(status, self._status_count)


def _status(status: SaveStatus | None = None, saves: int = 0, hint: str = "") -> str:
    """The save status beside the buttons: empty, a hint of what to choose, or a save."""
    if status is None:
        return render("apps/save_status.html.j2", state=None, hint=hint)
    return render("apps/save_status.html.j2", state=status.state, saves=saves,
                  estimate=status.about == OTHER, at=status.at, message=status.message)
