"""Decision model v2: the seeds' own cases, and properties over the space between extremes.

The cases (`workbook_helpers.demo.cases`) are written from the seeds' examples; each asserts the
form, the verdict and the first next step a practitioner would give. The properties draw
random, coherent answer sets (two teams with random per-list leanings and a random picture of
the deal) and random noise, then change one answer by one point.
"""

from __future__ import annotations

import itertools
import statistics
import zlib

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbook_helpers.bank import load_bank
from workbook_helpers.demo.cases import CASES, case, case_answers
from workbook_helpers.scoring import score_engagement, score_portfolio
from workbook_helpers.scoring.model import AnswerChange
from workbook_helpers.scoring.tables import _group_stats

RANK = {"fit": 0, "conditional": 1, "no-fit": 2}
# loaded here, not as a fixture, so that hypothesis does not print the whole bank on a failure
BANK = load_bank()
ALLIANCE = ("strategic-alliance", "joint-venture")


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_seed_case_gives_the_practitioners_answer(bank, c):
    r = score_engagement(case_answers(c, bank), bank, c.id)
    assert r.relationship_type == c.expect_form, r.form.evidence
    assert r.verdict == c.expect_verdict, r.reasons
    assert r.next_steps and c.expect_first_step in r.next_steps[0].lower(), r.next_steps[:3]
    assert r.form.runner_up is not None and r.form.runner_up != r.relationship_type
    assert 0.5 <= r.form.confidence <= 1
    # the reasons name the evidence: a list score or a structure answer
    assert any(("typical of" in e) for e in r.form.evidence), r.form.evidence


def test_co_development_is_an_alliance_not_a_joint_venture_and_not_a_mismatch(bank):
    for cid in ("pharma-codevelopment", "pharma-minority-stake"):
        r = score_engagement(case_answers(case(cid), bank), bank, cid)
        assert r.relationship_type == "strategic-alliance"
        assert r.side_types == {"host": "strategic-alliance", "partner": "strategic-alliance"}
        assert not any(f.kind == "type-mismatch" for f in r.flags)


def test_a_sound_licence_gets_licence_steps_and_no_alliance_steps(bank):
    r = score_engagement(case_answers(case("technology-licence"), bank), bank, "technology-licence")
    assert r.verdict == "no-fit" and r.verdict_cause == "form"
    assert r.form.pursue is not None and r.form.pursue.form == "licensing"
    text = " ".join(r.next_steps).lower()
    for word in ("scope", "exclusiv", "royalt", "intellectual property", "audit"):
        assert word in text, word
    for word in ("steering committee", "alliance manager", "sponsor"):
        assert word not in text, word
    assert not {f.kind for f in r.flags} & {"readiness", "hobby", "share-nothing", "low-score"}
    assert "recommendation" in " ".join(r.reasons).lower()


def test_shared_neglect_is_not_a_fit(bank):
    r = score_engagement(case_answers(case("side-job"), bank), bank, "side-job")
    assert r.verdict == "conditional"
    unmet = {(c.id, c.side) for c in r.readiness if c.met is False}
    assert {("alliance-manager", "host"), ("alliance-manager", "partner"),
            ("executive-sponsor", "host"), ("committed-budget", "partner")} <= unmet
    assert "plan the launch" not in " ".join(r.next_steps).lower()


def test_hobby_check_flags_a_top_priority_without_people_or_budget(bank):
    c = case("side-job")
    answers = case_answers(c, bank)
    top = answers["question_id"].map(lambda q: bank.question_map[q].list) == "priority"
    answers.loc[top & answers["side"].eq("host"), "value"] = [
        bank.question_map[q].scale.min if bank.question_map[q].reverse else
        bank.question_map[q].scale.max
        for q in answers.loc[top & answers["side"].eq("host"), "question_id"]]
    r = score_engagement(answers, bank, c.id)
    hobby = {f.side for f in r.flags if f.kind == "hobby"}
    assert "host" in hobby
    assert r.verdict != "fit"


def test_priority_gap_alone_is_a_reason_to_talk_not_to_stop(bank):
    c = case("marketing-low-priority")
    r = score_engagement(case_answers(c, bank), bank, c.id)
    assert r.dimensions["priority"].gap >= bank.thresholds.no_fit_gap
    assert r.verdict == "conditional"
    assert any(f.kind == "cross-side-gap" and f.dimension == "priority" for f in r.flags)


