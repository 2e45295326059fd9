"""Scoring: from current answers to the typed score result, for one or many engagements.

`score_portfolio` does the arithmetic for every engagement in one vectorised pass (tables,
flags, forms, readiness, verdict); `score_engagement` is the same for one engagement. Both
return `ScoreResult` objects; `ScoreResult.to_dict()` is the contract's JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..bank import Bank
from .expectations import expectation_tables, split_about
from .flags import FLAG_COLUMNS, find_flags
from .forms import choose, form_table, side_mismatch
from .model import Robustness, ScoreResult
from .readiness import readiness_table
from .result import ResultBuilder
from .robustness import RobustnessCheck
from .tables import ScoreTables, build_tables
from .verdict import DecisionInputs, summarise

__all__ = ["ScoreResult", "ScoreTables", "build_tables", "portfolio_summary",
           "score_engagement", "score_portfolio"]

ANSWER_COLUMNS = ["engagement", "respondent", "side", "role", "name", "question_id", "value",
                  "dont_know", "comment"]


SCORE_COLUMNS = {"host", "partner", "gap", "pooled", "host_divergence", "partner_divergence",
                 "score", "magnitude", "host_expects", "partner_actual", "host_miss",
                 "partner_expects", "host_actual", "partner_miss"}


def _plain_column(col: pd.Series) -> list[Any]:
    """A column as Python values; scores rounded to one decimal with None for missing."""
    if col.dtype == float and col.name in SCORE_COLUMNS:
        arr = col.to_numpy()
        rounded = np.round(arr, 1).astype(object)
        rounded[~np.isfinite(arr)] = None
        return list(rounded)
    if col.dtype == object or str(col.dtype) in ("Int64", "boolean"):
        return list(col.astype(object).where(col.notna(), None))
    return list(col.tolist())


def _split(frame: pd.DataFrame, engagements: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Records of a frame grouped by engagement, converted to Python objects once."""
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in engagements}
    if not len(frame):
        return out
    cols = list(frame.columns)
    values = [_plain_column(frame[c]) for c in cols]
    for rec in zip(*values, strict=True):
        row = dict(zip(cols, rec, strict=True))
        out[row["engagement"]].append(row)
    return out


def _decide(answers: pd.DataFrame, bank: Bank, roster: pd.DataFrame | None
            ) -> tuple[DecisionInputs, pd.DataFrame, list[str]]:
    own, expect = split_about(answers)
    t = build_tables(own.reindex(columns=ANSWER_COLUMNS), bank, roster)
    engagements = sorted(t.engagements["engagement"].astype(str).unique())
    list_order = {lid: i for i, lid in enumerate(bank.list_ids())}
    flags = find_flags(t, bank, list_order)
    if flags.empty:
        flags = pd.DataFrame(columns=[*FLAG_COLUMNS, "severity"])
    ft = form_table(t, bank, engagements)
    fc = choose(ft, bank)
    d = DecisionInputs(t, flags, ft, fc, side_mismatch(ft, fc, bank),
                       readiness_table(t, bank, engagements),
                       expectation_tables(expect, t, bank))
    return d, summarise(d, bank), engagements


def portfolio_summary(answers: pd.DataFrame, bank: Bank,
                      roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per engagement: verdict, form, completeness, cause levels and list scores."""
    return _decide(answers, bank, roster)[1]


def score_portfolio(answers: pd.DataFrame, bank: Bank,
                    roster: pd.DataFrame | None = None, *,
                    robustness: bool = False) -> dict[str, ScoreResult]:
    """Score every engagement found in `answers` (and `roster`); full results by id.

    With `robustness`, each result also carries its robustness check (about 10-50 ms each).
    """
    d, summary, engagements = _decide(answers, bank, roster)
    t = d.tables
    rows = summary.to_dict("index")
    split = {
        "engagements": _split(t.engagements, engagements),
        "respondents": _split(t.respondents, engagements),
        "respondent_lists": _split(t.respondent_lists, engagements),
        "side_lists": _split(t.side_lists, engagements),
        "side_questions": _split(t.side_questions, engagements),
        "flags": _split(d.flags, engagements),
        "expectation_lists": _split(d.expectations.lists, engagements),
        "expectation_questions": _split(d.expectations.questions, engagements),
    }
    builder = ResultBuilder(bank, d)
    out = {e: builder.build(e, {name: split[name][e] for name in split}, rows[e], i)
           for i, e in enumerate(engagements)}
    if robustness:
        own = split_about(answers)[0].reindex(columns=ANSWER_COLUMNS)
        for i, e in enumerate(engagements):
            roles = {p["respondent"]: str(p["role"] or "") for p in split["respondents"][e]}
            out[e] = out[e].with_robustness(
                check_robustness(bank, d, i, own[own["engagement"] == e], roles,
                                 rows[e]["verdict"]))
    return out


def check_robustness(bank: Bank, d: DecisionInputs, row: int, answers: pd.DataFrame,
                     roles: dict[str, str], verdict: str) -> Robustness:
    """The robustness of one engagement of a scored portfolio."""
    if verdict == "insufficient-data":
        return Robustness(True, True, None, 0, 0, 0, 0, 0, verdict)
    return RobustnessCheck(bank, d, row).run(answers, roles)


def score_engagement(answers: pd.DataFrame, bank: Bank, engagement: str,
                     roster: pd.DataFrame | None = None, *,
                     robustness: bool = True) -> ScoreResult:
    """Score one engagement; an engagement with no answers at all is insufficient-data.

    `robustness` False leaves out the robustness check (a third of the work), for a result
    only read for its scores and verdict, such as an earlier round's in a trend."""
    a = answers[answers["engagement"] == engagement] if len(answers) else answers
    r = roster[roster["engagement"] == engagement] if roster is not None and len(roster) else roster
    results = score_portfolio(a, bank, r, robustness=robustness)
    if engagement in results:
        return results[engagement]
    empty_roster = pd.DataFrame({"engagement": [engagement], "respondent": ["-"],
                                 "side": ["host"], "role": [""], "name": [""]})
    result = score_portfolio(answers.iloc[0:0], bank, empty_roster)[engagement]
    from dataclasses import replace
    return replace(result, respondents=[], respondents_per_side={"host": 0, "partner": 0},
                   flags=[f for f in result.flags if f.kind == "too-few-respondents"])
