"""The shipped bank is complete and anchored; a broken bank is refused with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import MINI_BANK, run_cli
from workbook_helpers.bank import REQUIRED_LISTS, load_bank
from workbook_helpers.exceptions import BankError


def test_shipped_bank_lists_and_counts(bank):
    counts = {lid: len(bank.questions_in(lid)) for lid in bank.list_ids()}
    for lid in REQUIRED_LISTS:
        assert counts[lid] >= 6, counts
    assert counts["strategic_fit"] >= 4 and counts["mutuality"] >= 4, counts


def test_every_point_is_anchored_and_sourced(bank):
    for q in bank.questions:
        assert sorted(q.scale.anchors) == q.scale.points, q.id
        assert all(len(a.split()) >= 4 for a in q.scale.anchors.values()), q.id
        assert q.source in bank.sources, q.id
        assert bank.sources[q.source].seed, q.id


def test_bank_has_reversed_questions_and_thresholds(bank):
    assert any(q.reverse for q in bank.questions)
    assert 0 < bank.thresholds.completeness_min <= 1
    assert bank.relationship_types.rules[-1].when == {}


def test_bank_covers_the_required_topics(bank):
    text = " ".join((q.text + " " + (q.help or "") + " " + " ".join(q.scale.anchors.values()))
                    .lower() for q in bank.questions)
    for word in ("sign-off", "decision", "revenue", "intellectual property", "reputation",
                 "exit", "urgent", "budget", "alliance manager", "sponsor", "systems",
                 "tactical", "vision", "milestone"):
        assert word in text, word


def _mutate(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(MINI_BANK.read_text())
    change(data)
    p = tmp_path / "bank.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def _q(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


@pytest.mark.parametrize(("change", "needle"), [
    (lambda d: d["questions"].append(dict(_q(d, "cont-a"))), "'cont-a': the id is used more"),
    (lambda d: _q(d, "cont-a")["scale"]["anchors"].pop(3), "no anchor for scale point(s) [3]"),
    (lambda d: _q(d, "cont-a").update(list="governance"), "unknown list 'governance'"),
    (lambda d: _q(d, "cont-a").update(weight=0), "weight must be greater than 0"),
    (lambda d: _q(d, "cont-a").update(colour="red"), "question 'cont-a', field 'colour'"),
    (lambda d: _q(d, "cont-a").update(reverse="yes"), "reverse must be true or false"),
])
def test_each_bank_problem_is_named(tmp_path, change, needle):
    path = _mutate(tmp_path, change)
    with pytest.raises(BankError) as info:
        load_bank(path)
    msg = str(info.value)
    assert needle in msg
    assert str(path) in msg


def test_several_problems_are_all_reported(tmp_path):
    def change(d):
        _q(d, "cont-a")["weight"] = -1
        _q(d, "risk-b")["scale"]["anchors"].pop(1)
    with pytest.raises(BankError) as info:
        load_bank(_mutate(tmp_path, change))
    assert len(info.value.problems) == 2
    assert "cont-a" in str(info.value) and "risk-b" in str(info.value)


def test_cli_uses_a_custom_bank_and_reports_bad_one(tmp_path):
    ok = run_cli("--bank", str(MINI_BANK), "questions", "--format", "json")
    assert ok.code == 0
    assert "cont-a" in ok.out
    bad = _mutate(tmp_path, lambda d: _q(d, "cont-a").update(weight=0))
    res = run_cli("--bank", str(bad), "questions")
    assert res.code == 2
    assert "cont-a" in res.err and "Traceback" not in res.err
