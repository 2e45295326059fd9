"""The shipped bank is complete and anchored; a broken bank is refused with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINI_BANK, run_cli, yaml_dump, yaml_load
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
        assert all(len(a.split()) >= 4 for a in q.scale.anchors.values()) or not q.scored, q.id
        assert q.source in bank.sources, q.id
        # a seed is cited only where it says so; the rest is the project's own framing
        assert bank.sources[q.source].seed or q.source == "project", q.id


def test_bank_has_reversed_questions_thresholds_and_provisional_notes(bank):
    assert any(q.reverse for q in bank.questions)
    assert 0 < bank.thresholds.completeness_min <= 1
    assert "provisional" in bank.thresholds.provisional.lower()
    assert "provisional" in bank.forms.provisional.lower()
    assert bank.readiness.provisional
    assert bank.version.split(".")[0] == "3"


def test_weights_other_than_one_are_explained(bank):
    for q in bank.scored_questions:
        assert q.weight == 1 or q.weight_note, q.id


def test_structure_questions_are_evidence_not_scores(bank):
    structure = {q.id for q in bank.structure_questions}
    assert {"st-equity", "st-exclusivity", "st-exchange", "st-duration", "st-returns",
            "st-form-belief"} <= structure
    records = {r["id"]: r for r in bank.to_records()}
    assert all(records[qid]["scored"] is False for qid in structure)
    assert all(r["scored"] is True for qid, r in records.items() if qid not in structure)
    # every form is described over the structure questions, and a joint venture needs
    # evidence of shared ownership
    for prof in bank.forms.profiles:
        assert set(prof.structure) <= structure, prof.id
    assert bank.forms.profile("joint-venture").requires == ["st-equity"]


def test_seed_sentences_are_not_pasted_into_the_bank(bank):
    import re

    from tests.conftest import SEEDS

    def words(text):
        return re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split()

    if not SEEDS.is_dir():
        pytest.skip(f"the seeds are not beside this checkout ({SEEDS})")
    seed_runs = set()
    for seed in SEEDS.glob("*.txt"):
        w = words(seed.read_text(encoding="utf-8"))
        seed_runs |= {" ".join(w[i:i + 8]) for i in range(len(w) - 7)}
    for q in bank.questions:
        for text in (q.text, q.help or "", *q.scale.anchors.values()):
            w = words(text)
            runs = {" ".join(w[i:i + 8]) for i in range(len(w) - 7)}
            assert not runs & seed_runs, (q.id, runs & seed_runs)


def test_bank_covers_the_required_topics(bank):
    text = " ".join((q.text + " " + (q.help or "") + " " + " ".join(q.scale.anchors.values()))
                    .lower() for q in bank.questions)
    for word in ("sign-off", "decision", "revenue", "intellectual property", "reputation",
                 "exit", "urgent", "budget", "alliance manager", "sponsor", "systems",
                 "tactical", "vision", "milestone"):
        assert word in text, word


def _mutate(tmp_path: Path, change) -> Path:
    data = yaml_load(MINI_BANK.read_text())
    change(data)
    p = tmp_path / "bank.yaml"
    p.write_text(yaml_dump(data, sort_keys=False))
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
    (lambda d: d["forms"]["profiles"][0]["lists"].update(culture=50),
     "names 'culture', which is not a scored list"),
    (lambda d: d["forms"]["profiles"][0].update(structure={"cont-a": 3}),
     "structure question 'cont-a' is not an unscored question"),
    (lambda d: d["readiness"]["items"][0].update(question="nope"),
     "reads question 'nope', which does not exist"),
    (lambda d: _q(d, "cont-a").update(scored=False, reverse=True),
     "an unscored (evidence) question cannot be reversed"),
    (lambda d: d["forms"]["profiles"].append(
        {"id": "joint-venture", "summary": "JV", "lists": {"control": 80}}),
     "must require evidence of shared ownership"),
    (lambda d: d.update(relationship_types=d.pop("forms")), "version-1 'relationship_types'"),
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


def test_a_bank_can_inherit_the_form_model_and_readiness(tmp_path):
    data = yaml_load(MINI_BANK.read_text())
    own = {k: data[k] for k in ("bank", "lists", "questions")}
    own["bank"] = {**own["bank"], "id": "mini-health", "version": "0.2"}
    own["sources"] = {"extra": {"title": "Own source"}}
    own["inherit"] = str(MINI_BANK)
    path = tmp_path / "child.yaml"
    path.write_text(yaml_dump(own, sort_keys=False))
    child = load_bank(path)
    parent = load_bank(MINI_BANK)
    assert child.bank.id == "mini-health"
    assert child.forms == parent.forms and child.readiness == parent.readiness
    assert {"extra", "mini"} <= set(child.sources)
    own["inherit"] = "child.yaml"
    path.write_text(yaml_dump(own, sort_keys=False))
    with pytest.raises(BankError, match="inherits from itself"):
        load_bank(path)


def test_health_check_bank_loads_and_shares_the_lists(bank):
    from workbook_helpers.config import default_bank_path

    hc = load_bank(default_bank_path().with_name("health_check_bank.yaml"))
    assert hc.bank.id == "alliance-health-check"
    assert set(bank.dimension_ids()) <= set(hc.dimension_ids())
    assert {"operations", "value"} <= set(hc.dimension_ids())
    assert hc.forms == bank.forms and hc.readiness == bank.readiness
    for lid in hc.dimension_ids():
        assert sum(q.scored for q in hc.questions_in(lid)) >= 4, lid
    for q in hc.questions:
        assert q.source in hc.sources, q.id
    assert hc.expectation_questions
