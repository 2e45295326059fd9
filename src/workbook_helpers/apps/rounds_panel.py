"""The setup page's rounds panel: the engagement's rounds so far, and a form to open the next
one (a health check after launch) with the same people carried over."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..exceptions import WorkbookError
from ..presenting.templating import render
from ..store import Store
from .html import notice

BANK_CHOICES = [("The same questions as before (the bank in use)", ""),
                ("Health check of the running alliance", "health_check_bank"),
                ("The pre-partnering questions", "question_bank")]


BANK_LABELS = {"": "The bank in use", "health_check_bank": "Health check of the running alliance",
               "question_bank": "The pre-partnering questions"}


def rounds_html(store: Store, engagement_id: str) -> str:
    """The rounds of an engagement as an escaped table, latest last."""
    rounds = [(r, BANK_LABELS.get(r.bank, r.bank), len(store.respondents(engagement_id, r.id)))
              for r in store.rounds(engagement_id)]
    return render("apps/rounds.html.j2", rounds=rounds)


class RoundsPanel:
    """Shows an engagement's rounds and opens a new one."""

    def __init__(self, store: Store, engagement: Callable[[], str],
                 on_opened: Callable[[str], None]) -> None:
        self.store, self.engagement, self.on_opened = store, engagement, on_opened
        self.table = w.HTML()
        self.round_id = w.Text(description="Round id", placeholder="health-2027-06",
                               style={"description_width": "initial"})
        self.title = w.Text(description="Title", placeholder="Health check, 6 months in",
                            style={"description_width": "initial"})
        self.bank = w.Dropdown(description="Questions", options=BANK_CHOICES,
                               value="health_check_bank",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="32em"))
        self.carry = w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto"),
                                description="Invite the same respondents (with new links)")
        self.open_button = w.Button(description="Open round", button_style="primary")
        self.open_button.on_click(lambda _b: self.open())
        self.message = w.HTML()
        heading = w.HTML(render("apps/setup_headings.html.j2", part="Rounds"))
        self.widget = w.VBox([heading, self.table, self.round_id, self.title,
                              self.bank, self.carry, self.open_button, self.message])
        self.widget.add_class("wb-rounds")

    def show(self) -> None:
        """Redraw the table for the chosen engagement."""
        self.table.value = rounds_html(self.store, self.engagement())

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
        self.message.value = notice(f"Opened round {r.id}: new personal links are listed "
                                    "above; earlier links keep their own round.", "ok")
        self.round_id.value = self.title.value = ""
        self.show()
        self.on_opened(r.id)
