"""The report's sections as HTML, built from `ReportData` by pure functions.

Each public function gathers what its section shows into a small context and renders the
section's template (`templates/sections/report/*.html.j2`, see
`workbook_helpers.presenting.templating`): the templates escape every string that comes from
the store, the bank or the score result (organisation and people names, roles, comments,
question text, reasons, evidence), and print numbers through the shared filters (`num`,
`pct`, ... of `presenting.formats`), which never print None or NaN. Each returns one
`<section>` (as `markupsafe.Markup`, a `str`) ready for `IPython.display`. The score result
is the typed `ScoreResult`.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from markupsafe import Markup

from ..domain import SIDES
from ..presenting import brand
from ..presenting import formats as wording_filters
from ..presenting import judgment as presenting
from ..presenting.judgment import KIND_LABELS as KIND_LABELS
from ..presenting.speaking import N_, _, current, speaking
from ..presenting.templating import render as _render_in
from ..scoring.model import DimensionScore, Flag
from . import evidence
from .data import ReportData

P = ParamSpec("P")
R = TypeVar("R")


def render(name: str, /, **context: Any) -> Markup:
    """Render one report template in the language being spoken, with the `report`
    catalogue."""
    return _render_in(name, lang=current(), domain="report", **context)


def spoken(fn: Callable[Concatenate[ReportData, P], R]) -> Callable[Concatenate[ReportData, P], R]:
    """Run a function of `ReportData` in the report's language (`data.lang`)."""
    @functools.wraps(fn)
    def run(data: ReportData, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(data.lang):
            return fn(data, *args, **kwargs)
    return run

__all__ = [
    "DASH", "EXPECT_TITLE", "KIND_LABELS", "action_plan", "appendix", "comments", "cover",
    "divergence", "esc", "executive_summary", "expectations", "figure", "gaps", "has_scores",
    "list_titles", "next_steps", "num", "orgs", "pct", "people_labels", "profile", "readiness",
    "robustness_box", "scores_table", "trend", "verdict",
]

DASH = wording_filters.DASH
EXPECT_TITLE = N_("What each side got wrong about the other")
_XMLNS = re.compile(r'\s+xmlns(:xlink)?="http://www\.w3\.org/[^"]*"')


# ---- formatting (the shared filters, kept under their old names) --------------------------
def esc(value: object) -> str:
    """HTML-escaped text; a missing value (None, NaN, pandas' NA) becomes an empty string.

    Only missing *values* do: a comment that reads "None" or "nan" is text and shows as
    written.
    """
    return wording_filters.esc(value)


def num(value: object, digits: int = 0) -> str:
    """A number rounded for people; a dash when there is none."""
    return wording_filters.num(value, digits)


def pct(value: object) -> str:
    """A 0-1 share as a whole percentage; a dash when there is none."""
    return wording_filters.pct(value)


def figure(svg: str, caption: str, cls: str = "") -> str:
    """An inline SVG chart with a caption, kept on one page when printed.

    `svg` is a chart our own code drew (vl-convert); it is put in as it is, with an
    accessible label made of the escaped caption.
    """
    drawn = _XMLNS.sub("", str(svg), count=2)
    drawn = drawn.replace("<svg ", f'<svg role="img" aria-label="{esc(caption)}" ', 1)
    return render("report/figure.html.j2", svg=Markup(drawn), caption=caption, cls=cls)


# ---- helpers over the result --------------------------------------------------------------
@spoken
def orgs(data: ReportData) -> dict[str, str]:
    """Display names of the two sides."""
    return {s: brand.side_label(s, data.result.organisations) for s in SIDES}


@spoken
def people_labels(data: ReportData) -> dict[str, str]:
    """How each respondent is named in this report: name, or side and role when anonymous."""
    from ..presenting.charts import respondent_labels

    return respondent_labels(data.result, data.anonymous)


def has_scores(data: ReportData) -> bool:
    """Whether the report can show scores (enough answers for a verdict)."""
    return data.result.verdict != "insufficient-data"


def _list_title(data: ReportData, list_id: object) -> str:
    lst = data.bank.list_map.get(str(list_id)) if list_id else None
    return lst.title if lst else ""


@spoken
def list_titles(data: ReportData) -> dict[str, str]:
    """Each list's title by id: the bank's, else the score result's (a list of an older
    bank)."""
    out = {lid: d.title for lid, d in data.result.dimensions.items() if d.title}
    out.update({lst.id: lst.title for lst in data.bank.lists})
    return out


# ---- sections -----------------------------------------------------------------------------
def _logo_src(path: str) -> str:
    if not path:
        return ""
    p = Path(path)
    mime = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".svg": "image/svg+xml"}[p.suffix.lower()]
    data = base64.b64encode(p.read_bytes()).decode("ascii")
    return f"data:{mime};base64,{data}"


