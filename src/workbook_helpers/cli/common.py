"""What every group of the `workbook` command line shares: the bank and store it works on,
the console, JSON output and the table/json format option."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

FORMAT = click.Choice(["table", "json"])
F = TypeVar("F", bound=Callable[..., Any])


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _bank(ctx: click.Context, lang: str | None = None) -> Any:
    from ..bank import load_bank
    from ..bank.choice import bank_path

    chosen = ctx.obj.get("bank")
    return load_bank(bank_path(chosen) if chosen else None, lang=lang)


def lang_option(what: str = "bank text") -> Callable[[F], F]:
    """The `--lang` option of a command that shows bank text (a BCP 47 tag; default the
    bank's own language)."""
    return click.option("--lang", "lang", default=None, metavar="TAG",
                        help=f"Language of the {what}, e.g. de, fr, es (default: the bank's "
                             "own language, English). Unknown tags list the ones available.")


def _store() -> Any:
    from ..store import Store

    return Store.open()


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _hand_on_bank(ctx: click.Context) -> None:
    """The apps' and reports' kernels read the bank setting too: hand `--bank` on to them."""
    if ctx.obj.get("bank"):
        import os

        from ..bank.choice import bank_path
        from ..config import BANK_ENV

        os.environ[BANK_ENV] = str(bank_path(ctx.obj["bank"]).resolve())
