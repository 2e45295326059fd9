"""How the judgment of a score result is put to people, shared by the dashboard, the report
and the Excel file (the command line words it in `render`).

When another form of relationship fits better than an alliance, the verdict is 'no-fit' *for
an alliance*; people see it as a recommendation ("Recommended: licensing") in the neutral
colour, with the form to pursue and how ready it is, never as a red "No fit". Nothing here
escapes text: each consumer escapes for its own medium (the HTML templates through
`workbook_helpers.presenting.templating`, whose filters are these functions, see `wording_filters`).
It also holds the labels every medium shares (kinds of flags, readiness conditions, action
statuses) and the rows of a trend across rounds (`trend_rows`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain import OTHER_SIDE as OTHER_SIDE
from ..domain import SIDES as SIDES
from ..domain import VERDICTS, Side, recommends_other_form
from . import brand
from .speaking import N_, _, current, lower_noun
from .speaking import percent as _percent

if TYPE_CHECKING:  # pragma: no cover
    from ..bank import Bank
    from ..scoring.model import ReadinessCheck, ScoreResult
    from ..scoring.trend import Trend

DASH = "–"   # what every medium shows for a missing number
READINESS_LABELS: dict[str, str] = {
    "alliance-manager": N_("Dedicated alliance manager"),
    "executive-sponsor": N_("Active executive sponsor"),
    "committed-budget": N_("Committed budget"),
    "sponsor-seniority": N_("Sponsors of matching seniority"),
    "hobby-check": N_("Priority backed by people and budget"),
}
MET_LABELS: dict[bool | None, str] = {True: N_("Yes"), False: N_("No"), None: N_("Unknown")}
MET_CLASSES: dict[bool | None, str] = {True: "yes", False: "no", None: "unknown"}
KIND_LABELS: dict[str, str] = {
    "type-mismatch": N_("The sides describe different deals"),
    "form-dispute": N_("The sides picture different deals"),
    "low-trust": N_("Trust too low for an alliance"),
    "lone-dissent": N_("One person apart from their own team"),
    "contested-fact": N_("A team disagrees on a fact"),
    "cross-side-gap": N_("Gap between the sides"),
    "internal-divergence": N_("Split inside a team"),
    "question-gap": N_("Gap between the sides on one question"),
    "question-divergence": N_("Split inside a team on one question"),
    "structure-gap": N_("The sides describe the deal differently"),
    "hobby": N_("Priority without people or budget"),
    "readiness": N_("A condition for an alliance is missing"),
    "share-nothing": N_("A side will share (almost) nothing"),
    "seniority-mismatch": N_("Teams of different seniority"),
    "low-score": N_("Low score"),
    "incomplete": N_("Answers missing"),
    "too-few-respondents": N_("Too few respondents"),
    "expectation-gap": N_("One side misjudged the other"),
}
STATUS_LABELS: dict[str, str] = {"open": N_("Open"), "done": N_("Done"),
                                 "dropped": N_("Dropped")}


@dataclass(frozen=True)
class Headline:
    """The first thing people read: a verdict ("Conditional fit") or a recommendation."""

    label: str
    colour: str
    kind: str             # css modifier: fit, conditional, no-fit, insufficient-data, recommend
    recommendation: bool  # another form fits better: neutral, not a failure


def is_recommendation(result: ScoreResult) -> bool:
    """Whether the result recommends another form than an alliance (cause 'form', no-fit)."""
    return result.recommends_other_form


def form_label(form: str | None) -> str:
    """A form as a label ('Licensing'); empty for none."""
    return "" if not form else _(brand.TYPE_LABELS.get(form, form))


def shows_readiness(result: ScoreResult) -> bool:
    """Whether the readiness for an alliance belongs in the view: an alliance form, or a
    disputed form (one side pictures an alliance; its basics still matter)."""
    return result.form.is_alliance or result.form.status == "disputed"


def pictures(result: ScoreResult) -> list[tuple[str, str]]:
    """Each side's own picture of the deal (version 3) as (side, label), for showing side by
    side; a side with too little evidence reads 'not enough answers'."""
    out: list[tuple[str, str]] = []
    for side in SIDES:
        pic = result.form.sides.get(side) if result.form.sides else None
        out.append((side, form_label(str(pic["form"])) if pic else _("not enough answers")))
    return out


def headline(result: ScoreResult) -> Headline:
    """The verdict label and colour, or "Recommended: <form>" in the neutral colour."""
    return headline_of(result.verdict, result.verdict_cause, result.form.recommended,
                       result.form.is_alliance)


def headline_of(verdict: str, cause: str | None, form: str | None,
                is_alliance: bool) -> Headline:
    """The headline from a result's parts (the portfolio keeps only these per engagement):
    the one place a verdict becomes a label, a colour and a kind. A verdict that is none of
    the contract's reads as insufficient data."""
    if recommends_other_form(verdict, cause, form, is_alliance):
        return Headline(_("Recommended: {form}").format(form=lower_noun(form_label(form))),
                        brand.NEUTRAL, "recommend", True)
    v = verdict if verdict in VERDICTS else "insufficient-data"
    return Headline(_(brand.VERDICT_LABELS.get(v, v)), brand.VERDICT_COLOURS.get(v, brand.MUTED),
                    v, False)


