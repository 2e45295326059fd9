"""Trend across rounds and the outcome of actions, on the reference cases."""

from __future__ import annotations

from workbook_helpers.demo.cases import case, case_answers
from workbook_helpers.scoring import score_engagement
from workbook_helpers.scoring.trend import action_outcome, trend


def test_a_priority_gap_that_closes_shows_in_the_trend(bank):
    c = case("marketing-low-priority")
    before = score_engagement(case_answers(c, bank), bank, c.id)
    fixed = case_answers(case("pharma-codevelopment"), bank, engagement=c.id)
    after = score_engagement(fixed, bank, c.id)
    t = trend([("baseline", before), ("health-2027-06", after)])
    assert t.rounds == ["baseline", "health-2027-06"]
    pri = t.dimensions["priority"]
    assert pri["gap"][0] > 40 > pri["gap"][1]
    assert pri["partner"][1] > pri["partner"][0]
    assert any(g.kind == "cross-side-gap" and g.dimension == "priority" for g in t.closed)
    assert t.verdicts == [before.verdict, after.verdict]
    assert action_outcome("priority", "cross-side-gap", before, after) == "closed"
    assert action_outcome("priority", None, after, before) == "new"
    assert action_outcome(None, None, before, after) == "unknown"
    doc = t.to_dict()
    assert doc["dimensions"]["priority"]["host"] == pri["host"]
    assert doc["closed"][0]["from"] == "baseline"


def test_a_list_missing_from_a_round_is_none(bank):
    c = case("side-job")
    a = score_engagement(case_answers(c, bank), bank, c.id)
    t = trend([("baseline", a)])
    assert all(len(v["host"]) == 1 for v in t.dimensions.values())
    assert not t.closed and not t.opened
