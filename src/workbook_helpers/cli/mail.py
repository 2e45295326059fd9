"""The `workbook invite`, `workbook remind` and `workbook respondent email` commands: personal
links by e-mail (or as `.eml` files), reminders to those who have not finished, and the
addresses they go to."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from ..exceptions import BadInputError, Problem
from .common import _bank, _emit_json, _store


def _ids(**ids: str) -> None:
    from ..ids import check_slug

    for column, value in ids.items():
        check_slug(value, column.lower().replace("_", " "), column=column)


@click.command("email")
@click.argument("engagement_id")
@click.argument("respondent_id")
@click.argument("address", required=False)
@click.option("--clear", is_flag=True, help="Forget the address.")
def respondent_email(engagement_id: str, respondent_id: str, address: str | None,
                     clear: bool) -> None:
    """Set (or with --clear forget) a respondent's e-mail address."""
    from ..answers.addresses import check_email

    _ids(ENGAGEMENT_ID=engagement_id, RESPONDENT_ID=respondent_id)
    if clear == bool(address):
        raise BadInputError(Problem("give an address, or --clear.", column="ADDRESS",
                                    fix=f"e.g. 'workbook respondent email {engagement_id} "
                                    f"{respondent_id} name@company.com'."))
    checked = None if clear else check_email(address, column="ADDRESS", who=respondent_id)
    _store().set_respondent_email(engagement_id, respondent_id, checked)
    click.echo(f"{'Forgot the address of' if clear else 'Address set for'} '{respondent_id}' "
               f"in '{engagement_id}'.")


