"""Norms: this engagement against the portfolio. For each list and side, where this
engagement's score stands among the latest rounds of the other engagements of the store that
were asked the same bank version.

The norm base is the portfolio's kept scores (`portfolio.portfolio_frame`, whose rows carry
each latest round's list scores), so norms for 1,000 engagements cost what the portfolio
costs. A percentile is shown only when at least `MIN_OTHERS` other engagements have a score on
that list and side; below that it is `None` (the apps and reports then say so in a sentence,
never with a number). No output names or counts another engagement beyond "of N".

Percentile (the "mean" definition): the share of the other engagements scoring below this
one, counting those scoring the same as half, times 100. It runs from 0 (below all) to 100
(above all); 50 is the middle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..bank import Bank
from ..bank.choice import bank_for
from ..domain import SIDES
from ..store import Store

MIN_OTHERS = 5
QUANTILES = {"p10": 10, "p25": 25, "median": 50, "p75": 75, "p90": 90}


def bank_key(bank: Bank) -> str:
    """The bank version that makes scores comparable: `<bank id> <version>`."""
    return f"{bank.bank.id} {bank.version}"


def percentile(value: float, others: Sequence[float]) -> float:
    """Where `value` stands among `others`, 0..100 (below counts whole, equal counts half)."""
    arr = np.asarray(others, dtype=float)
    if not len(arr):
        raise ValueError("no other scores to compare with")
    below = float(np.sum(arr < value))
    equal = float(np.sum(arr == value))
    return round(100.0 * (below + 0.5 * equal) / len(arr), 1)


@dataclass(frozen=True)
class NormBase:
    """Every engagement's latest-round list scores, long form: engagement, bank (key), list,
    side, score (NaN where the side has none)."""

    frame: pd.DataFrame

    def others(self, engagement_id: str, key: str, list_id: str, side: str) -> np.ndarray:
        """The scores of the other engagements on one bank version, list and side."""
        f = self.frame
        mask = (f["bank"] == key) & (f["list"] == list_id) & (f["side"] == side) & \
            (f["engagement"] != engagement_id) & f["score"].notna()
        return np.asarray(f.loc[mask, "score"], dtype=float)


def norm_base(store: Store, bank: Bank, keep: bool = True) -> NormBase:
    """The norm base of the store, from the portfolio's kept scores (scoring only the
    engagements whose kept scores are stale)."""
    from .portfolio_table import portfolio_frame

    frame = portfolio_frame(store, bank, keep=keep)
    latest = {e: rs[-1].bank for e, rs in store.all_rounds().items()}
    keys = {ref: bank_key(bank_for(ref, bank)) for ref in set(latest.values())}
    rows: list[tuple[str, str, str, str, float]] = []
    for eng, text in zip(frame["engagement"], frame["lists"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        key = keys.get(latest.get(eng, ""), bank_key(bank))
        for lid, sides in json.loads(text).items():
            for side in SIDES:
                v = sides.get(side)
                rows.append((eng, key, lid, side, np.nan if v is None else float(v)))
    return NormBase(pd.DataFrame(rows, columns=["engagement", "bank", "list", "side",
                                                "score"]))


def engagement_norms(base: NormBase, engagement_id: str, key: str,
                     dimensions: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`norms` of the score JSON: per list and side of `dimensions` (the score's own
    `{"host": .., "partner": ..}`), `{"percentile": 0..100, "of": N}`, or None when the side
    has no score or fewer than `MIN_OTHERS` other engagements on the same bank version have
    one."""
    out: dict[str, dict[str, Any]] = {}
    for lid, dim in dimensions.items():
        out[lid] = {}
        for side in SIDES:
            own = dim.get(side)
            others = base.others(engagement_id, key, lid, side)
            if own is None or len(others) < MIN_OTHERS:
                out[lid][side] = None
            else:
                out[lid][side] = {"percentile": percentile(float(own), others.tolist()),
                                  "of": len(others)}
    return out


def norms_for_result(store: Store, bank: Bank, result_doc: dict[str, Any],
                     round_id: str | None = None) -> dict[str, dict[str, Any]]:
    """`norms` for a score JSON of an engagement in the store (its round's bank version)."""
    engagement = str(result_doc["engagement"])
    rounds = store.rounds(engagement)
    rnd = next((r for r in rounds if r.id == (round_id or result_doc.get("round"))),
               rounds[-1])
    key = bank_key(bank_for(rnd.bank, bank))
    return engagement_norms(norm_base(store, bank), engagement, key,
                            result_doc.get("dimensions", {}))


def no_norms(dimensions: dict[str, Any]) -> dict[str, dict[str, None]]:
    """`norms` when there is no norm base (a CSV scored without the store)."""
    return {lid: {side: None for side in SIDES} for lid in dimensions}


def norms_table(base: NormBase, key: str, lists: Sequence[str]) -> list[dict[str, Any]]:
    """The norm base of one bank version, per list and side: how many engagements have a
    score and, from `MIN_OTHERS` up, the 10th, 25th, 50th, 75th and 90th percentile scores
    (None below). Never an engagement's id."""
    f = base.frame[base.frame["bank"] == key]
    rows = []
    for lid in lists:
        for side in SIDES:
            scores = f.loc[(f["list"] == lid) & (f["side"] == side), "score"].dropna()
            row: dict[str, Any] = {"list": lid, "side": side, "n": len(scores)}
            enough = len(scores) >= MIN_OTHERS
            for name, q in QUANTILES.items():
                row[name] = round(float(np.percentile(scores, q)), 1) if enough else None
            rows.append(row)
    return rows


def engagements_in(base: NormBase, key: str) -> int:
    """How many engagements of the store are on a bank version (with any list score)."""
    f = base.frame
    return int(f.loc[(f["bank"] == key) & f["score"].notna(), "engagement"].nunique())


# ---- for people: the "against the portfolio" table of the report and the dashboard ------------
def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def norm_label(cell: dict[str, Any] | None) -> str | None:
    """'62nd percentile (middle half, of 11)', or None for no norm."""
    if not cell:
        return None
    from ..presenting.speaking import _, current

    p = float(cell["percentile"])
    band = (_("bottom quarter") if p < 25 else _("top quarter") if p >= 75 else
            _("middle half"))
    rank = _ordinal(round(p)) if current() == "en" else str(round(p))
    return _("{rank} percentile ({band}, of {count})").format(rank=rank, band=band,
                                                              count=cell["of"])


def norms_html(norms: dict[str, dict[str, Any]] | None, titles: dict[str, str],
               orgs: dict[str, str]) -> str:
    """The "against the portfolio" section: a table of percentiles when any list and side has
    a norm, else one sentence saying why there is none (never a number)."""
    from ..presenting.speaking import _, current
    from ..presenting.templating import render

    rows = [{"title": titles.get(lid, lid), "host": norm_label(sides.get("host")),
             "partner": norm_label(sides.get("partner"))}
            for lid, sides in (norms or {}).items()]
    shown = any(r["host"] or r["partner"] for r in rows)
    return str(render("shared/norms.html.j2", lang=current(), domain="report", rows=rows,
                      shown=shown, min_others=MIN_OTHERS, host=orgs.get("host", _("Host")),
                      partner=orgs.get("partner", _("Partner"))))
