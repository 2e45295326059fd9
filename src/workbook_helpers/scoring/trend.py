"""Trend across rounds: how each side's scores moved, which gaps closed and which opened, and
whether the gap an action answered has closed.

It works on the typed results of the rounds in order (each scored on its own bank); lists
that a round's bank does not have are None in that round.
"""

from __future__ import annotations

import itertools

from ..domain import GAP_KINDS as GAP_KINDS
from .model import Flag, GapChange, ScoreResult, Trend

__all__ = ["GAP_KINDS", "GapChange", "Trend", "action_outcome", "gaps", "trend"]


def _key(f: Flag) -> tuple[str, str | None, str | None]:
    return f.kind, f.dimension, f.side


def gaps(result: ScoreResult) -> dict[tuple[str, str | None, str | None], Flag]:
    """The gaps worth tracking across rounds, by kind, list and side."""
    out: dict[tuple[str, str | None, str | None], Flag] = {}
    for f in result.flags:
        if f.kind in GAP_KINDS:
            out.setdefault(_key(f), f)
    return out


def trend(rounds: list[tuple[str, ScoreResult]]) -> Trend:
    """The trend of an engagement's rounds, oldest first."""
    ids = [r for r, _ in rounds]
    lists: list[str] = []
    titles: dict[str, str] = {}
    for _, res in rounds:
        for lid, d in res.dimensions.items():
            if lid not in titles:
                lists.append(lid)
                titles[lid] = d.title
    dims: dict[str, dict[str, list[float | None]]] = {}
    for lid in lists:
        row: dict[str, list[float | None]] = {"host": [], "partner": [], "gap": []}
        for _, res in rounds:
            score = res.dimensions.get(lid)
            row["host"].append(score.host if score else None)
            row["partner"].append(score.partner if score else None)
            row["gap"].append(score.gap if score else None)
        dims[lid] = row
    closed: list[GapChange] = []
    opened: list[GapChange] = []
    for (a, ra), (b, rb) in itertools.pairwise(rounds):
        before, after = gaps(ra), gaps(rb)
        closed += [GapChange(*k, f.detail, a, b) for k, f in before.items() if k not in after]
        opened += [GapChange(*k, f.detail, a, b) for k, f in after.items() if k not in before]
    return Trend(ids, dims, [r.verdict for _, r in rounds],
                 [r.relationship_type for _, r in rounds], closed, opened)


def action_outcome(dimension: str | None, kind: str | None, before: ScoreResult,
                   after: ScoreResult) -> str:
    """Whether the gap an action answered closed in the later round.

    'closed' (flagged before, not after), 'open' (still flagged), 'new' (only after),
    'none' (no such gap in either round) or 'unknown' (the action names no list or flag).
    """
    if dimension is None and kind is None:
        return "unknown"

    def hit(r: ScoreResult) -> bool:
        return any((dimension is None or f.dimension == dimension)
                   and (kind is None or f.kind == kind) and f.kind in GAP_KINDS
                   for f in r.flags)
    was, now = hit(before), hit(after)
    if was and not now:
        return "closed"
    if was and now:
        return "open"
    return "new" if now else "none"