def _deadline(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInputError(Problem(f"--deadline {value!r} is not a date.", column="--deadline",
                                    fix="use YYYY-MM-DD, e.g. 2027-01-15.")) from None


def _common(f: Any) -> Any:
    options = [
        click.option("--round", "round_id", default=None,
                     help="The round whose respondents are written to (default: the latest)."),
        click.option("--dry-run", is_flag=True,
                     help="Show who would get which message and why others would not; send "
                          "and record nothing."),
        click.option("--to", "to", multiple=True, metavar="ID",
                     help="Only these respondents (repeat the option)."),
        click.option("--eml", "eml_dir", default=None, metavar="DIR",
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Write the messages as .eml files into DIR for your own mail program "
                          "instead of sending them (no server needed)."),
        click.option("--deadline", default=None, metavar="YYYY-MM-DD",
                     help="The date to answer by, said in the message."),
        click.option("--purpose", default="",
                     help="Why people are asked, in a sentence or two (default: a sentence "
                          "naming both companies and the workshop)."),
        click.option("--from", "sender", default="", metavar="ADDRESS",
                     help="Sender address (default: ?from= of WORKBOOK_SMTP_URL, or its "
                          "login when that is an address)."),
        click.option("--signed", default="", metavar="NAME",
                     help="Who signs the message (default: the host company's alliance team)."),
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                     show_default=True, help="How to show what was (or would be) sent."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.command()
@click.argument("engagement_id")
@_common
@click.option("--again", is_flag=True,
              help="Invite again those already invited (e.g. with --to ID for a lost link).")
@click.pass_context
def invite(ctx: click.Context, /, engagement_id: str, again: bool, **opts: Any) -> None:
    """E-mail each respondent of a round their personal questionnaire link.

    Those already invited to the round are left out, so running it again after a failure sends
    only what is missing. Exit 2 on bad input, 1 when the mail server fails (what was sent
    stays recorded as sent).
    """
    _run(ctx, engagement_id, "invite", again=again, interval=timedelta(0), **opts)


@click.command()
@click.argument("engagement_id")
@_common
@click.option("--interval", type=float, default=48.0, show_default=True, metavar="HOURS",
              help="Never write to the same person twice within this many hours.")
@click.pass_context
def remind(ctx: click.Context, /, engagement_id: str, interval: float,
           **opts: Any) -> None:
    """Remind those who have not finished a round's questionnaire, saying how far they got.

    Nobody is written to twice within --interval hours (an invitation counts). Exit codes as
    for 'workbook invite'.
    """
    if interval < 0:
        raise BadInputError(Problem("--interval cannot be negative.", column="--interval",
                                    fix="give hours, e.g. 48."))
    _run(ctx, engagement_id, "remind", again=False, interval=timedelta(hours=interval), **opts)


def _run(ctx: click.Context, engagement_id: str, kind: str, *, round_id: str | None,
         dry_run: bool, to: tuple[str, ...], eml_dir: Path | None, deadline: str | None,
         purpose: str, sender: str, signed: str, fmt: str, again: bool,
         interval: timedelta) -> None:
    from ..answers.addresses import check_email
    from ..apps.links import base_url
    from ..bank.choice import bank_for
    from ..config import PUBLIC_URL_ENV, settings
    from ..invitations import MailContext, deliver, parse_smtp_url, plan_messages, write_eml
    from ..invitations.plan import minutes_needed, round_of

    _ids(ENGAGEMENT_ID=engagement_id)
    for t in to:
        _ids(**{"--to": t})
    day = _deadline(deadline)
    sender = check_email(sender, column="--from") or ""
    store = _store()
    bank = _bank(ctx)
    eng = store.engagement(engagement_id)
    rnd = round_of(store, engagement_id, round_id)
    target = None
    if not dry_run and eml_dir is None:
        target = parse_smtp_url()
        sender = sender or target.default_sender
        if not sender:
            raise BadInputError(Problem(
                "no sender address.", column="--from",
                fix="give --from ADDRESS, or add ?from=ADDRESS to WORKBOOK_SMTP_URL."))
    if not dry_run and not settings().public_url:
        raise BadInputError(Problem(
            f"{PUBLIC_URL_ENV} is not set, so the links would point at {base_url()}, which "
            "respondents cannot reach.", column=PUBLIC_URL_ENV,
            fix=f"set {PUBLIC_URL_ENV} to the address respondents use, e.g. "
            "https://workshop.company.com (see docs/invitations.md)."))
    planned = plan_messages(store, bank, engagement_id, rnd.id, kind, to=to, again=again,
                            interval=interval, need_address=eml_dir is None)
    going = [p for p in planned if p.goes]
    rbank = bank_for(rnd.bank, bank)
    mail = MailContext(eng, rnd.title or rnd.id, purpose, day,
                       minutes_needed(rbank, eng.expectations), sender, signed)
    if dry_run:
        _show(planned, fmt, f"Dry run: nothing was sent or recorded. Round '{rnd.id}' of "
              f"'{engagement_id}', {len(going)} {kind} message(s) would go out.")
        return
    if not going:
        _show(planned, fmt, f"Nothing to send: no respondent of round '{rnd.id}' needs "
              f"{'an invitation' if kind == 'invite' else 'a reminder'}.")
        return
    if eml_dir is not None:
        report = write_eml(store, going, mail, eml_dir)
        _show(planned, fmt, f"Wrote {len(report.files)} message(s) to {eml_dir}: open them in "
              "your mail program and send them (they are recorded as sent).")
        return
    assert target is not None
    report = deliver(store, going, mail, target)
    _show(planned, fmt, f"Sent {len(report.sent)} {kind} message(s) through "
          f"{target.describe()}.")


def _show(planned: list[Any], fmt: str, headline: str) -> None:
    rows = [{"respondent": p.respondent.id, "name": p.respondent.name,
             "side": p.respondent.side, "address": p.address, "kind": p.kind,
             "progress": f"{p.answered}/{p.total}", "link": p.link,
             "goes": p.goes, "why_not": p.skip} for p in planned]
    if fmt == "json":
        _emit_json({"summary": headline, "messages": rows})
        return
    click.echo(headline)
    for p in planned:  # one line each: links are never cut to a terminal's width
        who = f"{p.respondent.name} ({p.respondent.id}, {p.respondent.side})"
        done = f"{p.answered}/{p.total} answered"
        if p.goes:
            click.echo(f"  {p.kind} -> {who} <{p.address or 'no address'}>, {done}: {p.link}")
        else:
            click.echo(f"  left out: {who}, {done}: {p.skip}")
