"""The report's numbers as an Excel workbook: summary, readiness, scores, flags, answers and
comments, plus expectations when anyone estimated the other side's answers.

Text that starts with =, +, -, @ (or a tab / carriage return) would be run by Excel as a
formula; every such string is stored as text with a leading apostrophe, so a respondent's
comment can never become a formula, a link or a DDE call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import is_dont_know
from ..presenting import brand
from ..presenting import judgment as presenting
from ..presenting.speaking import N_, _, side_noun, speaking
from .content import comment_language, people_labels
from .data import ReportData

if TYPE_CHECKING:
    from ..scoring.model import ScoreResult

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


#: the sheets' names (English msgids, translated where the workbook is written)
SHEETS = {"summary": N_("Summary"), "readiness": N_("Readiness"), "scores": N_("Scores"),
          "flags": N_("Flags"), "answers": N_("Answers"), "comments": N_("Comments"),
          "expectations": N_("Expectations")}


def _of(n: int, total: int) -> str:
    return _("{count} of {total}").format(count=n, total=total)


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _side(side: str) -> str:
    """A side as the Side columns show it: the id in English (as always), else the word."""
    return side if data_lang_is_english() else side_noun(side)


def data_lang_is_english() -> bool:
    """Whether the workbook being written is in English (its Side columns keep the ids)."""
    from ..presenting.speaking import current

    return current() == "en"


def _summary_rows(data: ReportData) -> list[list[Any]]:
    """The Summary sheet: the judgment first (verdict or recommendation, form, confidence,
    runner-up, evidence, what to ask), then who and what was scored, reasons and steps."""
    r = data.result
    scored = r.verdict != "insufficient-data"
    rows: list[list[Any]] = [
        [_("Engagement"), data.engagement.id], [_("Title"), data.engagement.title],
        [_("Host"), r.organisations.get("host", "")],
        [_("Partner"), r.organisations.get("partner", "")],
        [_("Verdict"), presenting.headline(r).label],
    ]
    if scored:
        rows += _judgment_rows(r) + _robustness_rows(r) + _readiness_summary(r)
    per_side = r.respondents_per_side
    rows += [
        [_("Completeness"), float(r.completeness or 0.0)],
        [_("Host respondents"), per_side.get("host", 0)],
        [_("Partner respondents"), per_side.get("partner", 0)],
        [_("Question bank"), f"{data.bank.bank.id} {data.bank.version}"],
        [_("Report date"), data.generated.isoformat()],
        [_("Names"), _("hidden (roles only)") if data.anonymous else _("shown")],
    ]
    if scored and r.expectations:
        flagged = presenting.expectation_flags(r)
        rows.append([_("Expectation gaps"), _("{count} flagged").format(count=len(flagged))
                     + _(" (sheet {sheet})").format(sheet=_(SHEETS["expectations"]))])
    rows += [[_("Reason"), x] for x in (presenting.why(r) if scored else r.reasons)]
    rows += [[_("Next step"), x] for x in r.next_steps]
    return rows


def _judgment_rows(r: ScoreResult) -> list[list[Any]]:
    """The form the answers point to: pictures, runner-up, confidence, the form to pursue
    (for a recommendation), evidence and what to ask."""
    form = r.form
    rows: list[list[Any]] = [
        [_("Recommended form"), presenting.form_label(r.relationship_type)],
        *[[_("{org}'s picture of the deal").format(
            org=brand.side_label(s, r.organisations)), label]
          for s, label in presenting.pictures(r)],
        [_("Runner-up"), presenting.form_label(form.runner_up) or _("none")],
        [_("Confidence"), float(form.confidence)]]
    if form.pursue is not None and presenting.headline(r).recommendation:
        rows += [[_("Form to pursue"), presenting.form_label(form.pursue.form)],
                 [_("Readiness for that form"), float(form.pursue.readiness)],
                 [_("Pursue"), form.pursue.detail]]
        if form.pursue.next_step:
            rows.append([_("First step for that form"), form.pursue.next_step])
    if form.evidence:
        rows.append([_("Form summary"), form.evidence[0]])
    rows += [[_("Evidence"), x] for x in form.evidence[1:]]
    rows += [[_("To ask about the deal"), x] for x in form.to_ask]
    return rows


def _robustness_rows(r: ScoreResult) -> list[list[Any]]:
    """How firm the verdict is and how many small changes would change it."""
    firm = presenting.firmness(r)
    rob = r.robustness
    if firm is None or rob is None:
        return []
    return [[_("Robustness"), firm.sentence + (f" {firm.caution}" if firm.caution else "")],
            [_("One-point changes that change the verdict"),
             _of(rob.verdict_flips, rob.answer_changes)],
            [_("One-point changes that change the form"),
             _of(rob.form_flips, rob.answer_changes)],
            [_("Weight moves that change the verdict or form"),
             _of(rob.weight_flips, rob.weight_changes)]]


def _readiness_summary(r: ScoreResult) -> list[list[Any]]:
    """Each side's readiness conditions met (the details are on the Readiness sheet)."""
    rows: list[list[Any]] = []
    for side in presenting.SIDES:
        met, unmet, unknown = presenting.readiness_counts(r, side)
        if met + unmet + unknown:
            rows.append([_("Readiness, {side}").format(side=side_noun(side)),
                         _("{met} of {total} conditions met").format(
                             met=met, total=met + unmet + unknown)
                         + (_(", {count} unknown").format(count=unknown) if unknown
                            else "")
                         + _(" (sheet {sheet})").format(sheet=_(SHEETS["readiness"]))])
    return rows


