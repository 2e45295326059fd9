"""The builder's form call: the form, each side's picture of the deal, the form to pursue."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from ...domain import SIDES
from ...presenting import wording as w
from ..model import FormCall, FormPursuit
from .base import BuilderBase


class FormPart(BuilderBase):
    """The builder's form call: the form, each side's picture of the deal, the form to pursue."""

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
        call = self._pooled_form(i)
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

    def _pooled_form(self, i: int) -> FormCall:
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
