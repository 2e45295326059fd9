"""Build one engagement's typed `ScoreResult` from the portfolio-wide tables.

The numbers come from `tables`, `forms`, `readiness` and `verdict` (decided there for every
engagement at once); this module picks one engagement's rows, turns them into the typed model
and asks `wording` for the sentences.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..bank import Bank
from ..domain import (
    ALLIANCE_ONLY_KINDS,
    BLOCKING_KINDS,
    LIST_STEP_KINDS,
    SIDES,
    TEAM_KINDS,
    FlagKind,
    as_side,
)
from ..presenting import wording as w
from .model import (
    DimensionScore,
    ExpectationGap,
    Flag,
    FormCall,
    FormPursuit,
    QuestionScore,
    ReadinessCheck,
    RespondentScore,
    ScoreResult,
    VerdictCause,
)
from .verdict import DecisionInputs

EXPECTATION_SEVERITY = {"blind-spot": 1.6, "pleasant-surprise": 1.1}
SEVERITY: dict[FlagKind, float] = {
    "too-few-respondents": 10.0, "form-dispute": 8.0, "type-mismatch": 6.0,
    "low-trust": 5.5, "lone-dissent": 3.0, "contested-fact": 3.5, "share-nothing": 5.0,
    "hobby": 4.0, "readiness": 1.5, "seniority-mismatch": 1.2, "incomplete": 0.5}


def num(value: Any) -> float | None:
    """A number rounded for output, or None for missing / NaN."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else round(f, 1)


