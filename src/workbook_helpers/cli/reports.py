"""The `workbook score` and `workbook report` commands: an engagement's result on the
terminal or as JSON, and report files (HTML, PDF, Excel, slide deck). The work is done in
`scoring` (`scoring.stored`, `scoring.from_file`) and `report.batch`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..exceptions import BadInputError, Problem
from ..report.exporters import format_help
from .common import FORMAT, _bank, _console, _emit_json, _hand_on_bank, _store


@click.command()
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
    if target.lower().endswith(".csv") or Path(target).is_file():
        from ..scoring.from_file import score_csv

        result = score_csv(target, bank, pick, round_id,
                           warn=lambda w: click.echo(f"warning: {w}", err=True))
        norms = None
    else:
        from ..ids import check_slug
        from ..scoring.view import engagement_view

        check_slug(target, "engagement id (or a .csv file)", column="TARGET")
        view = engagement_view(_store(), bank, target, round_id, norms=fmt == "json")
        result, norms = view.result, view.norms
    if fmt == "json":
        from ..scoring.norms import no_norms

        doc = result.to_dict()
        doc["norms"] = norms if norms is not None else no_norms(doc["dimensions"])
        _emit_json(doc)
    else:
        from ..presenting.terminal import print_score

        print_score(_console(), result)


@click.command()
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
