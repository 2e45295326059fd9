"""Altair charts of a score result, drawn offline as inline SVG (no JavaScript, no CDN).

Every function takes the typed `ScoreResult` of `results.engagement_result` (or
`scoring.score_engagement`) and returns an Altair chart; `to_svg` turns any of them into an
SVG string with vl-convert (Vega runs inside the Python process), which the Voila apps and
the reports embed directly in the page.
Colours come from `workbook_helpers.brand`.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import TYPE_CHECKING, Any

import altair as alt

from . import brand, presenting

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .bank import Bank
    from .scoring.model import ScoreResult

__all__ = [
    "answer_matrix",
    "completion_chart",
    "divergence_heatmap",
    "expectation_chart",
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


# The look of every chart (Vega-Lite `config`). Set in one assignment rather than a chain of
# configure_* calls: each of those deep-copies the whole chart, which for a layered chart
# costs more than drawing it.
CONFIG: dict[str, Any] = {
    "font": brand.FONT, "background": "white",
    "axis": {"labelColor": brand.MUTED, "titleColor": brand.INK, "gridColor": brand.RULE,
             "domainColor": brand.RULE, "labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelColor": brand.INK, "titleColor": brand.INK, "labelFontSize": 12,
               "titleFontSize": 12, "orient": "top"},
    "title": {"color": brand.NAVY, "fontSize": 15, "anchor": "start", "font": brand.FONT,
              "subtitleFont": brand.FONT, "subtitleFontSize": 12},
    "view": {"stroke": None},
}


def _base_config(chart: Any) -> Any:
    out = chart.copy(deep=False)
    out.config = copy.deepcopy(CONFIG)  # to_dict merges the theme into it
    return out


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
    """Each current own answer as a favourable position 0-100 (None for don't know), for
    heatmaps; estimates of the other side (`about = other-side`) are left out."""
    out: list[dict[str, Any]] = []
    qmap = bank.question_map
    for row in answers.itertuples(index=False):
        if str(getattr(row, "about", "self") or "self") == "other-side":
            continue
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


def completion_chart(result: ScoreResult, anonymous: bool = False,
                     estimates: dict[str, int] | None = None,
                     estimate_total: int = 0) -> alt.Chart:
    """How far each respondent has got through the questions (share answered).

    The bars count own answers only. With `estimate_total` (the number of expectation
    questions asked), the text beside each bar adds how many the person has estimated
    ("40 of 55 · 6 of 10 estimates"), from `estimates` by respondent id.
    """
    labels = respondent_labels(result, anonymous)
    orgs = _orgs(result)
    people = sorted(result.respondents, key=lambda p: (p.side != "host", labels.get(p.id, "")))
    est = estimates or {}

    def caption(p: Any) -> str:
        own = f"{p.answered} of {p.expected}"
        if estimate_total <= 0:
            return own
        return f"{own} · {min(est.get(p.id, 0), estimate_total)} of {estimate_total} estimates"
    rows = [{"who": labels[p.id], "side": orgs[p.side],
             "done": 100.0 * float(p.completeness or 0.0),
             "text": caption(p)} for p in people]
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


EXPECT_NOTE = ("A blind spot: one side expected the other to be more ready than the other "
               "side's own answers show.")
BLIND_BAND = "#fff1c2"   # pale yellow behind a flagged blind spot: neither side's colour


def _expect_label(row: presenting.ExpectationRow) -> str:
    if row.direction is None or round(row.miss) == 0:
        return "Spot on"
    if not row.flagged:  # under the bank's threshold: the size only, no name for it
        return f"{row.miss:.0f} points off"
    return f"{row.direction_label}: {row.miss:.0f} points"


def expectation_chart(result: ScoreResult) -> Any:
    """What each side expected of the other, list by list, against what the other side said.

    One panel per side: an open ring where it expected the other side to be, a filled dot
    where the other side's own answers put it (in the other side's colour), a line between
    them (the miss), and a diamond for the side's own answer. Flagged blind spots ("we
    thought they were with us") sit on a pale band and are named in bold at the right.
    """
    orgs = _orgs(result)
    rows = presenting.expectation_rows(result)
    order = [g.title for g in result.expectations.values()]
    colour = alt.Color("org:N", scale=_side_scale(result), title=None)
    panels: list[Any] = []
    for side in ("host", "partner"):
        mine = [r for r in rows if r.side == side]
        if not mine:
            continue
        other = presenting.OTHER_SIDE[side]
        data = [{"list": r.title, "expects": round(r.expects, 1), "actual": round(r.actual, 1),
                 "own": None if r.own is None else round(r.own, 1),
                 "who": orgs[side], "them": orgs[other], "label": _expect_label(r),
                 "flagged": r.flagged, "blind": r.flagged and r.direction == "blind-spot"}
                for r in mine]
        base = alt.Chart(alt.Data(values=data)).encode(
            y=alt.Y("list:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)))
        x = alt.X("expects:Q", scale=alt.Scale(domain=[0, 100]),
                  title="Score out of 100 (higher = more ready for an alliance)")
        band = base.transform_filter("datum.blind").mark_rect(color=BLIND_BAND).encode(
            x=alt.datum(0), x2=alt.datum(100))
        line = base.mark_rule(color=brand.MUTED, strokeWidth=3).encode(x=x, x2="actual:Q")
        own = base.transform_filter("datum.own !== null").transform_calculate(
            org="datum.who").mark_point(shape="diamond", filled=True, size=110,
                                        opacity=0.9).encode(x="own:Q", color=colour)
        expected = base.transform_calculate(org="datum.who").mark_point(
            filled=False, size=170, strokeWidth=2.5, opacity=1).encode(x="expects:Q",
                                                                      color=colour)
        actual = base.transform_calculate(org="datum.them").mark_point(
            filled=True, size=170, opacity=1, stroke="white", strokeWidth=1).encode(
            x="actual:Q", color=colour)
        text = base.transform_filter("!datum.flagged").mark_text(
            align="left", dx=12, fontSize=11, color=brand.MUTED).encode(
            x=alt.datum(100), text="label:N")
        bold = base.transform_filter("datum.flagged").mark_text(
            align="left", dx=12, fontSize=11, fontWeight="bold", color=brand.INK).encode(
            x=alt.datum(100), text="label:N")
        panels.append(alt.layer(band, line, own, expected, actual, text, bold).properties(
            width=WIDTH - 290, height=alt.Step(26),
            title=alt.TitleParams(f"What {orgs[side]} expected of {orgs[other]}",
                                  fontSize=13, color=brand.NAVY, anchor="start")))
    if panels:
        panels.insert(0, _expect_key())
    else:
        empty = alt.Chart(alt.Data(values=[{"t": "No expectations given yet"}])).mark_text(
            fontSize=13, color=brand.MUTED).encode(text="t:N").properties(width=WIDTH - 290,
                                                                          height=40)
        panels.append(empty)
    chart = alt.vconcat(*panels, spacing=18).properties(
        title=alt.TitleParams("What each side expected of the other, and what it got",
                              subtitle=EXPECT_NOTE, subtitleColor=brand.MUTED))
    return _base_config(chart)


def _expect_key() -> Any:
    """The key to the marks (ring, dot, diamond), drawn as marks so every renderer agrees."""
    # the key starts under the list labels (left of the plot, x < 0) to have room
    px = {"ring": -125, "dot": 38, "diamond": 196}
    labels = {"ring": "expected of the other side", "dot": "what the other side said",
              "diamond": "own answer"}
    items = [{"x": 100 * px[k] / (WIDTH - 290), "kind": k, "label": labels[k]} for k in px]
    base = alt.Chart(alt.Data(values=items)).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0, 100]), axis=None))
    ring = base.transform_filter("datum.kind === 'ring'").mark_point(
        filled=False, size=150, strokeWidth=2.5, color=brand.MUTED)
    dot = base.transform_filter("datum.kind === 'dot'").mark_point(
        filled=True, size=150, opacity=1, color=brand.MUTED)
    diamond = base.transform_filter("datum.kind === 'diamond'").mark_point(
        shape="diamond", filled=True, size=110, opacity=1, color=brand.MUTED)
    text = base.mark_text(align="left", dx=11, fontSize=12, color=brand.INK).encode(
        text="label:N")
    return alt.layer(ring, dot, diamond, text).properties(width=WIDTH - 290, height=16)


def to_svg(chart: Any) -> str:
    """The chart as a standalone SVG string, rendered in-process by vl-convert (no network)."""
    import vl_convert

    # the schema check runs in the tests (tests/test_charts.py); at render time it only costs
    spec = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else chart
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg
