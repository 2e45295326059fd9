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

Languages: the page opens in the respondent's language, else the engagement's, else English
(`i18n.resolve_language`), with the bank's texts in that language when the bank has a
translation (`load_bank(path, lang=...)`) and every other word from the `apps` catalogue. A
small select at the top switches the language in place (answers on screen stay as they are)
and remembers it for the respondent in the store. Each answer is saved with the language the
page spoke; comments are kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..bank import Bank, Question
from ..domain import OTHER_SIDE as OTHER_SIDE
from ..exceptions import BankError, WorkbookError
from ..i18n import available_languages, gettext_for, ngettext_for, resolve_language
from ..presenting.templating import render
from ..store import Store
from ..store.store import Engagement, Respondent
from .html import esc, notice, progress_bar
from .saving import Answer, AnswerSaver, SaveStatus, Scheduler, asyncio_scheduler
from .style import style_widget

DK = "dk"
NA = "na"   # version 3: the question does not apply to the respondent's side role
SELF, OTHER = "self", "other-side"


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


def possessive(name: str, lang: str = "en") -> str:
    """'Castellan Logistics’' / 'Acme’s': the organisation's name as an owner, in English.
    Other languages get the name as it is: their messages place it themselves ("das Team
    von %(owner)s")."""
    if lang != "en":
        return name
    return f"{name}\u2019" if name.endswith(("s", "S")) else f"{name}\u2019s"


def bank_in(bank: Bank, lang: str) -> Bank:
    """`bank` with its texts in `lang` when a translation of it is there (its own texts
    otherwise: the page then still speaks `lang` around the questions)."""
    if lang == "en" or not bank.path:
        return bank
    from ..bank import load_bank
    from ..bank.translations import available_languages as bank_languages

    if lang not in bank_languages(bank.path):
        return bank
    try:
        return load_bank(bank.path, lang=lang)
    except BankError:  # a broken translation file must not close the questionnaire
        return bank


