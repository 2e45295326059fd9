"""The facilitator's dashboard: completion, scores, fit map, verdict and gaps to discuss.

Results stay hidden until the facilitator reveals them *and* the bank's minimum number of
respondents per side have answered. Anonymous mode shows roles instead of names. The page
polls the store every few seconds and redraws only when answers or options changed.

The dashboard speaks the facilitator's language (`lang`: the URL's `lang`, else the
engagement's, else English) through the `report` catalogue: its labels, the score result's
sentences, the charts and the bank's texts. Respondents' comments are shown as written, with
the language they were written in when the store knows it.

The verdict card says how firm the verdict is (`presenting.firmness`); once revealed, the
section "What each side got wrong about the other" shows the expectation gaps. Estimates of
the other side (`about = other-side`) are counted apart in the completion chart and never
drawn as answers in the heat map.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import date
from typing import Any

import ipywidgets as w
from markupsafe import Markup

from ..bank import Bank
from ..exceptions import WorkbookError
from ..presenting import brand
from ..presenting import judgment as presenting
from ..presenting.speaking import N_, _, current, speaking
from ..presenting.templating import render as _render_in
from ..scoring.actionplan import PlannedAction
from ..scoring.model import ScoreResult, Trend
from ..scoring.view import EngagementView, engagement_view
from ..store import Store
from .actions_panel import ActionsPanel
from .html import notice, svg_figure
from .style import style_widget

FIT_MAP_LABEL = N_("Fit map: sides and respondents by willingness to share and by importance")
EXPECT_LABEL = N_("Dumbbell chart: for each list, what each side expected of the other side "
                  "and what the other side answered")
EXPECT_TITLE = N_("What each side got wrong about the other")
TREND_LABEL = N_("Small line charts, one per list: each side's score in every round over a "
                 "band that is the gap between the sides")


def render(name: str, /, **context: Any) -> Markup:
    """Render one dashboard template in the language being spoken (`report` catalogue)."""
    return _render_in(name, lang=current(), domain="report", **context)


#: What the dashboard draws from: the engagement's one typed view (read in one go).
Snapshot = EngagementView


def snapshot(store: Store, bank: Bank, engagement_id: str) -> Snapshot:
    """Read the latest round's answers, the earlier rounds and the actions, and score them
    (what a refresh costs; rounds whose answers did not change come from the cache)."""
    return engagement_view(store, bank, engagement_id, cached=True)


def results_shown(snap: Snapshot) -> bool:
    """Whether scores may be shown: revealed by the facilitator and enough respondents."""
    return snap.results_shown


def _pursue(result: ScoreResult) -> dict[str, Any]:
    """The other form to pursue and how ready the companies are for it (share, meter %)."""
    pursue = result.form.pursue
    share = max(0.0, min(1.0, float(pursue.readiness))) if pursue is not None else 0.0
    return {"pursue": pursue, "pursue_share": share, "pursue_width": round(100 * share)}


def readiness_table(result: ScoreResult, bank: Bank | None = None) -> str:
    """Each readiness condition on each side: met yes / no / unknown, with its detail."""
    rows = presenting.readiness_rows(result)
    if not rows:
        return ""
    orgs = {s: brand.side_label(s, result.organisations) for s in presenting.SIDES}
    return render("apps/readiness_table.html.j2", orgs=orgs, sides=presenting.SIDES,
                  lead=presenting.readiness_lead(result),
                  rows=[(presenting.condition_label(cid, bank), checks)
                        for cid, checks in rows])


def robustness_note(result: ScoreResult) -> str:
    """How firm the verdict is, next to it: firm, or close with the change that flips it.

    Neutral on purpose (ink on grey, never a verdict or side colour): a close verdict is not a
    bad one, only one that must not be read as more than the answer it stands on.
    """
    firm = presenting.firmness(result)
    if firm is None:
        return ""
    return render("apps/robustness_note.html.j2", firm=firm)


def verdict_card(result: ScoreResult, bank: Bank | None = None) -> str:
    """The verdict (or the recommended form), the form's evidence and confidence, what to ask
    about the deal's structure, each side's readiness, and the reasons, as an HTML card.

    When another form fits better than an alliance the card is a recommendation in the neutral
    colour ("Recommended: licensing"), with the form to pursue and how ready it is.
    """
    return render("apps/verdict_card.html.j2", head=presenting.headline(result),
                  form=result.form, verdict=result.verdict, firm=presenting.firmness(result),
                  completeness=result.completeness or 0.0, reasons=presenting.why(result),
                  readiness=readiness_table(result, bank), pictures=presenting.pictures(result),
                  orgs=result.organisations, **_pursue(result))


def discuss_list(result: ScoreResult, limit: int = 8) -> str:
    """The ranked gaps to discuss (blocking ones marked), as HTML."""
    return render("apps/discuss_list.html.j2", items=(result.discuss or result.flags)[:limit],
                  steps=list(result.next_steps[:5]))


def comments_html(answers: Any, bank: Bank, labels: dict[str, str], limit: int = 30) -> str:
    """Respondents' comments by question (escaped; names or roles per `labels`)."""
    if answers is None or not len(answers):
        return ""
    found = answers[answers["comment"].astype(str).str.strip() != ""]
    if not len(found):
        return ""
    from ..report.content import comment_language, written_in

    qtext = {q.id: q.text for q in bank.questions}
    rows = [{"who": labels.get(str(r.respondent), str(r.respondent)),
             "question": qtext.get(str(r.question_id), str(r.question_id)),
             "estimate": str(getattr(r, "about", "self") or "self") == "other-side",
             "comment": r.comment, "lang": comment_language(r),
             "lang_note": written_in(comment_language(r), current())}
            for r in found.head(limit).itertuples(index=False)]
    return render("apps/comments.html.j2", rows=rows)


