"""Rounds and actions in the store, on SQLite and PostgreSQL: the upgrade that makes every
engagement its baseline, links per round, answers per round, actions with history, and the
JSON export carrying all of it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import run_cli
from workbook_helpers.exceptions import ConflictError, NotFoundError
from workbook_helpers.store import ALL_ROUNDS, Store, migrate


def _old_store(url: str) -> datetime:
    """A store at revision 0003 (before rounds) holding one engagement with answers."""
    engine = create_engine(url)
    migrate.upgrade(engine, "0003")
    when = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements (id, title, host_org, partner_org, created_at) "
                       "VALUES ('old','Old','H','P',:t)"), {"t": when})
        for rid, side, token in (("pat", "partner", "tok-pat-0123456789"),
                                 ("hal", "host", "tok-hal-0123456789")):
            c.execute(text("INSERT INTO respondents (engagement_id, id, name, side, role, "
                           "created_at, token) VALUES ('old',:r,:r,:s,'COO',:t,:k)"),
                      {"r": rid, "s": side, "t": when, "k": token})
            for v in (2, 4):
                c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, "
                               "value, dont_know, comment, answered_at) VALUES ('old',:r,"
                               "'pri-rank',:v, false, '', :t)"), {"r": rid, "v": v, "t": when})
    engine.dispose()
    return when


def test_upgrade_makes_every_engagement_its_baseline(store_url):
    when = _old_store(store_url)
    s = Store.open(store_url)
    assert migrate.current_revision(s.engine) == migrate.head_revision()
    (only,) = s.rounds("old")
    assert (only.id, only.position, only.opened_at) == ("baseline", 0, when)
    # the links people already hold keep working, now as baseline links
    who = s.respondent_by_token("tok-pat-0123456789")
    assert who is not None and (who.id, who.round) == ("pat", "baseline")
    hist = s.history("old")
    assert set(hist["round"]) == {"baseline"} and len(hist) == 4
    assert s.current_answers("old")["value"].tolist() == [4, 4]
    s.close()


def test_rounds_links_and_answers_belong_to_a_round(store_url):
    s = Store.open(store_url)
    s.create_engagement("acme", "Acme", "Globex")
    for rid, side in (("ann", "host"), ("bob", "partner"), ("cy", "partner")):
        s.add_respondent("acme", rid, rid.title(), side)
    s.record_answer("acme", "ann", "pri-rank", 2)
    base = {r.id: r.token for r in s.respondents("acme")}
    s.add_round("acme", "health-2027-06", bank="health_check_bank", carry=["ann", "bob"])
    with pytest.raises(ConflictError):
        s.add_round("acme", "health-2027-06")
    later = {r.id: r.token for r in s.respondents("acme")}
    assert set(later) == {"ann", "bob"}              # cy was not carried over
    assert not set(later.values()) & set(base.values())   # new links for the new round
    # a baseline link still answers the baseline; the new link answers the new round
    old_link = s.respondent_by_token(base["ann"])
    new_link = s.respondent_by_token(later["ann"])
    assert old_link is not None and new_link is not None
    assert (old_link.round, new_link.round) == ("baseline", "health-2027-06")
    s.record_answer("acme", "ann", "pri-rank", 5, round_id=new_link.round)
    assert s.current_answers("acme")["value"].tolist() == [5]
    assert s.current_answers("acme", "baseline")["value"].tolist() == [2]
    assert sorted(s.current_answers("acme", ALL_ROUNDS)["round"]) == ["baseline",
                                                                      "health-2027-06"]
    with pytest.raises(NotFoundError):       # cy is not invited to the new round
        s.record_answer("acme", "cy", "pri-rank", 3)
    joined = s.add_respondent("acme", "cy", "Cy", "partner")
    assert joined.round == "health-2027-06" and joined.token not in base.values()
    with pytest.raises(NotFoundError):
        s.current_answers("acme", "no-such-round")
    s.close()


def test_actions_keep_their_history(store_url):
    s = Store.open(store_url)
    s.create_engagement("acme", "Acme", "Globex")
    today = datetime.now(UTC).date()
    a = s.add_action("acme", "Name an alliance manager", "Ann", today - timedelta(days=3),
                     list_id="resourcing")
    b = s.add_action("acme", "Draft the exit terms", "Bob", today + timedelta(days=30))
    assert (a.id, b.id) == (1, 2) and a.status == "open" and a.overdue(today)
    assert not b.overdue(today)
    assert s.action_counts(today) == {"acme": (2, 1)}
    done = s.set_action_status("acme", 1, "done", "Dana starts Monday")
    assert done.status == "done" and not done.overdue(today)
    assert [(h.status, h.note) for h in done.history] == [("open", ""),
                                                          ("done", "Dana starts Monday")]
    assert s.action_counts(today) == {"acme": (1, 0)}
    with pytest.raises(ConflictError):
        s.set_action_status("acme", 2, "finished")
    with pytest.raises(NotFoundError):
        s.set_action_status("acme", 9, "done")
    with pytest.raises(ConflictError):
        s.add_action("acme", "  ", "Ann", today)
    s.delete_engagement("acme")
    assert s.actions() == []
    s.close()


def test_json_export_carries_rounds_and_actions(store_url, tmp_path, monkeypatch):
    assert run_cli("demo").code == 0
    doc = json.loads(run_cli("export", "demo", "--format", "json").out)
    assert doc["format_version"] == 2
    assert [r["id"] for r in doc["rounds"]] == ["baseline", "health-2026-09"]
    assert {a["status"] for a in doc["actions"]} == {"open", "done", "dropped"}
    assert {a["round"] for a in doc["answers"]} == {"baseline", "health-2026-09"}
    (tmp_path / "demo.json").write_text(json.dumps(doc))
    assert run_cli("import", str(tmp_path / "demo.json"), "--as", "copy").code == 0
    copy = json.loads(run_cli("export", "copy", "--format", "json").out)

    def plain(d):
        return ([{k: v for k, v in r.items() if k != "members"} for r in d["rounds"]],
                d["actions"], d["answers"],
                [[m["respondent"] for m in r["members"]] for r in d["rounds"]])
    assert plain(copy) == plain(doc)
    # a version-1 file (before rounds) still imports, as one baseline round
    v1 = {k: v for k, v in doc.items() if k not in ("rounds", "actions")}
    v1["format_version"] = 1
    v1["answers"] = [{k: v for k, v in a.items() if k != "round"} for a in doc["answers"]
                     if a["round"] == "baseline"]
    (tmp_path / "v1.json").write_text(json.dumps(v1))
    assert run_cli("import", str(tmp_path / "v1.json"), "--as", "old").code == 0
    rounds = json.loads(run_cli("round", "list", "old", "--format", "json").out)
    assert [r["round"] for r in rounds] == ["baseline"]
    assert rounds[0]["answers"] == len({(a["respondent"], a["question_id"], a["about"])
                                        for a in v1["answers"]})


def test_answers_csv_names_its_round(store_url, tmp_path):
    assert run_cli("engagement", "create", "acme", "--host-org", "A", "--partner-org",
                   "B").code == 0
    rows = ["engagement,respondent,side,question_id,value,round",
            "acme,ann,host,pri-rank,2,", "acme,ann,host,pri-rank,5,later"]
    (tmp_path / "a.csv").write_text("\n".join(rows) + "\n")
    bad = run_cli("import", str(tmp_path / "a.csv"))
    assert bad.code == 2 and "row 3" in bad.err and "round" in bad.err \
        and "workbook round add acme later" in bad.err
    assert run_cli("round", "add", "acme", "later").code == 0
    assert run_cli("import", str(tmp_path / "a.csv")).code == 0
    s = Store.open(store_url)
    cur = s.current_answers("acme", ALL_ROUNDS).set_index("round")
    # the empty round meant the latest round when the file was imported: 'later'
    assert cur.loc["later", "value"] == 5 and "baseline" not in cur.index
    s.close()


def test_round_and_action_commands(store_url):
    assert run_cli("demo").code == 0
    listed = json.loads(run_cli("round", "list", "demo", "--format", "json").out)
    assert [r["round"] for r in listed] == ["baseline", "health-2026-09"]
    again = run_cli("round", "add", "demo", "health-2026-09")
    assert again.code == 2 and "already has a round" in again.err
    assert run_cli("round", "add", "demo", "Bad Id").code == 2
    assert run_cli("round", "add", "demo", "x", "--bank", "no/such.yaml").code == 2
    baseline = json.loads(run_cli("score", "demo", "--round", "baseline", "--format",
                                  "json").out)
    latest = json.loads(run_cli("score", "demo", "--format", "json").out)
    assert baseline["round"] == "baseline" and "trend" not in baseline
    assert latest["round"] == "health-2026-09"
    assert latest["trend"]["rounds"] == ["baseline", "health-2026-09"]
    ctl = latest["trend"]["dimensions"]["control"]
    assert ctl["gap"] == [baseline["dimensions"]["control"]["gap"],
                          latest["dimensions"]["control"]["gap"]]
    assert run_cli("score", "demo", "--round", "nope").code == 2
    due = (date.today() + timedelta(days=10)).isoformat()
    add = run_cli("action", "add", "demo", "Agree the KPI owners", "--owner", "Tomas Berg",
                  "--due", due, "--list", "value")
    assert add.code == 0, add.err
    assert run_cli("action", "add", "demo", "x", "--owner", "o", "--due", "31/12").code == 2
    assert run_cli("action", "add", "demo", "x", "--owner", "o", "--due", due,
                   "--list", "nope").code == 2
    acts = json.loads(run_cli("action", "list", "demo", "--format", "json").out)
    new = acts[-1]
    assert (new["text"], new["list"], new["status"], new["round"]) == (
        "Agree the KPI owners", "value", "open", "health-2026-09")
    assert run_cli("action", "done", "demo", str(new["id"])).code == 0
    assert run_cli("action", "done", "demo", "999").code == 2
    acts = json.loads(run_cli("action", "list", "demo", "--format", "json").out)
    assert [h["status"] for h in acts[-1]["history"]] == ["open", "done"]
    overdue = [a for a in acts if a["overdue"]]
    assert overdue and all(a["status"] == "open" and a["due"] < date.today().isoformat()
                           for a in overdue)


def _comment_of(csv_text: str, respondent: str, question: str) -> tuple[int, list[str]]:
    """The line number and cells of a respondent's answer in an exported CSV."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))
    header = rows[0]
    for i, row in enumerate(rows):
        cells = dict(zip(header, row, strict=True))
        if cells.get("respondent") == respondent and cells.get("question_id") == question:
            return i, row
    raise AssertionError(f"{respondent}/{question} not in the export")


