"""The sentences of the verdict: its causes, the reasons that explain it, and the closest
change that would flip it (robustness).
"""

from __future__ import annotations

from ..brand import VERDICT_LABELS
from ..speaking import _, number, percent, side_noun
from .common import phrase


def cause_other_form(form: str) -> str:
    """Another form fits better: presented as a recommendation."""
    return _("Taken together the answers describe {form}, not an alliance. Pursue {form} "
             "instead: a recommendation, not a failure.").format(form=phrase(form))


def cause_unclear_form(form: str, other: str) -> str:
    """The nearest alliance form is close to a non-alliance form."""
    return _("The answers sit close to the line between {form} and {other}: settle what kind "
             "of deal this is before launch.").format(form=phrase(form), other=phrase(other))


def cause_clear_form(form: str) -> str:
    """The answers clearly describe an alliance form."""
    return _("The answers clearly describe {form}.").format(form=phrase(form))


def cause_far(no_fit_gap: float, titles: list[str]) -> str:
    """The sides are far apart on several lists at once."""
    return _("The sides are {points} points or more apart on {count} lists at once "
             "({titles}): too far apart to launch an alliance as things stand.").format(
        points=number(no_fit_gap), count=len(titles), titles=", ".join(titles))


def cause_blocking(details: list[str]) -> str:
    """The issues to resolve before launch."""
    return _("{count} issue(s) to resolve before launch: ").format(count=len(details)) + \
        " ".join(details[:3])


def cause_readiness(unmet: dict[str, list[str]], unknown: dict[str, list[str]]) -> str:
    """What each side lacks, or has not said, of the basics of an alliance."""
    parts = [_("the {side} side lacks {items}").format(side=side_noun(side),
                                                       items=", ".join(v))
             for side, v in unmet.items()]
    parts += [_("the {side} side has not said whether it has {items}").format(
        side=side_noun(side), items=", ".join(v)) for side, v in unknown.items()]
    return _("An alliance needs its basics in place on both sides before launch: "
             "{parts}.").format(parts="; ".join(parts))


def reason_insufficient(completeness: float, minimum: float, per_side: int) -> str:
    """Too few answers for a verdict."""
    return _("Only {share} of the expected answers are in; the bank asks for {minimum} and at "
             "least {per_side} respondents per side before it gives a verdict.").format(
        share=percent(completeness), minimum=percent(minimum), per_side=per_side)


def reason_fit(form: str) -> str:
    """A clean fit."""
    return _("The answers fit {form} clearly, both sides have the basics of an alliance in "
             "place and no blocking disagreement stands between or inside the "
             "teams.").format(form=phrase(form))


def reason_side_form(side: str, form: str) -> str:
    """A side whose own answers point elsewhere."""
    return _("The {side} team's own answers point to {form}.").format(side=side_noun(side),
                                                                      form=phrase(form))


def _outcome(verdict: str, form: str, verdict_changes: bool) -> str:
    label = _(VERDICT_LABELS.get(verdict, verdict)).lower()
    if verdict_changes:
        return _("the verdict would be \u201c{verdict}\u201d (form: {form})").format(
            verdict=label, form=phrase(form))
    return _("the recommended form would be {form}").format(form=phrase(form))


def answer_flip(side: str, role: str, question: str, old: int, new: int, verdict: str,
                form: str, verdict_changes: bool) -> str:
    """The one-point change of one answer that would flip the verdict or the form."""
    who = (_("the {side}'s {role}").format(side=side_noun(side), role=role) if role else
           _("one {side} respondent").format(side=side_noun(side)))
    return _("If {who} answered {new} instead of {old} on \u201c{question}\u201d, "
             "{outcome}.").format(who=who, new=new, old=old, question=question,
                                  outcome=_outcome(verdict, form, verdict_changes))


def weight_flip(what: str, more: bool, band: float, verdict: str, form: str,
                verdict_changes: bool) -> str:
    """The move of a weight that would flip the verdict or the form."""
    text = (_("If {what} counted {band} more in the form model, {outcome}.") if more else
            _("If {what} counted {band} less in the form model, {outcome}."))
    return text.format(what=what, band=percent(band),
                       outcome=_outcome(verdict, form, verdict_changes))


