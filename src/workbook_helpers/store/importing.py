"""Importing validated answers as a part of the store: all or nothing, in one transaction.

Missing engagements and respondents are created, respondents are invited to the rounds they
answer in (an empty or missing `round` is the engagement's latest round), and an answer equal
to the current one is counted as unchanged rather than written again. Conflicts with what the
store holds (a respondent's side, a round that does not exist) name the file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..domain import answer_instants, current_answers
from ..exceptions import ConflictError, Problem
from .base import aware as _aware
from .base import now
from .languages import clean_tag
from .records import BASELINE
from .rounds import RoundsMixin, insert_baseline, join_round, latest_round_ids
from .schema import answers, engagements, respondents, round_members, rounds

if TYPE_CHECKING:  # pandas is imported where a frame is built
    import pandas as pd

#: A stored answer as an import compares it: (value, don't know, comment).
Current = dict[tuple[str, str, str, str, str], tuple[Any, bool, str]]


@dataclass(frozen=True)
class _Batch:
    """An import's rows, prepared once before the transaction (which may be retried)."""

    frame: pd.DataFrame  # every row, `round` as text ("" for the latest round)
    first: pd.DataFrame  # each respondent's first row
    mails: dict[tuple[str, str], str]
    langs: dict[tuple[str, str], str]
    ordered: pd.DataFrame  # oldest first, each row with its instant (`wb_ts`)
    source: str
    file: str
    bank_version: str | None


class ImportMixin(RoundsMixin):
    """Imports of answer files (CSV, survey exports) into the store."""

    def import_answers(self, frame: pd.DataFrame, *, source: str = "import",
                       file: str = "", bank_version: str | None = None) -> dict[str, int]:
        """Import validated answers all-or-nothing; creates missing engagements/respondents
        and invites respondents to the rounds they answer in (an empty or missing `round`
        is the engagement's latest round)."""
        batch = _prepare(frame, source, file, bank_version)
        return self._write("import into", lambda conn: _write_batch(conn, batch))


def _prepare(frame: pd.DataFrame, source: str, file: str,
             bank_version: str | None) -> _Batch:
    """The rows of an import with their rounds as text and their write order."""
    frame = frame.copy()
    if "round" not in frame.columns:
        frame["round"] = ""
    frame["round"] = frame["round"].fillna("").astype(str).str.strip()
    first = frame.drop_duplicates(["engagement", "respondent"])
    mails = _emails_of(frame)
    langs = _langs_of(frame)
    ts_default = now()
    # rows are written oldest first (the rule's order: instant, then row), each with its
    # instant in UTC; a row without a time is "answered now"
    order = "row" if "row" in frame.columns else None
    ordered = frame.assign(
        wb_ts=answer_instants(frame["answered_at"] if "answered_at" in frame else
                            [None] * len(frame), missing=ts_default).to_numpy(),
        wb_tb=frame[order].to_numpy() if order else range(len(frame)))
    ordered = ordered.sort_values(["wb_ts", "wb_tb"], kind="mergesort")
    return _Batch(frame, first, mails, langs, ordered, source, file, bank_version)


def _write_batch(conn: Connection, batch: _Batch) -> dict[str, int]:
    """Check the batch against the store, then write it; returns what was added."""
    known_e = {r[0] for r in conn.execute(select(engagements.c.id))}
    latest = latest_round_ids(conn)
    existing = {(r.engagement_id, r.id): r.side for r in conn.execute(
        select(respondents.c.engagement_id, respondents.c.id, respondents.c.side))}
    frame = batch.frame
    pairs = frame.assign(wb_round=[_round_of(latest, e, r) for e, r in
                                   zip(frame["engagement"], frame["round"], strict=True)])
    problems = _side_problems(batch, existing)
    problems += _round_problems(conn, batch, pairs, known_e)
    if problems:
        raise ConflictError(problems)
    added = {"engagements": _add_engagements(conn, batch, known_e),
             "respondents": _add_respondents(conn, batch, existing),
             "answers": 0, "unchanged": 0}
    _invite(conn, frame, pairs)
    payload, added["unchanged"] = _new_answers(conn, batch, latest)
    if payload:
        conn.execute(insert(answers), payload)
    added["answers"] = len(payload)
    return added


