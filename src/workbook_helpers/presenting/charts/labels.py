"""Labels the charts put on people and points: respondents by name or by side and role, and
label heights that keep point labels from overlapping."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from .. import speaking as sp
from .theme import side_names

if TYPE_CHECKING:  # pragma: no cover
    from ...scoring.model import ScoreResult

__all__ = ["place_labels", "respondent_labels", "short"]


def respondent_labels(result: ScoreResult, anonymous: bool = False) -> dict[str, str]:
    """Display label of each respondent id: the name, or in anonymous mode side and role."""
    people = result.respondents
    if not anonymous:
        return {p.id: str(p.name or p.id) for p in people}
    orgs = side_names(result)
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


def short(text: str, limit: int = 58) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
