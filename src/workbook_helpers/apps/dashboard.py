"""The facilitator's dashboard: completion, scores, fit map, verdict and gaps to discuss.

Results stay hidden until the facilitator reveals them *and* the bank's minimum number of
respondents per side have answered. Anonymous mode shows roles instead of names. The page
polls the store every few seconds and redraws only when answers or options changed.

The verdict card says how firm the verdict is (`presenting.firmness`); once revealed, the
section "What each side got wrong about the other" shows the expectation gaps. Estimates of
the other side (`about = other-side`) are counted apart in the completion chart and never
drawn as answers in the heat map.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from .. import brand, presenting
from ..bank import Bank
from ..exceptions import WorkbookError
from ..scoring import score_engagement
from ..scoring.model import ReadinessCheck, ScoreResult
from ..scoring.wording import phrase
from ..store import Store
from .html import bullet_list, esc, notice, svg_figure
from .style import style_widget

FIT_MAP_LABEL = "Fit map: sides and respondents by willingness to share and by importance"
EXPECT_LABEL = ("Dumbbell chart: for each list, what each side expected of the other side and "
                "what the other side answered")
EXPECT_TITLE = "What each side got wrong about the other"


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard draws from, read from the store in one go."""

    result: ScoreResult
    answers: Any
    revealed: bool
    anonymous: bool
    signature: tuple[Any, ...]
    expectations: bool = True


def snapshot(store: Store, bank: Bank, engagement_id: str) -> Snapshot:
    """Read answers and options, and score them (what a refresh costs)."""
    eng = store.engagement(engagement_id)
    answers = store.current_answers(engagement_id)
    result = score_engagement(answers, bank, engagement_id, store.roster(engagement_id)) \
        .with_engagement({"host": eng.host_org, "partner": eng.partner_org}, eng.title)
    last = str(answers["answered_at"].max()) if len(answers) else ""
    sig = (len(answers), last, eng.revealed, eng.anonymous, eng.expectations,
           len(result.respondents))
    return Snapshot(result, answers, eng.revealed, eng.anonymous, sig, eng.expectations)


def results_shown(snap: Snapshot) -> bool:
    """Whether scores may be shown: revealed by the facilitator and enough respondents."""
    return snap.revealed and snap.result.results_visible


def _form_line(result: ScoreResult) -> str:
    form = result.form
    runner = (f' · runner-up: {esc(presenting.form_label(form.runner_up).lower())}'
              if form.runner_up else "")
    lead = ("Instead of an alliance" if presenting.is_recommendation(result)
            else "Recommended form")
    done = presenting.percent(result.completeness or 0.0)
    return (f'<p class="wb-form-line">{lead}: '
            f"<strong>{esc(presenting.form_label(form.recommended))}</strong> · "
            f'<span class="wb-nowrap">{esc(presenting.confidence_text(form.confidence))}'
            f"</span>{runner} · "
            f'<span class="wb-nowrap">{esc(done)} of questions answered</span></p>')


def _pursue_box(result: ScoreResult) -> str:
    pursue = result.form.pursue
    if pursue is None:
        return ""
    share = max(0.0, min(1.0, float(pursue.readiness)))
    label = f"Readiness for {phrase(pursue.form)}"
    meter = (f'<div class="wb-meter" role="meter" aria-label="{esc(label)}" '
             f'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{round(100 * share)}">'
             f'<div class="wb-meter-fill" style="width:{round(100 * share)}%"></div></div>')
    step = (f'<p><strong>First step:</strong> {esc(pursue.next_step)}</p>'
            if pursue.next_step else "")
    return (f'<div class="wb-pursue"><p class="wb-pursue-head">Pursue '
            f"{esc(phrase(pursue.form))}: "
            f'<strong class="wb-nowrap">{esc(presenting.percent(share))} ready</strong></p>'
            f"{meter}<p>{esc(pursue.detail)}</p>{step}</div>")


def _met_badge(check: ReadinessCheck | None) -> str:
    if check is None:
        return '<span class="wb-muted">–</span>'
    cls = presenting.MET_CLASSES[check.met]
    return (f'<span class="wb-met wb-met-{cls}">{esc(presenting.MET_LABELS[check.met])}'
            f'</span><span class="wb-met-detail">{esc(check.detail)}</span>')


