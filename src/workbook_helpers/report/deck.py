"""The client-meeting slide deck (PowerPoint, python-pptx): one engagement's result, ready to
present without editing.

Slides: title; verdict and recommended form with the reasons; fit map; scores by list; how
things moved since the first round (with two rounds or more); the gaps to resolve first;
readiness on each side; what each side got wrong about the other (when expectations exist);
next steps; the action plan (when actions are recorded); who answered. Numbers, percents,
dates, labels and the shared sentences come from `wording_filters`, the same functions the
report's and the apps' templates use. Charts are pictures drawn by the same
chart functions as the report (vl-convert, PNG at presentation resolution, offline). Every
text is a plain text run: nothing a respondent typed is ever interpreted. Text is sized to fit
its box (and cut with a pointer to the report if even the smallest size would overflow).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from ..domain import SIDES
from ..presenting import brand
from ..presenting import formats as wf
from ..presenting import judgment as presenting
from ..presenting.speaking import N_, _, speaking
from ..scoring.model import ScoreResult
from .content import comment_language, written_in
from .data import ReportData

WIDE = (Inches(13.333), Inches(7.5))
MARGIN = 0.6
PNG_SCALE = 3.0          # presentation resolution: ~3x the report's CSS pixels
CHAR_WIDTH = 0.5         # average character width of the body font, in ems
LINE = 1.25              # line height, in ems
MORE = N_("… (more in the report)")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass(frozen=True)
class Fit:
    """The font size chosen for a block of paragraphs and what had to be cut."""

    size: float
    paragraphs: list[str]
    cut: bool


def fit_text(paragraphs: list[str], width_in: float, height_in: float,
             max_pt: float = 20, min_pt: float = 11, gap_pt: float = 6) -> Fit:
    """The largest size (max..min) at which the paragraphs fit the box; else cut at min."""

    def height(texts: list[str], pt: float) -> float:
        per_line = max(1, int(width_in * 72 / (pt * CHAR_WIDTH)))
        lines = sum(max(1, math.ceil(len(t) / per_line)) for t in texts)
        return (lines * pt * LINE + gap_pt * max(len(texts) - 1, 0)) / 72

    pt = max_pt
    while pt >= min_pt:
        if height(paragraphs, pt) <= height_in:
            return Fit(pt, list(paragraphs), False)
        pt -= 1
    kept = list(paragraphs)
    more = _(MORE)
    while kept and height([*kept, more], min_pt) > height_in:
        kept.pop()
    return Fit(min_pt, [*kept, more], True)


class DeckWriter:
    """Builds the deck slide by slide."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.r: ScoreResult = data.result
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDE
        self.blank = self.prs.slide_layouts[6]
        self.fits: list[tuple[str, Fit]] = []

    # ---- building blocks -------------------------------------------------------------------
    def _slide(self, title: str) -> Any:
        s = self.prs.slides.add_slide(self.blank)
        bar = s.shapes.add_shape(1, 0, 0, self.prs.slide_width, Inches(0.12))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(brand.NAVY)
        bar.line.fill.background()
        self._text(s, [title], MARGIN, 0.35, 13.333 - 2 * MARGIN, 0.8, max_pt=30, min_pt=20,
                   bold=True, colour=brand.NAVY, name="title")
        foot = f"{self.data.engagement.title} · {wf.date(self.data.generated)}"
        self._text(s, [foot], MARGIN, 7.0, 13.333 - 2 * MARGIN, 0.35, max_pt=10, min_pt=8,
                   colour=brand.MUTED, name="footer")
        return s

    def _text(self, slide: Any, paragraphs: list[str], x: float, y: float, w: float,
              h: float, max_pt: float = 20, min_pt: float = 11, bold: bool = False,
              colour: str = brand.INK, bullets: bool = False, name: str = "text",
              align: Any = PP_ALIGN.LEFT) -> Any:
        shown = [f"\u2022 {p}" if bullets else p for p in paragraphs]
        fit = fit_text(shown, w - 0.2, h - 0.1, max_pt, min_pt)
        self.fits.append((name, fit))
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        box.name = name
        tf = box.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP
        tf.margin_left = tf.margin_right = Inches(0.1)
        tf.margin_top = tf.margin_bottom = Inches(0.05)
        for i, text in enumerate(fit.paragraphs):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.alignment = align
            para.space_after = Pt(6)
            run = para.add_run()
            run.text = text  # plain text: never parsed as markup
            run.font.size = Pt(fit.size)
            run.font.bold = bold
            run.font.name = "Liberation Sans"
            run.font.color.rgb = _rgb(colour)
        return box

    def _picture(self, slide: Any, png: bytes, x: float, y: float, w: float, h: float) -> None:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            ratio = im.width / im.height
        bw, bh = (w, w / ratio) if w / ratio <= h else (h * ratio, h)
        slide.shapes.add_picture(io.BytesIO(png), Inches(x + (w - bw) / 2), Inches(y),
                                 Inches(bw), Inches(bh))

    def _table(self, slide: Any, rows: list[list[str]], x: float, y: float, w: float,
               col_w: list[float], colours: dict[tuple[int, int], str] | None = None,
               size: float = 12) -> None:
        shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(x), Inches(y),
                                       Inches(w), Inches(0.4 * len(rows)))
        table = shape.table
        for j, cw in enumerate(col_w):
            table.columns[j].width = Emu(int(Inches(w) * cw / sum(col_w)))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                cell = table.cell(i, j)
                cell.text = ""
                run = cell.text_frame.paragraphs[0].add_run()
                run.text = text
                run.font.size = Pt(size)
                run.font.bold = i == 0
                run.font.name = "Liberation Sans"
                fill = (colours or {}).get((i, j))
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(brand.NAVY if i == 0 else fill or brand.WHITE)
                run.font.color.rgb = _rgb(brand.WHITE if i == 0 or fill else brand.INK)

    # ---- slides ----------------------------------------------------------------------------
    def title(self) -> None:
        d, r = self.data, self.r
        s = self.prs.slides.add_slide(self.blank)
        band = s.shapes.add_shape(1, 0, 0, self.prs.slide_width, self.prs.slide_height)
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(brand.NAVY)
        band.line.fill.background()
        orgs = _("Host: {host} \u00b7 Partner: {partner}").format(
            host=d.engagement.host_org, partner=d.engagement.partner_org)
        self._text(s, [d.engagement.title], 0.9, 2.2, 11.5, 1.6, max_pt=40, min_pt=24,
                   bold=True, colour=brand.WHITE, name="deck-title")
        self._text(s, [orgs], 0.9, 3.9, 11.5, 0.8, max_pt=24, min_pt=16, colour=brand.WHITE,
                   name="organisations")
        by = (_(" · prepared by {firm}").format(firm=d.options.organisation)
              if d.options.organisation else "")
        shown = (_(" · round {round}").format(round=presenting.round_label(d.round))
                 if d.round != "baseline" or len(d.rounds) > 1 else "")
        sub = _("Pre-partnering assessment · {date}{round} · question bank "
                "{version}{firm}").format(date=wf.date(d.generated), round=shown,
                                          version=r.bank.get("version", ""), firm=by)
        self._text(s, [sub], 0.9, 4.8, 11.5, 0.6, max_pt=16, min_pt=11, colour=brand.RULE,
                   name="subtitle")

    def verdict(self) -> None:
        r = self.r
        s = self._slide(_("Verdict and recommended form"))
        head = presenting.headline(r)
        box = s.shapes.add_shape(1, Inches(MARGIN), Inches(1.3), Inches(4.2), Inches(1.1))
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(head.colour)
        box.line.fill.background()
        self._text(s, [head.label], MARGIN, 1.45, 4.2, 0.9, max_pt=28, min_pt=16, bold=True,
                   colour=brand.WHITE, name="headline", align=PP_ALIGN.CENTER)
        form = r.form
        lines = [_("Form: {form} ({confidence})").format(
                     form=presenting.form_label(r.relationship_type),
                     confidence=presenting.confidence_text(form.confidence)),
                 _("Each side's picture: {pictures}").format(pictures="; ".join(
                     f"{brand.side_label(s, r.organisations)}: {label}" for s, label in
                     presenting.pictures(r)))]
        if form.runner_up:
            lines.append(_("Runner-up: {form}").format(
                form=presenting.form_label(form.runner_up)))
        firm = presenting.firmness(r)
        if firm is not None:
            lines.append(firm.sentence)
        self._text(s, lines, 5.1, 1.3, 7.6, 1.5, max_pt=18, min_pt=11, name="form-line")
        reasons = presenting.why(r)[:3] + form.evidence[1:3]
        if form.pursue is not None:
            reasons.insert(0, form.pursue.detail)
        self._text(s, reasons, MARGIN, 3.0, 13.333 - 2 * MARGIN, 3.8, max_pt=18, min_pt=11,
                   bullets=True, name="reasons")

    def picture_slide(self, title: str, png: bytes | None, caption: str) -> None:
        if png is None:
            return
        s = self._slide(title)
        self._picture(s, png, MARGIN, 1.25, 13.333 - 2 * MARGIN, 5.1)
        self._text(s, [caption], MARGIN, 6.45, 13.333 - 2 * MARGIN, 0.5, max_pt=12,
                   min_pt=9, colour=brand.MUTED, name="caption")

    def gaps(self) -> None:
        items = [f.detail for f in self.r.discuss if f.kind != "expectation-gap"][:5]
        if not items:
            return
        s = self._slide(_("The gaps to resolve first"))
        self._text(s, [f"{i}. {t}" for i, t in enumerate(items, 1)], MARGIN, 1.3,
                   13.333 - 2 * MARGIN, 5.5, max_pt=20, min_pt=11, name="gaps")

    def readiness(self) -> None:
        r = self.r
        if not r.readiness or not presenting.shows_readiness(r):
            return
        s = self._slide(_("Readiness on each side"))
        orgs = self.data.engagement
        rows = [[_("Condition"), orgs.host_org, orgs.partner_org]]
        colours: dict[tuple[int, int], str] = {}
        ids = list(dict.fromkeys(c.id for c in r.readiness))
        fills = {True: brand.ACCENT, False: brand.VERDICT_COLOURS["no-fit"], None: brand.MUTED}
        for i, cid in enumerate(ids, 1):
            row = [presenting.condition_label(cid, self.data.bank)]
            for j, side in enumerate(SIDES, 1):
                c = next((c for c in r.readiness if c.id == cid and c.side == side), None)
                met = None if c is None else c.met
                row.append(wf.met_label(met))
                colours[(i, j)] = fills[met]
            rows.append(row)
        self._table(s, rows, MARGIN, 1.4, 9.0, [4.5, 2.25, 2.25], colours, size=14)
        steps = [c.step for c in r.readiness if c.met is not True and c.step]
        if steps:
            self._text(s, list(dict.fromkeys(steps))[:3], 9.9, 1.4, 2.85, 5.4, max_pt=13,
                       min_pt=9, bullets=True, name="readiness-steps")

    def expectations(self, png: bytes | None) -> None:
        flags = [f.detail for f in self.r.flags if f.kind == "expectation-gap"][:4]
        if not self.r.expectations or not flags:
            return
        s = self._slide(_("What each side got wrong about the other"))
        if png is not None:
            self._picture(s, png, MARGIN, 1.25, 7.4, 5.5)
            self._text(s, flags, 8.2, 1.3, 4.5, 5.5, max_pt=15, min_pt=9, bullets=True,
                       name="expectations")
        else:
            self._text(s, flags, MARGIN, 1.3, 13.333 - 2 * MARGIN, 5.5, max_pt=18, min_pt=11,
                       bullets=True, name="expectations")

    def trend(self) -> None:
        """How things moved since the first round: each list's scores and gap, first to
        latest round, and the gaps that closed and opened."""
        t = self.data.trend
        if t is None:
            return
        from .content import list_titles, orgs

        names, titles = orgs(self.data), list_titles(self.data)
        rows = presenting.trend_rows(t, titles)
        s = self._slide(wf.trend_heading(t))
        self._text(s, [wf.trend_summary(t, rows)], MARGIN, 1.2, 13.333 - 2 * MARGIN, 0.9,
                   max_pt=15, min_pt=10, name="trend-summary")
        first, last = presenting.round_label(t.rounds[0]), presenting.round_label(t.rounds[-1])
        table = [[_("List ({first} \u2192 {last})").format(first=first, last=last),
                  names["host"], names["partner"], _("Gap")]]
        colours: dict[tuple[int, int], str] = {}
        fills = {"narrowed": brand.VERDICT_COLOURS["fit"],
                 "widened": brand.VERDICT_COLOURS["no-fit"]}
        for i, row in enumerate(rows[:10], 1):
            table.append([row.title] + [f"{wf.movement(row.values(k))}   "
                                        f"{wf.change_text(row.change(k))}"
                                        for k in presenting.SERIES])
            if row.gap_direction in fills:
                colours[(i, 3)] = fills[row.gap_direction]
        self._table(s, table, MARGIN, 2.2, 8.4, [3.6, 1.6, 1.6, 1.6], colours, size=13)
        changes = ([_("Closed: {gap}").format(gap=wf.change_label(c, titles, names))
                    for c in t.closed]
                   + [_("Opened: {gap}").format(gap=wf.change_label(c, titles, names))
                      for c in t.opened])
        self._text(s, changes[:6] or [_("No flagged gap closed or opened.")], 9.3, 2.2, 3.45,
                   4.6, max_pt=14, min_pt=9, bullets=bool(changes), name="trend-changes")

    def action_plan(self) -> None:
        """The action plan: what, who, by when, status (overdue marked) and the outcome."""
        plan = self.data.actions
        if not plan:
            return
        s = self._slide(_("Action plan"))
        self._text(s, [wf.plan_summary(plan)], MARGIN, 1.2, 13.333 - 2 * MARGIN, 0.6,
                   max_pt=16, min_pt=11, bold=True, name="plan-summary")
        rows = [[_("Action"), _("Owner"), _("Due"), _("Status"), _("Outcome")]]
        colours: dict[tuple[int, int], str] = {}
        for i, p in enumerate(plan[:8], 1):
            status = presenting.status_label(p.action.status)
            if p.overdue:
                status += " \u00b7 " + _("overdue")
                colours[(i, 3)] = brand.VERDICT_COLOURS["no-fit"]
            rows.append([p.action.text, p.action.owner, wf.date(p.action.due, "short"),
                         status, wf.action_outcome(p) or _("not compared yet")])
        self._table(s, rows, MARGIN, 1.9, 13.333 - 2 * MARGIN, [4.6, 1.8, 1.5, 1.6, 3.4],
                    colours, size=12)
        if len(plan) > 8:
            self._text(s, [_("\u2026 and {count} more in the report.").format(
                count=len(plan) - 8)], MARGIN, 6.5,
                       8, 0.4, max_pt=12, min_pt=10, name="more-actions")

    def norms(self) -> None:
        """Against the portfolio: each list's percentile per side (no slide without norms)."""
        from ..scoring.norms import MIN_OTHERS, norm_label

        norms = self.data.norms or {}
        titles = {lid: d.title for lid, d in self.r.dimensions.items()}
        orgs = self.r.organisations
        lines = []
        for lid, sides in norms.items():
            parts = [f"{brand.side_label(side, orgs)}: {norm_label(sides.get(side))}"
                     for side in SIDES if sides.get(side)]
            if parts:
                lines.append(f"{titles.get(lid, lid)}: " + "; ".join(parts))
        if not lines:  # too few engagements: the report says so; the deck keeps its slides
            return
        s = self._slide(_("Against the portfolio"))
        lines.append(_("Percentiles among the other engagements assessed on the same questions "
                       "(from {count} on); none is named.").format(count=MIN_OTHERS))
        self._text(s, lines[:9], MARGIN, 1.3, 13.333 - 2 * MARGIN, 5.5, max_pt=18, min_pt=10,
                   bullets=len(lines) > 1, name="norms")

    def next_steps(self) -> None:
        steps = self.r.next_steps[:6]
        if not steps:
            return
        s = self._slide(_("Next steps"))
        self._text(s, [f"{i}. {t}" for i, t in enumerate(steps, 1)], MARGIN, 1.3,
                   13.333 - 2 * MARGIN, 5.5, max_pt=20, min_pt=11, name="steps")

    def comments(self) -> None:
        a = self.data.answers
        if not len(a) or "comment" not in a:
            return
        rows = a[a["comment"].astype(str).str.strip() != ""]
        if not len(rows):
            return
        s = self._slide(_("In their own words"))
        roles = {p.id: p.role for p in self.r.respondents}
        qtext = {q.id: q.text for q in self.data.bank.questions}
        items = []
        for row in rows.sort_values(["side", "respondent", "question_id"]).itertuples():
            who = roles.get(str(row.respondent)) or _("A respondent")
            side = brand.side_label(str(row.side), self.r.organisations)
            note = written_in(comment_language(row), self.data.lang)
            items.append(_("{who}, {side}, on \u201c{question}\u201d: ").format(
                who=who, side=side, question=qtext.get(str(row.question_id), ""))
                + f"{row.comment}" + (f" {note}" if note else ""))
        self._text(s, items[:8], MARGIN, 1.3, 13.333 - 2 * MARGIN, 5.5, max_pt=16, min_pt=10,
                   bullets=True, name="comments")

    def appendix(self) -> None:
        r = self.r
        s = self._slide(_("Appendix: who answered"))
        anon = self.data.anonymous
        people = sorted(r.respondents, key=lambda p: (p.side != "host", p.name))
        rows = [[_("Side"), _("Respondent"), _("Role"), _("Answered")]]
        for p in people[:14]:
            rows.append([brand.side_label(p.side, r.organisations),
                         p.role if anon else p.name, p.role if not anon else "",
                         _("{answered} of {expected}").format(answered=p.answered,
                                                               expected=p.expected)])
        self._table(s, rows, MARGIN, 1.3, 13.333 - 2 * MARGIN, [3, 4, 3.5, 2], size=12)
        if len(people) > 14:
            self._text(s, [_("\u2026 and {count} more in the report.").format(
                count=len(people) - 14)], MARGIN, 6.5,
                       8, 0.4, max_pt=12, min_pt=10, name="more")

    def save(self) -> bytes:
        """The deck as .pptx bytes."""
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def chart_pngs(data: ReportData) -> dict[str, bytes]:
    """PNG pictures of the deck's charts, from the report's own chart functions."""
    import vl_convert

    from ..presenting import charts

    r = data.result
    if r.verdict == "insufficient-data":
        return {}
    made: dict[str, Any] = {"fit_map": charts.fit_map_chart(r, anonymous=data.anonymous),
                            "profile": charts.profile_chart(r)}
    if r.expectations:
        made["expectations"] = charts.expectation_chart(r)
    return {k: bytes(vl_convert.vegalite_to_png(c.to_dict(validate=False), scale=PNG_SCALE,
                                                allowed_base_urls=[]))
            for k, c in made.items()}