def test_unknown_structure_lets_the_profile_decide_with_lower_confidence(bank):
    c = case("pharma-codevelopment")
    known = case_answers(c, bank)
    structure = known["question_id"].isin([q.id for q in bank.structure_questions])
    unknown = known.copy()
    unknown.loc[structure, "value"] = pd.NA
    unknown.loc[structure, "dont_know"] = True
    a = score_engagement(known, bank, c.id)
    b = score_engagement(unknown, bank, c.id)
    assert b.relationship_type == "strategic-alliance"
    assert b.form.confidence < a.form.confidence
    assert b.form.structure_coverage == 0 and a.form.structure_coverage == 1
    assert b.form.to_ask and "structure" in b.form.to_ask[0]
    assert any("structure" in e for e in b.form.evidence)
    # a fit waits for the structure of the deal: the profile alone cannot make it firm
    assert a.verdict == "fit" and b.verdict == "conditional"
    assert any(s.startswith("Ask both teams about the structure") for s in b.next_steps[:3])


def test_joint_venture_needs_evidence_of_shared_ownership(bank):
    c = case("joint-venture")
    answers = case_answers(c, bank)
    assert score_engagement(answers, bank, c.id).relationship_type == "joint-venture"
    no_equity = answers.copy()
    no_equity.loc[no_equity["question_id"] == "st-equity", "value"] = 1
    r = score_engagement(no_equity, bank, c.id)
    assert r.relationship_type == "strategic-alliance"
    assert any("ruled out" in e for e in r.form.evidence)


@pytest.mark.parametrize(("role", "level"), [
    ("CEO", 5), ("Executive Vice President", 4), ("Vice President Sales", 3), ("President", 5),
    ("Product owner", 2), ("VP Alliances (alliance manager)", 3), ("BU lead, logistics", 3),
    ("Head of Partnerships", 3), ("CTO", 4), ("Analyst", 1), ("Gardener", None)])
def test_seniority_is_read_from_roles(bank, role, level):
    from workbook_helpers.scoring.readiness import role_level

    assert role_level(bank, role) == level


def test_divergence_does_not_grow_with_team_size():
    # the mean difference between two people is an average over pairs: over all sub-teams of
    # a given size it averages to the same value whatever the size (max - min grows)
    import numpy as np

    team = [12.0, 40.0, 55.0, 61.0, 88.0, 95.0]
    full_team = _group_stats(np.zeros(6, dtype=np.int64), np.array(team), 1)[2][0]
    ranges = []
    for k in range(2, 7):
        subs = list(itertools.combinations(team, k))
        gmd = statistics.fmean(
            _group_stats(np.zeros(k, dtype=np.int64), np.array(s), 1)[2][0] for s in subs)
        assert gmd == pytest.approx(full_team)
        ranges.append(statistics.fmean(max(s) - min(s) for s in subs))
    assert ranges == sorted(ranges) and ranges[-1] > ranges[0]


# ---- properties over random answer sets ------------------------------------------------------
def _frame(bank, values, n_per_side):
    people = [(f"h{i}", "host", "CEO" if i == 0 else "VP") for i in range(n_per_side)] + \
        [(f"p{i}", "partner", "COO" if i == 0 else "BU lead") for i in range(n_per_side)]
    rows = [{"engagement": "e", "respondent": pid, "side": side, "role": role, "name": pid,
             "question_id": q.id, "value": values[k][j], "dont_know": False, "comment": ""}
            for k, (pid, side, role) in enumerate(people)
            for j, q in enumerate(bank.questions)]
    f = pd.DataFrame(rows)
    f["value"] = f["value"].astype("Int64")
    return f


ANY_DEAL = st.integers(1, 5)


def _scored(frame):
    """The result of engagement "e" without its robustness check: the properties below are
    about the verdict, the form and the scores, which the check never changes (it is a third
    of a score's work; the tests named test_robustness_* check it against rescoring)."""
    return score_portfolio(frame, BANK)["e"]


