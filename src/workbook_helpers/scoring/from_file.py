"""Scoring an answers CSV without the store (`workbook score FILE.csv`): choosing the
engagement and round the file holds, then the same scoring as for the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import BadInputError, Problem

if TYPE_CHECKING:
    from ..bank import Bank
    from .model import ScoreResult


def score_csv(path: str | Path, bank: Bank, pick: str | None, round_id: str | None,
              warn: Callable[[str], None]) -> ScoreResult:
    """Score one engagement and round of an answers CSV. `pick` chooses the engagement and
    `round_id` the round when the file holds several (an error otherwise names them); `warn`
    receives the reader's warnings."""
    from ..answers.csv_file import read_answers_csv
    from ..domain import current_answers
    from . import score_engagement

    target = str(path)  # as given, in the messages
    frame, warnings = read_answers_csv(Path(path), bank)
    for w in warnings:
        warn(w)
    engs = sorted(set(frame["engagement"]))
    if pick is None and len(engs) > 1:
        raise BadInputError(Problem(
            f"the file holds {len(engs)} engagements ({', '.join(engs)}).", file=target,
            column="engagement", fix="choose one with --engagement ID."))
    chosen = pick or engs[0]
    if chosen not in engs:
        raise BadInputError(Problem(f"engagement '{chosen}' is not in the file.",
                                    file=target, column="engagement",
                                    fix=f"use one of: {', '.join(engs)}."))
    frame = frame[frame["engagement"] == chosen]
    rounds = list(dict.fromkeys(r for r in frame["round"] if r))
    if round_id is not None and round_id not in rounds:
        raise BadInputError(Problem(f"round '{round_id}' is not in the file.", file=target,
                                    column="round",
                                    fix=f"use one of: {', '.join(rounds) or '(none)'}."))
    if round_id is None and len(rounds) > 1:
        raise BadInputError(Problem(
            f"the file holds {len(rounds)} rounds of '{chosen}' ({', '.join(rounds)}).",
            file=target, column="round", fix="choose one with --round ROUND."))
    if round_id is not None:
        frame = frame[frame["round"] == round_id]
    frame = current_answers(frame, order="row")
    return score_engagement(frame, bank, chosen).with_round(
        round_id or (rounds[0] if rounds else "baseline"))
