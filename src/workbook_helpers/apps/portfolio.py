"""The consultant's portfolio: every engagement of the store in one table, and where they sit
on the fit map.

One row per engagement (`scoring.portfolio_table.portfolio_frame`: the latest round's
verdict and form, completeness, rounds, open and overdue actions, last answer), with a link to
its dashboard and to its newest report. The table is sorted with a dropdown (and a direction
switch) and filtered by verdict, form, "has overdue actions" and a text search on the title,
the id and both organisations; every piece of text in it is escaped. The fit map (x = share,
y = importance, 0-100, coloured and shaped by verdict, the title as each point's tooltip)
shows the engagements the filters leave; those without scores are listed under it as "no
scores yet". Facilitator page: it needs the facilitator key whenever the server has one.

Reports are found in `reports_dir()`: `reports/` beside the store's data folder, which for
the default `./data` is `./reports`, where `workbook report` writes by default. `workbook
serve` hands the apps an absolute data folder and serves the report files under
`/workbook/reports/NAME` (`voila_app.ReportHandler`, facilitator key required like the page).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import ipywidgets as w
import pandas as pd

from ..bank import Bank
from ..config import data_dir
from ..exceptions import WorkbookError
from ..presenting import brand
from ..presenting import judgment as presenting
from ..presenting.templating import Markup, macro, render
from ..store import Store
from .html import notice, svg_figure
from .style import style_widget

FIT_MAP_LABEL = ("Fit map of the engagements shown: willingness to share control and risk "
                 "against strategic importance, one point per engagement, coloured by verdict")
#: How a verdict is shown, in the order the verdict filter and the verdict sort use.
KINDS: tuple[str, ...] = ("fit", "conditional", "recommend", "no-fit", "insufficient-data")
KIND_FILTER_LABELS: dict[str, str] = {
    "fit": "Fit", "conditional": "Conditional fit", "recommend": "Another form fits better",
    "no-fit": "No fit", "insufficient-data": "Not enough answers yet"}
KIND_SHAPES: dict[str, str] = {"fit": "circle", "conditional": "diamond", "recommend": "square",
                               "no-fit": "cross", "insufficient-data": "triangle-up"}
#: Sort keys: (label in the dropdown, column of the view frame).
SORTS: dict[str, tuple[str, str]] = {
    "title": ("Engagement title", "sort_title"),
    "host": ("Host organisation", "sort_host"),
    "partner": ("Partner organisation", "sort_partner"),
    "verdict": ("Verdict", "kind_rank"),
    "form": ("Form", "form_label"),
    "completeness": ("Answered (%)", "completeness"),
    "rounds": ("Rounds", "rounds"),
    "open": ("Open actions", "open_actions"),
    "overdue": ("Overdue actions", "overdue_actions"),
    "last": ("Last answer", "last_answer_at"),
    "report": ("Latest report", "report_at"),
}
DEFAULT_SORT = ("overdue", True)   # most overdue actions first, then by title
ROW_LIMIT = 200                    # rows drawn at once; "Show all" draws the rest
ALL = ""

# ---- reports -----------------------------------------------------------------------------------
#: A report file `workbook report` writes: ENGAGEMENT[.ROUND].EXT (ids are slugs, no dots).
REPORT_NAME = re.compile(r"^(?P<engagement>[a-z0-9][a-z0-9-]{0,63})"
                         r"(?:\.(?P<round>[a-z0-9][a-z0-9-]{0,63}))?"
                         r"\.(?P<ext>html|pdf|xlsx|pptx)$")
REPORT_KINDS: dict[str, str] = {"html": "HTML", "pdf": "PDF", "xlsx": "Excel", "pptx": "Slides"}
REPORT_ROUTE = "workbook/reports"


@dataclass(frozen=True)
class Report:
    """The newest report of an engagement: its file stem, the formats written, and when."""

    engagement: str
    stem: str
    formats: tuple[str, ...]
    written: datetime


def reports_dir() -> Path:
    """Where the portfolio looks for reports: `reports/` beside the store's data folder (for
    the default `./data`, the `./reports` that `workbook report` writes to by default)."""
    return data_dir().resolve().parent / "reports"


def latest_reports(folder: Path | None = None) -> dict[str, Report]:
    """The newest report of each engagement found in `folder` (by the files' modification
    time; a report written for a round, ENGAGEMENT.ROUND.html, counts as the engagement's)."""
    folder = reports_dir() if folder is None else folder
    stems: dict[tuple[str, str], tuple[float, list[str]]] = {}
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = REPORT_NAME.match(entry.name)
            if m is None or not entry.is_file():
                continue
            key = (m["engagement"], entry.name[: -len(m["ext"]) - 1])
            mtime, kinds = stems.get(key, (0.0, []))
            stems[key] = (max(mtime, entry.stat().st_mtime), [*kinds, m["ext"]])
    out: dict[str, Report] = {}
    for (eng, stem), (mtime, kinds) in sorted(stems.items(), key=lambda kv: kv[1][0]):
        out[eng] = Report(eng, stem, tuple(k for k in REPORT_KINDS if k in kinds),
                          datetime.fromtimestamp(mtime, UTC))
    return out


def report_file(name: str, folder: Path | None = None) -> Path | None:
    """The report file a request names, or None: only names `workbook report` writes, only
    files that really sit in the reports folder (no path tricks, no links out of it)."""
    if REPORT_NAME.match(name) is None:
        return None
    root = (reports_dir() if folder is None else folder).resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path


def key_matches(given: str, expected: str) -> bool:
    """Whether a request may see facilitator material: always when no key is set (local
    only), else only with the key (compared in constant time)."""
    if not expected:
        return True
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


# ---- the frame the page draws --------------------------------------------------------------
def verdict_kind(verdict: str, form: str, alliance_forms: tuple[str, ...] | list[str],
                 cause: str | None = "form") -> str:
    """How the verdict is shown: the kind of `presenting.headline_of`, as on the dashboard
    ('recommend' when the form decided a no-fit and another form fits better). Without the
    verdict's cause (a frame without it, or an engagement without one) the form is taken to
    have decided it."""
    return presenting.headline_of(verdict, cause, form, form in alliance_forms).kind


def badge_label(kind: str, form: str) -> str:
    """The verdict as the dashboard says it ('Conditional fit', 'Recommended: licensing')."""
    if kind == "recommend":
        return presenting.headline_of("no-fit", "form", form, False).label
    return presenting.headline_of(kind, None, form, True).label


def badge_colour(kind: str) -> str:
    """The verdict's colour (the neutral slate for a recommendation of another form)."""
    return brand.NEUTRAL if kind == "recommend" else brand.VERDICT_COLOURS.get(kind, brand.MUTED)


def view_frame(frame: pd.DataFrame, bank: Bank | None = None,
               reports: dict[str, Report] | None = None) -> pd.DataFrame:
    """The portfolio frame with what the page shows and sorts on: verdict kind, badge label,
    form label, report, lower-cased search text and sort keys."""
    alliance = tuple(bank.forms.alliance_forms) if bank is not None else (
        "strategic-alliance", "joint-venture")
    reports = reports or {}
    out = frame.copy()
    causes = out["cause"] if "cause" in out.columns else [None] * len(out)
    out["kind"] = [verdict_kind(str(v), str(f), alliance, c if isinstance(c, str) and c
                                else "form")
                   for v, f, c in zip(out["verdict"], out["relationship_type"], causes,
                                      strict=True)]
    out["kind_rank"] = out["kind"].map({k: i for i, k in enumerate(KINDS)}).astype(int)
    out["badge"] = [badge_label(k, str(f)) for k, f in
                    zip(out["kind"], out["relationship_type"], strict=True)]
    out["form_label"] = [presenting.form_label(str(f)) if c > 0 else presenting.DASH
                         for f, c in zip(out["relationship_type"], out["completeness"],
                                         strict=True)]
    for col in ("title", "host_org", "partner_org"):
        out[col] = out[col].fillna("").astype(str)
    out["sort_title"] = out["title"].str.casefold()
    out["sort_host"] = out["host_org"].str.casefold()
    out["sort_partner"] = out["partner_org"].str.casefold()
    out["search"] = (out["title"] + "\n" + out["engagement"].astype(str) + "\n"
                     + out["host_org"] + "\n" + out["partner_org"]).str.casefold()
    out["report"] = [reports.get(str(e)) for e in out["engagement"]]
    out["report_at"] = pd.to_datetime([r.written if r else None for r in out["report"]],
                                      utc=True)
    out["last_answer_at"] = pd.to_datetime(out["last_answer_at"], utc=True)
    return out


@dataclass(frozen=True)
class Filters:
    """What the table is narrowed to ('' = any)."""

    kind: str = ALL
    form: str = ALL
    overdue_only: bool = False
    text: str = ""


def filter_frame(view: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that pass every filter (text: every word must occur in the title, the id or
    an organisation, ignoring case)."""
    keep = pd.Series(True, index=view.index)
    if filters.kind:
        keep &= view["kind"] == filters.kind
    if filters.form:
        keep &= view["relationship_type"] == filters.form
    if filters.overdue_only:
        keep &= view["overdue_actions"] > 0
    for word in filters.text.casefold().split():
        keep &= view["search"].str.contains(word, regex=False)
    return view[keep]


def sort_frame(view: pd.DataFrame, by: str, descending: bool = False) -> pd.DataFrame:
    """The rows ordered by one of `SORTS` (missing values last either way), then by title
    and id so that the order is always the same."""
    if by not in SORTS:
        raise WorkbookError(f"cannot sort the portfolio by {by!r}; use one of "
                            f"{', '.join(SORTS)}.")
    col = SORTS[by][1]
    keys = [col] + [c for c in ("sort_title", "engagement") if c != col]
    return view.sort_values(keys, ascending=[not descending] + [True] * (len(keys) - 1),
                            na_position="last", kind="mergesort")


# ---- HTML --------------------------------------------------------------------------------------
COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (header, sort key it reflects, css class); "Open" and "Overdue" sit under "Actions"
    ("Engagement", "title", "wb-pf-title"),
    ("Host · partner", "host", "wb-pf-orgs"),
    ("Verdict", "verdict", "wb-pf-verdict"),
    ("Form", "form", "wb-pf-form"),
    ("Answered", "completeness", "wb-pf-num"),
    ("Round", "rounds", "wb-pf-round"),
    ("Open", "open", "wb-pf-num"),
    ("Overdue", "overdue", "wb-pf-num"),
    ("Last answer", "last", "wb-pf-date"),
    ("Report", "report", "wb-pf-report"),
)
ACTION_COLUMNS = ("open", "overdue")


def page_link(page: str, engagement: str = "", key: str = "") -> str:
    """A link to another app, relative to this page (works behind any proxy prefix)."""
    query = {k: v for k, v in (("engagement", engagement), ("key", key)) if v}
    return f"{page}.ipynb" + (f"?{urlencode(query)}" if query else "")


def report_link(name: str, key: str = "") -> str:
    """A link to a report file served by `workbook serve`, relative to this page."""
    return f"../../{REPORT_ROUTE}/{name}" + (f"?{urlencode({'key': key})}" if key else "")


PIECES = "apps/_portfolio.html.j2"


def _when(value: Any) -> pd.Timestamp | None:
    """A time of the frame as a timestamp (None when missing), for the `date` filter."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value)


def _report_cell(report: Report | None, key: str) -> dict[str, Any] | None:
    """The newest report's links (href, file name, format) and when it was written."""
    if report is None:
        return None
    links = [(report_link(f"{report.stem}.{ext}", key), f"{report.stem}.{ext}",
              REPORT_KINDS[ext]) for ext in report.formats]
    return {"links": links, "written": _when(report.written)}


def row_html(row: Any, key: str = "") -> str:
    """One engagement as a table row (every text escaped)."""
    eng = str(row.engagement)
    cell = {"link": page_link("dashboard", eng, key), "colour": badge_colour(row.kind),
            "last_answer": _when(row.last_answer_at), "report": _report_cell(row.report, key),
            "rounds": int(row.rounds), "open": int(row.open_actions),
            "overdue": int(row.overdue_actions)}
    return macro(PIECES, "row", row, cell)


def table_html(rows: pd.DataFrame, sort_by: str = DEFAULT_SORT[0],
               descending: bool = DEFAULT_SORT[1], key: str = "",
               limit: int | None = ROW_LIMIT) -> str:
    """The table of `rows` (already filtered and sorted); at most `limit` rows drawn."""
    columns = [{"label": label, "key": sort_key, "cls": cls} for label, sort_key, cls in COLUMNS]
    shown = rows if limit is None else rows.head(limit)
    return render("apps/portfolio_table.html.j2", columns=columns, sort_by=sort_by,
                  descending=descending, action_columns=ACTION_COLUMNS,
                  rows=[row_html(r, key) for r in shown.itertuples(index=False)])


def summary_html(view: pd.DataFrame) -> str:
    """One line over the whole portfolio: engagements per verdict, open and overdue actions."""
    counts = view["kind"].value_counts()
    kinds = [(k, badge_colour(k), KIND_FILTER_LABELS[k], int(counts[k]))
             for k in KINDS if k in counts.index]
    return render("apps/portfolio_summary.html.j2", engagements=len(view), kinds=kinds,
                  opened=int(view["open_actions"].sum()), late=int(view["overdue_actions"].sum()))


# ---- the fit map ------------------------------------------------------------------------------
def _short(text: str, limit: int = 26) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_map_spec(view: pd.DataFrame, label_limit: int = 12) -> dict[str, Any]:
    """A Vega-Lite spec of the engagements on the fit map (x = share, y = importance), colour
    and shape by verdict, each point described by its title (the tooltip); points get a label
    when there are at most `label_limit` of them. Engagements without scores are left out."""
    from ..presenting import charts

    placed = view.dropna(subset=["share", "importance"])
    points = [{"x": float(r.share), "y": float(r.importance),
               "verdict": KIND_FILTER_LABELS[r.kind], "kind": r.kind,
               "who": _short(str(r.title)),
               "tip": f"{' '.join(str(r.title).split())}: {r.badge} (share {r.share:.0f}, "
                      f"importance {r.importance:.0f})"}
              for r in placed.itertuples(index=False)]
    kinds = [k for k in KINDS if any(p["kind"] == k for p in points)]
    legend = [KIND_FILTER_LABELS[k] for k in kinds]
    colour = {"field": "verdict", "type": "nominal", "title": "Verdict",
              "scale": {"domain": legend, "range": [badge_colour(k) for k in kinds]}}
    shape = {"field": "verdict", "type": "nominal", "title": "Verdict",
             "scale": {"domain": legend, "range": [KIND_SHAPES[k] for k in kinds]}}
    axis_x = {"field": "x0", "type": "quantitative", "scale": {"domain": [0, 100],
              "nice": False}, "title": "Willingness to share control and risk →"}
    axis_y = {"field": "y0", "type": "quantitative", "scale": {"domain": [0, 100],
              "nice": False}, "title": "Strategic importance and priority →"}
    fills = ["#e3f1ea", "#eef1f5", "#eef1f5", "#f4f4f4"]
    quads = [{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "label": lab, "tx": x0 + 2, "ty": y1 - 3}
             for x0, x1, y0, y1, lab in charts.QUADRANTS]
    layers: list[dict[str, Any]] = [
        {"data": {"values": [q]}, "mark": {"type": "rect", "fill": fill, "opacity": 0.8,
                                           "stroke": "white", "strokeWidth": 2},
         "encoding": {"x": axis_x, "x2": {"field": "x1"}, "y": axis_y, "y2": {"field": "y1"}}}
        for q, fill in zip(quads, fills, strict=True)]
    layers.append({"data": {"values": quads},
                   "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11,
                            "fontWeight": "bold", "color": brand.MUTED},
                   "encoding": {"x": {"field": "tx", "type": "quantitative"},
                                "y": {"field": "ty", "type": "quantitative"},
                                "text": {"field": "label", "type": "nominal"}}})
    if points:
        layers.append({"data": {"values": points},
                       "mark": {"type": "point", "size": 110, "filled": True, "opacity": 0.85,
                                "stroke": "white", "strokeWidth": 1},
                       "encoding": {"x": {"field": "x", "type": "quantitative"},
                                    "y": {"field": "y", "type": "quantitative"},
                                    "color": colour, "shape": shape,
                                    "description": {"field": "tip", "type": "nominal"}}})
    if 0 < len(points) <= label_limit:
        labelled = charts.place_labels(points, [], char=1.25, line=4.0)
        layers.append({"data": {"values": labelled},
                       "mark": {"type": "text", "align": "left", "dx": 8, "dy": -4,
                                "fontSize": 10, "color": brand.INK},
                       "encoding": {"x": {"field": "x", "type": "quantitative"},
                                    "y": {"field": "ly", "type": "quantitative"},
                                    "text": {"field": "who", "type": "nominal"}}})
    return charts.Spec({"$schema": charts.SCHEMA, "config": copy.deepcopy(charts.CONFIG),
                        "layer": layers,
                        "width": 420, "height": 360,
                        "title": "Where the engagements sit on the fit map"})


POINT = re.compile(r'(<path aria-label="([^"]*)" role="graphics-symbol" '
                   r'aria-roledescription="point"[^>]*?)/>')


def with_tooltips(svg: str) -> str:
    """Give each point of a vl-convert SVG its description as a native tooltip (`<title>`;
    the description is already escaped by Vega, so it is copied as it is)."""
    return POINT.sub(lambda m: f"{m[1]}><title>{m[2]}</title></path>", svg)


def fit_map_html(view: pd.DataFrame) -> str:
    """The fit map of the rows shown, and the engagements that have no scores yet."""
    from ..presenting import charts

    missing = view[view["share"].isna() | view["importance"].isna()]
    plotted = len(view) - len(missing)
    figure = (svg_figure(with_tooltips(charts.to_svg(fit_map_spec(view))), FIT_MAP_LABEL)
              if plotted else "")
    return render("apps/portfolio_page.html.j2", part="map", figure=Markup(figure),
                  missing=[str(t) for t in missing["title"]])


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
    from ..scoring.portfolio_table import portfolio_frame

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
    from ..scoring import portfolio_table as portfolio  # noqa: F401
    from . import pages

    pages.warm_up(charts=True)


def portfolio_page(poll_seconds: float = 60.0) -> Any:
    """The portfolio widget (facilitators only when the server has a facilitator key); under
    Voila it re-reads the store every `poll_seconds`."""
    from . import access, pages, params

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