def _export_edit_import(tmp_path, rnd: str | None, comment: str) -> tuple[str, str, str]:
    """Export a round (or the latest), change one comment, import the file back; return the
    header, the respondent and the question changed."""
    import csv
    import io

    args = ["export", "demo"] + (["--round", rnd] if rnd else [])
    res = run_cli(*args)
    assert res.code == 0, res.err
    rows = list(csv.reader(io.StringIO(res.out)))
    header = rows[0]
    col = header.index("comment")
    first = dict(zip(header, rows[1], strict=True))
    rows[1][col] = comment
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / f"edited-{rnd or 'latest'}.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    done = run_cli("import", str(path))
    assert done.code == 0, done.err
    return ",".join(header), first["respondent"], first["question_id"]


@pytest.mark.parametrize("same_bank", [False, True])
def test_a_round_export_imports_back_into_that_round(data_dir, tmp_path, same_bank):
    """Issue 19: `export --round baseline` names its round, and importing the file back
    (after correcting a comment) changes the baseline, never the latest round, whether the
    latest round asks the same questions or the health-check ones."""
    assert run_cli("demo").code == 0
    if same_bank:    # a later round on the engagement's own bank: the ids all match
        assert run_cli("round", "add", "demo", "repeat-2027").code == 0
        assert run_cli("respondent", "add", "demo", "new-exec", "--name", "New Exec",
                       "--side", "host").code == 0
    latest = "repeat-2027" if same_bank else "health-2026-09"
    s = Store.open()
    latest_before = s.current_answers("demo", latest).drop(columns=["answered_at"])
    rounds_before = s.current_answers("demo", ALL_ROUNDS)["round"].value_counts().to_dict()
    s.close()
    header, who, qid = _export_edit_import(tmp_path, "baseline", "corrected after the workshop")
    assert "round" in header.split(",")
    s = Store.open()
    base = s.current_answers("demo", "baseline")
    mine = base[(base["respondent"] == who) & (base["question_id"] == qid)]
    assert mine["comment"].tolist() == ["corrected after the workshop"]
    after = s.current_answers("demo", latest).drop(columns=["answered_at"])
    assert after.equals(latest_before)      # the latest round is untouched
    assert s.current_answers("demo", ALL_ROUNDS)["round"].value_counts().to_dict() \
        == rounds_before
    s.close()


