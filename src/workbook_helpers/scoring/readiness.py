"""Readiness: what any alliance needs in place on each side, for every engagement at once.

Each of the bank's readiness items reads one scored question's side mean (met when it reaches
the item's minimum); the sponsor check compares the sponsor levels of both sides (from the
sponsor-level question, else from the role of a respondent named as sponsor); the hobby check
finds a side that ranks the alliance high but commits neither people nor budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bank import Bank
from ..domain import SIDES
from .tables import ScoreTables
from .team import contested, fact_cuts, lone_dissent, low_trust, team_questions

SPONSOR_WORD = re.compile(r"\bsponsor\b", re.I)


@dataclass(frozen=True)
class ReadinessTable:
    """Readiness numbers, indexed [engagement, side (host, partner), ...]."""

    item_ids: list[str]
    value: np.ndarray          # [E, 2, I] side mean of the item's question (NaN: unknown)
    met: np.ndarray            # [E, 2, I] 1, 0 or NaN
    sponsor_level: np.ndarray  # [E, 2] mean level (NaN: unknown)
    sponsor_from_role: np.ndarray  # [E, 2] bool: level read from a respondent's role
    sponsor_met: np.ndarray    # [E, 2] 1, 0 or NaN
    hobby: np.ndarray          # [E, 2] bool
    priority: np.ndarray       # [E, 2] priority score used by the hobby check
    commitment: np.ndarray     # [E, 2] mean commitment score used by the hobby check
    top_level: np.ndarray      # [E, 2] most senior answering respondent's level (NaN)
    top_role: list[list[str]]  # [E][2] that respondent's role
    team: TeamChecks | None = None

    def all_met(self, bank: Bank) -> np.ndarray:
        """[E] every readiness condition known and met on both sides, and no hobby."""
        return all_met(bank, self.met, self.sponsor_met, self.hobby)


@dataclass(frozen=True)
class TeamChecks:
    """Checks inside each team (version 3), [engagement, side, team question]."""

    qids: list[str]
    dissent: np.ndarray        # [E, 2, K] lone dissenter's distance (0: none)
    dissent_pos: np.ndarray    # [E, 2, K] their person slot (-1: none)
    contested: np.ndarray      # [E, 2, K] bool: a fact the side's people disagree on
    trust: np.ndarray          # [E, 2] trust score (NaN: unknown)
    low_trust: np.ndarray      # [E] both sides below the floor

    def any_dissent(self) -> np.ndarray:
        """[E] some team has a lone dissenter."""
        out: np.ndarray = np.asarray((self.dissent_pos >= 0).any(axis=(1, 2)))
        return out

    def any_contested(self) -> np.ndarray:
        """[E] some team disagrees on a fact."""
        out: np.ndarray = np.asarray(self.contested.any(axis=(1, 2)))
        return out


def team_checks(bank: Bank, raw: np.ndarray, trust: np.ndarray) -> TeamChecks:
    """Lone dissent, contested facts and the trust floor from dense answers [N, 2, P, K]."""
    qids = team_questions(bank)
    th = bank.thresholds
    dmask = np.array([q in bank.dissent_questions for q in qids], dtype=bool)
    dist, pos = lone_dissent(raw, th.lone_dissent)
    dist = np.where(dmask, dist, 0.0)
    pos = np.where(dmask, pos, -1)
    is_fact, cut = fact_cuts(bank, qids)
    cont = contested(raw, th.fact_spread, cut) & is_fact
    low = low_trust(trust, th.low_trust) if bank.readiness.trust is not None else \
        np.zeros(len(raw), dtype=bool)
    return TeamChecks(qids, dist, pos, cont, trust, low)


def apply_contested(bank: Bank, qids: list[str], cont: np.ndarray, met: np.ndarray,
                    sponsor_level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A contested fact counts as not established: its readiness item is not met [N, 2, I]
    and a contested sponsor level is unknown [N, 2]."""
    met = met.copy()
    for k, item in enumerate(bank.readiness.items):
        if item.question in qids:
            c = cont[..., qids.index(item.question)]
            met[..., k] = np.where(c, 0.0, met[..., k])
    sm = bank.readiness.sponsor_match
    if sm is not None and sm.question in qids:
        sponsor_level = np.where(cont[..., qids.index(sm.question)], np.nan, sponsor_level)
    return met, sponsor_level


