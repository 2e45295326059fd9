"""Charts of a score result, drawn offline as inline SVG (no JavaScript, no CDN).

Every chart function takes the typed `ScoreResult` of `results.engagement_result` (or
`scoring.score_engagement`) and returns a Vega-Lite spec as a plain dict (a `Spec`: Altair
is not needed to build or draw one, which keeps it out of the report kernel); `to_svg` turns
any of them into an SVG string with vl-convert (Vega runs inside the Python process), which
the Voila apps and the reports embed directly in the page.

The divergence heat map (questions by respondents) is not a chart but an HTML table with a
coloured, numbered cell per answer (`divergence_heatmap`): readable by screen readers,
searchable, and drawn by the browser for free.
Colours come from `workbook_helpers.presenting.brand`.
"""

from __future__ import annotations

import copy
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

from . import brand
from . import formats as wording_filters
from . import judgment as presenting
from . import speaking as sp

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..bank import Bank
    from ..scoring.model import ScoreResult
    from ..scoring.trend import Trend

__all__ = [
    "Spec",
    "answer_matrix",
    "completion_chart",
    "divergence_heatmap",
    "expectation_chart",
    "fit_map_chart",
    "heatmap_cells",
    "profile_chart",
    "to_svg",
    "trend_chart",
]

WIDTH = 560
QUADRANT_SPLIT = 50.0
# (x0, x1, y0, y1, label): x = willingness to share control and risk, y = importance.
QUADRANTS: list[tuple[float, float, float, float, str]] = [
    (50, 100, 50, 100, sp.N_("Strategic alliance or joint venture")),
    (0, 50, 50, 100, sp.N_("Licensing")),
    (50, 100, 0, 50, sp.N_("Supply-chain integration")),
    (0, 50, 0, 50, sp.N_("Outsourcing")),
]
# The Vega-Lite version of the specs (the one Altair and vl-convert agree on).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


class Spec(dict):  # type: ignore[type-arg]
    """A Vega-Lite spec, a plain dict; `to_dict` as on an Altair chart, for callers of both."""

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        """A copy of the spec; `validate=True` checks it against the Vega-Lite schema first
        (this needs Altair, which ships the schema)."""
        spec = copy.deepcopy(dict(self))
        if validate:
            from altair.utils.schemapi import validate_jsonschema
            from altair.vegalite.v6.schema import load_schema

            validate_jsonschema(spec, load_schema())
        return spec


def _orgs(result: ScoreResult) -> dict[str, str]:
    return {s: brand.side_label(s, result.organisations) for s in ("host", "partner")}


def _side_scale(result: ScoreResult) -> dict[str, Any]:
    orgs = _orgs(result)
    return {"domain": [orgs["host"], orgs["partner"]], "range": [brand.HOST, brand.PARTNER]}


# The look of every chart (Vega-Lite `config`).
CONFIG: dict[str, Any] = {
    "font": brand.FONT, "background": "white",
    "axis": {"labelColor": brand.MUTED, "titleColor": brand.INK, "gridColor": brand.RULE,
             "domainColor": brand.RULE, "labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelColor": brand.INK, "titleColor": brand.INK, "labelFontSize": 12,
               "titleFontSize": 12, "orient": "top"},
    "title": {"color": brand.NAVY, "fontSize": 15, "anchor": "start", "font": brand.FONT,
              "subtitleFont": brand.FONT, "subtitleFontSize": 12},
    "view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None},
}


def _spec(body: dict[str, Any]) -> Spec:
    """A top-level spec: the schema, the shared look and `body`."""
    return Spec({"$schema": SCHEMA, "config": copy.deepcopy(CONFIG), **body})


def _n(field: str, **kw: Any) -> dict[str, Any]:
    return {"field": field, "type": "nominal", **kw}


def _q(field: str, **kw: Any) -> dict[str, Any]:
    return {"field": field, "type": "quantitative", **kw}


def _data(values: list[dict[str, Any]]) -> dict[str, Any]:
    return {"values": values}


def respondent_labels(result: ScoreResult, anonymous: bool = False) -> dict[str, str]:
    """Display label of each respondent id: the name, or in anonymous mode side and role."""
    people = result.respondents
    if not anonymous:
        return {p.id: str(p.name or p.id) for p in people}
    orgs = _orgs(result)
    base = {p.id: f"{orgs[p.side]} · {p.role or sp._('respondent')}" for p in people}
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




