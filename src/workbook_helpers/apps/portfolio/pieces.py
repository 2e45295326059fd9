"""The portfolio page's HTML pieces: the table and its rows (with links to each dashboard
and to the newest report's files), the summary line and the fit map of the rows shown. Every
piece of text is escaped by the templates."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from ...presenting.templating import Markup, macro, render
from ...report.exporters import by_extension
from ...report.folder import Report
from ..html import svg_figure
from .view import DEFAULT_SORT, KIND_FILTER_LABELS, KIND_SHAPES, KINDS, ROW_LIMIT, badge_colour

FIT_MAP_LABEL = ("Fit map of the engagements shown: willingness to share control and risk "
                 "against strategic importance, one point per engagement, coloured by verdict")
# ---- reports -----------------------------------------------------------------------------------
REPORT_ROUTE = "workbook/reports"


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
              exporter.label) for ext in report.formats
             if (exporter := by_extension(ext)) is not None]
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
    from ...presenting import charts

    placed = view.dropna(subset=["share", "importance"])
    points = [{"x": float(r.share), "y": float(r.importance),
               "verdict": KIND_FILTER_LABELS[r.kind], "kind": r.kind,
               "who": _short(str(r.title)),
               "tip": f"{' '.join(str(r.title).split())}: {r.badge} (share {r.share:.0f}, "
                      f"importance {r.importance:.0f})"}
              for r in placed.itertuples(index=False)]
    kinds = [(KIND_FILTER_LABELS[k], badge_colour(k), KIND_SHAPES[k]) for k in KINDS
             if any(p["kind"] == k for p in points)]
    return charts.portfolio_fit_map(points, kinds, label_limit)


POINT = re.compile(r'(<path aria-label="([^"]*)" role="graphics-symbol" '
                   r'aria-roledescription="point"[^>]*?)/>')


def with_tooltips(svg: str) -> str:
    """Give each point of a vl-convert SVG its description as a native tooltip (`<title>`;
    the description is already escaped by Vega, so it is copied as it is)."""
    return POINT.sub(lambda m: f"{m[1]}><title>{m[2]}</title></path>", svg)


def fit_map_html(view: pd.DataFrame) -> str:
    """The fit map of the rows shown, and the engagements that have no scores yet."""
    from ...presenting import charts

    missing = view[view["share"].isna() | view["importance"].isna()]
    plotted = len(view) - len(missing)
    figure = (svg_figure(with_tooltips(charts.to_svg(fit_map_spec(view))), FIT_MAP_LABEL)
              if plotted else "")
    return render("apps/portfolio_page.html.j2", part="map", figure=Markup(figure),
                  missing=[str(t) for t in missing["title"]])


