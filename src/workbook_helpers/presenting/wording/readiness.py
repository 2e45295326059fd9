"""The sentences of the readiness checks: the conditions an alliance needs on each side.
"""

from __future__ import annotations

from ..speaking import _, number, side_noun


def readiness_detail(label: str, side: str, value: float | None, minimum: float,
                     met: bool | None) -> str:
    """One readiness item on one side, in words."""
    if met is None:
        return _("Nobody on the {side} side has said whether there is {label}.").format(
            side=side_noun(side), label=label)
    if met:
        text = _("The {side} side: {label} is in place (score {score} of 100; {minimum} "
                 "needed).")
    else:
        text = _("The {side} side: {label} is not in place (score {score} of 100; {minimum} "
                 "needed).")
    return text.format(side=side_noun(side), label=label, score=number(value or 0.0),
                       minimum=number(minimum))


def sponsor_detail(side: str, level: float | None, other: float | None, from_role: bool,
                   top_role: str, met: bool | None, names: dict[int, str]) -> str:
    """The sponsor-seniority check on one side, in words."""
    if level is None:
        if top_role:
            return _("The {side} side has not said at what level its sponsor sits; its most "
                     "senior respondent is {role}.").format(side=side_noun(side),
                                                            role=top_role)
        return _("The {side} side has not said at what level its sponsor sits.").format(
            side=side_noun(side))
    where = names.get(round(level), _("level {level}").format(level=number(level)))
    src = _(" (read from a respondent's role)") if from_role else ""
    text = _("The {side} side's sponsor sits at level {level}: {where}{source}").format(
        side=side_noun(side), level=number(level, 1), where=where.rstrip("."), source=src)
    if other is not None:
        text += _("; the other side's at level {level}").format(level=number(other, 1))
    return text + ("." if met is not False else _(". The two sponsors are not matched."))


def hobby_detail(side: str, priority: float, commitment: float) -> str:
    """The hobby check's sentence."""
    return _("The {side} team ranks the alliance high (priority {priority} of 100) but commits "
             "few people or little budget to it ({commitment} of 100): it risks being run as "
             "a hobby.").format(side=side_noun(side), priority=number(priority),
                                commitment=number(commitment))


def hobby_ok(side: str, known: bool) -> str:
    """The hobby check passed (or cannot be made yet) on one side."""
    if known:
        return _("The {side} side's commitments match the priority it gives the "
                 "alliance.").format(side=side_noun(side))
    return _("The {side} side's priority and commitments are not known yet.").format(
        side=side_noun(side))


def readiness_gaps(side: str, unmet: list[tuple[str, float]]) -> str:
    """The readiness conditions a side lacks, in one sentence."""
    items = "; ".join(_("{label} (score {score} of 100)").format(label=label,
                                                                 score=number(value))
                      for label, value in unmet)
    return _("The {side} side does not yet have {items}.").format(side=side_noun(side),
                                                                  items=items)