def readiness_table(result: ScoreResult, bank: Bank | None = None) -> str:
    """Each readiness condition on each side: met yes / no / unknown, with its detail."""
    rows = presenting.readiness_rows(result)
    if not rows:
        return ""
    orgs = {s: brand.side_label(s, result.organisations) for s in presenting.SIDES}
    head = "".join(f'<th scope="col"><span class="wb-side-name wb-{s}">{esc(orgs[s])}</span>'
                   "</th>" for s in presenting.SIDES)
    body = "".join(
        f'<tr><th scope="row">{esc(presenting.condition_label(cid, bank))}</th>'
        + "".join(f"<td>{_met_badge(checks[s])}</td>" for s in presenting.SIDES) + "</tr>"
        for cid, checks in rows)
    return (f'<div class="wb-readiness"><h3>Readiness on each side</h3>'
            f'<p class="wb-muted">{esc(presenting.readiness_lead(result))}</p>'
            f'<table class="wb-table wb-readiness-table"><thead><tr>'
            f'<th scope="col">Condition</th>{head}</tr></thead><tbody>{body}</tbody></table>'
            f"</div>")


def robustness_note(result: ScoreResult) -> str:
    """How firm the verdict is, next to it: firm, or close with the change that flips it.

    Neutral on purpose (ink on grey, never a verdict or side colour): a close verdict is not a
    bad one, only one that must not be read as more than the answer it stands on.
    """
    firm = presenting.firmness(result)
    if firm is None:
        return ""
    caution = f" {esc(firm.caution)}" if firm.caution else ""
    return (f'<div class="wb-robust wb-robust-{firm.kind}" role="note" '
            f'aria-label="How firm the verdict is" data-firm="{str(firm.firm).lower()}">'
            f"<p><strong>{esc(firm.headline)}:</strong> {esc(firm.detail)}{caution}</p>"
            f'<p class="wb-robust-counts">{esc(firm.counts)}</p></div>')


def _close_tag(result: ScoreResult) -> str:
    firm = presenting.firmness(result)
    return (f' <span class="wb-close-tag">{esc(firm.tag)}</span>'
            if firm is not None and firm.tag else "")


def verdict_card(result: ScoreResult, bank: Bank | None = None) -> str:
    """The verdict (or the recommended form), the form's evidence and confidence, what to ask
    about the deal's structure, each side's readiness, and the reasons, as an HTML card.

    When another form fits better than an alliance the card is a recommendation in the neutral
    colour ("Recommended: licensing"), with the form to pursue and how ready it is.
    """
    head = presenting.headline(result)
    form = result.form
    evidence = form.evidence
    summary = (f'<p class="wb-form-summary">{esc(evidence[0])}</p>' if evidence else "")
    more = (f"<h3>Evidence for the form</h3>{bullet_list(evidence[1:], 'wb-evidence')}"
            if len(evidence) > 1 else "")
    ask = (f'<div class="wb-ask"><h3>Ask about the deal</h3>{bullet_list(form.to_ask)}</div>'
           if form.to_ask else "")
    reasons = presenting.why(result)
    why = f"<h3>Why</h3>{bullet_list(reasons)}" if reasons else ""
    eyebrow = "Recommendation" if head.recommendation else "Verdict"
    return (f'<section class="wb-verdict wb-verdict-{esc(head.kind)}" '
            f'style="border-left-color:{head.colour}" aria-label="{eyebrow}" '
            f'data-verdict="{esc(result.verdict)}" data-form="{esc(form.recommended)}">'
            f'<div class="wb-verdict-body"><div class="wb-verdict-main">'
            f'<p class="wb-eyebrow">{eyebrow}</p>'
            f'<p class="wb-verdict-label" style="color:{head.colour}">{esc(head.label)}'
            f"{_close_tag(result)}</p>{robustness_note(result)}{_form_line(result)}{summary}{_pursue_box(result)}"
            f"{more}{ask}{why}</div>"
            f"{readiness_table(result, bank)}</div></section>")


