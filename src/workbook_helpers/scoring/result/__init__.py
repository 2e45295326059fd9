"""Build one engagement's typed `ScoreResult` from the portfolio-wide tables.

The numbers come from `tables`, `forms`, `readiness` and `verdict` (decided there for every
engagement at once); this package picks one engagement's rows, turns them into the typed model
and asks `wording` for the sentences. One part per concern: `flags`, `readiness`, `form`,
`steps` and `reasons`; `base` holds what they share; `ResultBuilder` puts them together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...domain import ALLIANCE_ONLY_KINDS, SIDES
from ...presenting import wording as w
from ..model import DimensionScore, ExpectationGap, QuestionScore, RespondentScore, ScoreResult
from .base import EXPECTATION_SEVERITY, SEVERITY, BuilderBase, num
from .flags import FlagsPart
from .form import FormPart
from .readiness import ReadinessPart
from .reasons import ReasonsPart
from .steps import StepsPart

__all__ = ["EXPECTATION_SEVERITY", "SEVERITY", "ResultBuilder", "num"]


class ResultBuilder(FlagsPart, ReadinessPart, FormPart, StepsPart, ReasonsPart, BuilderBase):
    """Turns the decision tables into one `ScoreResult` per engagement."""

    def build(self, engagement: str, parts: dict[str, list[dict[str, Any]]],
              summary: dict[str, Any], i: int) -> ScoreResult:
        """One engagement's result."""
        self._split = parts
        eng = parts["engagements"]
        completeness = float(eng[0]["completeness"]) if eng else 0.0
        people = parts["respondents"]
        dims = self._dimensions(parts["side_lists"])
        roles = {p["respondent"]: p["role"] for p in people}
        qrows = {r["question_id"]: r for r in parts["side_questions"]}
        ranked = self._list_flags(parts["flags"], dims, qrows,
                                  self._spread(parts["respondent_lists"], roles), i)
        expectations, by_question = self._expectations(parts)
        ranked += self._expectation_flags(expectations, by_question)
        readiness, rflags = self._readiness(i)
        self._last_readiness = readiness
        form = self._form(i, summary)
        too_few = self._too_few(people)
        allf = sorted(rflags + self._engagement_flags(i, summary, form, people, roles)
                      + [(SEVERITY["too-few-respondents"], f, w._(w.INCOMPLETE_STEP))
                         for f in too_few] + ranked, key=lambda x: -x[0])
        if not form.is_alliance and form.recommended != "other":
            # sharing little, a part-time manager or no sponsor are normal for a licence or a
            # service contract: such flags only make sense for an alliance
            allf = [x for x in allf if x[1].kind not in ALLIANCE_ONLY_KINDS]
        flags = [f for _, f, _ in allf]
        health = self.bank.bank.kind == "health-check"
        causes = [replace(c, detail=w.for_round(c.detail, health))
                  for c in self._causes(summary, form, flags, dims)]
        intents = self._steps(summary, form, allf, readiness, i)
        fit_map, respondents = self._people(people, parts["respondent_lists"])
        return ScoreResult(
            engagement=engagement,
            bank={"id": self.bank.bank.id, "version": self.bank.version},
            verdict=summary["verdict"],
            relationship_type=form.recommended or "disputed",
            form=form,
            side_types={"host": summary["host_type"], "partner": summary["partner_type"]},
            completeness=round(completeness, 3),
            respondents_per_side={s: sum(1 for p in people if p["side"] == s) for s in SIDES},
            results_visible=not too_few,
            dimensions=dims,
            fit_map=fit_map,
            flags=flags,
            next_steps=[w.for_round(text, health) for _, text in intents],
            step_intents=[k for k, _ in intents],
            reasons=[w.for_round(r, health)
                     for r in self._reasons(summary, form, causes, completeness, dims)],
            readiness=readiness,
            causes=causes,
            verdict_cause=str(summary["cause"]),
            expectations=expectations,
            expectation_questions=by_question,
            respondents=respondents,
            questions=self._questions(qrows),
        )

    def _questions(self, qrows: dict[str, dict[str, Any]]) -> list[QuestionScore]:
        """Every question's scores, in the bank's order."""
        return [QuestionScore(
            q["question_id"], q["list"], q["host"], q["partner"], q["gap"],
            q["host_divergence"], q["partner_divergence"],
            bool(self.scored.get(q["question_id"], True)))
            for q in sorted(qrows.values(), key=lambda r: r["order"])]

    def _dimensions(self, rows: list[dict[str, Any]]) -> dict[str, DimensionScore]:
        by_list = {r["list"]: r for r in rows}
        out = {}
        for lid in self.dims:
            r = by_list.get(lid, {})
            out[lid] = DimensionScore(
                self.titles[lid], r.get("host"), r.get("partner"), r.get("gap"),
                r.get("pooled"), r.get("host_divergence"), r.get("partner_divergence"))
        return out

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
