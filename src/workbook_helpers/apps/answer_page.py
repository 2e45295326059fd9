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
from ..i18n import available_languages, check_language, gettext_for, resolve_language, translations
from ..presenting.templating import Markup, render
from ..store import Store
from ..store.store import Respondent
from .access import BAD_LINK, resolve_respondent
from .params import AppParams
from .questionnaire import (
    DK,
    NA,
    OTHER,
    OTHER_SIDE,
    SELF,
    OnScreen,
    bank_in,
    load_answers,
    possessive,
)

SCRIPT = ("templates", "sections", "apps", "answer_page.js")

def N_(message: str) -> str:
    """Mark a message for the `apps` catalogue without translating it here."""
    return message


#: every sentence the page's script shows, with `%(name)s` placeholders it fills in; the
#: server hands them over in the page's language (the `apps` catalogue)
PAGE_TEXT: dict[str, str] = {
    "answered_of": N_("%(done)d of %(total)d answered"),
    "given_of": N_("%(done)d of %(total)d given"),
    "overall": N_("Overall progress"),
    "list_title": N_("%(list)s: %(n)d of %(total)d answered"),
    "list_title_expect": N_("%(list)s: %(n)d of %(total)d answered, %(e)d of %(etotal)d "
                            "estimates given"),
    "own_none": N_("You have not answered this question yourself yet."),
    "own_dk": N_("Your own answer: don't know."),
    "own_na": N_("Your own answer: does not apply to our role."),
    "own_value": N_("Your own answer: %(value)s · %(anchor)s"),
    "comment_own": N_("Add a comment for the facilitator (optional)"),
    "comment_expect": N_("Why do you expect this of them? (optional, for the facilitator)"),
    "next": N_("Next →"),
    "finish": N_("Finish"),
    "saved": N_("✓ Saved"),
    "saved_at": N_("✓ Saved at %(time)s UTC"),
    "saved_estimate": N_("✓ Saved your estimate"),
    "saved_estimate_at": N_("✓ Saved your estimate at %(time)s UTC"),
    "refused": N_("This answer could not be saved: %(reason)s"),
    "refused_default": N_("the server refused it"),
    "hint_own": N_("Choose an answer and your comment will be saved with it."),
    "hint_expect": N_("Choose an estimate and your comment will be saved with it."),
    "thanks_all": N_("Thank you: all your answers are saved."),
    "thanks_all_expect": N_("Thank you: all your answers and estimates are saved."),
    "thanks_some": N_("Thank you. You have answered %(n)d of %(total)d questions; the rest "
                      "can be answered later with the same link."),
    "thanks_some_expect": N_("Thank you. You have answered %(n)d of %(total)d questions and "
                             "given %(e)d of %(etotal)d estimates of %(org)s; the rest can be "
                             "answered later with the same link."),
    "expect_progress": N_("Your estimates of %(org)s"),
    "back": N_("← Back"),
    "back_title": N_("Previous question"),
    "next_title": N_("Next question"),
    "retry": N_("Try again now"),
    "comment": N_("Comment"),
    "language": N_("Language"),
    "questionnaire": N_("Your questionnaire"),
}
def n_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for the `apps` catalogue (extracted as `n_`)."""
    return singular, plural


#: what a link that cannot open a questionnaire says (the English texts are `access`'s
#: messages, so that the page shows them in the visitor's language)
ERROR_TEXT: tuple[str, ...] = (
    N_("This link does not open a questionnaire. Please use the personal link your "
       "facilitator sent you, or ask them for a new one."),
    N_("This personal link belongs to someone else's questionnaire; it cannot open another "
       "engagement or respondent."),
    N_("The workbook's store cannot be reached just now. Reload this page in a moment; "
       "nothing you saved is lost."),
)
STORE_DOWN = ERROR_TEXT[2]


#: sentences with a singular and a plural form: (singular, plural), handed over for 1 and 2
PAGE_PLURALS: dict[str, tuple[str, str]] = {
    "store_down": n_("Not saved yet: the workbook's store cannot be reached. Your answer is kept "
                   "on this page and we will try again in %(seconds)d s.",
                   "Not saved yet: the workbook's store cannot be reached. Your %(num)d latest "
                   "answers are kept on this page and we will try again in %(seconds)d s."),
    "server_down": n_("Not saved yet: the workbook's server cannot be reached. Your answer is "
                    "kept on this page and we will try again in %(seconds)d s.",
                    "Not saved yet: the workbook's server cannot be reached. Your %(num)d "
                    "latest answers are kept on this page and we will try again in "
                    "%(seconds)d s."),
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
    """One answer as the page posts it: a scale point, 'dk' or 'na', the comment, and the
    language the page spoke."""

    token: str
    question_id: str
    about: str
    choice: int | str
    comment: str = ""
    lang: str | None = None


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
    from ..bank.choice import bank_for

    return bank_for(store.round(who.engagement, who.round).bank, default)


def _choices(q: Question, expecting: bool, lang: str) -> list[tuple[int | str, str]]:
    _ = gettext_for(lang, "apps")
    dk = _("Don't know what they will answer") if expecting else _("Don't know")
    out: list[tuple[int | str, str]] = [(p, f"{p} · {q.scale.anchors[p]}")
                                        for p in q.scale.points]
    out.append((DK, dk))
    if q.na_roles and not expecting:
        out.append((NA, _("Does not apply to our role (%(roles)s)",
                          roles=", ".join(q.na_roles))))
    return out


def page_language(store: Store, who: Respondent, asked: str = "") -> str:
    """The language the page speaks: the one asked for in the link (a switch), else the
    respondent's, else the engagement's, else English."""
    eng = store.engagement(who.engagement)
    return resolve_language(asked or None, who.lang, eng.lang)


def page_steps(store: Store, bank: Bank, who: Respondent, list_id: str = "",
               lang: str = "en") -> list[PageStep]:
    """Every step of the respondent's questionnaire (own answers, and estimates of the other
    side where the engagement asks for them), each with its card already rendered in
    `lang` (`bank` already speaks it)."""
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
                "apps/question.html.j2", expecting=False, q=q, own_tag=own_tag, lang=lang,
                **where)), _choices(q, False, lang), anchors))
            if own_tag:
                card = render("apps/question.html.j2", expecting=True, q=q, **where,
                              other_side=other_side, other_org=other_org,
                              other_owner=possessive(other_org, lang), mine=OnScreen(),
                              us=eng.org(who.side), lang=lang)
                steps.append(PageStep(q.id, OTHER, lid, str(card), _choices(q, True, lang),
                                      anchors))
    return steps


def _state(answers: dict[str, OnScreen]) -> dict[str, dict[str, Any]]:
    return {qid: {"value": a.value, "dk": a.dont_know, "na": a.not_applicable,
                  "comment": a.comment} for qid, a in answers.items() if a.answered}


def page_data(store: Store, bank: Bank, who: Respondent, *, post_url: str, xsrf: str,
              token: str, list_id: str = "", lang: str = "en") -> dict[str, Any]:
    """Everything the page's script needs, as JSON-ready values, in `lang`."""
    eng = store.engagement(who.engagement)
    steps = page_steps(store, bank, who, list_id, lang)
    expecting = any(s.about == OTHER for s in steps)
    lists = []
    for lid in dict.fromkeys(s.list for s in steps):
        lists.append({"id": lid, "title": bank.list_map[lid].title,
                      "total": sum(1 for s in steps if s.list == lid and s.about == SELF),
                      "expect_total": sum(1 for s in steps if s.list == lid
                                          and s.about == OTHER)})
    other_org = eng.org(OTHER_SIDE.get(who.side, "partner"))
    return {
        "token": token, "xsrf": xsrf, "post": post_url, "lang": lang,
        "lang_post": post_url.rsplit("/", 1)[0] + "/lang", "list_id": list_id,
        "lists": lists, "steps": [asdict(s) for s in steps],
        "answers": _state(load_answers(store, who)),
        "expected": _state(load_answers(store, who, OTHER)) if expecting else {},
        "other_org": other_org,
        "text": page_text(lang),
    }


