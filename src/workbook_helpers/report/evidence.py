"""The answers behind each point the report asks the sides to discuss: for a question, each
side's answers person by person and what those answers mean on the scale; for an expectation
gap, what one side expected of the other and what the other side answered. Used by
`content.gaps` (the cards of the points to discuss)."""

from __future__ import annotations

from typing import Any

from ..bank import Question
from ..domain import SIDES, is_dont_know, is_estimate, is_not_applicable
from ..presenting import judgment as presenting
from ..presenting.speaking import _
from ..scoring.model import Flag, QuestionScore
from .data import ReportData

__all__ = ["NOT_APPLICABLE", "anchor", "answer_text", "answers_by_question",
           "expectation_block", "is_estimate", "meaning", "named_answers", "question_block",
           "questions_behind"]


def anchor(q: Question, value: int) -> str:
    """The words of the scale point `value` of `q` ('' when it has none)."""
    return q.scale.anchors.get(value, "")


def answers_by_question(data: ReportData, about: str = "self"
                         ) -> dict[str, list[dict[str, Any]]]:
    """Current answers by question: own answers, or (`about="other-side"`) estimates."""
    out: dict[str, list[dict[str, Any]]] = {}
    want = about == "other-side"
    for row in data.answers.itertuples(index=False):
        if is_estimate(row) != want:
            continue
        dk = is_dont_know(row)
        # no value and no don't-know: "does not apply to our role" (version 3's na)
        na = is_not_applicable(row)
        out.setdefault(str(row.question_id), []).append({
            "respondent": str(row.respondent), "side": str(row.side),
            "value": NOT_APPLICABLE if na else None if dk else int(row.value),
            "comment": str(row.comment or "")})
    return out


#: an answer of "does not apply to our role", as the tables carry it
NOT_APPLICABLE = "na"


def answer_text(value: int | str | None) -> str:
    """An answer as a card shows it: the number, "don't know" or "does not apply"."""
    if value == NOT_APPLICABLE:
        return _("does not apply")
    return _("don't know") if value is None else str(value)


def meaning(q: Question, answers: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """The anchor of every answer given, in scale order."""
    used = sorted({a["value"] for a in answers
                   if a["value"] is not None and a["value"] != NOT_APPLICABLE})
    return [(v, anchor(q, v)) for v in used]


def named_answers(rows: list[dict[str, Any]], labels: dict[str, str]
                  ) -> list[dict[str, str]]:
    """Each answer with the person's label."""
    return [{"label": labels.get(a["respondent"], a["respondent"]),
             "value": answer_text(a["value"])} for a in rows]


def question_block(data: ReportData, qid: str, by_q: dict[str, list[dict[str, Any]]],
                    labels: dict[str, str]) -> dict[str, Any] | None:
    """One question: its text, each side's answers by person, and what the answers mean."""
    q = data.bank.question_map.get(qid)
    if q is None:
        return None
    qres: QuestionScore | None = next((x for x in data.result.questions if x.id == qid), None)
    answers = sorted(by_q.get(qid, []), key=lambda a: (a["side"] != "host",
                                                       labels.get(a["respondent"], "")))
    scale = _("scale {low}–{high}").format(low=q.scale.min, high=q.scale.max) + (
        _("; reversed, lower is more favourable") if q.reverse else "")
    return {"kind": "question", "q": q, "scale": scale,
            "what": (_("scores out of 100") if q.scored else
                     _("not scored; position on the scale out of 100")),
            "host": qres.host if qres is not None else None,
            "partner": qres.partner if qres is not None else None,
            "answers": {s: named_answers([a for a in answers if a["side"] == s], labels)
                        for s in SIDES},
            "meaning": meaning(q, answers)}


def questions_behind(data: ReportData, flag: Flag) -> list[str]:
    """The questions a point to discuss rests on: its own, else the (at most two) questions
    of its list where the sides, or one side's people, are furthest apart."""
    if flag.question_id:
        return [str(flag.question_id)]
    dim = flag.dimension
    if not dim:
        return []
    qs = [x for x in data.result.questions if x.list == dim]
    split = flag.kind == "internal-divergence"
    key = f"{flag.side}_divergence" if split else "gap"
    qs.sort(key=lambda x: -(getattr(x, key) or 0.0))
    return [x.id for x in qs[:2] if (getattr(x, key) or 0) > 0]


def expectation_block(data: ReportData, qid: str, side: str,
                       labels: dict[str, str]) -> dict[str, Any] | None:
    """One question of an expectation gap: what `side` expected, person by person, and what
    the other side answered."""
    q = data.bank.question_map.get(qid)
    if q is None or side not in presenting.OTHER_SIDE:
        return None
    other = presenting.OTHER_SIDE[side]
    est = answers_by_question(data, "other-side").get(qid, [])
    own = answers_by_question(data).get(qid, [])

    def named(rows: list[dict[str, Any]], who: str) -> list[dict[str, str]]:
        return named_answers(sorted((a for a in rows if a["side"] == who),
                             key=lambda a: labels.get(a["respondent"], "")), labels)
    return {"kind": "expectation", "q": q, "side": side, "other": other,
            "expected": named(est, side), "answered": named(own, other),
            "meaning": meaning(q, est + own)}
