"""The `workbook round`, `workbook action` and `workbook portfolio` commands: the life of an
alliance after the first workshop, and the consultant's view across engagements."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..exceptions import BadInputError, Problem
from .common import FORMAT, _bank, _console, _emit_json, _store


def _check_ids(**ids: str) -> None:
    from ..ids import check_slug

    for column, value in ids.items():
        check_slug(value, column.lower().replace("_", " "), column=column)


def _print(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    from ..presenting.terminal import print_frame

    print_frame(_console(), title, rows, columns)


# ---- rounds -----------------------------------------------------------------------------------
@click.group("round")
def round_group() -> None:
    """Open and list an engagement's rounds (baseline, then health checks)."""


@round_group.command("add")
@click.argument("engagement_id")
@click.argument("round_id")
@click.option("--bank", "bank_file", default=None, metavar="FILE",
              help="Question bank for this round: a YAML file, or a shipped bank by name "
                   "(question_bank, health_check_bank). Default: the bank in use.")
@click.option("--title", default="", help="A title for reports (default: the round id).")
@click.option("--no-carry", is_flag=True,
              help="Do not invite the latest round's respondents (add people with "
                   "'workbook respondent add --round').")
def round_add(engagement_id: str, round_id: str, bank_file: str | None, title: str,
              no_carry: bool) -> None:
    """Open a new round after the existing ones; respondents are carried over with new links."""
    from ..bank import load_bank
    from ..bank.choice import SHIPPED, bank_path, bank_ref

    _check_ids(ENGAGEMENT=engagement_id, ROUND=round_id)
    if bank_file and bank_file not in SHIPPED and not Path(bank_file).is_file():
        raise BadInputError(Problem(f"the bank file {bank_file} does not exist.",
                                    column="--bank", fix="name a question bank YAML file, or "
                                    f"one of {', '.join(SHIPPED)}."))
    ref = bank_ref(bank_file)
    if ref:
        load_bank(bank_path(ref))  # a bank that does not validate is refused before the round
    store = _store()
    r = store.add_round(engagement_id, round_id, bank=ref, title=title, carry=not no_carry)
    people = store.respondents(engagement_id, r.id)
    click.echo(f"Opened round '{r.id}' of '{engagement_id}' (bank: {r.bank or 'the bank in use'}"
               f"); {len(people)} respondent(s) invited with new links.")


@round_group.command("list")
@click.argument("engagement_id")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
def round_list(engagement_id: str, fmt: str) -> None:
    """List an engagement's rounds, oldest first."""
    _check_ids(ENGAGEMENT=engagement_id)
    store = _store()
    answers = store.current_answers(engagement_id, "*")
    rows = []
    for r in store.rounds(engagement_id):
        mine = answers[answers["round"] == r.id]
        rows.append({"round": r.id, "position": r.position, "title": r.title,
                     "bank": r.bank or "", "opened_at": r.opened_at.isoformat(),
                     "respondents": len(store.respondents(engagement_id, r.id)),
                     "answers": len(mine)})
    if fmt == "json":
        _emit_json(rows)
    else:
        _print(f"Rounds of {engagement_id}", rows,
               ["round", "title", "bank", "opened_at", "respondents", "answers"])


