"""Small HTML builders for the apps, rendered from `templates/sections/apps/_macros.html.j2`
(autoescaped: every piece of user text is escaped, see `workbook_helpers.presenting.templating`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..presenting import formats as wording_filters
from ..presenting.templating import macro

MACROS = "apps/_macros.html.j2"


def esc(text: object) -> str:
    """User text made safe to put inside HTML (names, comments, organisations, titles); a
    missing value becomes an empty string."""
    return wording_filters.esc(text)


def progress_bar(done: int, total: int, label: str, verb: str = "answered",
                 cls: str = "", summary: str = "") -> str:
    """An accessible progress bar with a visible 'n of m answered' (or `verb`) text;
    `summary` (e.g. a translated "12 von 55 beantwortet") replaces that text."""
    width = 0 if total <= 0 else round(100 * done / total)
    return macro(MACROS, "progress_bar", done, total, label, verb, cls, width, summary)


def bullet_list(items: Iterable[str], cls: str = "") -> str:
    """A <ul> of escaped items (empty for no items)."""
    return macro(MACROS, "bullet_list", list(items), cls)


def notice(text: str, kind: str = "info") -> str:
    """A coloured message box (kind: info, ok, warn, error)."""
    return macro(MACROS, "notice", text, kind)


def svg_figure(svg: str, caption: str) -> str:
    """An inline SVG chart (from vl-convert, our own HTML) wrapped with an accessible label."""
    from markupsafe import Markup

    return macro(MACROS, "svg_figure", Markup(svg), caption)
