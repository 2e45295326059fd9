"""The checks a question bank must pass as a whole, after its models have checked each part:
ids that must be unique or must name something of the bank, the rules of scored and unscored
questions, form profiles and readiness checks. Each problem names the file and the fix.
"""

from __future__ import annotations

from ..exceptions import Problem
from .model import Bank, FormProfile, Question

REQUIRED_LISTS = ("control", "risk_sharing", "priority", "resourcing")


def bank_problems(data: Bank, file: str) -> list[Problem]:
    """Every problem of a bank that its models cannot see alone: ids that are defined twice
    or refer to nothing, lists without questions, thresholds out of order, and the rules of
    question kinds, form profiles and readiness checks (`file` names the bank in each)."""
    problems: list[Problem] = []
    list_ids = [lst.id for lst in data.lists]
    seen_lists: set[str] = set()
    for lid in list_ids:
        if lid in seen_lists:
            problems.append(Problem(f"list '{lid}' is defined twice.", file=file,
                                    fix="give every list a unique id."))
        seen_lists.add(lid)
    for required in REQUIRED_LISTS:
        if required not in seen_lists:
            problems.append(Problem(f"required list '{required}' is missing.", file=file,
                                    fix=f"add a list with id '{required}'."))
    seen: set[str] = set()
    for q in data.questions:
        if q.id in seen:
            problems.append(Problem(f"question '{q.id}': the id is used more than once.",
                                    file=file, fix="give every question a unique id."))
        seen.add(q.id)
        if q.list not in seen_lists:
            problems.append(Problem(
                f"question '{q.id}': unknown list '{q.list}'.", file=file,
                fix=f"use one of: {', '.join(list_ids)}."))
        if q.source not in data.sources:
            problems.append(Problem(
                f"question '{q.id}': source '{q.source}' is not defined under 'sources'.",
                file=file, fix="add it to 'sources' or cite an existing one."))
    for lid in seen_lists:
        if not any(q.list == lid for q in data.questions):
            problems.append(Problem(f"list '{lid}' has no questions.", file=file,
                                    fix="add questions to it or remove the list."))
    th = data.thresholds
    if not th.share_nothing < th.share_low:
        problems.append(Problem(
            f"thresholds: share_nothing ({th.share_nothing:g}) must be below share_low "
            f"({th.share_low:g}).", file=file,
            fix="keep a band between them, so that one answer cannot jump two verdict steps."))
    if not th.no_fit_gap > th.cross_side_gap:
        problems.append(Problem(
            f"thresholds: no_fit_gap ({th.no_fit_gap:g}) must be above cross_side_gap "
            f"({th.cross_side_gap:g}).", file=file,
            fix="a gap that stops the deal must first be a gap to resolve."))
    problems += _question_kind_problems(data, file)
    problems += _form_problems(data, file)
    problems += _readiness_problems(data, file)
    return problems


def _question_kind_problems(data: Bank, file: str) -> list[Problem]:
    """Scored and unscored (evidence) questions each follow their own rules."""
    problems: list[Problem] = []
    unscored_lists = {lst.id for lst in data.lists if not lst.scored}
    for q in data.questions:
        if q.expect and not q.scored:
            problems.append(Problem(
                f"question '{q.id}': only a scored question can ask what the other side will "
                "answer.", file=file, fix="remove 'expect' or make the question scored."))
        if not q.scored:
            if q.reverse:
                problems.append(Problem(
                    f"question '{q.id}': an unscored (evidence) question cannot be reversed.",
                    file=file, fix="remove 'reverse' or make the question scored."))
            if q.weight != 1.0:
                problems.append(Problem(
                    f"question '{q.id}': an unscored (evidence) question has no weight.",
                    file=file, fix="remove 'weight'; it never enters a score."))
        elif q.list in unscored_lists:
            problems.append(Problem(
                f"question '{q.id}': list '{q.list}' is unscored, so its questions must carry "
                "'scored: false'.", file=file, fix="add 'scored: false' or move the question."))
        if q.categories is not None:
            if q.scored:
                problems.append(Problem(
                    f"question '{q.id}': only an unscored (evidence) question can have "
                    "categories.", file=file, fix="add 'scored: false' or remove 'categories'."))
            missing = [p for p in q.scale.points if p not in q.categories]
            extra = [p for p in q.categories if p not in q.scale.points]
            if missing or extra:
                problems.append(Problem(
                    f"question '{q.id}': categories must name the forms of every option "
                    f"{q.scale.min}-{q.scale.max} (missing {missing}, outside the scale "
                    f"{extra}).", file=file, fix="give every option a list of forms."))
            known = {p.id for p in data.forms.profiles}
            unknown = sorted({f for v in q.categories.values() for f in v} - known)
            if unknown:
                problems.append(Problem(
                    f"question '{q.id}': categories name form(s) without a profile: "
                    f"{', '.join(unknown)}.", file=file,
                    fix=f"use forms described under forms.profiles: {', '.join(sorted(known))}."))
    for lst in data.lists:
        if lst.scored and not any(q.list == lst.id and q.scored for q in data.questions):
            problems.append(Problem(
                f"list '{lst.id}' is scored but has no scored question.", file=file,
                fix="add a favourability question or mark the list 'scored: false'."))
    return problems