def kind_label(kind: str | None) -> str:
    """A kind of flag as a label ('Gap between the sides'); empty for none."""
    return "" if not kind else _(KIND_LABELS.get(str(kind), str(kind)))


def status_label(status: str | None) -> str:
    """An action's status as a label ('Open', 'Done', 'Dropped')."""
    return "" if not status else _(STATUS_LABELS.get(str(status), str(status).capitalize()))


def as_number(value: object) -> float | None:
    """A number, or None for a missing value (None, NaN, pandas' NA, text that is no number)."""
    if value is None:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def percent(share: object) -> str:
    """A 0-1 share as a whole percentage ('82%', as in every sentence); a dash for none."""
    f = as_number(share)
    if f is None:
        return DASH
    return f"{round(100 * f)}%" if current() == "en" else _percent(f)


def confidence_text(confidence: float | None) -> str:
    """'confidence 82%'."""
    return _("confidence {share}").format(share=percent(confidence))


def why(result: ScoreResult) -> list[str]:
    """The reasons that are not already shown as evidence for the form or the pursue detail."""
    shown = set(result.form.evidence)
    if result.form.pursue is not None:
        shown.add(result.form.pursue.detail)
    return [r for r in result.reasons if r not in shown]


def condition_label(check_id: str, bank: Bank | None = None) -> str:
    """A readiness condition as a label ('Dedicated alliance manager')."""
    if check_id in READINESS_LABELS:
        return _(READINESS_LABELS[check_id])
    if bank is not None:
        for item in bank.readiness.items:
            if item.id == check_id:
                return item.label[:1].upper() + item.label[1:]
    return check_id.replace("-", " ").capitalize()


def readiness_rows(result: ScoreResult) -> list[tuple[str, dict[str, ReadinessCheck | None]]]:
    """Each readiness condition (in the result's order) with its check on each side."""
    rows: dict[str, dict[str, ReadinessCheck | None]] = {}
    for check in result.readiness:
        rows.setdefault(check.id, {s: None for s in SIDES})[check.side] = check
    return list(rows.items())


def readiness_counts(result: ScoreResult, side: str) -> tuple[int, int, int]:
    """(met, not met, unknown) readiness conditions on one side."""
    checks = [c for c in result.readiness if c.side == side]
    return (sum(c.met is True for c in checks), sum(c.met is False for c in checks),
            sum(c.met is None for c in checks))


def unmet_steps(result: ScoreResult) -> list[str]:
    """The steps that would meet the unmet or unknown conditions, once each, in order."""
    out: list[str] = []
    for c in result.readiness:
        if c.met is not True and c.step and c.step not in out:
            out.append(c.step)
    return out


def readiness_lead(result: ScoreResult) -> str:
    """What the readiness conditions mean for this result, in one sentence."""
    if result.form.is_alliance:
        # rounds after the baseline assess a running alliance (design: Rounds and actions)
        if result.round != "baseline":
            return _("The conditions any alliance needs in place on each side while it runs; "
                     "a clean fit needs every one of them met.")
        return _("The conditions any alliance needs in place on each side before launch; a "
                 "clean fit needs every one of them met.")
    if result.form.status == "disputed":
        return _("The conditions an alliance would need on each side. The two sides picture "
                 "different deals; these matter once both agree the deal is an alliance.")
    return _("The conditions an alliance would need on each side. The answers point to {form} "
             "instead, which does not depend on them; they matter only if the teams still "
             "want an alliance.").format(form=lower_noun(form_label(result.form.recommended)))


# ---- how firm the verdict is -------------------------------------------------------------
@dataclass(frozen=True)
class Firmness:
    """The robustness of a verdict put to people: firm or close, the closest flip, the counts.

    Styled neutrally everywhere (neither a good nor a bad colour): a close verdict is not a
    worse verdict, only one that stands on a single answer or weight.
    """

    firm: bool
    headline: str      # "This verdict is firm" / "This verdict is close"
    detail: str        # what follows the colon
    counts: str        # "6 of 580 one-point changes to single answers would change it; ..."
    caution: str = ""  # for a close verdict: what to do before relying on it
    tag: str = ""      # for a close verdict: a short mark beside the verdict itself

    @property
    def sentence(self) -> str:
        """'This verdict is close: If the host's CEO answered 3 instead of 4 on ...'."""
        return f"{self.headline}: {self.detail}"

    @property
    def kind(self) -> str:
        """css modifier: firm or close."""
        return "firm" if self.firm else "close"


