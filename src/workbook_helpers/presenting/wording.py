"""The sentences of a score result: flag details, reasons, form evidence and fixed steps.

Numbers are decided elsewhere (`scoring.verdict`, `scoring.forms`, `scoring.readiness`); this
module only puts them into words a facilitator can read aloud to both teams.
"""

from __future__ import annotations

from typing import Any

from ..bank import Bank, FormTarget
from .brand import VERDICT_LABELS
from .speaking import N_, current, number, percent, side_noun
from .speaking import _ as _  # re-exported: scoring.result words through `w._`
from .speaking import lower_noun as lower_noun

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


def side_word(side: str | None) -> str:
    """'host' or 'partner' as a team name in a sentence."""
    return _("the {side} team").format(side=side_noun(side)) if side else _("both teams")


def who(role: str, side: str) -> str:
    """A respondent named by role and side."""
    return _("{role} ({side})").format(role=role or _("a respondent"), side=side_noun(side))


def _q(text: str) -> str:
    """Text quoted with the current language's quotation marks."""
    return _("\u201c{text}\u201d").format(text=text)


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


def anchor_at(bank: Bank, qid: str, mean: float) -> str:
    """The anchor of the scale point nearest a mean answer."""
    q = bank.question_map[qid]
    point = min(max(round(mean), q.scale.min), q.scale.max)
    return q.scale.anchors[point]


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


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the current language."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


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


def mismatch_detail(host_form: str, partner_form: str) -> str:
    """The two sides picture different forms."""
    return _("The host's answers point to {host_form}, the partner's to "
             "{partner_form}.").format(host_form=phrase(host_form),
                                       partner_form=phrase(partner_form))


def readiness_gaps(side: str, unmet: list[tuple[str, float]]) -> str:
    """The readiness conditions a side lacks, in one sentence."""
    items = "; ".join(_("{label} (score {score} of 100)").format(label=label,
                                                                 score=number(value))
                      for label, value in unmet)
    return _("The {side} side does not yet have {items}.").format(side=side_noun(side),
                                                                  items=items)


# ---- verdict causes and reasons -------------------------------------------------------------
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


NO_ANSWERS = N_("No answers are in yet, so the kind of relationship cannot be read from them.")


# ---- robustness ------------------------------------------------------------------------------
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


STABLE = N_("No single answer moved by one point, and no weight moved by a quarter, would "
            "change the verdict or the form.")


# ---- expectations ----------------------------------------------------------------------------
def expectation_detail(side: str, title: str, expected: float, actual: float,
                       worst: tuple[str, float, float] | None) -> str:
    """One side's picture of the other side missed on a list."""
    other = "partner" if side == "host" else "host"
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


# ---- the form, completeness and readiness labels (used by `scoring.result`) ------------------
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


SPONSOR_LABEL = N_("sponsors of matching seniority")
HOBBY_LABEL = N_("commitments that match the stated priority")
STRUCTURE_EVIDENCE = N_("the structure evidence")