def discuss_list(result: ScoreResult, limit: int = 8) -> str:
    """The ranked gaps to discuss (blocking ones marked), as HTML."""
    items = (result.discuss or result.flags)[:limit]
    steps = bullet_list(result.next_steps[:5])
    steps_html = f"<h3>Suggested next steps</h3>{steps}" if steps else ""
    if not items:
        return (f'<section class="wb-discuss" aria-label="Gaps to discuss">'
                f'{notice("No gaps stand out: both sides answered alike.", "ok")}'
                f"{steps_html}</section>")
    rows = "".join(
        f'<li class="{"wb-blocking" if f.blocking else ""}">'
        f'{"<strong>Resolve first:</strong> " if f.blocking else ""}'
        f"{esc(f.detail)}</li>" for f in items)
    return (f'<section class="wb-discuss" aria-label="Gaps to discuss"><h3>Gaps to discuss</h3>'
            f"<ol>{rows}</ol>{steps_html}</section>")


def comments_html(answers: Any, bank: Bank, labels: dict[str, str], limit: int = 30) -> str:
    """Respondents' comments by question (escaped; names or roles per `labels`)."""
    if answers is None or not len(answers):
        return ""
    rows = answers[answers["comment"].astype(str).str.strip() != ""]
    if not len(rows):
        return ""
    qtext = {q.id: q.text for q in bank.questions}

    def about(r: Any) -> str:
        if str(getattr(r, "about", "self") or "self") != "other-side":
            return ""
        return ' <span class="wb-about-tag">(on what the other side will answer)</span>'
    items = "".join(
        f"<li><strong>{esc(labels.get(str(r.respondent), str(r.respondent)))}</strong> on "
        f"<em>{esc(qtext.get(str(r.question_id), str(r.question_id)))}</em>{about(r)}: "
        f'<span class="wb-comment-text">{esc(r.comment)}</span></li>'
        for r in rows.head(limit).itertuples(index=False))
    return (f'<section class="wb-comments" aria-label="Comments"><h3>Comments from respondents'
            f"</h3><ul>{items}</ul></section>")


def expectations_html(result: ScoreResult, svg: str = "", asked: bool = True) -> str:
    """What each side got wrong about the other: the expectation-gap sentences and the chart.

    Empty when expectations are switched off and nobody gave one; a short notice when they
    are asked but none has come in yet.
    """
    if not result.expectations:
        if not asked:
            return ""
        body = notice("Nobody has estimated the other side's answers yet; the expectation "
                      "gaps appear here once they do.", "info")
        return (f'<section class="wb-expectations" aria-label="{EXPECT_TITLE}">'
                f"<h3>{EXPECT_TITLE}</h3>{body}</section>")
    sentences = presenting.expectation_flags(result)
    lead = (bullet_list(sentences, "wb-expect-flags") if sentences else
            '<p class="wb-muted">Each side\u2019s picture of the other is close on every '
            "list: no miss passes the bank\u2019s threshold.</p>")
    off = ("" if asked else '<p class="wb-muted">Expectation questions are switched off for '
           "this engagement; these gaps come from estimates given earlier.</p>")
    chart = svg_figure(svg, EXPECT_LABEL) if svg else ""
    return (f'<section class="wb-expectations" aria-label="{EXPECT_TITLE}">'
            f"<h3>{EXPECT_TITLE}</h3>{off}{lead}{chart}</section>")


def waiting_message(snap: Snapshot, bank: Bank) -> str:
    """Why results are still hidden, in plain words."""
    if not snap.revealed:
        return ("Results are hidden. Reveal them when the room is ready to discuss; "
                "until then only progress is shown.")
    need = bank.thresholds.min_respondents_per_side
    per = snap.result.respondents_per_side
    return (f"Results appear once at least {need} people per side have answered "
            f"(host: {per.get('host', 0)}, partner: {per.get('partner', 0)} so far).")


