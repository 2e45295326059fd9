"""The `workbook` command line (also `python -m workbook_helpers`).

Exit codes: 0 success, 2 bad input (the message names file, row, column and the fix),
1 anything else. No traceback is shown unless WORKBOOK_DEBUG=1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from ..domain import SIDES
from ..exceptions import BadInputError, Problem, WorkbookError
from ..files import write_atomic
from ..report.exporters import format_help
from .common import FORMAT, _bank, _console, _emit_json, _store, lang_option


def _settings_epilog() -> str:
    from ..config import help_text

    return f"\b\nSettings (environment variables, read in one place):\n{help_text()}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog=_settings_epilog())
@click.option("--bank", "bank_path", type=click.Path(dir_okay=False), default=None,
              envvar="WORKBOOK_BANK", help="Question bank YAML (default: the shipped bank).")
@click.version_option(package_name="alliance-workbook", prog_name="workbook")
@click.pass_context
def cli(ctx: click.Context, bank_path: str | None) -> None:
    """Alliance Workbook: surface and score the assumptions behind a prospective alliance.

    The store is WORKBOOK_DATABASE_URL, or the SQLite file $WORKBOOK_DATA_DIR/workbook.db
    (default ./data).
    """
    ctx.ensure_object(dict)
    ctx.obj["bank"] = bank_path


def _hand_on_bank(ctx: click.Context) -> None:
    """The apps' and reports' kernels read the bank setting too: hand `--bank` on to them."""
    if ctx.obj.get("bank"):
        from ..bank.choice import bank_path
        from ..config import BANK_ENV

        os.environ[BANK_ENV] = str(bank_path(ctx.obj["bank"]).resolve())


# ---- questions --------------------------------------------------------------------------------
@cli.command()
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
@lang_option("questions, help texts and anchors")
@click.pass_context
def questions(ctx: click.Context, fmt: str, lang: str | None) -> None:
    """List the question bank: lists, questions and every anchored scale point."""
    bank = _bank(ctx, lang)
    if fmt == "json":
        _emit_json(bank.to_records())
        return
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    console.print(f"[bold]{escape(bank.bank.title)}[/] (bank {escape(bank.bank.id)} "
                  f"version {escape(bank.version)}, {len(bank.questions)} questions)")
    for lst in bank.lists:
        t = Table(title=f"{lst.title} ({lst.id})", show_lines=True)
        t.add_column("id")
        t.add_column("question")
        t.add_column("scale (raw point: anchor)")
        for q in bank.questions_in(lst.id):
            anchors = "\n".join(f"{k}: {q.scale.anchors[k]}" for k in q.scale.points)
            flag = " (reversed)" if q.reverse else ""
            t.add_row(escape(q.id), escape(q.text + flag), escape(anchors))
        console.print(t)


# ---- engagements ------------------------------------------------------------------------------
@cli.group()
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


# ---- respondents ------------------------------------------------------------------------------
@cli.group()
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
    from ..ids import check_slug
    from ..invitations.addresses import check_email
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


# ---- import / export --------------------------------------------------------------------------
@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map", "map_file", default=None, metavar="MAPPING.yaml",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Read a survey tool's export (CSV or XLSX, one row per respondent) through "
                   "this mapping file (examples in templates/imports/).")
@click.option("--dry-run", is_flag=True,
              help="Show what would be imported (respondents, answers per list, don't-knows, "
                   "rows skipped and why) and write nothing.")
@click.option("--replace", is_flag=True,
              help="JSON: overwrite an engagement of the same id that already exists.")
@click.option("--as", "as_id", default=None, metavar="NEW_ID",
              help="JSON: import the engagement under another id.")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True,
              help="With --dry-run: the summary as a table or JSON.")
@click.pass_context
def import_(ctx: click.Context, file: Path, map_file: Path | None, dry_run: bool,
            replace: bool, as_id: str | None, fmt: str) -> None:
    """Import answers: a CSV (all or nothing), a survey export with --map, or a JSON export."""
    if file.suffix.lower() == ".json" and map_file is None:
        _import_json(file, replace, as_id)
        return
    if replace or as_id:
        raise BadInputError(Problem("--replace and --as apply to JSON exports only.",
                                    file=str(file), fix="drop the option for a CSV file."))
    bank = _bank(ctx)
    if map_file is not None:
        from ..answers.survey import plan_import

        plan = plan_import(file, map_file, bank)
        frame = plan.answers
        if dry_run:
            _show_plan(plan.summary(bank), fmt, str(file))
            return
    else:
        from ..answers.csv_file import read_answers_csv
        from ..bank.choice import round_banks

        frame, warnings = read_answers_csv(file, bank, round_banks(_store(), bank))
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        if dry_run:
            from ..answers.survey import ImportPlan

            people = frame.drop_duplicates(["engagement", "respondent"])[
                ["engagement", "respondent", "side", "name", "role"]]
            _show_plan(ImportPlan(frame, people.reset_index(drop=True)).summary(bank), fmt,
                       str(file))
            return
    counts = _store().import_answers(frame, source="import", file=str(file),
                                     bank_version=bank.version)
    engs = ", ".join(sorted(set(frame["engagement"])))
    click.echo(f"Imported {counts['answers']} answer(s) into {engs} "
               f"({counts['unchanged']} unchanged, {counts['respondents']} new respondent(s), "
               f"{counts['engagements']} new engagement(s)).")


def _show_plan(summary: dict[str, Any], fmt: str, file: str) -> None:
    """What an import would write (nothing is written)."""
    if fmt == "json":
        _emit_json(summary)
        return
    from ..presenting.terminal import print_frame

    con = _console()
    con.print(f"Dry run of {file}: nothing was written.")
    con.print(f"Engagement(s): {', '.join(summary['engagements'])}; "
              f"{summary['answers']} answer(s), {summary['expectations']} expectation(s) of "
              f"the other side, {summary['dont_know']} don't-know, "
              f"{summary['empty_cells']} empty cell(s) left out.")
    print_frame(con, "Respondents", summary["respondents"],
                ["engagement", "respondent", "side", "name", "role"])
    print_frame(con, "Answers per list",
                [{"list": k, "answers": v} for k, v in summary["answers_per_list"].items()],
                ["list", "answers"])
    if summary["skipped_rows"]:
        print_frame(con, "Rows skipped", summary["skipped_rows"], ["row", "reason"])


def _import_json(file: Path, replace: bool, as_id: str | None) -> None:
    from ..answers.archive import read_engagement_json
    from ..ids import check_slug

    docs = read_engagement_json(file)
    if as_id is not None:
        check_slug(as_id, "engagement id", column="--as")
        if len(docs) > 1:
            raise BadInputError(Problem(f"--as needs a file with one engagement; this one has "
                                        f"{len(docs)}.", file=str(file),
                                        fix="export the engagement on its own."))
    store = _store()
    if not replace:
        clash = [d["engagement"]["id"] for d in docs
                 if as_id is None and store.has_engagement(d["engagement"]["id"])]
        if as_id is not None and store.has_engagement(as_id):
            clash = [as_id]
        if clash:
            raise BadInputError(Problem(
                f"engagement(s) already in the store: {', '.join(clash)}.", file=str(file),
                fix="add --replace to overwrite, or --as NEW_ID to import a copy."))
    for doc in docs:
        counts = store.restore_engagement(doc, new_id=as_id, replace=replace)
        click.echo(f"Restored engagement '{as_id or doc['engagement']['id']}': "
                   f"{counts['respondents']} respondent(s), {counts['answers']} answer row(s) "
                   "with their history.")


@cli.command()
@click.argument("engagement_id", required=False)
@click.option("--all", "all_", is_flag=True, help="Every engagement in the store.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--history", is_flag=True, help="CSV: every answer ever given, with answered_at.")
@click.option("--round", "round_id", default=None,
              help="CSV: the round to export (default: each engagement's latest). JSON always "
                   "carries every round.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def export(engagement_id: str | None, all_: bool, fmt: str, history: bool,
           round_id: str | None, out: Path | None) -> None:
    """Export answers: CSV in the import format, or JSON with the whole history."""
    from ..answers.archive import engagement_to_json, export_all
    from ..answers.csv_file import answers_to_csv

    if bool(engagement_id) == all_:
        raise BadInputError(Problem("name one engagement, or use --all.",
                                    column="ENGAGEMENT_ID", fix="e.g. 'workbook export demo'."))
    store = _store()
    if engagement_id:
        store.engagement(engagement_id)
    if fmt == "csv":
        if round_id is not None and not engagement_id:
            raise BadInputError(Problem("--round needs one engagement.", column="--round",
                                        fix="name the engagement, or drop --round."))
        frame = store.history(engagement_id, round_id) if history else \
            store.current_answers(engagement_id, round_id)
        if "answered_at" in frame:
            frame = frame.assign(answered_at=frame["answered_at"].map(
                lambda t: t.isoformat()))
        mails = {e: store.emails(e) for e in set(frame["engagement"])}
        langs = {e: store.languages(e) for e in set(frame["engagement"])}
        who = list(zip(frame["engagement"], frame["respondent"], strict=True))
        frame = frame.assign(email=[mails[e].get(r, "") for e, r in who],
                             lang=[langs[e].get(r, "") for e, r in who])
        text = answers_to_csv(frame, history=history)
    else:
        doc = export_all(store) if all_ else engagement_to_json(store, str(engagement_id))
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"Wrote {out}.", err=True)


# ---- scoring ----------------------------------------------------------------------------------
@cli.command()
@click.argument("target")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
@click.option("--engagement", "pick", default=None,
              help="With a CSV holding several engagements: the one to score.")
@click.option("--round", "round_id", default=None,
              help="The round to score (default: the latest; in a CSV, the rows of that "
                   "round).")
@click.pass_context
def score(ctx: click.Context, target: str, fmt: str, pick: str | None,
          round_id: str | None) -> None:
    """Score an engagement from the store, or a CSV file without touching the store."""
    bank = _bank(ctx)
    path = Path(target)
    if target.lower().endswith(".csv") or path.is_file():
        from ..answers.csv_file import read_answers_csv
        from ..scoring import score_engagement

        frame, warnings = read_answers_csv(path, bank)
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        engs = sorted(set(frame["engagement"]))
        if pick is None and len(engs) > 1:
            raise BadInputError(Problem(
                f"the file holds {len(engs)} engagements ({', '.join(engs)}).", file=target,
                column="engagement", fix="choose one with --engagement ID."))
        chosen = pick or engs[0]
        if chosen not in engs:
            raise BadInputError(Problem(f"engagement '{chosen}' is not in the file.",
                                        file=target, column="engagement",
                                        fix=f"use one of: {', '.join(engs)}."))
        from ..domain import current_answers

        frame = frame[frame["engagement"] == chosen]
        rounds = list(dict.fromkeys(r for r in frame["round"] if r))
        if round_id is not None and round_id not in rounds:
            raise BadInputError(Problem(f"round '{round_id}' is not in the file.", file=target,
                                        column="round",
                                        fix=f"use one of: {', '.join(rounds) or '(none)'}."))
        if round_id is None and len(rounds) > 1:
            raise BadInputError(Problem(
                f"the file holds {len(rounds)} rounds of '{chosen}' ({', '.join(rounds)}).",
                file=target, column="round", fix="choose one with --round ROUND."))
        if round_id is not None:
            frame = frame[frame["round"] == round_id]
        frame = current_answers(frame, order="row")
        result = score_engagement(frame, bank, chosen).with_round(
            round_id or (rounds[0] if rounds else "baseline"))
        from_store = False
    else:
        from ..ids import check_slug
        from ..scoring.stored import engagement_result

        check_slug(target, "engagement id (or a .csv file)", column="TARGET")
        result = engagement_result(_store(), bank, target, round_id=round_id)
        from_store = True
    if fmt == "json":
        from ..scoring.norms import no_norms, norms_for_result

        doc = result.to_dict()
        doc["norms"] = norms_for_result(_store(), bank, doc, round_id) if from_store \
            else no_norms(doc["dimensions"])
        _emit_json(doc)
    else:
        from ..presenting.terminal import print_score

        print_score(_console(), result)


# ---- demo / apps / reports --------------------------------------------------------------------
@cli.command()
@click.option("--case", "cases", multiple=True, metavar="CASE",
              help="Also create a reference case written from the seeds' examples, as an "
                   "engagement named after it (a case id, or 'all'; docs/scoring.md lists "
                   "them).")
@click.pass_context
def demo(ctx: click.Context, cases: tuple[str, ...]) -> None:
    """Create (or recreate) the demo engagement 'demo' with six executives' answers."""
    from ..demo.baseline import DEMO_ID, HOST_ORG, PARTNER_ORG, seed_demo
    from ..demo.cases import CASES, seed_case

    known = {c.id: c for c in CASES}
    wanted = list(known) if "all" in cases else list(cases)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise BadInputError(Problem(f"--case: no reference case is named {', '.join(unknown)}.",
                                    fix=f"use one of: {', '.join(known)}, all."))
    store = _store()
    bank = _bank(ctx)
    for cid in wanted:
        n = seed_case(store, bank, known[cid])
        click.echo(f"Reference case '{cid}' ready: {known[cid].title} ({n['answers']} answers).")
    counts = seed_demo(store, bank)
    click.echo(f"Demo engagement '{DEMO_ID}' ready: {HOST_ORG} (host) and {PARTNER_ORG} "
               f"(partner), {len(store.respondents(DEMO_ID))} respondents, "
               f"{counts['answers']} answers.")


