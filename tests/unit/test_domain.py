"""The domain's words: one set of flag kinds (every subset drawn from it, every kind labelled),
sides, verdicts, and the answer accessor that replaces comparing a value's text with '<NA>'."""

from __future__ import annotations

import math
from typing import get_args

import pandas as pd
import pytest

from workbook_helpers import domain
from workbook_helpers.domain import (
    FLAG_KINDS,
    OTHER_SIDE,
    SIDES,
    VERDICTS,
    answer_point,
    as_side,
    is_dont_know,
    is_estimate,
    is_not_applicable,
)
from workbook_helpers.presenting.judgment import KIND_LABELS

SUBSETS = ["DISCUSS_KINDS", "GAP_KINDS", "TEAM_KINDS", "BLOCKING_KINDS", "ALLIANCE_ONLY_KINDS",
           "LIST_STEP_KINDS", "SIDE_KINDS"]


@pytest.mark.parametrize("name", SUBSETS)
def test_every_set_of_flag_kinds_is_drawn_from_the_one_list(name: str) -> None:
    kinds = getattr(domain, name)
    assert kinds, name
    assert set(kinds) <= set(FLAG_KINDS), set(kinds) - set(FLAG_KINDS)
    assert len(set(kinds)) == len(kinds)


def test_every_flag_kind_has_a_label_and_every_label_a_kind() -> None:
    assert set(KIND_LABELS) == set(FLAG_KINDS)


def test_every_kind_the_scoring_produces_is_known() -> None:
    from workbook_helpers.scoring.result import SEVERITY

    assert set(SEVERITY) <= set(FLAG_KINDS)


def test_sides_and_their_other_side() -> None:
    assert SIDES == ("host", "partner")
    assert {OTHER_SIDE[s] for s in SIDES} == set(SIDES)
    assert all(OTHER_SIDE[s] != s for s in SIDES)
    assert [as_side(v) for v in ("host", "partner", "", None, math.nan, "Host")] == \
        ["host", "partner", None, None, None, None]


def test_verdicts_are_the_contracts() -> None:
    assert set(VERDICTS) == {"fit", "conditional", "no-fit", "insufficient-data"}


def test_every_relationship_type_has_a_label() -> None:
    assert set(get_args(domain.RelationshipType)) == set(domain.TYPE_LABELS)


@pytest.mark.parametrize(("value", "point"), [
    (3, 3), (3.0, 3), ("4", 4), (None, None), (math.nan, None), (pd.NA, None), ("dk", None)])
def test_answer_point(value: object, point: int | None) -> None:
    assert answer_point(value) == point


def test_dont_know_not_applicable_and_estimate_from_stored_rows() -> None:
    frame = pd.DataFrame({"value": pd.array([4, None, None], dtype="Int64"),
                          "dont_know": [False, True, False],
                          "about": ["self", "other-side", None]})
    rows = list(frame.itertuples(index=False))
    assert [is_dont_know(r) for r in rows] == [False, True, True]
    assert [is_not_applicable(r) for r in rows] == [False, False, True]
    assert [is_estimate(r) for r in rows] == [False, True, False]