@spoken
def cover(data: ReportData) -> str:
    """Cover: engagement, the two organisations, date, respondents by side and role."""
    people = {s: [p for p in data.result.respondents if p.side == s]
              for s in SIDES}
    shown = data.round if data.round != "baseline" or len(data.rounds) > 1 else ""
    return render("report/cover.html.j2", o=orgs(data), eng=data.engagement,
                  labels=people_labels(data), firm=data.options.organisation,
                  logo_src=_logo_src(data.options.logo_path), people=people,
                  anonymous=data.anonymous, generated=data.generated, round_shown=shown,
                  bank_title=data.bank.bank.title, bank_version=data.bank.version)


def _spread(d: DimensionScore, side: str) -> float:
    """How split one side is on a list (0 when unknown)."""
    v = d.host_divergence if side == "host" else d.partner_divergence
    return float(v or 0.0)


def _readiness_parts(data: ReportData) -> list[dict[str, Any]]:
    """Each side's count of the conditions an alliance needs (alliance forms only)."""
    r = data.result
    if not r.readiness or not presenting.shows_readiness(r):
        return []
    parts = []
    for side in presenting.SIDES:
        met, unmet, unknown = presenting.readiness_counts(r, side)
        total = met + unmet + unknown
        if total:
            parts.append({"side": side, "met": met, "total": total, "unknown": unknown})
    return parts


def _largest_flagged_miss(data: ReportData) -> presenting.ExpectationRow | None:
    rows = [x for x in presenting.expectation_rows(data.result) if x.flagged]
    return max(rows, key=lambda x: x.miss) if rows else None


@spoken
def robustness_box(data: ReportData) -> str:
    """How firm the verdict is, in the neutral style: firm, or close with the flipping change."""
    firm = presenting.firmness(data.result)
    if firm is None:
        return ""
    return render("report/robustness.html.j2", firm=firm)


@spoken
def executive_summary(data: ReportData) -> str:
    """One paragraph a busy executive can act on."""
    r = data.result
    per_side = r.respondents_per_side
    context: dict[str, Any] = {
        "o": orgs(data), "scored": has_scores(data), "thresholds": data.bank.thresholds,
        "n_people": sum(int(v or 0) for v in per_side.values()),
        "per_side": {s: per_side.get(s, 0) for s in SIDES},
        "completeness": r.completeness}
    if context["scored"]:
        dims = r.dimensions
        widest = max(dims.values(), key=lambda d: d.gap or 0.0, default=None)
        splits = []
        for side in SIDES:
            spread = {lid: _spread(d, side) for lid, d in dims.items()}
            top = max(spread, key=lambda lid: spread[lid], default=None)
            if top is not None and spread[top] >= data.bank.thresholds.internal_divergence:
                splits.append({"side": side, "title": dims[top].title, "spread": spread[top]})
        context |= {
            "form": r.form, "head": presenting.headline(r), "firm": presenting.firmness(r),
            "widest": widest if widest is not None and (widest.gap or 0.0) > 0 else None,
            "splits": splits, "ready": _readiness_parts(data),
            "misjudged": _largest_flagged_miss(data), "expect_title": _(EXPECT_TITLE),
            "verdict": r.verdict, "blocking": sum(1 for f in r.flags if f.blocking),
            "first_step": r.next_steps[0] if r.next_steps else "",
            "running": data.bank.bank.kind == "health-check"}
    return render("report/summary.html.j2", **context)


