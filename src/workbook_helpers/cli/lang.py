"""The command line's language commands: `workbook languages`, `workbook respondent lang`,
`workbook engagement lang`, and the `--lang` check of `engagement create` and
`respondent add`.

Their messages go through the `apps` catalogue in the language of the terminal (the gettext
convention: `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`; English when none is spoken).
"""

from __future__ import annotations

import os

import click

from ..exceptions import BadInputError, Problem
from ..ids import check_slug
from .common import FORMAT, _emit_json, _store


def terminal_language() -> str:
    """The language of the terminal, from the gettext variables ("de_DE.UTF-8" gives "de");
    English when none names a language the interface speaks."""
    from ..i18n import resolve_language

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        for part in value.split(":"):
            tag = part.split(".")[0].split("@")[0]
            if tag and tag not in ("C", "POSIX"):
                got = resolve_language(tag)
                if got != "en" or tag.lower().startswith("en"):
                    return got
    return "en"


def checked_lang(tag: str | None, option: str = "--lang") -> str | None:
    """A `--lang` value the interface speaks (normalized), None when not given; a bad one is
    an exit-2 error naming the option and the languages there are."""
    from ..i18n import check_language

    if tag is None or not tag.strip():
        return None
    return check_language(tag, where=Problem("", column=option))


@click.command("languages")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
@click.pass_context
def languages(ctx: click.Context, fmt: str) -> None:
    """List the languages: of the interface (questionnaire, apps, reports) and of the bank."""
    from ..bank.choice import bank_path
    from ..bank.translations import available_languages as bank_languages
    from ..config import default_bank_path
    from ..i18n import available_languages, gettext_for

    chosen = ctx.obj.get("bank") if ctx.obj else None
    bank = bank_languages(bank_path(chosen) if chosen else default_bank_path())
    apps = available_languages("apps")
    report = available_languages("report")
    rows = [{"lang": tag, "name": name, "questionnaire": tag in apps, "report": tag in report,
             "bank": tag in bank} for tag, name in {**apps, **report, **bank}.items()]
    if fmt == "json":
        _emit_json(rows)
        return
    _ = gettext_for(terminal_language(), "apps")
    yes, no = _("yes"), _("no")
    click.echo(_("Languages (tag, name, questionnaire and apps, reports, question bank):"))
    for r in rows:
        click.echo(f"  {r['lang']:<6} {r['name']:<12} {yes if r['questionnaire'] else no:<5} "
                   f"{yes if r['report'] else no:<5} {yes if r['bank'] else no}")


@click.command("lang")
@click.argument("engagement_id")
@click.argument("respondent_id")
@click.argument("tag", required=False)
@click.option("--clear", is_flag=True,
              help="Forget their language (the engagement's language applies).")
def respondent_lang(engagement_id: str, respondent_id: str, tag: str | None,
                    clear: bool) -> None:
    """Set (or with --clear forget) the language a respondent's questionnaire opens in."""
    from ..i18n import available_languages, gettext_for

    check_slug(engagement_id, "engagement id", column="ENGAGEMENT_ID")
    check_slug(respondent_id, "respondent id", column="RESPONDENT_ID")
    _ = gettext_for(terminal_language(), "apps")
    if clear == bool(tag):
        raise BadInputError(Problem(
            _("give a language, or --clear."), column="TAG",
            fix=_("e.g. 'workbook respondent lang %(eng)s %(who)s de'.",
                  eng=engagement_id, who=respondent_id)))
    lang = None if clear else checked_lang(tag, "TAG")
    _store().set_respondent_language(engagement_id, respondent_id, lang)
    if lang is None:
        click.echo(_("'%(who)s' answers in the engagement's language.", who=respondent_id))
    else:
        click.echo(_("'%(who)s' answers in %(language)s (%(tag)s).", who=respondent_id,
                     language=available_languages()[lang], tag=lang))


@click.command("lang")
@click.argument("engagement_id")
@click.argument("tag")
def engagement_lang(engagement_id: str, tag: str) -> None:
    """Set the engagement's language (its reports, dashboard and setup; the questionnaire of
    respondents without a language of their own)."""
    from ..i18n import available_languages, gettext_for

    check_slug(engagement_id, "engagement id", column="ENGAGEMENT_ID")
    lang = checked_lang(tag, "TAG")
    assert lang is not None
    _store().set_engagement_language(engagement_id, lang)
    _ = gettext_for(terminal_language(), "apps")
    click.echo(_("'%(eng)s' now speaks %(language)s (%(tag)s).", eng=engagement_id,
                 language=available_languages()[lang], tag=lang))
