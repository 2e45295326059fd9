"""Terminal rendering of scores and tables for the command line (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

VERDICT_STYLE = {"fit": "bold green", "conditional": "bold yellow", "no-fit": "bold red",
                 "insufficient-data": "bold blue"}


def _n(value: Any) -> str:
    return "–" if value is None else f"{value:.0f}"


def print_score(console: Console, result: dict[str, Any]) -> None:
    """Show one engagement's score as a verdict panel and tables."""
    verdict = result["verdict"]
    head = (f"[{VERDICT_STYLE.get(verdict, 'bold')}]{verdict.upper()}[/]   "
            f"form: [bold]{escape(result['relationship_type'])}[/]   "
            f"completeness: {result['completeness']:.0%}")
    console.print(Panel(head, title=escape(f"Engagement {result['engagement']}"), expand=False))
    dims = Table(title="Scores by list (0 = least, 100 = most favourable to an alliance)")
    for col in ("List", "Host", "Partner", "Gap", "Host spread", "Partner spread"):
        dims.add_column(col, justify="left" if col == "List" else "right")
    for d in result["dimensions"].values():
        dims.add_row(escape(d["title"]), _n(d["host"]), _n(d["partner"]), _n(d["gap"]),
                     _n(d["host_divergence"]), _n(d["partner_divergence"]))
    console.print(dims)
    if result["discuss"]:
        t = Table(title="Discuss first")
        t.add_column("#", justify="right")
        t.add_column("What")
        for item in result["discuss"][:10]:
            t.add_row(str(item["rank"]), escape(item["detail"]))
        console.print(t)
    console.print("[bold]Why[/]")
    for r in result["reasons"]:
        console.print(f" • {escape(r)}")
    if result["next_steps"]:
        console.print("[bold]Next steps[/]")
        for i, s in enumerate(result["next_steps"], 1):
            console.print(f" {i}. {escape(s)}")


def print_frame(console: Console, title: str, rows: list[dict[str, Any]],
                columns: list[str]) -> None:
    """Show a list of records as a table."""
    t = Table(title=title)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*(escape("" if r.get(c) is None else str(r.get(c))) for c in columns))
    console.print(t)