def profile_chart(result: ScoreResult) -> Spec:
    """Per-list score (0-100) of the host side next to the partner side."""
    orgs = _orgs(result)
    dims = result.dimensions
    order = [d.title or lid for lid, d in dims.items()]
    rows = [{"list": d.title or lid, "side": orgs[side], "score": getattr(d, side)}
            for lid, d in dims.items() for side in ("host", "partner")
            if getattr(d, side) is not None]
    sides = [orgs["host"], orgs["partner"]]
    bars = {"mark": {"type": "bar", "height": {"band": 0.8}, "cornerRadiusEnd": 2},
            "encoding": {
                "x": _q("score", scale={"domain": [0, 100]},
                        title=sp._("Score out of 100 (higher = more ready for an alliance)")),
                "color": _n("side", scale=_side_scale(result), title=None)}}
    labels = {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11,
                       "color": brand.INK},
              "encoding": {"x": _q("score"), "text": _q("score", format=".0f")}}
    return _spec({
        "data": _data(rows),
        "encoding": {"y": _n("list", sort=order, title=None, axis={"labelLimit": 220}),
                     "yOffset": _n("side", sort=sides)},
        "layer": [bars, labels],
        "width": WIDTH - 200, "height": {"step": 14},
        "title": sp._("How each side scores, list by list")})


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


def fit_map_chart(result: ScoreResult, anonymous: bool = False) -> Spec:
    """Where each side and each respondent sits: sharing (x) against importance (y)."""
    orgs = _orgs(result)
    labels = respondent_labels(result, anonymous)
    quads = [{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "label": sp._(lab),
              "tx": x0 + 2, "ty": y1 - 3} for x0, x1, y0, y1, lab in QUADRANTS]
    x_enc = _q("x0", scale={"domain": [0, 100], "nice": False},
               title=sp._("Willingness to share control and risk →"))
    y_enc = _q("y0", scale={"domain": [0, 100], "nice": False},
               title=sp._("Strategic importance and priority →"))
    fills = ["#e3f1ea", "#eef1f5", "#eef1f5", "#f4f4f4"]
    layers: list[dict[str, Any]] = [
        {"data": _data([q]),
         "mark": {"type": "rect", "fill": fill, "opacity": 0.8, "stroke": "white",
                  "strokeWidth": 2},
         "encoding": {"x": x_enc, "x2": {"field": "x1"}, "y": y_enc, "y2": {"field": "y1"}}}
        for q, fill in zip(quads, fills, strict=True)]
    layers.append({"data": _data(quads),
                   "mark": {"type": "text", "align": "left", "baseline": "top",
                            "fontSize": 12, "fontWeight": "bold", "color": brand.MUTED},
                   "encoding": {"x": _q("tx"), "y": _q("ty"), "text": _n("label")}})
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
    colour = _n("side", scale=_side_scale(result), title=None)
    shape = _n("side", legend=None)
    if people:
        layers.append({"data": _data(people),
                       "mark": {"type": "point", "size": 60, "filled": True, "opacity": 0.75},
                       "encoding": {"x": _q("x"), "y": _q("y"), "color": colour,
                                    "shape": shape}})
        layers.append({"data": _data(people),
                       "mark": {"type": "text", "align": "left", "dx": 7, "dy": -6,
                                "fontSize": 10, "color": brand.MUTED},
                       "encoding": {"x": _q("x"), "y": _q("ly"), "text": _n("who")}})
    if sides:
        layers.append({"data": _data(sides),
                       "mark": {"type": "point", "size": 420, "filled": True, "opacity": 1,
                                "stroke": "white", "strokeWidth": 2},
                       "encoding": {"x": _q("x"), "y": _q("y"), "color": colour,
                                    "shape": shape}})
        layers.append({"data": _data(sides),
                       "mark": {"type": "text", "align": "left", "dx": 14, "dy": 4,
                                "fontSize": 13, "fontWeight": "bold"},
                       "encoding": {"x": _q("x"), "y": _q("y"), "text": _n("who"),
                                    "color": colour}})
    return _spec({"layer": layers, "width": WIDTH - 140, "height": WIDTH - 140,
                  "title": sp._("Fit map: what kind of relationship the answers point to")})


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


