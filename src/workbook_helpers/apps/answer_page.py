"""The light questionnaire: the respondent's personal link as one plain page, no kernel.

A room of forty executives opening their links at once cannot each wait for a Jupyter kernel
and load JupyterLab's front end (about 5 MB of script, several CPU-seconds per browser). So
`workbook serve` answers a personal link with one self-contained HTML page: the questions of
the link's round, the respondent's saved answers and a small script that shows one question
at a time and posts each answer the moment it is given. The page is built here from the same
bank, store and templates as the widget questionnaire (`apps.questionnaire`, still used in
JupyterLab and with `serve --questionnaire voila`); the server side (`answer_handlers`) only
calls `page_html` and `save_answer`.

Every text that comes from people (names, organisations, comments) reaches the page either
through the autoescaping templates or as JSON read by the script with `textContent`; the JSON
is embedded so that no `</script>` or `<!--` inside it can end its element.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..bank import Bank, Question
from ..config import resource
from ..exceptions import AccessDeniedError, WorkbookError
from ..store import Store
from ..store.store import Respondent
from ..templating import Markup, render
from .access import BAD_LINK, resolve_respondent
from .params import AppParams
from .questionnaire import DK, NA, OTHER, OTHER_SIDE, SELF, OnScreen, load_answers, possessive

SCRIPT = ("templates", "sections", "apps", "answer_page.js")

#: every sentence the page's script shows, with `{name}` placeholders it fills in; the
#: server hands them over (translated once the interface speaks the respondent's language)
PAGE_TEXT: dict[str, str] = {
    "progress": "{label}: {done} of {total} {verb}",
    "overall": "Overall progress",
    "answered": "answered",
    "given": "given",
    "list_title": "{title}: {done} of {total} answered",
    "list_title_expect": "{title}: {done} of {total} answered, {given} of {expect} estimates "
                         "given",
    "own_none": "You have not answered this question yourself yet.",
    "own_dk": "Your own answer: don't know.",
    "own_na": "Your own answer: does not apply to our role.",
    "own_value": "Your own answer: {value} · {anchor}",
    "comment_own": "Add a comment for the facilitator (optional)",
    "comment_expect": "Why do you expect this of them? (optional, for the facilitator)",
    "next": "Next →",
    "finish": "Finish",
    "saved": "✓ Saved",
    "saved_at": "✓ Saved at {at} UTC",
    "saved_estimate": "✓ Saved your estimate",
    "saved_estimate_at": "✓ Saved your estimate at {at} UTC",
    "refused": "This answer could not be saved: {reason}.",
    "refused_default": "the server refused it",
    "store_down": "Not saved yet: the workbook's store cannot be reached.",
    "server_down": "Not saved yet: the workbook's server cannot be reached.",
    "kept_one": "Your answer is kept on this page and we will try again in {delay} s.",
    "kept_many": "Your {n} latest answers are kept on this page and we will try again in "
                 "{delay} s.",
    "hint_own": "Choose an answer and your comment will be saved with it.",
    "hint_expect": "Choose an estimate and your comment will be saved with it.",
    "thanks_all": "Thank you: all your answers are saved.",
    "thanks_all_expect": "Thank you: all your answers and estimates are saved.",
    "thanks_some": "Thank you. You have answered {done} of {total} questions; the rest can "
                   "be answered later with the same link.",
    "thanks_some_expect": "Thank you. You have answered {done} of {total} questions and given "
                          "{given} of {expect} estimates of {other}; the rest can be answered "
                          "later with the same link.",
    "expect_progress": "Your estimates of {other}",
}


@dataclass(frozen=True)
class PageStep:
    """One screen of the light questionnaire, ready for the page's script."""

    q: str
    about: str
    list: str
    card: str
    choices: builtins.list[tuple[int | str, str]]
    anchors: dict[str, str]


@dataclass(frozen=True)
class Posted:
    """One answer as the page posts it: a scale point, 'dk' or 'na', and the comment."""

    token: str
    question_id: str
    about: str
    choice: int | str
    comment: str = ""