def _style_summary(wb: Any, data: ReportData) -> None:
    """Colour the verdict cell (neutral for a recommendation) and format the shares."""
    from openpyxl.styles import Font, PatternFill

    ws = wb[_(SHEETS["summary"])]
    head = presenting.headline(data.result)
    for (item, value) in ws.iter_rows(min_row=2, max_col=2):
        if item.value == _("Verdict"):
            value.fill = PatternFill("solid", fgColor=head.colour.lstrip("#"))
            value.font = Font(bold=True, color="FFFFFF")
        elif item.value in (_("Confidence"), _("Completeness"), _("Readiness for that form")):
            value.number_format = "0%"


def _readiness_rows(data: ReportData) -> list[list[Any]]:
    r = data.result
    names = {s: brand.side_label(s, r.organisations) for s in presenting.SIDES}
    return [[_side(c.side), names.get(c.side, c.side),
             presenting.condition_label(c.id, data.bank),
             _(presenting.MET_LABELS[c.met]).lower(), c.detail,
             c.step if c.met is not True and c.step else ""]
            for s in presenting.SIDES for c in r.readiness if c.side == s]


EXPECT_HEADERS = [N_("Level"), N_("List"), N_("Question id"), N_("List or question"),
                  N_("Whose picture"), N_("Of"), N_("Expected (0-100)"), N_("Answered (0-100)"),
                  N_("Miss (points)"), N_("Direction"), N_("Flagged")]


def _expectation_rows(data: ReportData) -> list[list[Any]]:
    """The Expectations sheet: per list, then per question, each side's picture of the other:
    what it expected, what the other side answered, the miss and its direction."""
    r = data.result
    names = {s: brand.side_label(s, r.organisations) for s in presenting.SIDES}
    titles = {lst.id: lst.title for lst in data.bank.lists}
    out: list[list[Any]] = []
    for level, questions in ((_("list"), False), (_("question"), True)):
        for x in presenting.expectation_rows(r, questions=questions, bank=data.bank):
            out.append([level, titles.get(x.list_id, x.list_id),
                        x.key if questions else "", x.title, names[x.side], names[x.other],
                        round(x.expects, 1), round(x.actual, 1), round(x.miss, 1),
                        x.direction_label.lower(), _yes(x.flagged)])
    return out


