"""The sentences of a score result: flag details, reasons, form evidence and fixed steps.

Numbers are decided elsewhere (`scoring.verdict`, `scoring.forms`, `scoring.readiness`); this
module only puts them into words a facilitator can read aloud to both teams.
"""

from __future__ import annotations

from typing import Any

from ..bank import Bank, FormTarget
from ..brand import VERDICT_LABELS

FORM_PHRASES = {
    "strategic-alliance": "a strategic alliance",
    "joint-venture": "a joint venture",
    "outsourcing": "outsourcing",
    "licensing": "a licence",
    "supply-chain": "supply-chain integration",
    "other": "no clear form",
    "disputed": "no single deal (the two sides picture different ones)",
}
TYPE_MISMATCH_STEP = ("Hold a joint session on what kind of relationship this is before "
                      "discussing terms: the two teams picture different deals.")
INCOMPLETE_STEP = ("Ask the missing respondents to finish the questionnaire; the verdict waits "
                   "for enough answers.")


def phrase(form: str | None) -> str:
    """A form as it reads inside a sentence ('a licence', 'a strategic alliance')."""
    return FORM_PHRASES.get("disputed" if form is None else str(form), str(form))


def side_word(side: str | None) -> str:
    """'host' or 'partner' as a team name in a sentence."""
    return f"the {side} team" if side else "both teams"


def who(role: str, side: str) -> str:
    """A respondent named by role and side."""
    return f"{role or 'a respondent'} ({side})"


