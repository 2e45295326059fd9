"""The message itself: subject, plain text and HTML from the mail templates of one language.

Templates live in `templates/sections/mail/<language>/` (one folder per BCP 47 tag; English,
`en`, now): `invite.subject.j2`, `invite.txt.j2`, `invite.html.j2` and the same for `remind`.
The HTML goes through the shared, autoescaping environment (`templating`), so a respondent's
or an organisation's name shows as written and can never become markup; the plain text and
the subject are text, rendered without HTML escaping, and header values lose any line break.
A language is added by adding its folder: `template_language` picks the respondent's tag,
else its primary subtag (`de` for `de-CH`), else English.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from ..presenting.templating import render, template_dir
from ..store import Engagement
from ..store.base import now

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from .plan import Planned

DEFAULT_LANGUAGE = "en"


def _mail_dir() -> Any:
    return template_dir() / "mail"


def languages() -> tuple[str, ...]:
    """The languages that have a template set (folder names under `mail/`)."""
    folder = _mail_dir()
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir())) if folder.is_dir() \
        else ()



def template_language(lang: str | None) -> str:
    """The template set for a respondent's language tag: the tag itself, else its primary
    subtag, else English."""
    have = languages()
    tag = (lang or "").strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        if candidate and candidate in have:
            return candidate
    return DEFAULT_LANGUAGE


@functools.cache
def _text_environment() -> jinja2.Environment:
    """Templates of the plain-text part and the subject: text, so no HTML escaping."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_mail_dir())),
                              autoescape=False, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class MailContext:
    """What every message of one run shares: the engagement, the round, why, by when, how
    long, and who writes."""

    engagement: Engagement
    round_title: str
    purpose: str
    deadline: date | None
    minutes: int
    sender: str = ""
    signed: str = ""


def default_purpose(engagement: Engagement) -> str:
    """The sentence on why people are asked, when the facilitator gives none."""
    return (f"{engagement.host_org} and {engagement.partner_org} are preparing a workshop on "
            "whether and how to work together as alliance partners. Before it, the executives "
            "of both companies each answer the same questions, so that the workshop can "
            "spend its time where the two sides see things differently.")


def _one_line(text: str) -> str:
    """A header value: no line breaks, no runs of blanks."""
    return re.sub(r"\s+", " ", text).strip()


def _long_date(day: date | None) -> str:
    return "" if day is None else f"{day:%A} {day.day} {day:%B %Y}"


def compose(planned: Planned, ctx: MailContext, lang: str | None = None) -> EmailMessage:
    """One respondent's invitation or reminder: subject, plain text and HTML alternative."""
    language = template_language(lang)
    e = ctx.engagement
    values = {
        "name": planned.respondent.name, "role": planned.respondent.role,
        "side_org": e.org(planned.respondent.side), "host_org": e.host_org,
        "partner_org": e.partner_org, "title": e.title, "round_title": ctx.round_title,
        "purpose": ctx.purpose or default_purpose(e), "deadline": _long_date(ctx.deadline),
        "minutes": ctx.minutes, "link": planned.link, "answered": planned.answered,
        "total": planned.total, "remaining": max(0, planned.total - planned.answered),
        "started": planned.started, "signed": ctx.signed or f"The alliance team at {e.host_org}",
    }
    env = _text_environment()
    base = f"{language}/{planned.kind}"
    subject = env.get_template(f"{base}.subject.j2").render(**values)
    text = env.get_template(f"{base}.txt.j2").render(**values)
    html = render(f"mail/{base}.html.j2", **values)
    msg = EmailMessage()
    msg["Subject"] = _one_line(subject)
    if ctx.sender:
        msg["From"] = ctx.sender
    if planned.address:
        local, _, domain = planned.address.rpartition("@")
        msg["To"] = Address(display_name=_one_line(planned.respondent.name), username=local,
                            domain=domain)
    msg["Date"] = format_datetime(now())
    domain = ctx.sender.rpartition("@")[2] if "@" in ctx.sender else "alliance-workbook.invalid"
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
    msg["Content-Language"] = language
    msg.set_content(text)
    msg.add_alternative(f"<!DOCTYPE html>\n<html lang=\"{language}\">{html}</html>\n",
                        subtype="html")
    return msg
