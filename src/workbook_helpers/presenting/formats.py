"""The formats and wording the report, the apps and the slide deck share, in one place.

Every function here returns plain text (never HTML): the section templates use them as
Jinja filters and globals (`templating` registers `FILTERS` and `GLOBALS`, and escapes what
they return), the deck puts the same text into its text runs. Labels come from
`presenting` (kinds of flags, forms, readiness, action statuses) and are only gathered here.

Missing values (None, NaN, pandas' NA) print as an empty string (`text`, `esc`) or a dash
(`num`, `pct`, `date`); text that merely reads "None" or "nan" prints as written.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date as _date
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain import SIDE_KINDS as SIDE_KINDS
from ..domain import SIDES
from . import brand
from . import judgment as presenting
from .judgment import DASH as DASH
from .speaking import N_, _, current, date_text, lower_noun, number

if TYPE_CHECKING:  # pragma: no cover
    from ..scoring.actionplan import PlannedAction
    from ..scoring.trend import GapChange, Trend


def phrase(form: str | None) -> str:
    """The form of relationship as words in a sentence ("a licence"): the scoring package's
    wording, imported on first use so that pages that never word a form (the questionnaire)
    do not load the scoring model."""
    from .wording import phrase as _phrase

    return _phrase(form)


DATE_FORMATS = {"long": "%d %B %Y",   # 04 March 2026, as on the report's cover
                "short": "%d %b %Y"}  # 04 Mar 2026, in tables
DATE_FORMAT = DATE_FORMATS["long"]
MINUS = "\u2212"           # a real minus sign for negative changes
ARROWS = {1: "\u2191", -1: "\u2193", 0: "\u2192"}  # up, down, level


# ---- values ------------------------------------------------------------------------------
def is_missing(value: object) -> bool:
    """Whether a value is missing (None, a NaN float, pandas' NA), not text that says so."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        type(value).__name__ == "NAType"


def text(value: object) -> str:
    """A value as plain text; a missing value becomes an empty string."""
    return "" if is_missing(value) else str(value)


def esc(value: object) -> str:
    """A value as HTML-escaped text (quotes too); a missing value becomes an empty string.

    This is the escaping of every template (`templating` applies it to each output), so a
    comment that reads "<b>x</b>" shows as written, never bold.
    """
    return html.escape(text(value), quote=True)


def num(value: object, digits: int = 0) -> str:
    """A number rounded for people ('62', or '61.5' with `digits=1`); a dash for none."""
    f = presenting.as_number(value)
    return DASH if f is None else number(f, digits)


def pct(value: object) -> str:
    """A 0-1 share as a whole percentage ('82%'); a dash for none."""
    return presenting.percent(value)


def date(value: object, fmt: str = "long") -> str:
    """A date (or datetime) as people read it ('04 March 2026'; `fmt="short"`: '04 Mar
    2026', or any strftime pattern); a dash for none."""
    if isinstance(value, (_date, datetime)):
        return date_text(value, fmt, DATE_FORMATS.get(fmt, fmt))
    return DASH if is_missing(value) or value == "" else str(value)


def signed(value: object, digits: int = 0) -> str:
    """A change with its sign ('+12', '−8', '0'); a dash for none."""
    f = presenting.as_number(value)
    if f is None:
        return DASH
    shown = f"{abs(f):.{digits}f}"
    if float(shown) == 0:
        return number(0.0, digits) if current() != "en" else shown
    shown = number(abs(f), digits)
    return ("+" if f > 0 else MINUS) + shown


def arrow(value: object) -> str:
    """An arrow for the direction of a change (up, down, level); empty for none."""
    f = presenting.as_number(value)
    if f is None:
        return ""
    r = round(f)
    return ARROWS[(r > 0) - (r < 0)]


def colon() -> str:
    """The colon after a label ('Recommended form: ...'): French puts a no-break space
    before it."""
    return "\u00a0:" if current().split("-")[0] == "fr" else ":"


#: the words `plural` is given, for the catalogue
PLURAL_WORDS = (N_("gap"), N_("gaps"), N_("action"), N_("actions"))


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 gap', '3 gaps' ('no gaps' for none); `word` and `words` are English msgids of the
    `report` catalogue ('gap', 'gaps'), worded in the current language."""
    many = words or f"{word}s"
    if n == 0:
        return _("no {things}").format(things=_(many))
    return f"{n} {_(word) if n == 1 else _(many)}"


def type_label(relationship_type: object) -> str:
    """What one side's answers describe, as a label ('Licensing', 'no clear form')."""
    return _(brand.TYPE_LABELS.get(str(relationship_type), "no clear form"))


def met_label(met: bool | None) -> str:
    """A readiness check's state as a label ('Yes', 'No', 'Unknown')."""
    return _(presenting.MET_LABELS[met])


def met_class(met: bool | None) -> str:
    """The css modifier of a readiness check's state (yes, no, unknown)."""
    return presenting.MET_CLASSES[met]


def verdict_label(verdict: str) -> str:
    """A verdict as a label ('Conditional fit')."""
    return _(brand.VERDICT_LABELS.get(verdict, verdict))


# ---- how things moved across rounds --------------------------------------------------------
def since(round_id: str) -> str:
    """A round as the start of a comparison: 'the baseline', or the round's id."""
    return _("the baseline") if round_id == "baseline" else round_id


def trend_heading(trend: Trend) -> str:
    """'How things moved since the baseline'."""
    first = trend.rounds[0] if trend.rounds else "baseline"
    return _("How things moved since {round}").format(round=since(first))


def series_label(series: str, orgs: dict[str, str]) -> str:
    """The name of one series of a trend: a side's organisation, or 'Gap'."""
    return _("Gap") if series == "gap" else orgs.get(series, brand.side_label(series))


def movement(values: Sequence[float | None]) -> str:
    """First and last known value ('45 → 62'); one value alone; a dash for none."""
    known = [v for v in values if v is not None]
    if not known:
        return DASH
    if len(known) == 1:
        return num(known[0])
    return f"{num(known[0])} \u2192 {num(known[-1])}"


def change_text(change: float | None) -> str:
    """A change with its arrow ('↑ +12', '↓ −8', '→ 0'); a dash for none."""
    return DASH if change is None else f"{arrow(change)} {signed(change)}"


def gap_sentence(row: presenting.TrendRow) -> str:
    """How the gap between the sides moved on one list, as a sentence."""
    known = [v for v in row.gap if v is not None]
    direction = row.gap_direction
    if direction is None:
        return "" if not known else _("The gap is {points} points.").format(
            points=num(known[-1]))
    first, last = num(known[0]), num(known[-1])
    if direction == "unchanged":
        if first == last:
            return _("The gap stayed at {points} points.").format(points=last)
        return _("The gap hardly moved ({first} \u2192 {last} points).").format(first=first,
                                                                               last=last)
    if direction == "narrowed":
        return _("The gap narrowed from {first} to {last} points.").format(first=first,
                                                                         last=last)
    return _("The gap widened from {first} to {last} points.").format(first=first, last=last)


def trend_summary(trend: Trend, rows: Iterable[presenting.TrendRow]) -> str:
    """What moved between the first and the last round, in two or three sentences."""
    rows = list(rows)
    first, last = (trend.rounds[0], trend.rounds[-1]) if trend.rounds else ("", "")
    dirs = [r.gap_direction for r in rows]
    compared = [d for d in dirs if d is not None]
    narrowed, widened = dirs.count("narrowed"), dirs.count("widened")
    parts = []
    if compared:
        if widened:
            text = _("From {first} to {last} the gap between the sides narrowed on {narrowed} of "
                     "{count} lists and widened on {widened}.")
        else:
            text = _("From {first} to {last} the gap between the sides narrowed on {narrowed} of "
                     "{count} lists.")
        parts.append(text.format(first=since(first), last=last, narrowed=narrowed,
                                 count=len(compared), widened=widened))
    closed, opened = len(trend.closed), len(trend.opened)
    gaps = _("{closed} closed and {opened} opened.").format(closed=plural(closed, "gap"),
                                                           opened=plural(opened, "gap"))
    parts.append(gaps[:1].upper() + gaps[1:])
    labels = [verdict_label(v) for v in trend.verdicts]
    if labels and all(x == labels[0] for x in labels):
        parts.append(_("The verdict is {verdict} in every round.").format(
            verdict=labels[0].lower()))
    elif len(labels) == 2:
        parts.append(_("The verdict went from {first} to {last}.").format(
            first=labels[0].lower(), last=labels[1].lower()))
    elif labels:
        parts.append(_("Verdict by round: {items}.").format(items=", ".join(
            f"{x.lower()} ({r})" for r, x in zip(trend.rounds, labels, strict=False))))
    forms = [f for f in trend.forms if f]
    if len(forms) >= 2 and forms[0] != forms[-1]:
        parts.append(_("The answers first described {first} and now describe {last}.").format(
            first=phrase(forms[0]), last=phrase(forms[-1])))
    return " ".join(parts)


def change_label(change: GapChange, titles: dict[str, str] | None = None,
                 orgs: dict[str, str] | None = None) -> str:
    """What a gap that closed or opened was about ('Gap between the sides · Priority and
    urgency', with the side's organisation for a gap of one side)."""
    parts = [presenting.kind_label(change.kind)]
    if change.dimension:
        parts.append(presenting.list_title(change.dimension, titles))
    if change.side in SIDES and change.kind in SIDE_KINDS:
        parts.append((orgs or {}).get(change.side) or brand.side_label(change.side))
    return " \u00b7 ".join(p for p in parts if p)


def change_rounds(change: GapChange) -> str:
    """The two rounds a gap changed between ('baseline → health-2027-06')."""
    return f"{_round_word(change.round_from)} \u2192 {_round_word(change.round_to)}"


def _round_word(round_id: str) -> str:
    """A round inside a comparison: its id in English (as always), else its label (the
    first round's id 'baseline' is English)."""
    return round_id if current() == "en" else presenting.round_label(round_id)


# ---- the action plan ---------------------------------------------------------------------------
def action_target(planned: PlannedAction) -> str:
    """What an action answers: its list and the kind of flag ('Priority and urgency · Gap
    between the sides'); empty when it names neither."""
    parts = [planned.list_title, presenting.kind_label(planned.action.flag)]
    return " \u00b7 ".join(p for p in parts if p)


def action_outcome(planned: PlannedAction) -> str:
    """Whether the gap an action answered has closed, with the rounds compared ('The gap it
    answered has closed (baseline → health-2027-06)'); empty while nothing was compared."""
    said = planned.outcome_text
    if not said:
        return ""
    said = said[:1].upper() + said[1:]
    if planned.compared and planned.outcome != "unknown":
        said += (f" ({_round_word(planned.compared[0])} \u2192 "
                 f"{_round_word(planned.compared[1])})")
    return said


def plan_summary(plan: Sequence[PlannedAction]) -> str:
    """The plan in one sentence ('3 actions: 2 open (1 overdue), 1 done.')."""
    if not plan:
        return _("No actions have been recorded yet.")
    counts: dict[str, int] = {}
    for p in plan:
        counts[p.action.status] = counts.get(p.action.status, 0) + 1
    overdue = sum(p.overdue for p in plan)
    parts = []
    for status in (*presenting.STATUS_LABELS, *sorted(set(counts) - set(
            presenting.STATUS_LABELS))):
        if counts.get(status):
            part = f"{counts[status]} {presenting.status_label(status).lower()}"
            if status == "open" and overdue:
                part += _(" ({count} overdue)").format(count=overdue)
            parts.append(part)
    return _("{actions}: {parts}.").format(actions=plural(len(plan), "action"),
                                          parts=", ".join(parts))


# ---- what the templates see --------------------------------------------------------------------
FILTERS: dict[str, Callable[..., Any]] = {
    "num": num, "pct": pct, "date": date, "signed": signed, "arrow": arrow, "text": text,
    "form_label": presenting.form_label, "form_phrase": phrase,
    "kind_label": presenting.kind_label, "type_label": type_label,
    "confidence": presenting.confidence_text, "met_label": met_label, "met_class": met_class,
    "status_label": presenting.status_label, "round_label": presenting.round_label,
    "verdict_label": verdict_label, "movement": movement, "change_text": change_text,
    "lower_noun": lower_noun,
}
GLOBALS: dict[str, Any] = {
    "DASH": DASH, "plural": plural, "since": since, "series_label": series_label,
    "gap_sentence": gap_sentence, "trend_summary": trend_summary,
    "change_label": change_label, "change_rounds": change_rounds,
    "action_target": action_target, "action_outcome": action_outcome,
    "plan_summary": plan_summary, "trend_heading": trend_heading, "COLON": colon,
}
