"""The sentences about the form of relationship: the evidence for it, the deal's structure,
a dispute between the sides' pictures, the deal's name and the form to pursue.
"""

from __future__ import annotations

from typing import Any

from ...bank import Bank
from ..speaking import _, number, percent, side_noun
from .common import anchor_quote, phrase, target_text, votes_text


def list_evidence(title: str, score: float, best: str, best_t: float, other: str,
                  other_t: float) -> str:
    """Why a list score points to one form rather than another."""
    return _("{title} at {score} is nearer the {best_typical} typical of {best} than the "
             "{other_typical} typical of {other}.").format(
        title=title, score=number(score), best_typical=number(best_t), best=phrase(best),
        other_typical=number(other_t), other=phrase(other))


def structure_evidence(bank: Bank, qid: str, mean: float, count: int, best: str,
                       other: str | None, votes: Any = None) -> str:
    """Why the answers to a structure question point to one form rather than another."""
    q = bank.question_map[qid]
    if q.categories is not None and votes is not None:
        # a category question: the answers vote, they are never averaged
        named = int(sum(votes[p - q.scale.min] for p in q.scale.points
                        if best in q.categories.get(p, [])))
        return _("On {label}, {count} answer(s): {votes}; {named} of them pick the option "
                 "typical of {form}.").format(label=q.label, count=count,
                                              votes=votes_text(bank, qid, votes), named=named,
                                              form=phrase(best))
    prof = bank.forms.profile(best).structure.get(qid)
    head = _("On {label}, {count} answer(s) average {mean} ({quote})").format(
        label=q.label, count=count, mean=number(mean, 1), quote=anchor_quote(bank, qid, mean))
    if prof is None:
        return head + "."
    tail = _(", typical of {form} ({target})").format(form=phrase(best),
                                                      target=target_text(prof))
    if other is not None:
        o = bank.forms.profile(other).structure.get(qid)
        if o is not None:
            tail += _(" rather than {form} ({target})").format(form=phrase(other),
                                                               target=target_text(o))
    return head + tail + "."


def unknown_structure(missing: list[str], total: int) -> str:
    """The sentence saying the profile alone decided."""
    return _("{missing} of {total} questions on the structure of the deal have no answers, so "
             "the pattern of scores decides the form largely alone and the confidence is "
             "lower.").format(missing=len(missing), total=total)


def ask_step(bank: Bank, qids: list[str]) -> str:
    """The step that fills in an unknown structure."""
    names = ", ".join(bank.question_map[q].label for q in qids)
    return _("Ask both teams about the structure of the deal before deciding its form: "
             "{questions}.").format(questions=names)


def dispute_detail(host_form: str | None, partner_form: str | None) -> str:
    """The two sides picture different deals: both pictures, and what follows."""
    return _("The two sides picture different deals: the host's own answers describe "
             "{host_form}, the partner's {partner_form}. No single form is recommended until "
             "both agree which deal this is.").format(host_form=phrase(host_form),
                                                      partner_form=phrase(partner_form))


def side_picture(side: str, form: str, confidence: float) -> str:
    """One side's own picture of the deal, read from its answers alone."""
    return _("The {side} team's own answers, read alone, describe {form} (confidence "
             "{confidence}).").format(side=side_noun(side), form=phrase(form),
                                      confidence=percent(confidence))


def dispute_step(host_form: str | None, partner_form: str | None) -> str:
    """The first step while the form is disputed: a joint session on what deal this is."""
    return _("Hold a joint session of both leadership teams to settle what deal this is: set "
             "the host's picture ({host_form}) beside the partner's ({partner_form}), agree "
             "what changes hands, who owns what and how each side will judge the return, and "
             "only then discuss terms.").format(host_form=phrase(host_form),
                                                partner_form=phrase(partner_form))


def label_step(form: str, sides: list[str], called: str) -> str:
    """A deal whose name does not match what it is."""
    if len(sides) == 1:
        text = _("Agree what to call the deal: the answers describe {form}, but the {side} "
                 "calls it {called}. Use one name in the contract, the announcement and "
                 "internal briefings, so that a partnership label does not promise the joint "
                 "decisions and shared risks the deal does not include.")
    else:
        text = _("Agree what to call the deal: the answers describe {form}, but the {side} "
                 "and the {other} call it {called}. Use one name in the contract, the "
                 "announcement and internal briefings, so that a partnership label does not "
                 "promise the joint decisions and shared risks the deal does not include.")
    return text.format(form=phrase(form), side=side_noun(sides[0]),
                       other=side_noun(sides[-1]), called=phrase(called))


def form_unreadable(lacking: list[str]) -> str:
    """Nobody has answered the lists the form is read from."""
    return _("The form cannot be read: nobody has answered {lists}.").format(
        lists=", ".join(lacking))


def ruled_out(form: str, required: str) -> str:
    """A form no answer points to the requirement of."""
    text = _("{form} is ruled out: no answer points to the {required} it needs.").format(
        form=phrase(form), required=required)
    return text[:1].upper() + text[1:]


def pursue_text(form: str, readiness: float, agree: list[str], differ: list[str]) -> str:
    """How ready the two companies are for the form to pursue instead of an alliance."""
    text = _("Readiness for {form}: {share}.").format(form=phrase(form),
                                                      share=percent(readiness))
    if agree:
        text += _(" Both teams' answers already match it on {items}.").format(
            items=", ".join(agree))
    if differ:
        text += _(" They do not yet on {items}.").format(items=", ".join(differ))
    if not agree and not differ:
        text += _(" Nobody has answered the structure questions yet.")
    return text