def list_flag_detail(f: dict[str, Any], titles: dict[str, str], qtext: dict[str, str],
                     dims: dict[str, Any], qrows: dict[str, dict[str, Any]],
                     spread: dict[tuple[str, str], str]) -> str:
    """The sentence of a flag found on a list or a question."""
    kind, dim, side = f["kind"], f["dimension"], f["side"]
    title = titles.get(dim, dim).lower()
    th = f["threshold"]
    if kind == "cross-side-gap":
        d = dims[dim]
        return (f"On {title} the host scores {d.host:.0f} and the partner {d.partner:.0f} out "
                f"of 100: a {f['magnitude']:.0f}-point gap (flagged from {th:.0f}).")
    if kind == "internal-divergence":
        return (f"Inside the {side} team, scores on {title} are on average "
                f"{f['magnitude']:.0f} points apart between any two people"
                f"{spread.get((side, dim), '')} (flagged from {th:.0f}).")
    q = qrows[f["question_id"]]
    text = qtext.get(f["question_id"], f["question_id"])
    if kind == "question-gap":
        return (f"\u201c{text}\u201d: host {q['host']:.0f}, partner {q['partner']:.0f} out of "
                f"100, {f['magnitude']:.0f} points apart.")
    if kind == "question-divergence":
        return (f"\u201c{text}\u201d: answers inside the {side} team are on average "
                f"{f['magnitude']:.0f} points apart.")
    if kind == "low-score":
        return f"\u201c{text}\u201d: the {side} scores {q[side]:.0f} out of 100 (below {th:.0f})."
    if kind == "structure-gap":
        return (f"On {f.get('label') or text} the two teams describe different deals: "
                f"{f.get('sides_text', '')}.")
    return str(kind)


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
        return f"\u201c{q.scale.anchors[near]}\u201d"
    lo = min(max(int(mean // 1), q.scale.min), q.scale.max)
    hi = min(lo + 1, q.scale.max)
    return (f"between \u201c{q.scale.anchors[lo]}\u201d and "
            f"\u201c{q.scale.anchors[hi]}\u201d")


def votes_text(bank: Bank, qid: str, votes: Any) -> str:
    """How the answers to a category question fall: '“option” (n), “option” (m)', most
    chosen first."""
    q = bank.question_map[qid]
    counted = [(int(n), p) for p, n in zip(q.scale.points, votes, strict=False) if n > 0]
    counted.sort(key=lambda x: (-x[0], x[1]))
    return ", ".join(f"\u201c{q.scale.anchors[p]}\u201d ({n})" for n, p in counted)


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
    return (f"{title} at {score:.0f} is nearer the {best_t:.0f} typical of {phrase(best)} "
            f"than the {other_t:.0f} typical of {phrase(other)}.")


def structure_evidence(bank: Bank, qid: str, mean: float, count: int, best: str,
                       other: str | None, votes: Any = None) -> str:
    """Why the answers to a structure question point to one form rather than another."""
    q = bank.question_map[qid]
    if q.categories is not None and votes is not None:
        # a category question: the answers vote, they are never averaged
        named = int(sum(votes[p - q.scale.min] for p in q.scale.points
                        if best in q.categories.get(p, [])))
        return (f"On {q.label}, {count} answer(s): {votes_text(bank, qid, votes)}; "
                f"{named} of them pick the option typical of {phrase(best)}.")
    prof = bank.forms.profile(best).structure.get(qid)
    head = (f"On {q.label}, {count} answer(s) average {mean:.1f} "
            f"({anchor_quote(bank, qid, mean)})")
    if prof is None:
        return head + "."
    tail = f", typical of {phrase(best)} ({target_text(prof)})"
    if other is not None:
        o = bank.forms.profile(other).structure.get(qid)
        if o is not None:
            tail += f" rather than {phrase(other)} ({target_text(o)})"
    return head + tail + "."


def unknown_structure(missing: list[str], total: int) -> str:
    """The sentence saying the profile alone decided."""
    return (f"{len(missing)} of {total} questions on the structure of the deal have no "
            "answers, so the pattern of scores decides the form largely alone and the "
            "confidence is lower.")


def ask_step(bank: Bank, qids: list[str]) -> str:
    """The step that fills in an unknown structure."""
    names = ", ".join(bank.question_map[q].label for q in qids)
    return f"Ask both teams about the structure of the deal before deciding its form: {names}."


def readiness_detail(label: str, side: str, value: float | None, minimum: float,
                     met: bool | None) -> str:
    """One readiness item on one side, in words."""
    if met is None:
        return f"Nobody on the {side} side has said whether there is {label}."
    state = "in place" if met else "not in place"
    return (f"The {side} side: {label} is {state} (score {value:.0f} of 100; "
            f"{minimum:.0f} needed).")


def sponsor_detail(side: str, level: float | None, other: float | None, from_role: bool,
                   top_role: str, met: bool | None, names: dict[int, str]) -> str:
    """The sponsor-seniority check on one side, in words."""
    if level is None:
        base = f"The {side} side has not said at what level its sponsor sits"
        return base + (f"; its most senior respondent is {top_role}." if top_role else ".")
    where = names.get(round(level), f"level {level:.0f}")
    src = " (read from a respondent's role)" if from_role else ""
    text = f"The {side} side's sponsor sits at level {level:.1f}: {where.rstrip('.')}{src}"
    if other is not None:
        text += f"; the other side's at level {other:.1f}"
    return text + ("." if met is not False else ". The two sponsors are not matched.")


def hobby_detail(side: str, priority: float, commitment: float) -> str:
    """The hobby check's sentence."""
    return (f"The {side} team ranks the alliance high (priority {priority:.0f} of 100) but "
            f"commits few people or little budget to it ({commitment:.0f} of 100): it risks "
            "being run as a hobby.")


def share_detail(side: str, share: float, nothing: bool) -> str:
    """A side that will share (almost) nothing."""
    how = "almost nothing" if nothing else "very little"
    return (f"The {side} team is willing to share {how} of control and risk "
            f"({share:.0f} of 100).")


def seniority_detail(host_role: str, host_level: float, partner_role: str,
                     partner_level: float) -> str:
    """Teams of very different seniority."""
    return (f"The most senior host respondent is {host_role} (level {host_level:.0f} of 5), "
            f"the partner's {partner_role} (level {partner_level:.0f}): the two sides may "
            "bring different levels of strategic accountability.")


def dispute_detail(host_form: str | None, partner_form: str | None) -> str:
    """The two sides picture different deals: both pictures, and what follows."""
    return (f"The two sides picture different deals: the host's own answers describe "
            f"{phrase(host_form)}, the partner's {phrase(partner_form)}. No single form is "
            "recommended until both agree which deal this is.")


def side_picture(side: str, form: str, confidence: float) -> str:
    """One side's own picture of the deal, read from its answers alone."""
    return (f"The {side} team's own answers, read alone, describe {phrase(form)} "
            f"(confidence {confidence:.0%}).")


def dispute_step(host_form: str | None, partner_form: str | None) -> str:
    """The first step while the form is disputed: a joint session on what deal this is."""
    return (f"Hold a joint session of both leadership teams to settle what deal this is: set "
            f"the host's picture ({phrase(host_form)}) beside the partner's "
            f"({phrase(partner_form)}), agree what changes hands, who owns what and how each "
            "side will judge the return, and only then discuss terms.")


def low_trust_detail(host: float, partner: float) -> str:
    """Both sides low on openness, kept commitments and IP."""
    return (f"Both sides hold back on openness, reporting problems and bringing IP into the "
            f"joint work (host {host:.0f}, partner {partner:.0f} of 100): an alliance cannot "
            "yet rest on trust, however well the rest fits.")


def lone_dissent_detail(side: str, role: str, question: str, value: float,
                        rest: float) -> str:
    """One person far from the rest of their own team."""
    return (f"In the {side} team, {role or 'one respondent'} answers {value:.0f} on "
            f"\u201c{question}\u201d while the rest of the team averages {rest:.1f}: a lone "
            "view that the team's average hides.")


def lone_dissent_step(side: str, roles: list[str]) -> str:
    """Align one's own team before talking to the other side."""
    named = [f"the {r}" if not r.lower().startswith("the ") else r for r in roles if r]
    who_ = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named) \
        or "the dissenting respondent"
    return (f"Align your own team first: the {side} leaders sit down with {who_} to hear "
            "why their view differs and agree one position before the joint workshop.")


def contested_detail(side: str, label: str, answers: list[tuple[str, int, str]]) -> str:
    """People of one side disagree on a fact."""
    said = "; ".join(f"{role or 'a respondent'} answers {v} (\u201c{anchor}\u201d)"
                     for role, v, anchor in answers)
    return (f"The {side} team disagrees on a fact, {label}: {said}. Until they agree it "
            "counts as not established.")


def contested_step(side: str, labels: list[str]) -> str:
    """Settle the facts inside one team."""
    # a fact's label may itself hold a comma or an 'and': several are listed with semicolons
    what = (labels[0] if len(labels) == 1 else
            f"{len(labels)} facts ({'; '.join(labels[:-1])}; and {labels[-1]})")
    return (f"Establish the facts inside the {side} team before the joint session: check "
            f"{what} against the documents (budget approvals, appointment letters, the "
            "sponsor's mandate) and send one agreed answer.")


def label_step(form: str, sides: list[str], called: str) -> str:
    """A deal whose name does not match what it is."""
    who_ = " and ".join(f"the {s}" for s in sides)
    return (f"Agree what to call the deal: the answers describe {phrase(form)}, but {who_} "
            f"call{'s' if len(sides) == 1 else ''} it {phrase(called)}. Use one name in the "
            "contract, the announcement and internal briefings, so that a partnership label "
            "does not promise the joint decisions and shared risks the deal does not "
            "include.")


ROUND_WORDS = (("before launch", "at the next joint review"),
               ("before the alliance launches", "at the next joint review"),
               ("Plan the launch", "Plan the next phase"))


def for_round(text: str, health_check: bool) -> str:
    """A sentence in the words of the round: a health check of a running alliance never
    speaks of its launch as still to come."""
    if not health_check:
        return text
    for old, new in ROUND_WORDS:
        text = text.replace(old, new)
    return text


def mismatch_detail(host_form: str, partner_form: str) -> str:
    """The two sides picture different forms."""
    return (f"The host's answers point to {phrase(host_form)}, the partner's to "
            f"{phrase(partner_form)}.")


def readiness_gaps(side: str, unmet: list[tuple[str, float]]) -> str:
    """The readiness conditions a side lacks, in one sentence."""
    items = "; ".join(f"{label} (score {value:.0f} of 100)" for label, value in unmet)
    return f"The {side} side does not yet have {items}."


# ---- verdict causes and reasons -------------------------------------------------------------
def cause_other_form(form: str) -> str:
    """Another form fits better: presented as a recommendation."""
    return (f"Taken together the answers describe {phrase(form)}, not an alliance. Pursue "
            f"{phrase(form)} instead: a recommendation, not a failure.")


def cause_unclear_form(form: str, other: str) -> str:
    """The nearest alliance form is close to a non-alliance form."""
    return (f"The answers sit close to the line between {phrase(form)} and {phrase(other)}: "
            "settle what kind of deal this is before launch.")


def cause_clear_form(form: str) -> str:
    """The answers clearly describe an alliance form."""
    return f"The answers clearly describe {phrase(form)}."


def cause_far(no_fit_gap: float, titles: list[str]) -> str:
    """The sides are far apart on several lists at once."""
    return (f"The sides are {no_fit_gap:.0f} points or more apart on {len(titles)} lists at "
            f"once ({', '.join(titles)}): too far apart to launch an alliance as things stand.")


def cause_blocking(details: list[str]) -> str:
    """The issues to resolve before launch."""
    return f"{len(details)} issue(s) to resolve before launch: " + " ".join(details[:3])


def cause_readiness(unmet: dict[str, list[str]], unknown: dict[str, list[str]]) -> str:
    """What each side lacks, or has not said, of the basics of an alliance."""
    parts = [f"the {side} side lacks " + ", ".join(v) for side, v in unmet.items()]
    parts += [f"the {side} side has not said whether it has " + ", ".join(v)
              for side, v in unknown.items()]
    return ("An alliance needs its basics in place on both sides before launch: "
            + "; ".join(parts) + ".")


def reason_insufficient(completeness: float, minimum: float, per_side: int) -> str:
    """Too few answers for a verdict."""
    return (f"Only {completeness:.0%} of the expected answers are in; the bank asks for "
            f"{minimum:.0%} and at least {per_side} respondents per side before it gives a "
            "verdict.")


def reason_fit(form: str) -> str:
    """A clean fit."""
    return (f"The answers fit {phrase(form)} clearly, both sides have the basics of an alliance "
            "in place and no blocking disagreement stands between or inside the teams.")


def reason_side_form(side: str, form: str) -> str:
    """A side whose own answers point elsewhere."""
    return f"The {side} team's own answers point to {phrase(form)}."


NO_ANSWERS = "No answers are in yet, so the kind of relationship cannot be read from them."


# ---- robustness ------------------------------------------------------------------------------
def _outcome(verdict: str, form: str, verdict_changes: bool) -> str:
    label = VERDICT_LABELS.get(verdict, verdict).lower()
    if verdict_changes:
        return f"the verdict would be \u201c{label}\u201d (form: {phrase(form)})"
    return f"the recommended form would be {phrase(form)}"


def answer_flip(side: str, role: str, question: str, old: int, new: int, verdict: str,
                form: str, verdict_changes: bool) -> str:
    """The one-point change of one answer that would flip the verdict or the form."""
    who = f"the {side}'s {role}" if role else f"one {side} respondent"
    return (f"If {who} answered {new} instead of {old} on \u201c{question}\u201d, "
            f"{_outcome(verdict, form, verdict_changes)}.")


def weight_flip(what: str, more: bool, band: float, verdict: str, form: str,
                verdict_changes: bool) -> str:
    """The move of a weight that would flip the verdict or the form."""
    how = "more" if more else "less"
    return (f"If {what} counted {band:.0%} {how} in the form model, "
            f"{_outcome(verdict, form, verdict_changes)}.")


STABLE = ("No single answer moved by one point, and no weight moved by a quarter, would change "
          "the verdict or the form.")


# ---- expectations ----------------------------------------------------------------------------
def expectation_detail(side: str, title: str, expected: float, actual: float,
                       worst: tuple[str, float, float] | None) -> str:
    """One side's picture of the other side missed on a list."""
    other = "partner" if side == "host" else "host"
    kind = ("a blind spot: the {s} pictured the {o} as more willing than the {o}'s own answers "
            "show" if expected > actual else
            "a pleasant surprise: the {o}'s own answers are more willing than the {s} pictured")
    text = (f"On {title.lower()} the {side} expected the {other} to score {expected:.0f}; the "
            f"{other} scored {actual:.0f}. That is {kind.format(s=side, o=other)}.")
    if worst is not None:
        q, e, a = worst
        text += f" Most of all on \u201c{q}\u201d: expected {e:.0f}, answered {a:.0f}."
    return text
