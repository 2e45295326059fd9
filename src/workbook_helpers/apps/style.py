"""The apps' component styles, shipped with the widgets themselves.

Voila's page template loads them too, but a facilitator who runs a notebook in JupyterLab
gets no template: each app therefore starts with an invisible HTML widget holding the same
`widgets.css` (every rule scoped to the apps' own `wb-` classes, so Lab's own look and its
code cells are untouched). The page-level rules (hiding code, the top bar) live in `page.css`
and are never sent to Lab.
"""

from __future__ import annotations

import functools

import ipywidgets as w

from ..config import resource

CSS_PARTS = ("templates", "voila", "share", "jupyter", "voila", "templates", "workbook")


@functools.lru_cache(maxsize=1)
def widget_css() -> str:
    """The text of `widgets.css`."""
    return resource(*CSS_PARTS, "widgets.css").read_text(encoding="utf-8")


def style_tag() -> str:
    """The component styles as a `<style>` element."""
    return f"<style>{widget_css()}</style>"


def style_widget() -> w.HTML:
    """An invisible widget carrying the component styles (put it first in an app)."""
    box = w.HTML(style_tag(), layout=w.Layout(display="none"))
    box.add_class("wb-style")
    return box
