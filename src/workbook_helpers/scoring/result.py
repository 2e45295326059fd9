"""Build one engagement's typed `ScoreResult` from the portfolio-wide tables.

The numbers come from `tables`, `forms`, `readiness` and `verdict` (decided there for every
engagement at once); this module picks one engagement's rows, turns them into the typed model
and asks `wording` for the sentences.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..bank import Bank
from ..domain import SIDES
from . import wording as w
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
SEVERITY = {"too-few-respondents": 10.0, "type-mismatch": 6.0, "share-nothing": 5.0,
            "hobby": 4.0, "readiness": 1.5, "seniority-mismatch": 1.2, "incomplete": 0.5}
ALLIANCE_ONLY_FLAGS = ("readiness", "hobby", "share-nothing", "low-score")
LIST_FLAG_KINDS_WITH_LIST_STEP = ("cross-side-gap", "internal-divergence", "question-gap",
                                  "question-divergence", "structure-gap")


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
                spread[key] = (f", from {roles.get(hi['respondent']) or 'a respondent'} at "
                               f"{hi['score']:.0f} to "
                               f"{roles.get(lo['respondent']) or 'a respondent'} at "
                               f"{lo['score']:.0f}")
        return spread

    def _structure_sides(self, qid: str, qrow: dict[str, Any]) -> str:
        q = self.bank.question_map[qid]
        parts = []
        for side in SIDES:
            pos = qrow.get(side)
            if pos is None or (isinstance(pos, float) and math.isnan(pos)):
                continue
            raw = q.scale.min + pos / 100.0 * (q.scale.max - q.scale.min)
            parts.append(f"the {side} answers {raw:.1f} "
                         f"(\u201c{w.anchor_at(self.bank, qid, raw)}\u201d)")
        return ", ".join(parts)

    def _list_flags(self, e_flags: list[dict[str, Any]], dims: dict[str, DimensionScore],
                    qrows: dict[str, dict[str, Any]], spread: dict[tuple[str, str], str]
                    ) -> list[tuple[float, Flag, str | None]]:
        out = []
        for f in e_flags:
            qid = f["question_id"] if isinstance(f["question_id"], str) else None
            if f["kind"] == "structure-gap" and qid is not None:
                f = {**f, "label": self.bank.question_map[qid].label,
                     "sides_text": self._structure_sides(qid, qrows[qid])}
            detail = w.list_flag_detail(f, self.titles, self.qtext, dims, qrows, spread)
            step = None
            if qid is not None:
                step = self.q_steps.get(qid)
                if step is None and f["kind"] in LIST_FLAG_KINDS_WITH_LIST_STEP:
                    step = self.list_steps.get(f["dimension"])
            else:
                step = self.list_steps.get(f["dimension"])
            flag = Flag(f["kind"], f["dimension"],
                        f["side"] if isinstance(f["side"], str) else None, qid,
                        num(f["magnitude"]), bool(f["blocking"]), detail)
            out.append((float(f["severity"]), flag, step))
        return out

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
                          f"The {side} side's commitments match the priority it gives the "
                          "alliance." if known else
                          f"The {side} side's priority and commitments are not known yet.")
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

    def _form(self, i: int, summary: dict[str, Any]) -> FormCall:
        ft, fc, bank = self.d.forms, self.d.choice, self.bank
        best_i, second_i = int(fc.best[i, 0]), int(fc.second[i, 0])
        label = str(fc.labels[i, 0])
        probs = {f: round(float(fc.prob[i, 0, k]), 3) for k, f in enumerate(ft.forms)}
        missing = [q for k, q in enumerate(ft.structure_ids) if ft.struct_count[i, 0, k] == 0]
        evidence: list[str] = []
        to_ask: list[str] = []
        if best_i < 0:
            lacking = [self.titles[d].lower() for k, d in enumerate(ft.dims)
                       if np.isnan(ft.scores[i, 0, k])]
            evidence.append("The form cannot be read: nobody has answered "
                            + ", ".join(lacking) + ".")
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
                        best, runner)))
            parts.sort(key=lambda p: -p[0])
            evidence += [text for _, text in parts[:3]]
        ruled_out = [f for k, f in enumerate(ft.forms)
                     if not np.isfinite(ft.d2[i, 0, k]) and bank.forms.profile(f).requires
                     and best in self.alliance]
        for f in ruled_out:
            req = ", ".join(bank.question_map[q].label for q in bank.forms.profile(f).requires)
            evidence.append(f"{w.phrase(f).capitalize()} is ruled out: no answer points to "
                            f"the {req} it needs.")
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
        text = f"Readiness for {w.phrase(form)}: {readiness:.0%}."
        if agree:
            text += " Both teams' answers already match it on " + ", ".join(agree) + "."
        if differ:
            text += " They do not yet on " + ", ".join(differ) + "."
        if not agree and not differ:
            text += " Nobody has answered the structure questions yet."
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
        per_side = {s: sum(1 for p in people if p["side"] == s) for s in SIDES}
        answering = {s: sum(1 for p in people if p["side"] == s and p["answered"] > 0)
                     for s in SIDES}
        dims = self._dimensions(parts["side_lists"])
        roles = {p["respondent"]: p["role"] for p in people}
        spread = self._spread(parts["respondent_lists"], roles)
        qrows = {r["question_id"]: r for r in parts["side_questions"]}
        ranked = self._list_flags(parts["flags"], dims, qrows, spread)
        expectations, by_question = self._expectations(parts)
        ranked += self._expectation_flags(expectations, by_question)
        readiness, rflags = self._readiness(i, summary)
        self._last_readiness = readiness
        form = self._form(i, summary)
        host_t, partner_t = summary["host_type"], summary["partner_type"]
        extra: list[tuple[float, Flag, str | None]] = list(rflags)
        if summary["type_mismatch"] > 0:
            extra.append((SEVERITY["type-mismatch"] + float(summary["type_mismatch"]), Flag(
                "type-mismatch", None, None, None, num(summary["type_mismatch"]), True,
                w.mismatch_detail(str(host_t), str(partner_t))), w.TYPE_MISMATCH_STEP))
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
                    f"{w.who(p['role'], p['side']).capitalize()} has answered "
                    f"{p['answered']} of {p['expected']} questions.", p["respondent"]), None))
        too_few = [s for s in SIDES if answering[s] < th.min_respondents_per_side]
        for s in too_few:
            extra.append((SEVERITY["too-few-respondents"], Flag(
                "too-few-respondents", None, s, None, float(answering[s]), True,
                f"{answering[s]} {s} respondent(s) have answered; results need at least "
                f"{th.min_respondents_per_side} per side."), w.INCOMPLETE_STEP))
        allf = sorted(extra + ranked, key=lambda x: -x[0])
        if not form.is_alliance and form.recommended != "other":
            # sharing little, a part-time manager or no sponsor are normal for a licence or a
            # service contract: such flags only make sense for an alliance
            allf = [x for x in allf if x[1].kind not in ALLIANCE_ONLY_FLAGS]
        flags = [f for _, f, _ in allf]
        causes = self._causes(summary, form, flags, dims)
        steps = self._steps(summary, form, allf, readiness)
        reasons = self._reasons(summary, form, causes, completeness, dims)
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
            relationship_type=form.recommended,
            form=form,
            side_types={"host": host_t, "partner": partner_t},
            completeness=round(completeness, 3),
            respondents_per_side=per_side,
            results_visible=not too_few,
            dimensions=dims,
            fit_map=fit_map,
            flags=flags,
            next_steps=steps,
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
        if form.recommended == "other":
            out.append(VerdictCause("form", lf, form.evidence[0]))
        elif lf == 2:
            out.append(VerdictCause("form", 2, w.cause_other_form(form.recommended)))
        elif lf == 1:
            out.append(VerdictCause("form", 1, w.cause_unclear_form(
                form.recommended, self._best_non_alliance(form))))
        else:
            out.append(VerdictCause("form", 0, w.cause_clear_form(form.recommended)))
        if int(s["level_far"]):
            far = [d.title.lower() for d in dims.values()
                   if d.gap is not None and d.gap >= th.no_fit_gap]
            out.append(VerdictCause("far", 2, w.cause_far(th.no_fit_gap, far)))
        if int(s["level_share"]):
            details = [w.share_detail(side, float(s[f"{side}_share"]),
                                      float(s[f"{side}_share"]) < th.share_nothing)
                       for side in SIDES if float(s[f"{side}_share"]) < th.share_low]
            out.append(VerdictCause("share", int(s["level_share"]), " ".join(details)))
        if int(s["level_blocking"]):
            blocking = [f for f in flags if f.blocking and f.kind != "readiness"
                        and f.kind != "share-nothing" and f.kind != "too-few-respondents"]
            out.append(VerdictCause("blocking", 1, w.cause_blocking([f.detail for f in blocking])))
        if int(s["level_readiness"]):
            out.append(VerdictCause("readiness", 1, self._readiness_sentence()))
        return out

    def _readiness_sentence(self) -> str:
        unmet: dict[str, list[str]] = {}
        unknown: dict[str, list[str]] = {}
        labels = {i.id: i.label for i in self.bank.readiness.items}
        labels["sponsor-seniority"] = "sponsors of matching seniority"
        labels["hobby-check"] = "commitments that match the stated priority"
        for c in self._last_readiness:
            if c.met is False:
                unmet.setdefault(c.side, []).append(labels.get(c.id, c.id))
            elif c.met is None:
                unknown.setdefault(c.side, []).append(labels.get(c.id, c.id))
        return w.cause_readiness(unmet, unknown)

    def _best_non_alliance(self, form: FormCall) -> str:
        non = {f: p for f, p in form.probabilities.items() if f not in self.alliance}
        return max(non, key=lambda f: non[f]) if non else "other"

    def _steps(self, s: dict[str, Any], form: FormCall,
               ranked: list[tuple[float, Flag, str | None]],
               readiness: list[ReadinessCheck]) -> list[str]:
        steps: list[str] = []

        def add(step: str | None) -> None:
            if step and step not in steps:
                steps.append(step)

        if s["verdict"] == "insufficient-data":
            add(w.INCOMPLETE_STEP)
        if form.recommended not in self.alliance and form.recommended != "other":
            for launch in self.bank.forms.profile(form.recommended).next_steps:
                add(launch)
            evidence = set(self.bank.forms.form_questions())
            for _, f, step in ranked:
                if f.kind == "structure-gap" and f.question_id in evidence:
                    add(step)
            for ask in form.to_ask:
                add(ask)
            return steps
        if s["verdict"] == "fit":
            for launch in self.bank.forms.profile(form.recommended).next_steps:
                add(launch)
        for _, f, step in ranked:
            if f.kind == "type-mismatch":
                add(step)
        if int(s["level_form"]) == 1:
            add(self.list_steps.get("structure"))
            for ask in form.to_ask:
                add(ask)
        for _, f, step in ranked:
            if f.blocking and f.kind not in ("readiness", "hobby", "type-mismatch"):
                add(step)
        for c in readiness:
            if c.met is False and c.id != "hobby-check":
                add(c.step)
        for c in readiness:
            if c.met is False and c.id == "hobby-check":
                add(c.step)
        for c in readiness:
            if c.met is None:
                add(c.step)
        for _, f, step in ranked:
            if not f.blocking:
                add(step)
        for ask in form.to_ask:
            add(ask)
        return steps

    def _reasons(self, s: dict[str, Any], form: FormCall, causes: list[VerdictCause],
                 completeness: float, dims: dict[str, DimensionScore]) -> list[str]:
        th = self.bank.thresholds
        reasons: list[str] = []
        if s["verdict"] == "insufficient-data":
            reasons.append(w.reason_insufficient(completeness, th.completeness_min,
                                                 th.min_respondents_per_side))
        elif s["verdict"] == "fit":
            reasons.append(w.reason_fit(form.recommended))
        alliance_question = form.is_alliance or form.recommended == "other"
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
            reasons.append(w.NO_ANSWERS)
        for side in SIDES:
            t = s[f"{side}_type"]
            if t and t != form.recommended and t != "other":
                reasons.append(w.reason_side_form(side, t))
        return reasons