def expectations_html(result: ScoreResult, svg: str = "", asked: bool = True) -> str:
    """What each side got wrong about the other: the expectation-gap sentences and the chart.

    Empty when expectations are switched off and nobody gave one; a short notice when they
    are asked but none has come in yet.
    """
    if not result.expectations and not asked:
        return ""
    return render("apps/expectations.html.j2", title=_(EXPECT_TITLE), asked=asked,
                  any_given=bool(result.expectations), chart_label=_(EXPECT_LABEL),
                  sentences=presenting.expectation_flags(result), svg=Markup(svg))


def trend_html(trend: Trend | None, orgs: dict[str, str], svg: str = "",
               titles: dict[str, str] | None = None) -> str:
    """How things moved since the first round: what changed in words, the chart (`svg`, from
    `charts.trend_chart`), each list's first and latest scores with the change, and the gaps
    that closed and opened. Empty without a trend (one round only)."""
    if trend is None:
        return ""
    names = {s: orgs.get(s) or brand.side_label(s) for s in presenting.SIDES}
    return render("apps/trend.html.j2", trend=trend, orgs=names, titles=titles or {},
                  rows=presenting.trend_rows(trend, titles), svg=Markup(svg),
                  chart_label=_(TREND_LABEL))


def action_plan_html(plan: list[PlannedAction]) -> str:
    """The action plan: each action's owner, due date, status (overdue marked), what it
    answers and whether that gap has closed since; a short notice when there is none."""
    return render("apps/action_plan.html.j2", plan=list(plan))


def round_line(snap: Snapshot) -> str:
    """Which round the dashboard shows, among how many."""
    return render("apps/round_line.html.j2", round=snap.round, rounds=list(snap.rounds))


def waiting_message(snap: Snapshot, bank: Bank) -> str:
    """Why results are still hidden, in plain words."""
    if not snap.revealed:
        return _("Results are hidden. Reveal them when the room is ready to discuss; until "
                 "then only progress is shown.")
    need = bank.thresholds.min_respondents_per_side
    per = snap.result.respondents_per_side
    return _("Results appear once at least {need} people per side have answered (host: "
             "{host}, partner: {partner} so far).").format(need=need, host=per.get("host", 0),
                                                         partner=per.get("partner", 0))