def all_met(bank: Bank, met: np.ndarray, sponsor_met: np.ndarray, hobby: np.ndarray
            ) -> np.ndarray:
    """[N] every item [N, 2, I] and sponsor check [N, 2] known and met, and no hobby [N, 2]."""
    ok = (np.nan_to_num(met, nan=0.0) > 0).all(axis=(-1, -2))
    if bank.readiness.sponsor_match is not None:
        ok &= (np.nan_to_num(sponsor_met, nan=0.0) > 0).all(axis=-1)
    out: np.ndarray = ok & ~hobby.any(axis=-1)
    return out


def items_met(bank: Bank, value: np.ndarray) -> np.ndarray:
    """[N, 2, I] 1 / 0 / NaN: each item's side mean [N, 2, I] against its minimum."""
    mins = np.array([i.min for i in bank.readiness.items], dtype=float)
    out: np.ndarray = np.where(np.isnan(value), np.nan, (value >= mins).astype(float))
    return out


def sponsor_met(bank: Bank, level: np.ndarray) -> np.ndarray:
    """[N, 2] 1 / 0 / NaN: own sponsor senior enough and matched with the other side's."""
    sm = bank.readiness.sponsor_match
    if sm is None:
        return np.full(level.shape, np.nan)
    both = ~np.isnan(level).any(axis=-1)
    diff = np.abs(level[..., 0] - level[..., 1])
    level_ok = np.where(np.isnan(level), np.nan, (level >= sm.min_level).astype(float))
    match = np.where(both, (diff <= sm.max_difference).astype(float), np.nan)[..., None]
    # the other side unknown: only a sponsor below the minimum is known to fail
    out: np.ndarray = np.where(np.isnan(level_ok), np.nan,
                               np.where(np.isnan(match), np.where(level_ok > 0, np.nan, 0.0),
                                        level_ok * match))
    return out


def hobby_check(bank: Bank, priority: np.ndarray, commitment: np.ndarray) -> np.ndarray:
    """[N, 2] a side ranks the alliance high but commits neither people nor budget."""
    hb = bank.readiness.hobby
    if hb is None:
        return np.zeros(priority.shape, dtype=bool)
    out: np.ndarray = (np.nan_to_num(priority, nan=-1) >= hb.priority_min) & \
        (np.nan_to_num(commitment, nan=101) <= hb.commitment_max)
    return out


def known_mean(x: np.ndarray) -> np.ndarray:
    """Mean over the last axis of the values that are known (NaN when none)."""
    have = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.where(have.any(axis=-1), np.where(have, x, 0).sum(axis=-1)
                                   / np.maximum(have.sum(axis=-1), 1), np.nan)
    return out


def role_level(bank: Bank, role: str) -> int | None:
    """Seniority 1-5 read from a role's words, using the bank's role levels (None: unknown).

    A phrase inside a longer one found in the role does not count ('Executive Vice President'
    is not read as 'President', 'Product owner' not as 'owner'); of the rest, the most senior
    wins ('VP Alliances (alliance manager)' is a VP).
    """
    text = role.lower()
    found = [(m.start(), m.end(), level) for level, pattern in _role_patterns(bank)
             for m in pattern.finditer(text)]
    kept = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) >
                                        (f[1] - f[0]) for o in found)]
    return max((lv for _, _, lv in kept), default=None)


def _role_patterns(bank: Bank) -> list[tuple[int, re.Pattern[str]]]:
    key = id(bank)
    cached = _PATTERNS.get(key)
    if cached is None or cached[0] is not bank:
        pats = [(rl.level, re.compile("|".join(
            rf"(?<![a-z]){re.escape(w.lower())}(?![a-z])" for w in rl.words)))
            for rl in sorted(bank.role_levels, key=lambda r: -r.level)]
        cached = (bank, pats)
        _PATTERNS[key] = cached
    return cached[1]


_PATTERNS: dict[int, tuple[Bank, list[tuple[int, re.Pattern[str]]]]] = {}


def _question_means(t: ScoreTables, engagements: list[str], qids: list[str]) -> np.ndarray:
    """[E, 2, Q] each side's mean favourable position on the named questions."""
    out = np.full((len(engagements), 2, len(qids)), np.nan)
    sq = t.side_questions
    if not len(sq) or not qids:
        return out
    sq = sq[sq["question_id"].isin(qids)]
    e = pd.Index(engagements).get_indexer(sq["engagement"])
    q = pd.Index(qids).get_indexer(sq["question_id"])
    for s, side in enumerate(SIDES):
        out[e, s, q] = sq[side].to_numpy(dtype=float)
    return out


