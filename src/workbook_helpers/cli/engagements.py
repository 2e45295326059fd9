"""The `workbook engagement` commands: create and list engagements (`engagement lang` is in
`lang`)."""

from __future__ import annotations

import click

from .common import FORMAT, _bank, _console, _emit_json, _store


@click.group()
def engagement() -> None:
    """Create and list engagements (one prospective partnership each)."""


@engagement.command("create")
@click.argument("engagement_id")
@click.option("--host-org", required=True, help="Name of the company running the assessment.")
@click.option("--partner-org", required=True, help="Name of the prospective partner.")
@click.option("--title", default=None, help="A title for reports (default: both names).")
@click.option("--lang", "lang", default=None, metavar="TAG",
              help="Language of its reports, dashboard and setup, and of the questionnaire "
                   "for respondents without a language of their own (default: en).")
@click.pass_context
def engagement_create(ctx: click.Context, engagement_id: str, host_org: str, partner_org: str,
                      title: str | None, lang: str | None) -> None:
    """Create an engagement with the two organisations' names."""
    from ..ids import check_slug
    from .lang import checked_lang

    check_slug(engagement_id, "engagement id", column="ENGAGEMENT_ID")
    tag = checked_lang(lang)
    bank = _bank(ctx)
    e = _store().create_engagement(engagement_id, host_org, partner_org, title, bank.version,
                                   lang=tag)
    click.echo(f"Created engagement '{e.id}': {e.host_org} (host) and {e.partner_org} (partner).")


@engagement.command("list")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
def engagement_list(fmt: str) -> None:
    """List the engagements in the store."""
    frame = _store().engagements()
    rows = frame.assign(created_at=frame["created_at"].astype(str)).to_dict("records")
    if fmt == "json":
        _emit_json(rows)
    else:
        from ..presenting.terminal import print_frame

        print_frame(_console(), "Engagements", rows,
                    ["engagement", "title", "host_org", "partner_org", "respondents"])