def firmness(result: ScoreResult) -> Firmness | None:
    """How firm the verdict (and the form) is, in words; None without a verdict or a check."""
    rob = result.robustness
    if rob is None or result.verdict == "insufficient-data":
        return None
    from ..scoring.robustness import WEIGHT_BAND

    rec = is_recommendation(result)
    band = percent(WEIGHT_BAND)
    n, wn = rob.answer_changes, rob.weight_changes
    if rob.verdict_stable and rob.form_stable:
        return Firmness(
            True, _("This recommendation is firm") if rec else _("This verdict is firm"),
            _("no single answer moved by one point changes it, nor does weighing any list "
              "{band} more or less.").format(band=band),
            _("{verdict_flips} of {answer_changes} one-point changes to single answers and "
              "{weight_flips} of {weight_changes} weight moves would change the verdict or the "
              "form.").format(verdict_flips=rob.verdict_flips, answer_changes=n,
                              weight_flips=rob.weight_flips, weight_changes=wn))
    if rec:
        headline = _("This recommendation is close")
    elif not rob.verdict_stable:
        headline = _("This verdict is close")
    else:
        headline = _("This verdict is firm, but the recommended form is close")
    parts = []
    none = _("none")
    if rob.verdict_flips or not rob.form_flips:
        parts.append(_("{count} of {total} one-point changes to single answers would change "
                       "the verdict").format(count=rob.verdict_flips or none, total=n))
    if rob.form_flips:
        parts.append(_("{count} of {total} one-point changes would change the recommended "
                       "form").format(count=rob.form_flips, total=n))
    parts.append(_("{count} of {total} weight moves would change it").format(
        count=rob.weight_flips, total=wn) if rob.weight_flips else
        _("none of the {total} weight moves would").format(total=wn))
    counts = "; ".join(parts)
    counts = counts[:1].upper() + counts[1:] + "."
    one_answer = rob.rests_on_one_answer
    if one_answer:
        caution = (_("Confirm that answer with the person before relying on the "
                     "recommendation.") if rec else
                   _("Confirm that answer with the person before relying on the verdict."))
    else:
        caution = (_("The recommendation depends on how much that list is weighed; treat it "
                     "as provisional.") if rec else
                   _("The verdict depends on how much that list is weighed; treat it as "
                     "provisional."))
    detail = rob.closest_flip or _("a one-point change of one answer would change it.")
    tag = (_("Close call: rests on one answer") if one_answer else
           _("Close call: rests on the weights"))
    return Firmness(False, headline, detail, counts, caution, tag)


# ---- what each side expected of the other ------------------------------------------------
DIRECTION_LABELS: dict[str | None, str] = {"blind-spot": N_("Blind spot"),
                                           "pleasant-surprise": N_("Pleasant surprise"),
                                           None: N_("Spot on")}
ABOUT_LABELS: dict[str, str] = {"self": N_("own answer"),
                                "other-side": N_("expects of the other side")}


@dataclass(frozen=True)
class ExpectationRow:
    """One side's picture of the other side on one list (or question), against the facts."""

    key: str          # list id, or question id
    list_id: str
    title: str        # list title, or question text
    side: Side        # whose picture: the side that expected
    other: Side       # the side it pictured
    expects: float    # what `side` expected `other` to score (0-100)
    actual: float     # what `other` scored (0-100)
    own: float | None  # what `side` itself scored on the same questions
    miss: float
    direction: str | None
    flagged: bool     # an expectation-gap flag names this side on this list (or question)

    @property
    def direction_label(self) -> str:
        """'Blind spot', 'Pleasant surprise' or 'Spot on'."""
        return _(DIRECTION_LABELS[self.direction])


def about_label(about: object) -> str:
    """'own answer' or 'expects of the other side' for an answer's `about` value."""
    text = "" if about is None else str(about)
    return _(ABOUT_LABELS.get(text if text in ABOUT_LABELS else "self", ABOUT_LABELS["self"]))