def page_languages() -> dict[str, str]:
    """The languages the switch offers, {tag: own name}: every language of the interface (a
    bank without that translation shows its own texts, see `bank_in`)."""
    return available_languages("apps")


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
                 schedule: Scheduler | None = asyncio_scheduler,
                 lang: str | None = None) -> None:
        self.store, self.who = store, respondent
        self.engagement = engagement or store.engagement(respondent.engagement)
        self.source_bank = bank
        self.lang = resolve_language(lang, respondent.lang, self.engagement.lang)
        self._ = gettext_for(self.lang, "apps")
        self.n_ = ngettext_for(self.lang, "apps")
        self.bank = bank = bank_in(bank, self.lang)
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
                                 round_id=respondent.round, lang=self.lang)
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
        self.header = w.HTML(self._header())
        langs = page_languages()
        self.language = w.Dropdown(options=[(name, tag) for tag, name in langs.items()],
                                   value=self.lang if self.lang in langs else None,
                                   layout=w.Layout(width="auto"))
        self.language.add_class("wb-lang")
        self.language.observe(self._on_language, names="value")
        self.language_label = w.HTML()
        lang_row = w.HBox([self.language_label, self.language],
                          layout=w.Layout(display="flex" if len(langs) > 1 else "none",
                                          justify_content="flex-end", align_items="center"))
        lang_row.add_class("wb-lang-row")
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
        self.comment = w.Textarea(continuous_update=False,
                                  layout=w.Layout(width="100%", height="70px"))
        self.comment.add_class("wb-comment")
        self.comment.observe(self._on_comment, names="value")
        self.back = w.Button()
        self.next = w.Button(button_style="primary")
        self.back.on_click(lambda _b: self.go(self.index - 1))
        self.next.on_click(self._next)
        self.retry_button = w.Button(layout=w.Layout(display="none"))
        self.retry_button.on_click(lambda _b: self.saver.retry())
        self._label_controls()
        self.status = w.HTML(_status(lang=self.lang))
        self.done = w.HTML()
        nav = w.HBox([self.back, self.next, self.retry_button, self.status])
        nav.add_class("wb-nav")
        lists_row = w.HBox(self.list_buttons, layout=w.Layout(flex_flow="row wrap"))
        lists_row.add_class("wb-lists")
        self.widget = w.VBox([lang_row, self.header, self.overall, self.expect_progress,
                              lists_row,
                              self.list_progress, self.card, self.choices, self.comment, nav,
                              self.done])
        self.widget.add_class("wb-app")
        self.widget.children = (style_widget(), *self.widget.children)
        self.widget.add_class("wb-questionnaire")

    def _header(self) -> str:
        org = self.engagement.org(self.who.side)
        return render("apps/questionnaire_header.html.j2", eng=self.engagement, who=self.who,
                      org=org, lang=self.lang, **self._intro_context())

    def _label_controls(self) -> None:
        """Word the controls that keep their place (buttons, comment box, language label)."""
        _ = self._
        self.language.description = ""
        label = _("Language")
        self.language_label.value = f'<span class="wb-lang-label">{esc(label)}</span>'
        self.comment.description = _("Comment")
        self.back.description = _("← Back")
        self.back.tooltip = _("Previous question")
        self.next.tooltip = _("Next question")
        self.retry_button.description = _("Try again now")

    def _intro_context(self) -> dict[str, Any]:
        return {"n_expect": len(self.expect_questions), "other_org": self.other_org,
                "other_owner": possessive(self.other_org, self.lang)}

    def _expect_intro(self) -> str:
        return render("apps/expect_intro.html.j2", lang=self.lang, **self._intro_context())

    # ---- language --------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Speak `lang` from now on: the bank's texts and every word of the page, re-rendered
        in place (the step and what is on screen stay), and remembered for the respondent."""
        tag = resolve_language(lang)
        if tag == self.lang:
            return
        self.lang = tag
        self._ = gettext_for(tag, "apps")
        self.n_ = ngettext_for(tag, "apps")
        self.bank = bank_in(self.source_bank, tag)
        by_id = {q.id: q for q in self.bank.questions}
        self.questions = [by_id.get(q.id, q) for q in self.questions]
        self.steps = [Step(by_id.get(st.question.id, st.question), st.about)
                      for st in self.steps]
        self.expect_questions = [st.question for st in self.steps if st.expecting]
        self.saver.lang = tag
        self.store.set_respondent_language(self.who.engagement, self.who.id, tag)
        if self.language.value != tag:
            self.language.value = tag
        self.header.value = self._header()
        self._label_controls()
        self.go(self.index)
        if self.done.value:
            self.finish()

    def _on_language(self, change: dict[str, Any]) -> None:
        if change["new"] and change["new"] != self.lang:
            self.set_language(str(change["new"]))

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
        _ = self._
        if step.expecting:
            self.card.value = self._expect_card(q, where)
            self.widget.add_class("wb-expecting")
            self.comment.placeholder = _("Why do you expect this of them? (optional, for the "
                                         "facilitator)")
            dk_label = _("Don't know what they will answer")
        else:
            self.card.value = render("apps/question.html.j2", expecting=False, q=q,
                                     own_tag=bool(q.expect and self.asks_expectations),
                                     lang=self.lang, **where)
            self.widget.remove_class("wb-expecting")
            self.comment.placeholder = _("Add a comment for the facilitator (optional)")
            dk_label = _("Don't know")
        state = self.state_of(step)
        self._loading = True
        try:
            self.choices.options = [
                (f"{p} · {q.scale.anchors[p]}", p) for p in q.scale.points
            ] + [(dk_label, DK)] + ([(
                _("Does not apply to our role (%(roles)s)", roles=", ".join(q.na_roles)), NA)]
                if q.na_roles and not step.expecting else [])
            self.choices.value = DK if state.dont_know else NA if state.not_applicable \
                else state.value
            self.choices.description = ""
            self.comment.value = state.comment
        finally:
            self._loading = False
        if not self.saver.pending:
            self.status.value = _status(lang=self.lang)
        self.back.disabled = self.index == 0
        last = self.index == len(self.steps) - 1
        self.next.description = _("Finish") if last else _("Next →")
        self._refresh_progress()

    def _expect_card(self, q: Question, where: dict[str, Any]) -> str:
        """The band that asks for an estimate of the other side's answer to question `q`
        (`where`: the list's title, the question's position in it and the list's length)."""
        return render("apps/question.html.j2", expecting=True, q=q, **where, lang=self.lang,
                      other_side=self.other_side, other_org=self.other_org,
                      other_owner=possessive(self.other_org, self.lang),
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
        _ = self._
        n, total = self.answered_count(), len(self.questions)
        e, etotal = self.expected_count(), self.expect_total()
        if n == total and e == etotal:
            msg = (_("Thank you: all your answers and estimates are saved.") if etotal else
                   _("Thank you: all your answers are saved."))
        elif etotal:
            msg = _("Thank you. You have answered %(n)d of %(total)d questions and given "
                    "%(e)d of %(etotal)d estimates of %(org)s; the rest can be answered later "
                    "with the same link.", n=n, total=total, e=e, etotal=etotal,
                    org=self.other_org)
        else:
            msg = _("Thank you. You have answered %(n)d of %(total)d questions; the rest can "
                    "be answered later with the same link.", n=n, total=total)
        self.done.value = notice(msg, "ok")

    def _refresh_progress(self) -> None:
        _ = self._
        q = self.question

        def answered(done: int, total: int) -> str:
            return _("%(done)d of %(total)d answered", done=done, total=total)

        n_all = self.answered_count()
        self.overall.value = progress_bar(n_all, len(self.questions), _("Overall progress"),
                                          summary=answered(n_all, len(self.questions)))
        if self.expect_questions:
            e_all, e_total = self.expected_count(), self.expect_total()
            self.expect_progress.value = progress_bar(
                e_all, e_total, _("Your estimates of %(org)s", org=self.other_org),
                verb="given", cls="wb-progress-expect",
                summary=_("%(done)d of %(total)d given", done=e_all, total=e_total))
        lst = self.bank.list_map[q.list]
        n_list, t_list = self.answered_count(q.list), len(self.bank.questions_in(q.list))
        self.list_progress.value = progress_bar(n_list, t_list, lst.title,
                                                summary=answered(n_list, t_list))
        for lid, b in zip(self.lists, self.list_buttons, strict=True):
            n, total = self.answered_count(lid), len(self.bank.questions_in(lid))
            e, etotal = self.expected_count(lid), self.expect_total(lid)
            title = self.bank.list_map[lid].title
            b.tooltip = (_("%(list)s: %(n)d of %(total)d answered, %(e)d of %(etotal)d "
                           "estimates given", list=title, n=n, total=total, e=e,
                           etotal=etotal) if etotal else
                         _("%(list)s: %(n)d of %(total)d answered", list=title, n=n,
                           total=total))
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
            self.status.value = _status(hint=what, lang=self.lang)

    def _save(self, step: Step, state: OnScreen) -> None:
        self.saver.save(Answer(step.question.id, state.value, state.dont_know, state.comment,
                               about=step.about, not_applicable=state.not_applicable,
                               lang=self.lang))
        self._refresh_progress()

    def _show_status(self, status: SaveStatus) -> None:
        if status.state in ("saved", "unchanged"):
            self.retry_button.layout.display = "none"
        elif status.state == "retrying":
            self.retry_button.layout.display = "inline-flex"
        # the count changes with every save, so that two saves in the same second still show
        # as a new status (to people the text is the same; to a page watcher it is not)
        self._status_count = getattr(self, "_status_count", 0) + 1
        self.status.value = _status(status, self._status_count, lang=self.lang)


def _status(status: SaveStatus | None = None, saves: int = 0, hint: str = "",
            lang: str = "en") -> str:
    """The save status beside the buttons: empty, a hint of what to choose, or a save."""
    if status is None:
        return render("apps/save_status.html.j2", state=None, hint=hint, lang=lang)
    return render("apps/save_status.html.j2", state=status.state, saves=saves,
                  estimate=status.about == OTHER, at=status.at, message=status.message,
                  lang=lang)