# The heat map's colour bins: favourable position 0-19, 20-39, ... 80-100, as (background,
# text). A single-hue lightness ramp (ColorBrewer "Purples", the old chart's scheme) reads the
# same for every kind of colour blindness and in greyscale, is neither side's colour, and the
# number is printed in each cell anyway; every text colour is at least 4.5:1 on its cell.
HEAT_BINS: list[tuple[str, str]] = [
    ("#f2f0f7", brand.INK), ("#cbc9e2", brand.INK), ("#9e9ac8", brand.INK),
    ("#6a51a3", "#ffffff"), ("#3f007d", "#ffffff")]
HEAT_DONT_KNOW = ("#e7e9ee", brand.MUTED)
HEAT_TITLE = sp.N_("Where people agree and disagree, question by question")


def heat_bin(position: float) -> int:
    """The colour bin (0-4) of a favourable position 0-100."""
    return max(0, min(len(HEAT_BINS) - 1, int(float(position) // 20)))


def heatmap_cells(result: ScoreResult, bank: Bank, anonymous: bool = False,
                  answers: pd.DataFrame | None = None,
                  matrix: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the heat map shows: `columns` (label and side of each, in order), `rows` (each
    question in bank order: `qid`, `question` label, `list` title and `cells`, the
    position 0-100 per column, None for don't know, absent when not answered), the flat
    `values` (one dict per answer: question, qid, who, side, position) and a `subtitle`.

    Per-respondent answers come from `answers` (the store's `current_answers` frame) or from
    `matrix` (see `answer_matrix`); with neither, the columns are the two sides and each
    cell is the side's mean position on the question.
    """
    labels = respondent_labels(result, anonymous)
    orgs = _orgs(result)
    qtext = {q.id: _short(q.text) if q.scored else _short(q.text, 44) + sp._(" (not scored)")
             for q in bank.questions}
    if answers is not None:
        matrix = answer_matrix(answers, bank)
    people = result.respondents
    if matrix is not None:
        side_of = {p.id: p.side for p in people}
        ordered = sorted(people, key=lambda p: (p.side != "host", labels.get(p.id, "")))
        columns = [{"who": labels[p.id], "side": p.side} for p in ordered]
        values = [{"question": qtext[m["question_id"]], "qid": m["question_id"],
                   "who": labels.get(m["respondent"], m["respondent"]),
                   "side": orgs.get(side_of.get(m["respondent"], "host"), ""),
                   "position": m["position"]}
                  for m in matrix if m["question_id"] in qtext and m["respondent"] in labels]
        subtitle = sp._("Each column is one person; mixed colours along a row mean "
                        "disagreement.")
    else:
        columns = [{"who": orgs[s], "side": s} for s in ("host", "partner")]
        values = [{"question": qtext[q.id], "qid": q.id, "who": orgs[s], "side": orgs[s],
                   "position": getattr(q, s)}
                  for q in result.questions if q.id in qtext
                  for s in ("host", "partner")]
        subtitle = sp._("Each column is one side's average answer.")
    by_q: dict[str, dict[str, Any]] = {}
    for v in values:
        by_q.setdefault(v["qid"], {})[v["who"]] = v["position"]
    lists = {lst.id: lst.title for lst in bank.lists}
    rows = [{"qid": q.id, "question": qtext[q.id], "list": lists.get(q.list, q.list),
             "cells": by_q[q.id]} for q in bank.iter_ordered() if q.id in by_q]
    return {"columns": columns, "rows": rows, "values": values, "subtitle": subtitle,
            "by_person": matrix is not None}


def _cell(position: Any, present: bool) -> dict[str, Any]:
    """One answer's cell: not answered, don't know, or its position with the bin's colours."""
    if not present:
        return {"kind": "none"}
    if position is None:
        bg, fg = HEAT_DONT_KNOW
        return {"kind": "dk", "bg": bg, "fg": fg}
    b = heat_bin(position)
    bg, fg = HEAT_BINS[b]
    return {"kind": "value", "bin": b, "bg": bg, "fg": fg, "text": f"{float(position):.0f}"}


def _legend() -> list[dict[str, str]]:
    keys = []
    for i, (bg, fg) in enumerate(HEAT_BINS):
        lo, hi = 20 * i, (100 if i == len(HEAT_BINS) - 1 else 20 * i + 19)
        keys.append({"bg": bg, "fg": fg, "label": f"{lo}–{hi}"})
    bg, fg = HEAT_DONT_KNOW
    keys.append({"bg": bg, "fg": fg, "label": sp._("don’t know")})
    return keys


def divergence_heatmap(result: ScoreResult, bank: Bank, anonymous: bool = False,
                       answers: pd.DataFrame | None = None,
                       matrix: list[dict[str, Any]] | None = None) -> str:
    """Questions (rows) by respondents (columns) as an HTML table: each answer's favourable
    position 0-100, printed in its cell and shown by the cell's colour, with a legend.

    The arguments are those of `heatmap_cells`. Evidence questions (not scored) show the
    answer's position on its scale and say so in their row label. The table is the template
    `shared/heatmap.html.j2`, which escapes every name and question; it needs no CSS to be
    read (the colours are inline), and the report and app style sheets give it its compact
    look (`.wb-heatmap`).
    """
    from .templating import render

    hm = heatmap_cells(result, bank, anonymous, answers, matrix)
    orgs = _orgs(result)
    cols: list[dict[str, Any]] = hm["columns"]
    groups = []
    if hm["by_person"]:
        for side in ("host", "partner"):
            n = sum(1 for c in cols if c["side"] == side)
            if n:
                groups.append((side, n, orgs[side], brand.SIDE_COLOURS[side]))
    lists: list[tuple[str, list[dict[str, Any]]]] = []
    for row in hm["rows"]:
        if not lists or lists[-1][0] != row["list"]:
            lists.append((row["list"], []))
        cells = [_cell(row["cells"].get(c["who"]), c["who"] in row["cells"]) for c in cols]
        lists[-1][1].append({"question": row["question"], "cells": cells})
    return render("shared/heatmap.html.j2", lang=sp.current(), domain="report",
                  title=sp._(HEAT_TITLE), subtitle=hm["subtitle"],
                  legend=_legend(), groups=groups, lists=lists,
                  columns=[{"who": c["who"], "side": c["side"],
                            "colour": brand.SIDE_COLOURS[c["side"]]} for c in cols])


def completion_chart(result: ScoreResult, anonymous: bool = False,
                     estimates: dict[str, int] | None = None,
                     estimate_total: int = 0) -> Spec:
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
        own = sp._("{answered} of {expected}").format(answered=p.answered, expected=p.expected)
        if estimate_total <= 0:
            return own
        return own + " · " + sp._("{count} of {total} estimates").format(
            count=min(est.get(p.id, 0), estimate_total), total=estimate_total)
    rows = [{"who": labels[p.id], "side": orgs[p.side],
             "done": 100.0 * float(p.completeness or 0.0),
             "text": caption(p)} for p in people]
    order: list[str] = [str(r["who"]) for r in rows]
    track = {"mark": {"type": "bar", "color": "#eef1f5", "height": {"band": 0.7}},
             "encoding": {"x": {"datum": 100}}}
    bars = {"mark": {"type": "bar", "height": {"band": 0.7}},
            "encoding": {"x": _q("done", scale={"domain": [0, 100]},
                                 title=sp._("Questions answered (%)")),
                         "color": _n("side", scale=_side_scale(result), title=None)}}
    text = {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11,
                     "color": brand.INK},
            "encoding": {"x": {"datum": 100}, "text": _n("text")}}
    return _spec({"data": _data(rows),
                  "encoding": {"y": _n("who", sort=order, title=None,
                                       axis={"labelLimit": 240})},
                  "layer": [track, bars, text],
                  "width": WIDTH - 260, "height": {"step": 24},
                  "title": sp._("Who has answered so far")})


EXPECT_NOTE = sp.N_("A blind spot: one side expected the other to be more ready than the "
                    "other side's own answers show.")
BLIND_BAND = "#fff1c2"   # pale yellow behind a flagged blind spot: neither side's colour


def _expect_label(row: presenting.ExpectationRow) -> str:
    if row.direction is None or round(row.miss) == 0:
        return sp._("Spot on")
    if not row.flagged:  # under the bank's threshold: the size only, no name for it
        return sp._("{points} points off").format(points=sp.number(row.miss))
    return sp._("{label}: {points} points").format(label=row.direction_label,
                                                   points=sp.number(row.miss))


def expectation_chart(result: ScoreResult) -> Spec:
    """What each side expected of the other, list by list, against what the other side said.

    One panel per side: an open ring where it expected the other side to be, a filled dot
    where the other side's own answers put it (in the other side's colour), a line between
    them (the miss), and a diamond for the side's own answer. Flagged blind spots ("we
    thought they were with us") sit on a pale band and are named in bold at the right.
    """
    orgs = _orgs(result)
    rows = presenting.expectation_rows(result)
    order = [g.title for g in result.expectations.values()]
    colour = _n("org", scale=_side_scale(result), title=None)
    panels: list[dict[str, Any]] = []
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
        x = _q("expects", scale={"domain": [0, 100]},
               title=sp._("Score out of 100 (higher = more ready for an alliance)"))
        band = {"transform": [{"filter": "datum.blind"}],
                "mark": {"type": "rect", "color": BLIND_BAND, "aria": False},
                "encoding": {"x": {"datum": 0}, "x2": {"datum": 100}}}
        line = {"mark": {"type": "rule", "color": brand.MUTED, "strokeWidth": 3},
                "encoding": {"x": x, "x2": {"field": "actual"}}}
        own = {"transform": [{"filter": "datum.own !== null"},
                             {"calculate": "datum.who", "as": "org"}],
               "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 110,
                        "opacity": 0.9},
               "encoding": {"x": _q("own"), "color": colour}}
        expected = {"transform": [{"calculate": "datum.who", "as": "org"}],
                    "mark": {"type": "point", "filled": False, "size": 170,
                             "strokeWidth": 2.5, "opacity": 1},
                    "encoding": {"x": _q("expects"), "color": colour}}
        actual = {"transform": [{"calculate": "datum.them", "as": "org"}],
                  "mark": {"type": "point", "filled": True, "size": 170, "opacity": 1,
                           "stroke": "white", "strokeWidth": 1},
                  "encoding": {"x": _q("actual"), "color": colour}}
        text = {"transform": [{"filter": "!datum.flagged"}],
                "mark": {"type": "text", "align": "left", "dx": 12, "fontSize": 11,
                         "color": brand.MUTED},
                "encoding": {"x": {"datum": 100}, "text": _n("label")}}
        bold = {"transform": [{"filter": "datum.flagged"}],
                "mark": {"type": "text", "align": "left", "dx": 12, "fontSize": 11,
                         "fontWeight": "bold", "color": brand.INK},
                "encoding": {"x": {"datum": 100}, "text": _n("label")}}
        panels.append({
            "data": _data(data),
            "encoding": {"y": _n("list", sort=order, title=None, axis={"labelLimit": 200})},
            "layer": [band, line, own, expected, actual, text, bold],
            "width": WIDTH - 290, "height": {"step": 26},
            "title": {"text": sp._("What {side} expected of {other}").format(
                side=orgs[side], other=orgs[other]), "fontSize": 13,
                      "color": brand.NAVY, "anchor": "start"}})
    if panels:
        panels.insert(0, _expect_key())
    else:
        panels.append({"data": _data([{"t": sp._("No expectations given yet")}]),
                       "mark": {"type": "text", "fontSize": 13, "color": brand.MUTED},
                       "encoding": {"text": _n("t")}, "width": WIDTH - 290, "height": 40})
    return _spec({"vconcat": panels, "spacing": 18,
                  "title": {"text": sp._("What each side expected of the other, and what it "
                                         "got"),
                            "subtitle": sp._(EXPECT_NOTE), "subtitleColor": brand.MUTED}})


def _expect_key() -> dict[str, Any]:
    """The key to the marks (ring, dot, diamond), drawn as marks so every renderer agrees."""
    # the key starts under the list labels (left of the plot, x < 0) to have room
    px = {"ring": -125, "dot": 38, "diamond": 196}
    labels = {"ring": sp._("expected of the other side"),
              "dot": sp._("what the other side said"), "diamond": sp._("own answer")}
    items = [{"x": 100 * px[k] / (WIDTH - 290), "kind": k, "label": labels[k]} for k in px]
    ring = {"transform": [{"filter": "datum.kind === 'ring'"}],
            "mark": {"type": "point", "filled": False, "size": 150, "strokeWidth": 2.5,
                     "color": brand.MUTED}}
    dot = {"transform": [{"filter": "datum.kind === 'dot'"}],
           "mark": {"type": "point", "filled": True, "size": 150, "opacity": 1,
                    "color": brand.MUTED}}
    diamond = {"transform": [{"filter": "datum.kind === 'diamond'"}],
               "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 110,
                        "opacity": 1, "color": brand.MUTED}}
    text = {"mark": {"type": "text", "align": "left", "dx": 11, "fontSize": 12,
                     "color": brand.INK},
            "encoding": {"text": _n("label")}}
    return {"data": _data(items),
            "encoding": {"x": _q("x", scale={"domain": [0, 100]}, axis=None)},
            "layer": [ring, dot, diamond, text], "width": WIDTH - 290, "height": 16}


# ---- how things moved across rounds --------------------------------------------------------
TREND_COLUMNS = 3
TREND_PANEL = (138, 104)      # width, height of one list's panel, in px
TREND_BAND = "#e8ebf1"        # the gap between the sides: a pale band, neither side's colour
TREND_DIRECTION_COLOURS = {"narrowed": brand.VERDICT_COLOURS["fit"],
                           "widened": brand.VERDICT_COLOURS["no-fit"],
                           "unchanged": brand.MUTED, None: brand.MUTED}


def _trend_label_y(values: dict[str, float], min_apart: float = 11.0) -> dict[str, float]:
    """Heights for the two sides' value labels at one round: pushed apart when close, and
    kept inside the plot (so that no label pushes the panel's title up)."""
    lo_y, hi_y = 4.0, 95.0
    if len(values) < 2:
        return {s: max(lo_y, min(hi_y, v)) for s, v in values.items()}
    (lo_side, lo), (hi_side, hi) = sorted(values.items(), key=lambda kv: kv[1])
    if hi - lo < min_apart:
        mid = max(lo_y + min_apart / 2, min(hi_y - min_apart / 2, (lo + hi) / 2))
        lo, hi = mid - min_apart / 2, mid + min_apart / 2
    return {lo_side: max(lo_y, lo), hi_side: min(hi_y, hi)}


def _trend_panel(row: presenting.TrendRow, rounds: list[str], orgs: dict[str, str],
                 colour: dict[str, Any]) -> dict[str, Any]:
    """One list's small chart: each side's score across the rounds over the gap band."""
    labels = [presenting.round_label(r) for r in rounds]
    points: list[dict[str, Any]] = []
    band: list[dict[str, Any]] = []
    for i, label in enumerate(labels):
        got = {s: float(v) for s in ("host", "partner")
               if (v := row.values(s)[i] if i < len(row.values(s)) else None) is not None}
        ly = _trend_label_y(got)
        edge = "end" if i == len(labels) - 1 else "start" if i == 0 else "middle"
        for s, v in got.items():
            points.append({"round": label, "side": orgs[s], "score": round(v, 1),
                           "ly": ly[s], "text": wording_filters.num(v), "edge": edge})
        if len(got) == 2:
            band.append({"round": label, "lo": min(got.values()), "hi": max(got.values())})
    x = {"field": "round", "type": "ordinal", "sort": labels, "title": None,
         "scale": {"type": "point", "padding": 0.45, "domain": labels},
         "axis": {"labelFontSize": 11, "domain": False, "ticks": False, "grid": False,
                  **({"labelAngle": 0, "labelLimit": TREND_PANEL[0] // 2 + 24} if len(labels) <= 2
                     else {"labelAngle": -35, "labelAlign": "right", "labelLimit": 90})}}
    y = _q("score", scale={"domain": [0, 100], "nice": False}, title=None,
           axis={"values": [0, 50, 100], "labelFontSize": 11, "domain": False,
                 "ticks": False})
    layers: list[dict[str, Any]] = []
    if band:
        layers.append({"data": _data(band), "mark": {"type": "area", "color": TREND_BAND},
                       "encoding": {"x": x, "y": _q("lo", scale={"domain": [0, 100]}),
                                    "y2": {"field": "hi"}}})
    layers += [
        {"data": _data(points), "mark": {"type": "line", "strokeWidth": 2.5},
         "encoding": {"x": x, "y": y, "color": colour}},
        {"data": _data(points),
         "mark": {"type": "point", "filled": True, "size": 46, "opacity": 1},
         "encoding": {"x": x, "y": _q("score"), "color": colour}}]
    # the values at the first and the last round (the table under the chart has them all)
    for edge, align, dx in (("start", "right", -7), ("end", "left", 7)):
        layers.append({"data": _data(points),
                       "transform": [{"filter": f"datum.edge === '{edge}'"}],
                       "mark": {"type": "text", "align": align, "dx": dx, "baseline": "middle",
                                "fontSize": 11, "fontWeight": "bold"},
                       "encoding": {"x": x, "y": _q("ly"), "text": _n("text"),
                                    "color": colour}})
    direction = row.gap_direction
    gap = wording_filters.movement(row.gap)
    moved = direction in ("narrowed", "widened")
    subtitle = (sp._("gap narrowed {gap}") if direction == "narrowed" else
                sp._("gap widened {gap}") if moved else sp._("gap {gap}")).format(gap=gap)
    return {"layer": layers, "width": TREND_PANEL[0], "height": TREND_PANEL[1],
            "title": {"text": textwrap.wrap(row.title, 24)[:3] or [row.list_id],
                      "subtitle": subtitle, "fontSize": 13, "subtitleFontSize": 12,
                      "subtitleColor": TREND_DIRECTION_COLOURS[direction],
                      "subtitleFontWeight": "bold" if moved else "normal",
                      "anchor": "start", "color": brand.NAVY, "offset": 6}}


def trend_chart(trend: Trend, orgs: dict[str, str],
                titles: dict[str, str] | None = None) -> Spec:
    """How each side's score moved across the rounds, one small chart per list.

    Each panel draws the host's and the partner's score (0-100) in each round as a line in
    the side's colour, over a pale band that is the gap between them: a band that narrows
    means the sides converged. The panel's subtitle says what the gap did ("gap narrowed
    45 → 12"). `titles` names the lists (by id); without it the ids are made readable.
    """
    rows = presenting.trend_rows(trend, titles)
    names = {s: orgs.get(s) or brand.side_label(s) for s in ("host", "partner")}
    colour = _n("side", title=None,
                scale={"domain": [names["host"], names["partner"]],
                       "range": [brand.HOST, brand.PARTNER]})
    panels = [_trend_panel(r, list(trend.rounds), names, colour) for r in rows]
    if not panels:
        panels = [{"data": _data([{"t": sp._("No scores to compare yet")}]),
                   "mark": {"type": "text", "fontSize": 13, "color": brand.MUTED},
                   "encoding": {"text": _n("t")}, "width": WIDTH - 200, "height": 40}]
    first = presenting.round_label(trend.rounds[0]) if trend.rounds else ""
    last = presenting.round_label(trend.rounds[-1]) if trend.rounds else ""
    return _spec({
        "concat": panels, "columns": TREND_COLUMNS, "spacing": {"row": 22, "column": 34},
        "title": {"text": sp._("How each side's score moved, list by list"),
                  "subtitle": sp._("Score out of 100 in each round, {first} to {last}; the "
                                   "grey band is the gap between the sides.").format(
                      first=first, last=last),
                  "subtitleColor": brand.MUTED},
        "config": {**copy.deepcopy(CONFIG), "legend": {**CONFIG["legend"], "orient": "top"},
                   "axis": {**CONFIG["axis"], "labelColor": brand.MUTED}}})


def to_svg(chart: Any) -> str:
    """The chart (a `Spec`, a plain Vega-Lite dict or an Altair chart) as a standalone SVG
    string, rendered in-process by vl-convert (no network)."""
    import vl_convert

    # the schema check runs in the tests (tests/test_charts.py); at render time it only costs
    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg
