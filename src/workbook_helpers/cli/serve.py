"""The `workbook serve` command: the Voila workshop apps (the work is done in
`server.serve`)."""

from __future__ import annotations

import sys

import click

from ..config import DEFAULT_PORT
from .common import _hand_on_bank


@click.command()
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True)
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
