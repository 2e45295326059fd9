"""The setup page's panel that sends invitations and reminders: a button per kind, a
confirmation that says who will get a message (and who not, and why), then the send through
the mail server of `WORKBOOK_SMTP_URL`, every message recorded like `workbook invite`. The
panel speaks the setup page's language (`apps` catalogue); the messages themselves go out in
each respondent's language (`invitations`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w

from ..bank import Bank
from ..exceptions import WorkbookError
from ..i18n import gettext_for, ngettext_for
from ..presenting.templating import render
from ..store import Store
from .html import notice


class MailPanel:
    """Send invitations or reminders to the latest round's respondents, after a confirmation."""

    def __init__(self, store: Store, bank: Bank, engagement: Callable[[], str],
                 on_sent: Callable[[], None], lang: str = "en") -> None:
        self.store, self.bank, self.engagement, self.on_sent = store, bank, engagement, on_sent
        self.lang = lang
        _ = self._ = gettext_for(lang, "apps")
        self.n_ = ngettext_for(lang, "apps")
        self.deadline = w.Text(description=_("Answer by"),
                               placeholder=_("YYYY-MM-DD (optional)"),
                               style={"description_width": "initial"},
                               layout=w.Layout(width="min(26em, 100%)"))
        self.invite_button = w.Button(description=_("Send invitations…"),
                                      layout=w.Layout(width="auto"))
        self.remind_button = w.Button(description=_("Send reminders…"),
                                      layout=w.Layout(width="auto"))
        self.invite_button.on_click(lambda _b: self.ask("invite"))
        self.remind_button.on_click(lambda _b: self.ask("remind"))
        self.question = w.HTML()
        self.confirm_button = w.Button(description=_("Send now"), button_style="primary",
                                        layout=w.Layout(width="auto"))
        self.cancel_button = w.Button(description=_("Cancel"), layout=w.Layout(width="auto"))
        self.confirm_button.on_click(lambda _b: self.send())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.confirm_box = w.VBox([self.question, w.HBox([self.confirm_button,
                                                          self.cancel_button])])
        self.confirm_box.add_class("wb-mail-confirm")
        self.confirm_box.layout.display = "none"
        self.message = w.HTML()
        self.pending: str | None = None
        self.widget = w.VBox([
            w.HTML(render("apps/setup_headings.html.j2", part="mail", lang=lang,
                          domain="apps")),
            w.HBox([self.deadline, self.invite_button, self.remind_button],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.confirm_box, self.message])
        self.widget.add_class("wb-mail")

    def show(self) -> None:
        """Back to the buttons (after the engagement changed)."""
        self.cancel()

    def _deadline(self) -> date | None:
        text = self.deadline.value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise WorkbookError(self._("'Answer by' %(text)s is not a date: use YYYY-MM-DD, "
                                       "e.g. 2027-01-15, or leave it empty.",
                                       text=repr(text))) from None

    def ask(self, kind: str) -> None:
        """Say who would get a message of this kind, and ask to confirm."""
        from ..config import settings
        from ..invitations import plan_messages

        _, n_ = self._, self.n_
        self.message.value = ""
        if not settings().smtp_url:
            self.message.value = notice(_(
                "No mail server is set: start 'workbook serve' with WORKBOOK_SMTP_URL set, or "
                "write the messages as files with 'workbook invite ENGAGEMENT --eml DIR' "
                "(docs/invitations.md)."), "warn")
            return
        try:
            self._deadline()
            planned = plan_messages(self.store, self.bank, self.engagement(), None, kind)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        going = [p for p in planned if p.goes]
        left = [f"{p.respondent.name} ({p.skip})" for p in planned if not p.goes]
        left_out = (" " + _("Left out: %(people)s.", people="; ".join(left))) if left else ""
        if not going:
            nobody = (_("Nobody needs an invitation now.") if kind == "invite" else
                      _("Nobody needs a reminder now."))
            self.message.value = notice(nobody + left_out, "info")
            return
        names = ", ".join(f"{p.respondent.name} <{p.address}>" for p in going)
        if kind == "invite":
            text = n_("Send %(num)d invitation to: %(names)s?",
                      "Send %(num)d invitations to: %(names)s?", len(going), names=names)
        else:
            text = n_("Send %(num)d reminder to: %(names)s?",
                      "Send %(num)d reminders to: %(names)s?", len(going), names=names)
        self.question.value = notice(text + left_out, "warn")
        self.confirm_button.description = _("Send %(num)d now", num=len(going))
        self.pending = kind
        self.confirm_box.layout.display = "flex"

    def cancel(self) -> None:
        """Drop the question without sending."""
        self.pending = None
        self.confirm_box.layout.display = "none"

    def send(self) -> None:
        """Send what was confirmed (planned again, so nobody gets a message twice)."""
        from ..bank.choice import bank_for
        from ..invitations import MailContext, deliver, parse_smtp_url, plan_messages
        from ..invitations.plan import minutes_needed, round_of

        kind = self.pending
        self.cancel()
        if kind is None:
            return
        eng_id = self.engagement()
        try:
            target = parse_smtp_url()
            sender = target.default_sender
            if not sender:
                raise WorkbookError(self._("the mail server's URL names no sender: add "
                                           "?from=ADDRESS to WORKBOOK_SMTP_URL."))
            eng = self.store.engagement(eng_id)
            rnd = round_of(self.store, eng_id, None)
            going = [p for p in plan_messages(self.store, self.bank, eng_id, rnd.id, kind)
                     if p.goes]
            ctx = MailContext(eng, rnd.title or rnd.id, "", self._deadline(),
                              minutes_needed(bank_for(rnd.bank, self.bank), eng.expectations),
                              sender)
            report = deliver(self.store, going, ctx, target)
        except WorkbookError as exc:
            self.message.value = notice(self._("Not everything was sent: %(problem)s",
                                               problem=str(exc)), "error")
        else:
            n = len(report.sent)
            self.message.value = notice(
                self.n_("Sent %(num)d invitation.", "Sent %(num)d invitations.", n)
                if kind == "invite" else
                self.n_("Sent %(num)d reminder.", "Sent %(num)d reminders.", n), "ok")
        self.on_sent()


def message_roster_html(store: Store, bank: Bank, engagement_id: str,
                        anonymous: bool = False, answers: Any = None) -> str:
    """The dashboard's roster: per respondent of the latest round, invited, reminded, started
    and finished (roles instead of names when anonymous; never an address)."""
    from ..invitations import roster_status

    rows = roster_status(store, bank, engagement_id, answers=answers)
    if not rows:
        return ""
    from ..presenting.speaking import current

    return str(render("apps/message_roster.html.j2", rows=rows, anonymous=anonymous,
                      round_id=rows[0].respondent.round, lang=current(), domain="report"))
