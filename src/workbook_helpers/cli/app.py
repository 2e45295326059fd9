"""The `workbook` command line (also `python -m workbook_helpers`): the top group, the
command families it gathers, and `main`, which turns errors into messages and exit codes.

Exit codes: 0 success, 2 bad input (the message names file, row, column and the fix),
1 anything else. No traceback is shown unless WORKBOOK_DEBUG=1.

Each family of commands lives in a module of its own (`questions`, `engagements`,
`respondents`, `transfer` for import and export, `reports` for score and report, `demo`,
`serve`, `rounds` for round, action and portfolio, `mail`, `norms`, `lang`); the commands
read their options and print, and leave the work to the pipeline's packages.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..exceptions import WorkbookError


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


def _register() -> None:
    """Gather the command families under `cli` (and the subcommands kept in other modules
    under their groups)."""
    from .demo import demo
    from .engagements import engagement
    from .lang import engagement_lang, languages, respondent_lang
    from .mail import invite, remind, respondent_email
    from .norms import norms
    from .questions import questions
    from .reports import report, score
    from .respondents import respondent
    from .rounds import action_group, portfolio, round_group
    from .serve import serve
    from .transfer import export, import_

    for command in (questions, engagement, respondent, import_, export, score, report, demo,
                    serve, round_group, action_group, portfolio, invite, remind, norms,
                    languages):
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
