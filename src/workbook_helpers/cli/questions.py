"""The `workbook questions` command: the question bank on the terminal or as JSON."""

from __future__ import annotations

import click

from .common import FORMAT, _bank, _console, _emit_json, lang_option


@click.command()
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
@lang_option("questions, help texts and anchors")
@click.pass_context
def questions(ctx: click.Context, fmt: str, lang: str | None) -> None:
    """List the question bank: lists, questions and every anchored scale point."""
    bank = _bank(ctx, lang)
    if fmt == "json":
        _emit_json(bank.to_records())
        return
    from ..presenting.terminal import print_bank

    print_bank(_console(), bank)
