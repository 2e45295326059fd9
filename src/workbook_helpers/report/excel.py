"""The report's numbers as an Excel workbook: summary, readiness, scores, flags, answers and
comments, plus expectations when anyone estimated the other side's answers.

Text that starts with =, +, -, @ (or a tab / carriage return) would be run by Excel as a
formula; every such string is stored as text with a leading apostrophe, so a respondent's
comment can never become a formula, a link or a DDE call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import brand, presenting
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


def _summary_rows(data: ReportData) -> list[list[Any]]:
    """The Summary sheet: the judgment first (verdict or recommendation, form, confidence,
    runner-up, evidence, what to ask), then who and what was scored, reasons and steps."""
    r = data.result
    form = r.form
    head = presenting.headline(r)
    scored = r.verdict != "insufficient-data"
    rows: list[list[Any]] = [
        ["Engagement", data.engagement.id], ["Title", data.engagement.title],
        ["Host", r.organisations.get("host", "")],
        ["Partner", r.organisations.get("partner", "")],
        ["Verdict", head.label],
    ]
    if scored:
        rows += [["Recommended form", presenting.form_label(r.relationship_type)],
                 *[[f"{brand.side_label(s, r.organisations)}'s picture of the deal", label]
                   for s, label in presenting.pictures(r)],
                 ["Runner-up", presenting.form_label(form.runner_up) or "none"],
                 ["Confidence", float(form.confidence)]]
        if form.pursue is not None and head.recommendation:
            rows += [["Form to pursue", presenting.form_label(form.pursue.form)],
                     ["Readiness for that form", float(form.pursue.readiness)],
                     ["Pursue", form.pursue.detail]]
            if form.pursue.next_step:
                rows.append(["First step for that form", form.pursue.next_step])
        if form.evidence:
            rows.append(["Form summary", form.evidence[0]])
        rows += [["Evidence", x] for x in form.evidence[1:]]
        rows += [["To ask about the deal", x] for x in form.to_ask]
        firm = presenting.firmness(r)
        rob = r.robustness
        if firm is not None and rob is not None:
            rows += [["Robustness", firm.sentence + (f" {firm.caution}" if firm.caution
                                                     else "")],
                     ["One-point changes that change the verdict",
                      f"{rob.verdict_flips} of {rob.answer_changes}"],
                     ["One-point changes that change the form",
                      f"{rob.form_flips} of {rob.answer_changes}"],
                     ["Weight moves that change the verdict or form",
                      f"{rob.weight_flips} of {rob.weight_changes}"]]
        for side in presenting.SIDES:
            met, unmet, unknown = presenting.readiness_counts(r, side)
            if met + unmet + unknown:
                rows.append([f"Readiness, {side}",
                             f"{met} of {met + unmet + unknown} conditions met"
                             + (f", {unknown} unknown" if unknown else "")
                             + " (sheet Readiness)"])
    per_side = r.respondents_per_side
    rows += [
        ["Completeness", float(r.completeness or 0.0)],
        ["Host respondents", per_side.get("host", 0)],
        ["Partner respondents", per_side.get("partner", 0)],
        ["Question bank", f"{data.bank.bank.id} {data.bank.version}"],
        ["Report date", data.generated.isoformat()],
        ["Names", "hidden (roles only)" if data.anonymous else "shown"],
    ]
    if scored and r.expectations:
        flagged = presenting.expectation_flags(r)
        rows.append(["Expectation gaps", f"{len(flagged)} flagged (sheet Expectations)"])
    rows += [["Reason", x] for x in (presenting.why(r) if scored else r.reasons)]
    rows += [["Next step", x] for x in r.next_steps]
    return rows


def _style_summary(wb: Any, data: ReportData) -> None:
    """Colour the verdict cell (neutral for a recommendation) and format the shares."""
    from openpyxl.styles import Font, PatternFill

    ws = wb["Summary"]
    head = presenting.headline(data.result)
    for (item, value) in ws.iter_rows(min_row=2, max_col=2):
        if item.value == "Verdict":
            value.fill = PatternFill("solid", fgColor=head.colour.lstrip("#"))
            value.font = Font(bold=True, color="FFFFFF")
        elif item.value in ("Confidence", "Completeness", "Readiness for that form"):
            value.number_format = "0%"


def _readiness_rows(data: ReportData) -> list[list[Any]]:
    r = data.result
    names = {s: brand.side_label(s, r.organisations) for s in presenting.SIDES}
    return [[c.side, names.get(c.side, c.side), presenting.condition_label(c.id, data.bank),
             presenting.MET_LABELS[c.met].lower(), c.detail,
             c.step if c.met is not True and c.step else ""]
            for s in presenting.SIDES for c in r.readiness if c.side == s]


EXPECT_HEADERS = ["Level", "List", "Question id", "List or question", "Whose picture",
                  "Of", "Expected (0-100)", "Answered (0-100)", "Miss (points)", "Direction",
                  "Flagged"]


def _expectation_rows(data: ReportData) -> list[list[Any]]:
    """The Expectations sheet: per list, then per question, each side's picture of the other:
    what it expected, what the other side answered, the miss and its direction."""
    r = data.result
    names = {s: brand.side_label(s, r.organisations) for s in presenting.SIDES}
    titles = {lst.id: lst.title for lst in data.bank.lists}
    out: list[list[Any]] = []
    for level, questions in (("list", False), ("question", True)):
        for x in presenting.expectation_rows(r, questions=questions, bank=data.bank):
            out.append([level, titles.get(x.list_id, x.list_id),
                        x.key if questions else "", x.title, names[x.side], names[x.other],
                        round(x.expects, 1), round(x.actual, 1), round(x.miss, 1),
                        x.direction_label.lower(), "yes" if x.flagged else "no"])
    return out


def write_excel(data: ReportData, target: Path) -> None:
    """Write the engagement's summary, readiness, scores, flags, answers and comments (and
    expectations, when there are any)."""
    from openpyxl import Workbook

    r = data.result
    labels = people_labels(data)
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Summary", ["Item", "Value"], _summary_rows(data), wrap=("Value",))
    _style_summary(wb, data)
    _sheet(wb, "Readiness", ["Side", "Organisation", "Condition", "Met", "Detail",
                            "Step to meet it"], _readiness_rows(data),
           wrap=("Detail", "Step to meet it"))
    scores = [[d.title, d.host, d.partner, d.gap, d.pooled, d.host_divergence,
               d.partner_divergence] for d in r.dimensions.values()]
    _sheet(wb, "Scores", ["List", "Host", "Partner", "Gap", "Both together", "Host spread",
                          "Partner spread"], scores)
    titles = {lst.id: lst.title for lst in data.bank.lists}
    flags = [[f.kind, titles.get(str(f.dimension), ""), f.side or "", f.question_id or "",
              f.magnitude, "yes" if f.blocking else "no", f.detail] for f in r.flags]
    _sheet(wb, "Flags", ["Kind", "List", "Side", "Question", "Magnitude", "Blocking",
                         "Detail"], flags, wrap=("Detail",))
    qmap = data.bank.question_map
    order = {q.id: i for i, q in enumerate(data.bank.iter_ordered())}
    rows = sorted(data.answers.itertuples(index=False),
                  key=lambda a: (order.get(str(a.question_id), 10**6), str(a.side),
                                 str(a.respondent), str(getattr(a, "about", "self"))
                                 != "self"))
    answers, comments = [], []
    for a in rows:
        q = qmap.get(str(a.question_id))
        dk = bool(a.dont_know) or str(a.value) == "<NA>"
        who = labels.get(str(a.respondent), str(a.respondent))
        about = presenting.about_label(getattr(a, "about", "self"))
        answers.append([titles.get(q.list, "") if q else "", str(a.question_id),
                        q.text if q else "", who, str(a.side), str(a.role or ""), about,
                        None if dk else int(a.value), "yes" if dk else "no"])
        if str(a.comment or "").strip():
            comments.append([str(a.question_id), q.text if q else "", who, str(a.side),
                             about, str(a.comment)])
    _sheet(wb, "Answers", ["List", "Question id", "Question", "Respondent", "Side", "Role",
                           "About", "Answer", "Don't know"], answers, wrap=("Question",))
    _sheet(wb, "Comments", ["Question id", "Question", "Respondent", "Side", "About",
                            "Comment"], comments, wrap=("Question", "Comment"))
    if r.expectations:
        _sheet(wb, "Expectations", EXPECT_HEADERS, _expectation_rows(data),
               wrap=("List or question",))
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
