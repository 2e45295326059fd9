"""The builder's causes of the verdict and the reasons that explain it."""

from __future__ import annotations

from typing import Any

from ...domain import BLOCKING_KINDS, SIDES, TEAM_KINDS
from ...presenting import wording as w
from ..model import DimensionScore, Flag, FormCall, VerdictCause
from .base import BuilderBase


class ReasonsPart(BuilderBase):
    """The builder's causes of the verdict and the reasons that explain it."""

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
