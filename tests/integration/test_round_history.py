"""Scores per round, the trend across them and the action plan, on the two-round demo and on
actions written to test each outcome."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.health import ROUND_ID
from workbook_helpers.scoring.actionplan import action_plan
from workbook_helpers.scoring.stored import round_history, round_score
from workbook_helpers.scoring.trend import gaps
from workbook_helpers.store import Store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store.open(f"sqlite:///{tmp_path_factory.mktemp('rounds') / 'w.db'}")
    seed_demo(s, load_bank())
    return s


def test_each_round_is_scored_on_its_own_bank(demo_store: Store) -> None:
    bank = load_bank()
    base = round_score(demo_store, bank, "demo", "baseline")
    health = round_score(demo_store, bank, "demo", ROUND_ID)
    assert base.bank["id"] == bank.bank.id
    assert health.bank["id"] == "alliance-health-check"
    assert "operations" in health.dimensions and "operations" not in base.dimensions
    # the health check is answered by the people invited to it: one left, one joined
    assert {r.id for r in base.respondents} != {r.id for r in health.respondents}
    assert len(health.respondents) == len(base.respondents)


def test_trend_follows_the_round_scores(demo_store: Store) -> None:
    bank = load_bank()
    h = round_history(demo_store, bank, "demo")
    assert h.rounds == ["baseline", ROUND_ID] and h.trend is not None
    assert h.current.round == ROUND_ID and h.current.trend == h.trend
    for lid, series in h.trend.dimensions.items():
        for i, rid in enumerate(h.rounds):
            d = h.results[rid].dimensions.get(lid)
            assert series["host"][i] == (d.host if d else None)
            assert series["gap"][i] == (d.gap if d else None)
    before, after = gaps(h.results["baseline"]), gaps(h.results[ROUND_ID])
    closed = {(c.kind, c.dimension, c.side) for c in h.trend.closed}
    opened = {(c.kind, c.dimension, c.side) for c in h.trend.opened}
    assert closed == set(before) - set(after) and opened == set(after) - set(before)
    # the story the demo tells: control's gap closed, operations' opened
    assert ("cross-side-gap", "control", None) in closed
    assert ("cross-side-gap", "operations", None) in opened
    # the baseline reported alone has no trend and no outcomes
    b = round_history(demo_store, bank, "demo", "baseline")
    assert b.trend is None and b.current.trend is None
    assert all(p.outcome is None for p in b.plan)
    assert all(p.action.round == "baseline" for p in b.plan)


def test_only_the_round_asked_about_carries_its_robustness(demo_store: Store) -> None:
    bank = load_bank()
    stamps = demo_store.round_stamps("demo")
    latest = round_history(demo_store, bank, "demo", stamps=stamps)
    assert latest.current.robustness is not None
    assert latest.results["baseline"].robustness is None    # read for the trend only
    same = round_score(demo_store, bank, "demo", "baseline")
    assert (same.verdict, same.dimensions) == (latest.results["baseline"].verdict,
                                               latest.results["baseline"].dimensions)
    # asked about next (the baseline's report), from the same process: checked after all
    base = round_history(demo_store, bank, "demo", "baseline", stamps=stamps)
    assert base.current.robustness is not None
    assert base.current.robustness == same.robustness


def test_action_plan_outcomes_match_the_gaps(demo_store: Store) -> None:
    h = round_history(demo_store, load_bank(), "demo")
    today = datetime.now(UTC).date()
    by_id = {p.action.id: p for p in h.plan}
    assert {p.action.status for p in h.plan} == {"open", "done", "dropped"}
    for p in h.plan:
        assert p.overdue == (p.action.status == "open" and p.action.due < today)
        if p.action.round == ROUND_ID:
            assert p.outcome is None           # nothing later to compare with yet
            continue
        hit_before = [k for k in gaps(h.results["baseline"]) if k[1] == p.action.list_id
                      and (p.action.flag is None or k[0] == p.action.flag)]
        hit_after = [k for k in gaps(h.results[ROUND_ID]) if k[1] == p.action.list_id
                     and (p.action.flag is None or k[0] == p.action.flag)]
        expected = ("closed" if hit_before and not hit_after else "open" if hit_before
                    else "new" if hit_after else "none")
        assert p.outcome == expected, p.action.text
    assert sum(p.overdue for p in h.plan) == 1
    assert by_id[1].outcome == "closed"


def test_plan_of_an_action_without_a_list_cannot_be_compared(demo_store: Store) -> None:
    bank = load_bank()
    h = round_history(demo_store, bank, "demo")
    from workbook_helpers.store.records import Action

    free = Action("demo", 99, "Say thank you", "Ann", date.today() + timedelta(days=1), "open",
                  "baseline")
    (p,) = action_plan([free], h.results, h.rounds, date.today())
    assert p.outcome == "unknown" and p.outcome_text and not p.overdue
