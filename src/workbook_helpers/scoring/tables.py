"""Vectorised score tables over many engagements at once (no per-answer Python loops).

Input: current answers (engagement, respondent, side, question_id, value, dont_know) and an
optional roster of respondents. Keys are turned into integer codes once and every sum, mean,
minimum and maximum is a numpy reduction over those codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..bank import Bank
from ..domain import SIDES
from .team import team_questions

PEOPLE_COLUMNS = ["engagement", "respondent", "side", "role", "name"]


@dataclass(frozen=True)
class ScoreTables:
    """All numbers behind a score, for one or many engagements."""

    respondents: pd.DataFrame       # engagement, respondent, side, role, name, answered, ...
    respondent_lists: pd.DataFrame  # engagement, side, respondent, list, score
    side_lists: pd.DataFrame        # engagement, list, host, partner, *_divergence, gap, pooled
    side_questions: pd.DataFrame    # engagement, question_id, list, host, partner, *_div, gap
    engagements: pd.DataFrame       # engagement, respondents, answered, expected, completeness
    structure: pd.DataFrame         # engagement, respondent, side, question_id, value (raw)
    team_raw: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 0, 0)))
    # [E, 2, P, K] raw answers to the team questions (`team.team_questions`), NaN: none
    team_people: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 0), dtype=int))
    # [E, 2, P] row of `respondents` for each person slot (-1: empty)
    na: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 0), dtype=int))
    # [E, 2, Q] number of 'na' answers per side and question


def question_table(bank: Bank) -> pd.DataFrame:
    """The bank's questions as a frame indexed by question id."""
    lists = bank.list_ids()
    return pd.DataFrame(
        {
            "list": [q.list for q in bank.questions],
            "list_code": [lists.index(q.list) for q in bank.questions],
            "weight": [float(q.weight) for q in bank.questions],
            "qmin": [float(q.scale.min) for q in bank.questions],
            "qmax": [float(q.scale.max) for q in bank.questions],
            "reverse": [bool(q.reverse) for q in bank.questions],
            "scored": [bool(q.scored) for q in bank.questions],
            "order": np.arange(len(bank.questions)),
        },
        index=pd.Index([q.id for q in bank.questions], name="question_id"),
    )


