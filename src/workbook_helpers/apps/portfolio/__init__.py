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

Reports are found by `report.folder`: in `reports/` beside the store's data folder, which
for the default `./data` is `./reports`, where `workbook report` writes by default. `workbook
serve` hands the apps an absolute data folder and serves the report files under
`/workbook/reports/NAME` (`voila_app.ReportHandler`, facilitator key required like the page).
"""

from .pieces import (
                     FIT_MAP_LABEL,
                     REPORT_ROUTE,
                     fit_map_html,
                     fit_map_spec,
                     page_link,
                     report_link,
                     row_html,
                     summary_html,
                     table_html,
                     with_tooltips,
)
from .view import (
                     ALL,
                     DEFAULT_SORT,
                     KIND_FILTER_LABELS,
                     KIND_SHAPES,
                     KINDS,
                     ROW_LIMIT,
                     SORTS,
                     Filters,
                     badge_colour,
                     badge_label,
                     filter_frame,
                     sort_frame,
                     verdict_kind,
                     view_frame,
)
from .widget import Loaded, Portfolio, load, portfolio_page, warm_up

__all__ = ["ALL", "DEFAULT_SORT", "FIT_MAP_LABEL", "KINDS", "KIND_FILTER_LABELS", "KIND_SHAPES",
           "REPORT_ROUTE", "ROW_LIMIT", "SORTS", "Filters", "Loaded", "Portfolio",
           "badge_colour", "badge_label", "filter_frame", "fit_map_html", "fit_map_spec",
           "load", "page_link", "portfolio_page", "report_link", "row_html", "sort_frame",
           "summary_html", "table_html", "verdict_kind", "view_frame", "warm_up",
           "with_tooltips"]
