"""The expectations chart: what each side expected of the other, list by list, against what
the other side said."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain import SIDES
from .. import brand
from .. import judgment as presenting
from .. import speaking as sp
from .theme import WIDTH, Spec, inline, nominal, quant, side_names, side_scale, spec

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["EXPECT_NOTE", "expectation_chart"]

EXPECT_NOTE = sp.N_("A blind spot: one side expected the other to be more ready than the "
                    "other side's own answers show.")
BLIND_BAND = brand.BLIND_BAND


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
    orgs = side_names(result)
    rows = presenting.expectation_rows(result)
    order = [g.title for g in result.expectations.values()]
    colour = nominal("org", scale=side_scale(result), title=None)
    panels = [_panel(side, mine, orgs, order, colour) for side in SIDES
              if (mine := [r for r in rows if r.side == side])]
    if panels:
        panels.insert(0, _expect_key())
    else:
        panels.append({"data": inline([{"t": sp._("No expectations given yet")}]),
                       "mark": {"type": "text", "fontSize": 13, "color": brand.MUTED},
                       "encoding": {"text": nominal("t")}, "width": WIDTH - 290, "height": 40})
    return spec({"vconcat": panels, "spacing": 18,
                 "title": {"text": sp._("What each side expected of the other, and what it "
                                        "got"),
                           "subtitle": sp._(EXPECT_NOTE), "subtitleColor": brand.MUTED}})


def _panel(side: str, mine: list[presenting.ExpectationRow], orgs: dict[str, str],
           order: list[str], colour: dict[str, Any]) -> dict[str, Any]:
    """One side's panel: its expectations of the other side, list by list."""
    other = presenting.OTHER_SIDE[side]
    data = [{"list": r.title, "expects": round(r.expects, 1), "actual": round(r.actual, 1),
             "own": None if r.own is None else round(r.own, 1),
             "who": orgs[side], "them": orgs[other], "label": _expect_label(r),
             "flagged": r.flagged, "blind": r.flagged and r.direction == "blind-spot"}
            for r in mine]
    return {
        "data": inline(data),
        "encoding": {"y": nominal("list", sort=order, title=None, axis={"labelLimit": 200})},
        "layer": _panel_layers(colour),
        "width": WIDTH - 290, "height": {"step": 26},
        "title": {"text": sp._("What {side} expected of {other}").format(
            side=orgs[side], other=orgs[other]), "fontSize": 13,
                  "color": brand.NAVY, "anchor": "start"}}


def _panel_layers(colour: dict[str, Any]) -> list[dict[str, Any]]:
    """A panel's marks: the blind-spot band, the miss line, own diamond, expected ring,
    actual dot, and the miss named at the right (in bold when flagged)."""
    x = quant("expects", scale={"domain": [0, 100]},
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
           "encoding": {"x": quant("own"), "color": colour}}
    expected = {"transform": [{"calculate": "datum.who", "as": "org"}],
                "mark": {"type": "point", "filled": False, "size": 170,
                         "strokeWidth": 2.5, "opacity": 1},
                "encoding": {"x": quant("expects"), "color": colour}}
    actual = {"transform": [{"calculate": "datum.them", "as": "org"}],
              "mark": {"type": "point", "filled": True, "size": 170, "opacity": 1,
                       "stroke": "white", "strokeWidth": 1},
              "encoding": {"x": quant("actual"), "color": colour}}
    return [band, line, own, expected, actual, _miss_text(False), _miss_text(True)]


def _miss_text(flagged: bool) -> dict[str, Any]:
    """The miss named right of the plot: muted, or in bold ink when flagged."""
    weight = {"fontWeight": "bold", "color": brand.INK} if flagged else {"color": brand.MUTED}
    return {"transform": [{"filter": "datum.flagged" if flagged else "!datum.flagged"}],
            "mark": {"type": "text", "align": "left", "dx": 12, "fontSize": 11, **weight},
            "encoding": {"x": {"datum": 100}, "text": nominal("label")}}


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
            "encoding": {"text": nominal("label")}}
    return {"data": inline(items),
            "encoding": {"x": quant("x", scale={"domain": [0, 100]}, axis=None)},
            "layer": [ring, dot, diamond, text], "width": WIDTH - 290, "height": 16}

