"""The `workbook import` and `workbook export` commands: answers in (a CSV, a survey tool's
export through a mapping, a JSON archive) and out (CSV or JSON). The work is done in
`answers` (`answers.transfer`, `answers.survey`, `answers.csv_file`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..exceptions import BadInputError, Problem
from ..files import write_atomic
from .common import FORMAT, _bank, _console, _emit_json, _store


@click.command("import")
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
    else:
        from ..answers.csv_file import read_answers_csv
        from ..answers.transfer import csv_import_plan
        from ..bank.choice import round_banks

        frame, warnings = read_answers_csv(file, bank, round_banks(_store(), bank))
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        plan = csv_import_plan(frame)
    if dry_run:
        _show_plan(plan.summary(bank), fmt, str(file))
        return
    frame = plan.answers
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
    from ..presenting.terminal import print_import_plan

    print_import_plan(_console(), summary, file)


def _import_json(file: Path, replace: bool, as_id: str | None) -> None:
    from ..answers.archive import read_engagement_json
    from ..answers.transfer import check_archive, restore_archive

    docs = read_engagement_json(file)
    check_archive(docs, file, as_id)
    for eid, counts in restore_archive(_store(), docs, file, as_id, replace):
        click.echo(f"Restored engagement '{eid}': {counts['respondents']} respondent(s), "
                   f"{counts['answers']} answer row(s) with their history.")


@click.command()
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
    from ..answers.transfer import export_csv, export_json

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
        text = export_csv(store, engagement_id, round_id, history)
    else:
        text = export_json(store, None if all_ else str(engagement_id))
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"Wrote {out}.", err=True)