def test_a_latest_round_export_round_trips(data_dir, tmp_path):
    """`export` without --round names the latest round too, and imports back into it."""
    assert run_cli("demo").code == 0
    s = Store.open()
    base_before = s.current_answers("demo", "baseline").drop(columns=["answered_at"])
    s.close()
    header, who, qid = _export_edit_import(tmp_path, None, "latest round, corrected")
    assert "round" in header.split(",")
    s = Store.open()
    latest = s.current_answers("demo", "health-2026-09")
    mine = latest[(latest["respondent"] == who) & (latest["question_id"] == qid)]
    assert mine["comment"].tolist() == ["latest round, corrected"]
    assert s.current_answers("demo", "baseline").drop(columns=["answered_at"]).equals(
        base_before)
    exported = run_cli("export", "demo").out
    assert exported.splitlines()[0].split(",")[-1] == "round"
    assert {line.rsplit(",", 1)[1] for line in exported.splitlines()[1:]} == {"health-2026-09"}
    s.close()
    # an engagement with its baseline only: the export names the baseline too
    (tmp_path / "solo.csv").write_text(
        run_cli("export", "demo", "--round", "baseline").out.replace("demo,", "solo,"),
        encoding="utf-8")
    assert run_cli("import", str(tmp_path / "solo.csv")).code == 0
    solo = run_cli("export", "solo").out.splitlines()
    assert solo[0].split(",")[-1] == "round"
    assert {line.rsplit(",", 1)[1] for line in solo[1:]} == {"baseline"}
