"""The dashboard's action form: record what the room agreed (text, owner, due date, the list
and kind of gap it answers) and move an action to done, dropped or open again. It speaks the
language it was built in (the dashboard's, see `speaking`); the actions' texts stay as typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import ipywidgets as w

from ..bank import Bank
from ..exceptions import WorkbookError
from ..presenting import judgment as presenting
from ..presenting.speaking import _, current, speaking
from ..scoring.trend import GAP_KINDS
from ..store import Action, Store
from .html import notice

NONE = ""


def _due_default() -> date:
    return datetime.now(UTC).date() + timedelta(days=30)


class ActionsPanel:
    """Records actions into an engagement's latest round and changes their status."""

    def __init__(self, store: Store, engagement_id: str,
                 on_change: Callable[[], object]) -> None:
        self.store, self.engagement_id, self.on_change = store, engagement_id, on_change
        self.lang = current()
        wide = {"description_width": "7em"}
        self.text = w.Textarea(description=_("Action"),
                               placeholder=_("What the room agreed to do"),
                               style=wide, layout=w.Layout(width="min(36em, 100%)"))
        self.owner = w.Text(description=_("Owner"), placeholder=_("Who will do it"),
                            style=wide)
        self.due = w.DatePicker(description=_("Due"), value=_due_default(), style=wide)
        self.list_pick = w.Dropdown(description=w_answers(),
                                    options=[(_("(no list)"), NONE)],
                                    style=wide, layout=w.Layout(width="min(30em, 100%)"))
        self.flag_pick = w.Dropdown(
            description=_("Gap kind"), style=wide, layout=w.Layout(width="min(30em, 100%)"),
            options=[(_("(any gap on that list)"), NONE)]
            + [(presenting.kind_label(k), k) for k in GAP_KINDS])
        self.record_button = w.Button(description=_("Record action"), button_style="primary")
        self.record_button.on_click(lambda _b: self.record())
        self.pick = w.Dropdown(description=_("Action"), options=[], style=wide,
                               layout=w.Layout(width="min(36em, 100%)"))
        self.note = w.Text(description=_("Note"), placeholder=_("optional: what happened"),
                           style=wide)
        self.done_button = w.Button(description=_("Mark done"), button_style="success")
        self.drop_button = w.Button(description=_("Drop"))
        self.reopen_button = w.Button(description=_("Reopen"))
        for button, status in ((self.done_button, "done"), (self.drop_button, "dropped"),
                               (self.reopen_button, "open")):
            button.on_click(lambda _b, s=status: self.set_status(s))
        self.message = w.HTML()
        record_title, update_title = _("Record an action"), _("Update an action")
        form = w.VBox([w.HTML(f"<h3>{record_title}</h3>"), self.text, self.owner,
                       self.due, self.list_pick, self.flag_pick, self.record_button])
        change = w.VBox([w.HTML(f"<h3>{update_title}</h3>"), self.pick, self.note,
                         w.HBox([self.done_button, self.drop_button, self.reopen_button])])
        self.widget = w.VBox([form, change, self.message])
        self.widget.add_class("wb-action-form")

    def update(self, bank: Bank, actions: list[Action]) -> None:
        """Offer the lists of the round's bank and the engagement's actions."""
        with speaking(self.lang):
            self._update(bank, actions)

    def _update(self, bank: Bank, actions: list[Action]) -> None:
        lists = [(_("(no list)"), NONE)] + [(lst.title, lst.id) for lst in bank.lists
                                         if any(q.scored for q in bank.questions_in(lst.id))]
        if list(self.list_pick.options) != lists:
            keep = self.list_pick.value
            self.list_pick.options = lists
            self.list_pick.value = keep if keep in dict(lists).values() else NONE
        opts = [(f"{a.id}. {a.text[:70]} ({presenting.status_label(a.status).lower()})", a.id)
                for a in actions]
        if list(self.pick.options) != opts:
            keep = self.pick.value
            self.pick.options = opts
            if keep in dict(opts).values():
                self.pick.value = keep

    def record(self) -> None:
        """Record the action typed into the form, in the latest round."""
        with speaking(self.lang):
            self._record()

    def _record(self) -> None:
        if self.due.value is None:
            self.message.value = notice(_("Choose a due date."), "error")
            return
        try:
            a = self.store.add_action(self.engagement_id, self.text.value, self.owner.value,
                                      self.due.value, list_id=self.list_pick.value or None,
                                      flag=self.flag_pick.value or None)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.text.value = self.owner.value = ""
        self.due.value = _due_default()
        from ..presenting.formats import date as date_text

        self.message.value = notice(_("Recorded action {id}: {text} ({owner}, due {due}).").format(
            id=a.id, text=a.text, owner=a.owner, due=date_text(a.due, "%d %b %Y")
            if self.lang == "en" else date_text(a.due, "short")), "ok")
        self.on_change()

    def set_status(self, status: str) -> None:
        """Move the chosen action to `status`, with the note."""
        with speaking(self.lang):
            self._set_status(status)

    def _set_status(self, status: str) -> None:
        if self.pick.value is None:
            self.message.value = notice(_("Choose an action first."), "error")
            return
        try:
            a = self.store.set_action_status(self.engagement_id, int(self.pick.value), status,
                                             self.note.value.strip())
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.note.value = ""
        self.message.value = notice(_("Action {id} is now {status}.").format(
            id=a.id, status=presenting.status_label(a.status).lower()), "ok")
        self.on_change()


def w_answers() -> str:
    """The label of the list an action answers (the action table's 'Answers' column)."""
    from ..presenting.speaking import DOMAIN

    if current() == "en":
        return "Answers"
    from ..i18n import translations

    return str(translations(current(), DOMAIN).pgettext("action answers", "Answers"))
