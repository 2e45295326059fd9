"""The consultant's view across engagements: one row per engagement with its latest round's
verdict and form, completeness, open and overdue actions and last activity."""

from __future__ import annotations

import functools
import hashlib
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..bank import Bank
from ..bank.choice import bank_for
from ..domain import SIDES
from ..exceptions import StoreError
from ..store import Round, Store
from . import portfolio_summary

log = logging.getLogger(__name__)

#: The columns of `workbook portfolio` (the contract), in order.
COLUMNS = ["engagement", "title", "verdict", "relationship_type", "completeness", "round",
           "open_actions", "overdue_actions", "last_answer_at"]
#: Further columns the portfolio app uses (organisations, rounds, fit-map position).
EXTRA = ["host_org", "partner_org", "rounds", "share", "importance", "cause", "lists"]


def _axis(summary: pd.DataFrame, lists: list[str]) -> pd.Series:
    """An engagement's position on one fit-map axis: the mean of both sides' list scores."""
    cols = [f"{lid}_{side}" for lid in lists for side in SIDES
            if f"{lid}_{side}" in summary.columns]
    if not cols:
        return pd.Series(np.nan, index=summary.index)
    return summary[cols].astype(float).mean(axis=1, skipna=True)


SCORED = ["verdict", "relationship_type", "completeness", "share", "importance", "cause",
          "lists", "last_answer_at"]
