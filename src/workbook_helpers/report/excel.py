"""The report's numbers as an Excel workbook: summary, scores, flags, answers, comments.

Text that starts with =, +, -, @ (or a tab / carriage return) would be run by Excel as a
formula; every such string is stored as text with a leading apostrophe, so a respondent's
comment can never become a formula, a link or a DDE call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import brand
from .content import people_labels
from .data import ReportData

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 70


def neutralise(value: Any) -> Any:
    """A cell value that Excel cannot evaluate: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _sheet(wb: Any, title: str, headers: list[str], rows: list[list[Any]],
           wrap: tuple[str, ...] = ()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(headers)
    for row in rows:
        ws.append([neutralise(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    fill = PatternFill("solid", fgColor=brand.NAVY.lstrip("#"))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, head in enumerate(headers, start=1):
        longest = max([len(str(head))] + [len(str(r[i - 1])) for r in rows if i - 1 < len(r)
                                          and r[i - 1] is not None])
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), MAX_WIDTH)
        if head in wrap:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def write_excel(data: ReportData, target: Path) -> None:
    """Write the engagement's summary, scores, flags, answers and comments to `target`."""
    from openpyxl import Workbook

    r = data.result
    labels = people_labels(data)
    orgs = r.get("organisations") or {}
    wb = Workbook()
    wb.remove(wb.active)
    summary = [
        ["Engagement", data.engagement.id], ["Title", data.engagement.title],
        ["Host", orgs.get("host", "")], ["Partner", orgs.get("partner", "")],
        ["Verdict", brand.VERDICT_LABELS.get(r["verdict"], r["verdict"])],
        ["Recommended form", brand.TYPE_LABELS.get(r["relationship_type"], "")],
        ["Completeness", float(r.get("completeness") or 0.0)],
        ["Host respondents", (r.get("respondents_per_side") or {}).get("host", 0)],
        ["Partner respondents", (r.get("respondents_per_side") or {}).get("partner", 0)],
        ["Question bank", f"{data.bank.bank.id} {data.bank.version}"],
        ["Report date", data.generated.isoformat()],
        ["Names", "hidden (roles only)" if data.anonymous else "shown"],
    ] + [["Reason", x] for x in r.get("reasons") or []] \
      + [["Next step", x] for x in r.get("next_steps") or []]
    _sheet(wb, "Summary", ["Item", "Value"], summary, wrap=("Value",))
    scores = [[d["title"], d.get("host"), d.get("partner"), d.get("gap"), d.get("pooled"),
               d.get("host_divergence"), d.get("partner_divergence")]
              for d in (r.get("dimensions") or {}).values()]
    _sheet(wb, "Scores", ["List", "Host", "Partner", "Gap", "Both together", "Host spread",
                          "Partner spread"], scores)
    titles = {lst.id: lst.title for lst in data.bank.lists}
    flags = [[f.get("kind"), titles.get(str(f.get("dimension")), ""), f.get("side") or "",
              f.get("question_id") or "", f.get("magnitude"),
              "yes" if f.get("blocking") else "no", f.get("detail")]
             for f in r.get("flags") or []]
    _sheet(wb, "Flags", ["Kind", "List", "Side", "Question", "Magnitude", "Blocking",
                         "Detail"], flags, wrap=("Detail",))
    qmap = data.bank.question_map
    order = {q.id: i for i, q in enumerate(data.bank.iter_ordered())}
    rows = sorted(data.answers.itertuples(index=False),
                  key=lambda a: (order.get(str(a.question_id), 10**6), str(a.side),
                                 str(a.respondent)))
    answers, comments = [], []
    for a in rows:
        q = qmap.get(str(a.question_id))
        dk = bool(a.dont_know) or str(a.value) == "<NA>"
        who = labels.get(str(a.respondent), str(a.respondent))
        answers.append([titles.get(q.list, "") if q else "", str(a.question_id),
                        q.text if q else "", who, str(a.side), str(a.role or ""),
                        None if dk else int(a.value), "yes" if dk else "no"])
        if str(a.comment or "").strip():
            comments.append([str(a.question_id), q.text if q else "", who, str(a.side),
                             str(a.comment)])
    _sheet(wb, "Answers", ["List", "Question id", "Question", "Respondent", "Side", "Role",
                           "Answer", "Don't know"], answers, wrap=("Question",))
    _sheet(wb, "Comments", ["Question id", "Question", "Respondent", "Side", "Comment"],
           comments, wrap=("Question", "Comment"))
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
