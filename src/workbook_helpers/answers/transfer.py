"""Whole files in and out of the store, as `workbook import` and `workbook export` use them:
what a CSV import would write (`--dry-run`), restoring JSON archives (with the checks against
overwriting), and the text of a CSV or JSON export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import BadInputError, Problem
from ..store import Store
from .survey import ImportPlan


def csv_import_plan(frame: pd.DataFrame) -> ImportPlan:
    """What importing an answers CSV (already read and checked) would write, as the survey
    import's plan, for `--dry-run`."""
    people = frame.drop_duplicates(["engagement", "respondent"])[
        ["engagement", "respondent", "side", "name", "role"]]
    return ImportPlan(frame, people.reset_index(drop=True))


def check_archive(docs: list[dict[str, Any]], file: Path, as_id: str | None) -> None:
    """Refuse `--as NEW_ID` when it is not a valid id or the archive holds several
    engagements."""
    from ..ids import check_slug

    if as_id is None:
        return
    check_slug(as_id, "engagement id", column="--as")
    if len(docs) > 1:
        raise BadInputError(Problem(f"--as needs a file with one engagement; this one has "
                                    f"{len(docs)}.", file=str(file),
                                    fix="export the engagement on its own."))


def restore_archive(store: Store, docs: list[dict[str, Any]], file: Path, as_id: str | None,
                    replace: bool) -> Iterator[tuple[str, dict[str, int]]]:
    """Restore each engagement of a JSON archive (under `as_id` when given), yielding its id
    and counts as it goes; without `replace`, an engagement already in the store is refused
    before anything is written."""
    if not replace:
        clash = [d["engagement"]["id"] for d in docs
                 if as_id is None and store.has_engagement(d["engagement"]["id"])]
        if as_id is not None and store.has_engagement(as_id):
            clash = [as_id]
        if clash:
            raise BadInputError(Problem(
                f"engagement(s) already in the store: {', '.join(clash)}.", file=str(file),
                fix="add --replace to overwrite, or --as NEW_ID to import a copy."))
    for doc in docs:
        counts = store.restore_engagement(doc, new_id=as_id, replace=replace)
        yield as_id or doc["engagement"]["id"], counts


def export_csv(store: Store, engagement_id: str | None, round_id: str | None,
               history: bool) -> str:
    """The answers CSV (the import format, with each respondent's e-mail and language) of one
    engagement or of all (`engagement_id` None); `history` gives every answer ever given."""
    from .csv_file import answers_to_csv

    frame = store.history(engagement_id, round_id) if history else \
        store.current_answers(engagement_id, round_id)
    if "answered_at" in frame:
        frame = frame.assign(answered_at=frame["answered_at"].map(lambda t: t.isoformat()))
    mails = {e: store.emails(e) for e in set(frame["engagement"])}
    langs = {e: store.languages(e) for e in set(frame["engagement"])}
    who = list(zip(frame["engagement"], frame["respondent"], strict=True))
    frame = frame.assign(email=[mails[e].get(r, "") for e, r in who],
                         lang=[langs[e].get(r, "") for e, r in who])
    return answers_to_csv(frame, history=history)


def export_json(store: Store, engagement_id: str | None) -> str:
    """The JSON archive of one engagement, or of every engagement (`engagement_id` None)."""
    from .archive import engagement_to_json, export_all

    doc = export_all(store) if engagement_id is None else engagement_to_json(store,
                                                                             engagement_id)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