def page_text(lang: str = "en") -> dict[str, str]:
    """The script's sentences in `lang` (placeholders left for the script to fill in)."""
    tr = translations(lang, "apps")
    text = {key: tr.gettext(msg) for key, msg in PAGE_TEXT.items()}
    for key, (one, many) in PAGE_PLURALS.items():
        text[f"{key}_one"] = tr.ngettext(one, many, 1)
        text[f"{key}_many"] = tr.ngettext(one, many, 2)
    return text


def page_languages() -> dict[str, str]:
    """The languages the page's switch offers ({tag: own name})."""
    return available_languages("apps")


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


def page_payload(store: Store, default_bank: Bank, who: Respondent, *, post_url: str,
                 xsrf: str, token: str, list_id: str = "", lang: str = "") -> dict[str, Any]:
    """The page's data and its header in one language: what the page is built from, and
    what a language switch draws again in place (same steps, same order, other words)."""
    speak = page_language(store, who, lang)
    bank = bank_in(round_bank(store, who, default_bank), speak)
    eng = store.engagement(who.engagement)
    data = page_data(store, bank, who, post_url=post_url, xsrf=xsrf, token=token,
                     list_id=list_id, lang=speak)
    other_org = data["other_org"]
    n_expect = sum(1 for s in data["steps"] if s["about"] == OTHER)
    header = render("apps/questionnaire_header.html.j2", eng=eng, who=who,
                    org=eng.org(who.side), n_expect=n_expect, other_org=other_org,
                    other_owner=possessive(other_org, speak), lang=speak)
    return {"data": data, "header": str(header)}


