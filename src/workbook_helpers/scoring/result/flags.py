"""The builder's flags: lists and questions, the team, expectations, the engagement."""

from __future__ import annotations

import math
from typing import Any

from ...domain import LIST_STEP_KINDS, SIDES, as_side
from ...presenting import wording as w
from ..model import DimensionScore, ExpectationGap, Flag, FormCall
from .base import EXPECTATION_SEVERITY, SEVERITY, BuilderBase, num


class FlagsPart(BuilderBase):
    """The builder's flags: lists and questions, the team, expectations, the engagement."""

    def _spread(self, rl: list[dict[str, Any]], roles: dict[str, str]
                ) -> dict[tuple[str, str], str]:
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rl:
            grouped.setdefault((r["side"], r["list"]), []).append(r)
        spread = {}
        for key, grp in grouped.items():
            if len(grp) > 1:
                hi = max(grp, key=lambda r: (r["score"], r["respondent"]))
                lo = min(grp, key=lambda r: (r["score"], r["respondent"]))
                spread[key] = w.spread_text(roles.get(hi["respondent"]) or "", hi["score"],
                                            roles.get(lo["respondent"]) or "", lo["score"])
        return spread

    def _structure_sides(self, qid: str, qrow: dict[str, Any], i: int) -> str:
        q = self.bank.question_map[qid]
        parts = []
        ft = self.d.forms
        if q.categories is not None and qid in ft.structure_ids:
            k = ft.structure_ids.index(qid)
            for s, side in enumerate(SIDES):
                votes = ft.votes[i, s + 1, k]
                if votes.sum() > 0:
                    parts.append(f"the {side} answers {w.votes_text(self.bank, qid, votes)}")
            return ", ".join(parts)
        for side in SIDES:
            pos = qrow.get(side)
            if pos is None or (isinstance(pos, float) and math.isnan(pos)):
                continue
            raw = q.scale.min + pos / 100.0 * (q.scale.max - q.scale.min)
            parts.append(f"the {side} answers {raw:.1f} "
                         f"({w.anchor_quote(self.bank, qid, raw)})")
        return ", ".join(parts)

    def _list_flags(self, e_flags: list[dict[str, Any]], dims: dict[str, DimensionScore],
                    qrows: dict[str, dict[str, Any]], spread: dict[tuple[str, str], str],
                    i: int) -> list[tuple[float, Flag, str | None]]:
        out = []
        for f in e_flags:
            qid = f["question_id"] if isinstance(f["question_id"], str) else None
            if f["kind"] == "structure-gap" and qid is not None:
                f = {**f, "label": self.bank.question_map[qid].label,
                     "sides_text": self._structure_sides(qid, qrows[qid], i)}
            detail = w.list_flag_detail(f, self.titles, self.qtext, dims, qrows, spread)
            step = None
            if qid is not None:
                step = self.q_steps.get(qid)
                if step is None and f["kind"] in LIST_STEP_KINDS:
                    step = self.list_steps.get(f["dimension"])
            else:
                step = self.list_steps.get(f["dimension"])
            flag = Flag(f["kind"], f["dimension"],
                        as_side(f["side"]), qid,
                        num(f["magnitude"]), bool(f["blocking"]), detail)
            out.append((float(f["severity"]), flag, step))
        return out

    def _team_flags(self, i: int, roles: dict[str, str]
                    ) -> list[tuple[float, Flag, str | None]]:
        """Low trust, lone dissenters and contested facts of one engagement."""
        team = self.d.readiness.team
        out: list[tuple[float, Flag, str | None]] = []
        if team is None:
            return out
        bank, t = self.bank, self.d.tables
        tr = bank.readiness.trust
        if tr is not None and bool(team.low_trust[i]):
            h, p = team.trust[i]
            out.append((SEVERITY["low-trust"], Flag(
                "low-trust", "mutuality", None, None, num(max(h, p)), True,
                w.low_trust_detail(h, p)), tr.step))
        if self._ids is None:
            self._ids = t.respondents["respondent"].to_numpy()
        ids = self._ids
        raw, slots = t.team_raw[i], t.team_people[i]
        if not (team.dissent_pos[i] >= 0).any() and not team.contested[i].any():
            return out
        pos_all = team.dissent_pos[i].tolist()
        cont_all = team.contested[i].tolist()
        for s, side in enumerate(SIDES):
            cols = raw[s].T.tolist()                        # [K][P] plain floats (NaN: none)
            who = [str(ids[x]) if x >= 0 else "" for x in slots[s].tolist()]
            dissenters: list[str] = []
            for k, qid in enumerate(team.qids):
                pos = pos_all[s][k]
                if pos < 0:
                    continue
                vals = [v for v in cols[k] if not math.isnan(v)]
                mine = cols[k][pos]
                rest = (sum(vals) - mine) / (len(vals) - 1)
                q = bank.question_map[qid]
                rid = who[pos]
                role = roles.get(rid, "")
                dissenters.append(role)
                flag = Flag("lone-dissent", q.list, side, qid, num(abs(mine - rest)), True,
                            w.lone_dissent_detail(side, role, q.label, mine, rest), rid, role)
                out.append((SEVERITY["lone-dissent"] + abs(mine - rest), flag,
                             w.lone_dissent_step(side, sorted(set(dissenters)))))
            facts: list[str] = []
            for k, qid in enumerate(team.qids):
                if not cont_all[s][k]:
                    continue
                q = bank.question_map[qid]
                facts.append(q.label)
                said = sorted(((roles.get(who[p], ""), int(v), q.scale.anchors[int(v)])
                               for p, v in enumerate(cols[k]) if not math.isnan(v)),
                              key=lambda x: -x[1])
                vals_i = [v for _, v, _ in said]
                out.append((SEVERITY["contested-fact"], Flag(
                    "contested-fact", q.list, side, qid, float(max(vals_i) - min(vals_i)), True,
                    w.contested_detail(side, q.label, said)),
                    w.contested_step(side, list(facts))))
        # one step per side and kind: the last flag of each carries the whole list
        last: dict[tuple[str, str | None], str | None] = {}
        for _, f, step in out:
            last[(f.kind, f.side)] = step
        return [(sev, f, last[(f.kind, f.side)]) for sev, f, _ in out]

    def _expectation_flags(self, lists: dict[str, ExpectationGap],
                           questions: dict[str, ExpectationGap]
                           ) -> list[tuple[float, Flag, str | None]]:
        th = self.bank.thresholds.expectation_gap
        qlist = {q.id: q.list for q in self.bank.questions}
        out = []
        for lid, g in lists.items():
            for side in SIDES:
                miss = g.host_miss if side == "host" else g.partner_miss
                if miss is None or miss < th:
                    continue
                exp = g.host_expects if side == "host" else g.partner_expects
                act = g.partner_actual if side == "host" else g.host_actual
                assert exp is not None and act is not None
                mine = [(qid, q) for qid, q in questions.items() if qlist.get(qid) == lid]
                worst = max(mine, key=lambda x: (x[1].host_miss if side == "host"
                                                 else x[1].partner_miss) or -1, default=None)
                wq = None
                if worst is not None:
                    q = worst[1]
                    e = q.host_expects if side == "host" else q.partner_expects
                    a = q.partner_actual if side == "host" else q.host_actual
                    if e is not None and a is not None:
                        wq = (q.title, e, a)
                direction = g.direction(side) or "blind-spot"
                detail = w.expectation_detail(side, g.title, exp, act, wq)
                out.append((EXPECTATION_SEVERITY[direction] * miss / th, Flag(
                    "expectation-gap", lid, side, worst[0] if worst else None, miss, False,
                    detail), self.list_steps.get(lid)))
        return out

    def _too_few(self, people: list[dict[str, Any]]) -> list[Flag]:
        """A flag for each side with fewer people answering than the bank requires."""
        th = self.bank.thresholds
        answering = {s: sum(1 for p in people if p["side"] == s and p["answered"] > 0)
                     for s in SIDES}
        return [Flag("too-few-respondents", None, s, None, float(answering[s]), True,
                     w.too_few_detail(s, answering[s], th.min_respondents_per_side))
                for s in SIDES if answering[s] < th.min_respondents_per_side]

    def _engagement_flags(self, i: int, summary: dict[str, Any], form: FormCall,
                          people: list[dict[str, Any]], roles: dict[str, str]
                          ) -> list[tuple[float, Flag, str | None]]:
        """The form dispute, the team's flags, a side sharing (almost) nothing and the
        people who answered too little."""
        th = self.bank.thresholds
        host_t, partner_t = summary["host_type"], summary["partner_type"]
        out: list[tuple[float, Flag, str | None]] = []
        if form.status == "disputed":
            out.append((SEVERITY["form-dispute"] + float(summary["type_mismatch"]), Flag(
                "form-dispute", "structure", None, None, num(summary["type_mismatch"]), True,
                w.dispute_detail(host_t, partner_t)), w.dispute_step(host_t, partner_t)))
        out += self._team_flags(i, roles)
        for s in SIDES:
            share = summary[f"{s}_share"]
            if share is not None and not math.isnan(share) and share < th.share_low:
                out.append((SEVERITY["share-nothing"], Flag(
                    "share-nothing", None, s, None, num(share), True,
                    w.share_detail(s, share, share < th.share_nothing)), None))
        for p in sorted(people, key=lambda p: (p["side"], p["respondent"])):
            if p["answered"] < th.completeness_min * p["expected"]:
                out.append((SEVERITY["incomplete"], Flag(
                    "incomplete", None, p["side"], None,
                    num(100 * p["answered"] / max(p["expected"], 1)), False,
                    w.incomplete_detail(p["role"], p["side"], p["answered"], p["expected"]),
                    p["respondent"]), None))
        return out
