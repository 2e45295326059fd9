"""The `workbook respondent` commands: add and list the people answering for each side
(`respondent email` is in `mail`, `respondent lang` in `lang`)."""

from __future__ import annotations

import click

from ..domain import SIDES
from .common import FORMAT, _console, _emit_json, _store


@click.group()
def respondent() -> None:
    """Add and list the people answering for each side."""


@respondent.command("add")
@click.argument("engagement_id")
@click.argument("respondent_id")
@click.option("--name", required=True, help="Display name.")
@click.option("--side", required=True, type=click.Choice(SIDES))
@click.option("--role", default="", help="E.g. CEO, alliance manager, executive sponsor.")
@click.option("--round", "round_id", default=None,
              help="Round to invite them to (default: the latest).")
@click.option("--email", default=None, metavar="ADDRESS",
              help="Their e-mail address, for 'workbook invite' and 'workbook remind'.")
@click.option("--lang", "lang", default=None, metavar="TAG",
              help="The language their questionnaire opens in, e.g. de, fr, es (default: the "
                   "engagement's language).")
def respondent_add(engagement_id: str, respondent_id: str, name: str, side: str,
                   role: str, round_id: str | None, email: str | None,
                   lang: str | None) -> None:
    """Add a respondent; prints their personal questionnaire link token."""
    from ..answers.addresses import check_email
    from ..ids import check_slug
    from .lang import checked_lang

    check_slug(engagement_id, "engagement id", column="ENGAGEMENT_ID")
    check_slug(respondent_id, "respondent id", column="RESPONDENT_ID")
    address = check_email(email, column="--email")
    tag = checked_lang(lang)
    r = _store().add_respondent(engagement_id, respondent_id, name, side, role, round_id,
                                email=address, lang=tag)
    click.echo(f"Added {r.name} ({r.role or 'no role'}, {r.side}) to '{r.engagement}' "
               f"(round {r.round}).")
    click.echo(f"Personal link token: {r.token}")


@respondent.command("list")
@click.argument("engagement_id")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
@click.option("--round", "round_id", default=None,
              help="Round whose respondents and links to list (default: the latest).")
def respondent_list(engagement_id: str, fmt: str, round_id: str | None) -> None:
    """List an engagement's respondents with their link tokens for a round."""
    store = _store()
    store.engagement(engagement_id)
    rows = [{"id": r.id, "name": r.name, "side": r.side, "role": r.role, "token": r.token,
             "round": r.round, "email": r.email, "lang": r.lang}
            for r in store.respondents(engagement_id, round_id)]
    if fmt == "json":
        _emit_json(rows)
    else:
        from ..presenting.terminal import print_frame

        print_frame(_console(), f"Respondents of {engagement_id}", rows,
                    ["id", "name", "side", "role", "email", "lang", "token"])