def _people(a: pd.DataFrame, roster: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Every respondent (from the answers and the roster) and each answer's person index."""
    e_codes, _ = pd.factorize(a["engagement"].to_numpy())
    r_codes, r_uni = pd.factorize(a["respondent"].to_numpy())
    pkey = e_codes.astype(np.int64) * max(len(r_uni), 1) + r_codes
    p_codes, p_uni = pd.factorize(pkey)
    first = np.zeros(len(p_uni), dtype=np.int64)
    if len(p_codes):
        _, idx = np.unique(p_codes, return_index=True)
        first = idx
    found = a.iloc[first].reindex(columns=PEOPLE_COLUMNS).reset_index(drop=True)
    found["_code"] = np.arange(len(found))
    if roster is not None and len(roster):
        keys = ["engagement", "respondent"]
        ros = roster.reindex(columns=PEOPLE_COLUMNS).drop_duplicates(keys)
        found = found.merge(ros, on=keys, how="outer", suffixes=("", "_roster"), sort=False)
        # the roster's side, role and name win over what the answers say
        for col in ("side", "role", "name"):
            other = found.pop(f"{col}_roster").astype(object)
            found[col] = other.where(other.notna(), found[col].astype(object))
        found["_code"] = found["_code"].fillna(-1).astype(np.int64)
    for col in ("role", "name"):
        found[col] = found[col].astype(object).where(found[col].notna(), "")
    found["name"] = found["name"].where(found["name"].astype(str) != "", found["respondent"])
    found = found.sort_values(["engagement", "respondent"], kind="mergesort").reset_index(drop=True)
    position = np.empty(len(p_uni), dtype=np.int64)
    has = found["_code"].to_numpy() >= 0
    position[found["_code"].to_numpy()[has]] = np.flatnonzero(has)
    return found.drop(columns="_code"), position[p_codes] if len(p_codes) else p_codes


def _group_stats(key: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """Mean, count and divergence of `values` per integer key.

    Divergence is the mean absolute difference over every pair of members (Gini's mean
    difference): for two people it is their distance, and unlike max - min it does not grow
    as a team gets larger. A group of one has divergence 0.
    """
    total = np.bincount(key, weights=values, minlength=size)
    count = np.bincount(key, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    order = np.lexsort((values, key))
    k, v = key[order], values[order]
    start = np.searchsorted(k, np.arange(size))
    rank = np.arange(len(k)) - start[k] if len(k) else np.zeros(0, dtype=np.int64)
    n = count[k]
    pair_sum = np.bincount(k, weights=(2 * rank - n + 1) * v, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        gmd = np.where(count > 1, 2.0 * pair_sum / np.maximum(count * (count - 1), 1), 0.0)
    spread = np.where(count > 0, gmd, np.nan)
    return mean, count, spread


def build_tables(answers: pd.DataFrame, bank: Bank,
                 roster: pd.DataFrame | None = None) -> ScoreTables:
    """Compute every score table for all engagements present in `answers` and `roster`."""
    qt = question_table(bank)
    lists = bank.list_ids()
    n_l, n_q = len(lists), len(qt)
    a = answers[answers["question_id"].isin(qt.index)]
    people, person = _people(a, roster)
    n_p = len(people)
    e_codes, e_uni = pd.factorize(people["engagement"].to_numpy(), sort=True)
    n_e = len(e_uni)
    p_eng = e_codes.astype(np.int64)
    p_side = (people["side"].to_numpy() == "partner").astype(np.int64)

    q = qt.index.get_indexer(a["question_id"].to_numpy())
    raw = pd.to_numeric(a["value"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    answered = ~(a["dont_know"].to_numpy(dtype=bool) | np.isnan(raw))
    qmin, qmax = qt["qmin"].to_numpy()[q], qt["qmax"].to_numpy()[q]
    pos = (raw - qmin) / (qmax - qmin)
    pos = np.where(qt["reverse"].to_numpy()[q], 1.0 - pos, pos)
    fav = 100.0 * pos
    w = qt["weight"].to_numpy()[q]
    lcode = qt["list_code"].to_numpy()[q]
    scored = qt["scored"].to_numpy(dtype=bool)[q] if len(q) else np.zeros(0, dtype=bool)
    counted = answered & scored

    # respondent x list: weighted mean of favourable positions (scored questions only)
    key = person * n_l + lcode
    wsum = np.bincount(key[counted], weights=(w * fav)[counted], minlength=n_p * n_l)
    wcnt = np.bincount(key[counted], weights=w[counted], minlength=n_p * n_l)
    with np.errstate(invalid="ignore", divide="ignore"):
        pl = np.where(wcnt > 0, wsum / np.where(wcnt > 0, wcnt, 1), np.nan).reshape(n_p, n_l)
    n_answered = np.bincount(person[answered], minlength=n_p)
    # 'na' (no value, not a don't-know): the question does not apply to this person's side
    # role; it is neither a score nor a gap and it is not expected of them
    na = np.isnan(raw) & ~a["dont_know"].to_numpy(dtype=bool)
    n_na = np.bincount(person[na], minlength=n_p) if n_p else np.zeros(0, dtype=np.int64)
    people["answered"] = n_answered.astype(int)
    people["expected"] = (n_q - n_na).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        people["completeness"] = np.where(people["expected"] > 0, n_answered /
                                          np.maximum(people["expected"], 1), 0.0) \
            if n_q else 0.0

    pi, li = np.nonzero(~np.isnan(pl))
    respondent_lists = pd.DataFrame({
        "engagement": people["engagement"].to_numpy()[pi],
        "side": people["side"].to_numpy()[pi],
        "respondent": people["respondent"].to_numpy()[pi],
        "list": np.asarray(lists, dtype=object)[li],
        "score": pl[pi, li],
    })

    side_lists = _side_lists(pl, pi, li, p_eng, p_side, lists, e_uni)
    side_questions = _side_questions(qt, fav[answered], q[answered],
                                     p_eng[person[answered]], p_side[person[answered]], e_uni)
    engagements = _engagement_totals(p_eng, n_answered, people["expected"], e_uni)
    structure = _structure(people, person, qt, q, raw, answered & ~scored)
    team_raw, team_people = _team(bank, people, person, q, raw, answered, qt, n_e, e_codes)
    return ScoreTables(people, respondent_lists, side_lists, side_questions, engagements,
                       structure, team_raw, team_people)


def _side_lists(pl: np.ndarray, pi: np.ndarray, li: np.ndarray, p_eng: np.ndarray,
                p_side: np.ndarray, lists: list[str], e_uni: np.ndarray) -> pd.DataFrame:
    """Side x list: the mean and spread of the respondents' list scores, the gap and the
    pooled mean (lists nobody on either side scored are left out)."""
    n_e, n_l = len(e_uni), len(lists)
    skey = (p_eng[pi] * 2 + p_side[pi]) * n_l + li
    smean, _, sspread = _group_stats(skey, pl[pi, li], n_e * 2 * n_l)
    smean, sspread = smean.reshape(n_e, 2, n_l), sspread.reshape(n_e, 2, n_l)
    ee, ll = np.meshgrid(np.arange(n_e), np.arange(n_l), indexing="ij")
    side_lists = pd.DataFrame({
        "engagement": e_uni[ee.ravel()],
        "list": np.asarray(lists, dtype=object)[ll.ravel()],
        "host": smean[:, 0, :].ravel(), "partner": smean[:, 1, :].ravel(),
        "host_divergence": sspread[:, 0, :].ravel(),
        "partner_divergence": sspread[:, 1, :].ravel(),
    })
    side_lists = side_lists[side_lists[list(SIDES)].notna().any(axis=1)]
    return side_lists.assign(
        gap=(side_lists["host"] - side_lists["partner"]).abs(),
        pooled=side_lists[list(SIDES)].mean(axis=1, skipna=True)).reset_index(drop=True)


def _side_questions(qt: pd.DataFrame, fav: np.ndarray, q: np.ndarray, ans_eng: np.ndarray,
                    ans_side: np.ndarray, e_uni: np.ndarray) -> pd.DataFrame:
    """Side x question: the mean and spread of the answered favourable positions, and the
    gap (questions nobody on either side answered are left out)."""
    n_e, n_q = len(e_uni), len(qt)
    qkey = (ans_eng * 2 + ans_side) * n_q + q
    qmean, _, qspread = _group_stats(qkey, fav, n_e * 2 * n_q)
    qmean, qspread = qmean.reshape(n_e, 2, n_q), qspread.reshape(n_e, 2, n_q)
    ee, qq = np.meshgrid(np.arange(n_e), np.arange(n_q), indexing="ij")
    side_questions = pd.DataFrame({
        "engagement": e_uni[ee.ravel()],
        "question_id": qt.index.to_numpy()[qq.ravel()],
        "list": qt["list"].to_numpy()[qq.ravel()],
        "weight": qt["weight"].to_numpy()[qq.ravel()],
        "scored": qt["scored"].to_numpy()[qq.ravel()],
        "order": qq.ravel(),
        "host": qmean[:, 0, :].ravel(), "partner": qmean[:, 1, :].ravel(),
        "host_divergence": qspread[:, 0, :].ravel(),
        "partner_divergence": qspread[:, 1, :].ravel(),
    })
    side_questions = side_questions[side_questions[list(SIDES)].notna().any(axis=1)]
    return side_questions.assign(
        gap=(side_questions["host"] - side_questions["partner"]).abs()).reset_index(drop=True)


def _engagement_totals(p_eng: np.ndarray, n_answered: np.ndarray, expected: pd.Series,
                       e_uni: np.ndarray) -> pd.DataFrame:
    """Per engagement: respondents, answers given and expected, and completeness."""
    n_e = len(e_uni)
    e_resp = np.bincount(p_eng, minlength=n_e)
    e_ans = np.bincount(p_eng, weights=n_answered, minlength=n_e)
    e_exp = np.bincount(p_eng, weights=expected.to_numpy(dtype=float),
                        minlength=n_e).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = np.where(e_exp > 0, e_ans / np.maximum(e_exp, 1), 0.0)
    return pd.DataFrame({"engagement": e_uni, "respondents": e_resp,
                         "answered": e_ans.astype(int), "expected": e_exp,
                         "completeness": comp})


def _structure(people: pd.DataFrame, person: np.ndarray, qt: pd.DataFrame, q: np.ndarray,
               raw: np.ndarray, evidence: np.ndarray) -> pd.DataFrame:
    """The raw answers to unscored (evidence) questions, one row per answer."""
    ev_person = person[evidence]
    return pd.DataFrame({
        "engagement": people["engagement"].to_numpy()[ev_person],
        "respondent": people["respondent"].to_numpy()[ev_person],
        "side": people["side"].to_numpy()[ev_person],
        "question_id": qt.index.to_numpy()[q[evidence]],
        "value": raw[evidence],
    })


def _team(bank: Bank, people: pd.DataFrame, person: np.ndarray,
          q: np.ndarray, raw: np.ndarray, answered: np.ndarray, qt: pd.DataFrame, n_e: int,
          e_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense [E, 2, P, K] raw answers to the team questions, and the person of each slot."""
    tq = team_questions(bank)
    side = (people["side"].to_numpy() == "partner").astype(np.int64)
    slot_key = e_codes.astype(np.int64) * 2 + side
    rank = pd.Series(slot_key).groupby(slot_key).cumcount().to_numpy() if len(people) else \
        np.zeros(0, dtype=np.int64)
    n_slot = int(rank.max()) + 1 if len(rank) else 0
    out = np.full((n_e, 2, n_slot, len(tq)), np.nan)
    who = np.full((n_e, 2, n_slot), -1, dtype=np.int64)
    if len(people):
        who[e_codes, side, rank] = np.arange(len(people))
    if not tq or not len(q):
        return out, who
    k = pd.Index(tq).get_indexer(qt.index.to_numpy()[q])
    ok = answered & (k >= 0)
    pp = person[ok]
    out[e_codes[pp], side[pp], rank[pp], k[ok]] = raw[ok]
    return out, who
