"""The profile chart: each list's score, host side next to partner side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain import SIDES
from .. import brand
from .. import speaking as sp
from .theme import WIDTH, Spec, inline, nominal, quant, side_names, side_scale, spec

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["profile_chart"]


def profile_chart(result: ScoreResult) -> Spec:
    """Per-list score (0-100) of the host side next to the partner side."""
    orgs = side_names(result)
    dims = result.dimensions
    order = [d.title or lid for lid, d in dims.items()]
    rows = [{"list": d.title or lid, "side": orgs[side], "score": getattr(d, side)}
            for lid, d in dims.items() for side in SIDES
            if getattr(d, side) is not None]
    sides = [orgs["host"], orgs["partner"]]
    bars = {"mark": {"type": "bar", "height": {"band": 0.8}, "cornerRadiusEnd": 2},
            "encoding": {
                "x": quant("score", scale={"domain": [0, 100]},
                        title=sp._("Score out of 100 (higher = more ready for an alliance)")),
                "color": nominal("side", scale=side_scale(result), title=None)}}
    labels = {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11,
                       "color": brand.INK},
              "encoding": {"x": quant("score"), "text": quant("score", format=".0f")}}
    return spec({
        "data": inline(rows),
        "encoding": {"y": nominal("list", sort=order, title=None, axis={"labelLimit": 220}),
                     "yOffset": nominal("side", sort=sides)},
        "layer": [bars, labels],
        "width": WIDTH - 200, "height": {"step": 14},
        "title": sp._("How each side scores, list by list")})