class Dashboard:
    """The ipywidgets dashboard of one engagement (`.widget` is what the page shows)."""

    def __init__(self, store: Store, bank: Bank, engagement_id: str,
                 poll_seconds: float = 5.0, controls: bool = True) -> None:
        self.store, self.bank, self.engagement_id = store, bank, engagement_id
        self.poll_seconds = poll_seconds
        self.snap: Snapshot | None = None
        self.renders = 0
        self._task: asyncio.Task[None] | None = None
        eng = store.engagement(engagement_id)
        self.header = w.HTML(
            f'<div class="wb-hello"><p class="wb-eyebrow">Dashboard</p>'
            f"<h1>{esc(eng.title)}</h1><p><span class=\"wb-chip wb-host\">Host: "
            f"{esc(eng.host_org)}</span> <span class=\"wb-chip wb-partner\">Partner: "
            f"{esc(eng.partner_org)}</span></p></div>")
        self.reveal = w.Checkbox(value=eng.revealed, description="Reveal results to the room",
                                 indent=False, layout=w.Layout(width="auto"))
        self.anonymous = w.Checkbox(value=eng.anonymous, description="Anonymous: show roles, "
                                    "not names", indent=False, layout=w.Layout(width="auto"))
        self.expectations = w.Checkbox(value=eng.expectations,
                                       description="Ask what each side expects of the other",
                                       indent=False, layout=w.Layout(width="auto"))
        self.refresh_button = w.Button(description="Refresh now", icon="")
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
        self.completion = w.HTML()
        self.body = w.HTML()
        self.widget = w.VBox([self.header, bar, self.completion, self.body])
        self.widget.add_class("wb-app")
        self.widget.children = (style_widget(), *self.widget.children)
        self.widget.add_class("wb-dashboard")
        self.refresh(force=True)

    def _on_option(self, _change: dict[str, Any]) -> None:
        try:
            self.store.set_engagement_options(self.engagement_id, revealed=self.reveal.value,
                                              anonymous=self.anonymous.value,
                                              expectations=self.expectations.value)
        except WorkbookError as exc:
            self.status.value = notice(f"Could not change the setting: {exc}", "error")
            return
        self.refresh(force=True)

    def update_data(self) -> Snapshot:
        """Read and score the store now (no drawing)."""
        self.snap = snapshot(self.store, self.bank, self.engagement_id)
        return self.snap

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store; redraw when something changed. Returns whether it redrew."""
        old = self.snap.signature if self.snap else None
        try:
            snap = self.update_data()
        except WorkbookError as exc:
            self.status.value = notice(f"The store cannot be read right now ({exc}). "
                                       "Showing the last results; retrying.", "warn")
            return False
        self.status.value = f'<span class="wb-muted">Updated {time.strftime("%H:%M:%S")}</span>'
        if not force and old == snap.signature:
            return False
        self.draw(snap)
        return True

    def draw(self, snap: Snapshot) -> None:
        """Render the charts and cards of a snapshot."""
        from .. import charts

        anon = snap.anonymous
        result = snap.result
        if result.respondents:
            counts = presenting.estimate_counts(snap.answers, self.bank)
            total = len(self.bank.expectation_questions) if snap.expectations else 0
            self.completion.value = svg_figure(
                charts.to_svg(charts.completion_chart(result, anon, estimates=counts,
                                                      estimate_total=total)),
                "Bar chart: share of questions each respondent has answered")
        else:
            self.completion.value = notice("Nobody has answered yet.", "info")
        if not results_shown(snap):
            self.body.value = notice(waiting_message(snap, self.bank), "info")
        else:
            profile = charts.to_svg(charts.profile_chart(result))
            fitmap = charts.to_svg(charts.fit_map_chart(result, anon))
            heat = charts.divergence_heatmap(result, self.bank, anon, answers=snap.answers)
            expect = (charts.to_svg(charts.expectation_chart(result))
                      if result.expectations else "")
            self.body.value = (
                f"{verdict_card(result, self.bank)}{discuss_list(result)}"
                f'<div class="wb-grid">'
                f'{svg_figure(profile, "Bar chart: score of each side, list by list")}'
                f'{svg_figure(fitmap, FIT_MAP_LABEL)}'
                f"</div>"
                f"{expectations_html(result, expect, snap.expectations)}"
                f'<figure class="wb-heatfig">{heat}</figure>'
                f"{comments_html(snap.answers, self.bank, charts.respondent_labels(result, anon))}")
        self.renders += 1

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
