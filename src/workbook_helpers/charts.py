"""Altair charts of a score result, drawn offline as inline SVG (no JavaScript, no CDN).

Every function takes the typed `ScoreResult` of `results.engagement_result` (or
`scoring.score_engagement`) and returns an Altair chart; `to_svg` turns any of them into an
SVG string with vl-convert (Vega runs inside the Python process), which the Voila apps and
the reports embed directly in the page.
Colours come from `workbook_helpers.brand`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import altair as alt

from . import brand

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .bank import Bank
    from .scoring.model import ScoreResult

__all__ = [
    "answer_matrix",
    "completion_chart",
    "divergence_heatmap",
    "fit_map_chart",
    "profile_chart",
    "to_svg",
]

WIDTH = 560
QUADRANT_SPLIT = 50.0
# (x0, x1, y0, y1, label): x = willingness to share control and risk, y = importance.
QUADRANTS: list[tuple[float, float, float, float, str]] = [
    (50, 100, 50, 100, "Strategic alliance or joint venture"),
    (0, 50, 50, 100, "Licensing"),
    (50, 100, 0, 50, "Supply-chain integration"),
    (0, 50, 0, 50, "Outsourcing"),
]


def _orgs(result: ScoreResult) -> dict[str, str]:
    return {s: brand.side_label(s, result.organisations) for s in ("host", "partner")}


def _side_scale(result: ScoreResult) -> alt.Scale:
    orgs = _orgs(result)
    return alt.Scale(domain=[orgs["host"], orgs["partner"]],
                     range=[brand.HOST, brand.PARTNER])


def _base_config(chart: alt.TopLevelMixin) -> Any:
    return (chart.configure(font=brand.FONT, background="white")
            .configure_axis(labelColor=brand.MUTED, titleColor=brand.INK, gridColor=brand.RULE,
                            domainColor=brand.RULE, labelFontSize=12, titleFontSize=12)
            .configure_legend(labelColor=brand.INK, titleColor=brand.INK, labelFontSize=12,
                              titleFontSize=12, orient="top")
            .configure_title(color=brand.NAVY, fontSize=15, anchor="start")
            .configure_view(stroke=None))


def respondent_labels(result: ScoreResult, anonymous: bool = False) -> dict[str, str]:
    """Display label of each respondent id: the name, or in anonymous mode side and role."""
    people = result.respondents
    if not anonymous:
        return {p.id: str(p.name or p.id) for p in people}
    orgs = _orgs(result)
    base = {p.id: f"{orgs[p.side]} · {p.role or 'respondent'}" for p in people}
    counts = Counter(base.values())
    seen: Counter[str] = Counter()
    out: dict[str, str] = {}
    for p in people:
        label = base[p.id]
        if counts[label] > 1:
            seen[label] += 1
            label = f"{label} {seen[label]}"
        out[p.id] = label
    return out


def profile_chart(result: ScoreResult) -> alt.Chart:
    """Per-list score (0-100) of the host side next to the partner side."""
    orgs = _orgs(result)
    dims = result.dimensions
    order = [d.title or lid for lid, d in dims.items()]
    rows = [{"list": d.title or lid, "side": orgs[side], "score": getattr(d, side)}
            for lid, d in dims.items() for side in ("host", "partner")
            if getattr(d, side) is not None]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(height={"band": 0.8}, cornerRadiusEnd=2).encode(
        y=alt.Y("list:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("side:N", sort=[orgs["host"], orgs["partner"]]),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]),
                title="Score out of 100 (higher = more ready for an alliance)"),
        color=alt.Color("side:N", scale=_side_scale(result), title=None),
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=brand.INK).encode(
        y=alt.Y("list:N", sort=order),
        yOffset=alt.YOffset("side:N", sort=[orgs["host"], orgs["partner"]]),
        x="score:Q", text=alt.Text("score:Q", format=".0f"),
    )
    chart = alt.layer(bars, labels).properties(
        width=WIDTH - 200, height=alt.Step(14),
        title="How each side scores, list by list")
    return _base_config(chart)


def place_labels(points: list[dict[str, Any]], obstacles: list[dict[str, Any]],
                 char: float = 1.0, line: float = 3.6,
                 obstacle_char: float = 1.45) -> list[dict[str, Any]]:
    """Give each point a label height `ly` so that no two labels (left-aligned at x, about
    `char` data units a character wide and `line` high) overlap each other or the obstacles
    (the larger side labels, `obstacle_char` wide)."""
    placed = [(o["x"], o["x"] + obstacle_char * len(str(o["who"])), o["y"]) for o in obstacles]
    out = []
    for p in sorted(points, key=lambda p: (-p["y"], p["x"], str(p["who"]))):
        x0, x1, ly = p["x"], p["x"] + char * len(str(p["who"])), p["y"]
        for _ in range(len(points) + len(obstacles) + 1):
            clash = [q for q in placed if x0 < q[1] and q[0] < x1 and abs(ly - q[2]) < line]
            if not clash:
                break
            ly = min(q[2] for q in clash) - line
        placed.append((x0, x1, ly))
        out.append({**p, "ly": ly})
    return out


def fit_map_chart(result: ScoreResult, anonymous: bool = False) -> alt.Chart:
    """Where each side and each respondent sits: sharing (x) against importance (y)."""
    orgs = _orgs(result)
    labels = respondent_labels(result, anonymous)
    quads = [{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "label": lab,
              "tx": x0 + 2, "ty": y1 - 3} for x0, x1, y0, y1, lab in QUADRANTS]
    qdata = alt.Data(values=quads)
    x_enc = alt.X("x0:Q", scale=alt.Scale(domain=[0, 100], nice=False),
                  title="Willingness to share control and risk →")
    y_enc = alt.Y("y0:Q", scale=alt.Scale(domain=[0, 100], nice=False),
                  title="Strategic importance and priority →")
    fills = ["#e3f1ea", "#eef1f5", "#eef1f5", "#f4f4f4"]
    rects = [alt.Chart(alt.Data(values=[q])).mark_rect(
        fill=fill, opacity=0.8, stroke="white", strokeWidth=2).encode(
        x=x_enc, x2="x1:Q", y=y_enc, y2="y1:Q") for q, fill in zip(quads, fills, strict=True)]
    qtext = alt.Chart(qdata).mark_text(align="left", baseline="top", fontSize=12,
                                       fontWeight="bold", color=brand.MUTED).encode(
        x="tx:Q", y="ty:Q", text="label:N")
    # the colour already says which side: a label needs only the name (or the role)
    people: list[dict[str, Any]] = [
        {"x": p.share, "y": p.importance, "side": orgs[p.side],
         "who": (p.role or labels.get(p.id, p.id)) if anonymous else labels.get(p.id, p.id)}
        for p in result.respondents if p.share is not None and p.importance is not None]
    fit = result.fit_map
    sides: list[dict[str, Any]] = [
        {"x": fit[s]["share"], "y": fit[s]["importance"], "side": orgs[s], "who": orgs[s]}
        for s in ("host", "partner")
        if fit.get(s) and fit[s].get("share") is not None
        and fit[s].get("importance") is not None]
    side_labels = [{**sd, "x": sd["x"] + 2.0, "y": sd["y"] - 0.8} for sd in sides]
    side_marks = [{"x": sd["x"] - 2.5, "y": sd["y"] - 1.0, "who": "xxx"} for sd in sides]
    people = place_labels(people, side_labels + side_marks)
    colour = alt.Color("side:N", scale=_side_scale(result), title=None)
    layers: list[Any] = [*rects, qtext]
    if people:
        pdata = alt.Data(values=people)
        layers.append(alt.Chart(pdata).mark_point(size=60, filled=True, opacity=0.75).encode(
            x="x:Q", y="y:Q", color=colour, shape=alt.Shape("side:N", legend=None)))
        layers.append(alt.Chart(pdata).mark_text(align="left", dx=7, dy=-6, fontSize=10,
                                                 color=brand.MUTED).encode(
            x="x:Q", y="ly:Q", text="who:N"))
    if sides:
        sdata = alt.Data(values=sides)
        layers.append(alt.Chart(sdata).mark_point(size=420, filled=True, opacity=1,
                                                  stroke="white", strokeWidth=2).encode(
            x="x:Q", y="y:Q", color=colour, shape=alt.Shape("side:N", legend=None)))
        layers.append(alt.Chart(sdata).mark_text(align="left", dx=14, dy=4, fontSize=13,
                                                 fontWeight="bold").encode(
            x="x:Q", y="y:Q", text="who:N", color=colour))
    chart = alt.layer(*layers).properties(
        width=WIDTH - 140, height=WIDTH - 140,
        title="Fit map: what kind of relationship the answers point to")
    return _base_config(chart)


def answer_matrix(answers: pd.DataFrame, bank: Bank) -> list[dict[str, Any]]:
    """Each current answer as a favourable position 0-100 (None for don't know), for heatmaps."""
    out: list[dict[str, Any]] = []
    qmap = bank.question_map
    for row in answers.itertuples(index=False):
        q = qmap.get(str(row.question_id))
        if q is None:
            continue
        dk = bool(row.dont_know) or row.value is None or str(row.value) == "<NA>"
        out.append({"respondent": str(row.respondent), "question_id": q.id,
                    "position": None if dk else round(q.favourable(int(row.value)), 1)})
    return out


def _short(text: str, limit: int = 58) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def divergence_heatmap(result: ScoreResult, bank: Bank, anonymous: bool = False,
                       answers: pd.DataFrame | None = None,
                       matrix: list[dict[str, Any]] | None = None) -> alt.Chart:
    """Questions (rows) by respondents (columns), coloured by how favourable each answer is.

    Per-respondent answers come from `answers` (the store's `current_answers` frame) or from
    `matrix` (see `answer_matrix`); with neither, the columns are the two sides and the
    colour is each side's mean position on the question. Evidence questions (not scored)
    show the answer's position on its scale and say so in their row label.
    """
    labels = respondent_labels(result, anonymous)
    orgs = _orgs(result)
    qorder = [q.id for q in bank.iter_ordered()]
    qtext = {q.id: _short(q.text) if q.scored else _short(q.text, 44) + " (not scored)"
             for q in bank.questions}
    if answers is not None:
        matrix = answer_matrix(answers, bank)
    people = result.respondents
    if matrix is not None:
        side_of = {p.id: p.side for p in people}
        ordered = sorted(people, key=lambda p: (p.side != "host", labels.get(p.id, "")))
        col_order = [labels[p.id] for p in ordered]
        rows = [{"question": qtext[m["question_id"]], "qid": m["question_id"],
                 "who": labels.get(m["respondent"], m["respondent"]),
                 "side": orgs.get(side_of.get(m["respondent"], "host"), ""),
                 "position": m["position"]}
                for m in matrix if m["question_id"] in qtext and m["respondent"] in labels]
        subtitle = "Each column is one person; mixed colours along a row mean disagreement."
    else:
        col_order = [orgs["host"], orgs["partner"]]
        rows = [{"question": qtext[q.id], "qid": q.id, "who": orgs[s], "side": orgs[s],
                 "position": getattr(q, s)}
                for q in result.questions if q.id in qtext
                for s in ("host", "partner")]
        subtitle = "Each column is one side's average answer."
    row_order = [qtext[q] for q in qorder]
    for r in rows:
        r["shown"] = "don't know" if r["position"] is None else f"{r['position']:.0f}"
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("question:N", sort=row_order, title=None,
                axis=alt.Axis(labelLimit=360, labelFontSize=10)),
        x=alt.X("who:N", sort=col_order, title=None,
                axis=alt.Axis(orient="top", labelAngle=-30, labelLimit=160)))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(
            "datum.position === null",
            alt.value("#e7e9ee"),
            alt.Color("position:Q", scale=alt.Scale(domain=[0, 100], scheme="purples"),
                      title="Favourable (0-100)")))
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("shown:N"),
        color=alt.condition("datum.position > 60", alt.value("white"), alt.value(brand.INK)))
    chart = alt.layer(cells, text).properties(
        width=alt.Step(62), height=alt.Step(15),
        title=alt.TitleParams("Where people agree and disagree, question by question",
                              subtitle=subtitle, subtitleColor=brand.MUTED))
    return _base_config(chart)


