"""One current-answer rule everywhere: the latest `answered_at` instant wins (any UTC offset;
no offset means UTC); at the same instant the later row (or insert) wins; per respondent,
question and `about`. The CSV scored straight from the file, the store, the export and the
demo all agree."""

from __future__ import annotations

import json

import pandas as pd

from tests.conftest import run_cli, write_csv
from workbook_helpers.domain import answer_instants, current_answers

HEADER = "engagement,respondent,side,role,question_id,value,comment,answered_at,about\n"


def _frame(rows: list[tuple[str, str, int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"engagement": "e", "respondent": r, "question_id": q, "value": v,
                          "answered_at": t, "about": a, "row": i + 2}
                         for i, (r, q, v, t, a) in enumerate(rows)])


def test_mixed_offsets_are_compared_as_instants():
    # 10:00+02:00 is 08:00 UTC: earlier than 09:00Z although it sorts later as text
    f = _frame([("ann", "q", 1, "2026-11-23T09:00:00Z", "self"),
                ("ann", "q", 2, "2026-11-23T10:00:00+02:00", "self")])
    assert current_answers(f, order="row")["value"].tolist() == [1]


def test_missing_offset_means_utc():
    f = _frame([("ann", "q", 1, "2026-11-23T08:30:00", "self"),       # 08:30 UTC
                ("ann", "q", 2, "2026-11-23T09:00:00+01:00", "self"),  # 08:00 UTC
                ("bob", "q", 3, "2026-11-23 07:00:00-01:00", "self"),  # 08:00 UTC
                ("bob", "q", 4, "2026-11-23T07:59:59", "self")])       # 07:59:59 UTC
    cur = current_answers(f, order="row").set_index("respondent")["value"]
    assert cur.to_dict() == {"ann": 1, "bob": 3}
    inst = answer_instants(pd.Series(["2026-11-23T08:30:00", "2026-11-23T09:30:00+01:00"]))
    assert inst.iloc[0] == inst.iloc[1]


def test_equal_instants_later_row_wins_and_about_is_part_of_the_key():
    f = _frame([("ann", "q", 1, "2026-11-23T09:00:00Z", "self"),
                ("ann", "q", 5, "2026-11-23T09:00:00Z", "other-side"),
                ("ann", "q", 2, "2026-11-23T10:00:00+01:00", "self"),  # same instant, later
                ("ann", "q", 4, "", "other-side")])                   # no time: "now"
    cur = current_answers(f, order="row").set_index("about")["value"].to_dict()
    assert cur == {"self": 2, "other-side": 4}
    # the order column decides, not the frame's order
    shuffled = f.iloc[::-1].reset_index(drop=True)
    assert current_answers(shuffled, order="row").set_index("about")["value"].to_dict() == cur


def _history_csv(tmp_path):
    # ann changes her answer: the change (08:05 UTC) is written as 09:05+01:00, the first
    # answer (08:00 UTC) as 08:00Z; as text '2026-11-23T09:05...' > '...T08:00' by luck, so
    # add a case where text order and instant order disagree: bob's 07:30-02:00 is 09:30 UTC
    rows = ["demo,ann,host,CEO,ctl-governance,1,,2026-11-23T08:00:00Z,",
            "demo,ann,host,CEO,ctl-governance,5,,2026-11-23T09:05:00+01:00,",
            "demo,bob,partner,COO,ctl-governance,5,,2026-11-23T09:00:00Z,",
            "demo,bob,partner,COO,ctl-governance,1,,2026-11-23T07:30:00-02:00,",
            "demo,bob,partner,COO,ctl-decision-rights,2,,2026-11-23T09:00:00,",
            "demo,bob,partner,COO,ctl-decision-rights,4,,2026-11-23T10:00:00+01:00,"]
    return write_csv(tmp_path / "history.csv", rows, header=HEADER)


def test_csv_scored_from_the_file_equals_the_store(data_dir, tmp_path):
    csv = _history_csv(tmp_path)
    from_file = json.loads(run_cli("score", str(csv), "--format", "json").out)
    assert run_cli("import", str(csv)).code == 0
    from_store = json.loads(run_cli("score", "demo", "--format", "json").out)
    assert from_file["dimensions"] == from_store["dimensions"]
    exported = run_cli("export", "demo").out
    got = {(r.split(",")[1], r.split(",")[4]): r.split(",")[5]
           for r in exported.strip().splitlines()[1:]}
    assert got == {("ann", "ctl-governance"): "5", ("bob", "ctl-governance"): "1",
                   ("bob", "ctl-decision-rights"): "4"}


def test_store_keeps_the_rule_across_imports_restores_and_app_saves(store, tmp_path):
    store.create_engagement("acme", "A", "B")
    store.add_respondent("acme", "ann", "Ann", "host")
    frame = pd.DataFrame([{"engagement": "acme", "respondent": "ann", "side": "host",
                           "role": "", "name": "", "question_id": "ctl-governance",
                           "value": 4, "dont_know": False, "comment": "",
                           "answered_at": "2026-11-23T10:00:00+02:00", "about": "self",
                           "row": 2}])
    store.import_answers(frame)
    # an older answer imported later does not become current
    older = frame.assign(value=2, answered_at="2026-11-23T07:00:00Z")
    store.import_answers(older)
    assert store.current_answers("acme")["value"].tolist() == [4]
    hist = store.history("acme")
    assert str(hist["answered_at"].iloc[0]) == "2026-11-23 08:00:00+00:00"  # kept in UTC
    # an answer saved now in the app is the newest
    store.record_answer("acme", "ann", "ctl-governance", 3)
    assert store.current_answers("acme")["value"].tolist() == [3]
    # a restored export with offsets keeps the same current answer
    from workbook_helpers.answers.archive import engagement_to_json

    doc = engagement_to_json(store, "acme")
    for a in doc["answers"]:
        a["answered_at"] = pd.Timestamp(a["answered_at"]).tz_convert("Asia/Tokyo").isoformat()
    store.restore_engagement(doc, new_id="acme-copy")
    assert store.current_answers("acme-copy")["value"].tolist() == [3]
    assert (store.history("acme-copy")["answered_at"].tolist()
            == store.history("acme")["answered_at"].tolist())
