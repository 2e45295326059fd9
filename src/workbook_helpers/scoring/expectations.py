"""Expectation gaps: what each side expected the other side to answer, against what it did.

An expectation answer (`about = other-side`) is a respondent's estimate of the other side's
team's answer to a question, on the same scale. Per question, a side's expectation is the
mean of its respondents' estimates (as favourable positions, 0-100); it is compared with the
other side's actual mean on the same question. Per list, both are weighted means over the
questions where both exist, so like is compared with like. Expectations never enter the
dimension scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Bank
from ..domain import OTHER_SIDE, SIDES
from .tables import ScoreTables, question_table

LIST_COLUMNS = ["engagement", "list", "host_expects", "partner_actual", "host_miss",
                "partner_expects", "host_actual", "partner_miss"]
QUESTION_COLUMNS = ["engagement", "question_id", "list", "order", "weight", "host_expects",
                    "partner_actual", "host_miss", "partner_expects", "host_actual",
                    "partner_miss", "host_n", "partner_n"]


@dataclass(frozen=True)
class ExpectationTables:
    """Expectation gaps per (engagement, list) and per (engagement, question)."""

    lists: pd.DataFrame
    questions: pd.DataFrame


def split_about(answers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own answers, expectation answers) of an answers frame; no `about` column = own."""
    if "about" not in answers.columns or not len(answers):
        return answers, answers.iloc[0:0]
    about = answers["about"].fillna("self").astype(str).replace("", "self")
    return answers[about != "other-side"], answers[about == "other-side"]


def expectation_tables(expect: pd.DataFrame, t: ScoreTables, bank: Bank) -> ExpectationTables:
    """Every engagement's expectation gaps (empty frames when nobody gave an expectation)."""
    empty = ExpectationTables(pd.DataFrame(columns=LIST_COLUMNS),
                              pd.DataFrame(columns=QUESTION_COLUMNS))
    if not len(expect):
        return empty
    qt = question_table(bank)
    qt = qt[qt["scored"]]
    e = expect[expect["question_id"].isin(qt.index)]
    raw = pd.to_numeric(e["value"], errors="coerce").astype(float)
    e = e.assign(raw=raw)[~e["dont_know"].astype(bool) & raw.notna()]
    if not len(e):
        return empty
    q = qt.loc[e["question_id"]]
    pos = (e["raw"].to_numpy() - q["qmin"].to_numpy()) / (q["qmax"] - q["qmin"]).to_numpy()
    fav = 100.0 * np.where(q["reverse"].to_numpy(), 1.0 - pos, pos)
    grouped = (e.assign(fav=fav).groupby(["engagement", "question_id", "side"])["fav"]
               .agg(["mean", "size"]).unstack("side"))
    exp_mean = grouped["mean"].reindex(columns=list(SIDES))
    exp_n = grouped["size"].reindex(columns=list(SIDES)).fillna(0).astype(int)
    actual = t.side_questions.set_index(["engagement", "question_id"])[list(SIDES)]
    qf = pd.DataFrame(index=exp_mean.index)
    qf["host_expects"] = exp_mean["host"]
    qf["partner_expects"] = exp_mean["partner"]
    qf["host_n"], qf["partner_n"] = exp_n["host"], exp_n["partner"]
    act = actual.reindex(qf.index)
    qf["partner_actual"], qf["host_actual"] = act["partner"], act["host"]
    qf["host_miss"] = (qf["host_expects"] - qf["partner_actual"]).abs()
    qf["partner_miss"] = (qf["partner_expects"] - qf["host_actual"]).abs()
    qf = qf.reset_index()
    meta = qt.loc[qf["question_id"], ["list", "order", "weight"]].reset_index(drop=True)
    qf = pd.concat([qf, meta], axis=1)
    lists = _list_means(qf)
    return ExpectationTables(lists.reindex(columns=LIST_COLUMNS),
                             qf.reindex(columns=QUESTION_COLUMNS)
                             .sort_values(["engagement", "order"]).reset_index(drop=True))


def _list_means(qf: pd.DataFrame) -> pd.DataFrame:
    """Weighted list means over the questions where expectation and answer both exist."""
    parts = {}
    for side in SIDES:
        other = OTHER_SIDE[side]
        ok = qf[f"{side}_expects"].notna() & qf[f"{other}_actual"].notna()
        w = qf["weight"].where(ok, 0.0)
        g = qf.assign(_w=w, _e=qf[f"{side}_expects"].fillna(0) * w,
                      _a=qf[f"{other}_actual"].fillna(0) * w).groupby(["engagement", "list"])
        sums = g[["_w", "_e", "_a"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            parts[f"{side}_expects"] = (sums["_e"] / sums["_w"]).where(sums["_w"] > 0)
            parts[f"{other}_actual"] = (sums["_a"] / sums["_w"]).where(sums["_w"] > 0)
    out = pd.DataFrame(parts)
    out["host_miss"] = (out["host_expects"] - out["partner_actual"]).abs()
    out["partner_miss"] = (out["partner_expects"] - out["host_actual"]).abs()
    return out.reset_index()
