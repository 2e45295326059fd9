"""The fit map: willingness to share control and risk (x) against strategic importance (y),
over the four quadrants of relationship forms; for one engagement (its sides and people) and
for a portfolio (one point per engagement)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain import SIDES
from .. import brand
from .. import speaking as sp
from .labels import place_labels, respondent_labels
from .theme import WIDTH, Spec, inline, nominal, quant, side_names, side_scale, spec

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["QUADRANTS", "QUADRANT_SPLIT", "fit_map_chart", "portfolio_fit_map",
           "quadrant_layers"]

QUADRANT_SPLIT = 50.0
# (x0, x1, y0, y1, label): x = willingness to share control and risk, y = importance.
QUADRANTS: list[tuple[float, float, float, float, str]] = [
    (50, 100, 50, 100, sp.N_("Strategic alliance or joint venture")),
    (0, 50, 50, 100, sp.N_("Licensing")),
    (50, 100, 0, 50, sp.N_("Supply-chain integration")),
    (0, 50, 0, 50, sp.N_("Outsourcing")),
]


def _axes() -> tuple[dict[str, Any], dict[str, Any]]:
    """The x (sharing) and y (importance) encodings of the quadrant rectangles, 0-100."""
    x_enc = quant("x0", scale={"domain": [0, 100], "nice": False},
                  title=sp._("Willingness to share control and risk →"))
    y_enc = quant("y0", scale={"domain": [0, 100], "nice": False},
                  title=sp._("Strategic importance and priority →"))
    return x_enc, y_enc


def quadrant_layers(font_size: int = 12) -> list[dict[str, Any]]:
    """The fit map's background: the four quadrants, each a pale rectangle with its form's
    name in its top-left corner (`font_size` px)."""
    quads = [{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "label": sp._(lab),
              "tx": x0 + 2, "ty": y1 - 3} for x0, x1, y0, y1, lab in QUADRANTS]
    x_enc, y_enc = _axes()
    layers: list[dict[str, Any]] = [
        {"data": inline([q]),
         "mark": {"type": "rect", "fill": fill, "opacity": 0.8, "stroke": "white",
                  "strokeWidth": 2},
         "encoding": {"x": x_enc, "x2": {"field": "x1"}, "y": y_enc, "y2": {"field": "y1"}}}
        for q, fill in zip(quads, brand.QUADRANT_FILLS, strict=True)]
    layers.append({"data": inline(quads),
                   "mark": {"type": "text", "align": "left", "baseline": "top",
                            "fontSize": font_size, "fontWeight": "bold", "color": brand.MUTED},
                   "encoding": {"x": quant("tx"), "y": quant("ty"), "text": nominal("label")}})
    return layers


def _sides(result: ScoreResult) -> list[dict[str, Any]]:
    """Each side's place on the map (sides without both coordinates are left out)."""
    orgs, fit = side_names(result), result.fit_map
    return [{"x": fit[s]["share"], "y": fit[s]["importance"], "side": orgs[s], "who": orgs[s]}
            for s in SIDES
            if fit.get(s) and fit[s].get("share") is not None
            and fit[s].get("importance") is not None]


def _people(result: ScoreResult, anonymous: bool, sides: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Each respondent's place and label, the labels kept clear of the sides' labels."""
    orgs = side_names(result)
    labels = respondent_labels(result, anonymous)
    # the colour already says which side: a label needs only the name (or the role)
    people: list[dict[str, Any]] = [
        {"x": p.share, "y": p.importance, "side": orgs[p.side],
         "who": (p.role or labels.get(p.id, p.id)) if anonymous else labels.get(p.id, p.id)}
        for p in result.respondents if p.share is not None and p.importance is not None]
    side_labels = [{**sd, "x": sd["x"] + 2.0, "y": sd["y"] - 0.8} for sd in sides]
    side_marks = [{"x": sd["x"] - 2.5, "y": sd["y"] - 1.0, "who": "xxx"} for sd in sides]
    return place_labels(people, side_labels + side_marks)


def _point_layers(rows: list[dict[str, Any]], point: dict[str, Any], text: dict[str, Any],
                  encoding: dict[str, Any], label_y: str = "y") -> list[dict[str, Any]]:
    """Points (mark `point`) and their labels (mark `text`, at `label_y`) of `rows`."""
    xy = {"x": quant("x"), "y": quant("y")}
    return [{"data": inline(rows), "mark": {"type": "point", **point},
             "encoding": {**xy, **encoding}},
            {"data": inline(rows), "mark": {"type": "text", "align": "left", **text},
             "encoding": {"x": quant("x"), "y": quant(label_y), "text": nominal("who"),
                          **({"color": encoding["color"]} if "color" not in text else {})}}]


def fit_map_chart(result: ScoreResult, anonymous: bool = False) -> Spec:
    """Where each side and each respondent sits: sharing (x) against importance (y)."""
    sides = _sides(result)
    people = _people(result, anonymous, sides)
    marks = {"color": nominal("side", scale=side_scale(result), title=None),
             "shape": nominal("side", legend=None)}
    layers = quadrant_layers()
    if people:
        layers += _point_layers(people, {"size": 60, "filled": True, "opacity": 0.75},
                                {"dx": 7, "dy": -6, "fontSize": 10, "color": brand.MUTED},
                                marks, label_y="ly")
    if sides:
        layers += _point_layers(sides, {"size": 420, "filled": True, "opacity": 1,
                                        "stroke": "white", "strokeWidth": 2},
                                {"dx": 14, "dy": 4, "fontSize": 13, "fontWeight": "bold"},
                                marks)
    return spec({"layer": layers, "width": WIDTH - 140, "height": WIDTH - 140,
                 "title": sp._("Fit map: what kind of relationship the answers point to")})


def portfolio_fit_map(points: list[dict[str, Any]], kinds: list[tuple[str, str, str]],
                      label_limit: int = 12) -> Spec:
    """Engagements on the fit map: `points` (x = share, y = importance, `verdict` label,
    `who` short title, `tip` description) coloured and shaped by verdict as `kinds` says
    ((label, colour, shape) of each verdict shown); each point described by its `tip` (the
    tooltip) and labelled when there are at most `label_limit` points."""
    legend = [label for label, _c, _s in kinds]
    colour = nominal("verdict", title="Verdict", scale={"domain": legend,
                                                        "range": [c for _l, c, _s in kinds]})
    shape = nominal("verdict", title="Verdict", scale={"domain": legend,
                                                       "range": [s for _l, _c, s in kinds]})
    layers = quadrant_layers(font_size=11)
    if points:
        layers.append({"data": inline(points),
                       "mark": {"type": "point", "size": 110, "filled": True, "opacity": 0.85,
                                "stroke": "white", "strokeWidth": 1},
                       "encoding": {"x": quant("x"), "y": quant("y"), "color": colour,
                                    "shape": shape, "description": nominal("tip")}})
    if 0 < len(points) <= label_limit:
        labelled = place_labels(points, [], char=1.25, line=4.0)
        layers.append({"data": inline(labelled),
                       "mark": {"type": "text", "align": "left", "dx": 8, "dy": -4,
                                "fontSize": 10, "color": brand.INK},
                       "encoding": {"x": quant("x"), "y": quant("ly"), "text": nominal("who")}})
    return spec({"layer": layers, "width": 420, "height": 360,
                 "title": "Where the engagements sit on the fit map"})
