"""The portfolio page as an ipywidgets app: filters, sorting, the table, the fit map, and
re-reading the store while the page is open."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ...bank import Bank
from ...exceptions import WorkbookError
from ...presenting import judgment as presenting
from ...presenting.templating import Markup, render
from ...report.folder import latest_reports
from ...store import Store
from ..html import notice
from ..style import style_widget
from .pieces import fit_map_html, page_link, summary_html, table_html
from .view import (
    ALL,
    DEFAULT_SORT,
    KIND_FILTER_LABELS,
    KINDS,
    ROW_LIMIT,
    SORTS,
    Filters,
    filter_frame,
    sort_frame,
    view_frame,
)


# ---- the app ---------------------------------------------------------------------------------
@dataclass
class Loaded:
    """One read of the store: the view frame, when, how long it took, and a signature."""

    view: pd.DataFrame
    at: float
    seconds: float
    signature: int


def load(store: Store, bank: Bank, today: date | None = None,
         reports: Path | None = None) -> Loaded:
    """Read the portfolio from the store (and the reports folder) now."""
    from ...scoring.portfolio_table import portfolio_frame

    started = time.perf_counter()
    frame = portfolio_frame(store, bank, today=today)
    view = view_frame(frame, bank, latest_reports(reports))
    signature = hash((frame.to_csv(index=False), tuple(map(repr, view["report"]))))
    return Loaded(view, time.time(), time.perf_counter() - started, signature)


class Portfolio:
    """The ipywidgets portfolio page (`.widget` is what the page shows)."""

    def __init__(self, store: Store, bank: Bank, key: str = "", poll_seconds: float = 60.0,
                 today: date | None = None, reports: Path | None = None,
                 loader: Callable[[], Loaded] | None = None) -> None:
        self.store, self.bank, self.key = store, bank, key
        self.poll_seconds, self.today, self.reports = poll_seconds, today, reports
        self._loader = loader or (lambda: load(self.store, self.bank, self.today, self.reports))
        self.data: Loaded | None = None
        self.limit: int | None = ROW_LIMIT
        self.renders = 0
        self.chart_renders = 0
        self._chart_rows: tuple[str, ...] | None = None
        self._task: asyncio.Task[None] | None = None
        self._quiet = False
        self.header = w.HTML()
        self.kind = w.Dropdown(description="Verdict", options=[("All", ALL)],
                               style={"description_width": "initial"},
                               layout=w.Layout(width="250px"))
        self.form = w.Dropdown(description="Form", options=[("All", ALL)],
                               style={"description_width": "initial"},
                               layout=w.Layout(width="240px"))
        self.overdue = w.Checkbox(value=False, description="Only with overdue actions",
                                  indent=False, layout=w.Layout(width="auto"))
        self.search = w.Text(placeholder="Title, id or organisation",
                             description="Search", continuous_update=True,
                             style={"description_width": "initial"},
                             layout=w.Layout(width="260px"))
        self.sort_by = w.Dropdown(description="Sort by", value=DEFAULT_SORT[0],
                                  options=[(label, k) for k, (label, _c) in SORTS.items()],
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="250px"))
        self.direction = w.ToggleButtons(options=[("Ascending", False), ("Descending", True)],
                                         value=DEFAULT_SORT[1], description="",
                                         style={"button_width": "auto"})
        self.refresh_button = w.Button(description="Refresh", tooltip="Read the store again")
        self.show_all = w.Button(description="Show all", layout=w.Layout(display="none"))
        self.status = w.HTML()
        self.count = w.HTML()
        self.table = w.HTML()
        self.chart = w.HTML()
        for control in (self.kind, self.form, self.overdue, self.search, self.sort_by,
                        self.direction):
            control.observe(lambda _c: self._changed(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh(force=True))
        self.show_all.on_click(lambda _b: self._show_all())
        filters = w.HBox([self.kind, self.form, self.overdue, self.search])
        filters.add_class("wb-controls")
        filters.add_class("wb-pf-filters")
        sorting = w.HBox([self.sort_by, self.direction, self.refresh_button, self.status])
        sorting.add_class("wb-controls")
        sorting.add_class("wb-pf-sorting")
        self.controls = w.VBox([filters, sorting])
        self.empty = w.HTML()
        self.widget = w.VBox([style_widget(), self.header, self.empty, self.controls,
                              self.count, self.table, self.show_all, self.chart])
        self.widget.add_class("wb-app")
        self.widget.add_class("wb-portfolio")
        self.refresh(force=True)

    # ---- state -------------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The filters as the controls are set."""
        return Filters(str(self.kind.value or ""), str(self.form.value or ""),
                       bool(self.overdue.value), str(self.search.value or ""))

    def rows(self) -> pd.DataFrame:
        """The rows shown: filtered and sorted as the controls say."""
        if self.data is None:
            return pd.DataFrame()
        return sort_frame(filter_frame(self.data.view, self.filters()), str(self.sort_by.value),
                          bool(self.direction.value))

    def refresh(self, force: bool = False) -> bool:
        """Read the store again; redraw when something changed. Returns whether it redrew."""
        old = self.data.signature if self.data else None
        try:
            data = self._loader()
        except WorkbookError as exc:
            self.status.value = notice(f"The store cannot be read right now ({exc}). "
                                       "Showing the last figures.", "warn")
            return False
        self.data = data
        self.status.value = render("apps/portfolio_page.html.j2", part="updated",
                                   at=datetime.now(), seconds=data.seconds)
        if not force and old == data.signature:
            return False
        self._options(data.view)
        self.redraw()
        return True

    def _options(self, view: pd.DataFrame) -> None:
        """Offer the verdicts and forms present (keeping a choice that still exists)."""
        present = set(view["kind"])
        kinds = [("All", ALL)] + [(KIND_FILTER_LABELS[k], k) for k in KINDS if k in present]
        forms = [("All", ALL), *sorted(
            {(presenting.form_label(str(f)), str(f)) for f in view["relationship_type"]})]
        self._quiet = True
        try:
            for control, options in ((self.kind, kinds), (self.form, forms)):
                keep = control.value if control.value in dict(options).values() else ALL
                if list(control.options) != options:
                    control.options = options
                    control.value = keep
        finally:
            self._quiet = False

    def _changed(self) -> None:
        if not self._quiet:
            self.redraw()

    def _show_all(self) -> None:
        self.limit = None
        self.redraw()

    # ---- drawing -----------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the header, table and fit map from the data and the controls."""
        data = self.data
        if data is None:
            return
        view = data.view
        if not len(view):
            self.header.value = _header("")
            self.empty.value = render("apps/portfolio_page.html.j2", part="empty",
                                      setup_link=page_link("setup", key=self.key))
            self.empty.layout.display = "block"
            for box in (self.controls.children[0], self.count, self.table, self.show_all,
                        self.chart):
                box.layout.display = "none"
            self.renders += 1
            return
        self.empty.layout.display = "none"
        for box in (self.controls.children[0], self.count, self.table, self.chart):
            box.layout.display = None
        self.header.value = _header(summary_html(view))
        rows = self.rows()
        by, desc = str(self.sort_by.value), bool(self.direction.value)
        self.table.value = table_html(rows, by, desc, self.key, self.limit)
        hidden = 0 if self.limit is None else max(0, len(rows) - self.limit)
        self.show_all.description = f"Show all {len(rows)}"
        self.show_all.layout.display = None if hidden else "none"
        self.count.value = render("apps/portfolio_page.html.j2", part="count", shown=len(rows),
                                  total=len(view), hidden=hidden, limit=self.limit)
        ids = tuple(rows["engagement"].astype(str).sort_values())
        if ids != self._chart_rows:  # the map depends on which rows, not on their order
            self._chart_rows = ids
            self.chart.value = fit_map_html(rows) if len(rows) else ""
            self.chart_renders += 1
        self.renders += 1

    # ---- polling -------------------------------------------------------------------------------
    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            # a very large store takes long to read: then only the Refresh button reads it
            if self.data is not None and self.data.seconds > self.poll_seconds / 10:
                self.status.value = render("apps/portfolio_page.html.j2", part="slow",
                                           seconds=self.data.seconds)
                continue
            with contextlib.suppress(Exception):
                self.refresh()

    def start_auto_refresh(self) -> None:
        """Re-read the store every `poll_seconds` on the kernel's event loop."""
        if self._task is None and self.poll_seconds > 0:
            self._task = asyncio.get_event_loop().create_task(self._poll())

    def stop_auto_refresh(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None


def _header(summary: str) -> str:
    return render("apps/portfolio_page.html.j2", part="header", summary=Markup(summary))


# ---- the page ---------------------------------------------------------------------------------
def warm_up() -> None:
    """Everything the page needs, loaded while a pre-heated kernel waits for its visitor."""
    from ...scoring import portfolio_table as portfolio  # noqa: F401
    from .. import pages

    pages.warm_up(charts=True)


def portfolio_page(poll_seconds: float = 60.0) -> Any:
    """The portfolio widget (facilitators only when the server has a facilitator key); under
    Voila it re-reads the store every `poll_seconds`."""
    from .. import access, pages, params

    p = params.resolve()

    def build() -> Any:
        access.require_facilitator(p)
        key = access.facilitator_key() and p.key
        app = Portfolio(pages.store(), pages.bank(), key=key, poll_seconds=poll_seconds)
        if params.in_voila():
            app.start_auto_refresh()
        return app
    app = pages._guard(build)
    return getattr(app, "widget", app)

