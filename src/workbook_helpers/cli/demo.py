"""The `workbook demo` command: the demo engagement and the reference cases (the work is done
in the `demo` package)."""

from __future__ import annotations

import click

from .common import _bank, _store


@click.command()
@click.option("--case", "cases", multiple=True, metavar="CASE",
              help="Also create a reference case written from the seeds' examples, as an "
                   "engagement named after it (a case id, or 'all'; docs/scoring.md lists "
                   "them).")
@click.pass_context
def demo(ctx: click.Context, cases: tuple[str, ...]) -> None:
    """Create (or recreate) the demo engagement 'demo' with six executives' answers."""
    from ..demo import seed_demo
    from ..demo.baseline import DEMO_ID, HOST_ORG, PARTNER_ORG
    from ..demo.cases import chosen_cases, seed_case

    wanted = chosen_cases(cases)
    store = _store()
    bank = _bank(ctx)
    for case in wanted:
        n = seed_case(store, bank, case)
        click.echo(f"Reference case '{case.id}' ready: {case.title} ({n['answers']} answers).")
    counts = seed_demo(store, bank)
    click.echo(f"Demo engagement '{DEMO_ID}' ready: {HOST_ORG} (host) and {PARTNER_ORG} "
               f"(partner), {len(store.respondents(DEMO_ID))} respondents, "
               f"{counts['answers']} answers.")
