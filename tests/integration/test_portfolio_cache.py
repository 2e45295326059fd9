"""The portfolio keeps each latest round's score in the store and uses it only while the
round's answers, respondents and bank are unchanged."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.cases import CASES, seed_case
from workbook_helpers.scoring.portfolio_table import portfolio_frame
from workbook_helpers.store import Store
from workbook_helpers.store.schema import round_scores


@pytest.fixture
def store(store_url: str) -> Store:
    s = Store.open(store_url)
    bank = load_bank()
    seed_demo(s, bank)
    for case in CASES[:3]:
        seed_case(s, bank, case)
    s.create_engagement("empty", "A", "B")
    return s


def _kept(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(round_scores)).scalar() or 0)


def test_kept_scores_equal_fresh_ones_and_follow_every_change(store: Store) -> None:
    bank = load_bank()
    first = portfolio_frame(store, bank)
    assert _kept(store) == len(first) == len(store.engagements())
    again = portfolio_frame(store, bank)
    pd.testing.assert_frame_equal(first, again)
    fresh = portfolio_frame(store, bank, keep=False)
    pd.testing.assert_frame_equal(first, fresh)
    # a new answer in the latest round changes that engagement's row, and only its row
    case = CASES[0].id
    before = first.set_index("engagement")
    who = store.respondents(case)[0]
    answered = set(store.current_answers(case)["question_id"])
    missing = [q for q in bank.scored_questions if q.id not in answered]
    target = missing[0] if missing else bank.scored_questions[0]
    store.record_answer(case, who.id, target.id, target.scale.min, comment="changed")
    after = portfolio_frame(store, bank).set_index("engagement")
    assert after.loc[case, "last_answer_at"] > before.loc[case, "last_answer_at"]
    others = [e for e in before.index if e != case]
    pd.testing.assert_frame_equal(before.loc[others], after.loc[others])
    # a new round starts empty: that engagement is judged on it at once
    store.add_round("demo", "health-2027-03", bank="health_check_bank", carry=False)
    moved = portfolio_frame(store, bank).set_index("engagement")
    assert moved.loc["demo", "round"] == "health-2027-03"
    assert moved.loc["demo", "verdict"] == "insufficient-data"
    assert moved.loc["demo", "completeness"] == 0.0
    # joining the new round changes the signature too (new respondents, no answers yet)
    sig = store.round_signatures()["demo"][2]
    store.add_respondent("demo", "new-person", "New Person", "host")
    assert store.round_signatures()["demo"][2] != sig


def test_a_kept_score_of_another_bank_is_not_used(store: Store, tmp_path) -> None:
    bank = load_bank()
    first = portfolio_frame(store, bank).set_index("engagement")
    # the same bank asking for more people per side is another bank: rows are scored again
    text = (tmp_path / "bank.yaml")
    from workbook_helpers.config import default_bank_path

    raw = default_bank_path().read_text(encoding="utf-8")
    assert "min_respondents_per_side: 2" in raw
    text.write_text(raw.replace("min_respondents_per_side: 2", "min_respondents_per_side: 9"),
                    encoding="utf-8")
    strict = load_bank(text)
    second = portfolio_frame(store, strict).set_index("engagement")
    fresh = portfolio_frame(store, strict, keep=False).set_index("engagement")
    pd.testing.assert_frame_equal(second, fresh)
    # the baseline-bank engagements now lack people; the demo's round has its own bank
    judged = [e for e in first.index if store.round(e).bank == ""]
    assert set(second.loc[judged, "verdict"]) == {"insufficient-data"}
    assert (first.loc[judged, "verdict"] != "insufficient-data").any()