@cli.command()
@click.option("--port", type=int, default=8866, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback needs a token.")
@click.option("--token", default=None, help="Access token required when binding elsewhere.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@click.option("--verbose", is_flag=True,
              help="Show Voila's own log and every request, not only who opened which page "
                   "and errors (tokens and keys are never logged).")
@click.option("--room", type=click.IntRange(1, 2000), default=None,
              help="People who will open their questionnaire at the same moment: that many "
                   "are kept ready (default: WORKBOOK_ROOM, else 4).")
@click.option("--questionnaire", "questionnaire", type=click.Choice(["light", "voila"]),
              default=None,
              help="What a personal link opens: a light page that needs no kernel (default: "
                   "WORKBOOK_QUESTIONNAIRE, else light) or the widget questionnaire (voila).")
@click.option("--idle-minutes", type=click.FloatRange(1, 24 * 60), default=None,
              help="Minutes without activity after which an open page gives its kernel back "
                   "(default: WORKBOOK_IDLE_MINUTES, else 20).")
@click.option("--max-visitors", type=click.IntRange(1, 100000), default=None,
              help="Pages open at once before newcomers are asked to wait a moment "
                   "(default: WORKBOOK_MAX_VISITORS, else what the memory holds).")
@click.option("--prefix", default="",
              help="Serve every page under this path, e.g. /e/acme-globex (a worker behind "
                   "a proxy; see docs/deploy.md).")
@click.option("--proxy-api", default=None,
              help="configurable-http-proxy API URL where this server keeps its --prefix "
                   "route while it runs (default: WORKBOOK_PROXY_API).")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, token: str | None, no_browser: bool,
          verbose: bool, room: int | None, idle_minutes: float | None,
          max_visitors: int | None, prefix: str, proxy_api: str | None,
          questionnaire: str | None) -> None:
    """Start the Voila workshop apps (questionnaire, dashboard, setup, portfolio).

    SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop the apps and every kernel, free the port and
    remove the temporary app folder.
    """
    from ..server.serve import serve as run

    _hand_on_bank(ctx)
    sys.exit(run(port=port, no_browser=no_browser, host=host, token=token, verbose=verbose,
                 room=room, idle_minutes=idle_minutes, max_visitors=max_visitors,
                 prefix=prefix, proxy_api=proxy_api, questionnaire=questionnaire))


