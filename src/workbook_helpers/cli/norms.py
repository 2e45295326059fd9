"""The `workbook norms` command: the norm base of a bank version (how this store's engagements
score per list and side), never naming an engagement."""

from __future__ import annotations

import csv
import io

import click

from .common import _bank, _console, _emit_json, _store


@click.command("norms")
@click.option("--bank", "bank_name", default=None, metavar="B",
              help="The bank version whose norms to show: a shipped bank by name "
                   "(question_bank, health_check_bank) or a bank file (default: the bank in "
                   "use).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.pass_context
def norms(ctx: click.Context, bank_name: str | None, fmt: str) -> None:
    """Norms: per list and side, how the latest rounds of the store's engagements on one bank
    version score (percentiles 10, 25, 50, 75, 90), from 5 engagements up."""
    from ..bank import load_bank
    from ..bank.choice import bank_path
    from ..scoring.norms import MIN_OTHERS, bank_key, engagements_in, norm_base, norms_table

    default = _bank(ctx)
    chosen = load_bank(bank_path(bank_name)) if bank_name else default
    key = bank_key(chosen)
    base = norm_base(_store(), default)
    rows = norms_table(base, key, chosen.dimension_ids())
    count = engagements_in(base, key)
    if fmt == "json":
        _emit_json({"bank": chosen.bank.id, "version": chosen.version, "engagements": count,
                    "min_engagements": MIN_OTHERS, "lists": rows})
        return
    columns = ["list", "side", "n", "p10", "p25", "median", "p75", "p90"]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: "" if r[k] is None else r[k] for k in columns})
        click.echo(buf.getvalue(), nl=False)
        return
    from ..presenting.terminal import print_frame

    con = _console()
    con.print(f"Norms of bank {chosen.bank.id} {chosen.version}: {count} engagement(s) in the "
              "store, each on its latest round.")
    if all(r["n"] < MIN_OTHERS for r in rows):
        con.print(f"Too few engagements for norms: they need scores from at least "
                  f"{MIN_OTHERS} engagements on a list and side.")
    print_frame(con, "Scores per list and side (0-100)",
                [{k: "–" if r[k] is None else r[k] for k in columns} for r in rows], columns)
