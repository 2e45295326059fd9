"""Terminal rendering of scores and tables for the command line (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

if TYPE_CHECKING:
    from ..bank import Bank
    from ..scoring.model import ScoreResult

VERDICT_STYLE = {"fit": "bold green", "conditional": "bold yellow", "no-fit": "bold red",
                 "insufficient-data": "bold blue"}


def _n(value: Any) -> str:
    return "–" if value is None else f"{value:.0f}"


def print_score(console: Console, result: ScoreResult) -> None:
    """Show one engagement's score: verdict and form, readiness, scores, gaps, reasons, steps."""
    console.print(_headline(result))
    for part in (_pictures, _scores, _readiness, _discuss, _expectations):
        table = part(result)
        if table is not None:
            console.print(table)
    _robustness(console, result)
    console.print("[bold]Why[/]")
    for r in result.reasons:
        console.print(f" • {escape(r)}")
    if result.next_steps:
        console.print("[bold]Next steps[/]")
        for i, s in enumerate(result.next_steps, 1):
            console.print(f" {i}. {escape(s)}")


def _headline(result: ScoreResult) -> Panel:
    """The verdict (or the recommended form), the form, confidence and completeness."""
    from . import brand
    from .wording import phrase

    verdict = result.verdict
    form = result.form
    recommend = result.recommends_other_form
    label = (f"RECOMMENDED: {phrase(form.recommended).upper()}" if recommend
             else brand.VERDICT_LABELS.get(verdict, verdict).upper())
    style = "bold cyan" if recommend else VERDICT_STYLE.get(verdict, "bold")
    runner = (f"   runner-up: {escape(phrase(form.runner_up))}"
              if form.runner_up and form.status != "disputed" else "")
    head = (f"[{style}]{escape(label)}[/]   "
            f"form: [bold]{escape(result.relationship_type)}[/] "
            f"(confidence {form.confidence:.0%}){runner}   "
            f"completeness: {result.completeness:.0%}")
    return Panel(head, title=escape(f"Engagement {result.engagement}"), expand=False)


def _pictures(result: ScoreResult) -> Table | None:
    """Each side's picture of the deal, when the sides were asked."""
    if not result.form.sides:
        return None
    from .judgment import pictures

    pic = Table(title=f"Each side's picture of the deal (form: {escape(result.form.status)})")
    for side, _ in pictures(result):
        pic.add_column(side.capitalize())
    pic.add_row(*(escape(label) for _, label in pictures(result)))
    return pic


def _scores(result: ScoreResult) -> Table:
    """Scores, gap and spreads, list by list."""
    dims = Table(title="Scores by list (0 = least, 100 = most favourable to an alliance)")
    for col in ("List", "Host", "Partner", "Gap", "Host spread", "Partner spread"):
        dims.add_column(col, justify="left" if col == "List" else "right")
    for d in result.dimensions.values():
        dims.add_row(escape(d.title), _n(d.host), _n(d.partner), _n(d.gap),
                     _n(d.host_divergence), _n(d.partner_divergence))
    return dims


def _readiness(result: ScoreResult) -> Table | None:
    """The readiness conditions, when an alliance is the form (or the form is disputed)."""
    form = result.form
    if not result.readiness or not (form.is_alliance or form.status == "disputed"):
        return None
    t = Table(title="Readiness for an alliance")
    for col in ("Side", "Condition", "Met", "Detail"):
        t.add_column(col)
    for c in result.readiness:
        met = {True: "yes", False: "NO", None: "?"}[c.met]
        t.add_row(c.side, escape(c.id), met, escape(c.detail))
    return t


def _discuss(result: ScoreResult) -> Table | None:
    """The first ten points to discuss."""
    if not result.discuss:
        return None
    t = Table(title="Discuss first")
    t.add_column("#", justify="right")
    t.add_column("What")
    for i, item in enumerate(result.discuss[:10], 1):
        t.add_row(str(i), escape(item.detail))
    return t


def _expectations(result: ScoreResult) -> Table | None:
    """What each side expected of the other against what the other said, list by list."""
    if not result.expectations:
        return None
    t = Table(title="What each side expected of the other (0-100)")
    for col in ("List", "Host expected", "Partner said", "Partner expected", "Host said"):
        t.add_column(col, justify="left" if col == "List" else "right")
    for g in result.expectations.values():
        t.add_row(escape(g.title), _n(g.host_expects), _n(g.partner_actual),
                  _n(g.partner_expects), _n(g.host_actual))
    return t


def _robustness(console: Console, result: ScoreResult) -> None:
    """Whether the verdict is firm, or the closest change that would flip it."""
    rob = result.robustness
    if rob is None or result.verdict == "insufficient-data":
        return
    if rob.verdict_stable and rob.form_stable:
        console.print("[bold]Firm:[/] no single answer moved by one point, and no weight "
                      "moved by a quarter, changes the verdict or the form.")
    else:
        console.print(f"[bold]Close:[/] {escape(rob.closest_flip or '')} "
                      f"({rob.verdict_flips} of {rob.answer_changes} one-point changes "
                      "would change the verdict)")


def print_frame(console: Console, title: str, rows: list[dict[str, Any]],
                columns: list[str]) -> None:
    """Show a list of records as a table."""
    t = Table(title=title)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*(escape("" if r.get(c) is None else str(r.get(c))) for c in columns))
    console.print(t)


def print_bank(console: Console, bank: Bank) -> None:
    """Show the question bank: each list as a table of its questions and anchored points."""
    console.print(f"[bold]{escape(bank.bank.title)}[/] (bank {escape(bank.bank.id)} "
                  f"version {escape(bank.version)}, {len(bank.questions)} questions)")
    for lst in bank.lists:
        t = Table(title=f"{lst.title} ({lst.id})", show_lines=True)
        t.add_column("id")
        t.add_column("question")
        t.add_column("scale (raw point: anchor)")
        for q in bank.questions_in(lst.id):
            anchors = "\n".join(f"{k}: {q.scale.anchors[k]}" for k in q.scale.points)
            flag = " (reversed)" if q.reverse else ""
            t.add_row(escape(q.id), escape(q.text + flag), escape(anchors))
        console.print(t)


def print_import_plan(console: Console, summary: dict[str, Any], file: str) -> None:
    """Show what an import would write (`workbook import --dry-run`; nothing is written)."""
    console.print(f"Dry run of {file}: nothing was written.")
    console.print(f"Engagement(s): {', '.join(summary['engagements'])}; "
                  f"{summary['answers']} answer(s), {summary['expectations']} expectation(s) "
                  f"of the other side, {summary['dont_know']} don't-know, "
                  f"{summary['empty_cells']} empty cell(s) left out.")
    print_frame(console, "Respondents", summary["respondents"],
                ["engagement", "respondent", "side", "name", "role"])
    print_frame(console, "Answers per list",
                [{"list": k, "answers": v} for k, v in summary["answers_per_list"].items()],
                ["list", "answers"])
    if summary["skipped_rows"]:
        print_frame(console, "Rows skipped", summary["skipped_rows"], ["row", "reason"])
