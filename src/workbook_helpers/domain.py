"""The domain's words in one place: sides, verdicts, the kinds of flag, what an answer is
about, id slugs, the names of the forms of relationship, how an answer's value reads (a scale
point, don't know, an estimate of the other side) and the one rule that says which answer is
current.

Importing this module is cheap (pandas is imported inside the functions that need it), so
`ids`, the CLI and the store can all take their constants from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from .presenting.speaking import N_

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: One of the two sides of every engagement: the company running the assessment, or its partner.
Side = Literal["host", "partner"]
#: The two sides, in the order every table and chart shows them.
SIDES: tuple[Side, Side] = ("host", "partner")
#: Each side's other side (keyed by plain text, so that a respondent's side can look it up).
OTHER_SIDE: dict[str, Side] = {"host": "partner", "partner": "host"}


def as_side(value: object) -> Side | None:
    """A side, or None for anything that is not one (None, NaN, an empty cell)."""
    return "host" if value == "host" else "partner" if value == "partner" else None


#: What an answer is about: the respondent's own view, or what they expect the other side's
#: team to answer (an expectation answer, an *estimate*; never enters the dimension scores).
About = Literal["self", "other-side"]
ABOUT: tuple[About, About] = ("self", "other-side")

#: The answer to the alliance question (the contract's `verdict`).
Verdict = Literal["fit", "conditional", "no-fit", "insufficient-data"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)



def recommends_other_form(verdict: str, cause: str | None, form: str | None,
                          is_alliance: bool) -> bool:
    """Whether a result says 'not an alliance: pursue another form' (a recommendation, shown
    in the neutral colour, never as a failure): no-fit because of the form, and the form is
    a clear form other than an alliance."""
    return (verdict == "no-fit" and cause == "form" and not is_alliance
            and form not in (None, "other", "disputed"))


#: Every kind of flag a score result can carry (the contract's `flags[].kind`).
FlagKind = Literal[
    "type-mismatch", "form-dispute", "low-trust", "lone-dissent", "contested-fact",
    "cross-side-gap", "internal-divergence", "question-gap", "question-divergence",
    "structure-gap", "hobby", "readiness", "share-nothing", "seniority-mismatch", "low-score",
    "incomplete", "too-few-respondents", "expectation-gap"]
FLAG_KINDS: tuple[FlagKind, ...] = get_args(FlagKind)
#: The kinds worth a conversation (the result's `discuss` list), in no particular order.
DISCUSS_KINDS: tuple[FlagKind, ...] = (
    "form-dispute", "low-trust", "lone-dissent", "contested-fact", "type-mismatch",
    "cross-side-gap", "internal-divergence", "question-gap", "question-divergence",
    "structure-gap", "hobby", "readiness", "seniority-mismatch", "share-nothing",
    "expectation-gap")
#: The gaps tracked across rounds (a trend's closed and opened gaps; what an action answers).
GAP_KINDS: tuple[FlagKind, ...] = (
    "cross-side-gap", "internal-divergence", "expectation-gap", "readiness", "hobby",
    "type-mismatch", "share-nothing", "form-dispute", "low-trust", "lone-dissent",
    "contested-fact")
#: The people's own disagreements: worth settling before anything else, even a form dispute.
TEAM_KINDS: tuple[FlagKind, ...] = ("low-trust", "lone-dissent", "contested-fact")
#: Blocking flags that make an alliance `conditional` (the verdict's cause 'blocking').
BLOCKING_KINDS: tuple[FlagKind, ...] = ("cross-side-gap", "internal-divergence", "hobby")
#: Flags that only make sense for an alliance (dropped when another form is recommended).
ALLIANCE_ONLY_KINDS: tuple[FlagKind, ...] = ("readiness", "hobby", "share-nothing",
                                             "low-score", "low-trust")
#: List and question flags whose step falls back to their list's step.
LIST_STEP_KINDS: tuple[FlagKind, ...] = ("cross-side-gap", "internal-divergence",
                                         "question-gap", "question-divergence",
                                         "structure-gap")
#: Gaps whose change across rounds is about one side (a trend row names the side).
SIDE_KINDS: tuple[FlagKind, ...] = ("readiness", "hobby", "share-nothing", "expectation-gap",
                                    "internal-divergence")
#: Engagement and respondent ids (they end up in file names and URLs).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
#: The forms of relationship, as people read them.
#: (English; the `report` catalogue translates them where they are shown, see `speaking`)
TYPE_LABELS: dict[str, str] = {
    "strategic-alliance": N_("Strategic alliance"),
    "joint-venture": N_("Joint venture"),
    "outsourcing": N_("Outsourcing"),
    "licensing": N_("Licensing"),
    "supply-chain": N_("Supply-chain integration"),
    "other": N_("No clear form"),
    "disputed": N_("Disputed: the sides picture different deals"),
}

#: A form of relationship a bank's profiles describe.
Form = Literal["strategic-alliance", "joint-venture", "outsourcing", "licensing", "supply-chain",
               "other"]
#: The recommended form (the contract's `relationship_type`); "disputed" when each side
#: pictures a different deal.
RelationshipType = Literal[Form, "disputed"]

#: One current answer per respondent, question and `about` within an engagement's round
#: (a frame without a `round` column is one round).
ANSWER_KEY: tuple[str, ...] = ("engagement", "round", "respondent", "question_id", "about")


# ---- one answer's value ---------------------------------------------------------------------
def answer_point(value: object) -> int | None:
    """The scale point an answer's value holds, or None when it holds none (don't know, not
    applicable, missing: None, NaN, pandas' NA). Every reader of stored answers asks this
    instead of comparing the value's text with '<NA>'."""
    if value is None or type(value).__name__ == "NAType":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def is_dont_know(answer: Any) -> bool:
    """Whether an answer (a row with `value` and `dont_know`) gives no scale point: a don't
    know, or no value at all (a question the respondent's role cannot answer)."""
    return bool(getattr(answer, "dont_know", False)) or \
        answer_point(getattr(answer, "value", None)) is None