@cli.command()
@click.argument("engagements", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every engagement in the store.")
@click.option("--out", default="reports", show_default=True, help="Output folder.")
@click.option("--format", "formats", default="html,pdf", show_default=True,
              help=format_help())
@click.option("--jobs", type=int, default=2, show_default=True, help="Worker processes.")
@click.option("--anonymous", is_flag=True, help="Show roles, not names.")
@click.option("--organisation", default="", help="Consulting firm named on the cover.")
@click.option("--logo", "logo_path", default="", type=click.Path(dir_okay=False),
              help="PNG, JPEG or SVG logo for the cover.")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default="A4",
              show_default=True, help="PDF paper size.")
@click.option("--round", "round_id", default="",
              help="Report on this round (files are named ENGAGEMENT.ROUND.*); default: the "
                   "latest round, files named ENGAGEMENT.*.")
@click.option("--lang", "lang", default="", metavar="TAG",
              help="Language of the reports, e.g. de, fr, es (default: each engagement's "
                   "language, else English). Unknown tags list the ones available.")
@click.pass_context
def report(ctx: click.Context, engagements: tuple[str, ...], all_: bool, out: str, formats: str,
           jobs: int, anonymous: bool, organisation: str, logo_path: str,
           page_size: str, round_id: str, lang: str) -> None:
    """Write per-engagement reports (HTML, PDF, Excel, slide deck) with papermill."""
    from ..ids import check_slug
    from ..report.exporters import parse_formats

    fmts = parse_formats(formats)
    if not engagements and not all_:
        raise BadInputError(Problem("no engagement named.",
                                    fix="name one or more engagement ids, or use --all."))
    for e in engagements:
        check_slug(e, "engagement id", column="ENGAGEMENT")
    if jobs < 1:
        raise BadInputError(Problem("--jobs must be at least 1.", column="--jobs"))
    from ..report.batch import report_main

    _hand_on_bank(ctx)

    sys.exit(report_main(list(engagements), all_, out, fmts, jobs, anonymous=anonymous,
                         organisation=organisation, logo_path=logo_path, page_size=page_size,
                         round_id=round_id, lang=lang))


def _register() -> None:
    from .lang import engagement_lang, languages, respondent_lang
    from .mail import invite, remind, respondent_email
    from .norms import norms
    from .rounds import action_group, portfolio, round_group

    for command in (round_group, action_group, portfolio, invite, remind, norms, languages):
        cli.add_command(command)
    respondent.add_command(respondent_email)
    respondent.add_command(respondent_lang)
    engagement.add_command(engagement_lang)


_register()


def _fail(exc: BaseException, code: int) -> NoReturn:
    problems = getattr(exc, "problems", None)
    if problems and len(problems) > 1:
        click.echo(f"error: {len(problems)} problems, nothing was written:", err=True)
        for p in problems:
            click.echo(f"  - {p.render()}", err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `workbook` console script."""
    from ..config import settings

    debug = settings().debug
    try:
        cli.main(args=argv, prog_name="workbook", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except WorkbookError as exc:
        if debug:
            raise
        _fail(exc, exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if debug:
            raise
        _fail(RuntimeError(f"unexpected {type(exc).__name__}: {exc} "
                           "(run with WORKBOOK_DEBUG=1 for details)"), 1)
    sys.exit(0)