def write_excel(data: ReportData, target: Path) -> None:
    """Write the engagement's summary, readiness, scores, flags, answers and comments (and
    expectations, when there are any), in the report's language (`data.lang`)."""
    with speaking(data.lang):
        _write_excel(data, target)


def _write_excel(data: ReportData, target: Path) -> None:
    from openpyxl import Workbook

    r = data.result
    labels = people_labels(data)
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, _(SHEETS["summary"]), [_("Item"), _("Value")], _summary_rows(data),
           wrap=(_("Value"),))
    _style_summary(wb, data)
    _sheet(wb, _(SHEETS["readiness"]), [_("Side"), _("Organisation"), _("Condition"), _("Met"),
                                        _("Detail"), _("Step to meet it")],
           _readiness_rows(data), wrap=(_("Detail"), _("Step to meet it")))
    scores = [[d.title, d.host, d.partner, d.gap, d.pooled, d.host_divergence,
               d.partner_divergence] for d in r.dimensions.values()]
    _sheet(wb, _(SHEETS["scores"]), [_("List"), _("Host"), _("Partner"), _("Gap"),
                                     _("Both together"), _("Host spread"),
                                     _("Partner spread")], scores)
    titles = {lst.id: lst.title for lst in data.bank.lists}
    # the kind is the flag's id in English (as always), its label in other languages
    flags = [[f.kind if data_lang_is_english() else presenting.kind_label(f.kind),
              titles.get(str(f.dimension), ""), _side(f.side) if f.side else "",
              f.question_id or "", f.magnitude, _yes(f.blocking), f.detail] for f in r.flags]
    _sheet(wb, _(SHEETS["flags"]), [_("Kind"), _("List"), _("Side"), _("Question"),
                                    _("Magnitude"), _("Blocking"), _("Detail")], flags,
           wrap=(_("Detail"),))
    qmap = data.bank.question_map
    order = {q.id: i for i, q in enumerate(data.bank.iter_ordered())}
    rows = sorted(data.answers.itertuples(index=False),
                  key=lambda a: (order.get(str(a.question_id), 10**6), str(a.side),
                                 str(a.respondent), str(getattr(a, "about", "self"))
                                 != "self"))
    answers, comments = [], []
    for a in rows:
        q = qmap.get(str(a.question_id))
        dk = is_dont_know(a)
        who = labels.get(str(a.respondent), str(a.respondent))
        about = presenting.about_label(getattr(a, "about", "self"))
        answers.append([titles.get(q.list, "") if q else "", str(a.question_id),
                        q.text if q else "", who, _side(str(a.side)), str(a.role or ""), about,
                        None if dk else int(a.value), _yes(dk)])
        if str(a.comment or "").strip():
            comments.append([str(a.question_id), q.text if q else "", who, _side(str(a.side)),
                             about, str(a.comment), comment_language(a)])
    _sheet(wb, _(SHEETS["answers"]), [_("List"), _("Question id"), _("Question"),
                                      _("Respondent"), _("Side"), _("Role"), _("About"),
                                      _("Answer"), _("Don't know")], answers,
           wrap=(_("Question"),))
    # the language each comment was written in, when the store knows it (as written)
    known = any(c[-1] for c in comments)
    comments = [c if known else c[:-1] for c in comments]
    _sheet(wb, _(SHEETS["comments"]), [_("Question id"), _("Question"), _("Respondent"),
                                       _("Side"), _("About"), _("Comment")]
           + ([_("Written in")] if known else []), comments,
           wrap=(_("Question"), _("Comment")))
    if r.expectations:
        _sheet(wb, _(SHEETS["expectations"]), [_(h) for h in EXPECT_HEADERS],
               _expectation_rows(data), wrap=(_("List or question"),))
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
