"""The domain's words in one place: sides, what an answer is about, id slugs, the names of the
forms of relationship, and the one rule that says which answer is current.

Importing this module is cheap (pandas is imported inside the functions that need it), so
`ids`, the CLI and the store can all take their constants from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .presenting.speaking import N_

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The two sides of every engagement: the company running the assessment, and its partner.
SIDES: tuple[str, str] = ("host", "partner")
#: What an answer is about: the respondent's own view, or what they expect the other side's
#: team to answer (an expectation answer; never enters the dimension scores).
ABOUT: tuple[str, str] = ("self", "other-side")
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

#: One current answer per respondent, question and `about` within an engagement's round
#: (a frame without a `round` column is one round).
ANSWER_KEY: tuple[str, ...] = ("engagement", "round", "respondent", "question_id", "about")


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