# ---- actions ----------------------------------------------------------------------------------
def _due(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInputError(Problem(f"--due {value!r} is not a date.", column="--due",
                                    fix="use YYYY-MM-DD, e.g. 2027-03-31.")) from None


def action_row(a: Any, today: date) -> dict[str, Any]:
    """An action as the CLI and the JSON show it."""
    return {"id": a.id, "text": a.text, "owner": a.owner, "due": a.due.isoformat(),
            "status": a.status, "overdue": a.overdue(today), "round": a.round,
            "list": a.list_id, "flag": a.flag,
            "created_at": a.created_at.isoformat() if a.created_at else None,
            "history": [{"status": h.status, "at": h.at.isoformat(), "note": h.note}
                        for h in a.history]}


@click.group("action")
def action_group() -> None:
    """Record and follow the actions agreed in a workshop."""


@action_group.command("add")
@click.argument("engagement_id")
@click.argument("text")
@click.option("--owner", required=True, help="Who will do it.")
@click.option("--due", required=True, metavar="YYYY-MM-DD", help="By when.")
@click.option("--list", "list_id", default=None, metavar="LIST",
              help="The question list whose gap it answers (ids: 'workbook questions').")
@click.option("--flag", default=None, metavar="KIND",
              help="The kind of flag it answers, e.g. cross-side-gap, readiness.")
@click.option("--round", "round_id", default=None, help="Round it belongs to (default: latest).")
@click.pass_context
def action_add(ctx: click.Context, engagement_id: str, text: str, owner: str, due: str,
               list_id: str | None, flag: str | None, round_id: str | None) -> None:
    """Record an action (status open)."""
    from ..bank.choice import bank_for
    from ..scoring.trend import GAP_KINDS

    _check_ids(ENGAGEMENT=engagement_id)
    when = _due(due)
    store = _store()
    rnd = store.round(engagement_id, round_id)
    if list_id is not None:
        lists = bank_for(rnd.bank, _bank(ctx)).list_ids()
        if list_id not in lists:
            raise BadInputError(Problem(
                f"--list {list_id!r} is not a list of round '{rnd.id}''s bank.",
                column="--list", fix=f"use one of: {', '.join(lists)}."))
    if flag is not None and flag not in GAP_KINDS:
        raise BadInputError(Problem(f"--flag {flag!r} is not a kind of gap the trend follows.",
                                    column="--flag", fix=f"use one of: {', '.join(GAP_KINDS)}."))
    a = store.add_action(engagement_id, text, owner, when, list_id=list_id, flag=flag,
                         round_id=rnd.id)
    click.echo(f"Recorded action {a.id} of '{engagement_id}' (round {a.round}): {a.text} "
               f"- {a.owner}, due {a.due.isoformat()}.")


@action_group.command("list")
@click.argument("engagement_id")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True)
def action_list(engagement_id: str, fmt: str) -> None:
    """List an engagement's actions with their status (overdue: open past the due date)."""
    from ..store.base import now

    _check_ids(ENGAGEMENT=engagement_id)
    today = now().date()
    rows = [action_row(a, today) for a in _store().actions(engagement_id)]
    if fmt == "json":
        _emit_json(rows)
        return
    for r in rows:
        r["status"] = r["status"] + (" (overdue)" if r["overdue"] else "")
    _print(f"Actions of {engagement_id}", rows,
           ["id", "text", "owner", "due", "status", "list", "round"])


def _set_status(engagement_id: str, action_id: int, status: str, note: str) -> None:
    _check_ids(ENGAGEMENT=engagement_id)
    a = _store().set_action_status(engagement_id, action_id, status, note)
    click.echo(f"Action {a.id} of '{engagement_id}' is {a.status}: {a.text}")


@action_group.command("done")
@click.argument("engagement_id")
@click.argument("action_id", type=int)
@click.option("--note", default="", help="What was done (kept in the action's history).")
def action_done(engagement_id: str, action_id: int, note: str) -> None:
    """Mark an action done."""
    _set_status(engagement_id, action_id, "done", note)


@action_group.command("drop")
@click.argument("engagement_id")
@click.argument("action_id", type=int)
@click.option("--note", default="", help="Why it was dropped.")
def action_drop(engagement_id: str, action_id: int, note: str) -> None:
    """Mark an action dropped."""
    _set_status(engagement_id, action_id, "dropped", note)


@action_group.command("reopen")
@click.argument("engagement_id")
@click.argument("action_id", type=int)
@click.option("--note", default="", help="Why it is open again.")
def action_reopen(engagement_id: str, action_id: int, note: str) -> None:
    """Open a done or dropped action again."""
    _set_status(engagement_id, action_id, "open", note)


# ---- portfolio --------------------------------------------------------------------------------
@click.command("portfolio")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.pass_context
def portfolio(ctx: click.Context, fmt: str) -> None:
    """Every engagement with its verdict, form, completeness, round, actions and last answer."""
    from ..scoring.portfolio_table import COLUMNS, portfolio_frame, portfolio_records

    rows = portfolio_records(portfolio_frame(_store(), _bank(ctx)))
    if fmt == "json":
        _emit_json(rows)
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        shown = [r | {"completeness": f"{round(100 * r['completeness'])}%",
                      "last_answer_at": (r["last_answer_at"] or "")[:16].replace("T", " ")}
                 for r in rows]
        _print("Portfolio", shown, COLUMNS)