@st.composite
def answer_sets(draw, deals=ANY_DEAL):
    """A full answer set: coherent teams (random leanings per list, each side's answers to the
    form questions around a value drawn from `deals`) or plain noise."""
    bank = BANK
    n = draw(st.sampled_from([2, 3]))
    noise = draw(st.booleans())
    values = []
    lean = {s: {lid: draw(st.floats(1, 5)) for lid in bank.list_ids()} for s in "hp"}
    deal = {s: draw(deals) for s in "hp"}
    for k in range(2 * n):
        side = "h" if k < n else "p"
        row = []
        for q in bank.questions:
            if noise:
                row.append(draw(st.integers(q.scale.min, q.scale.max)))
            elif q.scored:
                fav = lean[side][q.list] + draw(st.sampled_from([-1, 0, 0, 0, 1]))
                raw = min(max(round(fav), 1), 5)
                row.append(6 - raw if q.reverse else raw)
            else:
                row.append(min(max(deal[side] + draw(st.sampled_from([-1, 0, 0, 1])), 1), 5))
        values.append(row)
    return n, values


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_point_moves_the_verdict_at_most_one_step(data):
    bank = BANK
    n, values = data.draw(answer_sets())
    k = data.draw(st.integers(0, len(values) - 1))
    j = data.draw(st.integers(0, len(bank.questions) - 1))
    q = bank.questions[j]
    new = values[k][j] + data.draw(st.sampled_from([-1, 1]))
    assume(q.scale.min <= new <= q.scale.max)
    changed = [list(r) for r in values]
    changed[k][j] = new
    before = score_engagement(_frame(bank, values, n), bank, "e")
    after = _scored(_frame(bank, changed, n))
    assert before.verdict in RANK and after.verdict in RANK
    assert abs(RANK[before.verdict] - RANK[after.verdict]) <= 1, (q.id, before.reasons,
                                                                  after.reasons)
    assert not (before.relationship_type in ALLIANCE and after.relationship_type == "other")
    # the robustness check saw this change coming
    assert before.robustness is not None
    if after.verdict != before.verdict:
        assert not before.robustness.verdict_stable
    if after.relationship_type != before.relationship_type:
        assert not before.robustness.form_stable


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_full_answers_always_point_to_a_form_and_explain_it(data):
    bank = BANK
    n, values = data.draw(answer_sets())
    r = _scored(_frame(bank, values, n))
    assert r.relationship_type != "other"
    assert r.form.runner_up is not None
    assert 0 < r.form.confidence <= 1
    assert abs(sum(r.form.probabilities.values()) - 1) < 0.01
    assert r.reasons and r.next_steps
    # fit only for an alliance form with every readiness condition met
    if r.verdict == "fit":
        assert r.relationship_type in ALLIANCE
        assert all(c.met is True for c in r.readiness)
    # a joint venture only with some answer pointing to shared ownership
    if r.relationship_type == "joint-venture":
        equity = [v[[q.id for q in bank.questions].index("st-equity")] for v in values]
        assert max(equity) >= 4


@pytest.mark.slow
# few answer sets end in a no-fit for the form: the filter is meant (nothing found fails
# anyway). Half the sets lean to low answers on the form questions, where most such no-fits
# are (about 2 in 3 against 1 in 4 for the others): fewer sets scored only to be thrown away
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_alliance_steps_only_for_alliance_forms(data):
    bank = BANK
    n, values = data.draw(st.one_of(answer_sets(), answer_sets(deals=st.integers(1, 2))))
    r = _scored(_frame(bank, values, n))
    assume(r.verdict_cause == "form" and r.verdict == "no-fit")
    text = " ".join(r.next_steps).lower()
    assert "steering committee" not in text and "alliance manager" not in text
    assert r.form.pursue is not None and r.form.pursue.form == r.relationship_type


# ---- robustness ------------------------------------------------------------------------------
def test_robustness_names_a_change_that_really_flips_the_verdict(bank):
    c = case("pharma-codevelopment")
    answers = case_answers(c, bank)
    r = score_engagement(answers, bank, c.id)
    rob = r.robustness
    assert rob is not None and rob.base_verdict == r.verdict == "fit"
    assert not rob.verdict_stable and rob.verdict_flips > 0 and rob.closest_flip
    ch = rob.closest_change
    assert isinstance(ch, AnswerChange) and rob.rests_on_one_answer
    row = (answers["respondent"] == ch.respondent) & (answers["question_id"] == ch.question_id)
    assert int(answers.loc[row, "value"].iloc[0]) == ch.old
    answers.loc[row, "value"] = ch.new
    again = score_engagement(answers, bank, c.id)
    assert again.verdict == ch.verdict != r.verdict
    assert again.relationship_type == ch.form
    assert str(ch.new) in rob.closest_flip and "verdict" in rob.closest_flip
    doc = r.to_dict()["robustness"]
    assert doc["verdict_stable"] is False
    assert doc["closest_change"] == {"respondent": ch.respondent, "question_id": ch.question_id,
                                     "from": ch.old, "to": ch.new, "verdict": ch.verdict,
                                     "form": ch.form}