def _round_of(latest: dict[str, str], engagement: str, round_id: str) -> str:
    """The round a row goes to: its own, else the engagement's latest (baseline if new)."""
    return round_id or latest.get(engagement, BASELINE)


def _side_problems(batch: _Batch, existing: dict[tuple[str, str], str]) -> list[Problem]:
    """Respondents the store knows on the other side."""
    problems: list[Problem] = []
    for r in batch.first.itertuples(index=False):
        side = existing.get((r.engagement, r.respondent))
        if side is not None and side != r.side:
            problems.append(Problem(
                f"respondent '{r.respondent}' is on side '{side}' in the store but "
                f"'{r.side}' here.", file=batch.file or None, row=_row(r), column="side",
                fix="correct the side, or use another respondent id."))
    return problems


def _round_problems(conn: Connection, batch: _Batch, pairs: pd.DataFrame,
                    known_e: set[str]) -> list[Problem]:
    """Rows that name a round their engagement does not have (a new engagement has only
    its baseline)."""
    known_r = {(e, r) for e, r in conn.execute(select(rounds.c.engagement_id, rounds.c.id))}
    problems: list[Problem] = []
    for r in pairs.drop_duplicates(["engagement", "wb_round"]).itertuples(index=False):
        new_eng = r.engagement not in known_e
        if (new_eng and r.wb_round != BASELINE) or \
                (not new_eng and (r.engagement, r.wb_round) not in known_r):
            problems.append(Problem(
                f"engagement '{r.engagement}' has no round '{r.wb_round}'.",
                file=batch.file or None, row=_row(r), column="round",
                fix=f"open it first with 'workbook round add {r.engagement} "
                f"{r.wb_round}', or leave the column empty for the latest round."))
    return problems


def _add_engagements(conn: Connection, batch: _Batch, known_e: set[str]) -> int:
    """Create the engagements the store does not have (each with its baseline round)."""
    new = sorted(set(batch.frame["engagement"]) - known_e)
    for eng in new:
        conn.execute(insert(engagements).values(
            id=eng, title=eng, host_org="Host", partner_org="Partner",
            created_at=now(), bank_version=batch.bank_version))
        insert_baseline(conn, eng)
    return len(new)


def _add_respondents(conn: Connection, batch: _Batch,
                     existing: dict[tuple[str, str], str]) -> int:
    """Create the respondents the store does not have; give known ones the address and
    language the file carries (an empty cell, or no column, keeps what the store has)."""
    count = 0
    for r in batch.first.itertuples(index=False):
        key = (r.engagement, r.respondent)
        if key not in existing:
            conn.execute(insert(respondents).values(
                engagement_id=r.engagement, id=r.respondent,
                name=(getattr(r, "name", "") or r.respondent), side=r.side,
                role=r.role or "", created_at=now(),
                email=batch.mails.get(key), lang=batch.langs.get(key)))
            count += 1
        else:
            known = {k: v for k, v in (("email", batch.mails.get(key)),
                                       ("lang", batch.langs.get(key))) if v}
            if known:
                conn.execute(update(respondents).where(
                    respondents.c.engagement_id == r.engagement,
                    respondents.c.id == r.respondent).values(**known))
    return count


