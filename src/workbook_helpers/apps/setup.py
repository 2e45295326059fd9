"""The facilitator's setup page: engagements, organisations, respondents, links, rounds, CSV
import, and whether the questionnaire asks what each side expects of the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from ..bank import Bank
from ..exceptions import WorkbookError
from ..i18n import available_languages
from ..presenting.templating import render
from ..store import Store
from .html import notice
from .importing import ImportPanel
from .links import respondent_link
from .mail_panel import MailPanel
from .rounds_panel import RoundsPanel
from .style import style_widget

NEW = "__new__"
SAME = ""  # a respondent without a language of their own: the engagement's applies


def language_options(default: str) -> list[tuple[str, str]]:
    """The languages a select offers, by their own names, `default` first (with a value of
    `SAME` when it stands for "the engagement's language")."""
    return [(default, SAME), *((name, tag) for tag, name in available_languages().items())]


def roster_html(store: Store, engagement_id: str, base: str | None = None,
                bank: Bank | None = None) -> str:
    """The respondents of an engagement with their personal links, as an escaped table (with
    `bank`: also when each was invited and reminded, and how far they got)."""
    people = store.respondents(engagement_id)
    rnd = store.round(engagement_id)
    if not people:
        return notice(f"No respondents in round {rnd.id} yet: add them below.", "info")
    status = {}
    if bank is not None:
        from ..invitations import roster_status

        status = {s.respondent.id: s for s in roster_status(store, bank, engagement_id)}
    langs = available_languages()
    eng_lang = store.engagement_language(engagement_id)
    return render("apps/roster.html.j2", round_id=rnd.id, status=status, languages=langs,
                  default_lang=f"{langs.get(eng_lang, eng_lang)} (engagement)",
                  people=[(p, respondent_link(p.token, base)) for p in people])


def _heading(part: str, **context: Any) -> str:
    """One of the setup page's fixed headings ("hello", "options", or an h2's text)."""
    return render("apps/setup_headings.html.j2", part=part, **context)


class SetupApp:
    """Create or pick an engagement, add respondents, show their links, import a CSV."""

    def __init__(self, store: Store, bank: Bank, engagement_id: str = "",
                 base: str | None = None) -> None:
        self.store, self.bank, self.base = store, bank, base
        self.pick = w.Dropdown(description="Engagement", options=self._options(),
                               style={"description_width": "initial"})
        self.pick.observe(lambda _c: self.show(), names="value")
        self.new_id = w.Text(description="Id", placeholder="acme-globex-2026")
        self.new_host = w.Text(description="Host", placeholder="Host organisation")
        self.new_partner = w.Text(description="Partner", placeholder="Partner organisation")
        self.new_title = w.Text(description="Title", placeholder="optional")
        self.new_lang = w.Dropdown(description="Language", value="en",
                                   options=[(n, t) for t, n in available_languages().items()],
                                   tooltip="Reports, dashboard and the questionnaire of "
                                           "respondents without a language of their own")
        create = w.Button(description="Create engagement", button_style="primary")
        create.on_click(lambda _b: self.create())
        self.new_box = w.VBox([w.HTML(_heading("New engagement")), self.new_id, self.new_host,
                               self.new_partner, self.new_title, self.new_lang, create])
        self.r_id = w.Text(description="Id", placeholder="jane-doe")
        self.r_name = w.Text(description="Name", placeholder="Jane Doe")
        self.r_side = w.Dropdown(description="Side", options=[("Host", "host"),
                                                              ("Partner", "partner")])
        self.r_role = w.Text(description="Role", placeholder="CEO, alliance manager…")
        self.r_email = w.Text(description="E-mail", placeholder="optional: for invitations")
        self.r_lang = w.Dropdown(description="Language",
                                 options=language_options("The engagement's language"))
        self.r_lang.add_class("wb-r-lang")
        add = w.Button(description="Add respondent", button_style="primary")
        add.on_click(lambda _b: self.add())
        # a respondent's language later on (the questionnaire opens in it)
        self.l_who = w.Dropdown(description="Respondent", options=[])
        self.l_lang = w.Dropdown(description="Language",
                                 options=language_options("The engagement's language"))
        set_lang = w.Button(description="Set language")
        set_lang.on_click(lambda _b: self.set_language())
        self.l_who.add_class("wb-l-who")
        self.l_lang.add_class("wb-l-lang")
        set_lang.add_class("wb-set-lang")
        lang_box = w.VBox([w.HTML(_heading("Language of a respondent")),
                           w.HBox([self.l_who, self.l_lang, set_lang],
                                  layout=w.Layout(flex_flow="row wrap"))])
        self.importer = ImportPanel(store, bank, lambda _added: self._imported())
        self.rounds = RoundsPanel(store, lambda: str(self.pick.value), lambda _r: self.show())
        self.mail = MailPanel(store, bank, lambda: str(self.pick.value), self.show)
        self.upload = self.importer.upload
        self.roster = w.HTML()
        self.message = w.HTML()
        self.expectations = w.Checkbox(
            value=True, indent=False, layout=w.Layout(width="auto"),
            description="Ask what each side expects of the other (expectation questions)")
        self.expectations.observe(lambda _c: self.set_expectations(), names="value")
        self._showing = False
        n_expect = len(bank.expectation_questions)
        options = w.VBox([
            w.HTML(_heading("options", n_expect=n_expect)),
            self.expectations])
        options.add_class("wb-options")
        if not n_expect:
            options.layout.display = "none"
        self.eng_box = w.VBox([
            self.roster, options, w.HTML(_heading("Add a respondent")), self.r_id, self.r_name,
            self.r_side, self.r_role, self.r_email, self.r_lang, add, lang_box,
            self.mail.widget, self.rounds.widget,
            self.importer.widget])
        self.widget = w.VBox([w.HTML(_heading("hello")),
                              self.pick, self.message, self.new_box, self.eng_box])
        self.widget.add_class("wb-app")
        self.widget.children = (style_widget(), *self.widget.children)
        if engagement_id and engagement_id in dict(self.pick.options).values():
            self.pick.value = engagement_id
        self.show()

    def _options(self) -> list[tuple[str, str]]:
        frame = self.store.engagements()
        opts = [(f"{r.title} ({r.engagement})", str(r.engagement))
                for r in frame.itertuples(index=False)]
        return [*opts, ("New engagement…", NEW)]

    def show(self) -> None:
        """Show the form for a new engagement, or the roster of the chosen one."""
        new = self.pick.value == NEW
        self.new_box.layout.display = "flex" if new else "none"
        self.eng_box.layout.display = "none" if new else "flex"
        if not new:
            self.roster.value = roster_html(self.store, str(self.pick.value), self.base,
                                            self.bank)
            self.l_who.options = [(f"{p.name} ({p.id})", p.id)
                                  for p in self.store.respondents(str(self.pick.value))]
            self.mail.show()
            self.rounds.show()
            self._showing = True
            try:
                self.expectations.value = self.store.engagement(
                    str(self.pick.value)).expectations
            finally:
                self._showing = False

    def set_expectations(self) -> None:
        """Switch the expectation questions on or off for the chosen engagement."""
        if self._showing or self.pick.value == NEW:
            return
        try:
            eng = self.store.set_engagement_options(str(self.pick.value),
                                                    expectations=bool(self.expectations.value))
        except WorkbookError as exc:
            self.message.value = notice(f"Could not change the setting: {exc}", "error")
            return
        state = ("now asks" if eng.expectations else "no longer asks")
        self.message.value = notice(f"The questionnaire of {eng.title} {state} what each side "
                                    "expects of the other.", "ok")

    def create(self) -> None:
        """Create the engagement typed into the form and select it."""
        try:
            eng = self.store.create_engagement(self.new_id.value.strip(),
                                               self.new_host.value.strip() or "Host",
                                               self.new_partner.value.strip() or "Partner",
                                               title=self.new_title.value.strip() or None,
                                               bank_version=self.bank.version,
                                               lang=str(self.new_lang.value or "en"))
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.pick.options = self._options()
        self.pick.value = eng.id
        self.message.value = notice(f"Created {eng.title}.", "ok")

    def add(self) -> None:
        """Add the respondent typed into the form."""
        from ..invitations.addresses import check_email

        try:
            email = check_email(self.r_email.value, column="E-mail")
            who = self.store.add_respondent(str(self.pick.value), self.r_id.value.strip(),
                                            self.r_name.value.strip(), self.r_side.value,
                                            self.r_role.value.strip(), email=email,
                                            lang=str(self.r_lang.value) or None)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.message.value = notice(f"Added {who.name}.", "ok")
        self.r_id.value = self.r_name.value = self.r_role.value = self.r_email.value = ""
        self.r_lang.value = SAME
        self.show()

    def set_language(self) -> None:
        """Give the chosen respondent the chosen language (or the engagement's)."""
        if self.pick.value == NEW or not self.l_who.value:
            return
        who, lang = str(self.l_who.value), str(self.l_lang.value) or None
        try:
            self.store.set_respondent_language(str(self.pick.value), who, lang)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        name = available_languages().get(lang, "") if lang else "the engagement's language"
        self.message.value = notice(f"{who} now answers in {name}.", "ok")
        self.show()

    def import_file(self, path: str | Path) -> dict[str, Any]:
        """Import an answers CSV into the store (all or nothing) and report what happened."""
        from ..answers.csv_file import read_answers_csv
        from ..bank.choice import round_banks

        frame, warnings = read_answers_csv(path, self.bank, round_banks(self.store, self.bank))
        added = self.store.import_answers(frame, file=str(path), bank_version=self.bank.version)
        text = (f"Imported {added['answers']} answers ({added['unchanged']} unchanged, "
                f"{added['respondents']} new respondents).")
        if warnings:
            text += " Warnings: " + " ".join(str(x) for x in warnings)
        self.message.value = notice(text, "ok")
        self.pick.options = self._options()
        self.show()
        return added

    def _imported(self) -> None:
        """After a confirmed import: new engagements in the list, the roster redrawn."""
        self.pick.options = self._options()
        self.show()