def test_a_clear_recommendation_is_stable(bank):
    c = case("technology-licence")
    rob = score_engagement(case_answers(c, bank), bank, c.id).robustness
    assert rob is not None and rob.verdict_stable and rob.form_stable
    assert rob.closest_flip is None and rob.answer_changes > 100 and rob.weight_changes > 0


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_robustness_agrees_with_rescoring(data):
    bank = BANK
    n, values = data.draw(answer_sets())
    r = score_engagement(_frame(bank, values, n), bank, "e")
    rob = r.robustness
    assert rob is not None and rob.base_verdict == r.verdict
    ch = rob.closest_change
    assume(isinstance(ch, AnswerChange))
    assert isinstance(ch, AnswerChange)
    k = [f"h{i}" for i in range(n)] + [f"p{i}" for i in range(n)]
    j = [q.id for q in bank.questions].index(ch.question_id)
    changed = [list(v) for v in values]
    assert changed[k.index(ch.respondent)][j] == ch.old
    changed[k.index(ch.respondent)][j] = ch.new
    again = _scored(_frame(bank, changed, n))
    assert (again.verdict, again.relationship_type) == (ch.verdict, ch.form)
    assert (again.verdict, again.relationship_type) != (r.verdict, r.relationship_type)


# ---- expectations ----------------------------------------------------------------------------
def _with_expectations(bank, answers, guess):
    """Add an expectation row (about = other-side) for every expectation question answered."""
    own = answers[answers["question_id"].isin([q.id for q in bank.expectation_questions])]
    rows = own.assign(about="other-side",
                      value=[guess(r, bank.question_map[r.question_id])
                             for r in own.itertuples()])
    return pd.concat([answers.assign(about="self"), rows], ignore_index=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_expectations_never_change_the_scores(data):
    bank = BANK
    n, values = data.draw(answer_sets())
    frame = _frame(bank, values, n)
    seed = data.draw(st.integers(0, 10_000))
    plus = _with_expectations(bank, frame, lambda r, q: q.scale.min + (seed + zlib.crc32(
        (r.respondent + r.question_id).encode())) % (q.scale.max - q.scale.min + 1))
    a, b = _scored(frame), _scored(plus)
    assert b.expectations and not a.expectations
    assert (a.dimensions, a.verdict, a.relationship_type, a.completeness, a.readiness) == \
        (b.dimensions, b.verdict, b.relationship_type, b.completeness, b.readiness)
    assert [f for f in a.flags] == [f for f in b.flags if f.kind != "expectation-gap"]


def test_expectation_gap_names_the_side_whose_picture_missed(bank):
    c = case("marketing-low-priority")
    answers = case_answers(c, bank)

    def guess(r, q):  # everybody expects the other side to answer like a keen partner
        return q.scale.min if q.reverse else q.scale.max
    r = score_engagement(_with_expectations(bank, answers, guess), bank, c.id)
    gap = r.expectations["priority"]
    assert gap.host_expects == 100 and gap.partner_actual is not None
    assert gap.host_miss == round(100 - gap.partner_actual, 1) > gap.partner_miss
    assert gap.direction("host") == "blind-spot"
    flags = [f for f in r.flags if f.kind == "expectation-gap" and f.dimension == "priority"]
    assert flags and flags[0].side == "host" and "blind spot" in flags[0].detail
    doc = r.to_dict()
    assert doc["expectations"]["priority"]["host_direction"] == "blind-spot"
    assert {"host_expects", "partner_actual", "host_miss", "partner_expects", "host_actual",
            "partner_miss"} <= set(doc["expectations"]["priority"])


def test_demo_carries_a_blind_spot_on_each_side(bank):
    from workbook_helpers.demo.baseline import demo_answers

    d = demo_answers(bank).sort_values("answered_at").drop_duplicates(
        ["respondent", "question_id", "about"], keep="last")
    r = score_engagement(d, bank, "demo")
    blind = {f.side for f in r.flags if f.kind == "expectation-gap" and "blind spot" in f.detail}
    assert blind == {"host", "partner"}
