"""The portfolio's rows: the store's portfolio frame with what the page shows and sorts on
(verdict kind and badge, form label, newest report, search text, sort keys), its filters and
its sort orders. No widgets, no HTML."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...bank import Bank
from ...exceptions import WorkbookError
from ...presenting import brand
from ...presenting import judgment as presenting
from ...report.folder import Report

#: How a verdict is shown, in the order the verdict filter and the verdict sort use.
KINDS: tuple[str, ...] = ("fit", "conditional", "recommend", "no-fit", "insufficient-data")
KIND_FILTER_LABELS: dict[str, str] = {
    "fit": "Fit", "conditional": "Conditional fit", "recommend": "Another form fits better",
    "no-fit": "No fit", "insufficient-data": "Not enough answers yet"}
KIND_SHAPES: dict[str, str] = {"fit": "circle", "conditional": "diamond", "recommend": "square",
                               "no-fit": "cross", "insufficient-data": "triangle-up"}
#: Sort keys: (label in the dropdown, column of the view frame).
SORTS: dict[str, tuple[str, str]] = {
    "title": ("Engagement title", "sort_title"),
    "host": ("Host organisation", "sort_host"),
    "partner": ("Partner organisation", "sort_partner"),
    "verdict": ("Verdict", "kind_rank"),
    "form": ("Form", "form_label"),
    "completeness": ("Answered (%)", "completeness"),
    "rounds": ("Rounds", "rounds"),
    "open": ("Open actions", "open_actions"),
    "overdue": ("Overdue actions", "overdue_actions"),
    "last": ("Last answer", "last_answer_at"),
    "report": ("Latest report", "report_at"),
}
DEFAULT_SORT = ("overdue", True)   # most overdue actions first, then by title
ROW_LIMIT = 200                    # rows drawn at once; "Show all" draws the rest
ALL = ""


# ---- the frame the page draws --------------------------------------------------------------
def verdict_kind(verdict: str, form: str, alliance_forms: tuple[str, ...] | list[str],
                 cause: str | None = "form") -> str:
    """How the verdict is shown: the kind of `presenting.headline_of`, as on the dashboard
    ('recommend' when the form decided a no-fit and another form fits better). Without the
    verdict's cause (a frame without it, or an engagement without one) the form is taken to
    have decided it."""
    return presenting.headline_of(verdict, cause, form, form in alliance_forms).kind


def badge_label(kind: str, form: str) -> str:
    """The verdict as the dashboard says it ('Conditional fit', 'Recommended: licensing')."""
    if kind == "recommend":
        return presenting.headline_of("no-fit", "form", form, False).label
    return presenting.headline_of(kind, None, form, True).label


def badge_colour(kind: str) -> str:
    """The verdict's colour (the neutral slate for a recommendation of another form)."""
    return brand.NEUTRAL if kind == "recommend" else brand.VERDICT_COLOURS.get(kind, brand.MUTED)


def view_frame(frame: pd.DataFrame, bank: Bank | None = None,
               reports: dict[str, Report] | None = None) -> pd.DataFrame:
    """The portfolio frame with what the page shows and sorts on: verdict kind, badge label,
    form label, report, lower-cased search text and sort keys."""
    alliance = tuple(bank.forms.alliance_forms) if bank is not None else (
        "strategic-alliance", "joint-venture")
    reports = reports or {}
    out = frame.copy()
    causes = out["cause"] if "cause" in out.columns else [None] * len(out)
    out["kind"] = [verdict_kind(str(v), str(f), alliance, c if isinstance(c, str) and c
                                else "form")
                   for v, f, c in zip(out["verdict"], out["relationship_type"], causes,
                                      strict=True)]
    out["kind_rank"] = out["kind"].map({k: i for i, k in enumerate(KINDS)}).astype(int)
    out["badge"] = [badge_label(k, str(f)) for k, f in
                    zip(out["kind"], out["relationship_type"], strict=True)]
    out["form_label"] = [presenting.form_label(str(f)) if c > 0 else presenting.DASH
                         for f, c in zip(out["relationship_type"], out["completeness"],
                                         strict=True)]
    for col in ("title", "host_org", "partner_org"):
        out[col] = out[col].fillna("").astype(str)
    out["sort_title"] = out["title"].str.casefold()
    out["sort_host"] = out["host_org"].str.casefold()
    out["sort_partner"] = out["partner_org"].str.casefold()
    out["search"] = (out["title"] + "\n" + out["engagement"].astype(str) + "\n"
                     + out["host_org"] + "\n" + out["partner_org"]).str.casefold()
    out["report"] = [reports.get(str(e)) for e in out["engagement"]]
    out["report_at"] = pd.to_datetime([r.written if r else None for r in out["report"]],
                                      utc=True)
    out["last_answer_at"] = pd.to_datetime(out["last_answer_at"], utc=True)
    return out


@dataclass(frozen=True)
class Filters:
    """What the table is narrowed to ('' = any)."""

    kind: str = ALL
    form: str = ALL
    overdue_only: bool = False
    text: str = ""


def filter_frame(view: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that pass every filter (text: every word must occur in the title, the id or
    an organisation, ignoring case)."""
    keep = pd.Series(True, index=view.index)
    if filters.kind:
        keep &= view["kind"] == filters.kind
    if filters.form:
        keep &= view["relationship_type"] == filters.form
    if filters.overdue_only:
        keep &= view["overdue_actions"] > 0
    for word in filters.text.casefold().split():
        keep &= view["search"].str.contains(word, regex=False)
    return view[keep]


def sort_frame(view: pd.DataFrame, by: str, descending: bool = False) -> pd.DataFrame:
    """The rows ordered by one of `SORTS` (missing values last either way), then by title
    and id so that the order is always the same."""
    if by not in SORTS:
        raise WorkbookError(f"cannot sort the portfolio by {by!r}; use one of "
                            f"{', '.join(SORTS)}.")
    col = SORTS[by][1]
    keys = [col] + [c for c in ("sort_title", "engagement") if c != col]
    return view.sort_values(keys, ascending=[not descending] + [True] * (len(keys) - 1),
                            na_position="last", kind="mergesort")