class Dashboard:
    """The ipywidgets dashboard of one engagement (`.widget` is what the page shows)."""

    def __init__(self, store: Store, bank: Bank, engagement_id: str,
                 poll_seconds: float = 5.0, controls: bool = True,
                 lang: str | None = None) -> None:
        from ..report.data import engagement_language

        self.lang = dashboard_language(lang, engagement_language(store, engagement_id))
        with speaking(self.lang):
            self._build(store, bank_in_language(bank, self.lang), engagement_id, poll_seconds,
                        controls)

    def _build(self, store: Store, bank: Bank, engagement_id: str, poll_seconds: float,
               controls: bool) -> None:
        self.store, self.bank, self.engagement_id = store, bank, engagement_id
        self.poll_seconds = poll_seconds
        self.snap: Snapshot | None = None
        self._stamp: tuple[object, ...] = ()
        self.renders = 0
        self._task: asyncio.Task[None] | None = None
        eng = store.engagement(engagement_id)
        self.header = w.HTML(render("apps/dashboard_header.html.j2", eng=eng))
        self.reveal = w.Checkbox(value=eng.revealed, description=_("Reveal results to the room"),
                                 indent=False, layout=w.Layout(width="auto"))
        self.anonymous = w.Checkbox(value=eng.anonymous,
                                    description=_("Anonymous: show roles, not names"),
                                    indent=False, layout=w.Layout(width="auto"))
        self.expectations = w.Checkbox(value=eng.expectations,
                                       description=_("Ask what each side expects of the other"),
                                       indent=False, layout=w.Layout(width="auto"))
        self.refresh_button = w.Button(description=_("Refresh now"), icon="")
        self.reveal.observe(self._on_option, names="value")
        self.anonymous.observe(self._on_option, names="value")
        self.expectations.observe(self._on_option, names="value")
        self.refresh_button.on_click(lambda _b: self.refresh(force=True))
        self.status = w.HTML()
        bar = w.HBox([self.reveal, self.anonymous, self.expectations, self.refresh_button,
                      self.status],
                     layout=w.Layout(flex_flow="row wrap", align_items="center"))
        bar.add_class("wb-controls")
        if not controls:
            bar.layout.display = "none"
        self.round_line = w.HTML()
        self.completion = w.HTML()
        self.messages = w.HTML()  # invited, reminded, started, finished (issue 22)
        self.body = w.HTML()
        self.norms = w.HTML()  # against the portfolio (issue 22)
        self.trend = w.HTML()
        self.plan = w.HTML()
        self.actions = ActionsPanel(store, engagement_id, lambda: self.refresh(force=True))
        if not controls:
            self.actions.widget.layout.display = "none"
        self.widget = w.VBox([self.header, bar, self.round_line, self.completion,
                              self.messages, self.body, self.norms,
                              self.trend, self.plan, self.actions.widget])
        self.widget.add_class("wb-app")
        self.widget.children = (style_widget(), *self.widget.children)
        self.widget.add_class("wb-dashboard")
        self.refresh(force=True)

    def _on_option(self, _change: dict[str, Any]) -> None:
        with speaking(self.lang):
            self._set_options()

    def _set_options(self) -> None:
        try:
            self.store.set_engagement_options(self.engagement_id, revealed=self.reveal.value,
                                              anonymous=self.anonymous.value,
                                              expectations=self.expectations.value)
        except WorkbookError as exc:
            self.status.value = notice(_("Could not change the setting: {problem}").format(
                problem=exc), "error")
            return
        self.refresh(force=True)

    def update_data(self) -> Snapshot:
        """Read and score the store now (no drawing), the sentences in the dashboard's
        language."""
        with speaking(self.lang):
            self.snap = snapshot(self.store, self.bank, self.engagement_id)
        return self.snap

    def changes(self) -> tuple[object, ...]:
        """A cheap stamp of everything the dashboard shows (answers and respondents of every
        round, the engagement's switches and names, the actions, today's date): while it
        stays the same, a poll costs a few counts and nothing is scored."""
        eng = self.store.engagement(self.engagement_id)
        acts = tuple((a.id, a.status, len(a.history))
                     for a in self.store.actions(self.engagement_id))
        return (tuple(sorted(self.store.round_stamps(self.engagement_id).items())),
                eng.revealed, eng.anonymous, eng.expectations, eng.title, eng.host_org,
                eng.partner_org, acts, date.today())

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store; redraw when something changed. Returns whether it redrew.

        Scores at most once per poll, and only when `changes()` says something is new,
        however many answers arrive in between."""
        with speaking(self.lang):
            return self._refresh(force)

    def _refresh(self, force: bool) -> bool:
        old = self.snap.signature if self.snap else None
        try:
            stamp = self.changes()
            if not force and self.snap is not None and stamp == self._stamp:
                self.status.value = self._updated()
                self._draw_messages(self.snap)
                return False
            snap = self.update_data()
            self._stamp = stamp
        except WorkbookError as exc:
            self.status.value = notice(_("The store cannot be read right now ({problem}). "
                                         "Showing the last results; retrying.").format(
                                             problem=exc), "warn")
            return False
        self.status.value = self._updated()
        self._draw_messages(snap)
        if not force and old == snap.signature:
            return False
        self.draw(snap)
        return True

    @staticmethod
    def _updated() -> str:
        import html

        text = _("Updated {time}").format(time=time.strftime("%H:%M:%S"))
        return f'<span class="wb-muted">{html.escape(text)}</span>'

    def draw(self, snap: Snapshot) -> None:
        """Render the charts and cards of a snapshot, in the dashboard's language."""
        with speaking(self.lang):
            self._draw(snap)

    def _draw(self, snap: Snapshot) -> None:
        from ..presenting import charts

        anon = snap.anonymous
        result = snap.result
        bank = snap.bank
        self.round_line.value = round_line(snap)
        if result.respondents:
            counts = presenting.estimate_counts(snap.answers, bank)
            total = len(bank.expectation_questions) if snap.expectations else 0
            self.completion.value = svg_figure(
                charts.to_svg(charts.completion_chart(result, anon, estimates=counts,
                                                      estimate_total=total)),
                _("Bar chart: share of questions each respondent has answered"))
        else:
            self.completion.value = notice(_("Nobody has answered yet."), "info")
        self.plan.value = action_plan_html(list(snap.actions))
        self.actions.update(bank, [p.action for p in snap.actions])
        self.trend.value = ""
        self.norms.value = ""
        if not results_shown(snap):
            self.body.value = notice(waiting_message(snap, bank), "info")
        else:
            if snap.trend is not None:
                titles = {lid: d.title for lid, d in result.dimensions.items()}
                orgs = result.organisations
                self.trend.value = trend_html(
                    snap.trend, orgs, charts.to_svg(charts.trend_chart(snap.trend, orgs,
                                                                       titles)), titles)
            profile = charts.to_svg(charts.profile_chart(result))
            fitmap = charts.to_svg(charts.fit_map_chart(result, anon))
            heat = charts.divergence_heatmap(result, bank, anon, answers=snap.answers)
            expect = (charts.to_svg(charts.expectation_chart(result))
                      if result.expectations else "")
            labels = charts.respondent_labels(result, anon)
            self.body.value = render(
                "apps/dashboard_body.html.j2", verdict=verdict_card(result, bank),
                discuss=discuss_list(result), profile_svg=Markup(profile),
                fit_map_svg=Markup(fitmap), fit_map_label=_(FIT_MAP_LABEL),
                expectations=expectations_html(result, expect, snap.expectations),
                heatmap=Markup(heat), comments=comments_html(snap.answers, bank, labels))
            self.norms.value = self._norms_html(result)
        self.renders += 1

    def _norms_html(self, result: ScoreResult) -> str:
        """Against the portfolio (empty when the store cannot give norms)."""
        from ..scoring.norms import norms_for_result, norms_html

        doc = result.to_dict()
        try:
            norms = norms_for_result(self.store, self.bank, doc, result.round)
        except WorkbookError:
            return ""
        titles = {lid: d.title for lid, d in result.dimensions.items()}
        return norms_html(norms, titles, result.organisations)

    def _draw_messages(self, snap: Snapshot) -> None:
        """The roster of messages and progress (read on every refresh: a send changes no
        answer, so the snapshot's signature would not see it)."""
        from .mail_panel import message_roster_html

        try:
            with speaking(self.lang):
                    html = message_roster_html(self.store, self.bank, self.engagement_id,
                                           snap.anonymous, snap.answers)
        except WorkbookError:
            return
        if html != self.messages.value:
            self.messages.value = html

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            with contextlib.suppress(Exception):
                self.refresh()

    def start_auto_refresh(self) -> None:
        """Poll the store on the kernel's event loop so new answers show up by themselves."""
        if self._task is None:
            self._task = asyncio.get_event_loop().create_task(self._poll())

    def stop_auto_refresh(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None


def dashboard_language(asked: str | None, engagement: str | None) -> str:
    """The dashboard's language: the one asked for (the URL's `lang`) when the report
    catalogue speaks it, else the engagement's, else English."""
    from ..i18n import resolve_language

    return resolve_language(asked, engagement, domain="report")


def bank_in_language(bank: Bank, lang: str) -> Bank:
    """`bank` with its texts in `lang` when a translation exists (same ids and scales)."""
    if lang == "en":
        return bank
    from ..bank import load_bank
    from ..exceptions import BankError

    try:
        return load_bank(bank.path, lang=lang) if bank.path else load_bank(lang=lang)
    except BankError:
        return bank