def completion_chart(result: ScoreResult, anonymous: bool = False) -> alt.Chart:
    """How far each respondent has got through the questions (share answered)."""
    labels = respondent_labels(result, anonymous)
    orgs = _orgs(result)
    people = sorted(result.respondents, key=lambda p: (p.side != "host", labels.get(p.id, "")))
    rows = [{"who": labels[p.id], "side": orgs[p.side],
             "done": 100.0 * float(p.completeness or 0.0),
             "text": f"{p.answered} of {p.expected}"} for p in people]
    order: list[str] = [str(r["who"]) for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("who:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)))
    track = base.mark_bar(color="#eef1f5", height={"band": 0.7}).encode(x=alt.datum(100))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("done:Q", scale=alt.Scale(domain=[0, 100]), title="Questions answered (%)"),
        color=alt.Color("side:N", scale=_side_scale(result), title=None))
    text = base.mark_text(align="left", dx=6, fontSize=11, color=brand.INK).encode(
        x=alt.datum(100), text="text:N")
    chart = alt.layer(track, bars, text).properties(
        width=WIDTH - 260, height=alt.Step(24), title="Who has answered so far")
    return _base_config(chart)


def to_svg(chart: Any) -> str:
    """The chart as a standalone SVG string, rendered in-process by vl-convert (no network)."""
    import vl_convert

    # the schema check runs in the tests (tests/test_charts.py); at render time it only costs
    spec = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else chart
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg
