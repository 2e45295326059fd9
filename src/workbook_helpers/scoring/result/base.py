"""The builder's shared part: the bank's lookups, the flags' severities and rounding."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...bank import Bank
from ...domain import FlagKind
from ..model import ReadinessCheck
from ..verdict import DecisionInputs

EXPECTATION_SEVERITY = {"blind-spot": 1.6, "pleasant-surprise": 1.1}
SEVERITY: dict[FlagKind, float] = {
    "too-few-respondents": 10.0, "form-dispute": 8.0, "type-mismatch": 6.0,
    "low-trust": 5.5, "lone-dissent": 3.0, "contested-fact": 3.5, "share-nothing": 5.0,
    "hobby": 4.0, "readiness": 1.5, "seniority-mismatch": 1.2, "incomplete": 0.5}


def num(value: Any) -> float | None:
    """A number rounded for output, or None for missing / NaN."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else round(f, 1)


def optional(value: float) -> float | None:
    """A float, or None for NaN."""
    return None if np.isnan(value) else float(value)


class BuilderBase:
    """What every part of the builder reads: the bank's lookups and the decision tables.

    The records it reads come from `scoring._split`: floats already rounded to one decimal and
    missing values already None.
    """

    _split: dict[str, list[dict[str, Any]]]
    _last_readiness: list[ReadinessCheck]

    def __init__(self, bank: Bank, d: DecisionInputs) -> None:
        self.bank = bank
        self.d = d
        self.dims = bank.dimension_ids()
        self.titles = {lst.id: lst.title for lst in bank.lists}
        self.qtext = {q.id: q.text for q in bank.questions}
        self.list_steps = {lst.id: lst.next_step for lst in bank.lists}
        self.q_steps = {q.id: q.next_step for q in bank.questions}
        self.scored = {q.id: q.scored for q in bank.questions}
        self.alliance = set(bank.forms.alliance_forms)
        self.item_of = {it.question: it.id for it in bank.readiness.items}
        if bank.readiness.sponsor_match is not None:
            self.item_of[bank.readiness.sponsor_match.question] = "sponsor-seniority"
        self._ids: np.ndarray | None = None
        sm = bank.readiness.sponsor_match
        self.level_names = ({p: a for p, a in bank.question_map[sm.question].scale.anchors
                             .items()} if sm is not None else {})
