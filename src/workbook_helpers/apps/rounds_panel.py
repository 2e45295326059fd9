"""The setup page's rounds panel: the engagement's rounds so far, and a form to open the next
one (a health check after launch) with the same people carried over. It speaks the setup
page's language (`apps` catalogue)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..exceptions import WorkbookError
from ..i18n import gettext_for
from ..presenting.templating import render
from ..store import Store
from .html import notice


def N_(message: str) -> str:
    """Mark `message` for the `apps` catalogue; it is translated where it is shown."""
    return message


BANK_CHOICES = [(N_("The same questions as before (the bank in use)"), ""),
                (N_("Health check of the running alliance"), "health_check_bank"),
                (N_("The pre-partnering questions"), "question_bank")]


BANK_LABELS = {"": N_("The bank in use"),
               "health_check_bank": N_("Health check of the running alliance"),
               "question_bank": N_("The pre-partnering questions")}


def rounds_html(store: Store, engagement_id: str, lang: str = "en") -> str:
    """The rounds of an engagement as an escaped table, latest last, in `lang`."""
    from ..presenting.speaking import speaking

    _ = gettext_for(lang, "apps")
    rounds = [(r, _(BANK_LABELS[r.bank]) if r.bank in BANK_LABELS else r.bank,
               len(store.respondents(engagement_id, r.id)))
              for r in store.rounds(engagement_id)]
    with speaking(lang):  # the dates in the page's language
        return render("apps/rounds.html.j2", rounds=rounds, lang=lang, domain="apps")


class RoundsPanel:
    """Shows an engagement's rounds and opens a new one."""

    def __init__(self, store: Store, engagement: Callable[[], str],
                 on_opened: Callable[[str], None], lang: str = "en") -> None:
        self.store, self.engagement, self.on_opened = store, engagement, on_opened
        self.lang = lang
        _ = self._ = gettext_for(lang, "apps")
        self.table = w.HTML()
        self.round_id = w.Text(description=_("Round id"), placeholder="health-2027-06",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="min(30em, 100%)"))
        self.title = w.Text(description=_("Title"), placeholder=_("Health check, 6 months in"),
                            style={"description_width": "initial"},
                            layout=w.Layout(width="min(30em, 100%)"))
        self.bank = w.Dropdown(description=_("Questions"),
                               options=[(_(label), value) for label, value in BANK_CHOICES],
                               value="health_check_bank",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="32em"))
        self.carry = w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto"),
                                description=_("Invite the same respondents (with new links)"))
        self.open_button = w.Button(description=_("Open round"), button_style="primary",
                                     layout=w.Layout(width="auto", align_self="flex-start"))
        self.open_button.on_click(lambda _b: self.open())
        self.message = w.HTML()
        heading = w.HTML(render("apps/setup_headings.html.j2", part="rounds", lang=lang,
                                domain="apps"))
        self.widget = w.VBox([heading, self.table, self.round_id, self.title,
                              self.bank, self.carry, self.open_button, self.message])
        self.widget.add_class("wb-rounds")

    def show(self) -> None:
        """Redraw the table for the chosen engagement."""
        self.table.value = rounds_html(self.store, self.engagement(), self.lang)

    def open(self) -> None:
        """Open the round typed into the form."""
        try:
            r = self.store.add_round(self.engagement(), self.round_id.value.strip(),
                                     bank=str(self.bank.value),
                                     title=self.title.value.strip(),
                                     carry=bool(self.carry.value))
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.message.value = notice(self._("Opened round %(round)s: new personal links are "
                                           "listed above; earlier links keep their own "
                                           "round.", round=r.id), "ok")
        self.round_id.value = self.title.value = ""
        self.show()
        self.on_opened(r.id)
