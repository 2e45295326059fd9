"""The trend chart: how each side's score moved across the rounds, one small chart per
list."""

from __future__ import annotations

import copy
import textwrap
from typing import TYPE_CHECKING, Any

from ...domain import SIDES
from .. import brand
from .. import formats as wording_filters
from .. import judgment as presenting
from .. import speaking as sp
from .theme import CONFIG, WIDTH, Spec, inline, nominal, quant, spec

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.trend import Trend

__all__ = ["TREND_COLUMNS", "TREND_PANEL", "trend_chart"]

TREND_COLUMNS = 3
TREND_PANEL = (138, 104)      # width, height of one list's panel, in px
TREND_BAND = brand.TREND_BAND  # the gap between the sides: neither side's colour
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
        got: dict[str, float] = {s: float(v) for s in SIDES
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
    y = quant("score", scale={"domain": [0, 100], "nice": False}, title=None,
           axis={"values": [0, 50, 100], "labelFontSize": 11, "domain": False,
                 "ticks": False})
    layers: list[dict[str, Any]] = []
    if band:
        layers.append({"data": inline(band), "mark": {"type": "area", "color": TREND_BAND},
                       "encoding": {"x": x, "y": quant("lo", scale={"domain": [0, 100]}),
                                    "y2": {"field": "hi"}}})
    layers += [
        {"data": inline(points), "mark": {"type": "line", "strokeWidth": 2.5},
         "encoding": {"x": x, "y": y, "color": colour}},
        {"data": inline(points),
         "mark": {"type": "point", "filled": True, "size": 46, "opacity": 1},
         "encoding": {"x": x, "y": quant("score"), "color": colour}}]
    # the values at the first and the last round (the table under the chart has them all)
    for edge, align, dx in (("start", "right", -7), ("end", "left", 7)):
        layers.append({"data": inline(points),
                       "transform": [{"filter": f"datum.edge === '{edge}'"}],
                       "mark": {"type": "text", "align": align, "dx": dx, "baseline": "middle",
                                "fontSize": 11, "fontWeight": "bold"},
                       "encoding": {"x": x, "y": quant("ly"), "text": nominal("text"),
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
    names: dict[str, str] = {s: orgs.get(s) or brand.side_label(s) for s in SIDES}
    colour = nominal("side", title=None,
                scale={"domain": [names["host"], names["partner"]],
                       "range": [brand.HOST, brand.PARTNER]})
    panels = [_trend_panel(r, list(trend.rounds), names, colour) for r in rows]
    if not panels:
        panels = [{"data": inline([{"t": sp._("No scores to compare yet")}]),
                   "mark": {"type": "text", "fontSize": 13, "color": brand.MUTED},
                   "encoding": {"text": nominal("t")}, "width": WIDTH - 200, "height": 40}]
    first = presenting.round_label(trend.rounds[0]) if trend.rounds else ""
    last = presenting.round_label(trend.rounds[-1]) if trend.rounds else ""
    return spec({
        "concat": panels, "columns": TREND_COLUMNS, "spacing": {"row": 22, "column": 34},
        "title": {"text": sp._("How each side's score moved, list by list"),
                  "subtitle": sp._("Score out of 100 in each round, {first} to {last}; the "
                                   "grey band is the gap between the sides.").format(
                      first=first, last=last),
                  "subtitleColor": brand.MUTED},
        "config": {**copy.deepcopy(CONFIG), "legend": {**CONFIG["legend"], "orient": "top"},
                   "axis": {**CONFIG["axis"], "labelColor": brand.MUTED}}})