@spoken
def verdict(data: ReportData) -> str:
    """The verdict (or the recommended other form), the form with its confidence, runner-up
    and evidence, what to ask about the deal's structure, and the reasons."""
    r = data.result
    scored = has_scores(data)
    pursue = r.form.pursue if presenting.is_recommendation(r) else None
    share = max(0.0, min(1.0, float(pursue.readiness))) if pursue is not None else 0.0
    types = r.side_types
    return render(
        "report/verdict.html.j2", o=orgs(data), head=presenting.headline(r), form=r.form,
        scored=scored, firm=presenting.firmness(r) if scored else None,
        sides=[(s, types.get(s)) for s in SIDES if types.get(s)],
        pursue=pursue, pursue_share=share, pursue_width=round(100 * share),
        reasons=presenting.why(r) if scored else r.reasons,
        dimensions=list(r.dimensions.values()))


@spoken
def readiness(data: ReportData) -> str:
    """Each condition an alliance needs, on each side: met yes / no / unknown, and why."""
    r = data.result
    if not has_scores(data) or not r.readiness:
        return ""
    rows = [(presenting.condition_label(cid, data.bank), checks)
            for cid, checks in presenting.readiness_rows(r)]
    return render("report/readiness.html.j2", o=orgs(data), rows=rows,
                  sides=presenting.SIDES, lead=presenting.readiness_lead(r),
                  steps=presenting.unmet_steps(r) if presenting.shows_readiness(r) else [])


@spoken
def profile(data: ReportData, fit_map_svg: str = "", profile_svg: str = "") -> str:
    """The fit map and the per-list profile (charts plus the numbers behind them)."""
    if not has_scores(data):  # the summary says why; no empty page for it
        return ""
    figures = []
    if fit_map_svg:
        figures.append(figure(fit_map_svg, _("Fit map: sharing against importance"),
                              "wb-fitmap"))
    if profile_svg:
        figures.append(figure(profile_svg, _("Profile: each side's score, list by list"),
                              "wb-profile"))
    return render("report/profile.html.j2", figures=figures)


@spoken
def norms(data: ReportData) -> str:
    """Against the portfolio: each list's percentile for both sides among the other
    engagements on the same bank version, or the sentence that says there are too few."""
    from ..scoring.norms import norms_html

    return norms_html(data.norms, list_titles(data), orgs(data))


@spoken
def scores_table(data: ReportData) -> str:
    """Each list's score for both sides, the gap and the pooled score."""
    return render("report/scores_table.html.j2", o=orgs(data),
                  dimensions=list(data.result.dimensions.values()))


def _card(data: ReportData, rank: int, f: Flag, blocks: list[dict[str, Any]]
          ) -> dict[str, Any]:
    side = orgs(data)[f.side] if f.side in SIDES and \
        f.kind in ("readiness", "hobby", "share-nothing", "expectation-gap") else ""
    return {"rank": rank, "flag": f, "where": _list_title(data, f.dimension), "side": side,
            "blocks": blocks}