def respondent_for(store: Store, token: str, engagement: str = "",
                   respondent: str = "") -> Respondent:
    """The respondent a personal link names, or AccessDeniedError with the usual messages (a
    link that names nobody; a link asked to open another engagement or person)."""
    if not token:
        raise AccessDeniedError(BAD_LINK)
    return resolve_respondent(store, AppParams(engagement, respondent, token=token,
                                               from_url=True))


def round_bank(store: Store, who: Respondent, default: Bank) -> Bank:
    """The bank of the respondent's round (the default bank when the round names none)."""
    from ..banks import bank_for

    return bank_for(store.round(who.engagement, who.round).bank, default)


def _choices(q: Question, expecting: bool) -> list[tuple[int | str, str]]:
    dk = "Don't know what they will answer" if expecting else "Don't know"
    out: list[tuple[int | str, str]] = [(p, f"{p} · {q.scale.anchors[p]}")
                                        for p in q.scale.points]
    out.append((DK, dk))
    if q.na_roles and not expecting:
        out.append((NA, f"Does not apply to our role ({', '.join(q.na_roles)})"))
    return out


def page_steps(store: Store, bank: Bank, who: Respondent, list_id: str = "") -> list[PageStep]:
    """Every step of the respondent's questionnaire (own answers, and estimates of the other
    side where the engagement asks for them), each with its card already rendered."""
    eng = store.engagement(who.engagement)
    lists = [lid for lid in bank.list_ids() if not list_id or lid == list_id]
    if not lists:
        raise WorkbookError(f"there is no question list '{list_id}'.")
    other_side = OTHER_SIDE.get(who.side, "partner")
    other_org = eng.org(other_side)
    steps: list[PageStep] = []
    for lid in lists:
        in_list = bank.questions_in(lid)
        title = bank.list_map[lid].title
        for pos, q in enumerate(in_list, start=1):
            where = {"list_title": title, "pos": pos, "count": len(in_list)}
            anchors = {str(p): a for p, a in q.scale.anchors.items()}
            own_tag = bool(q.expect and eng.expectations)
            steps.append(PageStep(q.id, SELF, lid, str(render(
                "apps/question.html.j2", expecting=False, q=q, own_tag=own_tag, **where)),
                _choices(q, False), anchors))
            if own_tag:
                card = render("apps/question.html.j2", expecting=True, q=q, **where,
                              other_side=other_side, other_org=other_org,
                              other_owner=possessive(other_org), mine=OnScreen(),
                              us=eng.org(who.side))
                steps.append(PageStep(q.id, OTHER, lid, str(card), _choices(q, True),
                                      anchors))
    return steps


def _state(answers: dict[str, OnScreen]) -> dict[str, dict[str, Any]]:
    return {qid: {"value": a.value, "dk": a.dont_know, "na": a.not_applicable,
                  "comment": a.comment} for qid, a in answers.items() if a.answered}


def page_data(store: Store, bank: Bank, who: Respondent, *, post_url: str, xsrf: str,
              token: str, list_id: str = "") -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready values."""
    eng = store.engagement(who.engagement)
    steps = page_steps(store, bank, who, list_id)
    expecting = any(s.about == OTHER for s in steps)
    lists = []
    for lid in dict.fromkeys(s.list for s in steps):
        lists.append({"id": lid, "title": bank.list_map[lid].title,
                      "total": sum(1 for s in steps if s.list == lid and s.about == SELF),
                      "expect_total": sum(1 for s in steps if s.list == lid
                                          and s.about == OTHER)})
    other_org = eng.org(OTHER_SIDE.get(who.side, "partner"))
    return {
        "token": token, "xsrf": xsrf, "post": post_url,
        "lists": lists, "steps": [asdict(s) for s in steps],
        "answers": _state(load_answers(store, who)),
        "expected": _state(load_answers(store, who, OTHER)) if expecting else {},
        "other_org": other_org,
        "text": page_text(),
    }


def page_text(translate: Any = None) -> dict[str, str]:
    """The script's sentences, through `translate` (a gettext function) when one is given."""
    return {key: (translate(text) if translate else text) for key, text in PAGE_TEXT.items()}