def expectation_rows(result: ScoreResult, questions: bool = False,
                     bank: Bank | None = None) -> list[ExpectationRow]:
    """Every side's picture of the other, per list (or per question), host side first."""
    gaps = result.expectation_questions if questions else result.expectations
    flagged = {(f.question_id if questions else f.dimension, f.side) for f in result.flags
               if f.kind == "expectation-gap"}
    qlist = {q.id: q.list for q in result.questions}
    if bank is not None:
        qlist |= {q.id: q.list for q in bank.questions}
    rows: list[ExpectationRow] = []
    for side in SIDES:
        other = OTHER_SIDE[side]
        for key, gap in gaps.items():
            expects = getattr(gap, f"{side}_expects")
            actual = getattr(gap, f"{other}_actual")
            if expects is None or actual is None:
                continue
            miss = getattr(gap, f"{side}_miss")
            rows.append(ExpectationRow(
                key=key, list_id=qlist.get(key, "") if questions else key, title=gap.title,
                side=side, other=other, expects=float(expects), actual=float(actual),
                own=None if getattr(gap, f"{side}_actual") is None
                else float(getattr(gap, f"{side}_actual")),
                miss=float(miss if miss is not None else abs(expects - actual)),
                direction=gap.direction(side), flagged=(key, side) in flagged))
    return rows


def largest_misses(result: ScoreResult, limit: int = 8,
                   bank: Bank | None = None) -> list[ExpectationRow]:
    """The questions where one side's picture of the other missed most, largest first."""
    rows = [r for r in expectation_rows(result, questions=True, bank=bank) if r.miss > 0]
    return sorted(rows, key=lambda r: (-r.miss, r.side != "host", r.key))[:limit]


def expectation_flags(result: ScoreResult) -> list[str]:
    """The sentences of the expectation-gap flags, in their rank order."""
    return [f.detail for f in result.flags if f.kind == "expectation-gap"]


def estimate_counts(answers: object, bank: Bank) -> dict[str, int]:
    """How many of the bank's expectation questions each respondent has estimated (rows with
    `about = other-side`, don't know included), by respondent id."""
    import pandas as pd

    if not isinstance(answers, pd.DataFrame) or not len(answers) or \
            "about" not in answers.columns:
        return {}
    ids = {q.id for q in bank.expectation_questions}
    rows = answers[(answers["about"].astype(str) == "other-side")
                   & answers["question_id"].isin(ids)]
    return {str(k): int(v) for k, v in rows.groupby("respondent").size().items()}


# ---- how things moved across rounds ------------------------------------------------------
SERIES: tuple[str, ...] = ("host", "partner", "gap")
# A change of less than this many points (out of 100) counts as no move: under a fifth of one
# scale point on every question of a list, well inside what one changed answer does.
MOVED_POINTS = 5.0


@dataclass(frozen=True)
class TrendRow:
    """One list across the rounds: each side's score and the gap, one value per round (None
    where the round's bank has no such list or nobody answered it)."""

    list_id: str
    title: str
    host: tuple[float | None, ...]
    partner: tuple[float | None, ...]
    gap: tuple[float | None, ...]

    def values(self, series: str) -> tuple[float | None, ...]:
        """The values of one series: 'host', 'partner' or 'gap'."""
        values: tuple[float | None, ...] = getattr(self, series)
        return values

    def change(self, series: str) -> float | None:
        """Last known value minus the first known one; None with fewer than two values."""
        known = [v for v in self.values(series) if v is not None]
        return known[-1] - known[0] if len(known) >= 2 else None

    def moved(self, series: str) -> bool:
        """Whether a series moved by `MOVED_POINTS` or more from its first to its last value."""
        change = self.change(series)
        return change is not None and abs(change) >= MOVED_POINTS

    @property
    def gap_direction(self) -> str | None:
        """'narrowed' or 'widened' (by `MOVED_POINTS` or more), else 'unchanged'; None when
        the gap is known in fewer than two rounds."""
        change = self.change("gap")
        if change is None:
            return None
        if not self.moved("gap"):
            return "unchanged"
        return "narrowed" if change < 0 else "widened"


def list_title(list_id: str, titles: dict[str, str] | None = None) -> str:
    """A list's title from `titles`, else its id made readable ('risk_sharing' -> 'Risk
    sharing')."""
    if titles and titles.get(list_id):
        return titles[list_id]
    text = list_id.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def trend_rows(trend: Trend, titles: dict[str, str] | None = None) -> list[TrendRow]:
    """Each list of a trend, in the trend's order, with its title."""
    return [TrendRow(lid, list_title(lid, titles), *(tuple(row.get(s, ())) for s in SERIES))
            for lid, row in trend.dimensions.items()]


def round_label(round_id: str) -> str:
    """A round as a column heading: 'Baseline' for the first round, else its id."""
    return _("Baseline") if round_id == "baseline" else round_id