@spoken
def gaps(data: ReportData, cards: int = 10) -> str:
    """The ranked points to discuss, each with the questions behind it and the answers.

    The first `cards` points get a card with their questions and every person's answer
    (a question already shown refers back to its first card); the rest are listed below.
    """
    if not has_scores(data):
        return ""
    items = list(enumerate(data.result.discuss, start=1))
    by_q = evidence.answers_by_question(data)
    labels = people_labels(data)
    shown: dict[str, int] = {}
    out = []
    for rank, f in items[:cards]:
        blocks: list[dict[str, Any] | None] = []
        for qid in evidence.questions_behind(data, f):
            if f.kind == "expectation-gap":
                blocks.append(evidence.expectation_block(data, qid, str(f.side), labels))
            elif qid in shown:
                q = data.bank.question_map.get(qid)
                blocks.append({"kind": "seen", "qid": qid, "text": q.text if q else qid,
                               "rank": shown[qid]})
            else:
                shown[qid] = rank
                blocks.append(evidence.question_block(data, qid, by_q, labels))
        if f.kind in ("type-mismatch", "form-dispute"):
            types = data.result.side_types
            blocks = [{"kind": "types",
                       "types": [(s, types.get(s)) for s in SIDES]}]
        out.append(_card(data, rank, f, [b for b in blocks if b is not None]))
    return render("report/gaps.html.j2", o=orgs(data), items=items, cards=out,
                  rest=items[cards:])


def _miss_label(data: ReportData, row: presenting.ExpectationRow) -> dict[str, str]:
    """How a miss is named: spot on, flagged (blind spot / pleasant surprise), or small."""
    if row.direction is None or round(row.miss) == 0:
        return {"kind": "spot", "text": _("Spot on")}
    if row.miss >= data.bank.thresholds.expectation_gap:
        return {"kind": "flag", "text": row.direction_label}
    more = _("expected more") if row.direction == "blind-spot" else _("expected less")
    return {"kind": "small", "text": more}


@spoken
def expectations(data: ReportData, expectation_svg: str = "", rows: int = 6) -> str:
    """What each side got wrong about the other: the expectation-gap sentences, the chart,
    and the questions where a side's picture of the other missed most."""
    r = data.result
    if not has_scores(data) or not r.expectations:
        return ""
    chart = figure(expectation_svg, _("For each list: what each side expected of the other "
                                      "(ring), what the other side answered (dot) and its own "
                                      "answer (diamond)"), "wb-expectfig") \
        if expectation_svg else ""
    top = presenting.largest_misses(r, rows, data.bank)
    return render("report/expectations.html.j2", o=orgs(data), title=_(EXPECT_TITLE),
                  n_questions=len(r.expectation_questions),
                  threshold=data.bank.thresholds.expectation_gap,
                  sentences=presenting.expectation_flags(r), chart=chart,
                  misses=[(x, _miss_label(data, x)) for x in top])


@spoken
def divergence(data: ReportData, heatmap: str | None = None) -> str:
    """How far apart the members of each team are, list by list, after the heat map of every
    answer (questions by respondents, `charts.divergence_heatmap`, an HTML table).

    `heatmap` is the heat map already drawn (HTML of our own; an SVG is wrapped as a
    figure); None draws it from `data`, "" leaves it out.
    """
    if not has_scores(data):
        return ""
    if heatmap is None:
        from ..presenting.charts import divergence_heatmap

        heatmap = divergence_heatmap(data.result, data.bank, anonymous=data.anonymous,
                                     answers=data.answers)
    caption = _("Every answer, question by question (favourable position 0-100)")
    is_svg = heatmap.lstrip().startswith("<svg")
    return render("report/divergence.html.j2", o=orgs(data),
                  threshold=data.bank.thresholds.internal_divergence,
                  dimensions=list(data.result.dimensions.values()), caption=caption,
                  heat_svg=figure(heatmap, caption, "wb-heatmap") if is_svg else "",
                  heat_html=Markup(heatmap) if heatmap and not is_svg else "")


@spoken
def next_steps(data: ReportData) -> str:
    """The recommended next steps, in order."""
    return render("report/next_steps.html.j2", steps=list(data.result.next_steps))


