"""Scoring: from current answers to the contract's score output, for one or many engagements.

`score_portfolio` does the arithmetic for every engagement in one vectorised pass;
`score_engagement` is the same for one engagement.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..bank import Bank
from .classify import classify_frame
from .flags import FLAG_COLUMNS, find_flags
from .summary import summarise
from .tables import ScoreTables, build_tables
from .verdict import Assembler

__all__ = ["ScoreTables", "build_tables", "portfolio_summary", "score_engagement",
           "score_portfolio"]

ANSWER_COLUMNS = ["engagement", "respondent", "side", "role", "name", "question_id", "value",
                  "dont_know", "comment"]


def _types(t: ScoreTables, bank: Bank, engagements: list[str]) -> dict[str, pd.Series]:
    """Relationship type of every engagement: pooled, and per side (None: no answers)."""
    sl = t.side_lists
    whos = ["pooled", "host", "partner"]
    wide_all = (sl.set_index(["engagement", "list"])[whos].unstack("list") if len(sl)
                else pd.DataFrame(columns=pd.MultiIndex.from_product([whos, bank.list_ids()])))
    out: dict[str, pd.Series] = {}
    for who in whos:
        wide = wide_all[who].reindex(index=engagements, columns=bank.list_ids())
        types = classify_frame(wide, bank).astype(object)
        if who != "pooled":
            types = types.where(wide.notna().any(axis=1), None)
        out[who] = types
    return out


def _split(frame: pd.DataFrame, engagements: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Records of a frame grouped by engagement, converted to Python objects once."""
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in engagements}
    if len(frame):
        for rec in frame.to_dict("records"):
            out[rec["engagement"]].append(rec)
    return out


def _prepare(answers: pd.DataFrame, bank: Bank, roster: pd.DataFrame | None
             ) -> tuple[ScoreTables, pd.DataFrame, pd.DataFrame, list[str]]:
    t = build_tables(answers.reindex(columns=ANSWER_COLUMNS), bank, roster)
    engagements = sorted(t.engagements["engagement"].astype(str).unique())
    list_order = {lid: i for i, lid in enumerate(bank.list_ids())}
    flags = find_flags(t, bank, list_order)
    if flags.empty:
        flags = pd.DataFrame(columns=[*FLAG_COLUMNS, "severity"])
    summary = summarise(t, flags, _types(t, bank, engagements), bank)
    return t, flags, summary, engagements


def portfolio_summary(answers: pd.DataFrame, bank: Bank,
                      roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per engagement: verdict, relationship types, completeness and list scores."""
    return _prepare(answers, bank, roster)[2]


def score_portfolio(answers: pd.DataFrame, bank: Bank,
                    roster: pd.DataFrame | None = None) -> dict[str, dict[str, Any]]:
    """Score every engagement found in `answers` (and `roster`); full results by id."""
    t, flags, summary, engagements = _prepare(answers, bank, roster)
    verdicts = summary.to_dict("index")
    split = {
        "engagements": _split(t.engagements, engagements),
        "respondents": _split(t.respondents, engagements),
        "respondent_lists": _split(t.respondent_lists, engagements),
        "side_lists": _split(t.side_lists, engagements),
        "side_questions": _split(t.side_questions, engagements),
        "flags": _split(flags, engagements),
    }
    asm = Assembler(bank)
    results: dict[str, dict[str, Any]] = {}
    for e in engagements:
        parts = {name: split[name][e] for name in split}
        results[e] = asm.assemble(e, parts, verdicts[e])
    return results


def score_engagement(answers: pd.DataFrame, bank: Bank, engagement: str,
                     roster: pd.DataFrame | None = None) -> dict[str, Any]:
    """Score one engagement; an engagement with no answers at all is insufficient-data."""
    a = answers[answers["engagement"] == engagement] if len(answers) else answers
    r = roster[roster["engagement"] == engagement] if roster is not None and len(roster) else roster
    results = score_portfolio(a, bank, r)
    if engagement in results:
        return results[engagement]
    empty_roster = pd.DataFrame({"engagement": [engagement], "respondent": ["-"],
                                 "side": ["host"], "role": [""], "name": [""]})
    result = score_portfolio(answers.iloc[0:0], bank, empty_roster)[engagement]
    result["respondents"] = []
    result["respondents_per_side"] = {"host": 0, "partner": 0}
    result["flags"] = [f for f in result["flags"] if f["kind"] == "too-few-respondents"]
    return result