def _invite(conn: Connection, frame: pd.DataFrame, pairs: pd.DataFrame) -> None:
    """Invite each respondent to the rounds they answer in, where not yet invited."""
    engs = sorted(set(frame["engagement"]))
    members = {(m.engagement_id, m.round_id, m.respondent_id) for m in conn.execute(
        select(round_members.c.engagement_id, round_members.c.round_id,
               round_members.c.respondent_id)
        .where(round_members.c.engagement_id.in_(engs)))}
    for r in pairs.drop_duplicates(["engagement", "wb_round", "respondent"]) \
            .itertuples(index=False):
        if (r.engagement, r.wb_round, r.respondent) not in members:
            join_round(conn, r.engagement, r.wb_round, [r.respondent])


def _stored_current(conn: Connection, engs: list[str]) -> Current:
    """The current answers the store holds for these engagements, as an import compares
    them."""
    import pandas as pd

    current: Current = {}
    stored = pd.DataFrame(conn.execute(
        select(answers.c.id, answers.c.engagement_id.label("engagement"),
               answers.c.round, answers.c.respondent_id.label("respondent"),
               answers.c.question_id, answers.c.value, answers.c.dont_know,
               answers.c.comment, answers.c.answered_at, answers.c.about)
        .where(answers.c.engagement_id.in_(engs))).all(),
        columns=["id", "engagement", "round", "respondent", "question_id", "value",
                 "dont_know", "comment", "answered_at", "about"])
    if len(stored):
        stored["answered_at"] = stored["answered_at"].map(_aware)
        for row in current_answers(stored, order="id").itertuples(index=False):
            current[(row.engagement, row.round, row.respondent, row.question_id,
                     row.about)] = (None if pd.isna(row.value) else int(row.value),
                                    bool(row.dont_know), row.comment or "")
    return current


def _new_answers(conn: Connection, batch: _Batch,
                 latest: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """The rows to insert (oldest first), and how many rows equal the current answer."""
    import pandas as pd

    current = _stored_current(conn, sorted(set(batch.frame["engagement"])))
    payload = []
    unchanged = 0
    for r in batch.ordered.itertuples(index=False):
        dk = bool(r.dont_know)
        val = None if dk or pd.isna(r.value) else int(r.value)
        # 'na' is kept as no value and no don't-know (version 3)
        na = not dk and val is None and bool(getattr(r, "not_applicable", False))
        about = str(getattr(r, "about", "") or "self")
        rnd = _round_of(latest, r.engagement, r.round)
        key = (r.engagement, rnd, r.respondent, r.question_id, about)
        new = (val, (dk or val is None) and not na, str(r.comment or ""))
        if current.get(key) == new:
            unchanged += 1
            continue
        current[key] = new
        payload.append({
            "engagement_id": r.engagement, "respondent_id": r.respondent,
            "question_id": r.question_id, "value": val, "dont_know": new[1],
            "comment": new[2], "answered_at": pd.Timestamp(r.wb_ts).to_pydatetime(),
            "source": batch.source, "about": about, "round": rnd,
            # the language the answer was given in: only what the file says
            "lang": clean_tag(str(getattr(r, "comment_lang", "") or ""))})
    return payload, unchanged


def _row(r: Any) -> int | None:
    import pandas as pd

    value = getattr(r, "row", None)
    return None if value is None or pd.isna(value) else int(value)


def _emails_of(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The (already checked) addresses an import carries, by (engagement, respondent); none
    when the file has no `email` column."""
    if "email" not in frame.columns:
        return {}
    out: dict[tuple[str, str], str] = {}
    for e, r, v in zip(frame["engagement"], frame["respondent"], frame["email"], strict=True):
        if isinstance(v, str) and v.strip():
            out.setdefault((e, r), v.strip())
    return out


def _langs_of(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The (already checked) respondent languages an import carries, by (engagement,
    respondent); none when the file has no `lang` column."""
    if "lang" not in frame.columns:
        return {}
    out: dict[tuple[str, str], str] = {}
    for e, r, v in zip(frame["engagement"], frame["respondent"], frame["lang"], strict=True):
        tag = clean_tag(v) if isinstance(v, str) else None
        if tag:
            out.setdefault((e, r), tag)
    return out