def embed_json(value: Any) -> Markup:
    """`value` as JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, safe in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return Markup(text)


def _script() -> str:
    path: Path = resource(*SCRIPT)
    return path.read_text(encoding="utf-8")


def page_html(store: Store, default_bank: Bank, token: str, *, post_url: str, xsrf: str,
              nonce: str, css: Markup, list_id: str = "", engagement: str = "",
              respondent: str = "") -> str:
    """The light questionnaire page for the personal link `token` (AccessDeniedError when the
    link names nobody, or is asked for another `engagement` or `respondent`)."""
    who = respondent_for(store, token, engagement, respondent)
    bank = round_bank(store, who, default_bank)
    eng = store.engagement(who.engagement)
    data = page_data(store, bank, who, post_url=post_url, xsrf=xsrf, token=token,
                     list_id=list_id)
    other_org = data["other_org"]
    n_expect = sum(1 for s in data["steps"] if s["about"] == OTHER)
    return str(render("apps/answer_page.html.j2", css=css, nonce=nonce,
                      data=embed_json(data), script=Markup(_script()), eng=eng, who=who,
                      org=eng.org(who.side), n_expect=n_expect, other_org=other_org,
                      other_owner=possessive(other_org)))


def error_html(message: str, css: Markup, kind: str = "error") -> str:
    """A plain page that only says what went wrong and what to do."""
    return str(render("apps/answer_error.html.j2", css=css, message=message, kind=kind))


def parse_posted(body: bytes) -> Posted:
    """The answer a page posted, or WorkbookError naming what is wrong with it."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbookError(f"the answer is not valid JSON ({exc}).") from exc
    if not isinstance(raw, dict):
        raise WorkbookError("the answer must be a JSON object.")
    choice = raw.get("choice")
    if isinstance(choice, bool) or not (isinstance(choice, int) or choice in (DK, NA)):
        raise WorkbookError(f"choice must be a scale point, 'dk' or 'na', not {choice!r}.")
    about = raw.get("about", SELF)
    if about not in (SELF, OTHER):
        raise WorkbookError(f"about must be '{SELF}' or '{OTHER}', not {about!r}.")
    comment = raw.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 5000:
        raise WorkbookError("the comment must be text of at most 5,000 characters.")
    return Posted(str(raw.get("t", "")), str(raw.get("q", "")), about, choice, comment)


def save_answer(store: Store, default_bank: Bank, posted: Posted) -> dict[str, Any]:
    """Store one posted answer for the link's respondent in the link's round; returns the
    status the page shows. AccessDeniedError for a link that names nobody, WorkbookError for
    an answer the bank does not allow; StoreError when the store cannot be reached (the page
    keeps the answer and tries again)."""
    who = respondent_for(store, posted.token)
    bank = round_bank(store, who, default_bank)
    q = bank.question_map.get(posted.question_id)
    if q is None:
        raise WorkbookError(f"there is no question '{posted.question_id}' in this "
                            "questionnaire.")
    choice = posted.choice
    if isinstance(choice, int) and choice not in q.scale.points:
        raise WorkbookError(f"{choice} is not a point of the scale of '{q.id}' "
                            f"({q.scale.min}-{q.scale.max}).")
    if choice == NA and (posted.about == OTHER or not q.na_roles):
        raise WorkbookError(f"'does not apply' is not an answer to '{q.id}'.")
    if posted.about == OTHER and not q.expect:
        raise WorkbookError(f"'{q.id}' does not ask for an estimate of the other side.")
    saved = store.record_answer(
        who.engagement, who.id, q.id, choice if isinstance(choice, int) else None,
        comment=posted.comment, dont_know=choice == DK, source="app", about=posted.about,
        round_id=who.round, not_applicable=choice == NA)
    return {"state": "saved" if saved.changed else "unchanged",
            "at": saved.answered_at.strftime("%H:%M:%S") if saved.answered_at else ""}