def _form_problems(data: Bank, file: str) -> list[Problem]:
    """Form profiles may only name scored lists and unscored questions of this bank."""
    problems: list[Problem] = []
    dims = [lst.id for lst in data.lists if lst.scored]
    qmap = {q.id: q for q in data.questions}
    forms = data.forms
    seen: set[str] = set()
    for prof in forms.profiles:
        if prof.id in seen:
            problems.append(Problem(f"form '{prof.id}' is described twice.", file=file,
                                    fix="keep one profile per form."))
        seen.add(prof.id)
        problems += _profile_problems(prof, dims, qmap, file)
    if forms.label_question is not None:
        lq = qmap.get(forms.label_question)
        if lq is None or lq.categories is None:
            problems.append(Problem(
                f"forms.label_question '{forms.label_question}' is not a category question "
                "of the bank.", file=file, fix="name a question that has 'categories'."))
    for form in forms.alliance_forms:
        if form not in seen:
            problems.append(Problem(f"alliance form '{form}' has no profile.", file=file,
                                    fix="describe it under forms.profiles."))
    if not any(p.id not in forms.alliance_forms for p in forms.profiles):
        problems.append(Problem("every form profile is an alliance form.", file=file,
                                fix="describe at least one other form (e.g. licensing)."))
    if "other" in seen:
        problems.append(Problem(
            "form 'other' cannot have a profile: it is the answer when the answers point "
            "nowhere.", file=file, fix="remove the 'other' profile."))
    for lid in [*forms.axes.share, *forms.axes.importance]:
        if lid not in dims:
            problems.append(Problem(
                f"fit-map axis refers to unknown list '{lid}'.", file=file,
                fix=f"use scored lists of the bank: {', '.join(dims)}."))
    return problems


def _profile_problems(prof: FormProfile, dims: list[str], qmap: dict[str, Question],
                      file: str) -> list[Problem]:
    """One form profile: its lists, structure targets, required evidence and readiness
    questions name what the bank has."""
    problems: list[Problem] = []
    where = f"form '{prof.id}'"
    for lid in prof.lists:
        if lid not in dims:
            problems.append(Problem(f"{where} names '{lid}', which is not a scored list.",
                                    file=file, fix=f"use one of: {', '.join(dims)}."))
    for qid, target in prof.structure.items():
        q = qmap.get(qid)
        if q is None or q.scored:
            problems.append(Problem(
                f"{where}: structure question '{qid}' is not an unscored question of the "
                "bank.", file=file, fix="name a question with 'scored: false'."))
        elif not (q.scale.min <= target.low <= target.high <= q.scale.max):
            problems.append(Problem(
                f"{where}: the target for '{qid}' lies outside its scale "
                f"{q.scale.min}-{q.scale.max}.", file=file, fix="use points of the scale."))
    if prof.id == "joint-venture" and not prof.requires:
        problems.append(Problem(
            f"{where} must require evidence of shared ownership from a structure question.",
            file=file, fix="add e.g. 'requires: [st-equity]', or leave the form out of a "
                           "bank without structure questions."))
    for qid in prof.requires:
        if qid not in prof.structure:
            problems.append(Problem(
                f"{where} requires evidence from '{qid}' but gives no target for it.",
                file=file, fix=f"add '{qid}' under the form's 'structure'."))
    for qid in prof.readiness_questions:
        if qid not in qmap:
            problems.append(Problem(f"{where}: readiness question '{qid}' does not exist.",
                                    file=file, fix="name a question of the bank."))
    return problems


def _readiness_problems(data: Bank, file: str) -> list[Problem]:
    """Readiness checks must read questions that exist and have the right kind."""
    problems: list[Problem] = []
    qmap = {q.id: q for q in data.questions}
    r = data.readiness
    wanted: list[tuple[str, str, bool]] = [
        (f"readiness item '{i.id}'", i.question, True) for i in r.items]
    if r.sponsor_match is not None:
        wanted.append(("readiness sponsor_match", r.sponsor_match.question, False))
    if r.hobby is not None:
        wanted += [("readiness hobby", qid, True) for qid in r.hobby.commitment_questions]
    if r.trust is not None:
        # an inherited trust floor reads the questions this bank has; it needs at least one
        present = [qid for qid in r.trust.questions if qid in qmap]
        wanted += [("readiness trust", qid, True) for qid in present or r.trust.questions[:1]]
    for where, qid, scored in wanted:
        q = qmap.get(qid)
        if q is None:
            problems.append(Problem(f"{where} reads question '{qid}', which does not exist.",
                                    file=file, fix="name a question of the bank."))
        elif q.scored != scored:
            kind = "a scored" if scored else "an unscored (evidence)"
            problems.append(Problem(f"{where} needs {kind} question; '{qid}' is not one.",
                                    file=file, fix="name a question of the right kind."))
    return problems

