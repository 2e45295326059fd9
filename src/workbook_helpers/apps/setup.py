"""The facilitator's setup page: engagements, organisations, respondents, links, rounds, CSV
import, and whether the questionnaire asks what each side expects of the other.

It speaks the facilitator's language the way the dashboard does: the one asked for (the URL's
`?lang=`, or the notebook's `lang`), else the language of the engagement it opens on, else
English; every word comes from the `apps` catalogue. A select at the top switches the page's
language in place (the engagement chosen stays chosen). What people typed (names, roles,
titles, organisations) is shown as written, escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as w

from ..bank import Bank
from ..exceptions import WorkbookError
from ..i18n import available_languages, gettext_for, ngettext_for, resolve_language
from ..presenting.templating import render
from ..store import Store
from .html import notice
from .importing import ImportPanel, imported_text
from .links import respondent_link
from .mail_panel import MailPanel
from .rounds_panel import RoundsPanel
from .style import style_widget

NEW = "__new__"
SAME = ""  # a respondent without a language of their own: the engagement's applies


def _initial() -> dict[str, Any]:
    """A label as wide as its words."""
    return {"style": {"description_width": "initial"}}


def _field() -> dict[str, Any]:
    """A field wide enough for the longer words of German, French and Spanish."""
    return {"layout": w.Layout(width="min(30em, 100%)")}


def _fit() -> dict[str, Any]:
    """A button as wide as its words, on the left."""
    return {"layout": w.Layout(width="auto", align_self="flex-start")}


def setup_language(asked: str | None, engagement: str | None) -> str:
    """The setup page's language: the one asked for when the `apps` catalogue speaks it,
    else the engagement's, else English (the dashboard's rule)."""
    return resolve_language(asked, engagement, domain="apps")


def language_options(default: str) -> list[tuple[str, str]]:
    """The languages a select offers, by their own names, `default` first (with a value of
    `SAME` when it stands for "the engagement's language")."""
    return [(default, SAME), *((name, tag) for tag, name in available_languages().items())]


def language_in(tag: str, lang: str) -> str:
    """The name of the language `tag` as `lang` writes it inside a sentence ("allemand" in
    French, "German" in English); the tag itself when Babel does not know it."""
    from babel.core import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag.replace("-", "_")).get_display_name(
            lang.replace("-", "_")) or tag)
    except (UnknownLocaleError, ValueError):
        return tag


def roster_html(store: Store, engagement_id: str, base: str | None = None,
                bank: Bank | None = None, lang: str = "en") -> str:
    """The respondents of an engagement with their personal links, as an escaped table (with
    `bank`: also when each was invited and reminded, and how far they got), in `lang`."""
    from ..presenting.speaking import speaking

    people = store.respondents(engagement_id)
    rnd = store.round(engagement_id)
    if not people:
        _ = gettext_for(lang, "apps")
        return notice(_("No respondents in round %(round)s yet: add them below.",
                        round=rnd.id), "info")
    status = {}
    if bank is not None:
        from ..invitations import roster_status

        status = {s.respondent.id: s for s in roster_status(store, bank, engagement_id)}
    langs = available_languages()
    eng_lang = store.engagement_language(engagement_id)
    with speaking(lang):  # dates name the month in the page's language
        return render("apps/roster.html.j2", round_id=rnd.id, status=status, languages=langs,
                      eng_lang=langs.get(eng_lang, eng_lang), lang=lang, domain="apps",
                      people=[(p, respondent_link(p.token, base)) for p in people])


def _heading(part: str, lang: str = "en", **context: Any) -> str:
    """One of the setup page's fixed headings ("hello", "options", "import", or the key of
    an h2)."""
    return render("apps/setup_headings.html.j2", part=part, lang=lang, domain="apps",
                  **context)


class SetupApp:
    """Create or pick an engagement, add respondents, show their links, import a CSV."""

    def __init__(self, store: Store, bank: Bank, engagement_id: str = "",
                 base: str | None = None, lang: str | None = None) -> None:
        self.store, self.bank, self.base = store, bank, base
        frame = store.engagements()
        known = [str(e) for e in frame["engagement"]] if len(frame) else []
        first = engagement_id if engagement_id in known else (known[0] if known else "")
        self.lang = setup_language(lang, store.engagement_language(first) if first else None)
        self.widget = w.VBox()
        self.widget.add_class("wb-app")
        self.widget.add_class("wb-setup")
        self._build(engagement_id)

    # ---- building --------------------------------------------------------------------------
    def _build(self, engagement_id: str) -> None:
        """Make every control in `self.lang` and put them on the page."""
        self._ = gettext_for(self.lang, "apps")
        self.n_ = ngettext_for(self.lang, "apps")
        self.pick = w.Dropdown(description=self._("Engagement"), options=self._options(),
                               **_initial())
        self.pick.add_class("wb-engagement-pick")
        self.pick.observe(lambda _c: self.show(), names="value")
        self.new_box = self._new_engagement_box()
        self.importer = ImportPanel(self.store, self.bank, lambda _added: self._imported(),
                                    lang=self.lang)
        self.rounds = RoundsPanel(self.store, lambda: str(self.pick.value),
                                  lambda _r: self.show(), lang=self.lang)
        self.mail = MailPanel(self.store, self.bank, lambda: str(self.pick.value), self.show,
                              lang=self.lang)
        self.upload = self.importer.upload
        self.roster = w.HTML()
        self.message = w.HTML()
        self._showing = False
        self.eng_box = w.VBox([
            self.roster, self._options_box(), *self._add_respondent_box(),
            self._respondent_language_box(), self.mail.widget, self.rounds.widget,
            self.importer.widget])
        self.widget.children = (style_widget(), w.HTML(self._h("hello")),
                                self._language_row(), self.pick, self.message, self.new_box,
                                self.eng_box)
        if engagement_id and engagement_id in dict(self.pick.options).values():
            self.pick.value = engagement_id
        self.show()

    def _language_row(self) -> w.HBox:
        """The page's own language, top right (its label names the select for screen
        readers)."""
        langs = available_languages()
        self.language = w.Dropdown(description=self._("Language"),
                                   options=[(name, tag) for tag, name in langs.items()],
                                   value=self.lang if self.lang in langs else None,
                                   layout=w.Layout(width="auto"), **_initial())
        self.language.add_class("wb-setup-lang")
        self.language.observe(self._on_language, names="value")
        row = w.HBox([self.language],
                     layout=w.Layout(display="flex" if len(langs) > 1 else "none",
                                     justify_content="flex-end", align_items="center"))
        row.add_class("wb-lang-row")
        return row

    def _new_engagement_box(self) -> w.VBox:
        """The form for a new engagement (its language defaults to the page's)."""
        _ = self._
        self.new_id = w.Text(description=_("Id"), placeholder="acme-globex-2026", **_field())
        self.new_host = w.Text(description=_("Host"), placeholder=_("Host organisation"),
                               **_field())
        self.new_partner = w.Text(description=_("Partner"),
                                  placeholder=_("Partner organisation"), **_field())
        self.new_title = w.Text(description=_("Title"), placeholder=_("optional"), **_field())
        self.new_lang = w.Dropdown(description=_("Language"), value=self.lang,
                                   options=[(n, t) for t, n in available_languages().items()],
                                   tooltip=_("Reports, dashboard and the questionnaire of "
                                             "respondents without a language of their own"),
                                   **_field())
        create = w.Button(description=_("Create engagement"), button_style="primary", **_fit())
        create.on_click(lambda _b: self.create())
        return w.VBox([w.HTML(self._h("new")), self.new_id, self.new_host, self.new_partner,
                       self.new_title, self.new_lang, create])

    def _options_box(self) -> w.VBox:
        """Whether the questionnaire asks what each side expects of the other."""
        self.expectations = w.Checkbox(
            value=True, indent=False, layout=w.Layout(width="auto"),
            description=self._("Ask what each side expects of the other (expectation "
                               "questions)"))
        self.expectations.observe(lambda _c: self.set_expectations(), names="value")
        n_expect = len(self.bank.expectation_questions)
        box = w.VBox([w.HTML(self._h("options", n_expect=n_expect)), self.expectations])
        box.add_class("wb-options")
        if not n_expect:
            box.layout.display = "none"
        return box

    def _add_respondent_box(self) -> list[w.Widget]:
        """The heading and fields that add a respondent (the placeholders are sample people,
        as a reader of the language would pick them)."""
        _ = self._
        self.r_id = w.Text(description=_("Id"), placeholder=_("jane-doe"), **_field())
        self.r_name = w.Text(description=_("Name"), placeholder=_("Jane Doe"), **_field())
        self.r_side = w.Dropdown(description=_("Side"), options=[(_("Host"), "host"),
                                                                 (_("Partner"), "partner")],
                                 **_field())
        self.r_role = w.Text(description=_("Role"), placeholder=_("CEO, alliance manager…"),
                             **_field())
        self.r_email = w.Text(description=_("E-mail"),
                              placeholder=_("optional: for invitations"), **_field())
        self.r_lang = w.Dropdown(description=_("Language"),
                                 options=language_options(_("The engagement's language")),
                                 **_field())
        self.r_lang.add_class("wb-r-lang")
        add = w.Button(description=_("Add respondent"), button_style="primary", **_fit())
        add.on_click(lambda _b: self.add())
        return [w.HTML(self._h("add")), self.r_id, self.r_name, self.r_side, self.r_role,
                self.r_email, self.r_lang, add]

    def _respondent_language_box(self) -> w.VBox:
        """A respondent's language later on (their questionnaire opens in it)."""
        _ = self._
        self.l_who = w.Dropdown(description=_("Respondent"), options=[], **_initial())
        self.l_lang = w.Dropdown(description=_("Language"),
                                 options=language_options(_("The engagement's language")),
                                 **_initial())
        set_lang = w.Button(description=_("Set language"), **_fit())
        set_lang.on_click(lambda _b: self.set_language())
        self.l_who.add_class("wb-l-who")
        self.l_lang.add_class("wb-l-lang")
        set_lang.add_class("wb-set-lang")
        return w.VBox([w.HTML(self._h("respondent-language")),
                       w.HBox([self.l_who, self.l_lang, set_lang],
                              layout=w.Layout(flex_flow="row wrap"))])

    def _h(self, part: str, **context: Any) -> str:
        return _heading(part, self.lang, **context)

    def _options(self) -> list[tuple[str, str]]:
        frame = self.store.engagements()
        opts = [(f"{r.title} ({r.engagement})", str(r.engagement))
                for r in frame.itertuples(index=False)]
        return [*opts, (self._("New engagement…"), NEW)]

    # ---- language --------------------------------------------------------------------------
    def set_page_language(self, lang: str) -> None:
        """Speak `lang` from now on: every control is made again in it, the engagement chosen
        stays chosen. (The page's language only: respondents and engagements keep theirs.)"""
        tag = setup_language(lang, None)
        if tag == self.lang:
            return
        keep = str(self.pick.value or "")
        self.lang = tag
        self._build(keep)

    def _on_language(self, change: dict[str, Any]) -> None:
        if change["new"] and change["new"] != self.lang:
            self.set_page_language(str(change["new"]))

    # ---- showing and acting ----------------------------------------------------------------
    def show(self) -> None:
        """Show the form for a new engagement, or the roster of the chosen one."""
        new = self.pick.value == NEW
        self.new_box.layout.display = "flex" if new else "none"
        self.eng_box.layout.display = "none" if new else "flex"
        if not new:
            self.roster.value = roster_html(self.store, str(self.pick.value), self.base,
                                            self.bank, lang=self.lang)
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
        _ = self._
        if self._showing or self.pick.value == NEW:
            return
        try:
            eng = self.store.set_engagement_options(str(self.pick.value),
                                                    expectations=bool(self.expectations.value))
        except WorkbookError as exc:
            self.message.value = notice(_("Could not change the setting: %(problem)s",
                                          problem=str(exc)), "error")
            return
        text = (_("The questionnaire of %(title)s now asks what each side expects of the "
                  "other.", title=eng.title) if eng.expectations else
                _("The questionnaire of %(title)s no longer asks what each side expects of "
                  "the other.", title=eng.title))
        self.message.value = notice(text, "ok")

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
        self.message.value = notice(self._("Created %(title)s.", title=eng.title), "ok")

    def add(self) -> None:
        """Add the respondent typed into the form."""
        from ..answers.addresses import check_email

        try:
            email = check_email(self.r_email.value, column="E-mail")
            who = self.store.add_respondent(str(self.pick.value), self.r_id.value.strip(),
                                            self.r_name.value.strip(), self.r_side.value,
                                            self.r_role.value.strip(), email=email,
                                            lang=str(self.r_lang.value) or None)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        self.message.value = notice(self._("Added %(name)s.", name=who.name), "ok")
        self.r_id.value = self.r_name.value = self.r_role.value = self.r_email.value = ""
        self.r_lang.value = SAME
        self.show()

    def set_language(self) -> None:
        """Give the chosen respondent the chosen language (or the engagement's)."""
        _ = self._
        if self.pick.value == NEW or not self.l_who.value:
            return
        who, lang = str(self.l_who.value), str(self.l_lang.value) or None
        try:
            self.store.set_respondent_language(str(self.pick.value), who, lang)
        except WorkbookError as exc:
            self.message.value = notice(str(exc), "error")
            return
        name = self.store.respondent(str(self.pick.value), who).name
        if lang:
            text = _("%(who)s now answers in %(language)s.", who=name,
                     language=language_in(lang, self.lang))
        else:
            text = _("%(who)s now answers in the engagement's language.", who=name)
        self.message.value = notice(text, "ok")
        self.show()

    def import_file(self, path: str | Path) -> dict[str, Any]:
        """Import an answers CSV into the store (all or nothing) and report what happened."""
        from ..answers.csv_file import read_answers_csv
        from ..bank.choice import round_banks

        frame, warnings = read_answers_csv(path, self.bank, round_banks(self.store, self.bank))
        added = self.store.import_answers(frame, file=str(path), bank_version=self.bank.version)
        text = imported_text(self.n_, added)
        if warnings:
            text += " " + self._("Warnings: %(warnings)s",
                                 warnings=" ".join(str(x) for x in warnings))
        self.message.value = notice(text, "ok")
        self.pick.options = self._options()
        self.show()
        return added

    def _imported(self) -> None:
        """After a confirmed import: new engagements in the list, the roster redrawn."""
        self.pick.options = self._options()
        self.show()