def _opt(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


class ResultBuilder:
    """Turns the decision tables into one `ScoreResult` per engagement.

    The records it reads come from `scoring._split`: floats already rounded to one decimal and
    missing values already None.
    """

    def __init__(self, bank: Bank, d: DecisionInputs) -> None:
        self.bank = bank
        self.d = d
        self.dims = bank.dimension_ids()
        self.titles = {lst.id: lst.title for lst in bank.lists}
        self.qtext = {q.id: q.text for q in bank.questions}
        self.list_steps = {lst.id: lst.next_step for lst in bank.lists}
        self.q_steps = {q.id: q.next_step for q in bank.questions}
        self.scored = {q.id: q.scored for q in bank.questions}
        self.alliance = set(bank.forms.alliance_forms)
        self.item_of = {it.question: it.id for it in bank.readiness.items}
        if bank.readiness.sponsor_match is not None:
            self.item_of[bank.readiness.sponsor_match.question] = "sponsor-seniority"
        self._ids: np.ndarray | None = None
        sm = bank.readiness.sponsor_match
        self.level_names = ({p: a for p, a in bank.question_map[sm.question].scale.anchors
                             .items()} if sm is not None else {})

    # ---- pieces ----------------------------------------------------------------------------
    def _dimensions(self, rows: list[dict[str, Any]]) -> dict[str, DimensionScore]:
        by_list = {r["list"]: r for r in rows}
        out = {}
        for lid in self.dims:
            r = by_list.get(lid, {})
            out[lid] = DimensionScore(
                self.titles[lid], r.get("host"), r.get("partner"), r.get("gap"),
                r.get("pooled"), r.get("host_divergence"), r.get("partner_divergence"))
        return out

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

    def _readiness(self, i: int, summary: dict[str, Any]
                   ) -> tuple[list[ReadinessCheck], list[tuple[float, Flag, str | None]]]:
        rt = self.d.readiness
        r = self.bank.readiness
        checks: list[ReadinessCheck] = []
        flags: list[tuple[float, Flag, str | None]] = []
        for s, side in enumerate(SIDES):
            unmet: list[tuple[str, float]] = []
            for k, item in enumerate(r.items):
                v = rt.value[i, s, k]
                met = None if np.isnan(rt.met[i, s, k]) else bool(rt.met[i, s, k])
                detail = w.readiness_detail(item.label, side, _opt(v), item.min, met)
                checks.append(ReadinessCheck(item.id, side, met, detail, item.step))
                if met is False:
                    unmet.append((item.label, v))
            if unmet:
                flags.append((SEVERITY["readiness"] * (1 + len(unmet) / 3), Flag(
                    "readiness", "resourcing", side, None, float(len(unmet)), True,
                    w.readiness_gaps(side, unmet)), None))
            sm = r.sponsor_match
            if sm is not None:
                lv, other = rt.sponsor_level[i, s], rt.sponsor_level[i, 1 - s]
                sm_met = None if np.isnan(rt.sponsor_met[i, s]) else bool(rt.sponsor_met[i, s])
                detail = w.sponsor_detail(side, _opt(lv), _opt(other),
                                          bool(rt.sponsor_from_role[i, s]),
                                          rt.top_role[i][s], sm_met, self.level_names)
                checks.append(ReadinessCheck("sponsor-seniority", side, sm_met, detail,
                                             sm.step))
                if sm_met is False:
                    flags.append((SEVERITY["readiness"], Flag(
                        "readiness", None, side, sm.question, None, True, detail), sm.step))
            hb = r.hobby
            if hb is not None:
                pri, com = rt.priority[i, s], rt.commitment[i, s]
                known = not (np.isnan(pri) or np.isnan(com))
                hobby = bool(rt.hobby[i, s])
                detail = (w.hobby_detail(side, pri, com) if hobby else
                          w.hobby_ok(side, known))
                checks.append(ReadinessCheck("hobby-check", side,
                                             (not hobby) if known else None, detail, hb.step))
                if hobby:
                    flags.append((SEVERITY["hobby"], Flag("hobby", "priority", side, None,
                                                          num(pri - com), True, detail),
                                  hb.step))
        hl, pl = rt.top_level[i]
        if not (np.isnan(hl) or np.isnan(pl)) and abs(hl - pl) >= 2:
            detail = w.seniority_detail(rt.top_role[i][0], hl, rt.top_role[i][1], pl)
            flags.append((SEVERITY["seniority-mismatch"], Flag(
                "seniority-mismatch", None, None, None, num(abs(hl - pl)), False, detail),
                None))
        return checks, flags

    def _sides(self, i: int, summary: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
        fc = self.d.choice
        out: dict[str, dict[str, Any] | None] = {}
        for s, side in enumerate(SIDES):
            known = bool(summary[f"{side}_known"])
            out[side] = ({"form": str(fc.labels[i, s + 1]),
                          "confidence": round(float(fc.confidence[i, s + 1]), 3)}
                         if known else None)
        return out

    def _form(self, i: int, summary: dict[str, Any]) -> FormCall:
        call = self._pooled_form(i, summary)
        sides = self._sides(i, summary)
        status = str(summary["form_status"])
        if status != "disputed":
            return replace(call, sides=sides, status=status)
        pictures = {s: str(v["form"]) for s, v in sides.items() if v is not None}
        # the pooled comparison would read as a verdict on one form: only the two pictures
        evidence = [w.dispute_detail(pictures.get("host"), pictures.get("partner"))]
        evidence += [w.side_picture(side, pic["form"], pic["confidence"])
                     for side, pic in sides.items() if pic is not None]
        return replace(call, recommended=None, evidence=evidence, is_alliance=False,
                       pursue=None, sides=sides, status=status)

    def _pooled_form(self, i: int, summary: dict[str, Any]) -> FormCall:
        ft, fc, bank = self.d.forms, self.d.choice, self.bank
        best_i, second_i = int(fc.best[i, 0]), int(fc.second[i, 0])
        label = str(fc.labels[i, 0])
        probs = {f: round(float(fc.prob[i, 0, k]), 3) for k, f in enumerate(ft.forms)}
        missing = [q for k, q in enumerate(ft.structure_ids) if ft.struct_count[i, 0, k] == 0]
        evidence: list[str] = []
        to_ask: list[str] = []
        if best_i < 0:
            lacking = [w.lower_noun(self.titles[d]) for k, d in enumerate(ft.dims)
                       if np.isnan(ft.scores[i, 0, k])]
            evidence.append(w.form_unreadable(lacking))
            return FormCall("other", None, 0.0, evidence, probs, None,
                            round(float(ft.coverage[i, 0]), 3), to_ask, False)
        best = ft.forms[best_i]
        runner = ft.forms[second_i] if second_i >= 0 else None
        evidence.append(bank.forms.profile(best).summary)
        if runner is not None:
            parts: list[tuple[float, str]] = []
            for k, lid in enumerate(ft.dims):
                delta = ft.list_part[i, 0, second_i, k] - ft.list_part[i, 0, best_i, k]
                tb = bank.forms.profile(best).lists.get(lid)
                tr = bank.forms.profile(runner).lists.get(lid)
                if delta > 0 and tb is not None and tr is not None:
                    parts.append((delta, w.list_evidence(self.titles[lid], ft.scores[i, 0, k],
                                                         best, tb, runner, tr)))
            for k, qid in enumerate(ft.structure_ids):
                delta = ft.struct_part[i, 0, second_i, k] - ft.struct_part[i, 0, best_i, k]
                if delta > 0 and ft.struct_count[i, 0, k] > 0:
                    parts.append((delta, w.structure_evidence(
                        bank, qid, ft.struct_mean[i, 0, k], int(ft.struct_count[i, 0, k]),
                        best, runner, ft.votes[i, 0, k])))
            parts.sort(key=lambda p: -p[0])
            evidence += [text for _, text in parts[:3]]
        ruled_out = [f for k, f in enumerate(ft.forms)
                     if not np.isfinite(ft.d2[i, 0, k]) and bank.forms.profile(f).requires
                     and best in self.alliance]
        for f in ruled_out:
            req = ", ".join(bank.question_map[q].label for q in bank.forms.profile(f).requires)
            evidence.append(w.ruled_out(f, req))
        if missing:
            evidence.append(w.unknown_structure(missing, len(ft.structure_ids)))
            to_ask.append(w.ask_step(bank, missing))
        pursue = None
        if best not in self.alliance:
            pursue = self._pursue(i, best_i)
        margin = fc.margin[i, 0]
        return FormCall(label, runner, round(float(fc.confidence[i, 0]), 3), evidence, probs,
                        None if not np.isfinite(margin) else round(float(margin), 3),
                        round(float(ft.coverage[i, 0]), 3), to_ask,
                        best in self.alliance, pursue)

    def _pursue(self, i: int, fi: int) -> FormPursuit:
        ft, bank = self.d.forms, self.bank
        form = ft.forms[fi]
        prof = bank.forms.profile(form)
        agree: list[str] = []
        differ: list[str] = []
        parts: list[float] = []
        for k, qid in enumerate(ft.structure_ids):
            if ft.struct_count[i, 0, k] == 0 or qid not in prof.structure:
                continue
            share = ft.struct_part[i, 0, fi, k]
            per_q = bank.forms.structure_weight / max(len(ft.structure_ids), 1)
            den = bank.forms.profile_weight + bank.forms.structure_weight * ft.coverage[i, 0]
            m = math.sqrt(max(share * den / per_q, 0.0))
            parts.append(1.0 - m)
            (agree if m <= 0.25 else differ).append(bank.question_map[qid].label)
        qrows = {r["question_id"]: r for r in self._split["side_questions"]}
        for qid in prof.readiness_questions:
            r = qrows.get(qid)
            v = None if r is None else r.get("pooled", None)
            if r is not None:
                vals = [r[s] for s in SIDES if r.get(s) is not None and not math.isnan(r[s])]
                v = sum(vals) / len(vals) if vals else None
            if v is not None:
                parts.append(v / 100.0)
        readiness = round(sum(parts) / len(parts), 3) if parts else 0.0
        text = w.pursue_text(form, readiness, agree, differ)
        return FormPursuit(form, readiness, text, prof.next_steps[0] if prof.next_steps
                           else None)

    # ---- main ------------------------------------------------------------------------------
    def build(self, engagement: str, parts: dict[str, list[dict[str, Any]]],
              summary: dict[str, Any], i: int) -> ScoreResult:
        """One engagement's result."""
        self._split = parts
        bank, th = self.bank, self.bank.thresholds
        eng = parts["engagements"]
        completeness = float(eng[0]["completeness"]) if eng else 0.0
        people = parts["respondents"]
        per_side: dict[str, int] = {s: sum(1 for p in people if p["side"] == s) for s in SIDES}
        answering = {s: sum(1 for p in people if p["side"] == s and p["answered"] > 0)
                     for s in SIDES}
        dims = self._dimensions(parts["side_lists"])
        roles = {p["respondent"]: p["role"] for p in people}
        spread = self._spread(parts["respondent_lists"], roles)
        qrows = {r["question_id"]: r for r in parts["side_questions"]}
        ranked = self._list_flags(parts["flags"], dims, qrows, spread, i)
        expectations, by_question = self._expectations(parts)
        ranked += self._expectation_flags(expectations, by_question)
        readiness, rflags = self._readiness(i, summary)
        self._last_readiness = readiness
        form = self._form(i, summary)
        host_t, partner_t = summary["host_type"], summary["partner_type"]
        extra: list[tuple[float, Flag, str | None]] = list(rflags)
        if form.status == "disputed":
            extra.append((SEVERITY["form-dispute"] + float(summary["type_mismatch"]), Flag(
                "form-dispute", "structure", None, None, num(summary["type_mismatch"]), True,
                w.dispute_detail(host_t, partner_t)), w.dispute_step(host_t, partner_t)))
        extra += self._team_flags(i, roles)
        for s in SIDES:
            share = summary[f"{s}_share"]
            if share is not None and not math.isnan(share) and share < th.share_low:
                extra.append((SEVERITY["share-nothing"], Flag(
                    "share-nothing", None, s, None, num(share), True,
                    w.share_detail(s, share, share < th.share_nothing)), None))
        for p in sorted(people, key=lambda p: (p["side"], p["respondent"])):
            if p["answered"] < th.completeness_min * p["expected"]:
                extra.append((SEVERITY["incomplete"], Flag(
                    "incomplete", None, p["side"], None,
                    num(100 * p["answered"] / max(p["expected"], 1)), False,
                    w.incomplete_detail(p["role"], p["side"], p["answered"], p["expected"]),
                    p["respondent"]), None))
        too_few = [s for s in SIDES if answering[s] < th.min_respondents_per_side]
        for s in too_few:
            extra.append((SEVERITY["too-few-respondents"], Flag(
                "too-few-respondents", None, s, None, float(answering[s]), True,
                w.too_few_detail(s, answering[s], th.min_respondents_per_side)),
                w._(w.INCOMPLETE_STEP)))
        allf = sorted(extra + ranked, key=lambda x: -x[0])
        if not form.is_alliance and form.recommended != "other":
            # sharing little, a part-time manager or no sponsor are normal for a licence or a
            # service contract: such flags only make sense for an alliance
            allf = [x for x in allf if x[1].kind not in ALLIANCE_ONLY_KINDS]
        flags = [f for _, f, _ in allf]
        causes = self._causes(summary, form, flags, dims)
        health = self.bank.bank.kind == "health-check"
        causes = [replace(c, detail=w.for_round(c.detail, health)) for c in causes]
        intents = self._steps(summary, form, allf, readiness, i)
        steps = [w.for_round(text, health) for _, text in intents]
        reasons = [w.for_round(r, health)
                   for r in self._reasons(summary, form, causes, completeness, dims)]
        fit_map, respondents = self._people(people, parts["respondent_lists"])
        questions = [QuestionScore(
            q["question_id"], q["list"], q["host"], q["partner"], q["gap"],
            q["host_divergence"], q["partner_divergence"],
            bool(self.scored.get(q["question_id"], True)))
            for q in sorted(qrows.values(), key=lambda r: r["order"])]
        return ScoreResult(
            engagement=engagement,
            bank={"id": bank.bank.id, "version": bank.version},
            verdict=summary["verdict"],
            relationship_type=form.recommended or "disputed",
            form=form,
            side_types={"host": host_t, "partner": partner_t},
            completeness=round(completeness, 3),
            respondents_per_side=per_side,
            results_visible=not too_few,
            dimensions=dims,
            fit_map=fit_map,
            flags=flags,
            next_steps=steps,
            step_intents=[k for k, _ in intents],
            reasons=reasons,
            readiness=readiness,
            causes=causes,
            verdict_cause=str(summary["cause"]),
            expectations=expectations,
            expectation_questions=by_question,
            respondents=respondents,
            questions=questions,
        )

    def _expectations(self, parts: dict[str, list[dict[str, Any]]]
                      ) -> tuple[dict[str, ExpectationGap], dict[str, ExpectationGap]]:
        keys = ("host_expects", "partner_actual", "host_miss", "partner_expects",
                "host_actual", "partner_miss")
        lists = {r["list"]: ExpectationGap(self.titles.get(r["list"], r["list"]),
                                           *(num(r[k]) for k in keys))
                 for r in parts.get("expectation_lists", [])}
        lists = {lid: lists[lid] for lid in self.dims if lid in lists}
        questions = {r["question_id"]: ExpectationGap(self.qtext.get(r["question_id"], ""),
                                                      *(num(r[k]) for k in keys))
                     for r in parts.get("expectation_questions", [])}
        return lists, questions

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

    def _people(self, people: list[dict[str, Any]], rl: list[dict[str, Any]]
                ) -> tuple[dict[str, dict[str, float | None]], list[RespondentScore]]:
        axes = self.bank.forms.axes

        def axis(scores: dict[str, float | None], ids: list[str]) -> float | None:
            vals = [v for v in (scores.get(k) for k in ids) if v is not None]
            return round(sum(vals) / len(vals), 1) if vals else None

        by_side = {s: {} for s in (*SIDES, "pooled")}  # type: dict[str, dict[str, float | None]]
        for r in self._split["side_lists"]:
            for s in by_side:
                by_side[s][r["list"]] = r.get(s)
        fit_map = {s: {"share": axis(sc, axes.share), "importance": axis(sc, axes.importance)}
                   for s, sc in by_side.items()}
        mine: dict[str, dict[str, float]] = {}
        for r in rl:
            mine.setdefault(r["respondent"], {})[r["list"]] = r["score"]
        out = []
        for p in people:
            own = mine.get(p["respondent"], {})
            sc = {lid: own.get(lid) for lid in self.dims}
            out.append(RespondentScore(
                p["respondent"], p["name"], p["side"], p["role"], int(p["answered"]),
                int(p["expected"]), round(float(p["completeness"]), 3), sc,
                axis(sc, axes.share), axis(sc, axes.importance)))
        return fit_map, out

    def _causes(self, s: dict[str, Any], form: FormCall, flags: list[Flag],
                dims: dict[str, DimensionScore]) -> list[VerdictCause]:
        th = self.bank.thresholds
        out: list[VerdictCause] = []
        lf = int(s["level_form"])
        if form.status == "disputed":
            out.append(VerdictCause("form-dispute", 1, form.evidence[0]))
        elif form.recommended is None:
            pass
        elif form.recommended == "other":
            out.append(VerdictCause("form", lf, form.evidence[0]))
        elif lf == 2:
            out.append(VerdictCause("form", 2, w.cause_other_form(form.recommended)))
        elif lf == 1:
            out.append(VerdictCause("form", 1, w.cause_unclear_form(
                form.recommended, self._best_non_alliance(form))))
        else:
            out.append(VerdictCause("form", 0, w.cause_clear_form(form.recommended)))
        if int(s["level_far"]):
            far = [w.lower_noun(d.title) for d in dims.values()
                   if d.gap is not None and d.gap >= th.no_fit_gap]
            out.append(VerdictCause("far", 2, w.cause_far(th.no_fit_gap, far)))
        if int(s["level_share"]):
            details = [w.share_detail(side, float(s[f"{side}_share"]),
                                      float(s[f"{side}_share"]) < th.share_nothing)
                       for side in SIDES if float(s[f"{side}_share"]) < th.share_low]
            out.append(VerdictCause("share", int(s["level_share"]), " ".join(details)))
        if int(s["level_blocking"]):
            blocking = [f for f in flags if f.blocking and f.kind in BLOCKING_KINDS]
            out.append(VerdictCause("blocking", 1, w.cause_blocking([f.detail for f in blocking])))
        if int(s["level_readiness"]):
            out.append(VerdictCause("readiness", 1, self._readiness_sentence()))
        for kind in TEAM_KINDS:
            if int(s[f"level_{kind}"]):
                found = [f.detail for f in flags if f.kind == kind]
                out.append(VerdictCause(kind, 1, " ".join(found[:2])))
        return out

    def _readiness_sentence(self) -> str:
        unmet: dict[str, list[str]] = {}
        unknown: dict[str, list[str]] = {}
        labels = {i.id: i.label for i in self.bank.readiness.items}
        labels["sponsor-seniority"] = w._(w.SPONSOR_LABEL)
        labels["hobby-check"] = w._(w.HOBBY_LABEL)
        for c in self._last_readiness:
            if c.met is False:
                unmet.setdefault(c.side, []).append(labels.get(c.id, c.id))
            elif c.met is None:
                unknown.setdefault(c.side, []).append(labels.get(c.id, c.id))
        return w.cause_readiness(unmet, unknown)

    def _best_non_alliance(self, form: FormCall) -> str:
        non = {f: p for f, p in form.probabilities.items() if f not in self.alliance}
        return max(non, key=lambda f: non[f]) if non else "other"

    def _intent(self, f: Flag, step: str) -> str:
        """What a flag's step is for: steps with the same intent are one step."""
        item_of = self.item_of
        fixed = {"form-dispute": "settle-form", "type-mismatch": "settle-form",
                 "low-trust": "build-trust", "hobby": "hobby-check",
                 "too-few-respondents": "complete"}
        if f.kind in fixed:
            return fixed[f.kind]
        if f.kind in ("lone-dissent", "contested-fact"):
            return f"{f.kind}:{f.side}"
        if f.question_id is not None and f.question_id in item_of:
            return item_of[f.question_id]
        if f.question_id is not None and self.q_steps.get(f.question_id) == step:
            return f"question:{f.question_id}"
        if f.dimension == "structure":
            return "settle-form"
        return f"list:{f.dimension}" if f.dimension else f"step:{step[:40]}"

    def _cause_step(self, s: dict[str, Any], form: FormCall,
                    ranked: list[tuple[float, Flag, str | None]],
                    readiness: list[ReadinessCheck]) -> tuple[str, str] | None:
        """The step that answers the verdict's cause (it comes first)."""
        cause = str(s["cause"])
        if cause == "insufficient":
            return "complete", w._(w.INCOMPLETE_STEP)
        kinds = {"form-dispute": ("form-dispute",), "low-trust": ("low-trust",),
                 "lone-dissent": ("lone-dissent",), "contested-fact": ("contested-fact",),
                 "far": ("cross-side-gap",)}
        if cause in kinds:
            for _, f, step in ranked:
                if f.kind in kinds[cause] and step:
                    return self._intent(f, step), step
        if cause == "blocking" and int(s["level_major-gap"]):
            # a gap of half the scale: the lists that say why the deal matters come first
            # (resourcing follows from priority)
            big = [(f.dimension not in self.bank.forms.axes.importance, k, f, step)
                   for k, (_, f, step) in enumerate(ranked)
                   if f.kind == "cross-side-gap" and step and (f.magnitude or 0)
                   >= self.bank.thresholds.no_fit_gap]
            if big:
                _, _, f, step = min(big, key=lambda x: (x[0], x[1]))
                return self._intent(f, step), step
        if cause == "blocking" and int(s["level_hobby"]):
            for _, f, step in ranked:
                if f.kind == "hobby" and step:
                    return "hobby-check", step
        if cause == "readiness":
            for wanted in (False, None):
                for c in readiness:
                    if c.met is wanted and c.step and c.id != "hobby-check":
                        return c.id, c.step
        if cause == "blocking":
            for _, f, step in ranked:
                if f.kind in ("cross-side-gap", "internal-divergence") and step:
                    return self._intent(f, step), step
        if cause in ("form", "clear") and form.recommended not in (None, "other"):
            if int(s["level_form"]) == 1 and form.is_alliance:
                settle = self.list_steps.get("structure") or \
                    (form.to_ask[0] if form.to_ask else None)
                return ("settle-form", settle) if settle else None
            launch = self.bank.forms.profile(form.recommended).next_steps
            return (f"launch:{form.recommended}:0", launch[0]) if launch else None
        if cause == "share":
            share_step = self.list_steps.get(self.bank.forms.axes.share[0])
            return (f"list:{self.bank.forms.axes.share[0]}", share_step) if share_step else None
        return None

    def _label_step(self, i: int, form: FormCall) -> tuple[str, str] | None:
        """A step about the deal's name when a side calls it an alliance form although the
        answers describe another form (or the reverse)."""
        qid = self.bank.forms.label_question
        ft = self.d.forms
        if (qid is None or qid not in ft.structure_ids or form.status != "agreed"
                or form.recommended in (None, "other")):
            return None
        k = ft.structure_ids.index(qid)
        alliance_rec = form.recommended in self.alliance
        calling: dict[str, str] = {}
        for s_, side in enumerate(SIDES):
            point = w.modal_option(self.bank, qid, ft.votes[i, s_ + 1, k])
            if point is None:
                continue
            named = self.bank.question_map[qid].categories or {}
            forms = named.get(point, [])
            if forms and form.recommended not in forms and \
                    any((f in self.alliance) != alliance_rec for f in forms):
                calling[side] = forms[0]
        if not calling:
            return None
        called = next(iter(calling.values()))
        return "label", w.label_step(form.recommended, list(calling), called)

    def _steps(self, s: dict[str, Any], form: FormCall,
               ranked: list[tuple[float, Flag, str | None]],
               readiness: list[ReadinessCheck], i: int) -> list[tuple[str, str]]:
        """At most `max_steps` (intent, step) pairs, most important first: the first answers
        the verdict's cause and no two share an intent."""
        steps: list[tuple[str, str]] = []
        seen: set[str] = set()

        def add(intent: str, step: str | None) -> None:
            if step and intent not in seen and all(step != t for _, t in steps):
                seen.add(intent)
                steps.append((intent, step))

        def add_flag(f: Flag, step: str | None) -> None:
            if step:
                add(self._intent(f, step), step)

        first = self._cause_step(s, form, ranked, readiness)
        if first is not None:
            add(*first)
        if s["verdict"] == "insufficient-data":
            add("complete", w._(w.INCOMPLETE_STEP))
        disputed = form.status == "disputed"
        rec = form.recommended
        if not disputed and rec is not None and rec not in self.alliance and rec != "other":
            launch = self.bank.forms.profile(rec).next_steps
            if launch:
                add(f"launch:{rec}:0", launch[0])
            label = self._label_step(i, form)
            if label is not None:
                add(*label)
            for k, later in enumerate(launch[1:], start=1):
                add(f"launch:{rec}:{k}", later)
            evidence = set(self.bank.forms.form_questions())
            for _, f, step in ranked:
                if f.kind == "structure-gap" and f.question_id in evidence:
                    add_flag(f, step)
            for ask in form.to_ask:
                add("ask-structure", ask)
            return steps[:self.bank.thresholds.max_steps]
        for _, f, step in ranked:
            if f.kind in ("form-dispute", *TEAM_KINDS):
                add_flag(f, step)
        if s["verdict"] == "fit" and rec is not None and not disputed:
            for k, text in enumerate(self.bank.forms.profile(rec).next_steps):
                add(f"launch:{rec}:{k}", text)
        if not disputed:
            label = self._label_step(i, form)
            if label is not None:
                add(*label)
        if int(s["level_form"]) == 1 and not disputed:
            add("settle-form", self.list_steps.get("structure"))
            for ask in form.to_ask:
                add("ask-structure", ask)
        # while the two sides picture different deals, any other step would be an operating
        # step of one form (a steering committee, a service level, a budget line): the gaps
        # are symptoms of the dispute and wait until it is settled; only the people's own
        # disagreements (trust, a dissenter, a contested fact) are worth settling first
        before_form = {"form-dispute", *TEAM_KINDS}

        def waits(f: Flag) -> bool:
            return disputed and f.kind not in before_form
        for _, f, step in ranked:
            if f.blocking and not waits(f):
                add_flag(f, step)
        for wanted in (False, None) if not disputed else ():
            for c in readiness:
                if c.met is wanted and c.id != "hobby-check":
                    add(c.id, c.step)
            for c in readiness:
                if c.met is wanted and c.id == "hobby-check":
                    add(c.id, c.step)
        for _, f, step in ranked:
            if not f.blocking and not waits(f):
                add_flag(f, step)
        for ask in form.to_ask:
            add("ask-structure", ask)
        return steps[:self.bank.thresholds.max_steps]

    def _reasons(self, s: dict[str, Any], form: FormCall, causes: list[VerdictCause],
                 completeness: float, dims: dict[str, DimensionScore]) -> list[str]:
        th = self.bank.thresholds
        reasons: list[str] = []
        if s["verdict"] == "insufficient-data":
            reasons.append(w.reason_insufficient(completeness, th.completeness_min,
                                                 th.min_respondents_per_side))
        elif s["verdict"] == "fit":
            reasons.append(w.reason_fit(form.recommended or "other"))
        alliance_question = form.is_alliance or form.recommended in ("other", None)
        for c in sorted(causes, key=lambda c: -c.level):
            if not alliance_question and c.level < 2:
                continue
            if c.level > 0 or (s["verdict"] not in ("fit", "insufficient-data")
                               and c.kind == "form"):
                reasons.append(c.detail)
        if form.pursue is not None:
            reasons.append(form.pursue.detail)
        has_scores = any(d.pooled is not None for d in dims.values())
        if has_scores:
            reasons += form.evidence[1:] if form.recommended != "other" else []
        else:
            reasons.append(w._(w.NO_ANSWERS))
        for side in SIDES:
            t = s[f"{side}_type"]
            if t and t != form.recommended and t != "other":
                reasons.append(w.reason_side_form(side, t))
        return reasons
