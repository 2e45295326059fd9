"""The sentences of flags: gaps and splits on lists and questions, the team's disagreements,
expectation gaps, missing answers and a side that shares (almost) nothing.
"""

from __future__ import annotations

from typing import Any

from ...domain import OTHER_SIDE
from ..speaking import _, current, lower_noun, number, side_noun
from .common import _and, who


def list_flag_detail(f: dict[str, Any], titles: dict[str, str], qtext: dict[str, str],
                     dims: dict[str, Any], qrows: dict[str, dict[str, Any]],
                     spread: dict[tuple[str, str], str]) -> str:
    """The sentence of a flag found on a list or a question."""
    kind, dim, side = f["kind"], f["dimension"], f["side"]
    title = lower_noun(titles.get(dim, dim))
    th = f["threshold"]
    if kind == "cross-side-gap":
        d = dims[dim]
        return _("On {title} the host scores {host} and the partner {partner} out of 100: a "
                 "{gap}-point gap (flagged from {threshold}).").format(
            title=title, host=number(d.host), partner=number(d.partner),
            gap=number(f["magnitude"]), threshold=number(th))
    if kind == "internal-divergence":
        return _("Inside the {side} team, scores on {title} are on average {points} points "
                 "apart between any two people{spread} (flagged from {threshold}).").format(
            side=side_noun(side), title=title, points=number(f["magnitude"]),
            spread=spread.get((side, dim), ""), threshold=number(th))
    q = qrows[f["question_id"]]
    text = qtext.get(f["question_id"], f["question_id"])
    if kind == "question-gap":
        return _("\u201c{question}\u201d: host {host}, partner {partner} out of 100, {points} "
                 "points apart.").format(question=text, host=number(q["host"]),
                                         partner=number(q["partner"]),
                                         points=number(f["magnitude"]))
    if kind == "question-divergence":
        return _("\u201c{question}\u201d: answers inside the {side} team are on average "
                 "{points} points apart.").format(question=text, side=side_noun(side),
                                                  points=number(f["magnitude"]))
    if kind == "low-score":
        return _("\u201c{question}\u201d: the {side} scores {score} out of 100 (below "
                 "{threshold}).").format(question=text, side=side_noun(side),
                                         score=number(q[side]), threshold=number(th))
    if kind == "structure-gap":
        return _("On {label} the two teams describe different deals: {sides}.").format(
            label=f.get("label") or text, sides=f.get("sides_text", ""))
    return str(kind)


def spread_text(high_role: str, high: float, low_role: str, low: float) -> str:
    """', from the CEO at 80 to the CFO at 20' (who in a team is furthest apart)."""
    return _(", from {high_role} at {high} to {low_role} at {low}").format(
        high_role=high_role or _("a respondent"), high=number(high),
        low_role=low_role or _("a respondent"), low=number(low))


def share_detail(side: str, share: float, nothing: bool) -> str:
    """A side that will share (almost) nothing."""
    text = (_("The {side} team is willing to share almost nothing of control and risk "
              "({share} of 100).") if nothing else
            _("The {side} team is willing to share very little of control and risk "
              "({share} of 100)."))
    return text.format(side=side_noun(side), share=number(share))


def seniority_detail(host_role: str, host_level: float, partner_role: str,
                     partner_level: float) -> str:
    """Teams of very different seniority."""
    return _("The most senior host respondent is {host_role} (level {host_level} of 5), the "
             "partner's {partner_role} (level {partner_level}): the two sides may bring "
             "different levels of strategic accountability.").format(
        host_role=host_role, host_level=number(host_level), partner_role=partner_role,
        partner_level=number(partner_level))


def low_trust_detail(host: float, partner: float) -> str:
    """Both sides low on openness, kept commitments and IP."""
    return _("Both sides hold back on openness, reporting problems and bringing IP into the "
             "joint work (host {host}, partner {partner} of 100): an alliance cannot yet rest "
             "on trust, however well the rest fits.").format(host=number(host),
                                                             partner=number(partner))


def lone_dissent_detail(side: str, role: str, question: str, value: float,
                        rest: float) -> str:
    """One person far from the rest of their own team."""
    return _("In the {side} team, {role} answers {value} on \u201c{question}\u201d while the "
             "rest of the team averages {rest}: a lone view that the team's average "
             "hides.").format(side=side_noun(side), role=role or _("one respondent"),
                              value=number(value), question=question, rest=number(rest, 1))


def lone_dissent_step(side: str, roles: list[str]) -> str:
    """Align one's own team before talking to the other side."""
    named = [_("the {role}").format(role=r) if not r.lower().startswith("the ") else r
             for r in roles if r]
    who_ = _and(named) or _("the dissenting respondent")
    return _("Align your own team first: the {side} leaders sit down with {who} to hear why "
             "their view differs and agree one position before the joint "
             "workshop.").format(side=side_noun(side), who=who_)


def contested_detail(side: str, label: str, answers: list[tuple[str, int, str]]) -> str:
    """People of one side disagree on a fact."""
    said = "; ".join(_("{role} answers {value} (\u201c{anchor}\u201d)").format(
        role=role or _("a respondent"), value=v, anchor=anchor) for role, v, anchor in answers)
    return _("The {side} team disagrees on a fact, {label}: {said}. Until they agree it counts "
             "as not established.").format(side=side_noun(side), label=label, said=said)


def contested_step(side: str, labels: list[str]) -> str:
    """Settle the facts inside one team."""
    # a fact's label may itself hold a comma or an 'and': several are listed with semicolons
    what = (labels[0] if len(labels) == 1 else
            _("{count} facts ({items}; and {last})").format(
                count=len(labels), items="; ".join(labels[:-1]), last=labels[-1]))
    return _("Establish the facts inside the {side} team before the joint session: check "
             "{what} against the documents (budget approvals, appointment letters, the "
             "sponsor's mandate) and send one agreed answer.").format(side=side_noun(side),
                                                                     what=what)


def expectation_detail(side: str, title: str, expected: float, actual: float,
                       worst: tuple[str, float, float] | None) -> str:
    """One side's picture of the other side missed on a list."""
    other = OTHER_SIDE[side]
    if expected > actual:
        text = _("On {title} the {side} expected the {other} to score {expected}; the {other} "
                 "scored {actual}. That is a blind spot: the {side} pictured the {other} as "
                 "more willing than the {other}'s own answers show.")
    else:
        text = _("On {title} the {side} expected the {other} to score {expected}; the {other} "
                 "scored {actual}. That is a pleasant surprise: the {other}'s own answers are "
                 "more willing than the {side} pictured.")
    text = text.format(title=lower_noun(title), side=side_noun(side), other=side_noun(other),
                       expected=number(expected), actual=number(actual))
    if worst is not None:
        q, e, a = worst
        text += _(" Most of all on \u201c{question}\u201d: expected {expected}, answered "
                  "{answered}.").format(question=q, expected=number(e), answered=number(a))
    return text


def incomplete_detail(role: str, side: str, answered: int, expected: int) -> str:
    """A respondent who has answered too few questions."""
    named = who(role, side)
    # English always printed the role through str.capitalize ('Ceo (host)'); kept as it was
    named = named.capitalize() if current() == "en" else named[:1].upper() + named[1:]
    return _("{who} has answered {answered} of {expected} questions.").format(
        who=named, answered=answered, expected=expected)


def too_few_detail(side: str, answering: int, minimum: int) -> str:
    """A side with too few respondents."""
    return _("{count} {side} respondent(s) have answered; results need at least {minimum} per "
             "side.").format(count=answering, side=side_noun(side), minimum=minimum)