def build_deck(data: ReportData) -> DeckWriter:
    """Every slide of one engagement's deck (call `.save()` for the bytes), in the report's
    language (`data.lang`)."""
    with speaking(data.lang):
        return _build_deck(data)


def _build_deck(data: ReportData) -> DeckWriter:
    pngs = chart_pngs(data)
    deck = DeckWriter(data)
    deck.title()
    if data.result.verdict == "insufficient-data":
        s = deck._slide(_("Not enough answers yet"))
        deck._text(s, data.result.reasons[:3], MARGIN, 1.3, 12, 4, bullets=True,
                   name="reasons")
        deck.trend()
        deck.action_plan()
        deck.appendix()
        return deck
    deck.verdict()
    deck.picture_slide(_("Fit map: willingness to share against importance"),
                       pngs.get("fit_map"),
                       _("Each side, and each respondent, placed by how much they will share "
                         "(control and risk) and how much the deal matters to them."))
    deck.picture_slide(_("Scores by list"), pngs.get("profile"),
                       _("0 = least, 100 = most favourable to an alliance, per side."))
    deck.norms()
    deck.trend()
    deck.gaps()
    deck.readiness()
    deck.expectations(pngs.get("expectations"))
    deck.next_steps()
    deck.action_plan()
    deck.comments()
    deck.appendix()
    return deck