def is_not_applicable(answer: Any) -> bool:
    """Whether an answer holds no value without being a don't know (the answer `na`)."""
    return not bool(getattr(answer, "dont_know", False)) and \
        answer_point(getattr(answer, "value", None)) is None


def is_estimate(answer: Any) -> bool:
    """Whether an answer (a row with an optional `about`) is an estimate of what the other
    side's team answers (an expectation answer), not the respondent's own view."""
    return str(getattr(answer, "about", "self") or "self") == "other-side"


# ---- the current-answer rule -----------------------------------------------------------------
def answer_instants(values: Any, missing: datetime | None = None) -> pd.Series:
    """`answered_at` values (ISO 8601 text, datetimes or Timestamps) as UTC instants.

    A value with a UTC offset is converted to UTC; one without an offset *is* UTC; an empty
    or missing value becomes `missing` (default: now), i.e. "answered when it was read".
    Text that is not a date and time becomes NaT (the CSV reader reports it as an error).
    """
    import pandas as pd

    fill = pd.Timestamp(missing or datetime.now(UTC))
    fill = fill.tz_localize(UTC) if fill.tzinfo is None else fill.tz_convert(UTC)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(UTC).fillna(fill).astype("datetime64[ns, UTC]")
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    s = s.astype(object).where(s.notna(), None)
    text = s.map(lambda v: v.strip() if isinstance(v, str) else v)
    empty = text.map(lambda v: v is None or v == "" or (not isinstance(v, str) and pd.isna(v)))
    parsed = pd.to_datetime(text.where(~empty), errors="coerce", utc=True, format="ISO8601")
    if empty.any():
        parsed = parsed.where(~empty, fill)
    return parsed.astype("datetime64[ns, UTC]")


def latest_of(rows: Sequence[Any], instant: Any, order: Any) -> Any:
    """Of several answers to one question (one respondent, one `about`), the current one by
    the same rule as `current_answers`: the latest instant, at equal instants the later
    `order` (the store's insert id). Plain Python, for one person's few rows: the
    questionnaire's kernel decides without pandas. None for no rows."""
    best = None
    best_key: tuple[Any, Any] | None = None
    for row in rows:
        key = (instant(row), order(row))
        if best_key is None or key >= best_key:
            best, best_key = row, key
    return best


def current_answers(frame: pd.DataFrame, order: str | None = None,
                    keys: Sequence[str] = ANSWER_KEY,
                    missing: datetime | None = None) -> pd.DataFrame:
    """The current answer of each respondent to each question (and `about`): the row with the
    latest `answered_at` instant; at equal instants the later row wins (`order`, e.g. the
    store's insert id or the CSV row number, else the frame's own order).

    Every path that decides "which answer counts" uses this function: the CSV scored
    straight from a file, the store (and so the apps, the reports, the export and the demo).
    Rows keep their columns; the result is in the frame's original order.
    """
    import numpy as np

    if frame.empty:
        return frame.copy()
    keep = [k for k in keys if k in frame.columns]
    work = frame.reset_index(drop=True)
    if "about" in keys and "about" not in work.columns:
        keep = [k for k in keep if k != "about"]
    if "about" in work.columns:
        about = work["about"].astype(object).where(work["about"].notna(), "")
        about = about.astype(str).str.strip().replace("", "self")
    else:
        about = None
    instants = (answer_instants(work["answered_at"], missing) if "answered_at" in work.columns
                else None)
    tiebreak = (work[order].to_numpy() if order is not None and order in work.columns
                else np.arange(len(work)))
    sort_cols = {"_k" + str(i): (about if (k == "about" and about is not None) else work[k])
                 for i, k in enumerate(keep)}
    helper = work.assign(**sort_cols, _ts=instants if instants is not None else 0,
                         _tb=tiebreak, _pos=np.arange(len(work)))
    ordered = helper.sort_values([*sort_cols, "_ts", "_tb", "_pos"], kind="mergesort")
    last = (ordered.drop_duplicates(list(sort_cols), keep="last") if sort_cols
            else ordered.tail(1))
    return work.loc[np.sort(last["_pos"].to_numpy())].reset_index(drop=True)
