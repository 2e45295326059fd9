"""The report's charts as inline SVG strings (drawn by `workbook_helpers.charts`)."""

from __future__ import annotations

from .data import ReportData


def chart_svgs(data: ReportData) -> dict[str, str]:
    """SVG of each chart the report shows: fit_map, profile, heatmap, completion.

    With too few answers for scores only the completion chart is drawn.
    """
    from .. import charts

    r = data.result
    out: dict[str, str] = {}
    if r.respondents:
        out["completion"] = charts.to_svg(charts.completion_chart(r, anonymous=data.anonymous))
    if r.verdict == "insufficient-data":
        return out
    out["fit_map"] = charts.to_svg(charts.fit_map_chart(r, anonymous=data.anonymous))
    out["profile"] = charts.to_svg(charts.profile_chart(r))
    out["heatmap"] = charts.to_svg(charts.divergence_heatmap(r, data.bank,
                                                             anonymous=data.anonymous,
                                                             answers=data.answers))
    return out
