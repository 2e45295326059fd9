"""The report's sections as HTML, built from `ReportData` by pure functions.

Every string that comes from the store, the bank or the score result (organisation and people
names, roles, comments, question text, reasons, evidence) goes through `esc`; numbers go
through `num`/`pct`, which never print None or NaN. Each public function returns one
`<section>` ready for `IPython.display`. The score result is the typed `ScoreResult`.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import brand, presenting
from ..bank import Question
from ..scoring.model import DimensionScore, Flag, QuestionScore, ReadinessCheck
from ..scoring.wording import phrase
from .data import ReportData

DASH = "–"
KIND_LABELS = {
    "type-mismatch": "The sides describe different deals",
    "cross-side-gap": "Gap between the sides",
    "internal-divergence": "Split inside a team",
    "question-gap": "Gap between the sides on one question",
    "question-divergence": "Split inside a team on one question",
    "structure-gap": "The sides describe the deal differently",
    "hobby": "Priority without people or budget",
    "readiness": "A condition for an alliance is missing",
    "share-nothing": "A side will share (almost) nothing",
    "seniority-mismatch": "Teams of different seniority",
    "low-score": "Low score",
    "incomplete": "Answers missing",
    "too-few-respondents": "Too few respondents",
    "expectation-gap": "One side misjudged the other",
}
EXPECT_TITLE = "What each side got wrong about the other"
_XMLNS = re.compile(r'\s+xmlns(:xlink)?="http://www\.w3\.org/[^"]*"')


# ---- formatting ---------------------------------------------------------------------------
def esc(value: object) -> str:
    """HTML-escaped text; a missing value (None, NaN, pandas' NA) becomes an empty string.

    Only missing *values* do: a comment that reads "None" or "nan" is text and shows as
    written.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or \
            type(value).__name__ == "NAType":
        return ""
    return html.escape(str(value), quote=True)


def num(value: object, digits: int = 0) -> str:
    """A number rounded for people; a dash when there is none."""
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DASH
    return DASH if math.isnan(f) else f"{f:.{digits}f}"


def pct(value: object) -> str:
    """A 0-1 share as a whole percentage; a dash when there is none."""
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DASH
    return DASH if math.isnan(f) else f"{100 * f:.0f}%"


def _section(kind: str, title: str, body: str, *, lead: str = "") -> str:
    head = f'<h2 class="wb-h2">{esc(title)}</h2>' if title else ""
    intro = f'<p class="wb-lead">{lead}</p>' if lead else ""
    return f'<section class="wb-sec wb-sec-{kind}">{head}{intro}{body}</section>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """A table from already-escaped cells."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<table class="wb-table {cls}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def figure(svg: str, caption: str, cls: str = "") -> str:
    """An inline SVG chart with a caption, kept on one page when printed."""
    svg = _XMLNS.sub("", svg, count=2)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{esc(caption)}" ', 1)
    return (f'<figure class="wb-figure {cls}">{svg}'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


# ---- helpers over the result --------------------------------------------------------------
def orgs(data: ReportData) -> dict[str, str]:
    """Display names of the two sides."""
    return {s: brand.side_label(s, data.result.organisations) for s in ("host", "partner")}


def people_labels(data: ReportData) -> dict[str, str]:
    """How each respondent is named in this report: name, or side and role when anonymous."""
    from ..charts import respondent_labels

    return respondent_labels(data.result, data.anonymous)


def has_scores(data: ReportData) -> bool:
    """Whether the report can show scores (enough answers for a verdict)."""
    return data.result.verdict != "insufficient-data"


def _list_title(data: ReportData, list_id: object) -> str:
    lst = data.bank.list_map.get(str(list_id)) if list_id else None
    return lst.title if lst else ""


def _anchor(q: Question, value: int) -> str:
    return q.scale.anchors.get(value, "")


def _is_estimate(row: Any) -> bool:
    """Whether an answers row is an estimate of the other side (`about = other-side`)."""
    return str(getattr(row, "about", "self") or "self") == "other-side"


def _answers_by_question(data: ReportData, about: str = "self"
                         ) -> dict[str, list[dict[str, Any]]]:
    """Current answers by question: own answers, or (`about="other-side"`) estimates."""
    out: dict[str, list[dict[str, Any]]] = {}
    want = about == "other-side"
    for row in data.answers.itertuples(index=False):
        if _is_estimate(row) != want:
            continue
        dk = bool(row.dont_know) or row.value is None or str(row.value) == "<NA>"
        out.setdefault(str(row.question_id), []).append({
            "respondent": str(row.respondent), "side": str(row.side),
            "value": None if dk else int(row.value), "comment": str(row.comment or "")})
    return out


def _answer_text(value: int | None) -> str:
    return "don't know" if value is None else str(value)


# ---- sections -----------------------------------------------------------------------------
def _logo(path: str) -> str:
    if not path:
        return ""
    p = Path(path)
    mime = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".svg": "image/svg+xml"}[p.suffix.lower()]
    data = base64.b64encode(p.read_bytes()).decode("ascii")
    return f'<img class="wb-logo" alt="" src="data:{mime};base64,{data}">'


def cover(data: ReportData) -> str:
    """Cover: engagement, the two organisations, date, respondents by side and role."""
    o = orgs(data)
    eng = data.engagement
    labels = people_labels(data)
    firm = esc(data.options.organisation)
    brand_bar = (f'<div class="wb-brand">{_logo(data.options.logo_path)}'
                 f'<span class="wb-firm">{firm}</span></div>') if firm or \
        data.options.logo_path else ""
    rows = []
    for side in ("host", "partner"):
        people = [p for p in data.result.respondents if p.side == side]
        org = f'<span class="wb-side wb-{side}">{esc(o[side])}</span>'
        if not people:
            rows.append([org, "No respondents yet"] + ([] if data.anonymous else [""]) + [""])
        for p in people:
            done = f"{p.answered} of {p.expected}"
            if data.anonymous:
                rows.append([org, esc(p.role or "Respondent"), done])
            else:
                rows.append([org, esc(labels.get(p.id, p.id)), esc(p.role), done])
    heads = ["Organisation", "Role", "Questions answered"] if data.anonymous else \
        ["Organisation", "Respondent", "Role", "Questions answered"]
    table = _table(heads, rows, "wb-roster")
    body = (f'{brand_bar}<p class="wb-kicker">Alliance readiness report</p>'
            f'<h1 class="wb-title">{esc(eng.title)}</h1>'
            f'<p class="wb-parties"><span class="wb-side wb-host">{esc(o["host"])}</span> '
            f'<span class="wb-x">and</span> '
            f'<span class="wb-side wb-partner">{esc(o["partner"])}</span></p>'
            f'<dl class="wb-meta"><dt>Engagement</dt><dd>{esc(eng.id)}</dd>'
            f'<dt>Report date</dt><dd>{data.generated:%d %B %Y}</dd>'
            f'<dt>Engagement opened</dt><dd>{eng.created_at:%d %B %Y}</dd>'
            f'<dt>Question bank</dt><dd>{esc(data.bank.bank.title)}, version '
            f'{esc(data.bank.version)}</dd>'
            f'<dt>Names</dt><dd>{"hidden (roles only)" if data.anonymous else "shown"}</dd>'
            f"</dl><h3>Who answered</h3>{table}")
    return _section("cover", "", body)


def _spread(d: DimensionScore, side: str) -> float:
    """How split one side is on a list (0 when unknown)."""
    v = d.host_divergence if side == "host" else d.partner_divergence
    return float(v or 0.0)


def _runner_up(form_id: str | None) -> str:
    return f"runner-up: {esc(presenting.form_label(form_id).lower())}" if form_id else ""


def _form_sentence(data: ReportData) -> str:
    """What the answers describe, with the confidence and the runner-up, as summary HTML."""
    r = data.result
    form = r.form
    extra = "; ".join(x for x in (esc(presenting.confidence_text(form.confidence)),
                                  _runner_up(form.runner_up)) if x)
    described = f"<strong>{esc(phrase(form.recommended))}</strong> ({extra})"
    head = presenting.headline(r)
    if head.recommendation:
        pursue = form.pursue
        ready = (f", and the two companies are {esc(presenting.percent(pursue.readiness))} "
                 "ready for it" if pursue is not None else "")
        return (f"Taken together the answers describe {described} rather than a strategic "
                f"alliance. <strong>{esc(head.label)}.</strong> Pursuing "
                f"{esc(phrase(form.recommended))} is the recommendation, not a failure"
                f"{ready}.")
    return (f"Taken together the answers describe {described}, and the verdict is "
            f"<strong>{esc(head.label.lower())}</strong>.")


def _readiness_sentence(data: ReportData) -> str:
    r = data.result
    if not r.readiness or not r.form.is_alliance:
        return ""
    o = orgs(data)
    parts = []
    for side in presenting.SIDES:
        met, unmet, unknown = presenting.readiness_counts(r, side)
        total = met + unmet + unknown
        if total:
            parts.append(f"{esc(o[side])} has {met} of {total} in place"
                         + (f" ({unknown} not answered)" if unknown else ""))
    if not parts:
        return ""
    return "Of the conditions an alliance needs on each side, " + " and ".join(parts) + "."


def _expectation_sentence(data: ReportData) -> str:
    """The largest flagged miss of one side's picture of the other, as one sentence."""
    rows = [x for x in presenting.expectation_rows(data.result) if x.flagged]
    if not rows:
        return ""
    o = orgs(data)
    top = max(rows, key=lambda x: x.miss)
    what = ("a blind spot" if top.direction == "blind-spot" else "a pleasant surprise")
    return (f"Asked how the other side would answer, {esc(o[top.side])} misjudged "
            f"{esc(o[top.other])} most on {esc(top.title.lower())}: it expected a score of "
            f"{num(top.expects)} out of 100, {esc(o[top.other])} scored {num(top.actual)}, "
            f"{what} (see \u201c{esc(EXPECT_TITLE)}\u201d).")


def robustness_box(data: ReportData) -> str:
    """How firm the verdict is, in the neutral style: firm, or close with the flipping change."""
    firm = presenting.firmness(data.result)
    if firm is None:
        return ""
    caution = f" {esc(firm.caution)}" if firm.caution else ""
    return (f'<div class="wb-robust wb-robust-{firm.kind}">'
            f"<p><strong>{esc(firm.headline)}:</strong> {esc(firm.detail)}{caution}</p>"
            f'<p class="wb-robust-counts">{esc(firm.counts)}</p></div>')


def executive_summary(data: ReportData) -> str:
    """One paragraph a busy executive can act on."""
    r = data.result
    o = orgs(data)
    per_side = r.respondents_per_side
    n_people = sum(int(v or 0) for v in per_side.values())
    intro = (f"{n_people} {'executive' if n_people == 1 else 'executives'} answered for "
             f"{esc(o['host'])} "
             f"({per_side.get('host', 0)}) and {esc(o['partner'])} "
             f"({per_side.get('partner', 0)}); {pct(r.completeness)} of the expected "
             "answers are in.")
    if not has_scores(data):
        text = (f"{intro} <strong>There is not enough data for a verdict yet.</strong> "
                f"The question bank asks for at least "
                f"{pct(data.bank.thresholds.completeness_min)} of the answers and "
                f"{data.bank.thresholds.min_respondents_per_side} respondents per side before "
                "it scores an engagement, so this report shows only who has answered and what "
                "they said, but no scores, fit map or gaps. Collect the missing answers and "
                "run the report again.")
        return _section("summary", "Executive summary", f'<p class="wb-summary">{text}</p>')
    dims = r.dimensions
    gaps = sorted(((d.gap or 0.0, d) for d in dims.values()), key=lambda t: -t[0])
    parts = [intro, _form_sentence(data)]
    firm = presenting.firmness(r)
    if firm is not None:
        parts.append(f"<strong>{esc(firm.headline)}:</strong> {esc(firm.detail)}"
                     + (f" {esc(firm.caution)}" if firm.caution else ""))
    if gaps and gaps[0][0] > 0:
        _, d = gaps[0]
        parts.append(f"The sides are furthest apart on {esc(d.title.lower())} "
                     f"({esc(o['host'])} {num(d.host)}, {esc(o['partner'])} "
                     f"{num(d.partner)} out of 100).")
    split = []
    for side in ("host", "partner"):
        spread = {lid: _spread(d, side) for lid, d in dims.items()}
        top = max(spread, key=lambda lid: spread[lid], default=None)
        if top is not None and spread[top] >= data.bank.thresholds.internal_divergence:
            split.append(f"the {esc(o[side])} team is split on "
                         f"{esc(dims[top].title.lower())} "
                         f"({num(spread[top])} points between its members)")
    if split:
        parts.append("Inside the teams, " + " and ".join(split) + ".")
    readiness = _readiness_sentence(data)
    if readiness:
        parts.append(readiness)
    misjudged = _expectation_sentence(data)
    if misjudged:
        parts.append(misjudged)
    if r.form.to_ask:
        parts.append("Part of the deal's structure is still unknown, so the form rests on "
                     f"the scores more than on the deal itself: {esc(r.form.to_ask[0])}")
    blocking = [f for f in r.flags if f.blocking]
    if r.verdict == "fit":
        parts.append("No blocking disagreement stands; the next step is to plan the launch.")
    elif blocking and not presenting.is_recommendation(r):
        parts.append(f"{len(blocking)} issue(s) should be settled before launch; the first "
                     "step is below.")
    if r.next_steps:
        parts.append(f"First step: {esc(r.next_steps[0])}")
    return _section("summary", "Executive summary",
                    f'<p class="wb-summary">{" ".join(parts)}</p>')


def _pursue_box(data: ReportData) -> str:
    pursue = data.result.form.pursue
    if pursue is None or not presenting.is_recommendation(data.result):
        return ""
    share = max(0.0, min(1.0, float(pursue.readiness)))
    step = (f'<p><strong>First step:</strong> {esc(pursue.next_step)}</p>'
            if pursue.next_step else "")
    return (f'<div class="wb-pursue"><p class="wb-pursue-head">Pursue '
            f"{esc(phrase(pursue.form))}: <strong>{esc(presenting.percent(share))} ready"
            f'</strong></p><div class="wb-meter"><div class="wb-meter-fill" '
            f'style="width:{round(100 * share)}%"></div></div>'
            f"<p>{esc(pursue.detail)}</p>{step}</div>")


def verdict(data: ReportData) -> str:
    """The verdict (or the recommended other form), the form with its confidence, runner-up
    and evidence, what to ask about the deal's structure, and the reasons."""
    r = data.result
    head = presenting.headline(r)
    o = orgs(data)
    badge = (f'<div class="wb-verdict wb-verdict-{esc(head.kind)}" '
             f'style="border-color:{head.colour}">'
             f'<span class="wb-verdict-label" style="background:{head.colour}">'
             f"{esc(head.label)}</span>")
    firm = presenting.firmness(r) if has_scores(data) else None
    if firm is not None and firm.tag:
        badge += f'<span class="wb-close-tag">{esc(firm.tag)}</span>'

    body = ""
    if has_scores(data):
        form = r.form
        types = r.side_types
        sides = "; ".join(
            f"{esc(o[s])}: {esc(brand.TYPE_LABELS.get(str(types.get(s)), 'no clear form'))}"
            for s in ("host", "partner") if types.get(s))
        runner = (f'<span class="wb-form-runner">Runner-up: '
                  f"{esc(presenting.form_label(form.runner_up).lower())}</span>"
                  if form.runner_up else "")
        lead = "Instead of an alliance" if head.recommendation else "Recommended form"
        badge += (f'<span class="wb-form">{lead}: '
                  f"<strong>{esc(presenting.form_label(form.recommended))}</strong> "
                  f'<span class="wb-conf">{esc(presenting.confidence_text(form.confidence))}'
                  f"</span></span>{runner}"
                  + (f'<span class="wb-form-sides">Each side on its own: {sides}</span>'
                     if sides else ""))
        evidence = form.evidence
        if evidence:
            body += f'<p class="wb-form-summary">{esc(evidence[0])}</p>'
        body += _pursue_box(data)
        if len(evidence) > 1:
            body += ('<h3>Evidence for the form</h3><ul class="wb-evidence">'
                     + "".join(f"<li>{esc(x)}</li>" for x in evidence[1:]) + "</ul>")
        if form.to_ask:
            body += ('<div class="wb-ask"><h3>What to ask about the deal</h3><ul>'
                     + "".join(f"<li>{esc(x)}</li>" for x in form.to_ask) + "</ul></div>")
    badge += "</div>"
    if has_scores(data):
        badge += robustness_box(data)
    reasons_list = presenting.why(r) if has_scores(data) else r.reasons
    reasons = "".join(f"<li>{esc(x)}</li>" for x in reasons_list)
    table = scores_table(data) if has_scores(data) else ""
    return _section("verdict", "Verdict and recommended form of relationship",
                    badge + body + (f'<h3>Why</h3><ul class="wb-reasons">{reasons}</ul>'
                                    if reasons else "") + table)


def _met_cell(check: ReadinessCheck | None) -> str:
    if check is None:
        return DASH
    cls = presenting.MET_CLASSES[check.met]
    return (f'<span class="wb-met wb-met-{cls}">{esc(presenting.MET_LABELS[check.met])}</span>'
            f'<span class="wb-met-detail">{esc(check.detail)}</span>')


def readiness(data: ReportData) -> str:
    """Each condition an alliance needs, on each side: met yes / no / unknown, and why."""
    r = data.result
    if not has_scores(data) or not r.readiness:
        return ""
    o = orgs(data)
    rows = [[esc(presenting.condition_label(cid, data.bank))]
            + [_met_cell(checks[s]) for s in presenting.SIDES]
            for cid, checks in presenting.readiness_rows(r)]
    heads = ["Condition"] + [f'<span class="wb-side wb-{s}">{esc(o[s])}</span>'
                             for s in presenting.SIDES]
    body = _table(heads, rows, "wb-readiness")
    steps = presenting.unmet_steps(r) if r.form.is_alliance else []
    if steps:
        body += ('<h3>To meet the missing conditions</h3><ol class="wb-steps">'
                 + "".join(f"<li>{esc(x)}</li>" for x in steps) + "</ol>")
    return _section("readiness", "Readiness on each side", body,
                    lead=esc(presenting.readiness_lead(r)))


def profile(data: ReportData, fit_map_svg: str = "", profile_svg: str = "") -> str:
    """The fit map and the per-list profile (charts plus the numbers behind them)."""
    if not has_scores(data):  # the summary says why; no empty page for it
        return ""
    lead = ("Scores run from 0 (least favourable to an alliance) to 100 (most favourable). "
            "The fit map places each side, and each person, by how willing they are to share "
            "control and risk and by how much the alliance matters to them.")
    charts = ""
    if fit_map_svg:
        charts += figure(fit_map_svg, "Fit map: sharing against importance", "wb-fitmap")
    if profile_svg:
        charts += figure(profile_svg, "Profile: each side's score, list by list",
                         "wb-profile")
    return _section("profile", "Fit map and profile", charts, lead=lead)


def scores_table(data: ReportData) -> str:
    """Each list's score for both sides, the gap and the pooled score."""
    o = orgs(data)
    rows = [[esc(d.title), num(d.host), num(d.partner), num(d.gap), num(d.pooled)]
            for d in data.result.dimensions.values()]
    return ("<h3>Scores by list (0-100, higher is more favourable to an alliance)</h3>"
            + _table(["List", esc(o["host"]), esc(o["partner"]), "Gap", "Both together"],
                     rows, "wb-num"))


def _question_block(data: ReportData, qid: str, by_q: dict[str, list[dict[str, Any]]],
                    labels: dict[str, str]) -> str:
    """One question: its text, each side's answers by person, and what the answers mean."""
    q = data.bank.question_map.get(qid)
    if q is None:
        return ""
    o = orgs(data)
    qres: QuestionScore | None = next((x for x in data.result.questions if x.id == qid), None)
    answers = sorted(by_q.get(qid, []), key=lambda a: (a["side"] != "host",
                                                       labels.get(a["respondent"], "")))
    scale = f"scale {q.scale.min}–{q.scale.max}" + ("; reversed, lower is more favourable"
                                                       if q.reverse else "")
    what = ("scores out of 100" if q.scored else
            "not scored; position on the scale out of 100")
    host, partner = (qres.host, qres.partner) if qres is not None else (None, None)
    head = (f'<p class="wb-q"><span class="wb-qid">{esc(q.id)}</span> {esc(q.text)} '
            f'<span class="wb-muted">({esc(scale)}; {what}: {esc(o["host"])} '
            f'{num(host)}, {esc(o["partner"])} {num(partner)})'
            "</span></p>")
    parts = []
    for side in ("host", "partner"):
        got = [f"{esc(labels.get(a['respondent'], a['respondent']))} "
               f"<strong>{esc(_answer_text(a['value']))}</strong>"
               for a in answers if a["side"] == side]
        parts.append(f'<li><span class="wb-side wb-{side}">{esc(o[side])}</span>: '
                     + (", ".join(got) if got else "no answers") + "</li>")
    used = sorted({a["value"] for a in answers if a["value"] is not None})
    meaning = "".join(f"<li><strong>{v}</strong> {esc(_anchor(q, v))}</li>" for v in used)
    return (head + f'<ul class="wb-compact">{"".join(parts)}</ul>'
            + (f'<ul class="wb-anchors">{meaning}</ul>' if meaning else ""))


def _questions_behind(data: ReportData, flag: Flag) -> list[str]:
    if flag.question_id:
        return [str(flag.question_id)]
    dim = flag.dimension
    if not dim:
        return []
    qs = [x for x in data.result.questions if x.list == dim]
    split = flag.kind == "internal-divergence"
    key = f"{flag.side}_divergence" if split else "gap"
    qs.sort(key=lambda x: -(getattr(x, key) or 0.0))
    return [x.id for x in qs[:2] if (getattr(x, key) or 0) > 0]


def gaps(data: ReportData, cards: int = 10) -> str:
    """The ranked points to discuss, each with the questions behind it and the answers.

    The first `cards` points get a card with their questions and every person's answer
    (a question already shown refers back to its first card); the rest are listed below.
    """
    if not has_scores(data):
        return ""
    items = list(enumerate(data.result.discuss, start=1))
    if not items:
        return _section("gaps", "Gaps to discuss",
                        "<p>No gap or split passed the bank's thresholds.</p>")
    by_q = _answers_by_question(data)
    labels = people_labels(data)
    o = orgs(data)
    shown: dict[str, int] = {}
    out = []
    for rank, f in items[:cards]:
        blocks = ""
        for qid in _questions_behind(data, f):
            if f.kind == "expectation-gap":
                blocks += _expectation_block(data, qid, str(f.side), labels)
            elif qid in shown:
                q = data.bank.question_map.get(qid)
                blocks += (f'<p class="wb-q wb-muted"><span class="wb-qid">{esc(qid)}</span> '
                           f"{esc(q.text if q else qid)} (answers under point "
                           f"{shown[qid]})</p>")
            else:
                shown[qid] = rank
                blocks += _question_block(data, qid, by_q, labels)
        if f.kind == "type-mismatch":
            types = data.result.side_types
            blocks = "<ul class='wb-compact'>" + "".join(
                f'<li><span class="wb-side wb-{s}">{esc(o[s])}</span>: '
                f"{esc(brand.TYPE_LABELS.get(str(types.get(s)), 'no clear form'))}</li>"
                for s in ("host", "partner")) + "</ul>"
        out.append(_card(data, rank, f, blocks))
    rest = items[cards:]
    if rest:
        rows = [[str(rank), esc(KIND_LABELS.get(f.kind, f.kind)), esc(f.detail)]
                for rank, f in rest]
        out.append("<h3>Further points</h3>" + _table(["#", "Kind", "Detail"], rows,
                                                      "wb-further"))
    lead = ("Ranked by how far each point is past the bank's threshold; points marked "
            "<em>Must resolve</em> block a clean fit. Answers are on each question's own "
            "scale; the meaning of every answer given is listed under it.")
    return _section("gaps", "Gaps to discuss", "".join(out), lead=lead)


def _expectation_block(data: ReportData, qid: str, side: str,
                       labels: dict[str, str]) -> str:
    """One question of an expectation gap: what `side` expected, person by person, and what
    the other side answered."""
    q = data.bank.question_map.get(qid)
    if q is None or side not in presenting.OTHER_SIDE:
        return ""
    o = orgs(data)
    other = presenting.OTHER_SIDE[side]
    est = _answers_by_question(data, "other-side").get(qid, [])
    own = _answers_by_question(data).get(qid, [])

    def named(rows: list[dict[str, Any]], who: str) -> str:
        got = [f"{esc(labels.get(a['respondent'], a['respondent']))} "
               f"<strong>{esc(_answer_text(a['value']))}</strong>"
               for a in sorted(rows, key=lambda a: labels.get(a["respondent"], ""))
               if a["side"] == who]
        return ", ".join(got) if got else "none"
    head = (f'<p class="wb-q"><span class="wb-qid">{esc(q.id)}</span> {esc(q.text)} '
            f'<span class="wb-muted">(scale {q.scale.min}–{q.scale.max})</span></p>')
    used = sorted({a["value"] for a in est + own if a["value"] is not None})
    meaning = "".join(f"<li><strong>{v}</strong> {esc(_anchor(q, v))}</li>" for v in used)
    return (head + '<ul class="wb-compact">'
            f'<li><span class="wb-side wb-{side}">{esc(o[side])}</span> expected '
            f"{esc(o[other])} to answer: {named(est, side)}</li>"
            f'<li><span class="wb-side wb-{other}">{esc(o[other])}</span> answered: '
            f"{named(own, other)}</li></ul>"
            + (f'<ul class="wb-anchors">{meaning}</ul>' if meaning else ""))


def _card(data: ReportData, rank: int, f: Flag, blocks: str) -> str:
    where = _list_title(data, f.dimension)
    tag = "Must resolve" if f.blocking else "To discuss"
    side = f" · {esc(orgs(data)[f.side])}" if f.side in ("host", "partner") and \
        f.kind in ("readiness", "hobby", "share-nothing", "expectation-gap") else ""
    return (f'<div class="wb-card"><div class="wb-card-head"><span class="wb-rank">'
            f'{rank}</span><span class="wb-kind">'
            f'{esc(KIND_LABELS.get(f.kind, f.kind))}'
            f'{" · " + esc(where) if where else ""}{side}</span>'
            f'<span class="wb-tag {"wb-block" if f.blocking else ""}">{tag}</span>'
            f'</div><p class="wb-detail">{esc(f.detail)}</p>{blocks}</div>')


def _miss_label(data: ReportData, row: presenting.ExpectationRow) -> str:
    if row.direction is None or round(row.miss) == 0:
        return "Spot on"
    if row.miss >= data.bank.thresholds.expectation_gap:
        return f"<strong>{esc(row.direction_label)}</strong>"
    more = "expected more" if row.direction == "blind-spot" else "expected less"
    return f'<span class="wb-muted">Small miss ({more})</span>'


def expectations(data: ReportData, expectation_svg: str = "", rows: int = 6) -> str:
    """What each side got wrong about the other: the expectation-gap sentences, the chart,
    and the questions where a side's picture of the other missed most."""
    r = data.result
    if not has_scores(data) or not r.expectations:
        return ""
    o = orgs(data)
    n_q = len(r.expectation_questions)
    th = data.bank.thresholds.expectation_gap
    lead = (f"Besides their own answers, the executives estimated how the other side\u2019s "
            f"team would answer {n_q} of the questions. A <strong>blind spot</strong> is a "
            "side that expected the other to be more ready for the alliance than the other "
            "side\u2019s own answers show (\u201cwe thought they were with us\u201d); a "
            "<strong>pleasant surprise</strong> the reverse. Misses are in points out of 100; "
            f"from {num(th)} points a miss is worth a conversation. Estimates never enter the "
            "scores.")
    sentences = presenting.expectation_flags(r)
    body = ('<ul class="wb-expect-flags">' + "".join(f"<li>{esc(x)}</li>" for x in sentences)
            + "</ul>") if sentences else (
        f"<p>No side\u2019s picture of the other missed by {num(th)} points or more on any "
        "list.</p>")
    if expectation_svg:
        body += figure(expectation_svg, "For each list: what each side expected of the other "
                       "(ring), what the other side answered (dot) and its own answer "
                       "(diamond)", "wb-expectfig")
    top = presenting.largest_misses(r, rows, data.bank)
    if top:
        table_rows = [[f'<span class="wb-qid">{esc(x.key)}</span> {esc(x.title)}',
                       f'<span class="wb-side wb-{x.side}">{esc(o[x.side])}</span>',
                       num(x.expects), num(x.actual), num(x.miss), _miss_label(data, x)]
                      for x in top]
        body += ('<div class="wb-keep"><h3>The largest misses, question by question</h3>'
                 '<p class="wb-muted">What one side expected the other side to answer, and '
                 "what the other side answered, as scores out of 100.</p>"
                 + _table(["Question", "Who expected", "Expected", "Answered", "Miss",
                           "What it is"], table_rows, "wb-expect-table") + "</div>")
    return _section("expectations", EXPECT_TITLE, body, lead=lead)


def divergence(data: ReportData, heatmap: str | None = None) -> str:
    """How far apart the members of each team are, list by list, after the heat map of every
    answer (questions by respondents, `charts.divergence_heatmap`, an HTML table).

    `heatmap` is the heat map already drawn (HTML; an SVG is wrapped as a figure); None
    draws it from `data`, "" leaves it out.
    """
    if not has_scores(data):
        return ""
    o = orgs(data)
    th = data.bank.thresholds.internal_divergence
    rows = []
    for d in data.result.dimensions.values():
        cells = [esc(d.title)]
        for side in ("host", "partner"):
            v = getattr(d, f"{side}_divergence")
            mark = ' <span class="wb-flag">split</span>' if v is not None and v >= th else ""
            cells.append(num(v) + mark)
        rows.append(cells)
    table = "<h3>Spread inside each team, by list</h3>" + _table(
        ["List", f"Spread in {esc(o['host'])}", f"Spread in {esc(o['partner'])}"], rows,
        "wb-num")
    lead = (f"The spread is how far apart, on average, any two members of a team are on a list "
            f"(in points out of 100; for two people, simply their distance). {num(th)} or more "
            "counts as a split that the team should settle internally before negotiating.")
    if heatmap is None:
        from ..charts import divergence_heatmap

        heatmap = divergence_heatmap(data.result, data.bank, anonymous=data.anonymous,
                                     answers=data.answers)
    caption = "Every answer, question by question (favourable position 0-100)"
    if heatmap.lstrip().startswith("<svg"):
        chart = figure(heatmap, caption, "wb-heatmap")
    elif heatmap:
        chart = (f'<figure class="wb-heatfig">{heatmap}'
                 f"<figcaption>{esc(caption)}</figcaption></figure>")
    else:
        chart = ""
    return _section("divergence", "Divergence inside each team", chart + table, lead=lead)


def next_steps(data: ReportData) -> str:
    """The recommended next steps, in order."""
    steps = data.result.next_steps
    if not steps:
        return _section("next", "Next steps", "<p>No further steps are suggested.</p>")
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return _section("next", "Next steps", f'<ol class="wb-steps">{items}</ol>')


def comments(data: ReportData) -> str:
    """Every respondent comment, escaped, by list and question; named or by role."""
    labels = people_labels(data)
    o = orgs(data)
    rows = []
    order = {q.id: i for i, q in enumerate(data.bank.iter_ordered())}
    frame = data.answers[data.answers["comment"].astype(str).str.strip() != ""] \
        if not data.answers.empty else data.answers
    recs = sorted(frame.itertuples(index=False),
                  key=lambda r: (order.get(str(r.question_id), 10**6), r.side != "host",
                                 labels.get(str(r.respondent), "")))
    for r in recs:
        q = data.bank.question_map.get(str(r.question_id))
        tag = ('<br><span class="wb-about-tag">on what the other side will answer</span>'
               if _is_estimate(r) else "")
        rows.append([esc(q.text if q else r.question_id) + tag,
                     f'<span class="wb-side wb-{esc(r.side)}">{esc(o.get(str(r.side), r.side))}'
                     f"</span><br>{esc(labels.get(str(r.respondent), r.respondent))}",
                     f'<span class="wb-comment">{esc(r.comment)}</span>'])
    if not rows:
        return _section("comments", "Comments", "<p>No respondent left a comment.</p>")
    note = "Shown by side and role; names are hidden." if data.anonymous else ""
    return _section("comments", "Comments", _table(["Question", "From", "Comment"], rows,
                                                   "wb-comments"), lead=note)


def appendix(data: ReportData, completion_svg: str = "") -> str:
    """Every current answer by question and respondent, with the bank version and method."""
    labels = people_labels(data)
    o = orgs(data)
    people = sorted(data.result.respondents,
                    key=lambda p: (p.side != "host", labels.get(p.id, "")))
    by_q = _answers_by_question(data)
    by_e = _answers_by_question(data, "other-side")
    head = ["Question"] + [f'<span class="wb-side wb-{esc(p.side)}">'
                           f"{esc(labels.get(p.id, p.id))}</span>" for p in people]
    rows = []
    for lst in data.bank.lists:
        rows.append([f'<strong>{esc(lst.title)}</strong>'] + [""] * len(people))
        for q in data.bank.questions_in(lst.id):
            got = {a["respondent"]: a["value"] for a in by_q.get(q.id, [])}
            cells = [f'<span class="wb-qid">{esc(q.id)}</span> {esc(q.text)}'
                     + (" <em>(reversed)</em>" if q.reverse else "")]
            for p in people:
                cells.append(esc(_answer_text(got[p.id])) if p.id in got else DASH)
            rows.append(cells)
            guessed = {a["respondent"]: a["value"] for a in by_e.get(q.id, [])}
            if guessed:
                rows.append(['<span class="wb-about-tag">\u21b3 expected of the other '
                             "side</span>"]
                            + [f'<span class="wb-about-tag">{esc(_answer_text(guessed[p.id]))}'
                               "</span>" if p.id in guessed else DASH for p in people])
    th = data.bank.thresholds
    method = (f"Answers are on each question's anchored scale (usually 1–5); for reversed "
              "questions a lower number is more favourable. 'don't know' is kept as such and "
              f"lowers completeness; {DASH} means not answered. Scores convert every answer "
              "to 0–100 (100 = most favourable to an alliance) and average them by list with "
              f"the bank's weights. Thresholds: gap between sides {num(th.cross_side_gap)}, "
              f"split inside a team {num(th.internal_divergence)}, completeness "
              f"{pct(th.completeness_min)}, at least {th.min_respondents_per_side} "
              "respondents per side. Rows marked \u201cexpected of the other side\u201d hold "
              "each person\u2019s estimate of how the other side\u2019s team would answer; "
              "they never enter the scores.")
    bank = (f"<p>Question bank: <strong>{esc(data.bank.bank.title)}</strong> "
            f"(id {esc(data.bank.bank.id)}, version {esc(data.bank.version)}); "
            + (f"the engagement was set up with version {esc(data.engagement.bank_version)}. "
               if data.engagement.bank_version else
               "the engagement does not record the bank version it was set up with. ")
            + f"Respondents: {esc(o['host'])} (host) and {esc(o['partner'])} (partner).</p>")
    chart = figure(completion_svg, "How far each respondent got") if completion_svg else ""
    body = bank + f"<p>{method}</p>" + chart
    if people and not data.answers.empty:
        body += _table(head, rows, "wb-every")
    else:
        body += "<p>No answers have been recorded yet.</p>"
    return _section("appendix", "Appendix: every answer", body)
