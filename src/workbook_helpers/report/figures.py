"""The report's charts as inline SVG strings (drawn by `workbook_helpers.charts`)."""

from __future__ import annotations

from .data import ReportData


def chart_svgs(data: ReportData) -> dict[str, str]:
    """SVG of each chart the report shows: fit_map, profile, completion and (when anyone
    estimated the other side's answers) expectations.

    With too few answers for scores only the completion chart is drawn. The heat map of
    every answer is an HTML table, drawn by `content.divergence` itself.
    """
    from .. import charts, presenting

    r = data.result
    out: dict[str, str] = {}
    if r.respondents:
        total = len(data.bank.expectation_questions) if r.expectations else 0
        out["completion"] = charts.to_svg(charts.completion_chart(
            r, anonymous=data.anonymous,
            estimates=presenting.estimate_counts(data.answers, data.bank),
            estimate_total=total))
    if r.verdict == "insufficient-data":
        return out
    out["fit_map"] = charts.to_svg(charts.fit_map_chart(r, anonymous=data.anonymous))
    out["profile"] = charts.to_svg(charts.profile_chart(r))
    if r.expectations:
        out["expectations"] = charts.to_svg(charts.expectation_chart(r))
    return out
