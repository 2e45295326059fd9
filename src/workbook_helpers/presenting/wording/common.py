"""Words every sentence of a score result shares: forms as phrases, teams, quotes of a
scale's anchors, the words of a round and the fixed steps.
"""

from __future__ import annotations

from typing import Any

from ...bank import Bank, FormTarget
from ..speaking import N_, _, side_noun

FORM_PHRASES = {
    "strategic-alliance": N_("a strategic alliance"),
    "joint-venture": N_("a joint venture"),
    "outsourcing": N_("outsourcing"),
    "licensing": N_("a licence"),
    "supply-chain": N_("supply-chain integration"),
    "other": N_("no clear form"),
    "disputed": N_("no single deal (the two sides picture different ones)"),
}


#: fixed steps, translated where they are used (`_(TYPE_MISMATCH_STEP)`)
TYPE_MISMATCH_STEP = N_("Hold a joint session on what kind of relationship this is before "
                        "discussing terms: the two teams picture different deals.")


INCOMPLETE_STEP = N_("Ask the missing respondents to finish the questionnaire; the verdict "
                     "waits for enough answers.")


def phrase(form: str | None) -> str:
    """A form as it reads inside a sentence ('a licence', 'a strategic alliance')."""
    key = "disputed" if form is None else str(form)
    return _(FORM_PHRASES[key]) if key in FORM_PHRASES else str(form)


def who(role: str, side: str) -> str:
    """A respondent named by role and side."""
    return _("{role} ({side})").format(role=role or _("a respondent"), side=side_noun(side))


def _q(text: str) -> str:
    """Text quoted with the current language's quotation marks."""
    return _("\u201c{text}\u201d").format(text=text)


def anchor_quote(bank: Bank, qid: str, mean: float) -> str:
    """A mean answer in words that match it: the anchor of its point when the mean lies
    within a quarter point of one, else the two anchors it lies between."""
    q = bank.question_map[qid]
    near = min(max(round(mean), q.scale.min), q.scale.max)
    if abs(mean - near) <= 0.25:
        return _q(q.scale.anchors[near])
    lo = min(max(int(mean // 1), q.scale.min), q.scale.max)
    hi = min(lo + 1, q.scale.max)
    return _("between \u201c{low}\u201d and \u201c{high}\u201d").format(
        low=q.scale.anchors[lo], high=q.scale.anchors[hi])


def votes_text(bank: Bank, qid: str, votes: Any) -> str:
    """How the answers to a category question fall: '“option” (n), “option” (m)', most
    chosen first."""
    q = bank.question_map[qid]
    counted = [(int(n), p) for p, n in zip(q.scale.points, votes, strict=False) if n > 0]
    counted.sort(key=lambda x: (-x[0], x[1]))
    return ", ".join(f"{_q(q.scale.anchors[p])} ({n})" for n, p in counted)


def modal_option(bank: Bank, qid: str, votes: Any) -> int | None:
    """The option most answers chose (the lowest point on a tie); None without answers."""
    q = bank.question_map[qid]
    counted = [(int(n), p) for p, n in zip(q.scale.points, votes, strict=False) if n > 0]
    if not counted:
        return None
    return min(counted, key=lambda x: (-x[0], x[1]))[1]


def target_text(target: FormTarget) -> str:
    """A structure target as points ('4', '1-3')."""
    return str(target.low) if target.low == target.high else f"{target.low}-{target.high}"


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the current language."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


ROUND_WORDS = ((N_("before launch"), N_("at the next joint review")),
               (N_("before the alliance launches"), N_("at the next joint review")),
               (N_("Plan the launch"), N_("Plan the next phase")))


def for_round(text: str, health_check: bool) -> str:
    """A sentence in the words of the round: a health check of a running alliance never
    speaks of its launch as still to come."""
    if not health_check:
        return text
    for old, new in ROUND_WORDS:
        text = text.replace(_(old), _(new))
    return text


NO_ANSWERS = N_("No answers are in yet, so the kind of relationship cannot be read from them.")


SPONSOR_LABEL = N_("sponsors of matching seniority")


HOBBY_LABEL = N_("commitments that match the stated priority")


STRUCTURE_EVIDENCE = N_("the structure evidence")
