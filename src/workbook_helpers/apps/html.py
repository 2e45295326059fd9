"""Small HTML builders for the apps; every piece of user text goes through `esc`."""

from __future__ import annotations

import html
from collections.abc import Iterable


def esc(text: object) -> str:
    """User text made safe to put inside HTML (names, comments, organisations, titles)."""
    return html.escape("" if text is None else str(text), quote=True)


def progress_bar(done: int, total: int, label: str, verb: str = "answered",
                 cls: str = "") -> str:
    """An accessible progress bar with a visible 'n of m answered' (or `verb`) text."""
    pct = 0 if total <= 0 else round(100 * done / total)
    extra = f" {esc(cls)}" if cls else ""
    return (f'<div class="wb-progress{extra}"><div class="wb-progress-label">{esc(label)}: '
            f"{done} of {total} {esc(verb)}</div>"
            f'<div class="wb-progress-track" role="progressbar" aria-label="{esc(label)}" '
            f'aria-valuemin="0" aria-valuemax="{total}" aria-valuenow="{done}">'
            f'<div class="wb-progress-fill" style="width:{pct}%"></div></div></div>')


def bullet_list(items: Iterable[str], cls: str = "") -> str:
    """A <ul> of escaped items."""
    body = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f'<ul class="{esc(cls)}">{body}</ul>' if body else ""


def notice(text: str, kind: str = "info") -> str:
    """A coloured message box (kind: info, ok, warn, error)."""
    role = "alert" if kind in ("warn", "error") else "status"
    return f'<div class="wb-notice wb-{esc(kind)}" role="{role}">{esc(text)}</div>'


def svg_figure(svg: str, caption: str) -> str:
    """An inline SVG chart (from vl-convert) wrapped with an accessible label."""
    return (f'<figure class="wb-chart" role="img" aria-label="{esc(caption)}">{svg}'
            f"</figure>")