@spoken
def comments(data: ReportData) -> str:
    """Every respondent comment, escaped, by list and question; named or by role."""
    labels = people_labels(data)
    o = orgs(data)
    order = {q.id: i for i, q in enumerate(data.bank.iter_ordered())}
    frame = data.answers[data.answers["comment"].astype(str).str.strip() != ""] \
        if not data.answers.empty else data.answers
    recs = sorted(frame.itertuples(index=False),
                  key=lambda r: (order.get(str(r.question_id), 10**6), r.side != "host",
                                 labels.get(str(r.respondent), "")))
    rows = []
    for r in recs:
        q = data.bank.question_map.get(str(r.question_id))
        written = comment_language(r)
        rows.append({"question": q.text if q else r.question_id,
                     "estimate": evidence.is_estimate(r),
                     "side": r.side, "org": o.get(str(r.side), r.side),
                     "who": labels.get(str(r.respondent), r.respondent), "comment": r.comment,
                     "lang": written, "lang_note": written_in(written, data.lang)})
    return render("report/comments.html.j2", rows=rows, anonymous=data.anonymous)


def comment_language(row: Any) -> str:
    """The language a comment was written in, when the store knows it ('' otherwise)."""
    return str(getattr(row, "comment_lang", "") or getattr(row, "lang", "") or "").strip()


def written_in(lang: str, report_lang: str) -> str:
    """'(written in German)' for a comment in another language than the report's, in the
    report's language; '' when unknown or the same. The comment itself is never translated."""
    if not lang or lang.split("-")[0] == report_lang.split("-")[0]:
        return ""
    from babel.core import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(
            report_lang.replace("-", "_")) or lang
    except (UnknownLocaleError, ValueError):
        name = lang
    return _("(written in {language})").format(language=name)


@spoken
def appendix(data: ReportData, completion_svg: str = "") -> str:
    """Every current answer by question and respondent, with the bank version and method."""
    labels = people_labels(data)
    people = sorted(data.result.respondents,
                    key=lambda p: (p.side != "host", labels.get(p.id, "")))
    by_q = evidence.answers_by_question(data)
    by_e = evidence.answers_by_question(data, "other-side")
    lists = []
    for lst in data.bank.lists:
        questions = []
        for q in data.bank.questions_in(lst.id):
            got = {a["respondent"]: a["value"] for a in by_q.get(q.id, [])}
            guessed = {a["respondent"]: a["value"] for a in by_e.get(q.id, [])}
            questions.append({
                "id": q.id, "text": q.text, "reverse": q.reverse,
                "cells": [evidence.answer_text(got[p.id]) if p.id in got else DASH for p in people],
                "guessed": [evidence.answer_text(guessed[p.id]) if p.id in guessed else None
                            for p in people] if guessed else []})
        lists.append({"title": lst.title, "questions": questions})
    chart = figure(completion_svg, _("How far each respondent got")) if completion_svg else ""
    return render("report/appendix.html.j2", o=orgs(data), bank=data.bank,
                  setup_version=data.engagement.bank_version, th=data.bank.thresholds,
                  chart=chart, has_answers=not data.answers.empty, lists=lists,
                  people=[{"side": p.side, "label": labels.get(p.id, p.id)} for p in people])


@spoken
def trend(data: ReportData, trend_svg: str = "") -> str:
    """How things moved since the first round: the chart, the gaps that closed and opened,
    and a small table per list (each side's score and the gap in every round, with the
    change). Empty when there is only one round (`data.trend` is None)."""
    t = data.trend
    if t is None:
        return ""
    titles = list_titles(data)
    first = presenting.round_label(t.rounds[0]) if t.rounds else ""
    last = presenting.round_label(t.rounds[-1]) if t.rounds else ""
    chart = figure(trend_svg, _("Each side's score on each list, {first} to {last}, over the "
                                "gap between the sides").format(first=first, last=last),
                   "wb-trendfig") if trend_svg else ""
    return render("report/trend.html.j2", trend=t, rows=presenting.trend_rows(t, titles),
                  titles=titles, o=orgs(data), chart=chart,
                  moved_points=presenting.MOVED_POINTS)


@spoken
def action_plan(data: ReportData) -> str:
    """The action plan: each action with its owner, due date, status (overdue marked), the
    list or flag it answers and, once a later round is scored, whether that gap closed."""
    return render("report/action_plan.html.j2", plan=list(data.actions))
