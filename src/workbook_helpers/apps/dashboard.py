"""The facilitator's dashboard: completion, scores, fit map, verdict and gaps to discuss.

Results stay hidden until the facilitator reveals them *and* the bank's minimum number of
respondents per side have answered. Anonymous mode shows roles instead of names. The page
polls the store every few seconds and redraws only when answers or options changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from .. import brand
from ..bank import Bank
from ..exceptions import WorkbookError
from ..scoring import score_engagement
from ..store import Store
from .html import bullet_list, esc, notice, svg_figure

FIT_MAP_LABEL = "Fit map: sides and respondents by willingness to share and by importance"


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard draws from, read from the store in one go."""

    result: dict[str, Any]
    answers: Any
    revealed: bool
    anonymous: bool
    signature: tuple[Any, ...]


def snapshot(store: Store, bank: Bank, engagement_id: str) -> Snapshot:
    """Read answers and options, and score them (what a refresh costs)."""
    eng = store.engagement(engagement_id)
    answers = store.current_answers(engagement_id)
    result = score_engagement(answers, bank, engagement_id, store.roster(engagement_id))
    result["organisations"] = {"host": eng.host_org, "partner": eng.partner_org}
    result["title"] = eng.title
    last = str(answers["answered_at"].max()) if len(answers) else ""
    sig = (len(answers), last, eng.revealed, eng.anonymous, len(result.get("respondents", [])))
    return Snapshot(result, answers, eng.revealed, eng.anonymous, sig)


def results_shown(snap: Snapshot) -> bool:
    """Whether scores may be shown: revealed by the facilitator and enough respondents."""
    return snap.revealed and bool(snap.result.get("results_visible"))


def verdict_card(result: dict[str, Any]) -> str:
    """The verdict, the relationship type and the reasons, as an HTML card."""
    verdict = str(result.get("verdict", "insufficient-data"))
    colour = brand.VERDICT_COLOURS.get(verdict, brand.MUTED)
    label = brand.VERDICT_LABELS.get(verdict, verdict)
    kind = brand.TYPE_LABELS.get(str(result.get("relationship_type")), "")
    pct = round(100 * float(result.get("completeness") or 0))
    return (f'<section class="wb-verdict" style="border-left-color:{colour}" '
            f'aria-label="Verdict"><p class="wb-eyebrow">Verdict</p>'
            f'<p class="wb-verdict-label" style="color:{colour}">{esc(label)}</p>'
            f"<p>The answers point to: <strong>{esc(kind)}</strong> · {pct}% of questions "
            f"answered</p><h3>Why</h3>{bullet_list(result.get('reasons') or [])}</section>")


def discuss_list(result: dict[str, Any], limit: int = 8) -> str:
    """The ranked gaps to discuss (blocking ones marked), as HTML."""
    items = (result.get("discuss") or result.get("flags") or [])[:limit]
    if not items:
        return notice("No gaps stand out: both sides answered alike.", "ok")
    rows = "".join(
        f'<li class="{"wb-blocking" if f.get("blocking") else ""}">'
        f'{"<strong>Resolve first:</strong> " if f.get("blocking") else ""}'
        f"{esc(f.get('detail', ''))}</li>" for f in items)
    steps = bullet_list((result.get("next_steps") or [])[:5])
    return (f'<section class="wb-discuss" aria-label="Gaps to discuss"><h3>Gaps to discuss</h3>'
            f"<ol>{rows}</ol><h3>Suggested next steps</h3>{steps}</section>")


def comments_html(answers: Any, bank: Bank, labels: dict[str, str], limit: int = 30) -> str:
    """Respondents' comments by question (escaped; names or roles per `labels`)."""
    if answers is None or not len(answers):
        return ""
    rows = answers[answers["comment"].astype(str).str.strip() != ""]
    if not len(rows):
        return ""
    qtext = {q.id: q.text for q in bank.questions}
    items = "".join(
        f"<li><strong>{esc(labels.get(str(r.respondent), str(r.respondent)))}</strong> on "
        f"<em>{esc(qtext.get(str(r.question_id), str(r.question_id)))}</em>: "
        f'<span class="wb-comment-text">{esc(r.comment)}</span></li>'
        for r in rows.head(limit).itertuples(index=False))
    return (f'<section class="wb-comments" aria-label="Comments"><h3>Comments from respondents'
            f"</h3><ul>{items}</ul></section>")


def waiting_message(snap: Snapshot, bank: Bank) -> str:
    """Why results are still hidden, in plain words."""
    if not snap.revealed:
        return ("Results are hidden. Reveal them when the room is ready to discuss; "
                "until then only progress is shown.")
    need = bank.thresholds.min_respondents_per_side
    per = snap.result.get("respondents_per_side") or {}
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
                                 indent=False)
        self.anonymous = w.Checkbox(value=eng.anonymous, description="Anonymous: show roles, "
                                    "not names", indent=False)
        self.refresh_button = w.Button(description="Refresh now", icon="")
        self.reveal.observe(self._on_option, names="value")
        self.anonymous.observe(self._on_option, names="value")
        self.refresh_button.on_click(lambda _b: self.refresh(force=True))
        self.status = w.HTML()
        bar = w.HBox([self.reveal, self.anonymous, self.refresh_button, self.status],
                     layout=w.Layout(flex_flow="row wrap", align_items="center"))
        bar.add_class("wb-controls")
        if not controls:
            bar.layout.display = "none"
        self.completion = w.HTML()
        self.body = w.HTML()
        self.widget = w.VBox([self.header, bar, self.completion, self.body])
        self.widget.add_class("wb-app")
        self.widget.add_class("wb-dashboard")
        self.refresh(force=True)

    def _on_option(self, _change: dict[str, Any]) -> None:
        try:
            self.store.set_engagement_options(self.engagement_id, revealed=self.reveal.value,
                                              anonymous=self.anonymous.value)
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
        if result.get("respondents"):
            self.completion.value = svg_figure(
                charts.to_svg(charts.completion_chart(result, anon)),
                "Bar chart: share of questions each respondent has answered")
        else:
            self.completion.value = notice("Nobody has answered yet.", "info")
        if not results_shown(snap):
            self.body.value = notice(waiting_message(snap, self.bank), "info")
        else:
            profile = charts.to_svg(charts.profile_chart(result))
            fitmap = charts.to_svg(charts.fit_map_chart(result, anon))
            heat = charts.to_svg(charts.divergence_heatmap(result, self.bank, anon,
                                                           answers=snap.answers))
            self.body.value = (
                f'<div class="wb-grid">{verdict_card(result)}{discuss_list(result)}</div>'
                f'<div class="wb-grid">'
                f'{svg_figure(profile, "Bar chart: score of each side, list by list")}'
                f'{svg_figure(fitmap, FIT_MAP_LABEL)}'
                f"</div>"
                f'{svg_figure(heat, "Heat map: each respondent answer, question by question")}'
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
