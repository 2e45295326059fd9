"""How the judgment of a score result is put to people, shared by the dashboard, the report
and the Excel file (the command line words it in `render`).

When another form of relationship fits better than an alliance, the verdict is 'no-fit' *for
an alliance*; people see it as a recommendation ("Recommended: licensing") in the neutral
colour, with the form to pursue and how ready it is, never as a red "No fit". Nothing here
escapes text: each consumer escapes for its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import brand

if TYPE_CHECKING:  # pragma: no cover
    from .bank import Bank
    from .scoring.model import ReadinessCheck, ScoreResult

SIDES = ("host", "partner")
READINESS_LABELS: dict[str, str] = {
    "alliance-manager": "Dedicated alliance manager",
    "executive-sponsor": "Active executive sponsor",
    "committed-budget": "Committed budget",
    "sponsor-seniority": "Sponsors of matching seniority",
    "hobby-check": "Priority backed by people and budget",
}
MET_LABELS: dict[bool | None, str] = {True: "Yes", False: "No", None: "Unknown"}
MET_CLASSES: dict[bool | None, str] = {True: "yes", False: "no", None: "unknown"}


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
    return "" if not form else brand.TYPE_LABELS.get(form, form)


def headline(result: ScoreResult) -> Headline:
    """The verdict label and colour, or "Recommended: <form>" in the neutral colour."""
    if is_recommendation(result):
        return Headline(f"Recommended: {form_label(result.form.recommended).lower()}",
                        brand.NEUTRAL, "recommend", True)
    v = result.verdict
    return Headline(brand.VERDICT_LABELS.get(v, v), brand.VERDICT_COLOURS.get(v, brand.MUTED),
                    v, False)


def percent(share: float | None) -> str:
    """A 0-1 share as a whole percentage with a space ('82 %'); a dash for none."""
    return "–" if share is None else f"{round(100 * float(share))} %"


def confidence_text(confidence: float | None) -> str:
    """'confidence 82 %'."""
    return f"confidence {percent(confidence)}"


def why(result: ScoreResult) -> list[str]:
    """The reasons that are not already shown as evidence for the form or the pursue detail."""
    shown = set(result.form.evidence)
    if result.form.pursue is not None:
        shown.add(result.form.pursue.detail)
    return [r for r in result.reasons if r not in shown]


def condition_label(check_id: str, bank: Bank | None = None) -> str:
    """A readiness condition as a label ('Dedicated alliance manager')."""
    if check_id in READINESS_LABELS:
        return READINESS_LABELS[check_id]
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
        return ("The conditions any alliance needs in place on each side before launch; "
                "a clean fit needs every one of them met.")
    return (f"The conditions an alliance would need on each side. The answers point to "
            f"{form_label(result.form.recommended).lower()} instead, which does not depend on "
            "them; they matter only if the teams still want an alliance.")
