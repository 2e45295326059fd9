"""The completion chart: how far each respondent has got through the questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import brand
from .. import speaking as sp
from .labels import respondent_labels
from .theme import WIDTH, Spec, inline, nominal, quant, side_names, side_scale, spec

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["completion_chart"]


def completion_chart(result: ScoreResult, anonymous: bool = False,
                     estimates: dict[str, int] | None = None,
                     estimate_total: int = 0) -> Spec:
    """How far each respondent has got through the questions (share answered).

    The bars count own answers only. With `estimate_total` (the number of expectation
    questions asked), the text beside each bar adds how many the person has estimated
    ("40 of 55 · 6 of 10 estimates"), from `estimates` by respondent id.
    """
    labels = respondent_labels(result, anonymous)
    orgs = side_names(result)
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
    track = {"mark": {"type": "bar", "color": brand.TRACK, "height": {"band": 0.7}},
             "encoding": {"x": {"datum": 100}}}
    bars = {"mark": {"type": "bar", "height": {"band": 0.7}},
            "encoding": {"x": quant("done", scale={"domain": [0, 100]},
                                 title=sp._("Questions answered (%)")),
                         "color": nominal("side", scale=side_scale(result), title=None)}}
    text = {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 11,
                     "color": brand.INK},
            "encoding": {"x": {"datum": 100}, "text": nominal("text")}}
    return spec({"data": inline(rows),
                  "encoding": {"y": nominal("who", sort=order, title=None,
                                       axis={"labelLimit": 240})},
                  "layer": [track, bars, text],
                  "width": WIDTH - 260, "height": {"step": 24},
                  "title": sp._("Who has answered so far")})
