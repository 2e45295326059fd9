"""The builder's next steps: the first answers the verdict's cause, no two share an intent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...domain import SIDES, TEAM_KINDS
from ...presenting import wording as w
from ..model import Flag, FormCall, ReadinessCheck
from .base import BuilderBase


class _StepList:
    """Next steps being collected: (intent, step) pairs, no two with the same intent or text."""

    def __init__(self, intent: Callable[[Flag, str], str]) -> None:
        self.steps: list[tuple[str, str]] = []
        self.seen: set[str] = set()
        self.intent = intent

    def add(self, intent: str, step: str | None) -> None:
        """Add a step unless it is empty or its intent or text is there already."""
        if step and intent not in self.seen and all(step != t for _, t in self.steps):
            self.seen.add(intent)
            self.steps.append((intent, step))

    def add_flag(self, f: Flag, step: str | None) -> None:
        """Add a flag's step, with the flag's intent."""
        if step:
            self.add(self.intent(f, step), step)


class StepsPart(BuilderBase):
    """The builder's next steps: the first answers the verdict's cause, no two share an intent."""

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
        out = _StepList(self._intent)
        first = self._cause_step(s, form, ranked, readiness)
        if first is not None:
            out.add(*first)
        if s["verdict"] == "insufficient-data":
            out.add("complete", w._(w.INCOMPLETE_STEP))
        rec = form.recommended
        if form.status != "disputed" and rec is not None and rec not in self.alliance \
                and rec != "other":
            self._other_form_steps(out, rec, form, ranked, i)
        else:
            self._alliance_steps(out, s, form, ranked, readiness, i)
        return out.steps[:self.bank.thresholds.max_steps]

    def _other_form_steps(self, out: _StepList, rec: str, form: FormCall,
                          ranked: list[tuple[float, Flag, str | None]], i: int) -> None:
        """Another form fits better: the steps that launch it, then what to settle about
        the deal's structure."""
        launch = self.bank.forms.profile(rec).next_steps
        if launch:
            out.add(f"launch:{rec}:0", launch[0])
        label = self._label_step(i, form)
        if label is not None:
            out.add(*label)
        for k, later in enumerate(launch[1:], start=1):
            out.add(f"launch:{rec}:{k}", later)
        evidence = set(self.bank.forms.form_questions())
        for _, f, step in ranked:
            if f.kind == "structure-gap" and f.question_id in evidence:
                out.add_flag(f, step)
        for ask in form.to_ask:
            out.add("ask-structure", ask)

    def _alliance_steps(self, out: _StepList, s: dict[str, Any], form: FormCall,
                        ranked: list[tuple[float, Flag, str | None]],
                        readiness: list[ReadinessCheck], i: int) -> None:
        """An alliance form (or a disputed or unreadable one): the people's disagreements,
        the launch, the deal's name and structure, the blocking flags, the readiness
        conditions, then the rest."""
        disputed = form.status == "disputed"
        rec = form.recommended
        for _, f, step in ranked:
            if f.kind in ("form-dispute", *TEAM_KINDS):
                out.add_flag(f, step)
        if s["verdict"] == "fit" and rec is not None and not disputed:
            for k, text in enumerate(self.bank.forms.profile(rec).next_steps):
                out.add(f"launch:{rec}:{k}", text)
        if not disputed:
            label = self._label_step(i, form)
            if label is not None:
                out.add(*label)
        if int(s["level_form"]) == 1 and not disputed:
            out.add("settle-form", self.list_steps.get("structure"))
            for ask in form.to_ask:
                out.add("ask-structure", ask)
        # while the two sides picture different deals, any other step would be an operating
        # step of one form (a steering committee, a service level, a budget line): the gaps
        # are symptoms of the dispute and wait until it is settled; only the people's own
        # disagreements (trust, a dissenter, a contested fact) are worth settling first
        before_form = {"form-dispute", *TEAM_KINDS}

        def waits(f: Flag) -> bool:
            return disputed and f.kind not in before_form
        for _, f, step in ranked:
            if f.blocking and not waits(f):
                out.add_flag(f, step)
        for wanted in (False, None) if not disputed else ():
            for c in readiness:
                if c.met is wanted and c.id != "hobby-check":
                    out.add(c.id, c.step)
            for c in readiness:
                if c.met is wanted and c.id == "hobby-check":
                    out.add(c.id, c.step)
        for _, f, step in ranked:
            if not f.blocking and not waits(f):
                out.add_flag(f, step)
        for ask in form.to_ask:
            out.add("ask-structure", ask)