def _top_roles(bank: Bank, people: pd.DataFrame, eidx: pd.Index
               ) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
    """Per engagement and side, from the roles of the people answering: the most senior
    level and its role, and the level of the most senior sponsor-like role."""
    n_e = len(eidx)
    roles = people["role"].astype(str).to_numpy() if len(people) else np.zeros(0, object)
    uniq, inverse = np.unique(roles, return_inverse=True) if len(roles) else (roles, roles)
    by_role = np.array([role_level(bank, str(x)) or np.nan for x in uniq], dtype=float)
    levels = by_role[inverse] if len(roles) else np.zeros(0)
    sponsorish = np.array([bool(SPONSOR_WORD.search(str(x))) for x in uniq],
                          dtype=bool)[inverse] if len(roles) else np.zeros(0, bool)
    pe = eidx.get_indexer(people["engagement"]) if len(people) else np.zeros(0, int)
    ps = (people["side"].to_numpy() == "partner").astype(int) if len(people) else pe
    answering = people["answered"].to_numpy() > 0 if len(people) else pe.astype(bool)
    top_level = np.full((n_e, 2), np.nan)
    top_role = [["", ""] for _ in range(n_e)]
    role_sponsor = np.full((n_e, 2), np.nan)
    known = answering & (pe >= 0) & ~np.isnan(levels)
    for i in np.flatnonzero(known):
        e, s, lv = pe[i], ps[i], levels[i]
        if np.isnan(top_level[e, s]) or lv > top_level[e, s]:
            top_level[e, s], top_role[e][s] = lv, str(roles[i])
        if sponsorish[i]:
            role_sponsor[e, s] = np.fmax(role_sponsor[e, s], lv)
    return top_level, top_role, role_sponsor


def readiness_table(t: ScoreTables, bank: Bank, engagements: list[str]) -> ReadinessTable:
    """Readiness of both sides of every engagement."""
    r = bank.readiness
    n_e = len(engagements)
    eidx = pd.Index(engagements)
    items = r.items
    value = _question_means(t, engagements, [i.question for i in items])
    met = items_met(bank, value)

    top_level, top_role, role_sponsor = _top_roles(bank, t.respondents, eidx)

    sponsor_level = np.full((n_e, 2), np.nan)
    from_role = np.zeros((n_e, 2), dtype=bool)
    sm = r.sponsor_match
    if sm is not None:
        st = t.structure
        st = st[st["question_id"] == sm.question] if len(st) else st
        if len(st):
            grp = st.groupby(["engagement", "side"])["value"].mean()
            for (eng, side), v in grp.items():
                e = eidx.get_loc(eng)
                sponsor_level[e, SIDES.index(str(side))] = v
        from_role = np.isnan(sponsor_level) & ~np.isnan(role_sponsor)
        sponsor_level = np.where(from_role, role_sponsor, sponsor_level)
    trust = np.full((n_e, 2), np.nan)
    if r.trust is not None:
        tq = [q for q in r.trust.questions if q in bank.question_map]
        trust = known_mean(_question_means(t, engagements, tq))
    team = team_checks(bank, t.team_raw, trust)
    met, sponsor_level = apply_contested(bank, team.qids, team.contested, met, sponsor_level)
    from_role = from_role & ~np.isnan(sponsor_level)
    sponsor = sponsor_met(bank, sponsor_level)

    hobby = np.zeros((n_e, 2), dtype=bool)
    priority = np.full((n_e, 2), np.nan)
    commitment = np.full((n_e, 2), np.nan)
    hb = r.hobby
    if hb is not None:
        sl = t.side_lists
        pr = sl[sl["list"] == "priority"] if len(sl) else sl
        if len(pr):
            e = eidx.get_indexer(pr["engagement"])
            for s, side in enumerate(SIDES):
                priority[e, s] = pr[side].to_numpy(dtype=float)
        commitment = known_mean(_question_means(t, engagements, hb.commitment_questions))
        hobby = hobby_check(bank, priority, commitment)
    return ReadinessTable([i.id for i in items], value, met, sponsor_level, from_role,
                          sponsor, hobby, priority, commitment, top_level, top_role, team)
