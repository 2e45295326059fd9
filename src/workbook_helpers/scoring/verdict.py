"""Turn score tables and flags into the contract's result: verdict, type, reasons, next steps."""

from __future__ import annotations

import math
from typing import Any

from ..bank import Bank
from .classify import TYPE_LABELS, type_reason

SIDE_NAMES = {"host": "host", "partner": "partner"}
TYPE_MISMATCH_STEP = ("Hold a joint session on what kind of relationship this is before "
                      "discussing terms: the two teams are describing different deals.")
INCOMPLETE_STEP = ("Ask the missing respondents to finish the questionnaire; the verdict waits "
                   "for enough answers.")
FIT_STEP = ("Write the shared assumptions down as the first page of the alliance charter and "
            "revisit them at the first milestone review.")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else round(f, 1)


def _who(role: str, side: str) -> str:
    return f"{role or 'a respondent'} ({side})"


class Assembler:
    """Builds one engagement's result from the portfolio-wide tables."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.titles = {lst.id: lst.title for lst in bank.lists}
        self.qtext = {q.id: q.text for q in bank.questions}
        self.list_steps = {lst.id: lst.next_step for lst in bank.lists}
        self.q_steps = {q.id: q.next_step for q in bank.questions}
        self.forms = set(bank.relationship_types.alliance_forms)

    # ---- sentences -------------------------------------------------------------------------
    def _detail(self, f: dict[str, Any], lists: dict[str, dict[str, Any]],
                qrows: dict[str, dict[str, Any]], spread: dict[tuple[str, str], str]) -> str:
        kind, dim, side = f["kind"], f["dimension"], f["side"]
        title = self.titles.get(dim, dim)
        th = f["threshold"]
        if kind == "cross-side-gap":
            d = lists[dim]
            return (f"On {title.lower()} the host scores {d['host']:.0f} and the partner "
                    f"{d['partner']:.0f} out of 100: a {f['magnitude']:.0f}-point gap "
                    f"(flagged from {th:.0f}).")
        if kind == "internal-divergence":
            who = spread.get((side, dim), "")
            return (f"Inside the {side} team, scores on {title.lower()} spread over "
                    f"{f['magnitude']:.0f} points{who} (flagged from {th:.0f}).")
        q = qrows[f["question_id"]]
        text = self.qtext.get(f["question_id"], f["question_id"])
        if kind == "question-gap":
            return (f"\u201c{text}\u201d: host {q['host']:.0f}, partner {q['partner']:.0f} "
                    f"out of 100, {f['magnitude']:.0f} points apart.")
        if kind == "question-divergence":
            return (f"\u201c{text}\u201d: answers inside the {side} team are "
                    f"{f['magnitude']:.0f} points apart.")
        if kind == "low-score":
            return (f"\u201c{text}\u201d: the {side} scores {q[side]:.0f} out of 100 "
                    f"(below {th:.0f}).")
        return str(kind)

    # ---- main ------------------------------------------------------------------------------
    def assemble(self, engagement: str, parts: dict[str, list[dict[str, Any]]],
                 summary: dict[str, Any]) -> dict[str, Any]:
        """One engagement's result dict (the JSON score output) from its table records."""
        th = self.bank.thresholds
        eng = parts["engagements"]
        completeness = float(eng[0]["completeness"]) if eng else 0.0
        people = parts["respondents"]
        per_side = {s: sum(1 for p in people if p["side"] == s) for s in ("host", "partner")}
        answering = {s: sum(1 for p in people if p["side"] == s and p["answered"] > 0)
                     for s in ("host", "partner")}
        by_list = {r["list"]: r for r in parts["side_lists"]}
        lists: dict[str, dict[str, Any]] = {}
        for lid in self.bank.list_ids():
            row = by_list.get(lid, {})
            lists[lid] = {"title": self.titles[lid]} | {
                k: _num(row.get(k)) for k in ("host", "partner", "gap", "pooled",
                                              "host_divergence", "partner_divergence")}
        rl = parts["respondent_lists"]
        roles = {p["respondent"]: p["role"] for p in people}
        spread: dict[tuple[str, str], str] = {}
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rl:
            grouped.setdefault((r["side"], r["list"]), []).append(r)
        for key, grp in grouped.items():
            if len(grp) > 1:
                hi = max(grp, key=lambda r: (r["score"], r["respondent"]))
                lo = min(grp, key=lambda r: (r["score"], r["respondent"]))
                spread[key] = (
                    f", from {roles.get(hi['respondent']) or 'a respondent'} at "
                    f"{hi['score']:.0f} to {roles.get(lo['respondent']) or 'a respondent'} at "
                    f"{lo['score']:.0f}")
        qrows = {r["question_id"]: r for r in parts["side_questions"]}
        flags_out: list[dict[str, Any]] = []
        steps: list[str] = []
        for f in parts["flags"]:
            qid = f["question_id"] if isinstance(f["question_id"], str) else None
            flags_out.append({
                "kind": f["kind"], "dimension": f["dimension"],
                "side": f["side"] if isinstance(f["side"], str) else None,
                "question_id": qid,
                "magnitude": _num(f["magnitude"]), "blocking": bool(f["blocking"]),
                "detail": self._detail(f, lists, qrows, spread),
            })
            step = None
            if qid is not None:
                step = self.q_steps.get(qid)
                if step is None and f["kind"] != "low-score":
                    step = self.list_steps.get(f["dimension"])
            else:
                step = self.list_steps.get(f["dimension"])
            if step and step not in steps:
                steps.append(step)
        # flags that are not about one list
        host_t, partner_t = summary["host_type"], summary["partner_type"]
        pooled_t = str(summary["relationship_type"])
        extra: list[dict[str, Any]] = []
        if host_t and partner_t and host_t != partner_t:
            extra.append({"kind": "type-mismatch", "dimension": None, "side": None,
                          "question_id": None, "magnitude": None, "blocking": True,
                          "detail": f"The host's answers point to {TYPE_LABELS[host_t]}, the "
                                    f"partner's to {TYPE_LABELS[partner_t]}."})
            steps.insert(0, TYPE_MISMATCH_STEP)
        for p in sorted(people, key=lambda p: (p["side"], p["respondent"])):
            if p["answered"] < th.completeness_min * p["expected"]:
                extra.append({"kind": "incomplete", "dimension": None, "side": p["side"],
                              "question_id": None, "respondent": p["respondent"],
                              "magnitude": _num(100 * p["answered"] / max(p["expected"], 1)),
                              "blocking": False,
                              "detail": f"{_who(p['role'], p['side']).capitalize()} has answered "
                                        f"{p['answered']} of {p['expected']} questions."})
        too_few = [s for s in ("host", "partner") if answering[s] < th.min_respondents_per_side]
        for s in too_few:
            extra.append({"kind": "too-few-respondents", "dimension": None, "side": s,
                          "question_id": None, "magnitude": answering[s], "blocking": True,
                          "detail": f"{answering[s]} {s} respondent(s) have answered; results "
                                    f"need at least {th.min_respondents_per_side} per side."})
        flags_all = extra + flags_out
        blocking = [f for f in flags_all if f["blocking"]]
        far = [lid for lid, d in lists.items()
               if d["gap"] is not None and d["gap"] >= th.no_fit_gap]
        reasons: list[str] = []
        cause, verdict = summary["cause"], summary["verdict"]
        if cause == "insufficient":
            reasons.append(
                f"Only {completeness:.0%} of the expected answers are in; the bank asks for "
                f"{th.completeness_min:.0%} and at least {th.min_respondents_per_side} "
                f"respondents per side before it gives a verdict.")
            if INCOMPLETE_STEP not in steps:
                steps.insert(0, INCOMPLETE_STEP)
        elif cause == "form":
            reasons.append(f"Taken together the answers describe {TYPE_LABELS[pooled_t]}, not "
                           "an alliance: plan the deal as that form of relationship instead.")
        elif cause == "far":
            names = ", ".join(self.titles[lid].lower() for lid in far)
            reasons.append(f"The sides are too far apart on {names} (a gap of "
                           f"{th.no_fit_gap:.0f} points or more) to launch an alliance as "
                           "things stand.")
        elif cause == "blocking":
            reasons.append(f"The answers fit {TYPE_LABELS[pooled_t]}, but {len(blocking)} "
                           "issue(s) should be resolved before launch: "
                           + " ".join(f["detail"] for f in blocking[:3]))
        else:
            reasons.append(f"The answers fit {TYPE_LABELS[pooled_t]} and no blocking "
                           "disagreement stands between or inside the teams.")
            steps.append(FIT_STEP)
        pooled_scores = {lid: d["pooled"] for lid, d in lists.items()}
        if any(v is not None for v in pooled_scores.values()):
            reasons.append(type_reason(self.bank, pooled_t, pooled_scores,
                                       "Both teams' answers together"))
        else:
            reasons.append("No answers are in yet, so the kind of relationship cannot be "
                           "read from them.")
        for side, t in (("host", host_t), ("partner", partner_t)):
            if t and t != pooled_t:
                reasons.append(type_reason(self.bank, t, {lid: d[side] for lid, d in lists.items()},
                                           f"The {side} team's answers"))
        axes = self.bank.relationship_types.axes

        def axis(scores: dict[str, float | None], ids: list[str]) -> float | None:
            vals = [v for v in (scores.get(i) for i in ids) if v is not None]
            return round(sum(vals) / len(vals), 1) if vals else None

        fit_map: dict[str, Any] = {}
        for who in ("host", "partner", "pooled"):
            sc = {lid: d[who] for lid, d in lists.items()}
            fit_map[who] = {"share": axis(sc, axes.share), "importance": axis(sc, axes.importance)}
        resp_scores: dict[str, dict[str, float]] = {}
        for r in rl:
            resp_scores.setdefault(r["respondent"], {})[r["list"]] = r["score"]
        respondents = []
        for p in people:
            mine = resp_scores.get(p["respondent"], {})
            sc = {lid: _num(mine.get(lid)) for lid in self.bank.list_ids()}
            respondents.append({
                "id": p["respondent"], "name": p["name"], "side": p["side"], "role": p["role"],
                "answered": int(p["answered"]), "expected": int(p["expected"]),
                "completeness": round(float(p["completeness"]), 3), "scores": sc,
                "share": axis(sc, axes.share), "importance": axis(sc, axes.importance),
            })
        questions = [{
            "id": q["question_id"], "list": q["list"],
            "host": _num(q["host"]), "partner": _num(q["partner"]), "gap": _num(q["gap"]),
            "host_divergence": _num(q["host_divergence"]),
            "partner_divergence": _num(q["partner_divergence"]),
        } for q in sorted(qrows.values(), key=lambda r: r["order"])]
        discuss = [f for f in flags_all if f["kind"] in
                   ("type-mismatch", "cross-side-gap", "internal-divergence", "question-gap",
                    "question-divergence")]
        return {
            "engagement": engagement,
            "bank": {"id": self.bank.bank.id, "version": self.bank.version},
            "verdict": verdict,
            "relationship_type": pooled_t,
            "side_types": {"host": host_t, "partner": partner_t},
            "completeness": round(completeness, 3),
            "respondents_per_side": per_side,
            "results_visible": not too_few,
            "dimensions": lists,
            "fit_map": fit_map,
            "flags": flags_all,
            "discuss": [{"rank": i + 1, **f} for i, f in enumerate(discuss)],
            "next_steps": steps,
            "reasons": reasons,
            "respondents": respondents,
            "questions": questions,
        }