def page_html(store: Store, default_bank: Bank, token: str, *, post_url: str, xsrf: str,
              nonce: str, css: Markup, list_id: str = "", engagement: str = "",
              respondent: str = "", lang: str = "") -> str:
    """The light questionnaire page for the personal link `token` (AccessDeniedError when the
    link names nobody, or is asked for another `engagement` or `respondent`), in `lang` when
    given, else in the respondent's language (`page_language`)."""
    who = respondent_for(store, token, engagement, respondent)
    payload = page_payload(store, default_bank, who, post_url=post_url, xsrf=xsrf,
                           token=token, list_id=list_id, lang=lang)
    data = payload["data"]
    return str(render("apps/answer_page.html.j2", css=css, nonce=nonce,
                      data=embed_json(data), script=Markup(_script()),
                      eng=store.engagement(who.engagement), header=Markup(payload["header"]),
                      n_expect=sum(1 for s in data["steps"] if s["about"] == OTHER),
                      lang=data["lang"], languages=page_languages()))


def error_html(message: str, css: Markup, kind: str = "error", lang: str = "en") -> str:
    """A plain page that only says what went wrong and what to do, in `lang` when the
    message is one of the catalogue's (`ERROR_TEXT`)."""
    if message in ERROR_TEXT:
        message = translations(lang, "apps").gettext(message)
    return str(render("apps/answer_error.html.j2", css=css, message=message, kind=kind,
                      lang=lang))


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
    lang = raw.get("lang")
    if lang is not None and (not isinstance(lang, str) or len(lang) > 35):
        raise WorkbookError("lang must be a language tag such as 'de'.")
    return Posted(str(raw.get("t", "")), str(raw.get("q", "")), about, choice, comment,
                  lang or None)


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
        round_id=who.round, not_applicable=choice == NA,
        lang=check_language(posted.lang) if posted.lang else None)
    return {"state": "saved" if saved.changed else "unchanged",
            "at": saved.answered_at.strftime("%H:%M:%S") if saved.answered_at else ""}


def save_language(store: Store, default_bank: Bank, body: bytes, *, post_url: str,
                  xsrf: str) -> dict[str, Any]:
    """Remember the language a respondent chose on their page (`{"t": TOKEN, "lang": TAG,
    "list": LIST}`) and return the page's payload in it (`page_payload`). WorkbookError for a
    language the interface does not speak."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbookError(f"the language choice is not valid JSON ({exc}).") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("lang"), str):
        raise WorkbookError('the language choice must name a language, e.g. {"lang": "de"}.')
    token = str(raw.get("t", ""))
    who = respondent_for(store, token)
    tag = check_language(raw["lang"])
    store.set_respondent_language(who.engagement, who.id, tag)
    return page_payload(store, default_bank, who, post_url=post_url, xsrf=xsrf, token=token,
                        list_id=str(raw.get("list", "")), lang=tag)