_FINGERPRINTS: dict[int, str] = {}


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the scoring code itself, so that kept scores die with a new version."""
    scoring = Path(__file__).resolve().parent
    wording = scoring.parent / "presenting" / "wording"  # the result's reasons and advice
    domain = scoring.parent / "domain.py"                # the kinds of flag, sides, verdicts
    digest = hashlib.sha1(__version__.encode(), usedforsecurity=False)
    for path in sorted([*scoring.rglob("*.py"), *wording.rglob("*.py"), domain]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def bank_fingerprint(bank: Bank) -> str:
    """A short digest of everything in a bank that scoring reads, and of the scoring code."""
    key = id(bank)
    if key not in _FINGERPRINTS:
        digest = hashlib.sha1(bank.model_dump_json().encode(), usedforsecurity=False)
        _FINGERPRINTS[key] = f"{_code_digest()}:{digest.hexdigest()[:16]}"
    return _FINGERPRINTS[key]


def _list_scores(summary: pd.DataFrame, lists: list[str]) -> list[str]:
    """Each engagement's list scores per side as JSON text (`{"control": {"host": 75.0,
    "partner": null}, ...}`), kept with the portfolio's row: the norm base (`norms`)."""
    import json

    cols = [(lid, side) for lid in lists for side in SIDES
            if f"{lid}_{side}" in summary.columns]
    values = {c: summary[f"{c[0]}_{c[1]}"].astype(float).round(1).tolist() for c in cols}
    out = []
    for i in range(len(summary)):
        doc: dict[str, dict[str, float | None]] = {}
        for (lid, side), column in values.items():
            v = column[i]
            doc.setdefault(lid, {})[side] = None if v != v else float(v)  # NaN -> None
        out.append(json.dumps(doc, sort_keys=True))
    return out


def _score(store: Store, bank: Bank, latest: dict[str, Round], ids: list[str],
           everyone: bool) -> pd.DataFrame:
    """Score the latest rounds of `ids` (SCORED columns, by engagement)."""
    among = None if everyone else ids
    answers = store.current_answers(among=among)
    roster = store.roster()
    last = store.last_answer_times(among)
    parts: list[pd.DataFrame] = []
    for ref in sorted({latest[e].bank for e in ids}):
        mine = [e for e in ids if latest[e].bank == ref]
        rbank = bank_for(ref, bank)
        summary = portfolio_summary(answers[answers["engagement"].isin(mine)], rbank,
                                    roster[roster["engagement"].isin(mine)])
        axes = rbank.forms.axes
        parts.append(pd.DataFrame({
            "verdict": summary["verdict"], "relationship_type": summary["relationship_type"],
            "completeness": summary["completeness"].astype(float).round(3),
            "share": _axis(summary, axes.share).round(1),
            "importance": _axis(summary, axes.importance).round(1),
            "cause": summary["cause"].astype(str),
            "lists": _list_scores(summary, rbank.list_ids())}, index=summary.index))
    out = pd.concat(parts) if parts else pd.DataFrame(columns=SCORED[:-1])
    out = out.reindex(ids)
    out["verdict"] = out["verdict"].fillna("insufficient-data")
    out["relationship_type"] = out["relationship_type"].fillna("other")
    out["completeness"] = out["completeness"].astype(float).fillna(0.0)
    out["cause"] = out["cause"].fillna("")
    out["last_answer_at"] = [last.get(e) for e in ids]
    return out


def portfolio_frame(store: Store, bank: Bank, today: date | None = None,
                    keep: bool = True) -> pd.DataFrame:
    """Every engagement of the store as one row (`COLUMNS` then `EXTRA`), ordered by id.

    Each engagement is judged on its latest round, scored on that round's bank; engagements
    without answers yet are 'insufficient-data'. Scores kept in the store are used while the
    round's answers, respondents and bank are unchanged; the others are scored now and (with
    `keep`) kept for next time.
    """
    today = today or datetime.now(UTC).date()
    engs = store.engagements(counts=False)
    rounds = store.all_rounds()
    latest = {e: rs[-1] for e, rs in rounds.items()}
    signatures = store.round_signatures()
    sig = {e: f"{s}|{bank_fingerprint(bank_for(ref, bank))}"
           for e, (_, ref, s) in signatures.items()}
    kept = store.kept_scores()
    fresh: dict[str, dict[str, Any]] = {}
    for e, (rid, _, _) in signatures.items():
        row = kept.get(e, {}).get(rid)
        if row is not None and row["signature"] == sig[e]:
            fresh[e] = row
    stale = sorted(e for e in latest if e not in fresh)
    if stale:
        scored = _score(store, bank, latest, stale, everyone=len(stale) == len(latest))
        rows = [{"engagement_id": e, "round_id": latest[e].id, "signature": sig[e],
                 **{k: _plain(v) for k, v in rec.items()}}
                for e, rec in zip(stale, scored.to_dict("records"), strict=True)]
        fresh.update({r["engagement_id"]: r for r in rows})
        if keep:
            try:
                store.keep_scores(rows)
            except StoreError as exc:  # a read-only store still shows its portfolio
                log.warning("portfolio scores not kept: %s", exc)
    counts = store.action_counts(today)
    out = engs.set_index("engagement")[["title", "host_org", "partner_org"]]
    ids = list(out.index)
    for k in SCORED:
        out[k] = [fresh.get(e, {}).get(k) for e in ids]
    out["verdict"] = out["verdict"].fillna("insufficient-data")
    out["relationship_type"] = out["relationship_type"].fillna("other")
    out["completeness"] = out["completeness"].astype(float).fillna(0.0)
    out["share"] = out["share"].astype(float)
    out["importance"] = out["importance"].astype(float)
    out["cause"] = out["cause"].fillna("")
    out["last_answer_at"] = pd.to_datetime(out["last_answer_at"], utc=True)
    out["round"] = [latest[e].id if e in latest else "baseline" for e in ids]
    out["rounds"] = [len(rounds.get(e, [])) or 1 for e in ids]
    out["open_actions"] = [counts.get(e, (0, 0))[0] for e in ids]
    out["overdue_actions"] = [counts.get(e, (0, 0))[1] for e in ids]
    out = out.reset_index().rename(columns={"index": "engagement"})
    return out[[*COLUMNS, *EXTRA]].sort_values("engagement").reset_index(drop=True)


def _plain(value: Any) -> Any:
    """A frame value as the store keeps it (None for missing, Python numbers and times)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.floating):
        return float(value)
    return value


def portfolio_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The contract's rows as plain values (times as ISO 8601 text, missing as None)."""
    rows = []
    for rec in frame[COLUMNS].to_dict("records"):
        t = rec["last_answer_at"]
        rec["last_answer_at"] = None if t is None or pd.isna(t) else pd.Timestamp(t).isoformat()
        rec["completeness"] = float(rec["completeness"])
        rec["open_actions"] = int(rec["open_actions"])
        rec["overdue_actions"] = int(rec["overdue_actions"])
        rows.append(rec)
    return rows
