"""The report's charts as inline SVG strings (drawn by `workbook_helpers.presenting.charts`)."""

from __future__ import annotations

from typing import Any

from .data import ReportData


def chart_svgs(data: ReportData) -> dict[str, str]:
    """SVG of each chart the report shows: fit_map, profile, completion, (when anyone
    estimated the other side's answers) expectations and (with two rounds or more) trend.

    With too few answers for scores only the completion chart (and the trend) is drawn. The
    heat map of every answer is an HTML table, drawn by `content.divergence` itself.
    """
    from ..presenting import charts
    from ..presenting import judgment as presenting
    from ..presenting.speaking import speaking

    with speaking(data.lang):
        return _chart_svgs(data, charts, presenting)


def _chart_svgs(data: ReportData, charts: Any, presenting: Any) -> dict[str, str]:
    r = data.result
    out: dict[str, str] = {}
    if r.respondents:
        total = len(data.bank.expectation_questions) if r.expectations else 0
        out["completion"] = charts.to_svg(charts.completion_chart(
            r, anonymous=data.anonymous,
            estimates=presenting.estimate_counts(data.answers, data.bank),
            estimate_total=total))
    if data.trend is not None:  # earlier rounds may have scores even when this one has none
        from .content import list_titles, orgs

        out["trend"] = charts.to_svg(charts.trend_chart(data.trend, orgs(data),
                                                        list_titles(data)))
    if r.verdict == "insufficient-data":
        return out
    out["fit_map"] = charts.to_svg(charts.fit_map_chart(r, anonymous=data.anonymous))
    out["profile"] = charts.to_svg(charts.profile_chart(r))
    if r.expectations:
        out["expectations"] = charts.to_svg(charts.expectation_chart(r))
    return out
