"""What every group of the `workbook` command line shares: the bank and store it works on,
the console, JSON output and the table/json format option."""

from __future__ import annotations

import json
from typing import Any

import click

FORMAT = click.Choice(["table", "json"])


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _bank(ctx: click.Context) -> Any:
    from .bank import load_bank
    from .banks import bank_path

    chosen = ctx.obj.get("bank")
    return load_bank(bank_path(chosen) if chosen else None)


def _store() -> Any:
    from .store import Store

    return Store.open()


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
